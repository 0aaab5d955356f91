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

Incidents are read as the store's JSON of them and kept only as far as a bundle needs them
(``Stored``: most of an incident record is its sources' full codings, which a bundle does not use),
a batch of ``BATCH`` at a time, so that the articles their notes cite come in one query per batch.
Each object's own properties are JSON-encoded once, after a head of its type, id and timestamps.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, TextIO

from khabar.export.common import (
    ARMED_TYPES,
    STATE_TYPES,
    Names,
    SourceDoc,
    best,
    documents_by_id,
    one_line,
    span_text,
    store_times,
)
from khabar.export.format import ExportFormat
from khabar.query import Archive, Filters, PlaceActivity, RelationSummary
from khabar.records import Document, Evidence, TimeSpan, Toll

Record = dict[str, Any]  # a record's ``as_dict`` form, as the store keeps it

NAMESPACE = uuid.UUID("6f1c0b9e-3d4a-5e27-9b8c-1a2d3e4f5a6b")
NAMESPACE_BYTES = NAMESPACE.bytes
BATCH = 200  # incidents read, and their articles looked up, at a time
EMPTY: tuple[Any, ...] = (None, "", [])  # property values left out of an object
ENCODE = json.JSONEncoder(ensure_ascii=False).encode
VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}  # a UUID's 17th hex digit with variant bits 10
RELATIONSHIP_TYPES = {"hostile": "hostile-to", "allied": "allied-with", "cooperative": "cooperates-with",
                      "affiliate_of": "affiliated-with", "leads": "leads", "breakaway_of": "breakaway-of",
                      "tension": "tension-with", "member_of": "member-of"}
IDENTITY_CLASSES = {"person": "individual", "civilians": "class", "unidentified": "unknown"}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: the object type and a UUIDv5 of khabar's key for it (as ``uuid.uuid5``, faster)."""
    h = hashlib.sha1(NAMESPACE_BYTES + f"{kind}:{key}".encode()).hexdigest()
    # the first 16 bytes of the hash, with the version (5) and the RFC 4122 variant bits set
    return f"{kind}--{h[:8]}-{h[8:12]}-5{h[13:16]}-{VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


class Bundle:
    """Writes a bundle's objects to a stream as they come, remembering which actors it has written."""

    def __init__(self, archive: Archive, stream: TextIO) -> None:
        """Start a bundle whose timestamps are the store's first and last ingest times."""
        self.archive = archive
        self.stream = stream
        self.names = Names(archive)
        self.created, self.modified = store_times(archive)
        self.times = f'"created": {json.dumps(self.created)}, "modified": {json.dumps(self.modified)}'
        self.heads: dict[str, str] = {}  # the text of an object before its id, by type
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
        head = self.heads.get(kind) or self.heads.setdefault(
            kind, f'{{"type": {json.dumps(kind)}, "spec_version": "2.1", "id": "')
        # the text json.dumps(obj, ensure_ascii=False) gives, encoding only the object's own fields
        body = ENCODE({k: v for k, v in fields.items() if v not in EMPTY})
        tail = ", " + body[1:] if body != "{}" else "}"
        self.stream.write(f'{"," if self.count else ""}\n{head}{ident}", {self.times}{tail}')
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
    for batch in _batches(archive.incident_json(filters), BATCH):
        incidents = [Stored.of(json.loads(text)) for text in batch]
        docs = documents_by_id(archive, {doc_id for i in incidents for doc_id, _ in i.quotes})
        for incident in incidents:
            _incident(bundle, incident, docs)
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


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """The items in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass(slots=True, frozen=True)
class Stored:
    """What a bundle needs of a stored incident: its event's coding, place and toll, each source's first quote."""

    incident_id: str
    kind: str  # the most specific type, as ``common.kind_of`` gives it
    event_type: str
    sub_event_type: str
    plover_type: str
    status: str
    confidence: float
    actor1: str
    actor2: str
    claimed_by: str
    place: tuple[str, str] | None  # gazetteer id and name
    span: TimeSpan | None
    toll: Toll | None
    disagreements: tuple[str, ...]
    quotes: tuple[tuple[str, Evidence | None], ...]  # each source's document and first evidence

    @classmethod
    def of(cls, data: Record) -> Stored:
        """The parts of an incident's ``as_dict`` form (the store's JSON) a bundle uses."""
        e = data["event"]
        return cls(
            data["incident_id"],
            e.get("sub_event_type") or e.get("event_type") or e.get("plover_type") or e.get("case_label", ""),
            e.get("event_type", ""), e.get("sub_event_type", ""), e.get("plover_type", ""), e.get("status", "occurred"),
            e.get("confidence", 0.5), e.get("actor1", ""), e.get("actor2", ""), e.get("claimed_by", ""),
            _place(e.get("place")), _span(e.get("time")), _toll(data.get("fatalities")),
            tuple(data.get("disagreements", ())),
            tuple((s["doc_id"], _first_evidence(s.get("evidence"))) for s in data["sources"]))


def _place(mention: Record | None) -> tuple[str, str] | None:
    """The gazetteer id and name of a stored place mention's place (None when unresolved)."""
    place = mention.get("place") if mention is not None else None
    return (place["place_id"], place["name"]) if place is not None else None


def _span(time: Record | None) -> TimeSpan | None:
    """A time span from its stored form."""
    if time is None:
        return None
    return TimeSpan(date.fromisoformat(time["start"]), date.fromisoformat(time["end"]), time.get("precision", "day"))


def _toll(toll: Record | None) -> Toll | None:
    """A toll's figures from its stored form (without its evidence)."""
    return Toll(toll["low"], toll["best"], toll["high"]) if toll is not None else None


def _first_evidence(items: list[Record] | None) -> Evidence | None:
    """The first of a stored list of evidence, if any."""
    if not items:
        return None
    ev = items[0]
    return Evidence(ev["doc_id"], ev["sentence"], ev["start"], ev["end"], ev["text"])


def _incident(bundle: Bundle, incident: Stored, docs: dict[str, SourceDoc]) -> None:
    """An incident object, its relationships to its place and actors, and a note quoting its sources."""
    iid, span, toll, place = incident.incident_id, incident.span, incident.toll, incident.place
    where = f" at {place[1]}" if place is not None else ""
    ident = bundle.emit(
        "incident", iid, name=f"{span_text(span) or 'undated'}: {incident.kind}{where}",
        description=_description(incident, bundle.names), x_khabar_id=iid,
        x_khabar_date_start=span.start.isoformat() if span else None,
        x_khabar_date_end=span.end.isoformat() if span else None, x_khabar_event_type=incident.event_type,
        x_khabar_sub_event_type=incident.sub_event_type, x_khabar_plover_type=incident.plover_type,
        x_khabar_status=incident.status, x_khabar_fatalities_low=toll.low if toll else None,
        x_khabar_fatalities_best=best(toll), x_khabar_fatalities_high=toll.high if toll else None,
        x_khabar_confidence=round(incident.confidence, 3), x_khabar_sources=len(incident.quotes))
    actor1, actor2, claimed_by = incident.actor1, incident.actor2, incident.claimed_by
    if place is not None:
        _link(bundle, ident, "located-at", stix_id("location", _place_key(*place)))
    if actor1:
        _link(bundle, ident, "attributed-to", bundle.actor(actor1))
    if claimed_by and claimed_by != actor1:
        _link(bundle, ident, "attributed-to", bundle.actor(claimed_by))
    if actor1 and actor2:
        _link(bundle, bundle.actor(actor1), "targets", bundle.actor(actor2), key=iid,
              description=f"in incident {iid}")
    _note(bundle, incident, ident, docs)


def _description(incident: Stored, names: Names) -> str:
    """A plain sentence on the incident: who, against whom, the toll and the sources' disagreements."""
    who = " vs ".join(n for n in (names.name(incident.actor1), names.name(incident.actor2)) if n)
    toll = incident.toll
    parts = [f"{incident.kind} ({incident.status}); {who or 'unidentified actors'}"]
    if toll is not None:
        parts.append(f"killed {best(toll)} (range {toll.low}-{toll.high})")
    parts += [f"sources disagree: {d}" for d in incident.disagreements]
    return "; ".join(parts) + "."


def _note(bundle: Bundle, incident: Stored, ident: str, found: dict[str, SourceDoc]) -> None:
    """A note quoting each source's sentence with its article (``found``: the batch's articles by id)."""
    iid = incident.incident_id
    docs = {i: found[i] for i in dict.fromkeys(doc_id for doc_id, _ in incident.quotes) if i in found}
    lines = []
    for doc_id, ev in incident.quotes:
        doc = docs.get(doc_id)
        label = (doc.outlet or doc.path) if doc else doc_id
        published = f", {doc.published}" if doc and doc.published else ""
        if ev is not None:
            lines.append(f'"{one_line(ev.text)}" ({label}{published}; {ev.doc_id}@{ev.start}-{ev.end})')
    if lines:
        bundle.emit("note", f"evidence:{iid}", abstract=f"Evidence for incident {iid}", content="\n".join(lines),
                    object_refs=[ident], authors=sorted({(d.outlet or d.path) for d in docs.values()}))


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
