"""Where an event happened: which of a document's place mentions (the places stage's) is an event's site.

The events stage asks ``place_for``, ``finer_fallback`` and ``capital_mention``. A resolved
mention names a site unless it only modifies a noun ("US forces": an actor) or is the subject of a
reporting verb ("the Pentagon said": a speaker). The reporting verbs are the claims lexicon's
(``lexicons/claims.yaml``), loaded once into ``SiteCues``; ``event_places`` sorts one document's
mentions into ``EventPlaces`` once, for a caller to pass to ``place_for`` for every trigger it places.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from khabar.datafiles import check, read_packaged_yaml
from khabar.errors import DataError
from khabar.places import Gazetteer, fold, km_between, main_place
from khabar.places.resolve import UNLISTED
from khabar.records import Analysis, PlaceMention, Token

CAPITAL_REACH_KM = 20  # a landmark this close to a capital's point lies in the capital (its airport, a district)
_AREA_FEATURES = frozenset({"admin1", "admin2", "country", "region"})  # units, not towns, a person may be "of"


@dataclass(slots=True, frozen=True)
class SiteCues:
    """What tells a speaking place from a site: the lemmas of reporting verbs (say, announce, deny ...)."""

    reporting: frozenset[str]


def load_site_cues() -> SiteCues:
    """The reporting verbs of the claims lexicon, validated."""
    reporting = read_packaged_yaml("lexicons", "claims.yaml").get("reporting") or {}
    problem = check(reporting, {str: [str]}, "reporting")
    if problem:
        raise DataError(f"lexicons/claims.yaml: {problem}; reinstall khabar or restore the file")
    return SiteCues(frozenset(str(lemma) for lemmas in reporting.values() for lemma in lemmas))


@dataclass(slots=True, frozen=True)
class EventPlaces:
    """One document's place mentions as the events stage reads them, sorted once by ``event_places``."""

    sites: tuple[PlaceMention, ...]  # resolved mentions that name a site, not an actor or a speaker
    resolved: tuple[PlaceMention, ...]  # the sites that are not a dateline


def event_places(analysis: Analysis, cues: SiteCues) -> EventPlaces:
    """The site mentions of an analysed document, for ``place_for``."""
    homes = _homes(analysis) | _namesake_containers(analysis)
    sites = tuple(
        m for m in analysis.places
        if m.place is not None and not _is_modifier(analysis, m) and not _is_speaker(analysis, m, cues)
        and m.evidence.start not in homes
    )
    return EventPlaces(sites, tuple(m for m in sites if m.relation != "dateline"))


def place_for(analysis: Analysis, start: int, end: int, sites: EventPlaces) -> PlaceMention | None:
    """The place belonging to the clause of an event trigger at [start, end).

    ``sites`` are the document's mentions as ``event_places`` sorted them, once for all its triggers.
    """
    every, resolved = sites.sites, sites.resolved
    sentence = analysis.sentence_of(start)
    if sentence is None or not resolved:
        return _coarsen(_document_place(resolved or every), 3)
    same = [m for m in resolved if m.evidence.sentence == sentence.index]
    clause = _in_clause(analysis, same, start, end)
    if clause and not (_finest(clause, start).place.feature == "country" and same):  # type: ignore[union-attr]
        return _finest(clause, start)
    if same:
        return _finest(same, start)
    earlier = _paragraph_before(analysis, resolved, sentence.index)
    if earlier:
        return _coarsen(_finest(earlier, start), 2)
    return _coarsen(_document_place(resolved), 3)


def finer_fallback(analysis: Analysis, country: str = "") -> PlaceMention | None:
    """The document's main place below country level (in ``country`` if given), at a coarse precision.

    For an event placed only in a country ("in southern Afghanistan") when the text names its
    provinces and districts elsewhere; None when it names none.
    """
    homes = _homes(analysis)
    fine = [
        m
        for m in analysis.places
        if m.place is not None and m.evidence.start not in homes
        and m.place.feature not in ("country", "region")
        and m.relation != "dateline"
        and (not country or m.place.country == country)
        and not _is_modifier(analysis, m)
    ]
    main = main_place([m.place for m in fine if m.place is not None])
    found = next((m for m in fine if m.place is main), None)
    return _coarsen(found, 3)


def capital_mention(analysis: Analysis, country: str, gazetteer: Gazetteer) -> PlaceMention | None:
    """The first mention of a country's capital, else of a place inside it, else of the country; None if none.

    A place inside the capital ("Kabul airport") is read as the capital itself, its evidence kept.
    """
    named = [m for m in analysis.places if m.place and m.place.country == country and m.relation != "dateline"]
    capital = next((m for m in named if m.place is not None and m.place.place_id in gazetteer.capitals), None)
    seat = gazetteer.capital(country) if capital is None else None
    inside = next(
        (
            m
            for m in named
            if seat is not None and m.place is not None and m.place.feature not in ("country", "admin1")
            and km_between(m.place.lat, m.place.lon, seat.lat, seat.lon) <= CAPITAL_REACH_KM
        ),
        None,
    )
    if inside is not None:
        return replace(inside, place=seat)
    return capital or next((m for m in named if m.place is not None and m.place.feature == "country"), None)


def _last_token(analysis: Analysis, mention: PlaceMention) -> Token | None:
    """The last token of a mention's span (None when the span holds no token start)."""
    tokens = analysis.tokens
    after = bisect_left(tokens, mention.evidence.end, key=lambda t: t.start)
    return tokens[after - 1] if after and tokens[after - 1].start >= mention.evidence.start else None


def _head_of(analysis: Analysis, token: Token) -> Token:
    """A token's syntactic head (itself at the root or when the head is out of range)."""
    tokens = analysis.tokens
    return tokens[token.head] if 0 <= token.head < len(tokens) else token


def _is_speaker(analysis: Analysis, mention: PlaceMention, cues: SiteCues) -> bool:
    """Whether a place is the subject of a reporting verb ("the Pentagon said"): it names a speaker, not a site."""
    last = _last_token(analysis, mention)
    return last is not None and last.dep == "nsubj" and _head_of(analysis, last).lemma.lower() in cues.reporting


def _homes(analysis: Analysis) -> set[int]:
    """Start offsets of mentions naming a person's home town, and of the state after one ("of Austin, Texas")."""
    homes: set[int] = set()
    end = -1
    for mention in analysis.places:
        after_home = end >= 0 and analysis.document.text[end:mention.evidence.start] == ", "
        if after_home or _is_home(analysis, mention):
            homes.add(mention.evidence.start)
            end = mention.evidence.end
        else:
            end = -1
    return homes


def _namesake_containers(analysis: Analysis) -> set[int]:
    """Starts of a province's namesake city that follows a place of that province ("Thingangyun township, Yangon").

    It says which province the place before it lies in, not a second site: read as one, an act told after it
    would be put in the city and set apart from the act told before it.
    """
    found: set[int] = set()
    text, mentions = analysis.document.text, analysis.places
    for before, mention in pairwise(mentions):
        inner, outer = before.place, mention.place
        if inner is None or outer is None or text[before.evidence.end:mention.evidence.start].strip() != ",":
            continue
        namesake = bool(outer.admin1) and fold(outer.name) == fold(outer.admin1) and inner.place_id != outer.place_id
        if namesake and (inner.country, inner.admin1) == (outer.country, outer.admin1):
            found.add(mention.evidence.start)
    return found


def _is_home(analysis: Analysis, mention: PlaceMention) -> bool:
    """Whether a place is where a named person comes from ("Carla Jensen, 29, of Columbia"), not a site.

    News gives a victim's or a soldier's home town as "of X" after the name; the incident may lie
    far from it. Only a town is a home: "a tribal elder of Sangin district" names where he lives and
    acts, and coders place his killing there.
    """
    if mention.place is None or mention.place.feature in _AREA_FEATURES:
        return False
    tokens = analysis.tokens
    first = bisect_left(tokens, mention.evidence.start, key=lambda t: t.start)
    if first == 0 or first >= len(tokens) or tokens[first - 1].text.lower() != "of":
        return False
    head = _head_of(analysis, tokens[first - 1])
    return head.ent_type == "PERSON" or (head.pos == "PROPN" and _after_age(tokens, first - 1))


def _after_age(tokens: Sequence[Token], of: int) -> bool:
    """Whether ", <age>," stands just before a token ("Jensen, 29, of")."""
    return of >= 3 and tokens[of - 1].text == "," and tokens[of - 2].pos == "NUM" and tokens[of - 3].text == ","


def _is_modifier(analysis: Analysis, mention: PlaceMention) -> bool:
    """Whether a country or a seat of power only names an actor: "US forces", "Pentagon officials", "by the Kremlin".

    A landmark such as the Pentagon or the Kremlin stands for the government it houses when it qualifies
    a noun or is the agent of a passive ("described by the Pentagon"); it is a site only as a place.
    """
    if mention.place is None or mention.place.feature not in ("country", "landmark"):
        return False
    last = _last_token(analysis, mention)
    if last is None:
        return False
    head = _head_of(analysis, last)
    if mention.place.feature == "landmark" and last.dep == "pobj" and head.dep == "agent":
        return True
    outside = not mention.evidence.start <= head.start < mention.evidence.end
    return last.dep in ("compound", "amod", "poss") and head.pos in ("NOUN", "PROPN") and outside


def _finest(mentions: Sequence[PlaceMention], near: int) -> PlaceMention:
    """The most precise mention, nearest the trigger among equals.

    An unlisted village read at its container's point ("Hlassame (Lalo, Couffo)", ``places.resolve``) is as
    precise as that container and is preferred to it: it is the site the text names.
    """
    containers = {m.place.place_id: m.ucdp_precision for m in mentions if m.place is not None}

    def rank(mention: PlaceMention) -> tuple[int, int, int]:
        """Precision (an unlisted village's is its container's), unlisted villages first, distance."""
        place_id = mention.place.place_id if mention.place is not None else ""
        parent = place_id.removeprefix(UNLISTED).rpartition("/")[0] if place_id.startswith(UNLISTED) else ""
        if parent in containers:
            return containers[parent], 0, abs(mention.evidence.start - near)
        return mention.ucdp_precision, 1, abs(mention.evidence.start - near)

    return min(mentions, key=rank)


def _coarsen(mention: PlaceMention | None, floor: int) -> PlaceMention | None:
    """A fallback mention with its ACLED precision no finer than ``floor``."""
    if mention is None:
        return None
    return replace(
        mention,
        precision=max(mention.precision, floor),
        ucdp_precision=max(mention.ucdp_precision, 2 if floor == 2 else 4),
        confidence=0.5,
    )


def _in_clause(analysis: Analysis, mentions: Sequence[PlaceMention], start: int, end: int) -> list[PlaceMention]:
    """Mentions whose dependency path reaches the trigger's clause head."""
    tokens = analysis.tokens
    if not mentions:
        return []
    first = bisect_right(tokens, start, key=lambda t: t.end)  # the first token ending after ``start``
    if first == len(tokens) or tokens[first].start >= end:
        return []
    head = _clause_head(tokens, tokens[first].i)
    return [m for m in mentions if _clause_head(tokens, _token_at(tokens, m.evidence.start)) == head]


def _token_at(tokens: Sequence[Token], offset: int) -> int:
    """The index of the token covering a character offset (0 when none does)."""
    at = bisect_right(tokens, offset, key=lambda t: t.end)
    return tokens[at].i if at < len(tokens) and tokens[at].start <= offset else 0


def _clause_head(tokens: Sequence[Token], i: int) -> int:
    """The nearest verb at or above a token that heads a clause."""
    seen = set()
    while i not in seen:
        seen.add(i)
        token = tokens[i]
        if token.pos in ("VERB", "AUX") and token.dep in ("ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "acl"):
            return i
        if token.head == i:
            return i
        i = token.head
    return i


def _paragraph_before(analysis: Analysis, mentions: Sequence[PlaceMention], index: int) -> list[PlaceMention]:
    """Mentions in the sentences before ``index`` within the same paragraph, latest sentence first."""
    text = analysis.document.text
    sentence = analysis.sentences[index]
    para_start = text.rfind("\n\n", 0, sentence.start)
    candidates = [m for m in mentions if para_start <= m.evidence.start < sentence.start]
    if not candidates:
        return []
    last = max(m.evidence.sentence for m in candidates)
    return [m for m in candidates if m.evidence.sentence == last]


def _document_place(mentions: Sequence[PlaceMention]) -> PlaceMention | None:
    """The mention of the document's main place."""
    main = main_place([m.place for m in mentions if m.place is not None])
    return next((m for m in mentions if m.place is main), None)
