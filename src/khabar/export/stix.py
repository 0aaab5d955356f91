"""STIX 2.1: a bundle of actors, places, incidents, relations and the articles that report them.

- armed groups are ``threat-actor`` objects; states, forces, organisations, people and civilians
  ``identity`` objects (identity classes organization, individual, class, unknown);
- each place is a ``location``; each incident an ``incident`` with ``x_khabar_*`` properties for its
  date, type, toll, status and confidence, ``located-at`` its location, ``attributed-to`` its first
  actor (and to whoever claimed it), with a ``note`` quoting its source sentences;
- each deduplicated relation between two actors is a ``relationship`` (``hostile-to``, ``member-of``,
  ...) over the span it was seen, with its evidence count;
- each source article is a ``report`` referring to the incidents it tells of.

Ids are UUIDv5 of khabar's own ids, so exporting the same store again gives the same ids and a
STIX consumer updates its objects instead of duplicating them; ``created`` and ``modified`` are the
store's first and last ingest times. Objects are written as they stream; the only table kept is of the
actors already written (one entry per distinct actor).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, TextIO

from khabar.export.common import (
    ARMED_TYPES,
    STATE_TYPES,
    Names,
    best,
    kind_of,
    one_line,
    precision_date,
    sources,
    store_times,
)
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters, PlaceActivity, RelationSummary
from khabar.records import Document, Incident

NAMESPACE = uuid.UUID("6f1c0b9e-3d4a-5e27-9b8c-1a2d3e4f5a6b")
RELATIONSHIP_TYPES = {"hostile": "hostile-to", "allied": "allied-with", "cooperative": "cooperates-with",
                      "affiliate_of": "affiliated-with", "leads": "leads", "breakaway_of": "breakaway-of",
                      "tension": "tension-with", "member_of": "member-of"}
IDENTITY_CLASSES = {"person": "individual", "civilians": "class", "unidentified": "unknown"}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the object type and a UUIDv5 of khabar's key for it (as ``uuid.uuid5``, faster)."""
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{kind}--{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Bundle:
    """Writes a bundle's objects to a stream as they come, remembering which actors it has written."""

    def __init__(self, archive: Archive, stream: TextIO) -> None:
        """Start a bundle whose timestamps are the store's first and last ingest times."""
        self.archive = archive
        self.stream = stream
        self.names = Names(archive)
        self.created, self.modified = store_times(archive)
        self.actors_written: dict[str, str] = {}
        self.count = 0

    def open(self) -> None:
        """Write the bundle's head (its id is that of the store's path and times)."""
        key = f"{self.archive.store.path}:{self.created}"
        self.stream.write(f'{{"type": "bundle", "id": "{stix_id("bundle", key)}", "objects": [')

    def close(self) -> None:
        """Close the object list and the bundle."""
        self.stream.write("\n]}\n")

    def emit(self, kind: str, key: str, **fields: Any) -> str:
        """Write one object with the common properties; returns its id."""
        ident = stix_id(kind, key)
        obj = {"type": kind, "spec_version": "2.1", "id": ident, "created": self.created,
               "modified": self.modified, **{k: v for k, v in fields.items() if v not in (None, "", [])}}
        self.stream.write(("\n" if self.count == 0 else ",\n") + json.dumps(obj, ensure_ascii=False))
        self.count += 1
        return ident

    def actor(self, actor_id: str) -> str:
        """The id of an actor's object, writing the object the first time."""
        if actor_id in self.actors_written:
            return self.actors_written[actor_id]
        kind = "threat-actor" if self.names.info(actor_id).type in ARMED_TYPES else "identity"
        self.actors_written[actor_id] = stix_id(kind, actor_id)
        info = self.names.info(actor_id)
        description = ", ".join(x for x in (info.type.replace("_", " "), info.country) if x)
        if kind == "threat-actor":
            return self.emit(kind, actor_id, name=info.name, description=description, x_khabar_id=actor_id)
        identity_class = IDENTITY_CLASSES.get(info.type, "organization")
        sectors = ["government-national"] if info.type in STATE_TYPES else None
        return self.emit(kind, actor_id, name=info.name, description=description, identity_class=identity_class,
                         sectors=sectors, x_khabar_id=actor_id)


def write_stix(archive: Archive, filters: Filters, stream: TextIO) -> None:
    """A STIX 2.1 bundle of what the filters keep."""
    bundle = Bundle(archive, stream)
    bundle.open()
    for place in archive.places(filters.replace(limit=None)):
        _location(bundle, place)
    for incident in archive.incidents(filters):
        _incident(bundle, incident)
    for summary in archive.relation_summaries(filters.replace(limit=None)):
        _relation(bundle, summary)
    for document, incident_ids in archive.document_incidents(filters):
        _report(bundle, document, incident_ids)
    bundle.close()


def _location(bundle: Bundle, place: PlaceActivity) -> None:
    """A location object for a place."""
    bundle.emit("location", _place_key(place.place_id, place.name), name=place.name, latitude=place.lat,
                longitude=place.lon, country=place.country, administrative_area=place.admin1)


def _place_key(place_id: str, name: str) -> str:
    """Khabar's key of a place: its gazetteer id, or its name when it has none."""
    return place_id or f"name:{name}"


def _incident(bundle: Bundle, incident: Incident) -> None:
    """An incident object, its relationships to its place and actors, and a note quoting its sources."""
    e = incident.event
    place = e.place.place if e.place else None
    toll = incident.fatalities
    where = f" at {place.name}" if place else ""
    ident = bundle.emit(
        "incident", incident.incident_id, name=f"{precision_date(e) or 'undated'}: {kind_of(e)}{where}",
        description=_description(incident, bundle.names), x_khabar_id=incident.incident_id,
        x_khabar_date_start=e.time.start.isoformat() if e.time else None,
        x_khabar_date_end=e.time.end.isoformat() if e.time else None, x_khabar_event_type=e.event_type,
        x_khabar_sub_event_type=e.sub_event_type, x_khabar_plover_type=e.plover_type, x_khabar_status=e.status,
        x_khabar_fatalities_low=toll.low if toll else None, x_khabar_fatalities_best=best(toll),
        x_khabar_fatalities_high=toll.high if toll else None, x_khabar_confidence=round(e.confidence, 3),
        x_khabar_sources=len(incident.sources))
    if place is not None:
        _link(bundle, ident, "located-at", stix_id("location", _place_key(place.place_id, place.name)))
    if e.actor1:
        _link(bundle, ident, "attributed-to", bundle.actor(e.actor1))
    if e.claimed_by and e.claimed_by != e.actor1:
        _link(bundle, ident, "attributed-to", bundle.actor(e.claimed_by))
    if e.actor1 and e.actor2:
        _link(bundle, bundle.actor(e.actor1), "targets", bundle.actor(e.actor2), key=incident.incident_id,
              description=f"in incident {incident.incident_id}")
    _note(bundle, incident, ident)


def _description(incident: Incident, names: Names) -> str:
    """A plain sentence on the incident: who, against whom, the toll and the sources' disagreements."""
    e = incident.event
    who = " vs ".join(n for n in (names.name(e.actor1), names.name(e.actor2)) if n) or "unidentified actors"
    toll = incident.fatalities
    parts = [f"{kind_of(e)} ({e.status}); {who}"]
    if toll is not None:
        parts.append(f"killed {best(toll)} (range {toll.low}-{toll.high})")
    parts += [f"sources disagree: {d}" for d in incident.disagreements]
    return "; ".join(parts) + "."


def _note(bundle: Bundle, incident: Incident, ident: str) -> None:
    """A note quoting each source's sentence with its article."""
    docs = {d.doc_id: d for d in sources(bundle.archive, incident)}
    lines = []
    for source in incident.sources:
        doc = docs.get(source.doc_id)
        label = (doc.outlet or doc.path) if doc else source.doc_id
        published = f", {doc.published}" if doc and doc.published else ""
        for ev in source.evidence[:1]:
            lines.append(f'"{one_line(ev.text)}" ({label}{published}; {ev.doc_id}@{ev.start}-{ev.end})')
    if lines:
        bundle.emit("note", f"evidence:{incident.incident_id}",
                    abstract=f"Evidence for incident {incident.incident_id}",
                    content="\n".join(lines), object_refs=[ident],
                    authors=sorted({(d.outlet or d.path) for d in docs.values()}))


def _link(bundle: Bundle, source: str, kind: str, target: str, key: str = "", **fields: Any) -> None:
    """A relationship between two objects (``key`` tells apart several between the same two)."""
    bundle.emit("relationship", f"{source}|{kind}|{target}|{key}", relationship_type=kind, source_ref=source,
                target_ref=target, **fields)


def _relation(bundle: Bundle, r: RelationSummary) -> None:
    """A relationship for a deduplicated relation between two actors, over the span it was seen."""
    a, b = bundle.actor(r.a), bundle.actor(r.b)
    example = f' e.g. "{one_line(r.example.text)}" ({r.example.doc_id})' if r.example else ""
    _link(bundle, a, RELATIONSHIP_TYPES.get(r.type, r.type.replace("_", "-")), b,
          description=f"{r.type} in {len(r.doc_ids)} documents, {r.evidence_count} pieces of evidence;{example}",
          start_time=_instant(r.start), stop_time=_instant(r.end + timedelta(days=1)) if r.end else None,
          x_khabar_evidence_count=r.evidence_count, x_khabar_documents=list(r.doc_ids))


def _report(bundle: Bundle, document: Document, incident_ids: tuple[str, ...]) -> None:
    """A report for one source article, referring to the incidents it tells of."""
    reference: dict[str, Any] = {"source_name": document.outlet or "khabar", "external_id": document.doc_id}
    if document.url.lower().startswith(("http://", "https://")):
        reference["url"] = document.url
    bundle.emit("report", f"document:{document.doc_id}",
                name=one_line(document.title) or f"{document.outlet or document.path} {document.published or ''}",
                published=_instant(document.published) or bundle.created, report_types=["threat-report"],
                object_refs=[stix_id("incident", i) for i in incident_ids], external_references=[reference])


def _instant(day: date | None) -> str | None:
    """Midnight UTC of a date as a STIX timestamp."""
    return f"{day.isoformat()}T00:00:00.000Z" if day else None


def objects(text: str) -> Iterator[dict[str, Any]]:
    """The objects of a bundle written by ``write_stix`` (for tests and tools that read it back)."""
    yield from json.loads(text)["objects"]


FORMAT = ExportFormat("stix", "STIX 2.1 bundle: actors, locations, incidents, relationships, notes and reports",
                      ".json", write=write_stix)
