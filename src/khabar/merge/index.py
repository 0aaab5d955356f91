"""Candidate blocking: the keys under which a document-level event is stored and looked up.

Two events are compared only when one's probe keys meet the other's post keys. A key packs the
type family, a place cell (1 x 1 degree) and a time bucket (a week) into one integer, so the same
keys serve an in-memory dict and the store's ``merge_keys`` table. The relation is symmetric by
construction (``a`` probes a key ``b`` posts exactly when ``b`` probes a key ``a`` posts), which is
what lets an incremental merge and a full one find the same pairs.

An event's place is its resolved place's cell; its time window is its date range widened by
``FIRM_SLACK_DAYS`` (``WEAK_SLACK_DAYS`` for a date the rules call weak, such as a publication
date, and the rules' ``REPORT_REACH`` for a day that dates a report of the act). Two events are
candidates when they are of one family and

- both are placed within ``NEAR_KM`` of each other's cell and their windows meet (or one is undated), or
- both are dated with windows that meet, one of them is unplaced, and they name a perpetrator in common, or
- both have dates of their own with windows that meet, one of them is unplaced, and they name a person
  the registry does not know in common (the rules let a party named by both stand in for a place), or
- both have day-precise dates of their own no more than the rules' date slack apart, both give a toll
  or a person, and one is placed only by a state or province (``admin1``) that holds the other's
  site, however far the site lies from the province's centre (the rules merge such a pair only on
  the day and the toll or people, so other events are not filed by province: that would cost every
  placed event more keys), or
- both have day-precise dates of their own no more than the rules' date slack apart, both give a toll
  or a person, and their places were read from one name ("Marion County" in two states: the rules let
  such homonyms merge as an area's readings do).

Besides, two reports of one act of political violence no more than the rules' ``PARTY_DAYS`` apart
are candidates when a person one names as a party (attacker, victim) is named by the other, placed
or not: the rules let such a party outweigh one of place and date. A name only mentioned by both,
such as a spokesman's, pairs nothing this way.

A pair that can agree on neither place nor date is never a candidate, nor an unplaced pair without
a common perpetrator or person: the rules need at least two of place, date and actors to agree, and
keying unplaced events by week alone would compare each with every event of its week. Events with
neither a place nor a date (or unplaced with no named perpetrator) fall back to keys of family,
country (taken from their actors' ids) and week, so they still meet each other. Two placed events
never meet by a person or a province of their own (their cells do that), so a name many reports give,
such as a spokesman's, does not pair every placed report of a week.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from khabar.events.parties import country_of
from khabar.merge.rules import (
    AREA_FEATURES,
    DATE_SLACK_DAYS,
    PARTY_DAYS,
    REPORT_REACH,
    day_precise,
    has_toll,
    named_people,
    parties,
    place_name,
    type_family,
    weak_date,
)
from khabar.records import Event
from khabar.time import REPORTED

# The key scheme's version, stored with the index: a store whose index was built otherwise is re-indexed.
SCHEME = "5"
CELL_DEGREES = 1
NEAR_KM = 60.0  # must be at least the rules' place radius (tests check it)
LAT_REACH = 1  # cells of 111 km: a neighbour row covers NEAR_KM
LON_REACH = 2  # two columns cover NEAR_KM up to about 74 degrees of latitude
BUCKET_DAYS = 7
FIRM_SLACK_DAYS = 3  # wider than the rules' date slack, so blocking never decides a merge
WEAK_SLACK_DAYS = 31  # a weak (publication) date only says the event was reported within about a month
MAX_SLACK_DAYS = max(FIRM_SLACK_DAYS, WEAK_SLACK_DAYS, -(-PARTY_DAYS // 2))

# What part of an event a key stands for: exact cell and week, cell at any time, perpetrator and
# week of a placed event, cell of an undated event, perpetrator and week of an unplaced event,
# family and country of an event with neither, province and week of a site and of an event placed
# only by its province, person and week of a placed and of an unplaced event, one place name and day,
# and a person named as a party and named at all, by week.
(EXACT, CELL_ANY_TIME, ACTOR_WEEK, CELL_UNDATED, ACTOR_WEEK_UNPLACED, LOOSE, SITE_ADMIN1, AREA_ADMIN1,
 PERSON_WEEK, PERSON_WEEK_UNPLACED, NAME_DAY, PARTY_NAMED, NAMED_PARTY) = range(13)


@dataclass(slots=True, frozen=True)
class Keys:
    """Where an event is filed (post) and where it looks for candidates (probe), and its time buckets."""

    post: tuple[int, ...]
    probe: tuple[int, ...]
    first: int | None = None  # first time bucket of its window; None when undated
    last: int | None = None


def keys_of(event: Event) -> Keys:
    """The post and probe keys of a (date-weakened) document-level event."""
    family = _family_code(event.family)
    cell = _cell(event)
    weeks = _weeks(event)
    actors = _perpetrators(event)
    if cell is not None and weeks is not None:
        row, col = cell
        near = list(_near(row, col))
        post = [_key(EXACT, family, row, col, w) for w in weeks] + [_key(CELL_ANY_TIME, family, row, col, 0)]
        post += [_key(ACTOR_WEEK, family, *a, w) for a in actors for w in weeks]
        probe = [_key(EXACT, family, r, c, w) for r, c in near for w in weeks]
        probe += [_key(CELL_UNDATED, family, r, c, 0) for r, c in near]
        probe += [_key(ACTOR_WEEK_UNPLACED, family, *a, w) for a in actors for w in weeks]
    elif cell is not None:
        near = list(_near(*cell))
        post = [_key(CELL_UNDATED, family, *cell, 0)]
        probe = [_key(kind, family, r, c, 0) for r, c in near for kind in (CELL_ANY_TIME, CELL_UNDATED)]
    elif weeks is not None and actors:
        post = [_key(ACTOR_WEEK_UNPLACED, family, *a, w) for a in actors for w in weeks]
        probe = [_key(kind, family, *a, w) for a in actors for w in weeks for kind in (ACTOR_WEEK, ACTOR_WEEK_UNPLACED)]
    else:
        # nothing but the date can agree for these, so they meet only each other, by country and week
        country = _split(_country_code(event))
        post = probe = [_key(LOOSE, family, *country, w) for w in weeks or [0]]
    if weeks is not None and not weak_date(event):
        extra_post, extra_probe = _own_date_keys(event, family, weeks, placed=cell is not None)
        post, probe = post + extra_post, probe + extra_probe
    party_post, party_probe, party_weeks = _party_keys(event, family)
    post, probe = post + party_post, probe + party_probe
    spans = [w for w in (weeks, party_weeks) if w]
    first, last = (min(w[0] for w in spans), max(w[-1] for w in spans)) if spans else (None, None)
    return Keys(tuple(sorted(set(post))), tuple(sorted(set(probe))), first, last)


def _party_keys(event: Event, family: int) -> tuple[list[int], list[int], list[int]]:
    """Post and probe keys by person for an act of political violence, and the weeks they cover.

    A report posts its parties as PARTY_NAMED and everyone it names as NAMED_PARTY, and probes the
    other kind, so two reports meet when one's party is named by the other, whichever comes first.
    Each window is widened by half of ``PARTY_DAYS``: two windows meet when the dates are that far apart.
    """
    if event.time is None or type_family(event) != "political violence":
        return [], [], []
    named, sides = named_people(event), parties(event)
    if not named:
        return [], [], []
    weeks = _buckets(event.time.start, event.time.end, timedelta(days=-(-PARTY_DAYS // 2)))
    post = [_key(NAMED_PARTY, family, *_hashed(p), w) for p in sorted(named) for w in weeks]
    post += [_key(PARTY_NAMED, family, *_hashed(p), w) for p in sorted(sides) for w in weeks]
    probe = [_key(PARTY_NAMED, family, *_hashed(p), w) for p in sorted(named) for w in weeks]
    probe += [_key(NAMED_PARTY, family, *_hashed(p), w) for p in sorted(sides) for w in weeks]
    return post, probe, weeks


def _own_date_keys(event: Event, family: int, weeks: list[int], placed: bool) -> tuple[list[int], list[int]]:
    """Post and probe keys by province and by person, for an event with a date of its own."""
    post: list[int] = []
    probe: list[int] = []
    people = [_hashed(p) for p in sorted(named_people(event))]
    province = _province(event)
    if province is not None and event.time is not None and day_precise(event.time) and (people or has_toll(event)):
        area = event.place is not None and event.place.place is not None and event.place.place.feature == "admin1"
        mine, theirs = (AREA_ADMIN1, SITE_ADMIN1) if area else (SITE_ADMIN1, AREA_ADMIN1)
        days = _buckets(event.time.start, event.time.end, timedelta(days=DATE_SLACK_DAYS))
        post += [_key(mine, family, *province, w) for w in days]
        probe += [_key(theirs, family, *province, w) for w in days]
    name = place_name(event)
    if name and event.time is not None and day_precise(event.time) and (people or has_toll(event)):
        days = _buckets(event.time.start, event.time.end, timedelta(days=DATE_SLACK_DAYS))
        named = [_key(NAME_DAY, family, *_hashed(name), w) for w in days]
        post, probe = post + named, probe + named
    kinds = (PERSON_WEEK_UNPLACED,) if placed else (PERSON_WEEK, PERSON_WEEK_UNPLACED)
    post += [_key(PERSON_WEEK if placed else PERSON_WEEK_UNPLACED, family, *p, w) for p in people for w in weeks]
    probe += [_key(kind, family, *p, w) for p in people for w in weeks for kind in kinds]
    return post, probe


def _province(event: Event) -> tuple[int, int] | None:
    """The hashed country and first-order unit of an event's place (a site's, or a province's own), or None."""
    place = event.place.place if event.place is not None else None
    if place is None or not place.admin1 or (place.feature in AREA_FEATURES and place.feature != "admin1"):
        return None
    return _hashed(f"{place.country}/{place.admin1}")


def bucket(day: date) -> int:
    """The time bucket (week number) of a day."""
    return day.toordinal() // BUCKET_DAYS


def earliest_bucket(start: date) -> int:
    """A lower bound of the first bucket of any event whose date range starts on ``start``."""
    return bucket(max(date.min + timedelta(days=MAX_SLACK_DAYS), start) - timedelta(days=MAX_SLACK_DAYS))


def _weeks(event: Event) -> list[int] | None:
    """The buckets an event's widened date window covers, or None when it has no date."""
    if event.time is None:
        return None
    if weak_date(event):
        slack = timedelta(days=WEAK_SLACK_DAYS)
    elif REPORTED in event.time.flags:
        slack = REPORT_REACH  # a report's day may follow the act's by a week and still be one incident
    else:
        slack = timedelta(days=FIRM_SLACK_DAYS)
    return _buckets(event.time.start, event.time.end, slack)


def _buckets(start: date, end: date, slack: timedelta) -> list[int]:
    """The buckets a date range widened by ``slack`` on either side covers."""
    low = max(date.min + slack, start) - slack
    high = min(date.max - slack, end) + slack
    return list(range(bucket(low), bucket(high) + 1))


def _cell(event: Event) -> tuple[int, int] | None:
    """The 1-degree cell (row, column) of an event's resolved place, or None."""
    place = event.place.place if event.place is not None else None
    if place is None or not (math.isfinite(place.lat) and math.isfinite(place.lon)):
        return None
    row = min(179, max(0, math.floor(place.lat / CELL_DEGREES) + 90))
    return row, math.floor(place.lon / CELL_DEGREES) % 360


def _near(row: int, col: int) -> Iterator[tuple[int, int]]:
    """The cells within reach of a cell (itself included); columns wrap around the date line."""
    for r in range(max(0, row - LAT_REACH), min(179, row + LAT_REACH) + 1):
        for c in range(col - LON_REACH, col + LON_REACH + 1):
            yield r, c % 360


def _perpetrators(event: Event) -> list[tuple[int, int]]:
    """The named perpetrator-side actors (as the rules compare them), each as a (row, column) pair of numbers."""
    named = sorted({a for a in (event.actor1, event.claimed_by) if a and not a.startswith("unidentified:")})
    return [_hashed(a) for a in named]


def _hashed(name: str) -> tuple[int, int]:
    """A stable 17-bit hash of a name, as the (row, column) fields of a key."""
    return _split(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=3).digest(), "big") >> 7)


def _split(number: int) -> tuple[int, int]:
    """A 17-bit number as the 8-bit row and 9-bit column fields of a key."""
    return number >> 9, number & 0x1FF


def _country_code(event: Event) -> int:
    """A 17-bit number for the country named by an event's actor ids (0 when none names one)."""
    code = next((country_of(a) for a in (event.actor1, event.actor2, event.claimed_by) if a and country_of(a)), "")
    number = 0
    for letter in code:
        number = number * 27 + (ord(letter) - ord("A") + 1) % 27  # three capitals stay under 27 ** 3 < 2 ** 17
    return number


def _key(kind: int, family: int, row: int, col: int, value: int) -> int:
    """One key: kind (4 bits), family (12), row (8), column (9) and a bucket or country (24 bits): 57 bits in all."""
    return ((((kind << 12 | family) << 8 | row) << 9 | col) << 24) | (value & 0xFFFFFF)


@cache  # a pure function of a short string; the families are few
def _family_code(family: str) -> int:
    """A stable 12-bit number for a type family (Python's own hash of a string changes per process)."""
    return int.from_bytes(hashlib.blake2b(family.encode(), digest_size=2).digest(), "big") & 0xFFF
