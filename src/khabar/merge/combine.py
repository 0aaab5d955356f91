"""One incident from its member events: the best coding, combined tolls and disagreements.

Every source is kept; tolls become low/best/high across sources, and disagreements between
sources (toll, perpetrator, place, date) are listed with each source's value, never averaged away
silently. The incident's date is the one most sources state (the earliest among equals), and its
place the finest one the sources give (the most named among equals): the merge rules only join
sources whose places and dates are compatible, so a finer place or a firmer date refines the rest.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from khabar.merge.rules import precision_rank, weak_date
from khabar.records import Event, Incident, PlaceMention, TimeSpan, Toll

# how fine a place is: a site before a town before a county before a state before a country
FINENESS = {"landmark": 0, "crossing": 0, "village": 1, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}


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
    """The best-ranked event with gaps filled from the other sources, and the sources' best place and date."""
    best = ranked[0]
    fills: dict[str, object] = {}
    for name in ("actor1", "actor2", "claimed_by", "claim_channel", "attributed_by", "denied_by",
                 "sub_event_type", "plover_type"):
        if not getattr(best, name):
            fills[name] = next((getattr(e, name) for e in ranked if getattr(e, name)), getattr(best, name))
    place = _finest_place(ranked)
    if place is not None:
        fills["place"] = place
    firm = [e.time for e in ranked if e.time is not None and not weak_date(e)]
    # a weak date inside every firm one says more ("August 2021" in one report, "31 August" in another)
    inside = [e.time for e in ranked if e.time is not None and weak_date(e)
              and all(f.start <= e.time.start and e.time.end <= f.end for f in firm)]
    dated = [*firm, *inside] if firm else _nested_times(ranked)
    if dated:
        fills["time"] = _agreed_time(dated)
    return replace(best, **fills)  # type: ignore[arg-type]  # field names and types come from Event itself


def _finest_place(ranked: list[Event]) -> PlaceMention | None:
    """The finest resolved place the sources give, the one most sources name among equals."""
    mentions = [e.place for e in ranked if e.place is not None and e.place.place is not None]
    if not mentions:
        return None
    counts = Counter(m.place.place_id for m in mentions if m.place is not None)
    units = Counter((m.place.country, m.place.admin1) for m in mentions if m.place is not None)
    readings: dict[str, set[tuple[str, str]]] = {}
    for m in mentions:
        if m.place is not None:
            readings.setdefault(m.place.name, set()).add((m.place.place_id, m.place.country))
    order = {id(m): k for k, m in enumerate(mentions)}

    def key(mention: PlaceMention) -> tuple[int, int, int, int, int]:
        """Finer first, then in the state most sources name, then more often named, then from a better source.

        A name the sources read as places of different states of one country ("Marion County") goes to
        the state most sources name, else to the smaller reading: the resolver prefers populous places,
        so a small one was chosen for what its report says around the name.
        """
        spot = mention.place
        assert spot is not None  # only resolved mentions are ranked
        read = readings[spot.name]
        homonym = len(read) > 1 and len({country for _, country in read}) == 1
        return (FINENESS.get(spot.feature, 1), -units[(spot.country, spot.admin1)], -counts[spot.place_id],
                spot.population if homonym else 0, order[id(mention)])

    return min(mentions, key=key)


def _agreed_time(times: list[TimeSpan]) -> TimeSpan:
    """The narrowest date most sources state; among equally supported ones, the earliest."""
    narrowest = min(t.end - t.start for t in times)
    precise = [t for t in times if t.end - t.start == narrowest]
    counts = Counter((t.start, t.end) for t in precise)
    return min(precise, key=lambda t: (-counts[(t.start, t.end)], t.start))


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
    """Plain-language notes where sources disagree, each source's value with its document."""
    notes = [
        _differ("fatalities differ", members, lambda m: _toll_value(m.fatalities)),
        _differ("injuries differ", members, lambda m: _toll_value(m.injuries)),
        _differ("actor1 differs", members, lambda m: m.actor1 or None),
        _differ("places differ", members, lambda m: m.place.place.name if m.place and m.place.place else None),
        _differ("dates differ", members, lambda m: None if weak_date(m) or m.time is None else _day_text(m.time)),
    ]
    return [note for note in notes if note]


def _differ(name: str, members: list[Event], value: Callable[[Event], object]) -> str:
    """"<name>: v1 (doc), v2 (doc)" when the sources that state a value state different ones."""
    stated = {m.doc_id: value(m) for m in members}
    known = {d: v for d, v in stated.items() if v is not None}
    if len(set(known.values())) < 2:
        return ""
    return f"{name}: " + ", ".join(f"{v} ({d[:8]})" for d, v in sorted(known.items()))


def _toll_value(toll: Toll | None) -> int | None:
    """A source's toll figure: its best, else its low."""
    if toll is None:
        return None
    return toll.best if toll.best is not None else toll.low


def _day_text(span: TimeSpan) -> str:
    """A date range in words."""
    return str(span.start) if span.start == span.end else f"{span.start} to {span.end}"
