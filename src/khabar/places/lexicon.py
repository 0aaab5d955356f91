"""How the places stage reads text: lookup keys, the lexicon of place phrases and how strong a reading is.

The lexicon is data (``khabar/data/gazetteer/lexicon.yaml``, schema in its header and README): feature
words, relative phrases, demonyms, ranking weights, the English words the phrase patterns are built
from (``grammar``) and the ACLED and UCDP precision codes of each feature.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khabar.datafiles import Either, Fields, read_packaged_yaml
from khabar.errors import DataError
from khabar.records import Place

FEATURES = ("country", "admin1", "admin2", "city", "village", "landmark", "crossing", "region")
ACLED_UNKNOWN = 3  # the coarsest ACLED code, for a feature the precision table lacks
UCDP_UNKNOWN = 4
QUOTES = re.compile(r"[’‘ʼ`'\u02bb\u02bf\u02be]")
SEPARATORS = re.compile(r"[-–.,()/]+|\s+")

_WORDS = [str]
GRAMMAR_SCHEMA = Fields(
    required={
        "articles": _WORDS,
        "name_articles": _WORDS,
        "container_articles": _WORDS,
        "container_gaps": _WORDS,
        "area_words": _WORDS,
        "part_of": _WORDS,
        "list_words": _WORDS,
        "links_after": _WORDS,
        "unit_tail_words": _WORDS,
        "admin1_suffixes": _WORDS,
        "link_words": _WORDS,
        "name_particles": _WORDS,
        "abbreviations": {str: str},
        "compass_words": _WORDS,
    }
)
LEXICON_SCHEMA = Fields(
    required={
        "focus": _WORDS,
        "min_population": int,
        "feature_words": {str: _WORDS},
        "relations": {str: str},
        "border_words": _WORDS,
        "not_places": _WORDS,
        "demonyms": {str: str},
        "feature_prior": {str: float},
        "capital_bonus": float,
        "generic_words": _WORDS,
        "street_words": _WORDS,
        "street_openers": _WORDS,
        "agency_words": _WORDS,
        "grammar": GRAMMAR_SCHEMA,
        "precision": Fields(required={"acled": {str: int}, "ucdp": {str: int}}),
    },
    optional={"version": Either(int, str)},
)


# marks a line may open with before its dateline ("- KENT, Ohio -", "* KABUL (AP)")
_LINE_BULLETS = "\"'*([-\u2013\u2014\u2022"


def opens_line(text: str, start: int) -> bool:
    """Whether only spaces and bullet marks come before a position on its line (where a dateline opens)."""
    line_start = max(text.rfind(c, 0, start) for c in "\n\u2028\u2029") + 1
    return not text[line_start:start].strip().strip(_LINE_BULLETS)


@lru_cache(maxsize=100_000)
def fold(name: str) -> str:
    """A lookup key: lowercase, no accents or apostrophes, hyphens and dots as spaces."""
    if name.isascii():
        plain = QUOTES.sub("", name.lower())
        return " ".join(part for part in SEPARATORS.split(plain) if part)
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = QUOTES.sub("", plain.lower())
    return " ".join(part for part in SEPARATORS.split(plain) if part)


@dataclass(slots=True, frozen=True)
class Grammar:
    """The English phrase patterns around place names, built from the lexicon's ``grammar`` words."""

    trailing_article: re.Pattern[str]  # an article ending the folded text before a name
    name_article: re.Pattern[str]  # a leading article a folded name is also looked up without
    container_gap: re.Pattern[str]  # the whole text between a place and its container
    area_gap: re.Pattern[str]  # the text before a container ending "areas of"; group 1 is the area word
    list_goes_on: re.Pattern[str]  # a list going on after a name
    container_after: re.Pattern[str]  # a link and a capitalised run after a name; group 1 is the run
    unit_tail: re.Pattern[str]  # a unit word and everything after it
    part_of: re.Pattern[str]  # the link of a part to its whole, with its spaces
    admin1_suffix: re.Pattern[str]  # a unit word ending a folded first-order division name
    link_words: frozenset[str]
    name_particles: frozenset[str]
    abbreviations: tuple[tuple[str, str], ...]
    compass_words: frozenset[str]  # a name the gazetteer lacks is read without one of these in front
    links_after: frozenset[str] = frozenset()  # the words of ``container_after``'s link ("in", "at")


@dataclass(slots=True, frozen=True)
class Lexicon:
    """How place phrases are read: feature words, relative phrases, demonyms, stop names, precision codes."""

    focus: frozenset[str]
    min_population: int
    feature_words: dict[str, tuple[str, ...]]
    relations: dict[str, str]
    border_words: frozenset[str]
    not_places: frozenset[str]
    demonyms: dict[str, str]
    feature_prior: dict[str, float]
    capital_bonus: float
    generic_words: frozenset[str]
    street_words: frozenset[str]
    street_openers: frozenset[str]  # a name after "<opener> of" is a street's ("the 6700 block of South Aberdeen")
    agency_words: frozenset[str]  # the first word of a local agency's name after its place ("Police")
    grammar: Grammar
    acled_precision: dict[str, int]
    ucdp_precision: dict[str, int]
    # relation phrases longest first, the order ``recognise.relation_before`` tries them in
    relation_order: tuple[str, ...] = ()
    # feature words that name an admin unit ("district", "province"): a capitalised name before one is a unit
    unit_words: frozenset[str] = frozenset()


def load_lexicon() -> Lexicon:
    """The packaged lexicon of place phrases, validated."""
    data = read_packaged_yaml("gazetteer", "lexicon.yaml", schema=LEXICON_SCHEMA)
    relations = {fold(str(k)): str(v) for k, v in data["relations"].items()}
    feature_words = {fold(str(k)): tuple(str(f) for f in v) for k, v in data["feature_words"].items()}
    precision = data["precision"]
    _check_features(feature_words, data["feature_prior"], precision)
    return Lexicon(
        focus=frozenset(str(c) for c in data["focus"]),
        min_population=int(data["min_population"]),
        feature_words=feature_words,
        relations=relations,
        border_words=_folded(data["border_words"]),
        not_places=_folded(data["not_places"]),
        demonyms={fold(str(k)): str(v) for k, v in data["demonyms"].items()},
        feature_prior={str(k): float(v) for k, v in data["feature_prior"].items()},
        capital_bonus=float(data["capital_bonus"]),
        generic_words=_folded(data["generic_words"]),
        street_words=_folded(data["street_words"]),
        street_openers=_folded(data["street_openers"]),
        agency_words=_folded(data["agency_words"]),
        grammar=_grammar(data["grammar"]),
        acled_precision={str(k): int(v) for k, v in precision["acled"].items()},
        ucdp_precision={str(k): int(v) for k, v in precision["ucdp"].items()},
        relation_order=tuple(sorted(relations, key=len, reverse=True)),
        unit_words=frozenset(w for w, hint in feature_words.items() if {"admin1", "admin2"} & set(hint)),
    )


def _check_features(
    feature_words: dict[str, tuple[str, ...]], prior: dict[str, Any], precision: dict[str, dict[str, Any]]
) -> None:
    """Fail naming the key when the lexicon names an unknown feature or a precision table misses one."""
    for word, hint in feature_words.items():
        unknown = set(hint) - set(FEATURES)
        if unknown:
            raise DataError(f"gazetteer/lexicon.yaml: feature_words.{word}: unknown features {sorted(unknown)}"
                            f" (known: {', '.join(FEATURES)})")
    unknown = set(prior) - {*FEATURES, "foreign_admin2"}
    if unknown:
        raise DataError(f"gazetteer/lexicon.yaml: feature_prior: unknown features {sorted(unknown)}")
    for scheme, table in precision.items():
        missing = set(FEATURES) - set(table)
        if missing:
            raise DataError(f"gazetteer/lexicon.yaml: precision.{scheme}: missing {sorted(missing)}; list all features")


def _folded(words: Iterable[Any]) -> frozenset[str]:
    """The lookup keys of a word list."""
    return frozenset(fold(str(w)) for w in words)


def _alternatives(words: Iterable[Any]) -> str:
    """A regex alternation of words or phrases, longest first; a space in a phrase matches any spaces or none."""
    phrases = sorted({str(w) for w in words}, key=lambda p: (-len(p), p))
    return "|".join(r"\s*".join(re.escape(part) for part in phrase.split()) for phrase in phrases)


def _grammar(data: dict[str, Any]) -> Grammar:
    """The phrase patterns built from the ``grammar`` word lists."""
    article = rf"(?:(?:{_alternatives(data['container_articles'])})\s+)?"
    part_of = _alternatives(data["part_of"])
    return Grammar(
        trailing_article=re.compile(rf"\s(?:{_alternatives(_folded(data['articles']))})$"),
        name_article=re.compile(rf"^(?:{_alternatives(_folded(data['name_articles']))})\s+"),
        container_gap=re.compile(rf"^\s*(?:{_alternatives(data['container_gaps'])})?\s*{article}$", re.IGNORECASE),
        area_gap=re.compile(
            rf"^[^.;:()]{{0,60}}?\b({_alternatives(data['area_words'])})\s+(?:{part_of})\s+{article}$", re.IGNORECASE
        ),
        list_goes_on=re.compile(rf"\s*,?\s*(?:{_alternatives(data['list_words'])})\s", re.IGNORECASE),
        container_after=re.compile(
            rf"(?:\s*\([A-Z][A-Za-z.&]{{0,9}}\))?(?:(?:\s*,)?\s+(?:{_alternatives(data['links_after'])})\s+|\s*,\s*)"
            rf"{article}([A-Z][\w'’-]*\.?(?: [A-Z][\w'’-]*\.?){{0,3}})"
        ),
        unit_tail=re.compile(rf"\s+(?:{_alternatives(data['unit_tail_words'])})\b.*$", re.IGNORECASE),
        part_of=re.compile(rf"\s+(?:{part_of})\s+"),
        admin1_suffix=re.compile(rf"\s+(?:{_alternatives(_folded(data['admin1_suffixes']))})$"),
        link_words=_folded(data["link_words"]),
        name_particles=frozenset(str(w) for w in data["name_particles"]),
        abbreviations=tuple(sorted((fold(str(k)), fold(str(v))) for k, v in data["abbreviations"].items())),
        compass_words=_folded(data["compass_words"]),
        links_after=_folded(data["links_after"]),
    )


def prior(place: Place, lexicon: Lexicon) -> float:
    """How likely a place is as a reading of its name, before context."""
    feature = place.feature
    if feature == "admin2" and place.country not in lexicon.focus:
        feature = "foreign_admin2"  # news names counties with the word ("Kent County"), towns without
    return math.log10(place.population + 10) + lexicon.feature_prior.get(feature, 0.0)


def is_strong(places: Iterable[Place], lexicon: Lexicon) -> bool:
    """Whether any reading is a unit, a curated feature or a large town."""
    for place in places:
        if place.feature in ("country", "admin1", "landmark", "crossing", "region"):
            return True
        if place.feature == "admin2":
            # elsewhere counties are often named after people ("Johnson County")
            if place.country in lexicon.focus:
                return True
            continue
        if place.population >= lexicon.min_population:
            return True
    return False


def is_major(place: Place, lexicon: Lexicon) -> bool:
    """Whether a reading is a unit, a curated feature or a town well above the matcher's minimum."""
    if place.feature in ("city", "village"):
        return place.population >= 10 * lexicon.min_population
    return True
