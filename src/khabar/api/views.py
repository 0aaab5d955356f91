"""Records to JSON for the API: an incident with its sources and explanation, a document's spans, stats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from khabar.export.basic import incident_row
from khabar.export.common import Names
from khabar.merge import explain
from khabar.query import Archive, Filters
from khabar.records import Document, Evidence, Incident, as_dict
from khabar.store import Store

STAT_TOP = 50


def incident_summary(incident: Incident, names: Names) -> dict[str, Any]:
    """A flat summary of an incident, for lists."""
    row = incident_row(incident, names)
    return {**row, "incident_id": incident.incident_id, "review": incident.review}


def incident_detail(incident: Incident, store: Store, asked: str = "") -> dict[str, Any]:
    """An incident in full: its coding, sources with their documents and evidence, disagreements, merge notes."""
    doc_ids = {s.doc_id for s in incident.sources}
    docs = {d.doc_id: d for d in store.documents(doc_ids, with_text=False)}
    sources = [{"event": as_dict(s), "document": document_meta(docs[s.doc_id]) if s.doc_id in docs else None,
                "evidence": [as_dict(e) for e in s.evidence]} for s in incident.sources]
    return {
        "incident_id": incident.incident_id,
        "incident": as_dict(incident),
        "sources": sources,
        "disagreements": list(incident.disagreements),
        "aliases": list(store.aliases_of(incident.incident_id)),
        "explanation": [line for line in explain.explain(incident, store, docs, asked) if line.strip()],
        "actor_names": _actor_names(incident, store),
    }


def _actor_names(incident: Incident, store: Store) -> dict[str, str]:
    """Display names of every actor the incident and its sources name, by id."""
    ids = {a for e in (incident.event, *incident.sources) for a in (e.actor1, e.actor2, e.claimed_by, e.attributed_by)}
    return {actor_id: name for actor_id in sorted(ids - {""}) if (name := store.actor_name(actor_id))}


def document_meta(document: Document) -> dict[str, Any]:
    """A document's metadata (never its file path on the server)."""
    return {"doc_id": document.doc_id, "title": document.title, "url": document.url, "outlet": document.outlet,
            "published": document.published.isoformat() if document.published else None,
            "published_source": document.published_source}


def document_view(document: Document, store: Store) -> dict[str, Any]:
    """A document's text with every evidence span khabar drew from it, as character offsets into ``text``."""
    spans = sorted(_spans(document.doc_id, store), key=lambda s: (s["start"], s["end"], s["kind"], s["ref"]))
    return {**document_meta(document), "text": document.text, "spans": spans}


def _spans(doc_id: str, store: Store) -> Iterator[dict[str, Any]]:
    """Evidence spans of a document's events, claims and relations, each once per (kind, ref, span)."""
    seen: set[tuple[str, str, int, int]] = set()
    found: list[tuple[str, str, str, Evidence]] = []
    for event in store.events_of_docs([doc_id]):
        found.extend(("event", event.event_id, "", e) for e in event.evidence)
        found.extend(("event", event.event_id, f.field, f.evidence) for f in event.field_evidence)
    for claim in store.claims(doc_id=doc_id):
        found.append(("claim", claim.claim_id, claim.stance, claim.evidence))
    for relation in store.relations(doc_id=doc_id):
        found.extend(("relation", f"{relation.a} {relation.b}", relation.type, e) for e in relation.evidence)
    for kind, ref, label, ev in found:
        key = (kind, f"{ref}/{label}", ev.start, ev.end)
        if ev.doc_id == doc_id and key not in seen:
            seen.add(key)
            yield {"kind": kind, "ref": ref, "field": label, "start": ev.start, "end": ev.end, "text": ev.text}


def stats(archive: Archive, filters: Filters) -> dict[str, Any]:
    """Counts of the incidents the filters keep: by type, first-level division, ISO week and actor."""
    names = Names(archive)
    by_type: Counter[str] = Counter()
    by_admin1: Counter[str] = Counter()
    by_week: Counter[str] = Counter()
    by_actor: Counter[str] = Counter()
    total = 0
    for incident in archive.incidents(filters.replace(limit=None)):
        total += 1
        e = incident.event
        by_type[e.event_type or "(none)"] += 1
        by_admin1[e.place.place.admin1 if e.place and e.place.place and e.place.place.admin1 else "(none)"] += 1
        if e.time is not None:
            year, week, _ = e.time.start.isocalendar()
            by_week[f"{year}-W{week:02d}"] += 1
        by_actor.update({names.name(a) for a in (e.actor1, e.actor2) if a})
    return {"incidents": total, "by_type": _ranked(by_type), "by_admin1": _ranked(by_admin1),
            "by_week": dict(sorted(by_week.items())), "by_actor": _ranked(by_actor)}


def _ranked(counts: Counter[str]) -> dict[str, int]:
    """The top counts, most first (ties by name)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:STAT_TOP])


def page(items: Iterable[Any], offset: int, limit: int) -> list[Any]:
    """Items ``offset`` to ``offset + limit`` of an iterable (the query already stops at their end)."""
    return [item for n, item in enumerate(items) if n >= offset][:limit]
