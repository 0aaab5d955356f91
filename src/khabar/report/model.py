"""What a report says, gathered in one streaming pass over the filtered incidents; renderers only lay it out.

Memory stays flat: the pass keeps counters (by type, area, week), the few key incidents of each
section (a bounded heap) and the counts of the rest; claims and relations are read afterwards,
keeping only the notable ones up to a cap that the report states.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from khabar.export.common import Names, SourceDoc, best, country_name, sources
from khabar.query import ActorActivity, Archive, DyadActivity, Filters, RelationSummary
from khabar.query.periods import period_starts
from khabar.records import HAPPENED, Claim, Event, Incident, Place

PER_SECTION = 25
MAX_CLAIMS = 60
MAX_RELATIONS = 30
MAX_AREAS = 15
TOP_ACTORS = 10
WEEKLY_UP_TO_DAYS = 26 * 7
SECTIONS = (("violence", "Violence"), ("political", "Political developments"), ("other", "Other events"))


@dataclass(slots=True)
class Tally:
    """Incidents and their deaths as low/best/high sums."""

    incidents: int = 0
    low: int = 0
    best: int = 0
    high: int = 0

    def add(self, incident: Incident) -> None:
        """Count one incident and its toll."""
        toll = incident.fatalities
        self.incidents += 1
        if toll is not None:
            figure = best(toll) or 0
            self.low += toll.low if toll.low is not None else figure
            self.best += figure
            self.high += toll.high if toll.high is not None else figure


@dataclass(slots=True, frozen=True)
class KeyIncident:
    """An incident shown in full, with the articles it cites."""

    incident: Incident
    docs: tuple[SourceDoc, ...]


@dataclass(slots=True)
class Section:
    """One family of incidents: the key ones, chronologically, and how many more there are."""

    title: str
    shown: list[KeyIncident] = field(default_factory=list)
    more: int = 0


@dataclass(slots=True, frozen=True)
class NotableClaim:
    """A claim worth an analyst's eye: a named speaker with a figure, an attribution or a denial."""

    claim: Claim
    speaker: str
    why: str
    doc: SourceDoc | None
    disputed_by: tuple[str, ...]


@dataclass(slots=True)
class Report:
    """Everything a report shows."""

    title: str
    filters: Filters
    first: date | None = None
    last: date | None = None
    articles: int = 0
    outlets: int = 0
    countries: Counter[str] = field(default_factory=Counter)
    by_type: dict[str, Tally] = field(default_factory=dict)
    by_area: dict[str, Tally] = field(default_factory=dict)
    by_period: dict[date, Tally] = field(default_factory=dict)
    by_month: dict[date, Tally] = field(default_factory=dict)
    period_unit: str = "week"
    total: Tally = field(default_factory=Tally)
    points: list[tuple[float, float, int, str]] = field(default_factory=list)
    actors: list[ActorActivity] = field(default_factory=list)
    dyads: list[DyadActivity] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    claims: list[NotableClaim] = field(default_factory=list)
    more_claims: int = 0
    relations: list[RelationSummary] = field(default_factory=list)
    more_relations: int = 0
    errors: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


def gather(archive: Archive, filters: Filters, title: str, per_section: int = PER_SECTION,
           max_points: int = 5000) -> Report:
    """Read what the report needs from the archive (``filters.limit`` is ignored: ``per_section`` caps sections)."""
    f = filters.replace(limit=None)
    names = Names(archive)
    report = Report(title, filters)
    heaps: dict[str, list[tuple[tuple[float, ...], str, Incident]]] = {key: [] for key, _ in SECTIONS}
    counts: Counter[str] = Counter()
    for incident in archive.incidents(f):
        _tally(report, incident, max_points)
        family = incident.event.family if incident.event.family in heaps else "other"
        counts[family] += 1
        item = (_rank(incident), incident.incident_id, incident)
        heap = heaps[family]
        if len(heap) < per_section:
            heapq.heappush(heap, item)
        elif per_section and item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)
    report.by_period = _periods(report)
    for key, heading in SECTIONS:
        chosen = sorted((i for _, _, i in heaps[key]), key=_chronological)
        shown = [KeyIncident(i, tuple(sources(archive, i))) for i in chosen]
        if counts[key]:
            report.sections.append(Section(heading, shown, counts[key] - len(shown)))
    _articles(report, archive, f)
    report.actors = list(archive.actors(f.replace(limit=TOP_ACTORS)))
    report.dyads = list(archive.dyads(f.replace(limit=TOP_ACTORS)))
    _claims(report, archive, f, names)
    _relations(report, archive, f)
    report.errors = [message for _, message in archive.store.errors()][-20:]
    report.names = names_of(report, names)
    return report


def _tally(report: Report, incident: Incident, max_points: int) -> None:
    """Add one incident to the totals, the breakdowns and the map."""
    e = incident.event
    place = e.place.place if e.place else None
    report.total.add(incident)
    report.by_type.setdefault(e.event_type or e.plover_type or e.case_label or "untyped", Tally()).add(incident)
    report.by_area.setdefault(_area(place), Tally()).add(incident)
    if place is not None:
        report.countries[place.country] += 1
        if len(report.points) < max_points:
            report.points.append((place.lat, place.lon, best(incident.fatalities) or 0, e.family))
    if e.time is not None:
        report.first = min(report.first or e.time.start, e.time.start)
        report.last = max(report.last or e.time.end, e.time.end)
        week = e.time.start - timedelta(days=e.time.start.weekday())
        report.by_period.setdefault(week, Tally()).add(incident)
        report.by_month.setdefault(e.time.start.replace(day=1), Tally()).add(incident)


def _periods(report: Report) -> dict[date, Tally]:
    """The weekly tallies, or the monthly ones when the period is longer than half a year; empty periods too."""
    if report.first is None or report.last is None or (report.last - report.first).days <= WEEKLY_UP_TO_DAYS:
        tallies = report.by_period
    else:
        report.period_unit, tallies = "month", report.by_month
    if not tallies:
        return {}
    return {start: tallies.get(start) or Tally()
            for start in period_starts(min(tallies), max(tallies), report.period_unit)}


def _area(place: Place | None) -> str:
    """An incident's area: its admin1 and country, its country alone, or its place's name."""
    if place is None:
        return "place unknown"
    if place.admin1 and place.admin1 != country_name(place.country):
        return f"{place.admin1}, {country_name(place.country)}" if place.country else place.admin1
    return f"{country_name(place.country)} (no admin1)" if place.country else place.name


def _rank(incident: Incident) -> tuple[float, ...]:
    """Higher is more worth showing: occurred, specific, more independent sources, more confident, deadlier."""
    e = incident.event
    return (float(e.status in HAPPENED), float(_specificity(e)), float(incident.independent or len(incident.sources)),
            round(e.confidence, 2), float(best(incident.fatalities) or 0))


def _specificity(e: Event) -> int:
    """How concrete an event's coding is: 0-2 points for a sub-national place and a dated window."""
    place = e.place.place if e.place else None
    placed = place is not None and place.feature not in {"country", "region", "continent"}
    dated = e.time is not None and (e.time.end - e.time.start).days <= 31 and "from_publication" not in e.time.flags
    return int(placed) + int(dated)


def _chronological(incident: Incident) -> tuple[int, date, str]:
    """Sort key: dated incidents by start date, undated last."""
    e = incident.event
    return (0, e.time.start, incident.incident_id) if e.time else (1, date.max, incident.incident_id)


def _articles(report: Report, archive: Archive, f: Filters) -> None:
    """How many articles and outlets report the incidents kept."""
    outlets: set[str] = set()
    for document, _ in archive.document_incidents(f):
        report.articles += 1
        outlets.add(document.outlet or document.path)
    report.outlets = len(outlets)


def _claims(report: Report, archive: Archive, f: Filters, names: Names) -> None:
    """Notable claims of the kept documents, grouped by speaker, up to ``MAX_CLAIMS``."""
    found: list[NotableClaim] = []
    last_doc: tuple[str, SourceDoc | None] = ("", None)
    for claim in archive.claims(f):
        why = notable(claim)
        if not why:
            continue
        if len(found) >= MAX_CLAIMS:
            report.more_claims += 1
            continue
        if last_doc[0] != claim.doc_id:
            docs = archive.documents_by_id([claim.doc_id])
            doc = docs.get(claim.doc_id)
            last_doc = (claim.doc_id, SourceDoc(doc.doc_id, doc.outlet, doc.title, doc.url, doc.published, doc.path,
                                                "") if doc else None)
        found.append(NotableClaim(claim, names.name(claim.speaker), why, last_doc[1],
                                  tuple(names.name(d) for d in claim.disputed_by)))
    report.claims = sorted(found, key=lambda c: (c.speaker.lower(), c.claim.doc_id, c.claim.evidence.start))


def notable(claim: Claim) -> str:
    """Why a claim is worth reporting ("" when it is not): a named speaker with a figure, an attribution or a denial."""
    if not claim.speaker or claim.speaker == "author":
        return ""
    if claim.stance in ("denies", "disputes"):
        return "denial" if claim.stance == "denies" else "dispute"
    if claim.disputed_by:
        return "disputed"
    if any(q.best is not None or q.low is not None for q in claim.quantities):
        return "figure"
    if claim.subject and claim.subject != claim.speaker:
        return "attribution"
    return ""


def _relations(report: Report, archive: Archive, f: Filters) -> None:
    """Deduplicated relations, most evidenced first, up to ``MAX_RELATIONS``."""
    top: list[tuple[int, str, RelationSummary]] = []
    seen = 0
    for summary in archive.relation_summaries(f):
        seen += 1
        item = (summary.evidence_count, f"{summary.a}|{summary.b}|{summary.type}", summary)
        if len(top) < MAX_RELATIONS:
            heapq.heappush(top, item)
        elif item[:2] > top[0][:2]:
            heapq.heapreplace(top, item)
    report.relations = [s for _, _, s in sorted(top, key=lambda t: (-t[0], t[1]))]
    report.more_relations = seen - len(report.relations)


def names_of(report: Report, names: Names) -> dict[str, str]:
    """Display names of every actor id the report mentions."""
    ids: set[str] = set()
    for section in report.sections:
        for key in section.shown:
            e = key.incident.event
            ids |= {e.actor1, e.actor2, e.claimed_by, e.attributed_by, e.denied_by, *e.associated}
    for r in report.relations:
        ids |= {r.a, r.b}
    for d in report.dyads:
        ids |= {d.actor1, d.actor2}
    return {i: names.name(i) for i in ids if i}
