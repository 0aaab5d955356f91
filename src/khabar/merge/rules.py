"""Merge rules: whether two document-level events from different articles are one incident.

Two events are the same incident when they agree on every key they both have: family and type,
status, place (within ``PLACE_KM``), date range (overlapping, with ``DATE_SLACK_DAYS`` of slack)
and actors. A key one side lacks does not block a merge, but besides the type at least two of
place, date and actors must positively agree. A date that only repeats the publication date is
weak evidence: it neither blocks nor supports a merge; so is a date read from a sentence that
reports several events of its document, since it may belong to any of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from khabar.places import km_between
from khabar.records import HAPPENED, Event

PLACE_KM = 50.0
DATE_SLACK_DAYS = 1
MERGEABLE = HAPPENED
AMBIGUOUS = "shared_sentence"


@dataclass(slots=True, frozen=True)
class Verdict:
    """Whether two events are one incident, and the evidence either way in plain words."""

    same: bool
    reasons: tuple[str, ...] = ()


def compare(a: Event, b: Event) -> Verdict:
    """The merge verdict for two events, with the keys that agreed or blocked."""
    if a.family != b.family or a.status not in MERGEABLE or b.status not in MERGEABLE:
        return Verdict(False, ("family or status differs",))
    if _same_type(a, b) is not True:
        return Verdict(False, ("type differs",))
    checks = {"place": _same_place(a, b), "date": _same_time(a, b), "actors": _same_actors(a, b)}
    blocked = tuple(f"{name} differs" for name, ok in checks.items() if ok is False)
    if blocked:
        return Verdict(False, blocked)
    agreed = tuple(f"same {name}" for name, ok in checks.items() if ok is True)
    # one city sees many bombings: a shared type and place alone do not make one incident
    return Verdict(len(agreed) >= 2, ("same type", *agreed))


def same_incident(a: Event, b: Event) -> bool:
    """Whether two document-level events describe the same incident."""
    return compare(a, b).same


def weaken_shared_dates(events: Sequence[Event]) -> list[Event]:
    """Flag the dates of events that share their source sentence with another event of the document."""
    counts = Counter((e.doc_id, e.evidence[0].sentence) for e in events if e.evidence)
    return [
        replace(e, time=replace(e.time, flags=(*e.time.flags, AMBIGUOUS)))
        if e.time is not None and e.evidence and counts[(e.doc_id, e.evidence[0].sentence)] > 1
        and AMBIGUOUS not in e.time.flags else e
        for e in events
    ]


def weak_date(event: Event) -> bool:
    """Whether an event's date is too weak to block or support a merge."""
    return event.time is None or bool({"from_publication", AMBIGUOUS} & set(event.time.flags))


def precision_rank(event: Event) -> tuple[int, str]:
    """Sort key putting precisely dated and placed events first, so they seed clusters."""
    dated = 1 if weak_date(event) else 0
    placed = 0 if event.place is not None and event.place.place is not None else 1
    return (dated + placed, event.event_id)


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
    if ta is None or tb is None or weak_date(a) or weak_date(b):
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
