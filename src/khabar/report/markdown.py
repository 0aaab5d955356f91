"""The report as Markdown: scope, summary, key incidents by section, claims, relations; every source escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from khabar.export.common import SourceDoc, best, country_name, kind_of, precision_date
from khabar.records import Event, Evidence, Incident, Toll
from khabar.report.escape import md
from khabar.report.model import NotableClaim, Report, Section, Tally


def render(report: Report) -> str:
    """The whole report as Markdown text."""
    lines = [f"# {md(report.title)}", "", scope_line(report), ""]
    lines += _summary(report)
    for section in report.sections:
        lines += _section(section, report.names)
    lines += _claims(report)
    lines += _relations(report)
    if report.errors:
        lines += ["## Files not ingested", "", *[f"- {md(m)}" for m in report.errors], ""]
    return "\n".join(lines).rstrip() + "\n"


def scope_line(report: Report) -> str:
    """One line on what the report covers: period, area, incidents, articles and outlets, and the filters."""
    period = f"{report.first} to {report.last}" if report.first and report.last else "undated"
    places = ", ".join(f"{country_name(c)} ({n})" for c, n in report.countries.most_common(5)) or "no placed incidents"
    more = f" and {len(report.countries) - 5} more countries" if len(report.countries) > 5 else ""
    given = filters_text(report)
    return (f"**Scope:** {period}; {places}{more}; {report.total.incidents} incidents from {report.articles} "
            f"articles by {report.outlets} outlets" + (f"; filters: {md(given)}" if given else "") + ".")


def filters_text(report: Report) -> str:
    """The filters given, as ``name=value`` text."""
    f = report.filters
    pairs = [(name, getattr(f, name)) for name in ("since", "until", "country", "admin1", "place", "within_km",
                                                    "actor", "type", "status", "min_sources", "min_confidence",
                                                    "text")]
    return ", ".join(f"{name}={value}" for name, value in pairs if value not in (None, "", 0, 0.0))


def _summary(report: Report) -> list[str]:
    """Incidents and deaths by type, area and period, and the most active actors and dyads."""
    if not report.total.incidents:
        return ["No incident matches.", ""]
    lines = ["## Summary", "", f"{report.total.incidents} incidents; deaths {_tally(report.total)}.", ""]
    lines += _table("Type", sorted(report.by_type.items(), key=lambda kv: (-kv[1].incidents, kv[0])))
    areas = sorted(report.by_area.items(), key=lambda kv: (-kv[1].incidents, kv[0]))
    lines += _table("Area (admin1)", areas[:15])
    if len(areas) > 15:
        lines += [f"{len(areas) - 15} more areas with {sum(t.incidents for _, t in areas[15:])} incidents.", ""]
    busy = [(str(k), v) for k, v in report.by_period.items() if v.incidents]
    lines += _table(report.period_unit.capitalize() + " starting", busy)
    if report.actors:
        lines += ["### Most active actors", "", "| actor | incidents | deaths | first | last |",
                  "|---|---|---|---|---|"]
        lines += [f"| {md(a.actor.name)} | {a.incidents} | {a.deaths} | {a.first or ''} | {a.last or ''} |"
                  for a in report.actors]
        lines.append("")
    if report.dyads:
        lines += ["### Most active dyads", "", "| side 1 | side 2 | incidents | deaths |", "|---|---|---|---|"]
        lines += [f"| {md(report.names.get(d.actor1, d.actor1))} | {md(report.names.get(d.actor2, d.actor2))} | "
                  f"{d.incidents} | {d.deaths} |" for d in report.dyads]
        lines.append("")
    return lines


def _table(heading: str, rows: Iterable[tuple[str, Tally]]) -> list[str]:
    """A table of tallies: incidents and deaths as best (low-high)."""
    lines = [f"| {heading} | incidents | deaths best | low | high |", "|---|---|---|---|---|"]
    lines += [f"| {md(key)} | {t.incidents} | {t.best} | {t.low} | {t.high} |" for key, t in rows]
    return [*lines, ""]


def _tally(t: Tally) -> str:
    """Deaths as 'best (range low-high)'."""
    return f"{t.best} (range {t.low}-{t.high})" if t.low != t.high else str(t.best)


def _section(section: Section, names: Mapping[str, str]) -> list[str]:
    """A section's key incidents in date order, and how many more match."""
    lines = [f"## {section.title}", ""]
    if section.more:
        lines += [f"Key incidents in date order: {len(section.shown)} of {len(section.shown) + section.more}; "
                  f"{section.more} more incidents; use --limit to show more.", ""]
    for key in section.shown:
        lines += incident_lines(key.incident, names, {d.doc_id: d for d in key.docs})
    return lines


def incident_lines(incident: Incident, names: Mapping[str, str], docs: Mapping[str, SourceDoc]) -> list[str]:
    """The lines describing one incident, its confidence, its sources and their disagreements."""
    e = incident.event
    lines = [f"### {when_text(e)}: {md(kind_text(e))}, {md(where_text(e))} `{incident.incident_id}`", ""]
    lines.append(f"- Actors: {md(actors_text(e, names))}")
    lines.append(f"- Status: {e.status}{md(responsibility_text(e, names))}")
    if incident.fatalities or incident.injuries:
        lines.append(f"- Toll: killed {toll_text(incident.fatalities)}; injured {toll_text(incident.injuries)}")
    independent = incident.independent or len(incident.sources)
    lines.append(f"- Confidence: {e.confidence:.2f}; {independent} independent of {len(incident.sources)} reports")
    lines += [f"- Sources disagree: {md(note)}" for note in incident.disagreements]
    lines.append(f"- Sources ({len(incident.sources)}):")
    for source in incident.sources:
        lines.append(f"  - {cite(source.evidence[0], docs) if source.evidence else md(source.doc_id)}")
    return [*lines, ""]


def kind_text(e: Event) -> str:
    """The event's type as 'type / sub-type' (or PLOVER type / mode)."""
    return (" / ".join(x for x in (e.event_type, e.sub_event_type) if x)
            or " / ".join(x for x in (e.plover_type, e.plover_mode) if x) or kind_of(e))


def when_text(e: Event) -> str:
    """The event's date to its precision, flagged when it is only the publication date."""
    if e.time is None:
        return "date unknown"
    text = precision_date(e)
    return text + (" (publication date)" if "from_publication" in e.time.flags else "")


def where_text(e: Event) -> str:
    """The event's place as text."""
    if e.place is None:
        return "place unknown"
    p = e.place.place
    if p is None:
        return f"{e.place.surface} (unresolved)"
    return ", ".join(x for x in (p.name, p.admin1 if p.admin1 != p.name else "", p.country) if x)


def actors_text(e: Event, names: Mapping[str, str]) -> str:
    """The event's actors as text."""
    sides = [names.get(a, a) for a in (e.actor1, e.actor2) if a]
    extra = [names.get(a, a) for a in e.associated]
    text = " vs ".join(sides) if sides else "unidentified"
    return text + (f" (with {', '.join(extra)})" if extra else "")


def responsibility_text(e: Event, names: Mapping[str, str]) -> str:
    """Who claimed, was blamed for, or denied the event."""
    parts = []
    if e.claimed_by:
        channel = f" via {e.claim_channel}" if e.claim_channel else ""
        parts.append(f"claimed by {names.get(e.claimed_by, e.claimed_by)}{channel}")
    if e.attributed_by:
        who = names.get(e.actor1, e.actor1) if e.actor1 else "someone"
        parts.append(f"attributed to {who} by {names.get(e.attributed_by, e.attributed_by)}")
    if e.denied_by:
        parts.append(f"denied by {names.get(e.denied_by, e.denied_by)}")
    return "; " + "; ".join(parts) if parts else ""


def toll_text(toll: Toll | None) -> str:
    """A toll as 'best (range low-high)'."""
    if toll is None:
        return "unknown"
    figure = best(toll)
    if toll.low is not None and toll.high is not None and toll.low != toll.high:
        return f"{figure} (range {toll.low}-{toll.high})"
    if toll.low is not None and toll.high is None:
        return f"at least {toll.low}"
    return str(figure)


def cite(evidence: Evidence, docs: Mapping[str, SourceDoc]) -> str:
    """A citation: the sentence, then the outlet, date and character span, every part escaped."""
    doc = docs.get(evidence.doc_id)
    label = (doc.outlet or doc.path) if doc else evidence.doc_id
    published = f", {doc.published}" if doc and doc.published else ""
    return f'"{md(evidence.text)}" ({md(label)}{published}; {evidence.doc_id}@{evidence.start}-{evidence.end})'


def _claims(report: Report) -> list[str]:
    """Notable claims grouped by speaker, and disputes side by side."""
    if not report.claims:
        return []
    lines = ["## Claims", "", "Claims by a named speaker that give a figure, attribute an act, or deny or dispute "
             "one, grouped by speaker.", ""]
    speaker = None
    for c in report.claims:
        if c.speaker != speaker:
            speaker = c.speaker
            lines += [f"### {md(speaker)}", ""]
        lines.append(f"- {c.why}: {_claim_cite(c)}")
    lines.append("")
    if report.more_claims:
        lines += [f"{report.more_claims} more notable claims; narrow the filters to see them.", ""]
    disputed = [c for c in report.claims if c.disputed_by]
    if disputed:
        lines += ["### Disputes", "", "| claim | disputed by |", "|---|---|"]
        lines += [f"| {md(c.speaker)}: {_claim_cite(c)} | {md(', '.join(c.disputed_by))} |" for c in disputed]
        lines.append("")
    return lines


def _claim_cite(c: NotableClaim) -> str:
    """A claim's sentence and its article."""
    docs = {c.doc.doc_id: c.doc} if c.doc else {}
    return cite(c.claim.evidence, docs)


def _relations(report: Report) -> list[str]:
    """Relations between actors, one line per pair and type, with their evidence count."""
    if not report.relations:
        return []
    lines = ["## Relations", ""]
    for r in report.relations:
        arrow = "→" if r.directed else "—"
        span = f", {r.start} to {r.end}" if r.start and r.end and r.start != r.end else f", {r.start or 'undated'}"
        ex = r.example
        example = f': "{md(ex.text)}" ({ex.doc_id}@{ex.start}-{ex.end})' if ex else ""
        lines.append(f"- {md(report.names.get(r.a, r.a))} {arrow} {md(report.names.get(r.b, r.b))}: {r.type} "
                     f"({r.evidence_count} pieces of evidence in {len(r.doc_ids)} documents{span}){example}")
    if report.more_relations:
        lines.append(f"- {report.more_relations} more relations; use `khabar relations` to list them all.")
    return [*lines, ""]

