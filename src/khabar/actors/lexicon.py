"""The actors lexicon (``data/actors/lexicon.yaml``): descriptive nouns, titles and name-matching rules.

Loaded once with the registry (``Registry.lexicon``); stages that read its nouns take it from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from khabar.actors.normalise import fold, leading_words, normalise
from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError

_WORDS = [str]
_ROLES = {str: str}
SCHEMA = Fields(
    required={
        "force_nouns": _ROLES, "bare_nouns": _ROLES, "titles": _WORDS, "coref_nouns": _WORDS,
        "person_pronouns": _WORDS, "articles": _WORDS, "coordinators": _WORDS, "currency_words": _WORDS,
        "place_prepositions": _WORDS,
        "connectors": _WORDS, "translit": [[str]],
    },
    optional={
        "installations": _ROLES, "apposition_glue": _WORDS, "negating_prefixes": _WORDS, "name_glue": _WORDS,
        "person_nouns": _WORDS, "combatant_modifiers": _WORDS, "force_modifiers": _WORDS, "origin_words": _WORDS,
    },
)


@dataclass(slots=True, frozen=True)
class ActorLexicon:
    """Descriptive phrases, titles and normalisation rules of the actors stage."""

    force_nouns: dict[str, str]
    bare_nouns: dict[str, str]
    installations: dict[str, str]
    origin_words: frozenset[str]  # "a man of/from X": X is where a person lives or comes from
    person_nouns: frozenset[str]  # lemmas of nouns for a private person ("man", "victim"); the events stage reads them
    combatant_modifiers: frozenset[str]  # lemmas that make such a person a fighter ("an armed man")
    titles: frozenset[str]
    force_modifiers: frozenset[str]
    apposition_glue: frozenset[str]
    coref_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    articles: frozenset[str]
    coordinators: frozenset[str]
    currency_words: frozenset[str]
    place_prepositions: frozenset[str]  # words before a name that make it a place ("in Washington")
    negating_prefixes: frozenset[str]
    name_glue: frozenset[str]
    connectors: frozenset[str]
    translit: tuple[tuple[str, str], ...]
    # every bare noun key and its leading words ("u s", "u s troops"): a token's form outside it starts no key
    bare_noun_starts: frozenset[str]
    # "Long Name (LN)", where the long name may hold lowercase glue words
    definition_pattern: re.Pattern[str]

    def bare_role(self, words: list[str]) -> str:
        """The role a bare descriptive noun phrase names ("soldiers" -> military), or ""."""
        return self.bare_nouns.get(normalise(" ".join(words)), "")

    def installation_role(self, words: list[str]) -> str:
        """The force an attacked installation or vehicle stands for ("checkpoint" -> military), or ""."""
        return self.installations.get(normalise(" ".join(words)), "")

    def is_person_noun(self, lemma: str) -> bool:
        """Whether a noun lemma names a private person ("girl", "clerk"), who as a victim is a civilian."""
        return lemma.lower() in self.person_nouns

    def skeleton(self, key: str) -> str:
        """A transliteration-tolerant form of a normalised key: connectors dropped, spelling variants folded."""
        return " ".join(fold(t, self.translit) for t in key.split() if t not in self.connectors)


def load_lexicon() -> ActorLexicon:
    """The packaged actors lexicon, validated (``load_registry`` loads it into ``Registry.lexicon``)."""
    return lexicon_from(read_packaged_yaml("actors", "lexicon.yaml", schema=SCHEMA))


def lexicon_from(data: dict[str, Any]) -> ActorLexicon:
    """The lexicon from its validated YAML mapping."""
    pairs = [tuple(map(str, pair)) for pair in data["translit"]]
    if any(len(pair) != 2 for pair in pairs):
        raise DataError("actors/lexicon.yaml: translit: every fold is a pair [from, to]; fix the file")
    bare_nouns = _roles(data["bare_nouns"])
    name_glue = frozenset(map(str, data.get("name_glue", ())))
    return ActorLexicon(
        force_nouns=_roles(data["force_nouns"]),
        bare_nouns=bare_nouns,
        installations=_roles(data.get("installations") or {}),
        origin_words=_normalised(data.get("origin_words", ())),
        person_nouns=frozenset(str(t).lower() for t in data.get("person_nouns", ())),
        combatant_modifiers=frozenset(str(t).lower() for t in data.get("combatant_modifiers", ())),
        titles=_normalised(data["titles"]),
        force_modifiers=_normalised(data.get("force_modifiers", ())),
        apposition_glue=_normalised(data.get("apposition_glue", ())),
        coref_nouns=_normalised(data["coref_nouns"]),
        person_pronouns=frozenset(str(t).lower() for t in data["person_pronouns"]),
        articles=_normalised(data["articles"]),
        coordinators=_normalised(data["coordinators"]),
        currency_words=frozenset(str(t).lower() for t in data["currency_words"]),
        place_prepositions=frozenset(str(t).lower() for t in data["place_prepositions"]),
        negating_prefixes=_normalised(data.get("negating_prefixes", ())),
        name_glue=name_glue,
        connectors=frozenset(map(str, data["connectors"])),
        translit=tuple((a, b) for a, b in pairs),
        bare_noun_starts=frozenset(leading_words(bare_nouns)),
        definition_pattern=_definition_pattern(name_glue),
    )


def _roles(table: dict[str, Any]) -> dict[str, str]:
    """A phrase -> role table keyed by normalised phrase."""
    return {normalise(str(k)): str(v) for k, v in table.items()}


def _normalised(words: Any) -> frozenset[str]:
    """A word list in normalised form."""
    return frozenset(normalise(str(t)) for t in words)


def _definition_pattern(glue: frozenset[str]) -> re.Pattern[str]:
    """A regex for "Long Name (LN)", where the long name may hold lowercase glue words."""
    word = r"(?:[A-Z][\w’'-]*|" + "|".join(sorted(map(re.escape, glue))) + ")"
    return re.compile(rf"({word}(?:[ \t]+{word}){{0,9}})\s*[(\[]\s*([A-Z][A-Za-z-]{{1,9}})\s*[)\]]")
