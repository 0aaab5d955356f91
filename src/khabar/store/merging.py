"""The store's merge tables: the candidate index, incident ids and aliases, users' edits, near-duplicates.

``MergeTables`` is mixed into ``Store``; the merge package (``khabar.merge.incremental``,
``khabar.merge.edits``, ``khabar.merge.neardup``) decides what to write, these methods only read
and write rows. Writes that change incidents happen in one transaction each.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.errors import StoreError
from khabar.records import Event, Incident
from khabar.store import tables
from khabar.store.codec import decode as from_dict

# undated sources first, then by date; each half reads in index order, so a million rows need no sort
SWEEP_QUERIES = tuple(
    "SELECT s.data, s.event_id, EXISTS (SELECT 1 FROM event_sources o WHERE o.doc_id = s.doc_id "
    f"AND o.sentence = s.sentence AND o.source_id != s.source_id) FROM event_sources s {where}"
    for where in ("WHERE s.day_start IS NULL ORDER BY s.source_id",
                  "WHERE s.day_start IS NOT NULL ORDER BY s.day_start, s.source_id"))
MERGE_KEY_INDEXES = ("CREATE INDEX IF NOT EXISTS merge_keys_key ON merge_keys(key)",
                     "CREATE INDEX IF NOT EXISTS merge_keys_source ON merge_keys(source_id)")
EDIT_COLUMNS = "id, at, user, action, incident, other, sources, other_sources"


@dataclass(slots=True, frozen=True)
class Edit:
    """A user's curation decision: who, when, what, and the source ids it binds."""

    edit_id: int
    at: str
    user: str
    action: str
    incident: str
    other: str = ""
    sources: tuple[str, ...] = ()
    other_sources: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Written:
    """An incident to write, with its creation number."""

    incident: Incident
    created: int


class MergeTables:
    """Reads and writes of the merge tables, on the store's connection ``db``."""

    db: sqlite3.Connection
    path: str

    def merge_state(self, name: str) -> str:
        """A stored fact about the merge (empty when unset)."""
        row = self.db.execute("SELECT value FROM merge_state WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else ""

    def unmerged_docs(self) -> list[str]:
        """Documents with an event not yet merged into an incident."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM event_sources WHERE event_id IS NULL "
                                              "ORDER BY doc_id")]

    def events_of_docs(self, doc_ids: Iterable[str]) -> list[Event]:
        """Every document-level event of these documents."""
        rows = self.db.execute("SELECT data FROM event_sources WHERE doc_id IN (SELECT value FROM json_each(?)) "
                               "ORDER BY doc_id, start, rowid", (_ids(doc_ids),))
        return [from_dict(Event, json.loads(r[0])) for r in rows]

    def docs_of_sources(self, source_ids: Iterable[str]) -> set[str]:
        """The documents these sources come from."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM event_sources WHERE source_id IN "
                                              "(SELECT value FROM json_each(?))", (_ids(source_ids),))}

    def filed_under(self, keys: Iterable[int]) -> set[str]:
        """Source ids filed under any of these index keys."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT source_id FROM merge_keys WHERE key IN "
                                              "(SELECT value FROM json_each(?))", (json.dumps(sorted(set(keys))),))}

    def links(self, source_ids: Iterable[str]) -> dict[str, str]:
        """The incident each of these sources is in (sources not merged yet are left out)."""
        rows = self.db.execute("SELECT source_id, event_id FROM event_sources WHERE event_id IS NOT NULL AND "
                               "source_id IN (SELECT value FROM json_each(?))", (_ids(source_ids),))
        return {r[0]: r[1] for r in rows}

    def sources_of(self, incident_ids: Iterable[str]) -> list[str]:
        """The source ids of these incidents."""
        return [r[0] for r in self.db.execute("SELECT source_id FROM event_sources WHERE event_id IN "
                                              "(SELECT value FROM json_each(?)) ORDER BY source_id",
                                              (_ids(incident_ids),))]

    def ages(self, incident_ids: Iterable[str] | None = None) -> dict[str, int]:
        """The creation number of incidents (all of them when no ids are given)."""
        if incident_ids is None:
            return {r[0]: r[1] for r in self.db.execute("SELECT event_id, created_seq FROM events")}
        return {r[0]: r[1] for r in self.db.execute("SELECT event_id, created_seq FROM events WHERE event_id IN "
                                                    "(SELECT value FROM json_each(?))", (_ids(incident_ids),))}

    def next_created(self) -> int:
        """The creation number for the next new incident."""
        return int(self.db.execute("SELECT coalesce(max(created_seq), 0) + 1 FROM events").fetchone()[0])

    def id_taken(self, ident: str) -> bool:
        """Whether an incident id is in use, as an incident or as an alias."""
        return self.db.execute("SELECT 1 FROM events WHERE event_id = ? UNION ALL SELECT 1 FROM incident_aliases "
                               "WHERE alias = ?", (ident, ident)).fetchone() is not None

    def write_merge(self, removed: Iterable[str], written: Sequence[Written], aliases: Mapping[str, str],
                    keys: Sequence[tuple[int, str]]) -> None:
        """Replace some incidents with others, relink their sources, add aliases and index keys, atomically."""
        with self.db:
            self.db.execute("DELETE FROM events WHERE event_id IN (SELECT value FROM json_each(?))", (_ids(removed),))
            if written:
                self.db.executemany(tables.insert_sql("events", list(_incident_row(written[0]))),
                                    [_incident_row(w) for w in written])
            self.db.executemany("UPDATE event_sources SET event_id = :incident, reasons = :reasons "
                                "WHERE source_id = :source", [row for w in written for row in _link_rows(w.incident)])
            self._alias(aliases)
            self.db.executemany("INSERT INTO merge_keys (key, source_id) VALUES (?, ?)", keys)

    def _alias(self, aliases: Mapping[str, str]) -> None:
        """Make old ids aliases of their survivors, and repoint aliases that named an old id."""
        now = tables.now()
        for old, new in sorted(aliases.items()):
            self.db.execute("UPDATE incident_aliases SET event_id = ? WHERE event_id = ?", (new, old))
            self.db.execute("INSERT OR REPLACE INTO incident_aliases (alias, event_id, at) VALUES (?, ?, ?)",
                            (old, new, now))
        # an id that lives again is no alias (a rebuild may give an old id back to its incident)
        self.db.execute("DELETE FROM incident_aliases WHERE alias IN (SELECT event_id FROM events)")

    def sweep_rows(self) -> Iterator[tuple[Event, str | None, bool]]:
        """Every source event with its current incident and whether it shares its sentence, undated first."""
        for query in SWEEP_QUERIES:
            for r in self.db.execute(query):
                yield from_dict(Event, json.loads(r[0])), r[1], bool(r[2])

    def start_rebuild(self) -> None:
        """Make empty scratch tables for a full re-merge's results."""
        self.db.executescript(
            "DROP TABLE IF EXISTS temp.rebuilt_events; DROP TABLE IF EXISTS temp.rebuilt_links;"
            "DROP TABLE IF EXISTS temp.rebuilt_keys;"
            "CREATE TEMP TABLE rebuilt_events AS SELECT * FROM main.events WHERE 0;"
            "CREATE TEMP TABLE rebuilt_links (source_id TEXT, event_id TEXT, reasons TEXT);"
            "CREATE TEMP TABLE rebuilt_keys (key INTEGER, source_id TEXT);")

    def stage_rebuilt(self, written: Sequence[Written], keys: Sequence[tuple[int, str]]) -> None:
        """Keep some of a full re-merge's incidents and keys in the scratch tables."""
        if written:
            self.db.executemany(tables.insert_sql("temp.rebuilt_events", list(_incident_row(written[0]))),
                                [_incident_row(w) for w in written])
        self.db.executemany("INSERT INTO temp.rebuilt_links (source_id, event_id, reasons) "
                            "VALUES (:source, :incident, :reasons)",
                            [row for w in written for row in _link_rows(w.incident)])
        self.db.executemany("INSERT INTO temp.rebuilt_keys (key, source_id) VALUES (?, ?)", keys)

    def finish_rebuild(self, aliases: Mapping[str, str], scheme: str) -> None:
        """Swap the scratch tables in for the incidents, links and keys, atomically.

        Every source gets its new link in the same transaction, so foreign keys are off during the
        swap rather than have deleting a million incidents null a million links first; they are
        checked before the commit. The key indexes are dropped and built again after the bulk insert.
        """
        self.db.execute("CREATE INDEX temp.rebuilt_links_source ON rebuilt_links(source_id)")
        self.db.commit()
        self.db.execute("PRAGMA foreign_keys=OFF")
        try:
            with self.db:
                self.db.execute("DELETE FROM events")
                self.db.execute("INSERT INTO events SELECT * FROM temp.rebuilt_events")
                self.db.execute("UPDATE event_sources SET event_id = l.event_id, reasons = l.reasons "
                                "FROM temp.rebuilt_links l WHERE l.source_id = event_sources.source_id")
                self.db.execute("DROP INDEX merge_keys_key")
                self.db.execute("DROP INDEX merge_keys_source")
                self.db.execute("DELETE FROM merge_keys")
                self.db.execute("INSERT INTO merge_keys (key, source_id) SELECT key, source_id FROM temp.rebuilt_keys")
                for index in MERGE_KEY_INDEXES:
                    self.db.execute(index)
                self._alias(aliases)
                self.db.execute("INSERT OR REPLACE INTO merge_state (name, value) VALUES ('index_scheme', ?)",
                                (scheme,))
                if self.db.execute("PRAGMA foreign_key_check(event_sources)").fetchone() is not None:
                    raise StoreError(f"{self.path}: a full re-merge left a source linked to no incident; "
                                     "nothing was changed; report this as a khabar bug")
        finally:
            self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript("DROP TABLE temp.rebuilt_events; DROP TABLE temp.rebuilt_links;"
                              "DROP TABLE temp.rebuilt_keys;")

    def alias_target(self, ident: str) -> str | None:
        """The surviving incident id an alias (or a unique prefix of one, in any case) stands for."""
        rows = self.db.execute("SELECT event_id FROM incident_aliases WHERE alias LIKE ? || '%' ESCAPE '\\' "
                               "LIMIT 2", (_like(ident),)).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def all_aliases(self) -> set[str]:
        """Every id that stands for another incident."""
        return {r[0] for r in self.db.execute("SELECT alias FROM incident_aliases")}

    def aliases_of(self, ident: str) -> list[str]:
        """The old ids that now stand for this incident."""
        return [r[0] for r in self.db.execute("SELECT alias FROM incident_aliases WHERE event_id = ? ORDER BY alias",
                                              (ident,))]

    def add_edit(self, edit: Edit) -> int:
        """Record a user's decision; returns its number."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO incident_edits (at, user, action, incident, other, sources, other_sources) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (edit.at, edit.user, edit.action, edit.incident, edit.other,
                                                 json.dumps(list(edit.sources)), json.dumps(list(edit.other_sources))))
        return int(cursor.lastrowid or 0)

    def edits(self) -> list[Edit]:
        """Every user decision, oldest first."""
        rows = self.db.execute(f"SELECT {EDIT_COLUMNS} FROM incident_edits ORDER BY id")
        return [Edit(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), tuple(json.loads(r[7])))
                for r in rows]

    def unsigned_docs(self) -> list[str]:
        """Documents with no near-duplicate signature yet."""
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents WHERE doc_id NOT IN "
                                              "(SELECT doc_id FROM doc_copies) ORDER BY doc_id")]

    def docs_in_bands(self, bands: Iterable[int]) -> set[str]:
        """Documents with any of these signature band hashes."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT doc_id FROM doc_bands WHERE band IN "
                                              "(SELECT value FROM json_each(?))", (json.dumps(sorted(set(bands))),))}

    def signatures(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """The copy group and signature of each of these documents that has one."""
        rows = self.db.execute("SELECT doc_id, copy_group, signature FROM doc_copies WHERE doc_id IN "
                               "(SELECT value FROM json_each(?))", (_ids(doc_ids),))
        return {r[0]: (r[1], bytes(r[2])) for r in rows}

    def copy_groups(self, doc_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Each document's near-duplicate group, for documents that have copies (all of them when no ids)."""
        if doc_ids is None:
            return {r[0]: r[1] for r in self.db.execute("SELECT doc_id, copy_group FROM doc_copies "
                                                        "WHERE copy_group != doc_id")}
        rows = self.db.execute("SELECT doc_id, copy_group FROM doc_copies WHERE copy_group != doc_id AND doc_id IN "
                               "(SELECT value FROM json_each(?))", (_ids(doc_ids),))
        return {r[0]: r[1] for r in rows}

    def members_of_groups(self, groups: Iterable[str]) -> dict[str, str]:
        """The documents of these near-duplicate groups, with their group."""
        rows = self.db.execute("SELECT doc_id, copy_group FROM doc_copies WHERE copy_group IN "
                               "(SELECT value FROM json_each(?))", (_ids(groups),))
        return {r[0]: r[1] for r in rows}

    def save_copies(self, signed: Sequence[tuple[str, str, bytes, Sequence[int]]],
                    regrouped: Mapping[str, str]) -> None:
        """Store new documents' signatures, groups and band hashes, and move regrouped documents, atomically."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO doc_copies (doc_id, copy_group, signature) VALUES (?, ?, ?)",
                                [(d, g, s) for d, g, s, _ in signed])
            self.db.executemany("INSERT INTO doc_bands (band, doc_id) VALUES (?, ?)",
                                [(b, d) for d, _, _, bands in signed for b in bands])
            self.db.executemany("UPDATE doc_copies SET copy_group = ? WHERE doc_id = ?",
                                [(g, d) for d, g in sorted(regrouped.items())])


def _incident_row(w: Written) -> dict[str, Any]:
    """An events row for an incident, with its creation number, review and independent reports."""
    row = tables.incident_row(w.incident)
    return {**row, "created_seq": w.created, "review": w.incident.review, "n_independent": w.incident.independent}


def _link_rows(incident: Incident) -> list[dict[str, Any]]:
    """Rows relinking an incident's sources to it, with the reasons each joined."""
    return [{"incident": incident.incident_id, "source": link.source_id, "reasons": json.dumps(list(link.reasons))}
            for link in incident.links]


def _ids(ids: Iterable[str]) -> str:
    """A JSON list of distinct ids, for ``json_each``."""
    return json.dumps(sorted(set(ids)))


def _like(text: str) -> str:
    """Text with LIKE wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
