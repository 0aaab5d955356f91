"""One incident from its member events: the best coding, combined tolls and disagreements.

Every source is kept; tolls become low/best/high across sources, and disagreements between
sources are listed.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Sequence
from dataclasses import replace

from khabar.merge.rules import precision_rank, weak_date
from khabar.records import Event, Incident, TimeSpan, Toll


def incident_of(members: list[Event]) -> Incident:
    """One incident from its member events: the best coding, combined tolls and disagreements."""
    ranked = sorted(members, key=lambda e: (-e.confidence, precision_rank(e)))
    event = _combined(ranked)
    fatalities = combine_tolls([m.fatalities for m in members])
    injuries = combine_tolls([m.injuries for m in members])
    ident = hashlib.sha256(min(m.event_id for m in members).encode()).hexdigest()[:12]
    event = replace(event, event_id=ident, fatalities=fatalities, injuries=injuries)
    return Incident(ident, event, tuple(members), fatalities, injuries, tuple(_disagreements(members)))


def _combined(ranked: list[Event]) -> Event:
    """The best-ranked event with gaps filled from the other sources."""
    best = ranked[0]
    fills: dict[str, object] = {}
    for name in ("actor1", "actor2", "place", "claimed_by", "claim_channel", "attributed_by", "denied_by",
                 "sub_event_type", "plover_type"):
        if not getattr(best, name):
            fills[name] = next((getattr(e, name) for e in ranked if getattr(e, name)), getattr(best, name))
    dated = [e.time for e in ranked if e.time is not None and not weak_date(e)] or _nested_times(ranked)
    if dated:
        fills["time"] = min(dated, key=lambda t: (t.end - t.start, t.start))
    return replace(best, **fills)  # type: ignore[arg-type]  # field names and types come from Event itself


def _nested_times(ranked: list[Event]) -> list[TimeSpan]:
    """When no source dates the incident firmly, the weak dates lying inside every other source's date.

    "August 2021" in one report and "31 August" in another agree, and the narrower one says more.
    """
    times = [e.time for e in ranked if e.time is not None]
    return [t for t in times if all(o.start <= t.start and t.end <= o.end for o in times)]


def combine_tolls(tolls: Sequence[Toll | None]) -> Toll | None:
    """Low/best/high across sources: the lowest low, the median best, the highest high."""
    known = [t for t in tolls if t is not None]
    if not known:
        return None
    lows = [v for t in known for v in (t.low, t.best) if v is not None]
    bests = [t.best if t.best is not None else t.low for t in known]
    highs = [v for t in known for v in (t.high, t.best, t.low) if v is not None]
    best_values = [b for b in bests if b is not None]
    return Toll(
        low=min(lows) if lows else None,
        best=round(statistics.median(best_values)) if best_values else None,
        high=max(highs) if highs else None,
        evidence=tuple(ev for t in known for ev in t.evidence),
    )


def _disagreements(members: list[Event]) -> list[str]:
    """Plain-language notes where sources disagree on a toll or an actor."""
    notes: list[str] = []
    tolls = {m.doc_id: m.fatalities.best if m.fatalities.best is not None else m.fatalities.low
             for m in members if m.fatalities is not None}
    if len({v for v in tolls.values() if v is not None}) > 1:
        notes.append("fatalities differ: " + ", ".join(f"{v} ({d[:8]})" for d, v in sorted(tolls.items())))
    perpetrators = {m.actor1 for m in members if m.actor1}
    if len(perpetrators) > 1:
        notes.append("actor1 differs: " + ", ".join(sorted(perpetrators)))
    return notes
