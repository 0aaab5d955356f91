"""The events stage's data: trigger lexicon, status and claim cues, and the CASE/ACLED/PLOVER type table.

Both files live in ``khabar/data/events/`` (``lexicon.yaml``, ``types.yaml``); their schemas are
documented at the top of each file and checked here at load.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError

FAMILIES = frozenset({"violence", "political", "other"})
PUNCTUATION = ".,;:!?\"'()[]"


@dataclass(slots=True, frozen=True, eq=False)  # one object per lexicon entry: identity is equality, hashing is cheap
class Phrase:
    """A trigger phrase: lower-case words or lemmas, optionally tied to a part of speech."""

    words: tuple[str, ...]
    pos: str = ""


def _phrase(entry: str) -> Phrase:
    """Parse a lexicon entry "word word" or "word:POS"."""
    text, _, pos = str(entry).lower().partition(":")
    return Phrase(tuple(text.split()), pos.upper())


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
    """Everything the events stage reads from data."""

    groups: tuple[TriggerGroup, ...]
    cues: dict[str, frozenset[str]]
    civilians: frozenset[str]
    channels: dict[str, str]
    codes: dict[str, CodeRow]
    plover_case: dict[str, str]
    index: dict[str, tuple[tuple[TriggerGroup, Phrase], ...]]

    def cue(self, name: str) -> frozenset[str]:
        """A named cue list."""
        return self.cues.get(name, frozenset())


def _read(name: str) -> dict[str, Any]:
    """A packaged YAML file of the events data directory."""
    return read_packaged_yaml("events", name)


def _group(row: dict[str, Any], codes: dict[str, CodeRow]) -> TriggerGroup:
    """One validated trigger group."""
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


def _codes(types: dict[str, Any]) -> dict[str, CodeRow]:
    """The validated CASE code table."""
    rows = {}
    for code, row in types.get("codes", {}).items():
        if row.get("family") not in FAMILIES:
            raise DataError(f"types.yaml code {code}: family must be one of {sorted(FAMILIES)}")
        rows[code] = CodeRow(code, row["family"], row["event_type"], row["sub_event_type"], row["plover"], row["mode"])
    return rows


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon and type table, validated once."""
    types, lexicon = _read("types.yaml"), _read("lexicon.yaml")
    codes = _codes(types)
    plover_case = {name: row["case"] for name, row in types.get("plover", {}).items()}
    if set(plover_case.values()) - set(codes):
        raise DataError("types.yaml plover: every case must be a code of the codes table")
    groups = tuple(_group(row, codes) for row in lexicon.get("triggers", []))
    return Lexicon(
        groups=groups,
        cues={name: frozenset(str(v).lower() for v in values) for name, values in lexicon["cues"].items()},
        civilians=frozenset(lexicon.get("civilians", [])),
        channels={str(k).lower(): str(v) for k, v in lexicon.get("channels", {}).items()},
        codes=codes,
        plover_case=plover_case,
        index=_index(groups),
    )


def _index(groups: tuple[TriggerGroup, ...]) -> dict[str, tuple[tuple[TriggerGroup, Phrase], ...]]:
    """Trigger phrases keyed by their first word, so matching looks at each token once."""
    table: dict[str, list[tuple[TriggerGroup, Phrase]]] = {}
    for group in groups:
        for phrase in group.phrases:
            table.setdefault(phrase.words[0], []).append((group, phrase))
    return {word: tuple(entries) for word, entries in table.items()}


@cache
def _prefilter_words() -> frozenset[str]:
    """Lower-case word stems whose presence flags a sentence as possibly event-bearing."""
    lexicon = load_lexicon()
    words = {phrase.words[0] for group in lexicon.groups for phrase in group.phrases}
    words |= lexicon.cue("surface_forms")
    return frozenset(_stem(word) for word in words)


def _stem(word: str) -> str:
    """A crude stem: strip common inflections so surface forms match lemmas."""
    for suffix in ("ings", "ing", "ied", "ies", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def _word_and_stem(raw: str) -> tuple[str, str]:
    """A lower-case whitespace token without its punctuation, and its stem (cached: words repeat)."""
    word = raw.strip(PUNCTUATION)
    return word, _stem(word)


@lru_cache(maxsize=1 << 16)
def _may_trigger(raw: str) -> bool:
    """Whether a lower-case whitespace token may be a trigger word (cached: words repeat across sentences)."""
    stems = _prefilter_words()
    word, stem = _word_and_stem(raw)
    return stem in stems or word in stems or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in stems)


def is_event_candidate(sentence_text: str) -> bool:
    """A fast, high-recall check that a sentence may report an event (no parsing needed)."""
    return any(map(_may_trigger, sentence_text.lower().split()))


@cache
def _stem_groups() -> dict[str, frozenset[str]]:
    """Stems of one-word trigger entries mapped to the names of their groups."""
    table: dict[str, set[str]] = {}
    for group in load_lexicon().groups:
        for phrase in group.phrases:
            if len(phrase.words) == 1:
                table.setdefault(_stem(phrase.words[0]), set()).add(group.name)
    return {stem: frozenset(names) for stem, names in table.items()}


@lru_cache(maxsize=1 << 16)
def _word_groups(raw: str) -> frozenset[str]:
    """Names of the trigger groups a lower-case whitespace token's stem belongs to (cached: words repeat)."""
    return _stem_groups().get(_word_and_stem(raw)[1], frozenset())


def trigger_tags(text: str) -> str:
    """Pseudo-words naming the trigger groups a text mentions ("trigxexplosion"), as classifier features."""
    names = frozenset().union(*map(_word_groups, text.lower().split()))
    return " ".join(f"trigx{name}" for name in sorted(names))
