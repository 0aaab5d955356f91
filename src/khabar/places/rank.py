"""Ranking the readings of one place phrase in its document's context.

A phrase's candidates (its name, its core without a unit word or bracketed alternate, and admin
units spelled a little differently) are filtered by the phrase's feature word and container, then
scored by feature, population, the document's country focus, admin containment and nearness to the
document's other places.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from khabar.places.gazetteer import EARTH_KM, RANK, Gazetteer, coarser, inside, km_between
from khabar.places.lexicon import Grammar, Lexicon, fold, prior
from khabar.places.recognise import Span
from khabar.records import Place

FUZZY_MIN = 80.0
NEAR_KM = 150.0
ALIAS_PENALTY = 2.0
FAMOUS_RATIO = 50
# a province abroad this many times smaller than a city of its name, or a county abroad less than this many
# times larger, is not what a bare name means; the margin allows for the packaged population of some
# provinces being only their seat's
ECLIPSE_RATIO = 5
READINGS_CACHED = 50_000
TINY_TOWN = 1000  # a town smaller than this needs backing from the document (``_stray``)
COUNTY_BONUS = 2.0  # for a county the document names a place inside of, or a town inside a county it names


@dataclass(slots=True)
class Context:
    """What the rest of the document says about where it is."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[str] = field(default_factory=Counter)
    within: Place | None = None
    # admin1 names that contain a district or village the document names
    parents: frozenset[str] = frozenset()
    points: tuple[tuple[float, float], ...] = ()
    # how many places ``countries`` counts (1 when none), the denominator of the country share in ``_score``
    total: int = 1
    # (admin1, admin2) names of the second-order units the document's other places lie in, or are
    counties: frozenset[tuple[str, str]] = frozenset()
    # the countries of the document's other places (not the readings of the name being resolved)
    others: Counter[str] = field(default_factory=Counter)


def context_of(
    places: Iterable[Place | None], within: Place | None = None, own: frozenset[str] | set[str] = frozenset()
) -> Context:
    """The document context from the places resolved so far.

    Readings of the name being resolved (``own`` place ids) count for its country but not for its
    province or neighbourhood: a repeated name would otherwise confirm its own first guess.
    """
    found = [p for p in places if p is not None]
    other = [p for p in found if p.place_id not in own]
    parents = frozenset(p.admin1 for p in other if p.feature in ("admin2", "village", "landmark"))
    points = tuple((p.lat, p.lon) for p in other if p.feature not in ("country", "region"))
    countries, admin1 = Counter(p.country for p in found), Counter(p.admin1 for p in other)
    counties = frozenset((p.admin1, p.admin2) for p in other if p.admin2)
    others = Counter(p.country for p in other)
    return Context(countries, admin1, within, parents, points, len(found) or 1, counties, others)


def _score(place: Place, span: Span, context: Context, gazetteer: Gazetteer) -> float:
    """How well a candidate fits its phrase and the document."""
    lexicon = gazetteer.lexicon
    score = prior(place, lexicon)
    curated = place.feature in ("country", "region")
    if place.country not in lexicon.focus and not curated and not same_name(place.name, span.key, lexicon):
        # packaged alternate names carry old and local names ("Franklin" for a county seat)
        score -= ALIAS_PENALTY
    if place.place_id in gazetteer.capitals and (not span.key or same_name(place.name, span.key, lexicon)):
        score += lexicon.capital_bonus  # not through an old name ("Salisbury" is no longer the capital's)
    if span.hint:
        score += 4.0 if place.feature in span.hint else -2.0
    score += 4.0 * context.countries[place.country] / context.total
    if place.country in lexicon.focus:
        score += 0.5
    if place.admin1 and context.admin1[place.admin1]:
        score += 2.5
    if _backed_by(place, context):
        score += COUNTY_BONUS  # "Rusk County" in a story that names a town of the Rusk County of one state
    if context.points and place.feature not in ("country", "region"):
        score += nearness(place, context.points)
    within = context.within
    if within is not None and coarser(within, place):
        score += 6.0 if inside(place, within) else -3.0
    return score


# a great-circle distance is at least the latitude difference times this (km per degree)
_KM_PER_DEGREE = EARTH_KM * math.pi / 180


def nearness(place: Place, points: Iterable[tuple[float, float]]) -> float:
    """The bonus for a reading near other places: 2 within ``NEAR_KM``, 1 within three times that."""
    bonus = 0.0
    for lat, lon in points:
        if abs(lat - place.lat) * _KM_PER_DEGREE > 3 * NEAR_KM + 1.0:
            continue  # too far north or south to count, whatever the longitude
        km = km_between(place.lat, place.lon, lat, lon)
        if km < NEAR_KM:
            return 2.0
        if km < 3 * NEAR_KM:
            bonus = 1.0
    return bonus


def same_name(name: str, key: str, lexicon: Lexicon) -> bool:
    """Whether a place's name is the folded key, reading "St."/"Mt."/"Ft." as the words they shorten."""
    return _same_spelling(name, key, lexicon.grammar.abbreviations)


@lru_cache(maxsize=100_000)
def _same_spelling(name: str, key: str, abbreviations: tuple[tuple[str, str], ...]) -> bool:
    """Whether two names fold to the same words once abbreviations are written out."""
    full = dict(abbreviations)

    def spelled(text: str) -> list[str]:
        """The folded words with abbreviations written out."""
        return [full.get(word, word) for word in fold(text).split()]

    return spelled(name) == spelled(key)


def _key_of(name: str, candidates: list[Place], grammar: Grammar) -> str:
    """The folded form of a name as the gazetteer files it (without an article or feature word)."""
    key = fold(name)
    names = {fold(p.name) for p in candidates}
    for variant in (key, grammar.name_article.sub("", key), re.sub(r"\s+\w+$", "", key)):
        if variant in names:
            return variant
    return key


def candidates_of(name: str, gazetteer: Gazetteer) -> list[Place]:
    """Readings of a name, then of its core and of a bracketed alternate ("Tere Zayi (Alisher) district").

    A bracketed compass word qualifies the name ("Dagon Myothit (North) township"): it is no alternate.
    The list is cached on the gazetteer: callers must not change it.
    """
    known = gazetteer.readings.get(name)
    if known is not None:
        return known
    found: list[Place] = []
    grammar = gazetteer.lexicon.grammar
    alternates = [a for a in _BRACKETED.findall(name) if not set(fold(a).split()) <= grammar.compass_words]
    for variant in dict.fromkeys([name, core_name(name, grammar), *alternates]):
        found = _name_candidates(variant, gazetteer)
        if found:
            break
    if len(gazetteer.readings) >= READINGS_CACHED:
        gazetteer.readings.clear()
    gazetteer.readings[name] = found
    return found


_BRACKETED = re.compile(r"\(([^()]{2,40})\)")


def core_name(name: str, grammar: Grammar) -> str:
    """A name without bracketed alternates and, before a unit word, without a leading "X of" or the unit word on.

    "Borgi of Shinkay (Seyuri) district" -> "Shinkay"; "Shah Joy district center" -> "Shah Joy".
    """
    core = _BRACKETED.sub(" ", name)
    if grammar.unit_tail.search(core):  # "Gulf of Mexico" keeps its "of"
        core = grammar.unit_tail.sub("", grammar.part_of.split(core)[-1])
    return " ".join(core.split())


def _name_candidates(name: str, gazetteer: Gazetteer) -> list[Place]:
    """Readings of a name, trying it with abbreviations written out, then without a compass word in front.

    "St. Johns County" is filed as "Saint Johns County"; "North Philadelphia", a part of a city the
    gazetteer lacks, is read as the city.
    """
    key = fold(name)
    grammar = gazetteer.lexicon.grammar
    spelled = spelled_out(key, grammar.abbreviations)
    found = gazetteer.names(key) or gazetteer.names(spelled) or _key_candidates(key, gazetteer)
    found = found or _key_candidates(spelled, gazetteer)
    words = key.split(" ", 1)
    if not found and len(words) == 2 and words[0] in grammar.compass_words:
        found = [p for p in gazetteer.names(words[1]) if _strong_town(p, words[1], gazetteer.lexicon)]
    return found or _compass_unit(key, gazetteer)


def _compass_unit(key: str, gazetteer: Gazetteer) -> list[Place]:
    """The units a name with a trailing compass word stands for, a unit word after it dropped.

    "Shan-North state" and "Bago West region" name a part of a province: read as the province.
    """
    lexicon = gazetteer.lexicon
    words = key.split()
    if len(words) > 2 and words[-1] in lexicon.feature_words:
        words = words[:-1]
    if len(words) < 2 or words[-1] not in lexicon.grammar.compass_words:
        return []
    return [p for p in gazetteer.names(" ".join(words[:-1])) if p.feature in ("admin1", "admin2")]


def _strong_town(place: Place, key: str, lexicon: Lexicon) -> bool:
    """Whether a reading is a town of at least the matcher's minimum population, by its own name."""
    town = place.feature in ("city", "village") and place.population >= lexicon.min_population
    return town and same_name(place.name, key, lexicon)


def _key_candidates(key: str, gazetteer: Gazetteer) -> list[Place]:
    """Readings of a folded key, trying it without a leading article or a feature word."""
    found = gazetteer.names(key)
    if not found:
        key = gazetteer.lexicon.grammar.name_article.sub("", key)
        found = gazetteer.names(key)
    if not found:
        stripped = re.sub(r"\s+\w+$", "", key)
        if stripped != key and key.rsplit(" ", 1)[-1] in gazetteer.lexicon.feature_words:
            found = gazetteer.names(stripped)
    return found


def spelled_out(key: str, abbreviations: tuple[tuple[str, str], ...]) -> str:
    """A folded key with abbreviations written out ("st johns" -> "saint johns")."""
    full = dict(abbreviations)
    return " ".join(full.get(word, word) for word in key.split())


def best(span: Span, name: str, context: Context, gazetteer: Gazetteer) -> Place | None:
    """The best reading of a phrase in its context."""
    if span.border:
        return gazetteer.by_id(span.border)
    candidates = candidates_of(name, gazetteer)
    if not span.key:  # a span keeps its name through resolve_places' passes, and so its key
        span.key = _key_of(name, candidates, gazetteer.lexicon.grammar)
    lexicon = gazetteer.lexicon
    found = [p for p in candidates if _plausible(p, span, context, lexicon) and not _stray(p, context, lexicon)]
    listed = context.within is not None and not span.enclosed and not _decisive(context.within, gazetteer.lexicon)
    if not found and listed and (not span.hint or _named_hint(span.key, gazetteer.lexicon)):
        # a bare name next to another is as often a list ("Kabul, Kandahar") as a container
        found = [p for p in candidates if _plausible(p, span, replace_context(context, None), gazetteer.lexicon)]
    if not found and context.within is not None and span.hint:
        found = _misplaced_unit(candidates, span, context.within)
    found = _prefer_regions(_prefer_countries(found), span.key, gazetteer.lexicon)
    if context.within is None:
        found = _prefer_famous(found, span.key, context, gazetteer.lexicon, _named_as_unit(span))
    if not found or not any(_fits(p, span, context) for p in found) or "admin2" in span.hint:
        fuzzy = [p for p in _fuzzy_units(name, span, context, gazetteer) if p not in found]
    else:
        fuzzy = []
    found += fuzzy
    if not found:
        return None
    scores = {id(p): _score(p, span, context, gazetteer) - (1.0 if p in fuzzy else 0.0) for p in found}
    if not span.hint:
        units = [p for p in found if p.admin1 not in context.parents or p.feature != "admin1"]
        _prefer_seats(units, scores, gazetteer)
    return max(found, key=lambda p: scores[id(p)])


def _decisive(within: Place, lexicon: Lexicon) -> bool:
    """Whether a container named after a town decides where it is: a state or province outside the focus region.

    "Hastings, Fla." is in Florida even when the gazetteer lacks that Hastings: better unresolved than
    read as the Hastings of another state. In the focus region a misspelt district is often put in the
    wrong province (``_misplaced_unit``), and a name next to a province there is as often a list.
    """
    return within.feature == "admin1" and within.country not in lexicon.focus


def _misplaced_unit(candidates: list[Place], span: Span, within: Place) -> list[Place]:
    """The one unit of the named kind in the container's country when the text puts it in the wrong province.

    "Shinkay district, Faryab": Shinkay is a district of Zabul, and a unit's own name is more specific
    evidence than the province written after it. A name shared by several such units stays unresolved.
    """
    units = {p.place_id: p for p in candidates if p.feature in span.hint and p.feature in RANK}
    same_country = [p for p in units.values() if p.country == within.country and coarser(within, p)]
    return same_country if len(same_country) == 1 else []


def _named_hint(key: str, lexicon: Lexicon) -> bool:
    """Whether a phrase's feature word is part of the name it matched ("Oklahoma City"), not a word after it."""
    return " " in key and key.rsplit(" ", 1)[-1] in lexicon.feature_words


def _plausible(place: Place, span: Span, context: Context, lexicon: Lexicon) -> bool:
    """Drop readings outside the phrase's container, or foreign small towns and wrong kinds of place.

    "Chora district" in an Afghan story is not a Greek town; "the X area of Y district" lies in Y.
    """
    within = context.within
    if within is not None and coarser(within, place) and not inside(place, within):
        return False
    if within is not None and span.hint and within.feature in RANK and not coarser(within, place):
        return False  # "the X area of Y district" is finer than Y
    if not context.countries or place.feature in ("country", "region"):
        return True
    town = place.feature in ("city", "village")
    if place.country in context.countries:
        return True
    if span.hint and place.feature not in span.hint:
        return False
    if town and span.key and not same_name(place.name, span.key, lexicon):
        return False  # a foreign town reached only through one of its alternate names
    return not town or place.population >= lexicon.min_population


def _stray(place: Place, context: Context, lexicon: Lexicon) -> bool:
    """Whether a reading is a village abroad that nothing in a document with other places backs.

    Towns of under ``TINY_TOWN`` people (kept in the gazetteer for local news) share their names with
    streets and people ("Prentice" in a Cincinnati story): such a reading needs its state named, or
    a place of the document within ``NEAR_KM``.
    """
    if place.feature not in ("city", "village") or place.population >= TINY_TOWN or not context.points:
        return False
    if place.country in lexicon.focus:
        return False
    return not (place.admin1 and context.admin1[place.admin1]) and nearness(place, context.points) < 2.0


def _fits(place: Place, span: Span, context: Context) -> bool:
    """Whether a reading agrees with the phrase's feature word and its container."""
    if span.hint and place.feature not in span.hint:
        return False
    within = context.within
    return within is None or not coarser(within, place) or inside(place, within)


def _fuzzy_units(name: str, span: Span, context: Context, gazetteer: Gazetteer) -> list[Place]:
    """Admin units of the document's focus countries spelled a little differently ("Deh Rahwod")."""
    if span.source == "probe" or (not span.hint and span.source == "gazetteer"):
        return []
    countries = {c for c in context.countries if c in gazetteer.lexicon.focus}
    if context.within is not None:
        countries = {context.within.country}
    if not countries:
        return []
    wanted = fold(core_name(name, gazetteer.lexicon.grammar)).replace(" ", "")
    if len(wanted) < (5 if context.within is not None else 6):
        return []
    found = []
    for number in _fuzzy_rows(wanted, gazetteer):
        place = gazetteer.place(number)
        if place.country in countries and (context.within is None or inside(place, context.within)):
            found.append(place)
    return found


def _fuzzy_rows(wanted: str, gazetteer: Gazetteer) -> list[int]:
    """Rows of the 20 focus-region unit names closest to a space-less key (cached on the gazetteer)."""
    known = gazetteer.fuzzy.get(wanted)
    if known is None:
        keys, numbers = gazetteer.units()
        matches = process.extract(wanted, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=20)
        known = [numbers[k] for _, _, k in matches]
        if len(gazetteer.fuzzy) >= READINGS_CACHED:
            gazetteer.fuzzy.clear()
        gazetteer.fuzzy[wanted] = known
    return known


def _prefer_countries(found: list[Place]) -> list[Place]:
    """A country wins over its own towns of the same name ("Mexico", "Kuwait")."""
    countries = {p.country for p in found if p.feature == "country"}
    return [p for p in found if p.feature == "country" or p.country not in countries]


def _prefer_regions(found: list[Place], key: str, lexicon: Lexicon) -> list[Place]:
    """A curated region, sea or landmark wins over small foreign towns and counties named the same.

    "Atlantic" is the ocean, not the Iowa town; "White House" the landmark, not the Tennessee town.
    """
    if not any(p.feature in ("region", "landmark", "crossing") for p in found):
        return found

    def minor(place: Place) -> bool:
        """Whether a reading is a small foreign town, or a foreign county named without its feature word."""
        if place.country in lexicon.focus:
            return False
        if place.feature in ("city", "village"):
            return place.population < lexicon.min_population
        return place.feature == "admin2" and not same_name(place.name, key, lexicon)

    return [p for p in found if not minor(p)]


def _prefer_famous(
    found: list[Place], key: str, context: Context, lexicon: Lexicon, named_unit: bool = False
) -> list[Place]:
    """A city ``FAMOUS_RATIO`` times larger wins over small namesakes abroad ("Toronto" is not the Ohio village).

    Only without a container in the text ("Toronto, Ohio" keeps the village), and not over a namesake
    in a unit the document names or near its other places ("Elgin" in a story of Fayette County,
    Iowa); towns of the focus region stay, as their villages' populations are mostly unknown.
    ``named_unit``: the phrase is marked as a unit (a feature word, or another name's container).
    """
    sizes = [p.population for p in found if p.feature == "city" and same_name(p.name, key, lexicon)]
    big = max(sizes, default=0)

    def minor(place: Place) -> bool:
        """Whether a reading is a small foreign namesake of a far larger city."""
        town = place.feature in ("city", "village") and place.country not in lexicon.focus
        small = town and place.population < lexicon.min_population and place.population * FAMOUS_RATIO < big
        return small and not _backed_by(place, context)

    def eclipsed(place: Place) -> bool:
        """Whether a reading is a foreign unit a city of the name outshines, in a document naming none of its country.

        A bare "Toledo" is the Ohio city of 270,000, not the Belize district of 30,000 nor the Spanish
        province of 600,000: a province holding ``ECLIPSE_RATIO`` times fewer people than the city, or a
        county (news names a county with its word) less than that many times larger than a sizeable
        town of the name ("Kent" stays the English county).
        """
        if named_unit or place.feature not in ("admin1", "admin2") or place.country in lexicon.focus:
            return False
        if place.feature == "admin2":
            outshone = big >= lexicon.min_population and place.population < big * ECLIPSE_RATIO
        else:
            outshone = 0 < place.population * ECLIPSE_RATIO < big
        return outshone and not context.others[place.country]

    return [p for p in found if not minor(p) and not eclipsed(p)]


def _named_as_unit(span: Span) -> bool:
    """Whether a phrase is marked as a unit: by a feature word, or as another name's container."""
    return bool(span.hint) or span.container


def _backed_by(place: Place, context: Context) -> bool:
    """Whether the document names the county or district a town lies in, or another place inside it."""
    return bool(place.admin2) and (place.admin1, place.admin2) in context.counties


def _prefer_seats(found: list[Place], scores: dict[int, float], gazetteer: Gazetteer) -> None:
    """Without a feature word, a unit's namesake town inside it wins ("Kandahar" is the city)."""
    towns = [p for p in found if p.feature == "city"]
    for unit in (p for p in found if p.feature in ("admin1", "admin2")):
        for town in towns:
            if inside(town, unit) and _namesake(town, unit, gazetteer):
                scores[id(town)] = max(scores[id(town)], scores[id(unit)] + 0.5)


def _namesake(town: Place, unit: Place, gazetteer: Gazetteer) -> bool:
    """Whether a town inside a unit is named after it.

    A focus-region district may be displayed in its official spelling ("Mazari Sharif") while its
    seat keeps the usual one ("Mazar-e Sharif"): the district's other names count. Elsewhere a town
    that only has the unit's name as an alias must be a major town of a first-order unit ("New
    York"): a county's alias is often its seat's old name, which is weak evidence.
    """
    if fold(town.name) == fold(unit.name):
        return True
    focus = gazetteer.lexicon.focus
    if unit.country in focus:
        district = unit.feature == "admin2"
        return district and any(p.place_id == unit.place_id for p in gazetteer.names(fold(town.name)))
    return unit.feature == "admin1" and town.population * 10 >= unit.population




def replace_context(context: Context, within: Place | None) -> Context:
    """The document context narrowed to a containing place."""
    return replace(context, within=within)

