"""The store: one SQLite file (WAL mode) with a documented, versioned schema.

The schema is in ``schema.sql`` beside this module; ``SCHEMA_VERSION`` is kept in SQLite's
``user_version``. Each document's results are written in one transaction, so a crash or a kill
mid-ingest never leaves half a document and never touches documents stored before it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import StoreError
from khabar.records import (
    ActorMention,
    Analysis,
    Claim,
    Document,
    Event,
    Incident,
    Relation,
    as_dict,
    from_dict,
)

SCHEMA_VERSION = 1


class Store:
    """A khabar database."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        """Wrap an open, migrated connection."""
        self.db = connection
        self.path = path

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this content hash is stored."""
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def save_analysis(self, analysis: Analysis, actor_rows: list[tuple[str, str, str, str, str, int]]) -> None:
        """Store one document and everything extracted from it, atomically."""
        with self.db:
            _insert_document(self.db, analysis.document)
            self.db.executemany(
                "INSERT INTO sentences VALUES (?, ?, ?, ?)",
                [(analysis.document.doc_id, s.index, s.start, s.end) for s in analysis.sentences],
            )
            self.db.executemany("INSERT INTO mentions (doc_id, kind, sentence, start, end, surface, ref, data) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", list(_mention_rows(analysis)))
            self.db.executemany("INSERT OR REPLACE INTO actors VALUES (?, ?, ?, ?, ?, ?)", actor_rows)
            self.db.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                list(_place_rows(analysis)))
            self.db.executemany("INSERT OR REPLACE INTO event_sources VALUES (?, NULL, ?, ?, ?, ?, ?, ?)",
                                [_event_source_row(analysis, e) for e in analysis.events])
            self.db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [_claim_row(c) for c in analysis.claims])
            self.db.executemany("INSERT INTO relations (a, b, type, directed, doc_id, sentence, start, end, data) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [_relation_row(r) for r in analysis.relations])

    def record_error(self, path: str, message: str) -> None:
        """Remember a file that could not be ingested."""
        with self.db:
            self.db.execute("INSERT INTO ingest_errors (path, message, at) VALUES (?, ?, ?)",
                            (path, message, _now()))

    def source_events(self) -> list[Event]:
        """Every document-level event, in document order."""
        rows = self.db.execute("SELECT data FROM event_sources ORDER BY doc_id, start")
        return [from_dict(Event, json.loads(row[0])) for row in rows]

    def replace_incidents(self, incidents: list[Incident]) -> None:
        """Replace the merged incidents and relink every source to its incident, atomically."""
        with self.db:
            self.db.execute("UPDATE event_sources SET event_id = NULL")
            self.db.execute("DELETE FROM events")
            self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                "?, ?, ?, ?, ?, ?)", [_incident_row(i) for i in incidents])
            self.db.executemany("UPDATE event_sources SET event_id = ? WHERE source_id = ?",
                                [(i.incident_id, s.event_id) for i in incidents for s in i.sources])

    def incidents(self) -> list[Incident]:
        """Every merged incident, oldest first."""
        rows = self.db.execute("SELECT data FROM events ORDER BY date_start IS NULL, date_start, event_id")
        return [from_dict(Incident, json.loads(row[0])) for row in rows]

    def incident(self, event_id: str) -> Incident | None:
        """One incident by id (a unique prefix of the id is enough)."""
        rows = self.db.execute("SELECT data FROM events WHERE event_id LIKE ? || '%' LIMIT 2", (event_id,)).fetchall()
        return from_dict(Incident, json.loads(rows[0][0])) if len(rows) == 1 else None

    def documents(self) -> list[Document]:
        """Every stored document."""
        rows = self.db.execute("SELECT doc_id, text, title, url, outlet, published, published_source, "
                               "published_window_start, published_window_end, path FROM documents ORDER BY path")
        return [_document(row) for row in rows]

    def document_count(self) -> int:
        """How many documents are stored."""
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def claims(self) -> list[Claim]:
        """Every claim."""
        return [from_dict(Claim, json.loads(r[0])) for r in self.db.execute("SELECT data FROM claims ORDER BY doc_id")]

    def relations(self) -> list[Relation]:
        """Every relation."""
        rows = self.db.execute("SELECT data FROM relations ORDER BY a, b, type")
        return [from_dict(Relation, json.loads(r[0])) for r in rows]

    def actor_mentions(self) -> Iterator[ActorMention]:
        """Every actor mention."""
        for row in self.db.execute("SELECT data FROM mentions WHERE kind = 'actor'"):
            yield from_dict(ActorMention, json.loads(row[0]))

    def actor_rows(self) -> list[dict[str, Any]]:
        """Actors with their mention and event counts, most mentioned first."""
        query = (
            "SELECT a.actor_id, a.name, a.type, a.country, a.acled_name, a.provisional, "
            "(SELECT count(*) FROM mentions m WHERE m.kind = 'actor' AND m.ref = a.actor_id) AS mentions, "
            "(SELECT count(*) FROM events e WHERE e.actor1 = a.actor_id OR e.actor2 = a.actor_id) AS events "
            "FROM actors a ORDER BY events DESC, mentions DESC, a.name"
        )
        cursor = self.db.execute(query)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def actor_name(self, actor_id: str) -> str:
        """The display name of an actor id (the id itself when unknown)."""
        row = self.db.execute("SELECT name FROM actors WHERE actor_id = ?", (actor_id,)).fetchone()
        return str(row[0]) if row else actor_id

    def errors(self) -> list[tuple[str, str]]:
        """Files that could not be ingested, with the reason."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT path, message FROM ingest_errors ORDER BY id")]


def open_store(path: str | Path) -> Store:
    """Open (creating or migrating) the store at a path."""
    target = Path(path)
    if target.exists() and target.is_dir():
        raise StoreError(f"{target} is a directory; give --db a file path such as ./khabar.db")
    try:
        connection = sqlite3.connect(target, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
        _migrate(connection, target)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{target}: cannot open as a khabar database ({exc}); give --db another path") from exc
    return Store(connection, str(target))


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Create the schema in a new database, or refuse one from a newer khabar."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} has schema version {version}, newer than this khabar's {SCHEMA_VERSION}; "
                         "upgrade khabar")
    if version < SCHEMA_VERSION:
        schema = (resources.files("khabar") / "store" / "schema.sql").read_text(encoding="utf-8")
        with connection:
            connection.executescript(schema)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _now() -> str:
    """The current UTC time as ISO text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: Any) -> str | None:
    """A date as ISO text, or None."""
    return value.isoformat() if value is not None else None


def _insert_document(db: sqlite3.Connection, d: Document) -> None:
    """Insert a document row."""
    window = d.published_window or (None, None)
    db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (d.doc_id, d.path, d.title, d.url, d.outlet, _iso(d.published), d.published_source,
                _iso(window[0]), _iso(window[1]), d.text, _now()))


def _document(row: tuple[Any, ...]) -> Document:
    """A Document from a documents row."""
    window = None
    if row[7] and row[8]:
        window = (datetime.fromisoformat(row[7]).date(), datetime.fromisoformat(row[8]).date())
    return Document(doc_id=row[0], text=row[1], title=row[2], url=row[3], outlet=row[4],
                    published=datetime.fromisoformat(row[5]).date() if row[5] else None,
                    published_source=row[6], published_window=window, path=row[9])


def _mention_rows(analysis: Analysis) -> Iterator[tuple[Any, ...]]:
    """Rows of the mentions table for every actor, place, time and quantity mention."""
    doc = analysis.document.doc_id
    for a in analysis.actors:
        yield (doc, "actor", a.evidence.sentence, a.evidence.start, a.evidence.end, a.evidence.text,
               a.actor_id, json.dumps(as_dict(a)))
    for p in analysis.places:
        ref = p.place.place_id if p.place else ""
        yield (doc, "place", p.evidence.sentence, p.evidence.start, p.evidence.end, p.surface, ref,
               json.dumps(as_dict(p)))
    for t in analysis.times:
        yield (doc, "time", t.evidence.sentence, t.evidence.start, t.evidence.end, t.surface,
               t.span.start.isoformat(), json.dumps(as_dict(t)))
    for q in analysis.quantities:
        yield (doc, "quantity", q.evidence.sentence, q.evidence.start, q.evidence.end, q.evidence.text,
               q.kind, json.dumps(as_dict(q)))


def _place_rows(analysis: Analysis) -> Iterator[tuple[Any, ...]]:
    """Rows of the places table for every resolved place."""
    for mention in analysis.places:
        p = mention.place
        if p is not None:
            yield (p.place_id, p.name, p.lat, p.lon, p.country, p.admin1, p.admin2, p.feature)


def _event_source_row(analysis: Analysis, event: Event) -> tuple[Any, ...]:
    """A row of event_sources: the event with the sentence that reports it."""
    first = event.evidence[0] if event.evidence else None
    sentence = analysis.sentences[first.sentence] if first and 0 <= first.sentence < len(analysis.sentences) else None
    return (event.event_id, event.doc_id, first.sentence if first else -1,
            sentence.start if sentence else 0, sentence.end if sentence else 0,
            sentence.text if sentence else "", json.dumps(as_dict(event)))


def _claim_row(c: Claim) -> tuple[Any, ...]:
    """A row of the claims table."""
    return (c.claim_id, c.doc_id, c.speaker, c.speaker_text, c.content, c.stance, int(c.quoted),
            int(bool(c.disputed_by)), c.evidence.sentence, c.evidence.start, c.evidence.end, json.dumps(as_dict(c)))


def _relation_row(r: Relation) -> tuple[Any, ...]:
    """A row of the relations table."""
    first = r.evidence[0] if r.evidence else None
    return (r.a, r.b, r.type, int(r.directed), r.doc_id, first.sentence if first else -1,
            first.start if first else 0, first.end if first else 0, json.dumps(as_dict(r)))


def _incident_row(i: Incident) -> tuple[Any, ...]:
    """A row of the events table from a merged incident."""
    e = i.event
    place = e.place.place if e.place else None
    tolls = i.fatalities or e.fatalities
    return (i.incident_id, e.family, e.event_type, e.sub_event_type, e.plover_type, e.actor1, e.actor2,
            place.place_id if place else None, place.name if place else (e.place.surface if e.place else ""),
            place.lat if place else None, place.lon if place else None, place.admin1 if place else "",
            place.country if place else "", _iso(e.time.start) if e.time else None,
            _iso(e.time.end) if e.time else None, tolls.low if tolls else None, tolls.best if tolls else None,
            tolls.high if tolls else None, e.status, e.claimed_by, e.attributed_by, len(i.sources),
            json.dumps(list(i.disagreements)), json.dumps(as_dict(i)))
