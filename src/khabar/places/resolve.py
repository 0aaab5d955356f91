"""Resolution: the places stage's function, which finds and resolves every place mention of a document.

Phrases are read in passes, each with the document's places as the previous pass resolved them; a
phrase followed by its container ("Andar district, Ghazni") is read inside it. Every mention gets
ACLED and UCDP precision codes, coarser for a relative location ("north of Kabul") or a border.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import replace

from khabar.places.fallback import street_place, unlisted_name_place
from khabar.places.focus import ROLE_ACTOR, actor_countries, host_names, outlet_homes, title_names
from khabar.places.gazetteer import Gazetteer, coarser, inside, km_between
from khabar.places.lexicon import ACLED_UNKNOWN, UCDP_UNKNOWN, Lexicon, fold, is_major, opens_line, prior
from khabar.places.rank import Context, best, candidates_of, context_of
from khabar.places.recognise import Span, find_spans, names_agency
from khabar.records import Analysis, Place, PlaceMention
from khabar.stages import Contract

CONTRACT = Contract("places", requires=frozenset({"tokens", "sentences", "entities", "actors"}),
                    assigns=frozenset({"places"}))

log = logging.getLogger(__name__)

PASSES = 3
UNLISTED = "unlisted:"  # the id prefix of a village the gazetteer lacks, read at its container: unlisted:<id>/<name>
# the containers an unlisted village may be read at: a town or district, not a province or a country
_UNLISTED_CONTAINERS = frozenset({"city", "village", "admin2"})
# a document's focus country: it holds at least this many of the names read, and this share of them
FOCUS_NAMES = 2
FOCUS_SHARE = 2 / 3
MAJOR_FACTOR = 10  # a town this many times the matcher's minimum population is named abroad on its own
FAR_KM = 2000.0  # ... when it lies this close to the story's places; farther away, only a world city is
WORLD_CITY = 1_000_000
STATE_FAR_KM = 250.0  # a small town or county this far from every place of the story's state is read again inside it
_DATELINE_TAIL = re.compile(r",\s*[A-Z][\w .]{1,40}?\s*\([^)]{1,40}\)")


def resolve_places(analysis: Analysis, gazetteer: Gazetteer) -> Analysis:
    """Find and resolve the place mentions of a document (unresolvable ones are kept unresolved)."""
    document = analysis.document
    text = document.text
    lexicon = gazetteer.lexicon
    spans = _off_street_corners(find_spans(analysis, gazetteer), text, gazetteer)
    names = [text[s.start : s.name_end] for s in spans]
    contained = [k + 1 < len(spans) and _contains(spans[k], spans[k + 1], text, lexicon)
                 and not _listed_after(spans, k, text) for k in range(len(spans))]
    for k, span in enumerate(spans):
        span.enclosed = contained[k] and "(" in text[span.end : spans[k + 1].start]
        span.container = k > 0 and contained[k - 1]
        if contained[k] and not span.hint:
            span.hint = _area_hint(text[span.end : spans[k + 1].start], lexicon)
        if contained[k] and span.hint and not spans[k + 1].hint:
            spans[k + 1].hint = _container_hint(span.hint)
    # the title's and web address's place names and the actors' countries: read with the text's, for context only
    home = outlet_homes(document, gazetteer.outlets)
    outside = [*title_names(analysis, gazetteer), *host_names(document.url, gazetteer), *home]
    actors = actor_countries(analysis, gazetteer)
    every = [*spans, *(Span(0, len(name), len(name), "gazetteer") for name in [*outside, *actors])]
    # the outlet's town is read inside its region ("Columbia, South Carolina")
    within = [False] * (len(outside) - len(home)) + [k + 1 < len(home) for k in range(len(home))]
    resolved = _read_passes(every, [*names, *outside, *actors], [*contained, *within, *[False] * len(actors)],
                            gazetteer)
    focus_places = [p for p in resolved[len(spans) : len(spans) + len(outside)] if p is not None]
    # an actor's country backs a country the text names, but names none itself ("Jordan" may be a person)
    backing = [p for p in resolved[len(spans) + len(outside) :] if p is not None]
    resolved = resolved[: len(spans)]
    _paired_containers(names, contained, resolved, gazetteer)
    _one_sense(names, [None if s.border else s.hint for s in spans], contained, resolved)
    _units_after_towns(names, contained, resolved, gazetteer)
    _streets_off_towns(spans, names, text, resolved, gazetteer)
    for k, span in enumerate(spans):
        if resolved[k] is None and not span.border and not span.hint and _is_facility(names[k], lexicon):
            # "Kabul Peace Hall in Herat" lies in Herat, "Jalalabad Regional Hospital" in Jalalabad
            own = {p.place_id for p in candidates_of(names[k], gazetteer)}
            context = context_of([*resolved[:k], *resolved[k + 1 :]], None, own)
            resolved[k] = unlisted_name_place(text, span.start, span.name_end, context, gazetteer)
    # a unit named with its unit word, or as the container of another name, is surely meant as a place
    certain = [bool(span.hint) or span.container or _bracketed(text, span) for span in spans]
    _against_focus(resolved, certain, lexicon, focus_places, {p.country for p in backing})
    _off_roads(spans, text, resolved, lexicon)
    _off_actor_names(spans, resolved, analysis, lexicon)
    _against_state(spans, names, text, resolved, focus_places, gazetteer)
    _streets_in_home_town(spans, names, text, resolved, focus_places, lexicon)
    _unlisted_in_container(spans, names, text, resolved, contained, lexicon)
    for k, span in enumerate(spans):
        if not span.relation and _is_dateline(text, span):
            span.relation = "dateline"
            if contained[k] and not spans[k + 1].relation:
                spans[k + 1].relation = "dateline"  # "MEMPHIS, Tenn. —": the state is the dateline's too
    mentions = tuple(_mention(analysis, s, p, lexicon) for s, p in zip(spans, resolved, strict=True))
    return replace(analysis, places=mentions)


def _read_passes(
    spans: list[Span], names: list[str], contained: list[bool], gazetteer: Gazetteer
) -> list[Place | None]:
    """Each phrase's best reading, in passes that read the document's places as the previous pass resolved them."""
    resolved: list[Place | None] = [None] * len(spans)
    owns = [{p.place_id for p in candidates_of(name, gazetteer)} for name in names]
    readings: dict[_Phrase, list[tuple[Context, Place | None]]] = {}
    for number in range(PASSES):
        changed = False
        for k in range(len(spans) - 1, -1, -1):
            within = _container_unit(spans[k], resolved[k + 1] if contained[k] else None, gazetteer)
            context = context_of([*resolved[:k], *resolved[k + 1 :]], within, owns[k])
            found = _best_known(readings, spans[k], names[k], context, gazetteer)
            changed = changed or found != resolved[k]
            resolved[k] = found
        if number and not changed:
            break  # a pass that changes nothing has reached the fixed point later passes would repeat
    return resolved


def _container_unit(span: Span, within: Place | None, gazetteer: Gazetteer) -> Place | None:
    """The container a phrase is read in: for a town container of a village or a bracketed name, the town's province.

    "Durgapur village, Ashuganj upazila": the village lies near the town, so at least in its province.
    """
    if within is None or within.feature not in ("city", "village") or not (span.hint or span.enclosed):
        return within
    return gazetteer.admin1(within.country, within.admin1) or within


# what ``rank.best`` reads of a span besides its context: its name, source, border and feature hint
_Phrase = tuple[str, str, str, tuple[str, ...]]


def _best_known(
    readings: dict[_Phrase, list[tuple[Context, Place | None]]],
    span: Span,
    name: str,
    context: Context,
    gazetteer: Gazetteer,
) -> Place | None:
    """``rank.best``, reusing the reading of the same phrase in an equal context (a name the document repeats).

    ``readings`` holds one document's readings so far, by phrase. Contexts count places, so their counters
    hold no zero counts and are equal only with the same keys.
    """
    earlier = readings.setdefault((name, span.source, span.border, span.hint), [])
    for seen, place in earlier:
        if seen == context:
            return place
    place = best(span, name, context, gazetteer)
    earlier.append((context, place))
    return place


def _bracketed(text: str, span: Span) -> bool:
    """Whether a name closes a bracket ("(Djougou, Donga)"), as a note's container does."""
    return text[span.end : span.end + 1] == ")"


def _paired_containers(
    names: list[str], contained: list[bool], resolved: list[Place | None], gazetteer: Gazetteer
) -> None:
    """Read a container as its one namesake unit holding the name before it, when its own reading holds none.

    "Cotonou (Littoral)": the Littoral department that holds a Cotonou, not a larger Littoral abroad; the
    name before it takes its largest reading inside that unit.
    """
    for k in range(len(names) - 1):
        if not contained[k] or resolved[k] is not None or resolved[k + 1] is None:
            continue
        inner = candidates_of(names[k], gazetteer)
        units = {q.place_id: q for q in candidates_of(names[k + 1], gazetteer)
                 if q.feature in ("admin1", "admin2") and any(coarser(q, p) and inside(p, q) for p in inner)}
        if len(units) == 1:
            unit = next(iter(units.values()))
            resolved[k + 1] = unit
            resolved[k] = max((p for p in inner if coarser(unit, p) and inside(p, unit)),
                              key=lambda p: prior(p, gazetteer.lexicon))


def _off_roads(spans: list[Span], text: str, resolved: list[Place | None], lexicon: Lexicon) -> None:
    """Leave unresolved the towns a road is named after ("the Kale-Gangaw highway") when another place is named.

    A road joining two towns runs far from both; a name outside such a compound says better where the event is.
    """
    ends = [k for k, span in enumerate(spans) if resolved[k] is not None and _road_end(text, span, lexicon)]
    if any(resolved[k] is not None and k not in ends for k in range(len(spans))):
        for k in ends:
            resolved[k] = None


_NAME = r"[A-Z][\w'’-]+"
# a name joined by "and" after or before a span; a numbered street ("33rd Street") is a partner too
_COORDINATED = re.compile(rf"\s+(?:and|&)\s+({_NAME}|\d+(?:st|nd|rd|th)\s+{_NAME})|({_NAME})\s+(?:and|&)\s+$")
# the words before a street's name ("the 6700 block of", "the corner of Ridge and"): group 1 the opener
_STREET_OPENING = re.compile(rf"\b(\w+)\s+of\s+(?:the\s+)?(?:{_NAME}\s+(?:and|&)\s+)?$")


def _streets_off_towns(spans: list[Span], names: list[str], text: str, resolved: list[Place | None],
                       gazetteer: Gazetteer) -> None:
    """Read a street as the place named right after it, not as a town of its name.

    A street is a name ending in a street word ("River Road" is a town in another state too) or one
    written after a street opener ("the 6700 block of South Aberdeen"). A major town keeps its reading.
    """
    lexicon = gazetteer.lexicon
    for k, span in enumerate(spans):
        place = resolved[k]
        if place is None or place.feature not in ("city", "village") or is_major(place, lexicon):
            continue
        if _is_street(names[k], text, span, lexicon):
            own = {p.place_id for p in candidates_of(names[k], gazetteer)}
            resolved[k] = street_place(text, span.name_end, context_of([*resolved[:k], *resolved[k + 1 :]], None, own),
                                       gazetteer)


def _streets_in_home_town(spans: list[Span], names: list[str], text: str, resolved: list[Place | None],
                          outside: list[Place], lexicon: Lexicon) -> None:
    """Read the streets of a story that names no town as lying in the town its title or outlet names.

    A local report often gives only "the 3400 block of Algonquin Parkway": its town is the one the
    title names, else the outlet's home (``focus.outlet_homes``); the street's words stay the evidence.
    """
    if any(p is not None and p.feature not in ("country", "admin1", "region") for p in resolved):
        return
    town = next((p for p in outside if p.feature in ("city", "village")), None)
    if town is None:
        return
    for k, span in enumerate(spans):
        if resolved[k] is None and not span.border and _is_street(names[k], text, span, lexicon):
            resolved[k] = town


def _unlisted_in_container(spans: list[Span], names: list[str], text: str, resolved: list[Place | None],
                           contained: list[bool], lexicon: Lexicon) -> None:
    """A village the gazetteer lacks, named with its container in brackets, as a place of its own at the container.

    "Hlassame (Lalo, Couffo)": the text names the village and the commune it lies in. The village keeps its
    name, at the commune's point and in its units, read as near it (a coarser precision code), so the
    event is where the text says and no finer than the gazetteer knows.
    """
    chain_end = 0
    for k, span in enumerate(spans):
        j = k + 1  # the first container read, up the bracketed chain ("X (Y township, Z district, W region)")
        while j < len(spans) and resolved[j] is None and contained[j]:
            j += 1
        within = resolved[j] if j < len(spans) else None
        if k < chain_end:
            continue  # a unit between a village read and its known container: the village is the site
        if (resolved[k] is not None or within is None or not contained[k] or not span.enclosed or span.border
                or _is_street(names[k], text, span, lexicon)):
            continue
        words = names[k].split()
        while len(words) > 1 and fold(words[-1]) in lexicon.feature_words:
            words.pop()  # "Pu Zun Myaung village": the village's name is "Pu Zun Myaung"
        name = " ".join(words)
        if not name[:1].isupper() or fold(name) in lexicon.generic_words:
            continue
        if within.feature in _UNLISTED_CONTAINERS:
            unit = within.admin2 or (within.name if within.feature == "admin2" else "")
            resolved[k] = Place(f"{UNLISTED}{within.place_id}/{fold(name)}", name, within.lat, within.lon,
                                within.country, within.admin1, unit, "village", 0)
        elif within.feature == "admin1" and j > k + 1:
            # only the province of the chain is known ("Karimama (Karimama, Alibori)"): the place keeps its
            # name at the province's point, read as an area of it, so nothing takes it for a precise site
            resolved[k] = Place(f"{UNLISTED}{within.place_id}/{fold(name)}", name, within.lat, within.lon,
                                within.country, within.admin1, "", "region", 0)
        else:
            continue
        span.relation = span.relation or "near"
        chain_end = j


def _is_street(name: str, text: str, span: Span, lexicon: Lexicon) -> bool:
    """Whether a name ends in a street word ("River Road") or follows a street opener ("the 900 block of")."""
    words = fold(name).split()
    if words and words[-1] in lexicon.street_words:
        return True
    opener = _STREET_OPENING.search(text[max(0, span.start - 60) : span.start])
    return opener is not None and fold(opener.group(1)) in lexicon.street_openers


def _off_street_corners(spans: list[Span], text: str, gazetteer: Gazetteer) -> list[Span]:
    """The spans but the names of a street corner ("on Mathis and Prentice"): two names joined by "and", one a street.

    A street is a name the story writes before a street word ("Prentice Street"), or either name of
    "X and Y streets". Read as towns, such names pull the story's other places towards homonyms far away.
    A major town keeps its name whatever street is named after it ("Jalalabad Road", "Kabul and Jalalabad").
    """
    lexicon = gazetteer.lexicon
    streets: set[str] | None = None  # read from the whole text only once a name joined by "and" needs them
    kept = []
    for span in spans:
        own = fold(text[span.start : span.name_end])
        partner = "" if span.hint or span.container else _partner(text, span)
        if not partner or any(word in lexicon.street_words for word in own.split()):
            kept.append(span)  # no corner, or a street already ("Eglinton Avenue West"), kept as the phrase it is
            continue
        streets = _street_names(text, lexicon) if streets is None else streets
        numbered = any(word in lexicon.street_words for word in fold(partner).split())  # "and 33rd Street"
        if (own not in streets and fold(partner) not in streets and not numbered) \
                or any(is_major(p, lexicon) for p in candidates_of(text[span.start : span.name_end], gazetteer)):
            kept.append(span)
    return kept


def _partner(text: str, span: Span) -> str:
    """The capitalised name joined to a span by "and" or "&", after it or before it ("" when none)."""
    after = _COORDINATED.match(text, span.end)
    if after:
        return after.group(1)
    before = _COORDINATED.search(text[max(0, span.start - 40) : span.start])
    return before.group(2) if before and before.group(2) else ""


def _street_names(text: str, lexicon: Lexicon) -> set[str]:
    """Folded names the text writes as streets: before a street word, or in "X and Y streets"."""
    found: set[str] = set()
    for word in re.finditer(r"\b([A-Za-z]+)\b", text):
        key = fold(word.group(1))
        plural = key.endswith("s") and key[:-1] in lexicon.street_words
        if not (plural or (key in lexicon.street_words and word.group(1)[:1].isupper())):
            continue
        names = _NAMES_BEFORE.search(text[max(0, word.start() - 60) : word.start()])
        if names is not None:
            found.add(fold(names.group(2) or names.group(1)))
            if plural and names.group(2):
                found.add(fold(names.group(1)))
    return found


_NAMES_BEFORE = re.compile(rf"({_NAME})(?:\s+(?:and|&)\s+({_NAME}))?\s+$")


def _off_actor_names(spans: list[Span], resolved: list[Place | None], analysis: Analysis, lexicon: Lexicon) -> None:
    """Leave unresolved a name inside a named group's name ("IS Sahel") when the text names another place.

    A name after a link word ("fighting ISIS in Syria") is a site even when read as part of the group's name.

    A country's police or army named by a place ("Helmand police") keeps it, and so does a communal militia,
    named after its home ("Turkana raiders"): only named groups count, not role actors.
    """
    named = [(m.evidence.start, m.evidence.end) for m in analysis.actors
             if m.type not in _HOME_NAMED and not ROLE_ACTOR.match(m.actor_id)]
    text, links = analysis.document.text, lexicon.grammar.links_after
    inner = [k for k, span in enumerate(spans)
             if resolved[k] is not None and any(a <= span.start and span.end <= b for a, b in named)
             and not _after_link(text, span.start, links)]
    if any(resolved[k] is not None and k not in inner for k in range(len(spans))):
        for k in inner:
            resolved[k] = None


def _after_link(text: str, start: int, links: frozenset[str]) -> bool:
    """Whether the word before a name is a link word ("in", "at")."""
    before = text[max(0, start - 12) : start].split()
    return bool(before) and before[-1].lower() in links


# actors whose names name where they are from or serve: people, communal militias, state forces, governments
_HOME_NAMED = frozenset({"person", "militia", "state_forces", "government", "civilians"})
_HYPHENED = re.compile(r"(?:-[A-Z][\w'’]*)+")


def _road_end(text: str, span: Span, lexicon: Lexicon) -> bool:
    """Whether a name is hyphened to another before a street word within the next three words ("Kale-Gangaw road")."""
    joined = text[span.end : span.end + 1] == "-" or text[max(0, span.start - 1) : span.start] == "-"
    if not joined:
        return False
    tail = _HYPHENED.sub("", text[span.end : span.end + 60], count=1)
    return any(fold(word.strip(",.;:")) in lexicon.street_words for word in tail.split()[:3])


def _one_sense(
    names: list[str], kinds: list[tuple[str, ...] | None], contained: list[bool], resolved: list[Place | None]
) -> None:
    """Read every other mention of a name as its mention with a container does ("Parkland, Florida" ... "Parkland").

    ``kinds`` holds each mention's feature hint ("Sullivan County": a county), or None for a border
    phrase; a mention takes the container's reading when it has no hint or the reading is of its kind.
    A name read two ways by its containers is left alone.
    """
    settled: dict[str, set[Place]] = {}
    for k, place in enumerate(resolved):
        within = resolved[k + 1] if contained[k] else None
        unit = within is not None and within.feature in ("admin1", "admin2")  # a country is as often a list
        if place is not None and within is not None and unit and coarser(within, place) and inside(place, within):
            settled.setdefault(fold(names[k]), set()).add(place)
    for k, name in enumerate(names):
        readings = settled.get(fold(name), set())
        hint = kinds[k]
        if len(readings) != 1 or hint is None or resolved[k] is None or contained[k]:
            continue
        reading = next(iter(readings))
        if not hint or reading.feature in hint:
            resolved[k] = reading


def _units_after_towns(
    names: list[str], contained: list[bool], resolved: list[Place | None], gazetteer: Gazetteer
) -> None:
    """Read a container named like a town as the unit it names when the place before it lies in that unit.

    "Coatzacoalcos, Veracruz": Veracruz is the state here, not its namesake port, though a bare "Veracruz"
    is the city.
    """
    for k in range(len(names) - 1):
        inner, outer = resolved[k], resolved[k + 1]
        if not contained[k] or inner is None or outer is None or outer.feature not in ("city", "village"):
            continue
        if inner.place_id == outer.place_id or inner.feature in ("country", "admin1", "region"):
            continue
        units = [p for p in candidates_of(names[k + 1], gazetteer)
                 if p.feature in ("admin1", "admin2") and coarser(p, inner) and inside(inner, p)]
        if len(units) == 1:
            resolved[k + 1] = units[0]


def _against_focus(
    resolved: list[Place | None], certain: list[bool], lexicon: Lexicon, outside: list[Place], backed: set[str]
) -> None:
    """Leave unresolved the foreign readings that go against a document whose places lie in one country.

    In a story that names two or more places of one country (a province or district named with its unit
    word or as a container counting twice) and few elsewhere, a town of another country that nothing
    else in the story backs is a misread word when it is small, or when it lies on the other side of
    the world and is no world city ("Metro police" in a Tennessee story is no town in Indonesia):
    better unresolved than silently kept. A country in ``backed`` (its police or army acts in the story)
    weighs one name more, but backs no reading of its own.
    """
    named: dict[str, set[str]] = defaultdict(set)
    units: dict[str, set[str]] = defaultdict(set)  # a province or district surely named counts twice
    for place, sure in [*zip(resolved, certain, strict=True), *((p, False) for p in outside)]:
        if place is not None:
            named[place.country].add(place.place_id)
            if sure and place.feature in ("admin1", "admin2"):
                units[place.country].add(place.place_id)
    if not named:
        return
    weight = {country: len(named[country]) + len(units[country]) + (country in backed) for country in named}
    focus = max(weight, key=lambda c: weight[c])
    if weight[focus] < FOCUS_NAMES or weight[focus] < FOCUS_SHARE * sum(weight.values()):
        return
    home = [p for p in resolved if p is not None and p.country == focus and p.feature not in ("country", "region")]
    for k, place in enumerate(resolved):
        if place is not None and place.country != focus and len(named[place.country]) == 1 \
                and _against(place, home, lexicon):
            resolved[k] = None


def _against_state(
    spans: list[Span], names: list[str], text: str, resolved: list[Place | None], outside: list[Place],
    gazetteer: Gazetteer,
) -> None:
    """Read again, inside the story's state, a small town or a county that lies far away in another state.

    In a story whose places lie in one first-order unit (a US state, a province), a town or county of
    another unit that nothing else backs is mostly a homonym ("Marion County" in a Texas story): it
    takes the reading of its name inside the story's unit, or stays unresolved when there is none.
    """
    lexicon = gazetteer.lexicon
    agencies = {(p.country, p.admin1) for span, p in zip(spans, resolved, strict=True)
                if p is not None and names_agency(span, text, lexicon, any_case=True)}
    found = _focus_unit([*zip(names, resolved, strict=True), *((p.name, p) for p in outside)], agencies)
    if found is None:
        return
    focus, by_agency = found
    unit = gazetteer.admin1(*focus)
    home = [p for p in [*resolved, *outside] if p is not None and (p.country, p.admin1) == focus]
    for k, place in enumerate(resolved):
        if place is None or unit is None or not _far_homonym(place, home, names, resolved, k, lexicon):
            continue
        if by_agency and len(candidates_of(names[k], gazetteer)) < 2:
            continue  # a focus the local agency alone sets re-reads only names that have other readings
        context = context_of([p for n, p in enumerate(resolved) if n != k], unit)
        resolved[k] = best(spans[k], names[k], context, gazetteer)


def _focus_unit(named: list[tuple[str, Place | None]],
                agencies: set[tuple[str, str]]) -> tuple[tuple[str, str], bool] | None:
    """The (country, first-order unit) most of a story's names lie in, when it holds enough of them.

    The flag says the unit holds enough only because the place whose agency tells the story ("Dayton
    police said", ``agencies``) counts as two names: the police of the story's town speak of their
    town, so a far small town of another unit is more likely a neighbourhood there. Such a focus only
    re-reads names with several readings.
    """
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, place in named:
        if place is not None and place.admin1 and place.feature not in ("country", "region"):
            units[(place.country, place.admin1)].add(fold(name))
    if not units:
        return None
    for by_agency in (False, True):
        weights = {u: len(names) + (1 if by_agency and u in agencies else 0) for u, names in units.items()}
        focus = max(weights, key=lambda u: weights[u])
        if weights[focus] >= FOCUS_NAMES and weights[focus] >= FOCUS_SHARE * sum(weights.values()):
            return focus, by_agency
    return None


def _far_homonym(
    place: Place, home: list[Place], names: list[str], resolved: list[Place | None], k: int, lexicon: Lexicon
) -> bool:
    """Whether mention ``k`` is a small town or county of another unit, far away and backed by no other name."""
    if place.feature not in ("city", "village", "admin2") or (is_major(place, lexicon) and place.feature != "admin2"):
        return False
    unit = (place.country, place.admin1)
    if any(p is not None and (p.country, p.admin1) == unit and fold(names[n]) != fold(names[k])
           for n, p in enumerate(resolved)):
        return False
    if any((p.country, p.admin1) == (place.country, place.admin1) for p in home):
        return False
    return all(km_between(place.lat, place.lon, p.lat, p.lon) > STATE_FAR_KM for p in home)


def _against(place: Place, home: list[Place], lexicon: Lexicon) -> bool:
    """Whether a foreign town or unit is too small, or too far from the story's places, to be named on its own."""
    if place.feature not in ("city", "village", "admin1", "admin2"):
        return False
    if place.population < MAJOR_FACTOR * lexicon.min_population:
        return True
    far = all(km_between(place.lat, place.lon, p.lat, p.lon) > FAR_KM for p in home)
    return bool(home) and far and place.population < WORLD_CITY


def _is_facility(name: str, lexicon: Lexicon) -> bool:
    """Whether a name begins or ends with a word for a kind of site ("Kabul University", "University of Balkh")."""
    words = [w for w in fold(name).split() if w not in lexicon.grammar.link_words]
    return len(words) > 1 and (words[0] in lexicon.generic_words or words[-1] in lexicon.generic_words)


def _is_dateline(text: str, span: Span) -> bool:
    """Whether a name opens a line as a news dateline ("KABUL, Afghanistan (Reuters) -")."""
    if not opens_line(text, span.start):
        return False
    surface = text[span.start : span.end]
    return (surface.isupper() and len(surface) > 2) or bool(_DATELINE_TAIL.match(text, span.end))


def _area_hint(gap: str, lexicon: Lexicon) -> tuple[str, ...]:
    """What the names before "areas of" are ("X, Y and Z areas of W district": villages or areas)."""
    found = lexicon.grammar.area_gap.match(gap)
    if found is None:
        return ()
    word = fold(found.group(1))
    return lexicon.feature_words.get(word) or lexicon.feature_words.get(word.rstrip("s")) or ("village", "city")


def _container_hint(hint: tuple[str, ...]) -> tuple[str, ...]:
    """What kind of unit contains a place of this kind ("Andar district, Ghazni": a province)."""
    if "admin2" in hint:
        return ("admin1",)
    return ("admin2", "admin1")


def _contains(inner: Span, outer: Span, text: str, lexicon: Lexicon) -> bool:
    """Whether ``outer`` follows ``inner`` as its container ("X district, Y province", "X and Y areas of Z").

    A name that goes on with "and"/"or" ends a list ("Mexico, the US, and Canada"), not a container.
    """
    grammar = lexicon.grammar
    gap = text[inner.end : outer.start]
    if grammar.area_gap.match(gap):
        return True
    return len(gap) <= 12 and bool(grammar.container_gap.match(gap)) and not grammar.list_goes_on.match(text, outer.end)


def _listed_after(spans: list[Span], k: int, text: str) -> bool:
    """Whether a bare name follows another after a comma, in a list ("Georgia, Oklahoma, Pennsylvania and Ohio").

    Such a name is not placed inside the next one; a name with a feature word may be ("Andar district,
    Ghazni province, Afghanistan").
    """
    span = spans[k]
    if k == 0 or span.hint or spans[k - 1].hint:
        return False
    return text[spans[k - 1].end : span.start].strip() == ","


def _mention(analysis: Analysis, span: Span, place: Place | None, lexicon: Lexicon) -> PlaceMention:
    """A PlaceMention with ACLED and UCDP precision codes."""
    surface = analysis.document.text[span.start : span.end]
    if place is None:
        log.info("%s: unresolved place %r", analysis.document.doc_id, surface)
        return PlaceMention(analysis.evidence(span.start, span.end), surface, None, 3, 7, span.relation, 0.0)
    relation = span.relation
    acled, ucdp = precision_of(place, lexicon, "border" if span.border else relation)
    confidence = 0.9 if span.source in ("ner", "gold", "bracket") else 0.75
    return PlaceMention(analysis.evidence(span.start, span.end), surface, place, acled, ucdp, relation, confidence)


def precision_of(place: Place, lexicon: Lexicon, relation: str = "") -> tuple[int, int]:
    """ACLED geo_precision (1-3) and UCDP where_prec (1-7) for a resolved place and relation."""
    acled = lexicon.acled_precision.get(place.feature, ACLED_UNKNOWN)
    ucdp = lexicon.ucdp_precision.get(place.feature, UCDP_UNKNOWN)
    if relation == "border":
        return 3, 5
    if relation and relation != "dateline":
        acled = min(3, acled + 1)
        ucdp = 2 if ucdp == 1 else ucdp
    return acled, ucdp

