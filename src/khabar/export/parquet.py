"""Parquet: a folder with one typed table per record type, each partitioned by month (Hive layout).

``incidents/``, ``sources/`` (one row per document's report of an incident), ``claims/``,
``relations/`` and ``documents/`` hold ``month=YYYY-MM`` folders (``month=unknown`` for undated
rows): the incident's start month, or the publication month of the claim's, relation's or
document's article. ``actors/`` is one file (actors are not dated). Dates are ``date32``, tolls
nullable ``int64``, coordinates ``float64``, lists ``list<string>``. DuckDB
(``read_parquet('out/incidents/*/*.parquet', hive_partitioning = true)``), pandas
(``read_parquet('out/incidents')``), Spark and Arrow read it. Rows are written in batches as they
stream, so memory stays flat.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from khabar.export.common import Names, best
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters
from khabar.records import Claim, Incident, Relation

BATCH = 5000
S, D, F, N, B, L = "string", "date32", "float64", "int64", "bool", "list"
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "incidents": (("incident_id", S), ("date_start", D), ("date_end", D), ("date_precision", S), ("family", S),
                  ("event_type", S), ("sub_event_type", S), ("plover_type", S), ("plover_mode", S),
                  ("actor1", S), ("actor1_name", S), ("actor2", S), ("actor2_name", S), ("place_id", S),
                  ("place", S), ("admin1", S), ("admin2", S), ("country", S), ("latitude", F), ("longitude", F),
                  ("fatalities_low", N), ("fatalities_best", N), ("fatalities_high", N), ("injuries_best", N),
                  ("status", S), ("claimed_by", S), ("attributed_by", S), ("sources", N), ("independent", N),
                  ("confidence", F), ("disagreements", L), ("review", S), ("month", S)),
    "sources": (("source_id", S), ("incident_id", S), ("doc_id", S), ("date_start", D), ("event_type", S),
                ("sub_event_type", S), ("fatalities_best", N), ("sentence", S), ("start", N), ("end", N),
                ("month", S)),
    "claims": (("claim_id", S), ("doc_id", S), ("day", D), ("speaker", S), ("speaker_name", S),
               ("speaker_text", S), ("content", S), ("stance", S), ("quoted", B), ("subject", S),
               ("disputed_by", L), ("figures", L), ("month", S)),
    "relations": (("a", S), ("b", S), ("type", S), ("directed", B), ("doc_id", S), ("start", D), ("end", D),
                  ("evidence", S), ("month", S)),
    "documents": (("doc_id", S), ("path", S), ("title", S), ("url", S), ("outlet", S), ("published", D),
                  ("published_source", S), ("month", S)),
    "actors": (("actor_id", S), ("name", S), ("type", S), ("country", S), ("acled_name", S), ("provisional", B),
               ("incidents", N), ("mentions", N), ("deaths", N), ("first", D), ("last", D)),
}


def write_parquet(archive: Archive, filters: Filters, folder: Path) -> None:
    """Every table of what the filters keep, under ``folder``."""
    names = Names(archive)
    published = _Published(archive)
    unlimited = filters.replace(limit=None)
    _write_incidents(archive, filters, names, folder)
    rows: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
        "claims": lambda: (_claim(c, names, published) for c in archive.claims(unlimited)),
        "relations": lambda: (_relation(r, published) for r in archive.relations(unlimited)),
        "documents": lambda: (_document_row(d) for d in archive.documents(unlimited)),
        "actors": lambda: (_actor_row(a) for a in archive.actors(unlimited)),
    }
    for table, make in rows.items():
        write_table(folder / table, TABLES[table], make(), partitioned=table != "actors")


def _write_incidents(archive: Archive, filters: Filters, names: Names, folder: Path) -> None:
    """The incidents and sources tables, from one pass over the incidents."""
    with _Partitions.open(folder / "incidents", TABLES["incidents"]) as incidents, \
            _Partitions.open(folder / "sources", TABLES["sources"]) as reports:
        for incident in archive.incidents(filters):
            incidents.add(_incident(incident, names))
            for row in _sources(incident):
                reports.add(row)


def write_table(target: Path, columns: tuple[tuple[str, str], ...], rows: Iterable[dict[str, Any]],
                partitioned: bool = True) -> None:
    """Write rows as a Parquet table under ``target``, one ``month=...`` folder per month when partitioned."""
    with _Partitions.open(target, columns, partitioned) as parts:
        for row in rows:
            parts.add(row)


class _Partitions:
    """Open Parquet writers, one per month, with small buffers flushed as row groups (memory stays bounded)."""

    def __init__(self, target: Path, schema: Any, partitioned: bool) -> None:
        """Write under ``target`` with this schema (without the month column, which is the folder name)."""
        self.target = target
        self.schema = schema.remove(schema.get_field_index("month")) if partitioned else schema
        self.partitioned = partitioned
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.writers: dict[str, Any] = {}
        self.held = 0

    @classmethod
    def open(cls, target: Path, columns: tuple[tuple[str, str], ...], partitioned: bool = True) -> _Partitions:
        """Writers for a fresh table folder at ``target`` with these typed columns."""
        import pyarrow as pa  # noqa: PLC0415 - loaded only when exporting Parquet, not for every command

        schema = pa.schema([(name, _arrow_type(pa, kind)) for name, kind in columns if partitioned or name != "month"])
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        return cls(target, schema, partitioned)

    def __enter__(self) -> _Partitions:
        return self

    def __exit__(self, *_: object) -> None:
        for month in list(self.buffers):
            self._flush(month)
        if not self.writers:  # no rows: still leave a readable, empty table
            self._writer("unknown" if self.partitioned else "")
        for writer in self.writers.values():
            writer.close()

    def add(self, row: dict[str, Any]) -> None:
        """Buffer one row in its month's partition, flushing the fullest buffer when too many are held."""
        month = row.pop("month", "") if self.partitioned else ""
        self.buffers.setdefault(month, []).append(row)
        self.held += 1
        if len(self.buffers[month]) >= BATCH:
            self._flush(month)
        elif self.held >= 2 * BATCH:
            self._flush(max(self.buffers, key=lambda m: len(self.buffers[m])))

    def _flush(self, month: str) -> None:
        """Write one month's buffered rows as a row group."""
        import pyarrow as pa  # noqa: PLC0415 - as above

        rows = self.buffers.pop(month, [])
        if rows:
            self._writer(month).write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.held -= len(rows)

    def _writer(self, month: str) -> Any:
        """The open writer of a month's file, opening it on first use."""
        if month not in self.writers:
            import pyarrow.parquet as pq  # noqa: PLC0415 - as above

            folder = self.target / f"month={month}" if self.partitioned else self.target
            folder.mkdir(parents=True, exist_ok=True)
            self.writers[month] = pq.ParquetWriter(folder / "part-0.parquet", self.schema)
        return self.writers[month]


def _arrow_type(pa: Any, kind: str) -> Any:
    """The Arrow type of a column kind."""
    types = {S: pa.string(), D: pa.date32(), F: pa.float64(), N: pa.int64(), B: pa.bool_(),
             L: pa.list_(pa.string())}
    return types[kind]


def _month(day: date | None) -> str:
    """The partition of a date: ``YYYY-MM``, or ``unknown``."""
    return day.strftime("%Y-%m") if day else "unknown"


class _Published:
    """Publication dates of documents, remembering only the last one asked (claims come grouped by document)."""

    def __init__(self, archive: Archive) -> None:
        """Look dates up in this archive."""
        self.archive = archive
        self.last: tuple[str, date | None] = ("", None)

    def of(self, doc_id: str) -> date | None:
        """The document's publication date."""
        if self.last[0] != doc_id:
            sql = "SELECT published FROM documents WHERE doc_id = ?"
            row = self.archive.store.db.execute(sql, (doc_id,)).fetchone()
            self.last = (doc_id, date.fromisoformat(row[0]) if row and row[0] else None)
        return self.last[1]


def _incident(incident: Incident, names: Names) -> dict[str, Any]:
    """An incidents row."""
    e = incident.event
    place = e.place.place if e.place else None
    toll = incident.fatalities
    return {
        "incident_id": incident.incident_id, "date_start": e.time.start if e.time else None,
        "date_end": e.time.end if e.time else None, "date_precision": e.time.precision if e.time else None,
        "family": e.family, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "plover_type": e.plover_type, "plover_mode": e.plover_mode, "actor1": e.actor1,
        "actor1_name": names.name(e.actor1), "actor2": e.actor2, "actor2_name": names.name(e.actor2),
        "place_id": place.place_id if place else None,
        "place": place.name if place else (e.place.surface if e.place else None),
        "admin1": place.admin1 if place else None, "admin2": place.admin2 if place else None,
        "country": place.country if place else None, "latitude": place.lat if place else None,
        "longitude": place.lon if place else None, "fatalities_low": toll.low if toll else None,
        "fatalities_best": best(toll), "fatalities_high": toll.high if toll else None,
        "injuries_best": best(incident.injuries), "status": e.status, "claimed_by": e.claimed_by,
        "attributed_by": e.attributed_by, "sources": len(incident.sources),
        "independent": incident.independent or len(incident.sources), "confidence": e.confidence,
        "disagreements": list(incident.disagreements), "review": incident.review,
        "month": _month(e.time.start if e.time else None),
    }


def _sources(incident: Incident) -> Iterator[dict[str, Any]]:
    """The sources rows of an incident."""
    month = _month(incident.event.time.start if incident.event.time else None)
    for s in incident.sources:
        first = s.evidence[0] if s.evidence else None
        yield {"source_id": s.event_id, "incident_id": incident.incident_id, "doc_id": s.doc_id,
               "date_start": s.time.start if s.time else None, "event_type": s.event_type,
               "sub_event_type": s.sub_event_type, "fatalities_best": best(s.fatalities),
               "sentence": first.text if first else None, "start": first.start if first else None,
               "end": first.end if first else None, "month": month}


def _claim(c: Claim, names: Names, published: _Published) -> dict[str, Any]:
    """A claims row."""
    day = c.day or published.of(c.doc_id)
    figures = [str(q.best) for q in c.quantities if q.best is not None]
    return {"claim_id": c.claim_id, "doc_id": c.doc_id, "day": c.day, "speaker": c.speaker,
            "speaker_name": names.name(c.speaker), "speaker_text": c.speaker_text, "content": c.content,
            "stance": c.stance, "quoted": c.quoted, "subject": c.subject, "disputed_by": list(c.disputed_by),
            "figures": figures, "month": _month(day)}


def _relation(r: Relation, published: _Published) -> dict[str, Any]:
    """A relations row."""
    day = r.start or published.of(r.doc_id)
    return {"a": r.a, "b": r.b, "type": r.type, "directed": r.directed, "doc_id": r.doc_id, "start": r.start,
            "end": r.end, "evidence": r.evidence[0].text if r.evidence else None, "month": _month(day)}


def _document_row(d: Any) -> dict[str, Any]:
    """A documents row."""
    return {"doc_id": d.doc_id, "path": d.path, "title": d.title, "url": d.url, "outlet": d.outlet,
            "published": d.published, "published_source": d.published_source, "month": _month(d.published)}


def _actor_row(a: Any) -> dict[str, Any]:
    """An actors row."""
    return {"actor_id": a.actor.actor_id, "name": a.actor.name, "type": a.actor.type, "country": a.actor.country,
            "acled_name": a.actor.acled_name, "provisional": a.actor.provisional, "incidents": a.incidents,
            "mentions": a.mentions, "deaths": a.deaths, "first": a.first, "last": a.last}


FORMAT = ExportFormat("parquet", "a folder of typed Parquet tables (incidents, sources, claims, relations, "
                      "documents, actors), partitioned by month", "", write_folder=write_parquet)
