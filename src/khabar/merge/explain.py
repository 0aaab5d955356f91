"""Why an incident is what it is, in plain lines for ``khabar show``: its sources, their values and users' edits."""

from __future__ import annotations

from typing import Any

from khabar.records import Document, Event, Incident, Toll
from khabar.store import Store
from khabar.store.merging import Edit


def explain(incident: Incident, store: Store, docs: dict[str, Document], asked: str = "") -> list[str]:
    """Lines on an incident's ids, review, independent reports and each source's values and reasons."""
    lines = ["## How this incident was merged", ""]
    if asked and not incident.incident_id.lower().startswith(asked.lower()):
        lines.append(f"- `{asked}` was merged into this incident; it still resolves here.")
    aliases = store.aliases_of(incident.incident_id)
    if aliases:
        lines.append(f"- Earlier ids: {', '.join(aliases)}")
    decision = _latest_review(incident, store.edits())
    if decision is not None:
        verb = f"{decision.action.capitalize()}ed"
        lines.append(f"- {verb} by {decision.user} at {decision.at} (edit {decision.edit_id})")
    lines.append(f"- {_counted(incident)}")
    links = {link.source_id: link for link in incident.links}
    for n, source in enumerate(incident.sources, start=1):
        link = links.get(source.event_id)
        why = ("first report" if not link.reasons else "joined: " + ", ".join(link.reasons)) if link else ""
        copy = f"; copy of {link.copy_group[:12]}" if link and link.copy_group not in ("", source.doc_id) else ""
        lines.append(f"  {n}. {_label(source, docs)}: {_values(source, store)}; {why}{copy}")
    return [*lines, ""]


def _counted(incident: Incident) -> str:
    """How many sources an incident has, and how many independent reports they are."""
    total = len(incident.sources)
    independent = incident.independent or total
    if total == 1:
        return "1 source:"
    if independent == total:
        return f"{total} sources, each an independent report:"
    return (f"{total} sources, {independent} independent report{'s' if independent != 1 else ''} "
            "(near-duplicate copies of one article count once, in the toll too):")


def _label(source: Event, docs: dict[str, Document]) -> str:
    """A source's document as a short label."""
    doc = docs.get(source.doc_id)
    name = (doc.outlet or doc.path) if doc else ""
    when = f", {doc.published}" if doc and doc.published else ""
    return f"doc {source.doc_id[:12]}" + (f" ({name}{when})" if name or when else "")


def _values(e: Event, store: Store) -> str:
    """What one source says: toll, actors, place and date."""
    place = e.place.place.name if e.place and e.place.place else (e.place.surface if e.place else "?")
    when = "?" if e.time is None else str(e.time.start)
    if e.time is not None and e.time.end != e.time.start:
        when += f"..{e.time.end}"
    actors = " vs ".join(store.actor_name(a) for a in (e.actor1, e.actor2) if a) or "?"
    return f"killed {_toll(e.fatalities)}, injured {_toll(e.injuries)}, actors {actors}, place {place}, date {when}"


def _toll(toll: Toll | None) -> str:
    """A toll's best value (or its range) as text."""
    if toll is None:
        return "?"
    best = toll.best if toll.best is not None else toll.low
    return str(best) if toll.high in (None, best) else f"{best} ({toll.low}-{toll.high})"


def _latest_review(incident: Incident, edits: list[Edit]) -> Edit | None:
    """The latest reject or accept edit about any of an incident's sources."""
    ids = {s.event_id for s in incident.sources}
    reviews = [e for e in edits if e.action in ("reject", "accept") and ids & set(e.sources)]
    return reviews[-1] if reviews else None


def edit_row(edit: Edit) -> dict[str, Any]:
    """A flat row describing one edit, for `khabar incidents edits`."""
    return {"edit": edit.edit_id, "at": edit.at, "user": edit.user, "action": edit.action,
            "incident": edit.incident, "other": edit.other, "sources": len(edit.sources) + len(edit.other_sources)}
