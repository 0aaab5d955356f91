"""Reading one given span (``resolve_span``), and where names the gazetteer lacks most likely lie.

A demonym names its country; a name the gazetteer lacks lies in the place named right after it ("the
X Hospital in Rome"), else in the place named inside it ("Jalalabad Regional Hospital"), else in the
document's main town. The document's main place is read here too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from khabar.places.gazetteer import Gazetteer, inside
from khabar.places.lexicon import Lexicon, fold, is_major, is_strong, prior
from khabar.places.rank import Context, best, candidates_of, context_of, nearness, same_name
from khabar.places.recognise import Span, extend
from khabar.records import Place


def resolve_span(
    text: str, start: int, end: int, gazetteer: Gazetteer, context_places: Sequence[Place] = ()
) -> Place | None:
    """The place a text span names, given other places of the same document as context.

    A demonym ("Syrian") names its country; a name the gazetteer lacks falls back to the place named
    right after it ("the X Hospital in Rome"), then to the place named inside it ("Kandahar Airfield
    Road"), then to the document's main town (``_local_place``).
    A name the document reads one way elsewhere, backed by its province, keeps that reading.
    """
    own = {p.place_id for p in candidates_of(text[start:end], gazetteer)}
    context = context_of(context_places, None, own)
    place = _demonym(text[start:end], gazetteer) or _read_span(text, start, end, context, gazetteer)
    settled = _settled(context_places, own)
    if place is not None and place.place_id in own and len(settled) == 1:
        return settled.pop()  # the document reads the name one way elsewhere
    if place is None:
        place = unlisted_name_place(text, start, end, context, gazetteer)
    if place is None and context_places:
        return _local_place(list(context_places), gazetteer.lexicon)
    return place


def _settled(context_places: Sequence[Place], own: set[str]) -> set[Place]:
    """The document's readings of a name (``own`` place ids) that another of its places backs by province.

    "Parkland" read in Florida by a document that also names Florida; a reading nothing else backs
    may be the document's own mistake and is no evidence.
    """
    backing = {(p.country, p.admin1) for p in context_places if p.place_id not in own and p.admin1}
    return {p for p in context_places if p.place_id in own and p.admin1 and (p.country, p.admin1) in backing}


def _local_place(places: list[Place], lexicon: Lexicon) -> Place | None:
    """Where a name the gazetteer lacks most likely lies: the document's main town, else its main unit or country.

    Names missing from the gazetteer are mostly small local places, so the finest focus of the
    document is nearer to them than its country.
    """
    for kinds in (("city", "village", "landmark", "crossing"), ("admin2", "admin1")):
        fine = [p for p in places if p.feature in kinds]
        if fine:
            return main_place(fine, lexicon)
    return main_place(places, lexicon)


def _demonym(surface: str, gazetteer: Gazetteer) -> Place | None:
    """The country or region a demonym or its plural names ("Afghans")."""
    key = fold(surface)
    demonyms = gazetteer.lexicon.demonyms
    found = demonyms.get(key) or (demonyms.get(key[:-1]) if key.endswith("s") else None)
    return gazetteer.by_id(found) if found else None


def _read_span(text: str, start: int, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """The best reading of a given span, with its feature word and relation read."""
    span = Span(start, end, end, "gold")
    extend(span, text, gazetteer)
    return best(span, text[start:end], context, gazetteer)


def unlisted_name_place(text: str, start: int, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """Where a name the gazetteer lacks lies: the place named right after it, else the place named inside it."""
    return _container_after(text, end, context, gazetteer) or _inner_place(text, start, end, context, gazetteer)


def street_place(text: str, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """Where a street lies: the place named right after it ("on River Road in Moretown"), else nowhere known."""
    return _container_after(text, end, context, gazetteer)


def _inner_place(text: str, start: int, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """The place named by the longest run of capitalised words inside a longer name.

    "Jalalabad Regional Hospital" lies in Jalalabad and "University of Balkh" in Balkh; a run must
    name a strong place (see ``lexicon.is_strong``) or one in a country the document names, and a minor town
    must lie near the document's other places ("Hatch" in a racetrack's name is no town in New Mexico).
    """
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s,]+", text[start:end])]
    if not words or fold(text[words[-1][0] : words[-1][1]]) in gazetteer.lexicon.street_words:
        return None
    for size in range(len(words) - 1, 0, -1):
        found = []
        for k in range(len(words) - size + 1):
            a, b = words[k][0], words[k + size - 1][1]
            place = _run_place(text, a, b, context, gazetteer)
            if place is not None and _backed(place, context, gazetteer.lexicon):
                found.append(place)
        if found:
            return max(found, key=lambda p: (p.feature != "region", prior(p, gazetteer.lexicon)))
    return None


def _container_after(text: str, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """The place named right after a name the gazetteer lacks, which contains it ("the X Hospital in Rome").

    The longest leading part of the following capitalised run that reads as a place wins.
    """
    found = gazetteer.lexicon.grammar.container_after.match(text, end)
    if found is None:
        return None
    words = list(re.finditer(r"\S+", found.group(1)))
    # a run goes on past a dot only after an abbreviation ("St. Louis"), not past a sentence's end
    ends = [k for k, word in enumerate(words) if word.group().endswith(".") and len(word.group()) > 4]
    words = words[: ends[0] + 1] if ends else words
    start = found.start(1)
    for size in range(len(words), 0, -1):
        place = _run_place(text, start, start + words[size - 1].end(), context, gazetteer)
        if place is not None and _backed(place, context, gazetteer.lexicon):
            return place
    return None


def _backed(place: Place, context: Context, lexicon: Lexicon) -> bool:
    """Whether a reading inside a longer name is major, or a minor town within ``NEAR_KM`` of the document's places.

    Minor towns share their names with people and things ("Jones", "Salt"): far from the story they are coincidences.
    A document with no other town or unit gives no story to weigh them against, and no better fallback.
    """
    if is_major(place, lexicon):
        return True
    others = [point for point in context.points if point != (place.lat, place.lon)]  # not its own other mentions
    return not others or nearness(place, others) >= 2.0


def _run_place(text: str, start: int, end: int, context: Context, gazetteer: Gazetteer) -> Place | None:
    """A place for one run of words inside a name, or None when it is a common word or weak."""
    surface = text[start:end].strip(".'’")
    lexicon = gazetteer.lexicon
    key = fold(surface)
    if not surface[:1].isupper() or key in lexicon.not_places or set(key.split()) <= lexicon.generic_words:
        return None
    demonym = _demonym(surface, gazetteer)
    if demonym is not None:
        return demonym
    place = _read_span(text, start, start + len(surface), context, gazetteer)
    if place is None or not (is_strong([place], lexicon) or place.country in context.countries):
        return None
    # an alternate name of a foreign town inside a longer name is more often a coincidence
    if place.country not in lexicon.focus and place.feature != "country" and not same_name(place.name, key, lexicon):
        return None
    return place


def main_place(places: list[Place], lexicon: Lexicon | None = None) -> Place | None:
    """The most mentioned place, preferring the finest of equally frequent ones.

    With a lexicon, a place also counts the mentions of the places inside it, and a weak reading
    (a small foreign town, likely a misread common word) counts half.
    """
    if not places:
        return None
    counts = Counter(p.place_id for p in places)
    rank = {f: n for n, f in enumerate(("city", "admin2", "admin1", "country"))}
    if lexicon is None:
        return max(places, key=lambda p: (counts[p.place_id], -rank.get(p.feature, 0)))
    weight = {p.place_id: 1.0 if is_major(p, lexicon) else 0.5 for p in places}
    support = {
        p.place_id: sum(weight[q.place_id] for q in places if q.place_id == p.place_id or inside(q, p)) for p in places
    }
    return max(
        places,
        key=lambda p: (weight[p.place_id] * counts[p.place_id] + 0.5 * support[p.place_id], -rank.get(p.feature, 0)),
    )

