"""The report stage: a Markdown situation report whose every line cites its source sentence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from khabar.records import HAPPENED, Claim, Document, Event, Evidence, Incident, Relation, Toll
from khabar.store import Store

MAX_INCIDENTS = 25
MAX_ACTORS = 15
MAX_CLAIMS = 25


def build_report(store: Store, title: str = "Situation report", min_confidence: float = 0.0) -> str:
    """The whole situation report for what the store holds, leaving out incidents below ``min_confidence``."""
    documents = {d.doc_id: d for d in store.documents(with_text=False)}
    incidents = [i for i in store.incidents() if i.event.confidence >= min_confidence]
    lines = [f"# {title}", "", _scope(documents.values(), incidents), ""]
    lines += _incident_section("Key incidents", [i for i in incidents if i.event.family == "violence"],
                               store, documents)
    lines += _incident_section("Political developments", [i for i in incidents if i.event.family != "violence"],
                               store, documents)
    lines += _actor_section(store, incidents)
    lines += _relation_section(list(store.relations()), store, documents)
    lines += _claim_section(list(store.claims()), store, documents)
    lines += _error_section(list(store.errors()))
    return "\n".join(lines).rstrip() + "\n"


def _scope(documents: Iterable[Document], incidents: list[Incident]) -> str:
    """One line on what the report covers."""
    docs = list(documents)
    dates = sorted(d.published for d in docs if d.published)
    span = f", published {dates[0]} to {dates[-1]}" if dates else ""
    return f"{len(docs)} documents{span}; {len(incidents)} incidents after merging reports across documents."


def _incident_section(heading: str, incidents: list[Incident], store: Store, docs: dict[str, Document]) -> list[str]:
    """A section listing incidents, most deadly and then most recent first."""
    if not incidents:
        return []
    ranked = sorted(incidents, key=_incident_rank)[:MAX_INCIDENTS]
    lines = [f"## {heading}", ""]
    for incident in ranked:
        lines += _incident_lines(incident, store, docs)
    return lines


def _incident_rank(incident: Incident) -> tuple[int, int, int, int]:
    """Sort key: occurred first, then specific (placed below country level, dated within a month), then toll, newest."""
    e = incident.event
    toll = incident.fatalities.best or incident.fatalities.low or 0 if incident.fatalities else 0
    day = e.time.start.toordinal() if e.time else 0
    return (0 if e.status in HAPPENED else 1, -_specificity(e), -int(toll), -day)


def _specificity(e: Event) -> int:
    """How concrete an event's coding is: 0-2 points for a sub-national place and a dated window."""
    place = e.place.place if e.place else None
    placed = place is not None and place.feature not in {"country", "region", "continent"}
    dated = e.time is not None and (e.time.end - e.time.start).days <= 31 and "from_publication" not in e.time.flags
    return int(placed) + int(dated)


def _incident_lines(incident: Incident, store: Store, docs: dict[str, Document]) -> list[str]:
    """The lines describing one incident and its sources."""
    e = incident.event
    kind = " / ".join(x for x in (e.event_type, e.sub_event_type) if x) or " / ".join(
        x for x in (e.plover_type, e.plover_mode) if x) or e.case_label
    lines = [f"### {_when(e)}: {kind}, {_where(e)} `{incident.incident_id}`", ""]
    lines.append(f"- Actors: {_actors(e, store)}")
    lines.append(f"- Status: {e.status}{_responsibility(e, store)}")
    if incident.fatalities or incident.injuries:
        lines.append(f"- Toll: killed {_toll(incident.fatalities)}; injured {_toll(incident.injuries)}")
    lines += [f"- Sources disagree: {note}" for note in incident.disagreements]
    lines.append(f"- Sources ({len(incident.sources)}):")
    for source in incident.sources:
        lines.append(f"  - {_cite(source.evidence[0], docs) if source.evidence else source.doc_id}")
    return [*lines, ""]


def _when(e: Event) -> str:
    """The event's date range as text, flagged when it is only the publication date."""
    if e.time is None:
        return "date unknown"
    text = e.time.start.isoformat() if e.time.start == e.time.end else f"{e.time.start} to {e.time.end}"
    return text + (" (publication date)" if "from_publication" in e.time.flags else "")


def _where(e: Event) -> str:
    """The event's place as text."""
    if e.place is None:
        return "place unknown"
    p = e.place.place
    if p is None:
        return f"{e.place.surface} (unresolved)"
    parts = [p.name, p.admin1 if p.admin1 != p.name else "", p.country]
    return ", ".join(x for x in parts if x)


def _actors(e: Event, store: Store) -> str:
    """The event's actors as text."""
    names = [store.actor_name(a) for a in (e.actor1, e.actor2) if a]
    extra = [store.actor_name(a) for a in e.associated]
    text = " vs ".join(names) if names else "unidentified"
    return text + (f" (with {', '.join(extra)})" if extra else "")


def _responsibility(e: Event, store: Store) -> str:
    """Who claimed, was blamed for, or denied the event."""
    parts = []
    if e.claimed_by:
        channel = f" via {e.claim_channel}" if e.claim_channel else ""
        parts.append(f"claimed by {store.actor_name(e.claimed_by)}{channel}")
    if e.attributed_by:
        parts.append(f"attributed to {store.actor_name(e.actor1) if e.actor1 else 'someone'} "
                     f"by {store.actor_name(e.attributed_by)}")
    if e.denied_by:
        parts.append(f"denied by {store.actor_name(e.denied_by)}")
    return "; " + "; ".join(parts) if parts else ""


def _toll(toll: Toll | None) -> str:
    """A toll as 'best (low-high)' text."""
    if toll is None:
        return "unknown"
    best = toll.best if toll.best is not None else toll.low
    if toll.low is not None and toll.high is not None and toll.low != toll.high:
        return f"{best} (range {toll.low}-{toll.high})"
    if toll.low is not None and toll.high is None:
        return f"at least {toll.low}"
    return str(best)


def _cite(evidence: Evidence, docs: dict[str, Document]) -> str:
    """A source citation: the sentence, then the document, outlet, date and character span."""
    doc = docs.get(evidence.doc_id)
    sentence = " ".join(evidence.text.split())
    label = doc.outlet or doc.path if doc else evidence.doc_id
    published = f", {doc.published}" if doc and doc.published else ""
    return f"\"{sentence}\" ({label}{published}; {evidence.doc_id}@{evidence.start}-{evidence.end})"


def _actor_section(store: Store, incidents: list[Incident]) -> list[str]:
    """The most active actors by incidents and mentions."""
    counts: Counter[str] = Counter()
    for incident in incidents:
        counts.update(a for a in {incident.event.actor1, incident.event.actor2} if a)
    mentions = store.actor_mention_counts()
    ranked = sorted(set(counts) | set(mentions), key=lambda a: (-counts[a], -mentions[a], a))[:MAX_ACTORS]
    if not ranked:
        return []
    lines = ["## Most active actors", "", "| actor | incidents | mentions |", "|---|---|---|"]
    lines += [f"| {store.actor_name(a)} | {counts[a]} | {mentions[a]} |" for a in ranked]
    return [*lines, ""]


def _relation_section(relations: list[Relation], store: Store, docs: dict[str, Document]) -> list[str]:
    """Relations between actors, one line per pair and type, with a source."""
    if not relations:
        return []
    grouped: dict[tuple[str, str, str], list[Relation]] = {}
    for r in relations:
        grouped.setdefault((r.a, r.b, r.type), []).append(r)
    lines = ["## Relations", ""]
    for (a, b, kind), items in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        first = next((r.evidence[0] for r in items if r.evidence), None)
        cite = f": {_cite(first, docs)}" if first else ""
        lines.append(f"- {store.actor_name(a)} → {store.actor_name(b)}: {kind} "
                     f"({len({r.doc_id for r in items})} documents){cite}")
    return [*lines, ""]


def _claim_section(claims: list[Claim], store: Store, docs: dict[str, Document]) -> list[str]:
    """Claims with numbers, denials and disputes: the open questions."""
    notable = [c for c in claims if c.quantities or c.stance != "asserts" or c.disputed_by][:MAX_CLAIMS]
    if not notable:
        return []
    lines = ["## Open and disputed claims", ""]
    for c in notable:
        disputed = f" Disputed by {', '.join(store.actor_name(d) for d in c.disputed_by)}." if c.disputed_by else ""
        lines.append(f"- {store.actor_name(c.speaker) if c.speaker else c.speaker_text} ({c.stance}): "
                     f"{_cite(c.evidence, docs)}.{disputed}")
    return [*lines, ""]


def _error_section(errors: list[tuple[str, str]]) -> list[str]:
    """Files that could not be ingested."""
    if not errors:
        return []
    return ["## Files not ingested", "", *[f"- {message}" for _, message in errors[-20:]], ""]


