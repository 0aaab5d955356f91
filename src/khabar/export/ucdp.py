"""UCDP GED's layout: organised violence only, one row per incident, deaths as low/best/high.

An incident is organised violence when it is a battle, explosion or attack (not a protest, riot or
strategic development) with an organised actor on the first side. Its type of violence follows
UCDP: 1 state-based (a state on either side), 2 non-state (organised groups on both sides), 3
one-sided (civilians on the other side). Deaths go to ``deaths_civilians`` for one-sided violence
and to ``deaths_unknown`` otherwise (khabar does not split a toll by side).
"""

from __future__ import annotations

import csv
from typing import Any, TextIO

from khabar.export.common import STATE_TYPES, Names, SourceDoc, best, country_name, csv_row, one_line, sources
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters
from khabar.records import Incident

COLUMNS = ("id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b", "source_article",
           "where_prec", "adm_1", "adm_2", "latitude", "longitude", "country", "event_clarity", "date_prec",
           "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high",
           "low")
ORGANISED = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
UNORGANISED = frozenset({"civilians", "unidentified", "person", "media", "ngo", "igo", ""})
STATE_BASED, NON_STATE, ONE_SIDED = 1, 2, 3


def write_ucdp(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """One GED row per incident of organised violence."""
    names = Names(archive)
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for incident in archive.incidents(filters):
        kind = violence_type(incident, names)
        if kind:
            writer.writerow(csv_row(ged_row(incident, kind, names, sources(archive, incident))))


def violence_type(incident: Incident, names: Names) -> int:
    """UCDP's type of violence of an incident, or 0 when it is not organised violence."""
    e = incident.event
    day = e.time.start if e.time else None
    if e.event_type not in ORGANISED or e.status not in ("occurred", "background"):
        return 0
    a, b = names.kind(e.actor1, day), names.kind(e.actor2, day)
    if a in UNORGANISED and b in STATE_TYPES:
        a, b = b, a
    if a in UNORGANISED:
        return 0
    if b == "civilians" or (not e.actor2 and e.event_type == "Violence against civilians"):
        return ONE_SIDED
    if a in STATE_TYPES or b in STATE_TYPES:
        return STATE_BASED
    return NON_STATE


def ged_row(incident: Incident, kind: int, names: Names, docs: list[SourceDoc]) -> dict[str, Any]:
    """The GED columns of one incident."""
    e = incident.event
    place = e.place.place if e.place else None
    side_a, side_b = names.name(e.actor1), names.name(e.actor2) or ("civilians" if kind == ONE_SIDED else "")
    country = country_name(place.country) if place else ""
    toll = incident.fatalities
    killed = best(toll) or 0
    return {
        "id": incident.incident_id,
        "year": e.time.start.year if e.time else "",
        "type_of_violence": kind,
        "conflict_name": f"{country}: {side_b or side_a}" if kind == STATE_BASED else f"{side_a} - {side_b}",
        "dyad_name": f"{side_a} - {side_b}",
        "side_a": side_a,
        "side_b": side_b,
        "source_article": "; ".join(_citation(d) for d in docs),
        "where_prec": e.place.ucdp_precision if e.place else 7,
        "adm_1": place.admin1 if place else "",
        "adm_2": place.admin2 if place else "",
        "latitude": place.lat if place else "",
        "longitude": place.lon if place else "",
        "country": country,
        "event_clarity": 1 if e.status == "occurred" and not incident.disagreements else 2,
        "date_prec": e.time.ucdp_precision if e.time else 5,
        "date_start": e.time.start.isoformat() if e.time else "",
        "date_end": e.time.end.isoformat() if e.time else "",
        "deaths_a": 0,
        "deaths_b": 0,
        "deaths_civilians": killed if kind == ONE_SIDED else 0,
        "deaths_unknown": 0 if kind == ONE_SIDED else killed,
        "best": killed,
        "high": toll.high if toll and toll.high is not None else killed,
        "low": toll.low if toll and toll.low is not None else killed,
    }


def _citation(doc: SourceDoc) -> str:
    """An article as GED cites one: outlet, date, title."""
    parts = [doc.outlet or doc.path, doc.published.isoformat() if doc.published else "", one_line(doc.title)]
    return ", ".join(p for p in parts if p)


FORMAT = ExportFormat("ucdp", "UCDP GED's columns: organised violence only, deaths as low/best/high", ".csv",
                      write=write_ucdp)
