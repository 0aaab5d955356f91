"""What several formats need: actor names and codes, the articles behind an incident, escaping, dates.

``sources`` reads the documents of one incident at a time (one small query each), and
``documents_by_id`` those of a bounded batch of incidents (one query per batch), so no format holds
more than a batch's articles; the actors table is read whole, once per export (one row per distinct
actor, not per incident).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pycountry

from khabar.actors.coding import load_coding
from khabar.query import ActorInfo, Archive
from khabar.records import Event, Incident, TimeSpan, Toll

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ARMED_TYPES = frozenset({"armed_group", "militia", "rebel_group", "terrorist_group"})
STATE_TYPES = frozenset({"state", "government", "state_forces", "military", "police"})


@dataclass(slots=True, frozen=True)
class SourceDoc:
    """An article that reports an incident, as a citation needs it."""

    doc_id: str
    outlet: str
    title: str
    url: str
    published: date | None
    path: str
    ingested_at: str


class Names:
    """Actor names and codings for one export: the store's actors, coded at a date by the registry when given."""

    def __init__(self, archive: Archive) -> None:
        """Read the actors table once."""
        self.archive = archive
        self.actors = archive.actor_table()
        self.coding = archive.registry.coding if archive.registry is not None else load_coding()

    def acled_side(self, event: Event) -> str:
        """The event's second side as ACLED codes it: none for the authority a crowd protests against."""
        return event.actor2 if self.coding.is_acled_side(event.event_type, event.actor2) else ""

    def name(self, actor_id: str) -> str:
        """The display name of an actor id ("" for none)."""
        if not actor_id:
            return ""
        info = self.actors.get(actor_id)
        return info.name if info else actor_id

    def info(self, actor_id: str) -> ActorInfo:
        """The stored actor, or a stand-in named by its id."""
        return self.actors.get(actor_id) or ActorInfo(actor_id, actor_id)

    def acled(self, actor_id: str, day: date | None) -> str:
        """The actor's ACLED name at a date (its display name when the registry has none)."""
        if not actor_id:
            return ""
        registry = self.archive.registry
        coded = registry.acled_name(actor_id, day) if registry is not None else ""
        return coded or self.info(actor_id).acled_name or self.name(actor_id)

    def inter(self, actor_id: str, day: date | None) -> int | None:
        """The actor's ACLED inter code at a date, when the registry knows it."""
        registry = self.archive.registry
        if not actor_id or registry is None:
            return None
        return registry.phase_at(actor_id, day).inter

    def kind(self, actor_id: str, day: date | None) -> str:
        """The actor's type at a date (state, armed_group, civilians, person, ...)."""
        registry = self.archive.registry
        if registry is not None and registry.get(actor_id) is not None:
            return registry.phase_at(actor_id, day).type
        return self.info(actor_id).type


def sources(archive: Archive, incident: Incident) -> list[SourceDoc]:
    """The articles an incident's sources come from, in the order of its sources."""
    ids = list(dict.fromkeys(s.doc_id for s in incident.sources))
    found = documents_by_id(archive, ids)
    return [found[i] for i in ids if i in found]


def documents_by_id(archive: Archive, ids: Iterable[str]) -> dict[str, SourceDoc]:
    """The stored articles with these ids, by id, in one query (ids the store lacks are left out)."""
    rows = archive.store.db.execute(
        "SELECT doc_id, outlet, title, url, published, path, ingested_at FROM documents "
        "WHERE doc_id IN (SELECT value FROM json_each(?))", (_json_list(list(ids)),)).fetchall()
    return {r[0]: SourceDoc(r[0], r[1], r[2], r[3], date.fromisoformat(r[4]) if r[4] else None, r[5], r[6])
            for r in rows}


def store_times(archive: Archive) -> tuple[str, str]:
    """The first and last ingest times of the store as RFC 3339 UTC text (fixed for a given store)."""
    first, last = archive.store.db.execute("SELECT min(ingested_at), max(ingested_at) FROM documents").fetchone()
    return _rfc3339(first), _rfc3339(last)


def csv_cell(value: Any) -> Any:
    """A value safe in a spreadsheet: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        text = CONTROL.sub("", value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """Every cell of a row made safe for a spreadsheet."""
    return {key: csv_cell(value) for key, value in row.items()}


def one_line(text: str) -> str:
    """Text on one line, its runs of whitespace as single spaces."""
    return " ".join(text.split())


def best(toll: Toll | None) -> int | None:
    """A toll's best figure (its low one when no best is given)."""
    if toll is None:
        return None
    return toll.best if toll.best is not None else toll.low


def precision_date(e: Event) -> str:
    """The event's date written to its precision: 2021-08-26, 2021-08-23/29, 2021-08, 2021 or 2019-2021."""
    return span_text(e.time)


def span_text(span: TimeSpan | None) -> str:
    """A time span written to its precision ("" for none), as ``precision_date`` writes an event's."""
    if span is None:
        return ""
    start, end = span.start, span.end
    if span.precision == "month":
        return start.strftime("%Y-%m")
    if span.precision == "year":
        return str(start.year)
    if span.precision == "years":
        return f"{start.year}-{end.year}"
    if start == end:
        return start.isoformat()
    tail = end.strftime("%d") if (start.year, start.month) == (end.year, end.month) else end.strftime("%m-%d")
    return f"{start.isoformat()}/{tail}"


def country_name(code: str) -> str:
    """A country's common name from its ISO alpha-2 code (the code itself when unknown)."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(getattr(found, "common_name", None) or found.name) if found else code


def country_numeric(code: str) -> int | None:
    """A country's ISO 3166 numeric code."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return int(found.numeric) if found else None


def country_alpha3(code: str) -> str:
    """A country's ISO alpha-3 code ("" when unknown)."""
    found = pycountry.countries.get(alpha_2=code) if code else None
    return str(found.alpha_3) if found else ""


def kind_of(e: Event) -> str:
    """The most specific type of an event: ACLED sub-type, type, PLOVER type or case label."""
    return e.sub_event_type or e.event_type or e.plover_type or e.case_label


def _rfc3339(text: str | None) -> str:
    """An ISO timestamp as RFC 3339 UTC with milliseconds (1970 when missing)."""
    if not text:
        return "1970-01-01T00:00:00.000Z"
    return text[:19] + ".000Z"


def _json_list(values: list[str]) -> str:
    """A JSON list of strings."""
    return json.dumps(values)
