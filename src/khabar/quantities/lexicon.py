"""The quantities lexicon (``data/lexicons/quantities.yaml``), validated and loaded once into frozen records.

``NumberWords`` is the part that reading a number written in words needs; the time stage holds it too
("three days later"). ``QuantityLexicon`` is everything the quantities stage and the toll queries read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from khabar.datafiles import Either, Fields, read_packaged_yaml
from khabar.errors import DataError

SOURCE = ("lexicons", "quantities.yaml")

_VALUE = Either(float, type(None))
_WORDS = [str]
_REGEXES = [str]

SCHEMA = Fields(required={
    "version": int,
    "approx_spread": float,
    "numbers": {str: float},
    "articles": _WORDS,
    "scales": {str: float},
    "half": str,
    "joiners": _WORDS,
    "range_words": _WORDS,
    "vague": {str: Fields(required={"low": _VALUE, "best": _VALUE, "high": _VALUE})},
    "qualifiers": {str: str},
    "kinds": {str: Fields(required={"verbs": _WORDS, "nouns": _WORDS},
                          optional={"results": _WORDS, "acts": _WORDS})},
    "result_preps": _WORDS,
    "objects": _WORDS,
    "bare_plural": Fields(required={"count": float, "kinds": _WORDS}),
    "named_kinds": _WORDS,
    "victim_subject_verbs": _WORDS,
    "harm_verbs": _WORDS,
    "relative_pronouns": _WORDS,
    "growth_verbs": _WORDS,
    "toll_words": _WORDS,
    "modals": _WORDS,
    "zero": [Fields(required={"pattern": str, "kinds": _WORDS})],
    "currencies": {str: str},
    "percent": _WORDS,
    "strength_units": _WORDS,
    "not_counts": _WORDS,
    "not_count_patterns": _REGEXES,
    "ages": Fields(required={"cues": _WORDS, "openers": _WORDS, "closers": _WORDS, "links": _WORDS,
                             "persons": Fields(required={"heads": _WORDS, "units": _WORDS})}),
    "streets": Fields(required={"name_words": int, "types": _WORDS}),
    "unit_words": _WORDS,
    "persons": _WORDS,
    "person_suffixes": _WORDS,
    "determiners": Fields(required={"definite": _WORDS, "no_count": _WORDS, "negating": _WORDS, "pairing": _WORDS}),
    "pronouns": Fields(required={"personal": _WORDS, "possessive": _WORDS}),
    "partitive": _WORDS,
    "prepositions": Fields(required={"through": _WORDS, "part": _WORDS, "company": _WORDS}),
    "continuation": Fields(required={
        "additive": _WORDS, "additive_group": _WORDS, "new_event": _REGEXES, "follow_sentences": int,
        "vague_covers": _WORDS, "whole": _WORDS, "roundup": _REGEXES, "sources": _WORDS, "generic_groups": _WORDS,
        "alternative_ratio": float,
    }),
    "coded": Fields(required={"after": _REGEXES, "split": _REGEXES}),
})

Values = tuple[float | None, float | None, float | None]


@dataclass(slots=True, frozen=True)
class NumberWords:
    """Number words, scales and vague amounts: what reading a number written in words needs."""

    numbers: dict[str, float]
    articles: frozenset[str]  # number words that are articles ("a"): a number only inside a longer one
    scales: dict[str, float]
    half: str  # the phrase that halves a scale ("half a million")
    joiners: frozenset[str]  # words inside a number ("two hundred and fifty")
    range_words: frozenset[str]  # words between the ends of a range ("5 to 7", "5 - 7")
    vague: dict[str, Values]
    vague_starts: frozenset[str]  # the first words of the vague amounts
    count_words: tuple[str, ...]  # every number word and vague amount, longest first


@dataclass(slots=True, frozen=True)
class QuantityLexicon:
    """Number words, vague amounts, qualifiers, toll words and unit tables, loaded once and passed in."""

    words: NumberWords
    qualifiers: dict[str, str]
    spread: float
    toll_kinds: frozenset[str]
    verbs: dict[str, str]
    nouns: dict[str, str]
    zero: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    currencies: dict[str, str]
    percent: frozenset[str]
    strength_units: frozenset[str]
    not_counts: frozenset[str]
    not_count_patterns: tuple[re.Pattern[str], ...]
    age_cues: frozenset[str]
    age_openers: frozenset[str]
    age_closers: frozenset[str]
    age_links: frozenset[str]
    age_heads: frozenset[str]  # "old" of "a 6-year-old" standing for a person
    age_units: frozenset[str]
    street_words: int  # how many capitalised words a street's name may have before its type
    street_types: frozenset[str]
    unit_words: frozenset[str]
    persons: frozenset[str]
    person_suffixes: tuple[str, ...]
    victim_subject_verbs: frozenset[str]
    harm_verbs: frozenset[str]
    relative_pronouns: frozenset[str]
    growth_verbs: frozenset[str]
    toll_words: frozenset[str]
    result_nouns: dict[str, str]
    result_preps: frozenset[str]
    acts: dict[str, str]
    objects: frozenset[str]
    bare_plural: float
    bare_plural_kinds: frozenset[str]
    named_kinds: frozenset[str]
    modals: frozenset[str]
    definite: frozenset[str]
    no_count: frozenset[str]
    negations: frozenset[str]
    pairing: frozenset[str]
    personal: frozenset[str]
    possessive: frozenset[str]
    partitive: frozenset[str]
    through_preps: frozenset[str]
    part_preps: frozenset[str]
    company_preps: frozenset[str]
    additive: frozenset[str]
    additive_group: frozenset[str]
    new_event: tuple[re.Pattern[str], ...]
    follow_sentences: int
    vague_covers: frozenset[str]
    whole: frozenset[str]
    roundup: tuple[re.Pattern[str], ...]
    sources: frozenset[str]
    generic_groups: frozenset[str]
    alternative_ratio: float
    coded_after: tuple[re.Pattern[str], ...]
    coded_split: tuple[re.Pattern[str], ...]


def load_lexicon() -> QuantityLexicon:
    """The packaged quantities lexicon, validated (build it once and pass it to the stage and the toll queries)."""
    data = read_packaged_yaml(*SOURCE, schema=SCHEMA)
    try:
        return build_lexicon(data)
    except (ValueError, re.error) as exc:
        raise DataError(f"{'/'.join(SOURCE)}: invalid quantities lexicon ({exc}); "
                        "see the schema at the top of the file") from exc


def build_lexicon(data: dict[str, Any]) -> QuantityLexicon:
    """A lexicon from parsed YAML that passed the schema."""
    kinds, going_on = data["kinds"], data["continuation"]
    return QuantityLexicon(
        words=_number_words(data),
        qualifiers={str(k): str(v) for k, v in data["qualifiers"].items()},
        spread=float(data["approx_spread"]),
        toll_kinds=frozenset(str(k) for k in kinds),
        verbs={str(verb): kind for kind, entry in kinds.items() for verb in entry["verbs"]},
        nouns={str(noun): kind for kind, entry in kinds.items() for noun in entry["nouns"]},
        zero=tuple((_regex(z["pattern"]), tuple(z["kinds"])) for z in data["zero"]),
        currencies={str(k).lower(): str(v) for k, v in data["currencies"].items()},
        percent=_lower(data["percent"]),
        strength_units=_lower(data["strength_units"]),
        not_counts=_lower(data["not_counts"]),
        not_count_patterns=tuple(_regex(p) for p in data["not_count_patterns"]),
        age_cues=_lower(data["ages"]["cues"]),
        age_openers=_lower(data["ages"]["openers"]),
        age_closers=_lower(data["ages"]["closers"]),
        age_links=_lower(data["ages"]["links"]),
        age_heads=_lower(data["ages"]["persons"]["heads"]),
        age_units=_lower(data["ages"]["persons"]["units"]),
        street_words=int(data["streets"]["name_words"]),
        street_types=_lower(data["streets"]["types"]),
        unit_words=frozenset(str(u) for u in data["unit_words"]),
        persons=_lower(data["persons"]),
        person_suffixes=tuple(str(p).lower() for p in data["person_suffixes"]),
        victim_subject_verbs=_lower(data["victim_subject_verbs"]),
        harm_verbs=_lower(data["harm_verbs"]),
        relative_pronouns=_lower(data["relative_pronouns"]),
        growth_verbs=_lower(data["growth_verbs"]),
        toll_words=_lower(data["toll_words"]),
        result_nouns={str(noun).lower(): kind for kind, entry in kinds.items() for noun in entry.get("results", [])},
        result_preps=_lower(data["result_preps"]),
        acts={str(noun).lower(): kind for kind, entry in kinds.items() for noun in entry.get("acts", [])},
        objects=_lower(data["objects"]),
        bare_plural=float(data["bare_plural"]["count"]),
        bare_plural_kinds=frozenset(str(k) for k in data["bare_plural"]["kinds"]),
        named_kinds=frozenset(str(k) for k in data["named_kinds"]),
        modals=_lower(data["modals"]),
        definite=_lower(data["determiners"]["definite"]),
        no_count=_lower(data["determiners"]["no_count"]),
        negations=_lower(data["determiners"]["negating"]),
        pairing=_lower(data["determiners"]["pairing"]),
        personal=_lower(data["pronouns"]["personal"]),
        possessive=_lower(data["pronouns"]["possessive"]),
        partitive=_lower(data["partitive"]),
        through_preps=_lower(data["prepositions"]["through"]),
        part_preps=_lower(data["prepositions"]["part"]),
        company_preps=_lower(data["prepositions"]["company"]),
        additive=_lower(going_on["additive"]),
        additive_group=_lower(going_on["additive_group"]),
        new_event=tuple(_regex(p) for p in going_on["new_event"]),
        follow_sentences=int(going_on["follow_sentences"]),
        vague_covers=frozenset(str(k) for k in going_on["vague_covers"]),
        whole=_lower(going_on["whole"]),
        roundup=tuple(_regex(p) for p in going_on["roundup"]),
        sources=_lower(going_on["sources"]),
        generic_groups=_lower(going_on["generic_groups"]),
        alternative_ratio=float(going_on["alternative_ratio"]),
        coded_after=tuple(_regex(p) for p in data["coded"]["after"]),
        coded_split=tuple(_regex(p) for p in data["coded"]["split"]),
    )


def _number_words(data: dict[str, Any]) -> NumberWords:
    """The number words, scales and vague amounts of the parsed YAML."""
    numbers = {str(k): float(v) for k, v in data["numbers"].items()}
    vague = {str(k): (_optional(v["low"]), _optional(v["best"]), _optional(v["high"]))
             for k, v in data["vague"].items()}
    return NumberWords(
        numbers=numbers,
        articles=_lower(data["articles"]),
        scales={str(k): float(v) for k, v in data["scales"].items()},
        half=str(data["half"]).lower(),
        joiners=_lower(data["joiners"]),
        range_words=frozenset(str(w) for w in data["range_words"]),
        vague=vague,
        vague_starts=frozenset(phrase.split(" ")[0] for phrase in vague),
        count_words=tuple(sorted({*numbers, *vague}, key=len, reverse=True)),
    )


def _optional(value: Any) -> float | None:
    """A float, or None for a YAML null."""
    return None if value is None else float(value)


def _lower(words: list[Any]) -> frozenset[str]:
    """A list of words as a lowercase set."""
    return frozenset(str(w).lower() for w in words)


def _regex(pattern: Any) -> re.Pattern[str]:
    """A lexicon regex, matched case-insensitively."""
    return re.compile(str(pattern), re.IGNORECASE)
