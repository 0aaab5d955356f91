"""GeoJSON (RFC 7946): a FeatureCollection of incidents as points, longitude first, written as it streams.

An incident without coordinates is a feature with a null geometry, as RFC 7946 allows, so counts
match the other formats; mapping tools skip it.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from khabar.export.common import Names, best, kind_of, precision_date, sources
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters
from khabar.records import Incident


def write_geojson(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """A FeatureCollection with one feature per incident."""
    names = Names(archive)
    stream.write('{"type": "FeatureCollection", "features": [')
    for n, incident in enumerate(archive.incidents(filters)):
        outlets = [d.outlet or d.path for d in sources(archive, incident)]
        stream.write(("\n" if n == 0 else ",\n") + json.dumps(feature(incident, names, outlets), ensure_ascii=False))
    stream.write("\n]}\n")


def feature(incident: Incident, names: Names, outlets: list[str]) -> dict[str, Any]:
    """One incident as a GeoJSON feature."""
    e = incident.event
    place = e.place.place if e.place else None
    toll = incident.fatalities
    geometry = {"type": "Point", "coordinates": [place.lon, place.lat]} if place else None
    return {"type": "Feature", "id": incident.incident_id, "geometry": geometry, "properties": {
        "date": e.time.start.isoformat() if e.time else None,
        "date_end": e.time.end.isoformat() if e.time else None,
        "date_precision": e.time.precision if e.time else None,
        "when": precision_date(e),
        "type": kind_of(e),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "plover_type": e.plover_type,
        "place": place.name if place else (e.place.surface if e.place else None),
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "actor1": names.name(e.actor1) or None,
        "actor2": names.name(e.actor2) or None,
        "fatalities": best(toll),
        "fatalities_low": toll.low if toll else None,
        "fatalities_high": toll.high if toll else None,
        "status": e.status,
        "sources": incident.independent or len(incident.sources),
        "outlets": list(dict.fromkeys(outlets)),
        "confidence": round(e.confidence, 3),
        "disagreements": list(incident.disagreements),
    }}


FORMAT = ExportFormat("geojson", "RFC 7946 FeatureCollection of incidents as points", ".geojson",
                      write=write_geojson)
