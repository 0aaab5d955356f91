"""ACLED's export layout: its columns in its order, one row per incident with an ACLED event type.

Actors are written by their ACLED names at the incident's date (and ``inter`` codes) when the
archive has the registry; ``notes`` tell the incident as ACLED's notes do ("On 26 August 2021, ...")
from the source sentences; ``source`` names the outlets; ``tags`` carry khabar's status, confidence
and the sources' disagreements; ``region`` is ACLED's world region of the country
(``data/acled_regions.yaml``). Political interactions coded only in PLOVER have no ACLED type and
are left out, and so are incidents without coordinates (every ACLED row has them; the ``csv`` and
``jsonl`` formats keep them). ``khabar eval acled FILE`` reads the file back.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TextIO

from khabar.export.common import (
    Names,
    SourceDoc,
    best,
    country_alpha3,
    country_name,
    country_numeric,
    csv_row,
    one_line,
    sources,
)
from khabar.export.format import ExportFormat
from khabar.export.regions import Admin1Parts, acled_admin1, load_admin1_parts, load_regions
from khabar.query import Archive, Filters
from khabar.records import Event, Incident

COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
           "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
           "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
           "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp")
DISORDER = {"Protests": "Demonstrations", "Strategic developments": "Strategic developments"}
CIVILIANS_INTER = 7
NOTE_CHARS = 600


def write_acled(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """One ACLED row per incident with an ACLED event type."""
    names, regions, parts = Names(archive), load_regions(), load_admin1_parts()
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for incident in archive.incidents(filters):
        if incident.event.event_type and _placed(incident):
            writer.writerow(csv_row(acled_row(incident, names, sources(archive, incident), regions, parts)))


def _placed(incident: Incident) -> bool:
    """Whether the incident has coordinates (every ACLED row has them)."""
    return incident.event.place is not None and incident.event.place.place is not None


def acled_row(incident: Incident, names: Names, docs: list[SourceDoc], regions: Mapping[str, str],
              parts: Admin1Parts) -> dict[str, Any]:
    """The ACLED columns of one incident.

    ``regions``: ACLED's region by country code (``load_regions``); ``parts``: the admin1 parts ACLED names
    (``load_admin1_parts``).
    """
    e = incident.event
    day = e.time.start if e.time else None
    place = e.place.place if e.place else None
    code = place.country if place else ""
    actor2 = names.acled_side(e)
    inter1, inter2 = names.inter(e.actor1, day), names.inter(actor2, day)
    return {
        "event_id_cnty": f"{country_alpha3(code) or 'XXX'}{incident.incident_id}",
        "event_date": day.isoformat() if day else "",
        "year": day.year if day else "",
        "time_precision": e.time.acled_precision if e.time else 3,
        "disorder_type": DISORDER.get(e.event_type, "Political violence"),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": names.acled(e.actor1, day),
        "assoc_actor_1": "; ".join(names.acled(a, day) for a in e.associated),
        "inter1": "" if inter1 is None else inter1,
        "actor2": names.acled(actor2, day),
        "assoc_actor_2": "",
        "inter2": "" if inter2 is None else inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if inter2 == CIVILIANS_INTER else "",
        "iso": country_numeric(code) or "",
        "region": regions.get(code, ""),
        "country": country_name(code),
        "admin1": acled_admin1(place, parts) if place else "",
        "admin2": place.admin2 if place else "",
        "admin3": "",
        "location": place.name if place else (e.place.surface if e.place else ""),
        "latitude": place.lat if place else "",
        "longitude": place.lon if place else "",
        "geo_precision": e.place.precision if e.place else 3,
        "source": "; ".join(dict.fromkeys(d.outlet or d.path for d in docs)),
        "source_scale": "",
        "notes": notes(incident, names),
        "fatalities": best(incident.fatalities) or 0,
        "tags": _tags(incident),
        "timestamp": _timestamp(docs),
    }


def notes(incident: Incident, names: Names) -> str:
    """ACLED-style notes: the date, who did what to whom where, the reports' own words and the toll."""
    e = incident.event
    day = f"{e.time.start.day} {e.time.start:%B %Y}" if e.time else "an unknown date"
    who = names.name(e.actor1) or "unidentified actors"
    whom = f" against {names.name(e.actor2)}" if e.actor2 else ""
    where = _where(e)
    lead = f"On {day}, {(e.sub_event_type or e.event_type).lower()} by {who}{whom}{where}."
    told = [one_line(s.evidence[0].text) for s in incident.sources if s.evidence][:2]
    toll = incident.fatalities
    said = f" {len(incident.sources)} reports; fatalities {_range(incident)}." if toll else ""
    text = " ".join([lead, *(f"[{t}]" for t in dict.fromkeys(told))]) + said
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS - 1] + "…"


def _where(e: Event) -> str:
    """" at PLACE (ADMIN1, COUNTRY)", or nothing when unplaced."""
    place = e.place.place if e.place else None
    if place is None:
        return f" at {e.place.surface}" if e.place else ""
    around = ", ".join(x for x in (place.admin1 if place.admin1 != place.name else "", country_name(place.country))
                       if x)
    return f" at {place.name}" + (f" ({around})" if around else "")


def _range(incident: Incident) -> str:
    """The toll as 'best (low-high)'."""
    toll = incident.fatalities
    if toll is None:
        return "unknown"
    low, high = toll.low, toll.high
    spread = f" (reports give {low}-{high})" if low is not None and high is not None and low != high else ""
    return f"{best(toll)}{spread}"


def _interaction(inter1: int | None, inter2: int | None) -> str:
    """ACLED's two-digit interaction code (the smaller inter first; one actor alone: its code and 0)."""
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    return f"{min(inter1, inter2)}{max(inter1, inter2)}"


def _tags(incident: Incident) -> str:
    """Khabar's status and confidence, and whether the sources disagree."""
    e = incident.event
    parts = [f"khabar status: {e.status}", f"confidence: {e.confidence:.2f}"]
    if incident.disagreements:
        parts.append("sources disagree")
    return "; ".join(parts)


def _timestamp(docs: list[SourceDoc]) -> int | str:
    """When the incident's last article was ingested, as Unix seconds (what ACLED's timestamp means)."""
    times = [d.ingested_at for d in docs if d.ingested_at]
    return int(datetime.fromisoformat(max(times)).timestamp()) if times else ""


FORMAT = ExportFormat("acled", "ACLED's export columns in ACLED's order (`khabar eval acled FILE` reads it back)",
                      ".csv", write=write_acled)
