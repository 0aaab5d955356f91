"""The Store: writes take records, queries take filters and stream records from a cursor.

Each write is one transaction, so a crash or a kill mid-ingest never leaves half a document and
never touches documents stored before it.

Several processes may use one store at once (WAL mode: readers never wait for writers). A writer
waits up to ``BUSY_SECONDS`` for another's transaction, then retries a few times with growing
pauses; a document write takes the write lock first (``BEGIN IMMEDIATE``) and checks inside it that
no other process stored the same document meanwhile. Jobs that span many transactions (merging)
hold ``exclusive()``, a lock file beside the database, so they run one process at a time.

Queries run when called and yield rows as the caller consumes them; wrap one in ``list()`` to read
it twice. Every ORDER BY ends in a unique key, so a query's order never depends on the plan SQLite
picks.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from khabar.errors import StoreError
from khabar.records import ActorMention, Analysis, Claim, Document, Event, Incident, Relation
from khabar.store import tables
from khabar.store.codec import decode as from_dict
from khabar.store.merging import MergeTables
from khabar.store.migrations import migrate

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: merging is then not guarded against a second process
    fcntl = None  # type: ignore[assignment]

R = TypeVar("R")
BUSY_SECONDS = 30.0
RETRIES = 6
INCIDENT_ORDER = "ORDER BY date_start IS NULL, date_start, event_id"
DOCUMENT_COLUMNS = ("doc_id, path, title, url, outlet, published, published_source, published_window_start, "
                    "published_window_end")
ACTOR_QUERY = (
    "SELECT a.actor_id, a.name, a.type, a.country, a.acled_name, a.provisional, "
    "(SELECT count(*) FROM mentions m WHERE m.kind = 'actor' AND m.ref = a.actor_id) AS mentions, "
    "(SELECT count(*) FROM events e WHERE e.actor1 = a.actor_id OR e.actor2 = a.actor_id) AS events "
    "FROM actors a {where} ORDER BY events DESC, mentions DESC, a.name, a.rowid"
)


class Store(MergeTables):
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

    def save_analysis(self, analysis: Analysis, actor_rows: Sequence[tuple[Any, ...]]) -> bool:
        """Store one document and everything extracted from it, atomically; False if it was already stored.

        ``actor_rows`` are (actor_id, name, type, country, acled_name, provisional) tuples. Another
        process may have stored the same document since this one last looked: that is no error.
        """
        return self.retrying(lambda: self._save_new(analysis, actor_rows))

    def _save_new(self, analysis: Analysis, actor_rows: Sequence[tuple[Any, ...]]) -> bool:
        """One attempt at storing a document not stored yet, under the write lock."""
        with self.db:
            self._begin_write()
            if self.has_document(analysis.document.doc_id):
                return False
            self._save(analysis, actor_rows)
        return True

    def _begin_write(self) -> None:
        """Take the write lock now, so the checks that follow see the last committed state."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def retrying(self, action: Callable[[], R]) -> R:
        """Run a write, retrying (with growing pauses) while another process holds the database."""
        for attempt in range(RETRIES):
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(min(5.0, 0.1 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the store's lock file (``DB.lock``) while a multi-transaction job runs; waits for another holder."""
        if self.path == ":memory:" or fcntl is None:
            yield
            return
        with open(f"{self.path}.lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def save_analyses(self, analyses: Sequence[Analysis], actor_rows: Sequence[tuple[Any, ...]] = ()) -> None:
        """Store many documents and their extractions in one transaction (bulk loads, such as benchmarks).

        ``actor_rows`` cover the whole batch, so they are written once, not once per document.
        """
        with self.db:
            self._insert("actors", tables.actor_rows(actor_rows), replace=True)
            for analysis in analyses:
                self._save(analysis, ())

    def _save(self, analysis: Analysis, actor_rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert one document's rows (the caller holds the transaction)."""
        self._insert("documents", [tables.document_row(analysis.document, tables.now())])
        self._insert("sentences", tables.sentence_rows(analysis))
        self._insert("mentions", list(tables.mention_rows(analysis)))
        self._insert("actors", tables.actor_rows(actor_rows), replace=True)
        self._insert("places", list(tables.place_rows(analysis)), replace=True)
        self._insert("event_sources", [tables.event_source_row(analysis, e) for e in analysis.events],
                     replace=True)
        self._insert("claims", [tables.claim_row(c) for c in analysis.claims], replace=True)
        self._insert("relations", [tables.relation_row(r) for r in analysis.relations])

    def record_error(self, path: str, message: str) -> None:
        """Remember a file that could not be ingested; the same problem again only updates its time."""
        self.retrying(lambda: self._record_error(path, message))

    def _record_error(self, path: str, message: str) -> None:
        """One attempt at recording an error, replacing an identical earlier one."""
        with self.db:
            self._begin_write()
            self.db.execute("DELETE FROM ingest_errors WHERE path = ? AND message = ?", (path, message))
            self._insert("ingest_errors", [{"path": path, "message": message, "at": tables.now()}])

    def replace_incidents(self, incidents: Sequence[Incident]) -> None:
        """Replace the merged incidents and relink every source to its incident, atomically."""
        with self.db:
            self.db.execute("UPDATE event_sources SET event_id = NULL")
            self.db.execute("DELETE FROM events")
            self._insert("events", [tables.incident_row(i) for i in incidents])
            self.db.executemany("UPDATE event_sources SET event_id = :incident WHERE source_id = :source",
                                [{"incident": i.incident_id, "source": s.event_id} for i in incidents
                                 for s in i.sources])

    def has_document(self, doc_id: str) -> bool:
        """Whether a document with this content hash is stored."""
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def document(self, doc_id: str) -> Document | None:
        """One document by its content hash."""
        return next(self.documents([doc_id]), None)

    def documents(self, ids: Iterable[str] | None = None, *, with_text: bool = True) -> Iterator[Document]:
        """Stored documents (only those with these ids, when given), ordered by path.

        ``with_text=False`` skips reading the texts and yields documents whose ``text`` is empty,
        for callers that only cite or count documents.
        """
        text = "text" if with_text else "'' AS text"
        where, params = ("", ()) if ids is None else ("WHERE doc_id IN (SELECT value FROM json_each(?))",
                                                      (json.dumps(sorted(set(ids))),))
        rows = self._rows(f"SELECT {DOCUMENT_COLUMNS}, {text} FROM documents {where} ORDER BY path, rowid", params)
        return (tables.document_from_row(row) for row in rows)

    def incident_count(self, *, rejected: bool = False) -> int:
        """How many incidents are stored (leaving out those a user rejected, unless ``rejected``)."""
        where = "" if rejected else " WHERE review != 'rejected'"
        return int(self.db.execute(f"SELECT count(*) FROM events{where}").fetchone()[0])

    def document_count(self) -> int:
        """How many documents are stored."""
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def source_events(self) -> list[Event]:
        """Every document-level event, in document order (what merging reads, all at once)."""
        return list(self._records(Event, "SELECT data FROM event_sources ORDER BY doc_id, start, rowid"))

    def incident(self, event_id: str) -> Incident | None:
        """One incident by id or by an alias it absorbed; a unique prefix of either (in any case) is enough."""
        found = self._incident_by_prefix(event_id)
        if found is None:
            target = self.alias_target(event_id)
            found = self._incident_by_prefix(target) if target is not None else None
        return found

    def _incident_by_prefix(self, event_id: str) -> Incident | None:
        """The one incident whose id starts with this text, if exactly one does."""
        prefix = event_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.db.execute("SELECT data FROM events WHERE event_id LIKE ? || '%' ESCAPE '\\' LIMIT 2",
                               (prefix,)).fetchall()
        return from_dict(Incident, json.loads(rows[0][0])) if len(rows) == 1 else None

    def incidents(self, *, family: str | None = None, country: str | None = None, actor: str | None = None,
                  doc_id: str | None = None, since: date | None = None, until: date | None = None,
                  limit: int | None = None, rejected: bool = False) -> Iterator[Incident]:
        """Merged incidents matching every filter given, oldest first.

        ``actor`` matches actor1 or actor2; ``doc_id`` keeps incidents that document reports;
        ``since``/``until`` keep dated incidents whose date range overlaps them. Incidents a user
        rejected as not events are left out unless ``rejected`` is true.
        """
        clauses = _equals(family=family, country=country)
        if not rejected:
            clauses.append(("review != 'rejected'", ()))
        if actor is not None:
            clauses.append(("(actor1 = ? OR actor2 = ?)", (actor, actor)))
        if doc_id is not None:
            clauses.append(("event_id IN (SELECT event_id FROM event_sources WHERE doc_id = ?)", (doc_id,)))
        if since is not None:
            clauses.append(("date_end >= ?", (since.isoformat(),)))
        if until is not None:
            clauses.append(("date_start <= ?", (until.isoformat(),)))
        where, params = _where(clauses)
        sql = f"SELECT data FROM events {where} {INCIDENT_ORDER} LIMIT ?"
        return self._records(Incident, sql, (*params, -1 if limit is None else limit))

    def claims(self, *, doc_id: str | None = None, speaker: str | None = None) -> Iterator[Claim]:
        """Claims (of one document, or by one speaker id, when given), in document order."""
        where, params = _where(_equals(doc_id=doc_id, speaker=speaker))
        return self._records(Claim, f"SELECT data FROM claims {where} ORDER BY doc_id, rowid", params)

    def relations(self, *, actor: str | None = None, doc_id: str | None = None) -> Iterator[Relation]:
        """Relations (involving one actor, or from one document, when given), by actor pair and type."""
        clauses = _equals(doc_id=doc_id)
        if actor is not None:
            clauses.append(("(a = ? OR b = ?)", (actor, actor)))
        where, params = _where(clauses)
        return self._records(Relation, f"SELECT data FROM relations {where} ORDER BY a, b, type, id", params)

    def actor_mentions(self, actor_id: str | None = None) -> Iterator[ActorMention]:
        """Actor mentions (of one actor id, when given), in the order they were stored."""
        where, params = _where([("kind = 'actor'", ()), *_equals(ref=actor_id)])
        return self._records(ActorMention, f"SELECT data FROM mentions {where} ORDER BY id", params)

    def actor_mention_counts(self) -> Counter[str]:
        """How many times each actor id is mentioned, counted in SQL."""
        rows = self.db.execute("SELECT ref, count(*) FROM mentions WHERE kind = 'actor' GROUP BY ref")
        return Counter({str(ref): int(n) for ref, n in rows})

    def actor_rows(self, *, provisional: bool | None = None) -> Iterator[dict[str, Any]]:
        """Actors with their mention and event counts, most involved first (only provisional ones, or none)."""
        where, params = _where(_equals(provisional=None if provisional is None else int(provisional)))
        return (dict(row) for row in self._rows(ACTOR_QUERY.format(where=where), params))

    def actor_name(self, actor_id: str) -> str:
        """The display name of an actor id (the id itself when unknown)."""
        row = self.db.execute("SELECT name FROM actors WHERE actor_id = ?", (actor_id,)).fetchone()
        return str(row[0]) if row else actor_id

    def errors(self) -> Iterator[tuple[str, str]]:
        """Files that could not be ingested, with the reason, oldest first."""
        return ((str(r[0]), str(r[1])) for r in self.db.execute("SELECT path, message FROM ingest_errors ORDER BY id"))

    def _insert(self, table: str, rows: Sequence[tables.Row], *, replace: bool = False) -> None:
        """Insert rows (dicts with the same keys) into a table, naming the columns."""
        if rows:
            self.db.executemany(tables.insert_sql(table, list(rows[0]), replace=replace), rows)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run a query whose rows are read by column name."""
        cursor = self.db.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params)

    def _records(self, cls: type[R], sql: str, params: Sequence[Any] = ()) -> Iterator[R]:
        """Run a query whose first column is a record as JSON, and decode the rows lazily."""
        return (from_dict(cls, json.loads(row[0])) for row in self.db.execute(sql, params))


def open_store(path: str | Path) -> Store:
    """Open the store at a path, creating it or bringing its schema up to date."""
    target = Path(path)
    if target.is_dir():
        raise StoreError(f"{target} is a directory; give --db a file path such as ./khabar.db")
    try:
        connection = sqlite3.connect(target, timeout=BUSY_SECONDS)
    except sqlite3.DatabaseError as exc:
        raise _unusable(target, exc) from exc
    try:
        _prepare(connection, target)
    except BaseException:
        connection.close()
        raise
    return Store(connection, str(target))


def _prepare(connection: sqlite3.Connection, target: Path) -> None:
    """Set WAL mode, bring the schema up to date, then enforce foreign keys."""
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        migrate(connection, target)
        connection.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as exc:
        raise _unusable(target, exc) from exc


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Whether a database error means another connection holds a lock, so trying again may succeed."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _unusable(target: Path, exc: sqlite3.DatabaseError) -> StoreError:
    """The error for a path SQLite cannot use as a khabar database."""
    return StoreError(f"{target}: cannot open as a khabar database ({exc}); give --db another path")


def _equals(**columns: object) -> list[tuple[str, tuple[Any, ...]]]:
    """A ``column = ?`` condition for each column given a value; None means no filter on it."""
    return [(f"{column} = ?", (value,)) for column, value in columns.items() if value is not None]


def _where(clauses: Sequence[tuple[str, tuple[Any, ...]]]) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause joining conditions with AND, and their parameters in order."""
    if not clauses:
        return "", ()
    return "WHERE " + " AND ".join(sql for sql, _ in clauses), tuple(p for _, values in clauses for p in values)
