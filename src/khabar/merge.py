"""The merge stage: the same incident reported by several documents becomes one Incident.

Two document-level events are the same incident when they come from different documents and
agree on every key they both have: family and type, status, place (within ``PLACE_KM``), date
range (overlapping, with ``DATE_SLACK_DAYS`` of slack) and actors. A key one side lacks does not
block a merge, but besides the type at least two of place, date and actors must positively
agree. A date that only repeats the publication date is weak evidence: it neither blocks nor
supports a merge; so is a date read from a sentence that reports several events of its
document, since it may belong to any of them. Every source is kept; tolls become low/best/high
across sources, and disagreements between sources are listed.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from khabar.actors import Registry
from khabar.places import km_between
from khabar.records import HAPPENED, Event, Incident, TimeSpan, Toll

PLACE_KM = 50.0
DATE_SLACK_DAYS = 1
_MERGEABLE = HAPPENED
AMBIGUOUS = "shared_sentence"


@dataclass(slots=True)
class _Cluster:
    """Events gathered as one incident while merging."""

    members: list[Event] = field(default_factory=list)


def merge_events(events: Sequence[Event], registry: Registry | None = None) -> list[Incident]:
    """Group document-level events into incidents, keeping every source.

    An event is compared only with the clusters of its block (``_block``): a cluster outside it
    holds an event of another family or ACLED type, which ``same_incident`` always refuses, so the
    first cluster that fits is the same as in a scan of every cluster.
    """
    clusters: list[_Cluster] = []
    blocks: dict[tuple[str, str], list[_Cluster]] = {}
    for event in sorted(_weaken_shared_dates(events), key=_precision_rank):
        candidates = blocks.get(_block(event), [])
        target = next((c for c in candidates if _fits(event, c)), None) if event.status in _MERGEABLE else None
        if target is None:
            target = _Cluster([event])
            clusters.append(target)
            blocks.setdefault(_block(event), []).append(target)
        else:
            target.members.append(event)
    return [_incident(c.members) for c in clusters]


def _block(event: Event) -> tuple[str, str]:
    """The clusters an event may join: violence of the same ACLED type, or any of the same other family."""
    return (event.family, event.event_type if event.family == "violence" else "")


def _weaken_shared_dates(events: Sequence[Event]) -> list[Event]:
    """Flag the dates of events that share their source sentence with another event of the document."""
    counts = Counter((e.doc_id, e.evidence[0].sentence) for e in events if e.evidence)
    return [
        replace(e, time=replace(e.time, flags=(*e.time.flags, AMBIGUOUS)))
        if e.time is not None and e.evidence and counts[(e.doc_id, e.evidence[0].sentence)] > 1
        and AMBIGUOUS not in e.time.flags else e
        for e in events
    ]


def _weak(event: Event) -> bool:
    """Whether an event's date is too weak to block or support a merge."""
    return event.time is None or bool({"from_publication", AMBIGUOUS} & set(event.time.flags))


def _precision_rank(event: Event) -> tuple[int, str]:
    """Sort key putting precisely dated and placed events first, so they seed clusters."""
    dated = 1 if _weak(event) else 0
    placed = 0 if event.place is not None and event.place.place is not None else 1
    return (dated + placed, event.event_id)


def _fits(event: Event, cluster: _Cluster) -> bool:
    """Whether an event can join a cluster: compatible with every member, from a new document."""
    if any(m.doc_id == event.doc_id for m in cluster.members):
        return False
    return all(same_incident(event, m) for m in cluster.members)


def same_incident(a: Event, b: Event) -> bool:
    """Whether two document-level events describe the same incident."""
    if a.family != b.family or a.status not in _MERGEABLE or b.status not in _MERGEABLE:
        return False
    if _same_type(a, b) is not True:
        return False
    checks = (_same_place(a, b), _same_time(a, b), _same_actors(a, b))
    if any(c is False for c in checks):
        return False
    # one city sees many bombings: a shared type and place alone do not make one incident
    return sum(c is True for c in checks) >= 2


def _same_type(a: Event, b: Event) -> bool | None:
    """Type agreement: ACLED type for violence, PLOVER type otherwise."""
    if a.family == "violence":
        return a.event_type == b.event_type
    return a.plover_type == b.plover_type if a.plover_type and b.plover_type else a.case_label == b.case_label


def _same_place(a: Event, b: Event) -> bool | None:
    """Place agreement within PLACE_KM, or None when either place is unknown."""
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa is None or pb is None:
        return None
    return km_between(pa.lat, pa.lon, pb.lat, pb.lon) <= PLACE_KM


def _same_time(a: Event, b: Event) -> bool | None:
    """Date-range overlap, or None when either date only repeats the publication date."""
    ta, tb = a.time, b.time
    if ta is None or tb is None or _weak(a) or _weak(b):
        return None
    slack = timedelta(days=DATE_SLACK_DAYS)
    return ta.start <= tb.end + slack and tb.start <= ta.end + slack


def _same_actors(a: Event, b: Event) -> bool | None:
    """Actor agreement on the perpetrator side, counting claims and attributions."""
    side_a = {x for x in (a.actor1, a.claimed_by) if x}
    side_b = {x for x in (b.actor1, b.claimed_by) if x}
    if not side_a or not side_b or _unidentified(side_a) or _unidentified(side_b):
        return None  # an unidentified attacker (as ACLED codes an unnamed one) neither supports nor blocks a merge
    return bool(side_a & side_b)


def _unidentified(actors: set[str]) -> bool:
    """Whether a perpetrator side is only an unidentified actor, which matches anyone."""
    return all(a.startswith("unidentified:") for a in actors)


def _incident(members: list[Event]) -> Incident:
    """One incident from its member events: the best coding, combined tolls and disagreements."""
    ranked = sorted(members, key=lambda e: (-e.confidence, _precision_rank(e)))
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
    dated = [e.time for e in ranked if e.time is not None and not _weak(e)] or _nested_times(ranked)
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
