"""Merge rules: whether two document-level events from different articles are one incident.

Each key is compared on its own and gives agreement, disagreement, or nothing either way:

- *type*: the family and status must agree, and the type family (``type_family``): violent events
  of ACLED's political violence may differ in type, other events may not;
- *place*: two sites closer than ``PLACE_KM`` (or a town inside a named county) agree; a state or
  country holding the other side's site neither agrees nor disagrees, nor does one name both reports
  write that was read as two places ("Marion County" of two states: one reading is likely wrong);
  anything else disagrees;
- *date*: two dates farther apart than their ranges and ``DATE_SLACK_DAYS`` allow disagree; two
  day-precise dates that meet agree, except in two different towns, where only the same day agrees
  (in neighbouring towns a day apart, two shootings are as likely as one). A date that only repeats
  the publication date is no date of the event's own, but the event happened by then: a firm date
  after it disagrees. A day that dates a report of the act ("police said Friday", "was charged
  Friday in the killing") agrees on the act's day and says nothing in the week after it. A date
  read from a sentence that reports several events of its document may belong to any of them and
  counts for nothing;
- *actors*: registry actors on the perpetrator side that share none disagree; shared named actors
  agree; an unidentified attacker or a person the registry does not know never disagrees, and a
  country's forces shared ("police:USA") neither agree nor disagree: they take part in many incidents;
- *people*: a person the registry does not know named by both reports in any role (a victim, a
  suspect) agrees; a spokesman may speak of many incidents, so people alone never merge, and only
  a person one report names as a party (attacker, victim, claimant) stands in for a place;
- *toll*: the same non-zero number of dead (or of injured) agrees; differing tolls are listed by
  ``combine``, never a reason to keep reports apart;
- *ages*: an age both reports give for the incident's people ("a 4-year-old", ``events.ages``) agrees;
  differing ages may be other people and never disagree. Ages count only for an event without a date
  of its own, beside a fine place: with dates of their own, a nearby town's shooting of another child
  the same age a day later joined two incidents.

Two events with a date of their own each merge when nothing disagrees and the dates agree along
with a fine place or shared perpetrators, or a fine place agrees along with shared perpetrators or
people, or (when their places are known but only share a state or province, or are one name read
as two places) the dates and the toll or people agree. When one report is unplaced, a person named
as a party by one report and named by the other stands in for the place: with the day, or with the
toll and dates that overlap.
An event with no date of its own merges only on strong agreement: a fine place,
shared perpetrators, people, toll or ages, and dates (its publication date, or a date it shares with
other events of its report) no more than ``PUBLICATION_DAYS`` apart; without any date it never
merges.

A person the registry does not know whom one report names as a party of an act of political
violence (the attacker, the victim) and the other report names too is the strongest key of all:
local reports of one shooting name the same victim and suspect, while a place or date one of them
got wrong (a neighbourhood read as an English village, a follow-up dated by its court hearing)
says less. Such a pair merges when the reports are no more than ``PARTY_DAYS`` apart and at most
one of place and date disagrees; disagreeing perpetrators still block. Across all the reports of
one test set of shootings, a named party shared by two reports of different incidents was one pair
in more than 120,000.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from khabar.places import km_between
from khabar.places.focus import ROLE_ACTOR
from khabar.records import HAPPENED, Event, Place, TimeSpan, Toll
from khabar.time import REPORTED

PLACE_KM = 50.0
DATE_SLACK_DAYS = 1
# two reports of one incident without a date of their own are published within this many days of it
PUBLICATION_DAYS = 3
# a day that dates a report ("the sheriff said Friday") follows the act by at most this much
REPORT_REACH = timedelta(days=7)
# follow-up reports naming one shooting's victim or suspect come out up to about two weeks after it
PARTY_DAYS = 14
MERGEABLE = HAPPENED
AMBIGUOUS = "shared_sentence"
# ACLED's event types of political violence, which reports of one incident often code differently
POLITICAL_VIOLENCE = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
FROM_PUBLICATION = "from_publication"
# features that name a site rather than an area holding many (a county counts: "the Harris County shooting")
FINE_FEATURES = frozenset({"admin2", "city", "village", "landmark", "crossing"})
AREA_FEATURES = frozenset({"country", "admin1", "region"})
# the spans of day-precise dates ("Monday night" may run into the next day)
DAY_SPAN = timedelta(days=1)


@dataclass(slots=True, frozen=True)
class Verdict:
    """Whether two events are one incident, and the evidence either way in plain words."""

    same: bool
    reasons: tuple[str, ...] = ()


def compare(a: Event, b: Event) -> Verdict:
    """The merge verdict for two events, with the keys that agreed or blocked."""
    if a.family != b.family or a.status not in MERGEABLE or b.status not in MERGEABLE:
        return Verdict(False, ("family or status differs",))
    if not _same_type(a, b):
        return Verdict(False, ("type differs",))
    place, date_, actors, people, toll = _place(a, b), _date(a, b), _actors(a, b), _people(a, b), _toll(a, b)
    ages = _ages(a, b)
    if place[0] and date_[0] and _other_towns(a, b) and not _same_day(a, b):
        # two neighbouring towns a day apart are two shootings as often as one: the day does not join them
        date_ = (None, date_[1])
    blocked = tuple(reason for ok, reason in (place, date_, actors) if ok is False)
    shared = shared_parties(a, b)
    party = _party_key(a, b, shared, place_blocked=place[0] is False, date_blocked=date_[0] is False,
                       actors_blocked=actors[0] is False)
    if blocked:
        return Verdict(True, (*blocked, party[1])) if party[0] else Verdict(False, blocked)
    keys = {"place": place, "date": date_, "actors": actors, "people": people, "toll": toll, "ages": ages}
    notes = tuple(reason for _, reason in (_type_note(a, b), *keys.values()) if reason)
    agreed = {name for name, (ok, _) in keys.items() if ok}
    if shared:
        agreed.add("party")
    if _own_date(a) and _own_date(b):
        # a place key that says nothing but has a note: a state or province holding the other's site, or homonyms
        verdict = _dated_verdict(agreed, notes, area=place[0] is None and bool(place[1]),
                                 unplaced=_site(a) is None or _site(b) is None)
    else:
        verdict = _undated_verdict(a, b, agreed, notes)
    return verdict if verdict.same or not party[0] else Verdict(True, (*notes, party[1]))


def _party_key(a: Event, b: Event, shared: set[str], place_blocked: bool, date_blocked: bool,
               actors_blocked: bool) -> _Key:
    """Whether a party both reports name (``shared``) joins them, whatever else agrees.

    It does for one act of political violence, reports no more than ``PARTY_DAYS`` apart, at most
    one of place and date against them and the perpetrators not.
    """
    if actors_blocked or (place_blocked and date_blocked):
        return None, ""
    if type_family(a) != "political violence" or type_family(b) != "political violence":
        return None, ""
    gap = _publication_gap(a, b)
    if not shared or gap is None or gap > PARTY_DAYS:
        return None, ""
    return True, "the same party named by both: " + ", ".join(sorted(shared))


def _dated_verdict(agreed: set[str], notes: tuple[str, ...], area: bool, unplaced: bool) -> Verdict:
    """The verdict when both sides have a date of their own.

    One city sees many shootings: a type and a place alone, or a type and a day, do not make one
    incident. The day and a fine place or shared perpetrators do, and so do a fine place and shared
    perpetrators or people named; with only a state or province in common, the day and the same
    toll or people named are needed (shared perpetrators are not enough there). When one side has
    no place, a person one report names as a party and the other names too stands in for the place,
    with the day or with the toll.
    """
    named = bool({"actors", "people"} & agreed)
    # perpetrators stand in for the place only when nothing is known of it: with a province holding the
    # other's site, the toll or people must agree (the candidate index files such pairs on those alone)
    sited = "place" in agreed or ("actors" in agreed and not area)
    same = ("date" in agreed and sited) or ("place" in agreed and named)
    same = same or (area and "date" in agreed and bool({"toll", "people"} & agreed))
    same = same or (unplaced and "party" in agreed and bool({"date", "toll"} & agreed))
    return Verdict(same, notes if same else (*notes, "too little agrees"))


def _undated_verdict(a: Event, b: Event, agreed: set[str], notes: tuple[str, ...]) -> Verdict:
    """The verdict when one side has no date of its own: strong agreement and close publication."""
    gap = _publication_gap(a, b)
    reasons = [*notes, "no date of its own on one side"]
    if gap is None:
        return Verdict(False, (*reasons, "no publication date to compare"))
    if gap > PUBLICATION_DAYS:
        return Verdict(False, (*reasons, f"published {gap} days apart"))
    same = "place" in agreed and bool({"actors", "people", "toll", "ages"} & agreed)
    return Verdict(same, tuple(reasons) if same else (*reasons, "too little agrees"))


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
    """Whether an event's date is too weak to block or support a merge as a date of the event."""
    return not _own_date(event)


def precision_rank(event: Event) -> tuple[int, str]:
    """Sort key putting precisely dated and placed events first, so they seed clusters."""
    dated = 1 if weak_date(event) else 0
    placed = 0 if event.place is not None and event.place.place is not None else 1
    return (dated + placed, event.event_id)


# ---------------------------------------------------------------- keys
# Each key gives (True: agrees, False: disagrees, None: says nothing) and the reason in plain words.

_Key = tuple[bool | None, str]


def type_family(event: Event) -> str:
    """The group of types two reports of one incident may code differently (a key for blocking candidates).

    ACLED's political violence (battles, explosions, violence against civilians) is one group: one
    shooting is an attack in one report and a clash in another. Other violent types (riots, protests,
    strategic developments) stand alone, and political acts go by their PLOVER type.
    """
    if event.family == "violence":
        return "political violence" if event.event_type in POLITICAL_VIOLENCE else f"violence/{event.event_type}"
    return f"{event.family}/{event.plover_type or event.case_label}"


def _same_type(a: Event, b: Event) -> bool:
    """Type agreement: the same type family (``type_family``), or the same CASE label without PLOVER types."""
    if a.family != "violence" and not (a.plover_type and b.plover_type):
        return a.case_label == b.case_label
    return type_family(a) == type_family(b)


def _type_note(a: Event, b: Event) -> _Key:
    """The type agreement in words: the same type, or two types of one family."""
    if a.event_type != b.event_type and a.event_type and b.event_type:
        return None, f"types differ within {type_family(a)}: {a.event_type} and {b.event_type}"
    return None, "same type"


def _site(event: Event) -> Place | None:
    """An event's resolved place, if any."""
    return event.place.place if event.place else None


def _place(a: Event, b: Event) -> _Key:
    """Place agreement: near sites agree, an area holding the other's site says nothing, others disagree."""
    pa, pb = _site(a), _site(b)
    if pa is None or pb is None:
        return None, ""
    if pa.country and pb.country and pa.country != pb.country:
        if _homonyms(a, b):
            return None, _homonym_note(pa, pb)
        return False, f"place differs: {pa.name} ({pa.country}) and {pb.name} ({pb.country})"
    area, site = (pa, pb) if _rank(pa) <= _rank(pb) else (pb, pa)
    if area.feature in AREA_FEATURES:
        if _holds(area, site):
            return None, f"{site.name} lies in {area.name}"
        return False, f"place differs: {site.name} is not in {area.name}"
    km = km_between(pa.lat, pa.lon, pb.lat, pb.lon)
    if pa.place_id == pb.place_id or (km <= PLACE_KM and pa.name == pb.name):
        return True, f"same place: {pa.name}"
    if area.feature == "admin2" and _holds(area, site):
        return True, f"{site.name} lies in {area.name}"
    if km <= PLACE_KM:
        return True, f"{pa.name} and {pb.name} are {km:.0f} km apart"
    if _homonyms(a, b):
        return None, _homonym_note(pa, pb)
    return False, f"place differs: {pa.name} and {pb.name} are {km:.0f} km apart"


def _other_towns(a: Event, b: Event) -> bool:
    """Whether two events are placed in two different towns (near each other or not)."""
    pa, pb = _site(a), _site(b)
    towns = ("city", "village")
    return (pa is not None and pb is not None and pa.feature in towns and pb.feature in towns
            and pa.place_id != pb.place_id and pa.name != pb.name)


def _same_day(a: Event, b: Event) -> bool:
    """Whether two events are dated the same single day."""
    ta, tb = a.time, b.time
    return ta is not None and tb is not None and ta.start == tb.start and day_precise(ta) and day_precise(tb)


def _homonyms(a: Event, b: Event) -> bool:
    """Whether both reports write one place name that was read as two places of the same kind.

    "Marion County" or "Woodville" names many places: one report may be read in the wrong state, so the
    name neither agrees nor blocks, and the reports merge only as an area's would (the day and the toll).
    """
    pa, pb = _site(a), _site(b)
    if pa is None or pb is None or a.place is None or b.place is None or pa.feature != pb.feature:
        return False
    name = _words(pa.name)
    return bool(name) and name == _words(pb.name) and all(_writes(_words(m.surface), name) for m in (a.place, b.place))


def place_name(event: Event) -> str:
    """The words of an event's resolved place name as its report writes it, or "" (a key for homonyms)."""
    site = _site(event)
    if site is None or event.place is None or site.feature in AREA_FEATURES:
        return ""
    name = _words(site.name)
    return " ".join(name) if name and _writes(_words(event.place.surface), name) else ""


def _words(text: str) -> tuple[str, ...]:
    """The lower-case words of a name."""
    return tuple(re.findall(r"\w+", text.lower()))


def _writes(surface: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """Whether a mention's words hold a name's words in a row ("Marion County Sheriff's Office")."""
    return any(surface[k : k + len(name)] == name for k in range(len(surface) - len(name) + 1))


def _homonym_note(pa: Place, pb: Place) -> str:
    """The place key's note on one name read as two places."""
    return f"{pa.name} read as two places of that name ({_where(pa)} and {_where(pb)})"


def _where(place: Place) -> str:
    """A place's first-order unit and country, as far as known."""
    return ", ".join(x for x in (place.admin1, place.country) if x)


def _rank(place: Place) -> int:
    """How coarse a place is: country 0, region and first-order unit 1, county 2, sites 3."""
    return {"country": 0, "region": 1, "admin1": 1, "admin2": 2}.get(place.feature, 3)


def _holds(area: Place, site: Place) -> bool:
    """Whether an area holds a site, by the gazetteer's admin names (a region by distance)."""
    if area.feature == "country":
        return area.country == site.country
    if area.feature == "admin1":
        return area.country == site.country and area.admin1 == site.admin1
    if area.feature == "admin2":
        return area.country == site.country and area.admin1 == site.admin1 and area.admin2 == site.admin2
    return km_between(area.lat, area.lon, site.lat, site.lon) <= 3 * PLACE_KM


def _date(a: Event, b: Event) -> _Key:
    """Date agreement, allowing for each date's precision; a publication date bounds the event's."""
    ta, tb = a.time, b.time
    if ta is None or tb is None or _ambiguous(a) or _ambiguous(b):
        return None, ""
    own_a, own_b = _own_date(a), _own_date(b)
    if not own_a and not own_b:
        return None, ""
    if own_a != own_b:
        firm, published = (ta, tb) if own_a else (tb, ta)
        if firm.start > published.end + timedelta(days=DATE_SLACK_DAYS):
            return False, f"date differs: {firm.start} is after a report published {published.end}"
        return None, ""
    slack = timedelta(days=DATE_SLACK_DAYS)
    if _reported_later(ta, tb) or _reported_later(tb, ta):
        return None, f"{_span_text(ta)} and {_span_text(tb)}: a report's day after the act's"
    if ta.start > tb.end + slack or tb.start > ta.end + slack:
        return False, f"date differs: {_span_text(ta)} and {_span_text(tb)}"
    if day_precise(ta) and day_precise(tb):
        return True, "same date" if ta.start == tb.start else f"dates within a day: {ta.start} and {tb.start}"
    return None, f"dates overlap: {_span_text(ta)} and {_span_text(tb)}"


def _reported_later(report: TimeSpan, act: TimeSpan) -> bool:
    """Whether a day that dates only a report of the act ("charged Friday") falls in the week after the other's date.

    The act happened by the day it was reported, so such a day neither agrees nor disagrees; on the
    act's own day it agrees as any day would.
    """
    if REPORTED not in report.flags or REPORTED in act.flags:
        return False
    return act.end + timedelta(days=DATE_SLACK_DAYS) < report.start <= act.end + REPORT_REACH


def _span_text(span: TimeSpan) -> str:
    """A date range in words."""
    return str(span.start) if span.start == span.end else f"{span.start} to {span.end}"


def day_precise(span: TimeSpan) -> bool:
    """Whether a date range is a day, or a night running into the next."""
    return span.end - span.start <= DAY_SPAN


def _ambiguous(event: Event) -> bool:
    """Whether an event's date came from a sentence that reports several events."""
    return event.time is not None and AMBIGUOUS in event.time.flags


def _own_date(event: Event) -> bool:
    """Whether an event has a date of its own (not the publication date, not a shared sentence's)."""
    return event.time is not None and not ({FROM_PUBLICATION, AMBIGUOUS} & set(event.time.flags))


def _publication_gap(a: Event, b: Event) -> int | None:
    """Days between the dates two reports are known by (own, shared or publication dates), None if one has none."""
    ta, tb = a.time, b.time
    if ta is None or tb is None:
        return None
    return max(0, (tb.start - ta.end).days, (ta.start - tb.end).days)


def _actors(a: Event, b: Event) -> _Key:
    """Actor agreement on the perpetrator side, counting claims and attributions."""
    side_a = {x for x in (a.actor1, a.claimed_by) if x and not _anonymous(x)}
    side_b = {x for x in (b.actor1, b.claimed_by) if x and not _anonymous(x)}
    if not side_a or not side_b:
        return None, ""  # an unidentified attacker (as ACLED codes an unnamed one) neither supports nor blocks
    shared = side_a & side_b
    if shared - _roles(shared):
        return True, "same actors: " + ", ".join(sorted(shared))
    if shared:
        return None, ""  # "police:USA" in two reports: a country's police are party to many incidents
    if any(_provisional(x) for x in side_a | side_b):
        return None, ""  # a person the registry does not know is as often a victim or a witness misread
    return False, "actors differ: " + ", ".join(sorted(side_a)) + " and " + ", ".join(sorted(side_b))


def _people(a: Event, b: Event) -> _Key:
    """People both reports name (victims, suspects, witnesses the registry does not know), in any role."""
    shared = named_people(a) & named_people(b)
    return (True, "same people named: " + ", ".join(sorted(shared))) if shared else (None, "")


def _ages(a: Event, b: Event) -> _Key:
    """Ages both reports give for the incident's people ("a 4-year-old"); differing ages are other people, no block."""
    shared = set(a.ages) & set(b.ages)
    return (True, "same ages given: " + ", ".join(str(n) for n in sorted(shared))) if shared else (None, "")


def named_people(event: Event) -> set[str]:
    """The people an event names that the registry does not know, in any role."""
    return {x for x in (event.actor1, event.actor2, event.claimed_by, *event.associated) if _provisional(x)}


def parties(event: Event) -> set[str]:
    """The people an event names as a party (attacker, victim or claimant) that the registry does not know."""
    return {x for x in (event.actor1, event.actor2, event.claimed_by) if _provisional(x)}


def shared_parties(a: Event, b: Event) -> set[str]:
    """The people one report names as a party (attacker, victim, claimant) and the other names at all.

    A spokesman named by both is no party.
    """
    return parties(a) & named_people(b) | named_people(a) & parties(b)


def _roles(actors: set[str]) -> set[str]:
    """The generated role actors among ids ("police:USA", "military:AFG"): a country's forces, not one group."""
    return {x for x in actors if ROLE_ACTOR.match(x)}


def _anonymous(actor: str) -> bool:
    """Whether an actor id is an unidentified actor, which matches anyone."""
    return actor.startswith("unidentified:")


def _provisional(actor: str) -> bool:
    """Whether an actor id is a name the registry does not know."""
    return actor.startswith("provisional:")


def _toll(a: Event, b: Event) -> _Key:
    """Toll agreement: the same non-zero dead or injured; differences are listed, never a block."""
    for name, ta, tb in (("dead", a.fatalities, b.fatalities), ("injured", a.injuries, b.injuries)):
        va, vb = _best(ta), _best(tb)
        if va and va == vb:
            return True, f"same toll: {va} {name}"
    return None, ""


def has_toll(event: Event) -> bool:
    """Whether an event gives a non-zero toll, dead or injured, which the toll key can agree on."""
    return bool(_best(event.fatalities) or _best(event.injuries))


def _best(toll: Toll | None) -> int | None:
    """A toll's best figure (its low one when it has no best)."""
    if toll is None:
        return None
    return toll.best if toll.best is not None else toll.low
