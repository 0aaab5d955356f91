"""The plain formats: JSON lines of whole incident records, and CSV of one flat row per incident."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from khabar.records import Incident, as_dict
from khabar.store import Store

Exporter = Callable[[Iterable[Incident], Store, TextIO], None]


def write_jsonl(incidents: Iterable[Incident], store: Store, stream: TextIO) -> None:
    """Every incident record as one JSON object a line."""
    for incident in incidents:
        stream.write(json.dumps(as_dict(incident), ensure_ascii=False) + "\n")


def write_csv(incidents: Iterable[Incident], store: Store, stream: TextIO) -> None:
    """One flat row per incident, with a header (only a header when there are none)."""
    writer: csv.DictWriter[str] | None = None
    for incident in incidents:
        row = incident_row(incident, store)
        if writer is None:
            writer = csv.DictWriter(stream, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
    if writer is None:
        csv.DictWriter(stream, fieldnames=["event_id"]).writeheader()


def incident_row(incident: Incident, store: Store) -> dict[str, Any]:
    """A flat row describing an incident."""
    e = incident.event
    place = e.place.place if e.place else None
    toll = incident.fatalities
    return {
        "event_id": incident.incident_id,
        "date": e.time.start.isoformat() if e.time else "",
        "date_end": e.time.end.isoformat() if e.time else "",
        "type": e.sub_event_type or e.event_type or e.plover_type or e.case_label,
        "event_type": e.event_type,
        "plover_type": e.plover_type,
        "place": place.name if place else (e.place.surface if e.place else ""),
        "admin1": place.admin1 if place else "",
        "country": place.country if place else "",
        "latitude": place.lat if place else "",
        "longitude": place.lon if place else "",
        "actor1": store.actor_name(e.actor1) if e.actor1 else "",
        "actor2": store.actor_name(e.actor2) if e.actor2 else "",
        "killed": "" if toll is None else (toll.best if toll.best is not None else toll.low),
        "killed_low": "" if toll is None or toll.low is None else toll.low,
        "killed_high": "" if toll is None or toll.high is None else toll.high,
        "status": e.status,
        "claimed_by": store.actor_name(e.claimed_by) if e.claimed_by else "",
        "attributed_by": store.actor_name(e.attributed_by) if e.attributed_by else "",
        "sources": incident.independent or len(incident.sources),  # near-duplicate copies count once
    }
