"""The plain formats: JSON lines of whole incident records, and CSV of one flat row per incident."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from khabar.export.common import Names, best, csv_row, kind_of, precision_date
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters
from khabar.records import Incident
from khabar.store import Store

CSV_COLUMNS = ("event_id", "date", "date_end", "date_precision", "type", "event_type", "plover_type", "place",
               "admin1", "country", "latitude", "longitude", "actor1", "actor2", "killed", "killed_low",
               "killed_high", "status", "claimed_by", "attributed_by", "sources", "confidence")


def write_jsonl(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """Every incident record as one JSON object a line (the store's own JSON of it, which is ``as_dict``'s)."""
    for text in archive.incident_json(filters):
        stream.write(text + "\n")


def write_csv(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """One flat row per incident, with a header; text a spreadsheet would run as a formula is defused."""
    names = Names(archive)
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for incident in archive.incidents(filters):
        writer.writerow(csv_row(incident_row(incident, names)))


def incident_row(incident: Incident, names: Names | Store) -> dict[str, Any]:
    """A flat row describing an incident (``names`` may also be a store, whose actors table is then read)."""
    if isinstance(names, Store):
        names = Names(Archive(names))
    e = incident.event
    place = e.place.place if e.place else None
    toll = incident.fatalities
    return {
        "event_id": incident.incident_id,
        "date": e.time.start.isoformat() if e.time else "",
        "date_end": e.time.end.isoformat() if e.time else "",
        "date_precision": e.time.precision if e.time else "",
        "shown_date": precision_date(e),
        "type": kind_of(e),
        "event_type": e.event_type,
        "plover_type": e.plover_type,
        "place": place.name if place else (e.place.surface if e.place else ""),
        "admin1": place.admin1 if place else "",
        "country": place.country if place else "",
        "latitude": place.lat if place else "",
        "longitude": place.lon if place else "",
        "actor1": names.name(e.actor1),
        "actor2": names.name(e.actor2),
        "killed": "" if best(toll) is None else best(toll),
        "killed_low": "" if toll is None or toll.low is None else toll.low,
        "killed_high": "" if toll is None or toll.high is None else toll.high,
        "status": e.status,
        "claimed_by": names.name(e.claimed_by),
        "attributed_by": names.name(e.attributed_by),
        "sources": incident.independent or len(incident.sources),  # near-duplicate copies count once
        "confidence": round(e.confidence, 2),
    }


JSONL = ExportFormat("jsonl", "every incident record, one JSON object a line (as `khabar events --format json`)",
                     ".jsonl", write=write_jsonl)
CSV = ExportFormat("csv", "one flat row per incident, formula-safe for spreadsheets", ".csv", write=write_csv)
