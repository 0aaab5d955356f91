"""The events stage's lexicon: trigger groups, cue word lists and the CASE/ACLED/PLOVER type table.

Both files live in ``khabar/data/events/`` (``lexicon.yaml``, ``types.yaml``); their schemas are
documented at the top of each file and checked here at load. The sentence prefilter's stems and the
classifier's trigger-group stems are derived from the trigger entries once, at load.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khabar.datafiles import Fields, check, read_packaged_yaml
from khabar.errors import DataError

FAMILIES = frozenset({"violence", "political", "other"})
PUNCTUATION = ".,;:!?\"'()[]"
# English inflections a crude stemmer strips, longest first (a stemmer's rules: mechanism, not knowledge)
SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s", "e")

TRIGGER_SCHEMA = Fields(
    required={"name": str, "family": str, "lemmas": [str], "cases": [str], "plover": [str]},
    optional={"pos": [str], "objects": [str]},
)
LEXICON_SCHEMA = Fields(
    required={
        "version": int,
        "triggers": [TRIGGER_SCHEMA],
        "cues": {str: [str]},
        "civilians": [str],
        "channels": {str: str},
        "number_words": {str: int},
    },
)
CODE_SCHEMA = Fields(required={"family": str, "event_type": str, "sub_event_type": str, "plover": str, "mode": str})
TYPES_SCHEMA = Fields(
    required={"version": int, "codes": {str: CODE_SCHEMA}, "plover": {str: Fields(required={"case": str})}},
    optional={"acled_sub_event_type": {str: str}, "isaf_event_type": {str: str}},
)


@dataclass(slots=True, frozen=True, eq=False)  # one object per lexicon entry: identity is equality, hashing is cheap
class Phrase:
    """A trigger phrase: lower-case words or lemmas, optionally tied to a part of speech."""

    words: tuple[str, ...]
    pos: str = ""


@dataclass(slots=True, frozen=True, eq=False)  # as Phrase
class TriggerGroup:
    """A family of trigger words with the event codes they may carry."""

    name: str
    family: str
    phrases: tuple[Phrase, ...]
    cases: frozenset[str]
    plover: tuple[str, ...]
    pos: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()


@dataclass(slots=True, frozen=True)
class CodeRow:
    """How one CASE code is coded in ACLED and PLOVER terms."""

    code: str
    family: str
    event_type: str
    sub_event_type: str
    plover: str
    mode: str


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Everything the events stage reads from its lexicon and type table."""

    groups: tuple[TriggerGroup, ...]
    cues: dict[str, frozenset[str]]
    civilians: frozenset[str]
    channels: dict[str, str]
    number_words: dict[str, int]
    codes: dict[str, CodeRow]
    plover_case: dict[str, str]
    index: dict[str, tuple[tuple[TriggerGroup, Phrase], ...]]
    prefilter: frozenset[str]  # stems whose presence flags a sentence as possibly event-bearing
    stem_groups: dict[str, frozenset[str]]  # stems of one-word trigger entries -> names of their groups

    def cue(self, name: str) -> frozenset[str]:
        """A named cue list."""
        return self.cues.get(name, frozenset())


def load_lexicon() -> Lexicon:
    """The packaged lexicon and type table, validated."""
    types = read_packaged_yaml("events", "types.yaml", schema=TYPES_SCHEMA)
    lexicon = read_packaged_yaml("events", "lexicon.yaml", schema=LEXICON_SCHEMA)
    codes = _codes(types)
    plover_case = {name: row["case"] for name, row in types["plover"].items()}
    if set(plover_case.values()) - set(codes):
        raise DataError("types.yaml plover: every case must be a code of the codes table")
    groups = tuple(trigger_group(row, codes) for row in lexicon["triggers"])
    cues = {name: frozenset(str(v).lower() for v in values) for name, values in lexicon["cues"].items()}
    # one list of relaying verbs, kept with the claims stage's reporting verbs
    relaying = read_packaged_yaml("lexicons", "claims.yaml").get("plain_reporting")
    problem = check(relaying, [str], "plain_reporting")
    if problem:
        raise DataError(f"lexicons/claims.yaml: {problem}; reinstall khabar or restore the file")
    cues["report_verbs"] = frozenset(str(v).lower() for v in relaying or ())
    return Lexicon(
        groups=groups,
        cues=cues,
        civilians=frozenset(lexicon["civilians"]),
        channels={str(k).lower(): str(v) for k, v in lexicon["channels"].items()},
        number_words={str(k).lower(): int(v) for k, v in lexicon["number_words"].items()},
        codes=codes,
        plover_case=plover_case,
        index=_index(groups),
        prefilter=_prefilter_stems(groups, cues.get("surface_forms", frozenset())),
        stem_groups=_stem_groups(groups),
    )


def trigger_group(row: dict[str, Any], codes: dict[str, CodeRow]) -> TriggerGroup:
    """One validated trigger group of ``lexicon.yaml``."""
    name = str(row.get("name", "?"))
    if row.get("family") not in FAMILIES or not row.get("lemmas"):
        raise DataError(f"lexicon.yaml trigger {name!r}: needs family in {sorted(FAMILIES)} and lemmas")
    unknown = set(row.get("cases", [])) - set(codes)
    if unknown:
        raise DataError(f"lexicon.yaml trigger {name!r}: unknown CASE codes {sorted(unknown)}")
    return TriggerGroup(
        name=name,
        family=row["family"],
        phrases=tuple(_phrase(p) for p in row["lemmas"]),
        cases=frozenset(row.get("cases", [])),
        plover=tuple(row.get("plover", [])),
        pos=frozenset(row.get("pos", [])),
        objects=frozenset(row.get("objects", [])),
    )


def _phrase(entry: str) -> Phrase:
    """Parse a lexicon entry "word word" or "word:POS"."""
    text, _, pos = str(entry).lower().partition(":")
    return Phrase(tuple(text.split()), pos.upper())


def _codes(types: dict[str, Any]) -> dict[str, CodeRow]:
    """The validated CASE code table."""
    rows = {}
    for code, row in types["codes"].items():
        if row["family"] not in FAMILIES:
            raise DataError(f"types.yaml code {code}: family must be one of {sorted(FAMILIES)}")
        rows[code] = CodeRow(code, row["family"], row["event_type"], row["sub_event_type"], row["plover"], row["mode"])
    return rows


def _index(groups: tuple[TriggerGroup, ...]) -> dict[str, tuple[tuple[TriggerGroup, Phrase], ...]]:
    """Trigger phrases keyed by their first word, so matching looks at each token once."""
    table: dict[str, list[tuple[TriggerGroup, Phrase]]] = {}
    for group in groups:
        for phrase in group.phrases:
            table.setdefault(phrase.words[0], []).append((group, phrase))
    return {word: tuple(entries) for word, entries in table.items()}


def _prefilter_stems(groups: tuple[TriggerGroup, ...], surface_forms: frozenset[str]) -> frozenset[str]:
    """Lower-case word stems whose presence flags a sentence as possibly event-bearing."""
    words = {phrase.words[0] for group in groups for phrase in group.phrases}
    return frozenset(stem(word) for word in words | surface_forms)


def _stem_groups(groups: tuple[TriggerGroup, ...]) -> dict[str, frozenset[str]]:
    """Stems of one-word trigger entries mapped to the names of their groups."""
    table: dict[str, set[str]] = {}
    for group in groups:
        for phrase in group.phrases:
            if len(phrase.words) == 1:
                table.setdefault(stem(phrase.words[0]), set()).add(group.name)
    return {key: frozenset(names) for key, names in table.items()}


def stem(word: str) -> str:
    """A crude stem: strip common inflections so surface forms match lemmas."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


# A pure function of its argument, holding no loaded data: words repeat across sentences, so the
# prefilter and the classifier's trigger tags look each one up once per process.
@lru_cache(maxsize=1 << 16)
def word_and_stem(raw: str) -> tuple[str, str]:
    """A lower-case whitespace token without its punctuation, and its stem."""
    word = raw.strip(PUNCTUATION)
    return word, stem(word)
