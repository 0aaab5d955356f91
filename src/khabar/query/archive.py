"""The read side of a store: ``Archive`` streams incidents, actors, claims, relations, places and documents.

Every method takes the same ``Filters`` (or its fields as keyword arguments) and returns an
iterator that reads rows as it is consumed, so exports and reports keep memory flat whatever the
store's size. Names in a filter (an actor's name or alias, a place, a country) are resolved to ids
once per call; a name the store does not know is a ``ConfigError`` that says how to list the names
it does know.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pycountry

from khabar.actors import Registry, normalise
from khabar.errors import ConfigError, StoreError
from khabar.query.filters import Filters
from khabar.query.records import (
    ActorActivity,
    ActorInfo,
    DyadActivity,
    IncidentPoint,
    PlaceActivity,
    RelationSummary,
)
from khabar.query.sql import (
    ORDERS,
    Clause,
    Resolved,
    document_clauses,
    fts_query,
    incident_clauses,
    limit_sql,
    text_in_documents,
    where_sql,
)
from khabar.records import Claim, Document, Incident, Relation
from khabar.store import Store, open_store
from khabar.store.codec import decode
from khabar.store.tables import document_from_row

EARTH_KM = 6371.0
DOCUMENT_COLUMNS = ("doc_id, path, title, url, outlet, published, published_source, published_window_start, "
                    "published_window_end")


class Archive:
    """Filtered, streaming reads of one store; ``registry`` (optional) lets actor filters use its aliases."""

    def __init__(self, store: Store, registry: Registry | None = None) -> None:
        """Read from an open store."""
        self.store = store
        self.registry = registry
        store.db.create_function("khabar_km", 4, _km, deterministic=True)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def incidents(self, filters: Filters | None = None, /, **given: Any) -> Iterator[Incident]:
        """Incidents matching the filters, in the filters' order, at most ``limit`` of them."""
        f = _filters(filters, given)
        where, params = where_sql(incident_clauses(f, self.resolve(f)))
        limit, more = limit_sql(f)
        sql = f"SELECT e.data FROM events e {where} ORDER BY {ORDERS[f.sort]} {limit}"
        return self._records(Incident, sql, (*params, *more))

    def incident_points(self, filters: Filters | None = None, /, **given: Any) -> Iterator[IncidentPoint]:
        """The kept incidents' type, date, place, toll and actors from the table's columns, in the filters' order."""
        f = _filters(filters, given)
        sql, params = self._select(
            "e.event_id, e.event_type, coalesce(nullif(e.sub_event_type, ''), nullif(e.event_type, ''), "
            "nullif(e.plover_type, ''), e.family), e.date_start, e.lat, e.lon, e.place_name, "
            "coalesce(e.fatalities_best, e.fatalities_low), e.actor1, e.actor2, "
            "CASE WHEN e.n_independent > 0 THEN e.n_independent ELSE e.n_sources END FROM events e",
            incident_clauses(f, self.resolve(f)), ORDERS[f.sort], f)
        for row in self.store.db.execute(sql, params):
            yield IncidentPoint(row[0], row[1], row[2], _day(row[3]), row[4], row[5], row[6], row[7], row[8],
                                row[9], row[10])

    def incident_json(self, filters: Filters | None = None, /, **given: Any) -> Iterator[str]:
        """The incidents ``incidents`` yields, as the JSON text the store keeps (``as_dict`` form), undecoded."""
        f = _filters(filters, given)
        where, params = where_sql(incident_clauses(f, self.resolve(f)))
        limit, more = limit_sql(f)
        sql = f"SELECT e.data FROM events e {where} ORDER BY {ORDERS[f.sort]} {limit}"
        return (str(row[0]) for row in self.store.db.execute(sql, (*params, *more)))

    def count_incidents(self, filters: Filters | None = None, /, **given: Any) -> int:
        """How many incidents match the filters, ignoring ``limit``."""
        f = _filters(filters, given)
        where, params = where_sql(incident_clauses(f, self.resolve(f)))
        return int(self.store.db.execute(f"SELECT count(*) FROM events e {where}", params).fetchone()[0])

    def incident(self, incident_id: str) -> Incident | None:
        """One incident by id, alias or unique id prefix."""
        return self.store.incident(incident_id)

    def claims(self, filters: Filters | None = None, /, **given: Any) -> Iterator[Claim]:
        """Claims of the documents the filters keep (by speaker or subject when ``actor`` is given), by document."""
        f = _filters(filters, given)
        r = self.resolve(f)
        day = "coalesce(json_extract(c.data, '$.day'), (SELECT d.published FROM documents d WHERE d.doc_id = c.doc_id))"
        clauses = document_clauses(f, r, "c.doc_id", day)
        if f.actor:
            ids = json.dumps(list(r.actors))
            clauses.append(("(c.speaker IN (SELECT value FROM json_each(?)) OR "
                            "json_extract(c.data, '$.subject') IN (SELECT value FROM json_each(?)))", (ids, ids)))
        if r.text:
            clauses.append(("c.rowid IN (SELECT rowid FROM claim_search WHERE claim_search MATCH ?)", (r.text,)))
        return self._records(Claim, *self._select("c.data FROM claims c", clauses, "c.doc_id, c.rowid", f))

    def relations(self, filters: Filters | None = None, /, **given: Any) -> Iterator[Relation]:
        """Relations seen in the documents the filters keep (involving ``actor``, when given), by pair and type."""
        f = _filters(filters, given)
        clauses = self._relation_clauses(f)
        return self._records(Relation, *self._select("r.data FROM relations r", clauses, "r.a, r.b, r.type, r.id", f))

    def relation_summaries(self, filters: Filters | None = None, /, **given: Any) -> Iterator[RelationSummary]:
        """Relations deduplicated by actor pair and type, with their documents, evidence and time span."""
        f = _filters(filters, given)
        where, params = where_sql(self._relation_clauses(f))
        sql = (f"SELECT r.a, r.b, r.type, r.data, (SELECT d.published FROM documents d WHERE d.doc_id = r.doc_id) "
               f"FROM relations r {where} ORDER BY r.a, r.b, r.type, r.id")
        summaries = _summarise_relations(self.store.db.execute(sql, params))
        return summaries if f.limit is None else _take(summaries, f.limit)

    def documents(self, filters: Filters | None = None, /, *, with_text: bool = False, **given: Any
                  ) -> Iterator[Document]:
        """Documents the filters keep (published in the period, reporting a kept incident, ...), by path."""
        f = _filters(filters, given)
        r = self.resolve(f)
        clauses = [*document_clauses(f, r, "d.doc_id", "d.published"), *text_in_documents(r, "d.doc_id")]
        if f.actor:
            clauses.append(("d.doc_id IN (SELECT m.doc_id FROM mentions m WHERE m.kind = 'actor' AND m.ref IN "
                            "(SELECT value FROM json_each(?)))", (json.dumps(list(r.actors)),)))
        text = "d.text" if with_text else "'' AS text"
        sql, params = self._select(f"{DOCUMENT_COLUMNS}, {text} FROM documents d", clauses, "d.path, d.rowid", f)
        cursor = self.store.db.cursor()
        cursor.row_factory = sqlite3.Row
        return (document_from_row(row) for row in cursor.execute(sql, params))

    def document_incidents(self, filters: Filters | None = None, /, **given: Any
                           ) -> Iterator[tuple[Document, tuple[str, ...]]]:
        """Each document reporting a kept incident, with the ids of the kept incidents it reports, by doc id."""
        f = _filters(filters, given)
        where, params = where_sql(incident_clauses(f, self.resolve(f)))
        limit, more = limit_sql(f)
        kept = f"SELECT e.event_id FROM events e {where} ORDER BY {ORDERS[f.sort]} {limit}"
        sql = (f"SELECT {', '.join('d.' + c.strip() for c in DOCUMENT_COLUMNS.split(','))}, '' AS text, "
               "group_concat(s.event_id, ' ') AS ids FROM event_sources s JOIN documents d ON d.doc_id = s.doc_id "
               f"WHERE s.event_id IN ({kept}) GROUP BY s.doc_id ORDER BY s.doc_id")
        cursor = self.store.db.cursor()
        cursor.row_factory = sqlite3.Row
        for row in cursor.execute(sql, (*params, *more)):
            yield document_from_row(row), tuple(sorted(set(row["ids"].split())))

    def documents_by_id(self, ids: Iterable[str]) -> dict[str, Document]:
        """The documents with these ids (without their texts), by id."""
        return {d.doc_id: d for d in self.store.documents(ids, with_text=False)}

    def actors(self, filters: Filters | None = None, /, **given: Any) -> Iterator[ActorActivity]:
        """Actors on either side of the incidents the filters keep, most incidents first."""
        f = _filters(filters, given)
        where, params = where_sql(incident_clauses(f, self.resolve(f)))
        limit, more = limit_sql(f)
        sql = (
            "WITH sel AS (SELECT e.actor1, e.actor2, e.fatalities_best, e.date_start, e.date_end "
            f"FROM events e {where}), "
            "hits AS (SELECT actor1 AS actor_id, fatalities_best AS killed, date_start, date_end FROM sel "
            "WHERE actor1 != '' UNION ALL SELECT actor2, fatalities_best, date_start, date_end FROM sel "
            "WHERE actor2 != '' AND actor2 != actor1), "
            "g AS (SELECT actor_id, count(*) AS n, sum(coalesce(killed, 0)) AS killed, min(date_start) AS first, "
            "max(date_end) AS last FROM hits GROUP BY actor_id) "
            "SELECT g.actor_id, coalesce(a.name, g.actor_id), coalesce(a.type, ''), coalesce(a.country, ''), "
            "coalesce(a.acled_name, ''), coalesce(a.provisional, 0), g.n, g.killed, g.first, g.last, "
            "(SELECT count(*) FROM mentions m WHERE m.kind = 'actor' AND m.ref = g.actor_id) "
            "FROM g LEFT JOIN actors a ON a.actor_id = g.actor_id "
            f"ORDER BY g.n DESC, g.killed DESC, g.actor_id {limit}")
        for row in self.store.db.execute(sql, (*params, *more)):
            info = ActorInfo(row[0], row[1], row[2], row[3], row[4], bool(row[5]))
            yield ActorActivity(info, row[6], row[10], row[7], _day(row[8]), _day(row[9]))

    def dyads(self, filters: Filters | None = None, /, **given: Any) -> Iterator[DyadActivity]:
        """Actor pairs (first side, second side) of the incidents the filters keep, most incidents first."""
        f = _filters(filters, given)
        where, params = where_sql([*incident_clauses(f, self.resolve(f)), ("e.actor1 != '' AND e.actor2 != ''", ())])
        limit, more = limit_sql(f)
        sql = ("SELECT e.actor1, e.actor2, count(*) AS n, sum(coalesce(e.fatalities_best, 0)) AS killed, "
               f"min(e.date_start), max(e.date_end) FROM events e {where} GROUP BY e.actor1, e.actor2 "
               f"ORDER BY n DESC, killed DESC, e.actor1, e.actor2 {limit}")
        for row in self.store.db.execute(sql, (*params, *more)):
            yield DyadActivity(row[0], row[1], row[2], row[3], _day(row[4]), _day(row[5]))

    def places(self, filters: Filters | None = None, /, **given: Any) -> Iterator[PlaceActivity]:
        """Places of the incidents the filters keep, most incidents first."""
        f = _filters(filters, given)
        where, params = where_sql([*incident_clauses(f, self.resolve(f)), ("e.lat IS NOT NULL", ())])
        limit, more = limit_sql(f)
        sql = ("SELECT coalesce(e.place_id, ''), e.place_name, e.lat, e.lon, e.country, e.admin1, count(*) AS n, "
               "sum(coalesce(e.fatalities_best, 0)) AS killed, min(e.date_start), max(e.date_end) "
               f"FROM events e {where} GROUP BY e.place_id, e.place_name ORDER BY n DESC, killed DESC, "
               f"e.place_name, e.place_id {limit}")
        for row in self.store.db.execute(sql, (*params, *more)):
            yield PlaceActivity(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], _day(row[8]),
                                _day(row[9]))

    def actor_table(self) -> dict[str, ActorInfo]:
        """Every stored actor by id (the actors table is small: one row per distinct actor)."""
        rows = self.store.db.execute("SELECT actor_id, name, type, country, acled_name, provisional FROM actors")
        return {r[0]: ActorInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows}

    def resolve(self, f: Filters) -> Resolved:
        """The ids and coordinates the filter's names stand for; a name the store lacks is a ConfigError."""
        place_ids, centre = self._place(f.place) if f.place else ((), None)
        return Resolved(actors=self._actor_ids(f.actor) if f.actor else (), country=_country(f.country),
                        place_ids=place_ids, centre=centre, text=fts_query(f.text) if f.text else "")

    def _actor_ids(self, name: str) -> tuple[str, ...]:
        """Actor ids a name stands for: an id, a stored name or ACLED name, a surface the texts used, an alias."""
        key = normalise(name)
        found = {str(r[0]) for r in self.store.db.execute(
            "SELECT actor_id FROM actors WHERE actor_id = ? OR lower(name) = lower(?) OR lower(acled_name) = lower(?) "
            "UNION SELECT ref FROM mentions WHERE kind = 'actor' AND lower(surface) = lower(?) "
            "UNION SELECT actor1 FROM events WHERE actor1 = ? UNION SELECT actor2 FROM events WHERE actor2 = ?",
            (name, name, name, name, name, name))}
        if self.registry is not None:
            found |= {entry.actor_id for entry in self.registry.lookup(key)}
            found |= {a.actor_id for a in self.registry.all() if normalise(a.name) == key}
        if not found:
            raise ConfigError(f"no actor named {name!r} in the store; list the actors with `khabar actors`")
        return tuple(sorted(found))

    def _place(self, name: str) -> tuple[tuple[str, ...], tuple[float, float] | None]:
        """Place ids named so in the store and the coordinates of the busiest, or a "lat,lon" point."""
        point = _point(name)
        if point is not None:
            return (), point
        rows = self.store.db.execute(
            "SELECT place_id, lat, lon, count(*) AS n FROM (SELECT e.place_id, e.lat, e.lon FROM events e "
            "WHERE lower(e.place_name) = lower(?) AND e.lat IS NOT NULL UNION ALL SELECT p.place_id, p.lat, p.lon "
            "FROM places p WHERE lower(p.name) = lower(?)) GROUP BY place_id ORDER BY n DESC, place_id",
            (name, name)).fetchall()
        if not rows:
            raise ConfigError(f"no place named {name!r} in the store; list the places with `khabar places`, "
                              "or give a point as LAT,LON")
        return tuple(str(r[0]) for r in rows), (float(rows[0][1]), float(rows[0][2]))

    def _relation_clauses(self, f: Filters) -> list[Clause]:
        """Conditions on ``relations r`` for the filters."""
        r = self.resolve(f)
        clauses = [*document_clauses(f, r, "r.doc_id"), *text_in_documents(r, "r.doc_id")]
        if f.actor:
            ids = json.dumps(list(r.actors))
            clauses.append(("(r.a IN (SELECT value FROM json_each(?)) OR r.b IN (SELECT value FROM json_each(?)))",
                            (ids, ids)))
        return clauses

    def _select(self, what: str, clauses: list[Clause], order: str, f: Filters) -> tuple[str, tuple[Any, ...]]:
        """A SELECT with the conditions, an order ending in a unique key, and the limit."""
        where, params = where_sql(clauses)
        limit, more = limit_sql(f)
        return f"SELECT {what} {where} ORDER BY {order} {limit}", (*params, *more)

    def _records(self, cls: type[Any], sql: str, params: tuple[Any, ...]) -> Iterator[Any]:
        """Decode the JSON record in each row's first column as rows are read."""
        return (decode(cls, json.loads(row[0])) for row in self.store.db.execute(sql, params))


def open_archive(path: str | Path, registry: Registry | None = None) -> Archive:
    """Open an existing store for reading; ``registry`` lets actor filters use the registry's aliases."""
    target = Path(path)
    if not target.exists():
        raise StoreError(f"{target} does not exist; create it with `khabar ingest --db {target} FILES...`")
    return Archive(open_store(target), registry)


def _filters(filters: Filters | None, given: dict[str, Any]) -> Filters:
    """The filters passed, or built from keyword arguments (both: the keywords change the filters)."""
    if filters is None:
        return Filters(**given)
    return filters.replace(**given) if given else filters


def _country(text: str) -> str:
    """The ISO alpha-2 code of a country code or name ("" for none)."""
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text.strip()).alpha_2)
    except LookupError as exc:
        raise ConfigError(f"country {text!r} is not an ISO 3166 code or country name; give e.g. AF, AFG or "
                          "Afghanistan") from exc


def _point(text: str) -> tuple[float, float] | None:
    """A "lat,lon" point, or None when the text is a name."""
    parts = text.split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ConfigError(f"place {text!r} is not a point on Earth; give LAT,LON with -90..90 and -180..180")
    return lat, lon


def _km(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    """Great-circle distance in km (None when the first point is missing)."""
    if lat1 is None or lon1 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _day(text: str | None) -> date | None:
    """A date from ISO text, or None."""
    return date.fromisoformat(text[:10]) if text else None


def _summarise_relations(rows: Iterable[tuple[Any, ...]]) -> Iterator[RelationSummary]:
    """Group relation rows ordered by (a, b, type) into summaries, one group in memory at a time."""
    group: list[tuple[Relation, date | None]] = []
    for a, b, kind, data, published in rows:
        if group and (group[0][0].a, group[0][0].b, group[0][0].type) != (a, b, kind):
            yield _summary(group)
            group = []
        group.append((decode(Relation, json.loads(data)), _day(published)))
    if group:
        yield _summary(group)


def _summary(group: list[tuple[Relation, date | None]]) -> RelationSummary:
    """One pair-and-type's relations as a summary."""
    first = group[0][0]
    days = [d for r, pub in group for d in (r.start or pub, r.end or r.start or pub) if d is not None]
    evidence = [e for r, _ in group for e in r.evidence]
    return RelationSummary(first.a, first.b, first.type, first.directed, tuple(sorted({r.doc_id for r, _ in group})),
                           len(evidence), min(days) if days else None, max(days) if days else None,
                           evidence[0] if evidence else None)


def _take(items: Iterator[RelationSummary], limit: int) -> Iterator[RelationSummary]:
    """The first ``limit`` items."""
    for n, item in enumerate(items):
        if n >= limit:
            return
        yield item

