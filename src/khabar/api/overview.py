"""What the dashboard draws for a set of filters: map points, a timeline and an actor graph, in one read.

One pass over the kept incidents' columns (``Archive.incident_points``, no record decoding) feeds all
three, so a filtered view costs one query however many panels show it. Relations come from a second,
small query. Every figure is plain JSON; the page turns it into markers, bars and nodes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from khabar.export.common import Names
from khabar.query import Archive, Filters, IncidentPoint
from khabar.query.periods import period_start, period_starts

POINT_CAP = 20_000  # markers a browser still clusters smoothly; the rest are counted, not sent
GRAPH_NODES = 60
GRAPH_EDGES = 200
BUCKETS = ("auto", "day", "week", "month")


@dataclass(slots=True)
class Tally:
    """Running counts over the kept incidents."""

    points: list[list[Any]] = field(default_factory=list)
    total: int = 0
    unplaced: int = 0
    by_day: Counter[date] = field(default_factory=Counter)
    deaths_by_day: Counter[date] = field(default_factory=Counter)
    undated: int = 0
    dyads: Counter[tuple[str, str]] = field(default_factory=Counter)
    dyad_deaths: Counter[tuple[str, str]] = field(default_factory=Counter)
    actor_incidents: Counter[str] = field(default_factory=Counter)


def overview(archive: Archive, filters: Filters, bucket: str = "auto", point_cap: int = POINT_CAP) -> dict[str, Any]:
    """Map points, timeline and actor graph of the incidents the filters keep."""
    tally = Tally()
    for point in archive.incident_points(filters.replace(limit=None)):
        _count(tally, point, point_cap)
    names = Names(archive)
    return {
        "incidents": tally.total,
        "points": {"fields": ["id", "lat", "lon", "event_type", "type", "date", "deaths", "place", "sources"],
                   "items": tally.points, "unplaced": tally.unplaced,
                   "truncated": tally.total - tally.unplaced > len(tally.points)},
        "timeline": timeline(tally.by_day, tally.deaths_by_day, bucket) | {"undated": tally.undated},
        "graph": graph(archive, filters, tally, names),
    }


def _count(tally: Tally, p: IncidentPoint, point_cap: int) -> None:
    """Add one incident to the running counts."""
    tally.total += 1
    if p.lat is None or p.lon is None:
        tally.unplaced += 1
    elif len(tally.points) < point_cap:
        tally.points.append([p.incident_id, round(p.lat, 4), round(p.lon, 4), p.event_type, p.kind,
                             p.start.isoformat() if p.start else "", p.deaths, p.place, p.sources])
    if p.start is None:
        tally.undated += 1
    else:
        tally.by_day[p.start] += 1
        tally.deaths_by_day[p.start] += p.deaths or 0
    for actor in {p.actor1, p.actor2} - {""}:
        tally.actor_incidents[actor] += 1
    if p.actor1 and p.actor2 and p.actor1 != p.actor2:
        pair = (p.actor1, p.actor2)
        tally.dyads[pair] += 1
        tally.dyad_deaths[pair] += p.deaths or 0


def timeline(by_day: Counter[date], deaths: Counter[date], bucket: str = "auto") -> dict[str, Any]:
    """Incidents and deaths per day, week (from Monday) or month, every period in the span present."""
    if not by_day:
        return {"bucket": "day" if bucket == "auto" else bucket, "periods": [], "incidents": [], "deaths": []}
    first, last = min(by_day), max(by_day)
    chosen = _bucket_for(first, last) if bucket == "auto" else bucket
    periods = period_starts(first, last, chosen)
    index = {period: n for n, period in enumerate(periods)}
    incidents, killed = [0] * len(periods), [0] * len(periods)
    for day, n in by_day.items():
        slot = index[period_start(day, chosen)]
        incidents[slot] += n
        killed[slot] += deaths[day]
    return {"bucket": chosen, "periods": [p.isoformat() for p in periods], "incidents": incidents, "deaths": killed}


def _bucket_for(first: date, last: date) -> str:
    """Days for half a year or less, weeks up to five years, months beyond."""
    span = (last - first).days
    return "day" if span <= 183 else "week" if span <= 5 * 366 else "month"


def graph(archive: Archive, filters: Filters, tally: Tally, names: Names) -> dict[str, Any]:
    """The busiest actors and the links between them: who acted on whom, and the relations seen."""
    edges: list[dict[str, Any]] = [
        {"source": a, "target": b, "kind": "incident", "weight": n, "deaths": tally.dyad_deaths[(a, b)]}
        for (a, b), n in tally.dyads.most_common(GRAPH_EDGES)]
    for summary in archive.relation_summaries(filters.replace(limit=GRAPH_EDGES, sort="date")):
        if summary.a != summary.b:
            edges.append({"source": summary.a, "target": summary.b, "kind": summary.type,
                          "weight": len(summary.doc_ids), "deaths": 0})
    weight: Counter[str] = Counter(tally.actor_incidents)
    for edge in edges:
        weight.update({edge["source"]: 0, edge["target"]: 0})
    linked = {e["source"] for e in edges} | {e["target"] for e in edges}
    kept = {a for a, _ in sorted(weight.items(), key=lambda kv: (kv[0] not in linked, -kv[1], kv[0]))[:GRAPH_NODES]}
    nodes = [{"id": a, "name": names.name(a), "incidents": tally.actor_incidents[a],
              "type": names.info(a).type} for a in sorted(kept, key=lambda a: (-weight[a], a))]
    return {"nodes": nodes, "edges": [e for e in edges if e["source"] in kept and e["target"] in kept]}
