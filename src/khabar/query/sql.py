"""Filters to SQL: the WHERE conditions over the store's tables that each kind of record is kept by.

Every condition is a ``(sql, parameters)`` pair; incident conditions name the ``events`` table as
``e``. Names a filter gives (an actor, a place, a country) are resolved to ids first, by
``archive.py``, and arrive here as ``Resolved``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from khabar.query.filters import Filters

Clause = tuple[str, tuple[Any, ...]]
KM_PER_DEGREE = 111.32
SOURCES = "(CASE WHEN e.n_independent > 0 THEN e.n_independent ELSE e.n_sources END)"
CONFIDENCE = "json_extract(e.data, '$.event.confidence')"
ORDERS = {
    "date": "e.date_start IS NULL, e.date_start, e.event_id",
    "-date": "e.date_start IS NULL, e.date_start DESC, e.event_id",
    "deaths": "coalesce(e.fatalities_best, e.fatalities_low, -1) DESC, e.date_start, e.event_id",
    "sources": f"{SOURCES} DESC, e.date_start, e.event_id",
    "confidence": f"{CONFIDENCE} DESC, e.date_start, e.event_id",
}


@dataclass(slots=True, frozen=True)
class Resolved:
    """The ids and coordinates the names in a filter stand for."""

    actors: tuple[str, ...] = ()
    country: str = ""
    place_ids: tuple[str, ...] = ()
    centre: tuple[float, float] | None = None
    text: str = ""


def incident_clauses(f: Filters, r: Resolved) -> list[Clause]:
    """Conditions on ``events e`` for every filter given."""
    clauses = selecting_clauses(f, r)
    if f.since is not None:
        clauses.append(("e.date_end >= ?", (f.since.isoformat(),)))
    if f.until is not None:
        clauses.append(("e.date_start <= ?", (f.until.isoformat(),)))
    if f.actor:
        ids = _json(r.actors)
        either = "(e.actor1 IN (SELECT value FROM json_each(?)) OR e.actor2 IN (SELECT value FROM json_each(?)))"
        clauses.append((either, (ids, ids)))
    if r.text:
        clauses.append(("e.event_id IN (SELECT s.event_id FROM event_sources s WHERE s.rowid IN "
                        "(SELECT rowid FROM source_search WHERE source_search MATCH ?))", (r.text,)))
    return clauses


def selecting_clauses(f: Filters, r: Resolved) -> list[Clause]:
    """Conditions on ``events e`` for the filters that pick incidents by what they are (not when or who)."""
    clauses: list[Clause] = [] if f.rejected else [("e.review != 'rejected'", ())]
    if r.country:
        clauses.append(("e.country = ?", (r.country,)))
    if f.admin1:
        clauses.append(("lower(e.admin1) = lower(?)", (f.admin1,)))
    if f.place:
        clauses.append(_place_clause(f, r))
    if f.type:
        kind = f.type.strip().lower()
        clauses.append(("(lower(e.event_type) = ? OR lower(e.sub_event_type) = ? OR lower(e.plover_type) = ?)",
                        (kind, kind, kind)))
    if f.statuses:
        clauses.append(("e.status IN (SELECT value FROM json_each(?))", (_json(f.statuses),)))
    if f.min_sources:
        clauses.append((f"{SOURCES} >= ?", (f.min_sources,)))
    if f.min_confidence:
        clauses.append((f"{CONFIDENCE} >= ?", (f.min_confidence,)))
    return clauses


def _place_clause(f: Filters, r: Resolved) -> Clause:
    """Incidents at the place, or within ``within_km`` of it (a box on the index, then the exact distance)."""
    if f.within_km is None or r.centre is None:
        return ("(e.place_id IN (SELECT value FROM json_each(?)) OR lower(e.place_name) = lower(?))",
                (_json(r.place_ids), f.place))
    lat, lon = r.centre
    dlat = f.within_km / KM_PER_DEGREE
    dlon = f.within_km / max(KM_PER_DEGREE * math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
    return ("(e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ? AND khabar_km(e.lat, e.lon, ?, ?) <= ?)",
            (lat - dlat, lat + dlat, lon - dlon, lon + dlon, lat, lon, f.within_km))


def document_clauses(f: Filters, r: Resolved, column: str = "doc_id", day: str = "") -> list[Clause]:
    """Conditions keeping records of documents: published in the period, reporting a selected incident, ...

    ``column`` names the document id column of the table queried; ``day`` an SQL date expression of
    the record (the document's publication date when empty).
    """
    when = day or f"(SELECT d.published FROM documents d WHERE d.doc_id = {column})"
    clauses: list[Clause] = []
    if f.since is not None:
        clauses.append((f"{when} >= ?", (f.since.isoformat(),)))
    if f.until is not None:
        clauses.append((f"{when} <= ?", (f.until.isoformat(),)))
    if f.selects_incidents:
        where, params = where_sql(selecting_clauses(f, r))
        clauses.append((f"{column} IN (SELECT s.doc_id FROM event_sources s JOIN events e "
                        f"ON e.event_id = s.event_id {where})", params))
    return clauses


def text_in_documents(r: Resolved, column: str = "doc_id") -> list[Clause]:
    """A condition keeping records of documents whose event sentences match the text search."""
    if not r.text:
        return []
    return [(f"{column} IN (SELECT s.doc_id FROM event_sources s WHERE s.rowid IN "
             "(SELECT rowid FROM source_search WHERE source_search MATCH ?))", (r.text,))]


def where_sql(clauses: Sequence[Clause]) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause joining conditions with AND, and their parameters in order."""
    if not clauses:
        return "", ()
    return "WHERE " + " AND ".join(sql for sql, _ in clauses), tuple(p for _, values in clauses for p in values)


def limit_sql(f: Filters) -> tuple[str, tuple[Any, ...]]:
    """A LIMIT clause (-1: none) and its parameter."""
    return "LIMIT ?", (-1 if f.limit is None else f.limit,)


def fts_query(text: str) -> str:
    """An FTS5 query from what a user typed: each word quoted, "quoted phrases" and a trailing * kept."""
    terms: list[str] = []
    for phrase_no, part in enumerate(text.split('"')):
        if phrase_no % 2:
            if part.strip():
                terms.append(_quoted(part.strip()))
            continue
        for word in part.split():
            if word in ("OR", "NOT", "AND"):
                terms.append(word)
            elif word.endswith("*") and len(word) > 1:
                terms.append(_quoted(word[:-1]) + "*")
            else:
                terms.append(_quoted(word))
    while terms and terms[-1] in ("OR", "NOT", "AND"):
        terms.pop()
    while terms and terms[0] in ("OR", "NOT", "AND"):
        terms.pop(0)
    return " ".join(terms)


def _quoted(word: str) -> str:
    """One FTS5 string token, its double quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def _json(values: Sequence[str]) -> str:
    """A JSON list of strings, for ``json_each``."""
    return json.dumps(list(values))
