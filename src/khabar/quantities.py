"""The quantities stage: tolls, counts, money, strengths and shares as low/best/high.

Numbers are read from the nlp stage's tokens (digits, number words, vague amounts from
``data/lexicons/quantities.yaml``). Dates, ages, clock times, unit names ("District 9") and ordinals
are skipped. A number's kind comes from the verb or noun that governs it in the dependency parse
("170 civilians ... were killed", "killing 5", "12 injured"); conjoined counts of the same kind are
summed with their breakdown kept in ``parts``. People counted without a number are read too: a singular
person with an article ("detained a Taliban leader", "the arrest of a courier") is one, a bare plural of
people ("detained suspected insurgents") is the lexicon's bare count for the kinds it lists, and one
person named without a number ("killing him", "arrested the commander") counts only when the toll's
text states no number. Explicit zero tolls ("no one was hurt") give 0, which is different from an
unknown toll (no Quantity at all).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError
from khabar.records import Analysis, Quantity, Sentence, TimeMention, Token, Toll

_NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_RANGE = re.compile(r"^(\d+)[-–](\d+)$")
_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "attr", "oprd", "dative"})
_DEFINITE_DETS = frozenset({"the", "this", "that", "these", "those"})
_NO_COUNT_DETS = frozenset({"no", "every", "each", "any", "which", "what", "whose"})
_PASS_PREPS = frozenset({"of", "including", "among", "with"})
_LINE_BREAKS = ("\n", "\u2028", "\u2029")
_BREAKS = re.compile("|".join(map(re.escape, _LINE_BREAKS)))
_QUOTES = ('"', "“", "”")
_TOLL_KINDS = ("killed", "wounded", "captured", "kidnapped", "displaced")
_PERSONAL = frozenset({"he", "him", "she", "her"})
_POSSESSIVES = frozenset({"his", "her", "their", "its", "whose"})
_PARTITIVE = frozenset({"of the", "of these", "of those", "of them", "of whom"})
_NAMED_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "conj", "appos"})  # where a named person counts


@dataclass(slots=True, frozen=True)
class _Lexicon:
    """Number words, vague amounts, qualifiers, toll words and unit tables."""

    numbers: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, tuple[float | None, float | None, float | None]]
    qualifiers: dict[str, str]
    spread: float
    verbs: dict[str, str]
    nouns: dict[str, str]
    zero: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]
    currencies: dict[str, str]
    percent: frozenset[str]
    strength_units: frozenset[str]
    not_counts: frozenset[str]
    unit_words: frozenset[str]
    persons: frozenset[str]
    person_suffixes: tuple[str, ...]
    victim_subject_verbs: frozenset[str]
    toll_words: frozenset[str]
    result_nouns: dict[str, str]
    result_preps: frozenset[str]
    acts: dict[str, str]
    objects: frozenset[str]
    bare_plural: float
    bare_plural_kinds: frozenset[str]
    named_kinds: frozenset[str]
    modals: frozenset[str]
    additive: frozenset[str]
    additive_group: frozenset[str]
    new_event: tuple[re.Pattern[str], ...]
    follow_sentences: int
    vague_covers: frozenset[str]
    whole: frozenset[str]
    roundup: tuple[re.Pattern[str], ...]
    coded_after: tuple[re.Pattern[str], ...]
    coded_split: tuple[re.Pattern[str], ...]


@dataclass(slots=True, frozen=True)
class _Number:
    """A number found in the tokens: its token span and value range."""

    first: int
    last: int
    low: float | None
    best: float | None
    high: float | None
    vague: bool = False
    singular: bool = False
    plural: bool = False
    named: bool = False


@cache
def _lexicon() -> _Lexicon:
    """The packaged quantities lexicon, validated."""
    source = "lexicons/quantities.yaml"
    data = read_packaged_yaml("lexicons", "quantities.yaml")
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise DataError(f"{source}: invalid quantities lexicon ({exc}); see the schema at the top of the file") from exc


def _optional(value: Any) -> float | None:
    """A float, or None for a YAML null."""
    return None if value is None else float(value)


def _build(data: dict[str, Any]) -> _Lexicon:
    """A lexicon from the parsed YAML, raising on a missing or mistyped entry."""
    kinds = data["kinds"]
    return _Lexicon(
        numbers={str(k): float(v) for k, v in data["numbers"].items()},
        scales={str(k): float(v) for k, v in data["scales"].items()},
        vague={str(k): (_optional(v["low"]), _optional(v["best"]), _optional(v["high"]))
               for k, v in data["vague"].items()},
        qualifiers={str(k): str(v) for k, v in data["qualifiers"].items()},
        spread=float(data["approx_spread"]),
        verbs={str(verb): kind for kind, entry in kinds.items() for verb in entry["verbs"]},
        nouns={str(noun): kind for kind, entry in kinds.items() for noun in entry["nouns"]},
        zero=tuple((re.compile(z["pattern"], re.IGNORECASE), tuple(z["kinds"])) for z in data["zero"]),
        currencies={str(k).lower(): str(v) for k, v in data["currencies"].items()},
        percent=frozenset(str(p).lower() for p in data["percent"]),
        strength_units=frozenset(str(u).lower() for u in data["strength_units"]),
        not_counts=frozenset(str(u).lower() for u in data["not_counts"]),
        unit_words=frozenset(str(u) for u in data["unit_words"]),
        persons=frozenset(str(p).lower() for p in data["persons"]),
        person_suffixes=tuple(str(p).lower() for p in data["person_suffixes"]),
        victim_subject_verbs=frozenset(str(v).lower() for v in data["victim_subject_verbs"]),
        toll_words=frozenset(str(v).lower() for v in data["toll_words"]),
        result_nouns={str(noun).lower(): kind for kind, entry in kinds.items() for noun in entry.get("results", [])},
        result_preps=frozenset(str(p).lower() for p in data["result_preps"]),
        acts={str(noun).lower(): kind for kind, entry in kinds.items() for noun in entry.get("acts", [])},
        objects=frozenset(str(o).lower() for o in data["objects"]),
        bare_plural=float(data["bare_plural"]["count"]),
        bare_plural_kinds=frozenset(str(k) for k in data["bare_plural"]["kinds"]),
        named_kinds=frozenset(str(k) for k in data["named_kinds"]),
        modals=frozenset(str(v).lower() for v in data["modals"]),
        additive=frozenset(str(v).lower() for v in data["continuation"]["additive"]),
        additive_group=frozenset(str(v).lower() for v in data["continuation"]["additive_group"]),
        new_event=tuple(re.compile(str(p), re.IGNORECASE) for p in data["continuation"]["new_event"]),
        follow_sentences=int(data["continuation"]["follow_sentences"]),
        vague_covers=frozenset(str(k) for k in data["continuation"]["vague_covers"]),
        whole=frozenset(str(w).lower() for w in data["continuation"]["whole"]),
        roundup=tuple(re.compile(str(p), re.IGNORECASE) for p in data["continuation"]["roundup"]),
        coded_after=tuple(re.compile(str(p), re.IGNORECASE) for p in data["coded"]["after"]),
        coded_split=tuple(re.compile(str(p), re.IGNORECASE) for p in data["coded"]["split"]),
    )


def count_words() -> tuple[str, ...]:
    """Every number word and vague amount the lexicon knows, longest first."""
    lex = _lexicon()
    return tuple(sorted({*lex.numbers, *lex.vague}, key=len, reverse=True))


def number_value(text: str) -> float | None:
    """The value of a number written in digits, words or a vague phrase ("1,800", "twenty-one", "a dozen")."""
    lex = _lexicon()
    cleaned = text.strip().lower()
    if cleaned in lex.vague:
        return lex.vague[cleaned][1]
    if cleaned.startswith("half a") and cleaned.removeprefix("half a").strip() in lex.scales:
        return 0.5 * lex.scales[cleaned.removeprefix("half a").strip()]
    total, current, seen = 0.0, 0.0, False
    for word in (w.strip(",") for w in re.split(r"[\s-]+", cleaned)):
        if _NUMERIC.match(word):
            current += float(word.replace(",", ""))
        elif word in lex.numbers:
            current += lex.numbers[word]
        elif word in lex.scales:
            current = (current or 1.0) * lex.scales[word]
            if lex.scales[word] >= 1000:
                total, current = total + current, 0.0
        elif word != "and":
            return None
        seen = True
    return total + current if seen else None


def _is_number(token: Token) -> bool:
    """A token that is a digit string or a number word (not the article 'a')."""
    lower = token.text.lower()
    return bool(_NUMERIC.match(token.text)) or (lower in _lexicon().numbers and lower not in {"a", "an"})


@cache
def _vague_starts() -> frozenset[str]:
    """The first words of the lexicon's vague amounts: a token starting none of them starts no vague amount."""
    return frozenset(phrase.split(" ")[0] for phrase in _lexicon().vague)


def _vague_at(tokens: tuple[Token, ...], i: int) -> tuple[int, tuple[float | None, ...]] | None:
    """A vague amount ("dozens", "a number of") starting at token i: its last token and values."""
    word = tokens[i].text.lower()
    if word not in _vague_starts() and " " not in word:
        return None
    lex = _lexicon()
    for width in (4, 3, 2, 1):
        if i + width > len(tokens) or tokens[i + width - 1].sentence != tokens[i].sentence:
            continue
        phrase = " ".join(t.text.lower() for t in tokens[i : i + width])
        if phrase in lex.vague:
            return i + width - 1, lex.vague[phrase]
    return None


def _number_at(tokens: tuple[Token, ...], i: int) -> _Number | None:
    """The number (digits, words, scales, a range or a vague amount) starting at token i."""
    vague = _vague_at(tokens, i)
    if vague is not None:
        low, best, high = vague[1]
        return _Number(i, vague[0], low, best, high, vague=True)
    if (ranged := _RANGE.match(tokens[i].text)) is not None:
        return _Number(i, i, float(ranged.group(1)), float(ranged.group(1)), float(ranged.group(2)))
    if not _is_number(tokens[i]):
        return None
    j = i
    while j + 1 < len(tokens) and (_is_number(tokens[j + 1]) or tokens[j + 1].text.lower() in _lexicon().scales
                                   or _joins_words(tokens, j)):
        j += 1
    value = number_value(" ".join(t.text for t in tokens[i : j + 1]))
    if value is None:
        return None
    if j + 2 < len(tokens) and tokens[j + 1].text in {"-", "–", "to"} and _NUMERIC.match(tokens[j + 2].text):
        high = float(tokens[j + 2].text.replace(",", ""))
        if high > value:
            return _Number(i, j + 2, value, value, high)
    return _Number(i, j, value, value, value)


def _joins_words(tokens: tuple[Token, ...], j: int) -> bool:
    """True when a hyphen after token j joins two number words ("twenty - one"), not a range of digits."""
    return (j + 2 < len(tokens) and tokens[j + 1].text == "-" and tokens[j].text.isalpha()
            and tokens[j + 2].text.isalpha() and _is_number(tokens[j + 2]))


def _numbers(analysis: Analysis) -> list[_Number]:
    """Every number in the document that is not a date, age, clock time or part of a name."""
    tokens = analysis.tokens
    found: list[_Number] = []
    i = 0
    while i < len(tokens):
        number = _count_at(tokens, i) if _may_count(tokens[i]) else None
        if number is None:
            i += 1
            continue
        if not _excluded(analysis, number):
            found.append(number)
        i = number.last + 1
    return found


def _count_at(tokens: tuple[Token, ...], i: int) -> _Number | None:
    """The number, or the person counted as one or a bare plural, starting at token i."""
    return _number_at(tokens, i) or _singular_at(tokens, i) or _plural_at(tokens, i) or _named_at(tokens, i)


def _may_count(token: Token) -> bool:
    """False for a token that fails the first tests of every reader in ``_count_at`` (most tokens): it starts no count.

    Tests, in order: a digit, a number word or the first word of a vague amount (``_number_at``), a pronoun or a
    person's name as an argument (``_named_at``), a singular person noun (``_singular_at``, ``_named_at``), a
    plural one (``_plural_at``).
    """
    if _may_start_amount(token.text):
        return True
    if token.dep in _NAMED_DEPS and (token.pos == "PRON" or (token.pos == "PROPN" and token.ent_type == "PERSON")):
        return True
    if token.tag == "NN":
        return _person_word(token.text.lower())
    return token.tag == "NNS" and _person_word(token.lemma.lower())


@lru_cache(maxsize=8192)
def _may_start_amount(text: str) -> bool:
    """Whether a token's text may start a number: a digit, a number word or the first word of a vague amount."""
    lower = text.lower()
    return text[:1].isdigit() or lower in _lexicon().numbers or lower in _vague_starts() or " " in lower


def _is_person(token: Token) -> bool:
    """A singular noun naming a person ("insurgent", "facilitator")."""
    return token.tag == "NN" and _person_word(token.text.lower())


@lru_cache(maxsize=8192)
def _person_word(word: str) -> bool:
    """A (singular) word naming a person: listed in the lexicon, or ending in a person suffix."""
    lex = _lexicon()
    return word in lex.persons or (len(word) > 5 and word.endswith(lex.person_suffixes))


def _singular_at(tokens: tuple[Token, ...], i: int) -> _Number | None:
    """A singular person noun without a number of its own ("a Taliban leader"): one, if a toll governs it."""
    token = tokens[i]
    if not _is_person(token) or token.dep == "compound" or _of_another_noun(tokens, token):
        return None
    modifiers = [t for t in tokens[max(0, i - 6) : i] if t.head == i]
    if any(t.dep in {"nummod", "quantmod"} or t.text.lower() in _NO_COUNT_DETS for t in modifiers):
        return None
    definite = any(t.dep == "det" and t.text.lower() in _DEFINITE_DETS for t in modifiers)
    if definite and not (i + 1 < len(tokens) and tokens[i + 1].pos == "PROPN" and tokens[i + 1].head in {i, i + 2}):
        return None
    first = min((t.i for t in modifiers if t.dep in {"det", "amod", "compound", "poss"}), default=i)
    return _Number(first, i, 1.0, 1.0, 1.0, singular=True)


def _named_at(tokens: tuple[Token, ...], i: int) -> _Number | None:
    """One person already named ("the commander", "Mullah Omar", "him"): one, counted only when no other count is.

    The head of a person's name, a personal pronoun, or a singular person noun with a definite determiner, as
    an argument; a toll counts it only when its text gives no number of its own for that toll.
    """
    token = tokens[i]
    if token.dep not in _NAMED_DEPS:
        return None
    word = token.text.lower()
    if token.pos == "PRON":
        return _Number(i, i, 1.0, 1.0, 1.0, singular=True, named=True) if word in _PERSONAL else None
    modifiers = [t for t in tokens[max(0, i - 6) : i] if t.head == i]
    if any(t.dep in {"nummod", "quantmod", "poss"} or t.text.lower() in _NO_COUNT_DETS for t in modifiers):
        return None
    named = token.pos == "PROPN" and token.ent_type == "PERSON"
    definite = _is_person(token) and any(t.dep == "det" and t.text.lower() in _DEFINITE_DETS for t in modifiers)
    if not (named or definite) or _of_another_noun(tokens, token):
        return None
    first = min((t.i for t in modifiers if t.dep in {"det", "amod", "compound"}), default=i)
    return _Number(first, i, 1.0, 1.0, 1.0, singular=True, named=True)


def _is_people(token: Token) -> bool:
    """A plural noun naming people ("insurgents", "facilitators")."""
    return token.tag == "NNS" and _person_word(token.lemma.lower())


def _plural_at(tokens: tuple[Token, ...], i: int) -> _Number | None:
    """A bare plural of people ("detained suspected insurgents"): the lexicon's bare count, if a toll governs it.

    A plural with a determiner, possessive or number of its own ("the men", "his aides", "several men") is none.
    """
    token = tokens[i]
    if not _is_people(token) or token.dep == "compound" or _of_another_noun(tokens, token):
        return None
    modifiers = [t for t in tokens[max(0, i - 6) : i] if t.head == i]
    if any(t.dep in {"det", "poss", "nummod", "quantmod"} or t.text.lower() in _NO_COUNT_DETS for t in modifiers):
        return None
    first = min((t.i for t in modifiers if t.dep in {"amod", "compound"}), default=i)
    if any(_is_number(t) or _vague_at(tokens, t.i) is not None for t in tokens[max(0, first - 3) : i]):
        return None
    count = _lexicon().bare_plural
    return _Number(first, i, count, count, None, vague=True, singular=True, plural=True)


def _of_another_noun(tokens: tuple[Token, ...], token: Token) -> bool:
    """True for a person named only to describe another noun ("the brother of a commander", not "the arrest of")."""
    act = _of_act(tokens, token)
    if act is not None or token.dep != "pobj" or not 0 <= token.head < len(tokens) \
            or tokens[token.head].text.lower() != "of":
        return False
    of = tokens[token.head]
    return 0 <= of.head < len(tokens) and of.head != of.i and tokens[of.head].pos == "NOUN"


def _of_act(tokens: tuple[Token, ...], token: Token) -> str | None:
    """The toll kind of an act noun whose "of" object a token is ("the arrest of a leader" -> captured), else None."""
    if token.dep != "pobj" or not 0 <= token.head < len(tokens) or tokens[token.head].text.lower() != "of":
        return None
    of = tokens[token.head]
    if not 0 <= of.head < len(tokens) or of.head == of.i or tokens[of.head].pos != "NOUN":
        return None
    return _lexicon().acts.get(tokens[of.head].lemma.lower())


def _excluded(analysis: Analysis, number: _Number) -> bool:
    """True for numbers that are not counts: dates, times, ages, ordinals, distances, names."""
    tokens, lex = analysis.tokens, _lexicon()
    first, last = tokens[number.first], tokens[number.last]
    if first.ent_type in _SKIP_ENTS or any(m.evidence.start <= first.start < m.evidence.end for m in analysis.times):
        return True
    if first.dep == "preconj" or _pairs_groups(tokens, first):
        return True
    before = tokens[number.first - 1] if number.first > 0 else None
    if before is not None and before.text.lower() == "no":
        return True
    if before is not None and (before.text.rstrip(".") in lex.unit_words or before.text in {"#", "No."}):
        return True
    after = " ".join(t.text.lower() for t in tokens[number.last + 1 : number.last + 5])
    words = after.replace(" - ", "-").replace("- ", "-").split()
    nxt = words[0].lstrip("-") if words else ""
    if nxt in lex.not_counts or nxt.startswith("year-") or nxt.startswith(":"):
        return True
    return bool(re.match(r"^\d+(st|nd|rd|th)$", last.text))


def _pairs_groups(tokens: tuple[Token, ...], first: Token) -> bool:
    """True for "both" before two joined groups ("both civilians and soldiers"): it counts groups, not people."""
    if first.text.lower() != "both" or not first.head > first.i:
        return False
    return any(t.head == first.head and t.dep == "cc" for t in tokens[first.head + 1 : first.head + 3])


def _after(analysis: Analysis, number: _Number, n: int = 1) -> str:
    """The lowercased text of the n tokens after a number."""
    return " ".join(t.text.lower() for t in analysis.tokens[number.last + 1 : number.last + 1 + n])


def _currency(analysis: Analysis, number: _Number) -> str:
    """The ISO code of a currency written right before or after a number, else ''."""
    lex = _lexicon()
    before = analysis.tokens[number.first - 1].text.lower() if number.first > 0 else ""
    if before in lex.currencies:
        return lex.currencies[before]
    return lex.currencies.get(_after(analysis, number), "")


def _qualifier(analysis: Analysis, number: _Number) -> str:
    """The qualifier phrase right before a number ("at least", "up to"), else ''."""
    words = [t.text.lower() for t in analysis.tokens[max(0, number.first - 5) : number.first]]
    if words and words[-1] in _lexicon().currencies:
        words.pop()
    for width in (4, 3, 2, 1):
        phrase = " ".join(words[-width:])
        if len(words) >= width and phrase in _lexicon().qualifiers:
            return phrase
    return ""


def _bounds(number: _Number, qualifier: str, scale: float = 1.0,
            counting: bool = True) -> tuple[float | None, float | None, float | None]:
    """Low/best/high of a number under its qualifier; a strict floor on a head count rounds up to the next whole."""
    low, best, high = (None if v is None else v * scale for v in (number.low, number.best, number.high))
    mode = _lexicon().qualifiers.get(qualifier, "exact")
    if best is None or mode == "exact" or number.vague:
        return low, best, high
    if mode == "low":
        return best, best, None
    if mode == "above":
        floor = best + 1 if counting and float(best).is_integer() else best
        return floor, floor, None
    if mode == "high":
        return None, best, best
    spread = _lexicon().spread
    return round(best * (1 - spread), 6), best, round(best * (1 + spread), 6)


def _head_noun(analysis: Analysis, number: _Number) -> Token:
    """The noun a number counts (or the number itself when it stands alone)."""
    tokens = analysis.tokens
    anchor = tokens[number.last]
    if number.vague and tokens[number.last].text.lower() == "of" and number.last + 1 < len(tokens):
        return _phrase_head(analysis, tokens[number.last + 1])
    if number.vague and number.last + 2 < len(tokens) and tokens[number.last + 1].text.lower() == "of":
        return _phrase_head(analysis, tokens[number.last + 2])
    head = tokens[anchor.head]
    if anchor.dep in {"nummod", "quantmod", "compound", "amod", "nmod", "det"} and head.i > anchor.i:
        return head
    return anchor


def _phrase_head(analysis: Analysis, token: Token) -> Token:
    """The head of the noun phrase a token starts."""
    current = token
    while current.head > current.i and analysis.tokens[current.head].sentence == current.sentence \
            and current.dep in {"compound", "amod", "nummod", "nmod", "det", "poss"}:
        current = analysis.tokens[current.head]
    return current


def _kind(analysis: Analysis, number: _Number, noun: Token) -> tuple[str, bool]:
    """The toll kind governing a counted noun, and whether it is only a part ("including 3 children")."""
    lex = _lexicon()
    nxt = _after(analysis, number)
    if noun.i != number.last and noun.text.lower() in lex.objects:
        return "", False
    if noun.text.lower() in lex.nouns and noun.i != number.last:
        return lex.nouns[noun.text.lower()], False
    if nxt in lex.nouns and not _active_with_object(analysis, number.last + 1):
        return lex.nouns[nxt], False
    if _after_toll_word(analysis, number):
        return "killed", False
    predicate = analysis.tokens[noun.i + 1] if noun.i + 1 < len(analysis.tokens) else None
    if predicate is not None and predicate.head == noun.i and predicate.text.lower() in lex.nouns:
        return lex.nouns[predicate.text.lower()], False
    current, part, with_verb = noun, False, False
    for _ in range(8):
        head = analysis.tokens[current.head]
        act = _of_act(analysis.tokens, current)
        if act is not None:
            return act, part
        if current.head == current.i or (current.dep == "pobj" and head.text.lower() not in _PASS_PREPS):
            break
        if current.dep in _ARG_DEPS or (with_verb and head.pos == "VERB"):
            return _argument_kind(analysis, number, _reduced_relative(analysis, current, head)), part
        if current.dep not in {"conj", "appos", "pobj", "prep", "acl", "npadvmod", "advmod", "quantmod", "nummod"}:
            break
        part = part or (current.dep == "pobj" and head.text.lower() in {"including", "among"})
        with_verb = with_verb or (current.dep == "pobj" and head.text.lower() == "with")
        current = head
    return ("" if number.singular else _window_kind(analysis, number)), part


def _active_with_object(analysis: Analysis, i: int) -> bool:
    """True when token i is a verb with a direct object ("officials arrested the man"): its subject is no victim."""
    tokens = analysis.tokens
    if i >= len(tokens) or tokens[i].pos != "VERB":
        return False
    return any(t.head == i and t.dep in {"dobj", "obj"} for t in tokens[i + 1 : i + 12])


def _after_toll_word(analysis: Analysis, number: _Number) -> bool:
    """True for a number a few words after 'toll' in its sentence ("the death toll rose to 25")."""
    tokens = analysis.tokens
    before = tokens[max(0, number.first - 8) : number.first]
    return any(t.text.lower() in _lexicon().toll_words and t.sentence == tokens[number.first].sentence for t in before)


def _reduced_relative(analysis: Analysis, argument: Token, verb: Token) -> tuple[Token, Token]:
    """A counted noun and its verb, repairing a misparsed reduced relative to the object of the main verb.

    In "detained a leader linked to the attack" the parser may make "leader" the subject of a clausal
    complement "linked"; when that clause has no auxiliary and the main verb has no object of its own,
    the noun is the main verb's object.
    """
    if argument.dep != "nsubj" or verb.dep != "ccomp" or verb.tag not in {"VBD", "VBN"}:
        return argument, verb
    tokens = analysis.tokens
    main = tokens[verb.head]
    if main.i > argument.i or main.lemma.lower() not in _lexicon().verbs:
        return argument, verb
    between = tokens[main.i + 1 : verb.i]
    if any(t.head == verb.i and t.dep in {"aux", "auxpass"} for t in between):
        return argument, verb
    if any(t.head == main.i and t.dep in {"dobj", "obj"} for t in tokens[main.i + 1 : main.i + 12]):
        return argument, verb
    return replace(argument, dep="dobj", head=main.i), main


def _argument_kind(analysis: Analysis, number: _Number, pair: tuple[Token, Token]) -> str:
    """The toll kind of the verb a counted noun is an argument of ("" for perpetrators and hypotheticals)."""
    argument, verb = pair
    if _is_perpetrator(analysis, argument, verb) or _is_hypothetical(analysis, verb):
        return ""
    fallback = _window_kind(analysis, number) if verb.pos != "VERB" and not number.singular else ""
    return _verb_kind(analysis, verb) or fallback


def _verb_kind(analysis: Analysis, verb: Token) -> str:
    """The toll kind of a verb, or of a predicate it carries ("left 5 dead", "shot dead", "beaten to death")."""
    lex = _lexicon()
    if _is_purpose(analysis, verb):
        return ""
    if verb.lemma.lower() in lex.verbs:
        return lex.verbs[verb.lemma.lower()]
    if verb.text.lower() in lex.nouns:
        return lex.nouns[verb.text.lower()]
    for child in analysis.tokens[max(0, verb.i - 3) : verb.i + 8]:
        if child.head != verb.i:
            continue
        word = child.text.lower()
        if child.dep in {"oprd", "acomp", "ccomp", "xcomp", "advmod"} and word in lex.nouns:
            return lex.nouns[word]
        if child.dep == "prep" and word in lex.result_preps and _object_of(analysis, child) in lex.result_nouns:
            return lex.result_nouns[_object_of(analysis, child)]
    return ""


def _object_of(analysis: Analysis, preposition: Token) -> str:
    """The lowercased object of a preposition ("death" in "to death"), else ''."""
    window = analysis.tokens[preposition.i + 1 : preposition.i + 4]
    return next((t.text.lower() for t in window if t.head == preposition.i and t.dep == "pobj"), "")


def _is_perpetrator(analysis: Analysis, argument: Token, verb: Token) -> bool:
    """True for the subject of a toll verb that has its own object ("3 blasts killed 40 people").

    Without an object the subject is read as the victim of an elliptical passive ("several others detained").
    """
    lex = _lexicon()
    lemma = verb.lemma.lower()
    if argument.dep != "nsubj" or lemma not in lex.verbs or lemma in lex.victim_subject_verbs:
        return False
    return any(t.head == verb.i and t.dep in {"dobj", "obj"} for t in analysis.tokens[verb.i + 1 : verb.i + 12])


def _is_hypothetical(analysis: Analysis, verb: Token) -> bool:
    """True when a modal governs the verb ("could die"), so the count is not a toll that happened."""
    before = analysis.tokens[max(0, verb.i - 3) : verb.i]
    return any(t.head == verb.i and t.dep == "aux" and t.text.lower() in _lexicon().modals for t in before)


def _is_purpose(analysis: Analysis, verb: Token) -> bool:
    """True for an infinitive of purpose ("an operation to arrest a leader"): not a toll that happened."""
    before = analysis.tokens[max(0, verb.i - 2) : verb.i]
    return verb.tag == "VB" and any(t.head == verb.i and t.tag == "TO" for t in before)


def _window_kind(analysis: Analysis, number: _Number) -> str:
    """The kind of a toll verb right after a number in the same clause ("5 ... were killed")."""
    lex = _lexicon()
    tokens = analysis.tokens
    for token in tokens[number.last + 1 : number.last + 9]:
        if token.sentence != tokens[number.last].sentence or token.text in {",", ";", "("} or _is_number(token):
            break
        if token.lemma.lower() in lex.verbs:
            return lex.verbs[token.lemma.lower()]
        if token.text.lower() in lex.nouns:
            return lex.nouns[token.text.lower()]
    return ""


def _group(analysis: Analysis, number: _Number, noun: Token) -> str:
    """The counted group's text ("US service personnel", "civilians", "his associates" in "one of his associates")."""
    if noun.i == number.last and not number.singular:
        return _of_group(analysis, number)
    if noun.i < number.last:
        return ""
    first = number.first if number.singular else number.last + 1
    text = analysis.document.text[analysis.tokens[first].start : noun.end]
    return re.sub(r"^(of\s+)?(the\s+|an?\s+|another\s+)?", "", text).strip()


def _of_group(analysis: Analysis, number: _Number) -> str:
    """The group after "of" that a bare number picks its members from ("one of his associates"), else ''."""
    tokens = analysis.tokens
    of = number.last + 1
    if of >= len(tokens) or tokens[of].text.lower() != "of" or tokens[of].sentence != tokens[number.last].sentence:
        return ""
    ends = [t for t in tokens[of + 1 : of + 8] if t.head == of and t.dep == "pobj"]
    if not ends:
        return ""
    return analysis.document.text[tokens[of + 1].start : ends[0].end]


def _quantity(analysis: Analysis, number: _Number) -> tuple[Quantity, Token, bool]:
    """A Quantity for one number, with the noun it counts and whether it is a part of another toll."""
    tokens, lex = analysis.tokens, _lexicon()
    evidence = analysis.evidence(tokens[number.first].start, tokens[number.last].end)
    qualifier = _qualifier(analysis, number)
    if qualifier:
        skip = 1 if number.first > 0 and tokens[number.first - 1].text.lower() in lex.currencies else 0
        evidence = analysis.evidence(tokens[number.first - len(qualifier.split()) - skip].start, evidence.end)
    currency = _currency(analysis, number)
    percent = _after(analysis, number) in lex.percent or _after(analysis, number, 2) in lex.percent
    if currency or percent:
        low, best, high = _bounds(number, qualifier, counting=False)
        kind, unit = ("money", currency) if currency else ("percent", "%")
        return Quantity(evidence, kind, low, best, high, unit=unit, qualifier=qualifier), tokens[number.last], False
    noun = _head_noun(analysis, number)
    kind, part = _kind(analysis, number, noun)
    part = part or (not number.vague and _after(analysis, number, 2) in _PARTITIVE)
    unit = noun.text.lower() if noun.i != number.last else ""
    if not kind:
        kind = "strength" if unit in lex.strength_units - {"attacks", "operations"} else "count"
    low, best, high = _bounds(number, qualifier)
    group = _group(analysis, number, noun)
    if _is_coded(analysis, number):
        qualifier, part = "coded", False
    if number.named:
        qualifier = "named"
    quantity = Quantity(evidence, kind, low, best, high, unit=unit or "people", group=group,
                        qualifier="including" if part else qualifier)
    return quantity, noun, part


def _is_coded(analysis: Analysis, number: _Number) -> bool:
    """True for a count a coder states as the event's own toll ("5 fatalities coded for this event")."""
    after = analysis.document.text[analysis.tokens[number.last].end : analysis.tokens[number.last].end + 60]
    return any(p.match(after) for p in _lexicon().coded_after)


def _add(a: float | None, b: float | None) -> float | None:
    """Sum two optional values (None if either is unknown)."""
    return None if a is None or b is None else a + b


def _combine(analysis: Analysis, items: list[tuple[Quantity, Token, bool]]) -> list[Quantity]:
    """Sum conjoined counts of the same toll kind ("170 civilians and 13 soldiers were killed")."""
    merged: list[tuple[Quantity, Token]] = []
    for quantity, noun, _part in items:
        if merged and _conjoined(analysis, merged[-1], quantity, noun):
            merged[-1] = (_summed(analysis, merged[-1][0], quantity), noun)
        else:
            merged.append((quantity, noun))
    return [quantity for quantity, _noun in merged]


def _conjoined(analysis: Analysis, previous: tuple[Quantity, Token], quantity: Quantity, noun: Token) -> bool:
    """True when a count's noun is a conjunct of the previous count's noun, both tolls of one kind."""
    same_kind = previous[0].kind == quantity.kind and quantity.kind in _TOLL_KINDS
    return same_kind and noun.dep == "conj" and analysis.tokens[noun.head].i == previous[1].i


def _summed(analysis: Analysis, previous: Quantity, quantity: Quantity) -> Quantity:
    """The total of two conjoined counts, keeping each as a part."""
    parts = previous.parts or (previous,)
    return Quantity(
        analysis.evidence(parts[0].evidence.start, quantity.evidence.end), quantity.kind,
        _add(previous.low, quantity.low), _add(previous.best, quantity.best), _add(previous.high, quantity.high),
        unit="people", group=" and ".join(p.group for p in (*parts, quantity) if p.group),
        qualifier=_joint_qualifier((*parts, quantity)), parts=(*parts, quantity),
    )


def _joint_qualifier(parts: tuple[Quantity, ...]) -> str:
    """The qualifier of a sum: the first part's, past parts that only name someone already known."""
    return next((p.qualifier for p in parts if p.qualifier != "named"), parts[0].qualifier)


def _zeros(analysis: Analysis) -> list[Quantity]:
    """Explicit zero tolls ("no one was hurt") sentence by sentence."""
    found: dict[tuple[int, str], Quantity] = {}
    for sentence in analysis.sentences:
        for pattern, kinds in _lexicon().zero:
            for match in pattern.finditer(sentence.text):
                evidence = analysis.evidence(sentence.start + match.start(), sentence.start + match.end())
                for kind in kinds:
                    found.setdefault((sentence.index, kind), Quantity(evidence, kind, 0, 0, 0, qualifier="none"))
    return list(found.values())


def extract_quantities(analysis: Analysis) -> Analysis:
    """Extract tolls, counts, money, strengths and shares from a parsed document."""
    items = [
        (quantity, noun, part)
        for number in _numbers(analysis)
        for quantity, noun, part in (_quantity(analysis, number),)
        if (quantity.kind in _TOLL_KINDS or not number.singular)
        and (not number.plural or quantity.kind in _lexicon().bare_plural_kinds)
        and (not number.named or quantity.kind in _lexicon().named_kinds)
    ]
    found = _combine(analysis, items) + _zeros(analysis)
    return replace(analysis, quantities=tuple(sorted(found, key=lambda q: q.evidence.start)))


def _as_int(value: float | None) -> int | None:
    """An optional count rounded to an int."""
    return None if value is None else round(value)


def _toll(quantities: list[Quantity]) -> Toll:
    """The toll summed over every separate count of one kind in a span of text (parts excluded)."""
    wholes = [q for q in quantities if q.qualifier != "including"] or quantities[:1]
    low, best, high = wholes[0].low, wholes[0].best, wholes[0].high
    for quantity in wholes[1:]:
        low, best, high = _add(low, quantity.low), _add(best, quantity.best), _add(high, quantity.high)
    return Toll(_as_int(low), _as_int(best), _as_int(high), tuple(q.evidence for q in wholes))


@dataclass(slots=True, frozen=True)
class _Index:
    """Lookups over one analysis that toll_near reuses across an event's many calls (filled lazily)."""

    analysis: Analysis
    parts: tuple[object, ...]
    breaks: list[int]
    by_kind: dict[str, tuple[list[int], list[Quantity]] | None]
    header_end: int
    words: dict[int, frozenset[str]]
    relcl: dict[int, int | None]
    own: dict[int, tuple[TimeMention, ...]]
    flags: dict[tuple[str, int], bool]
    tails: dict[tuple[int, str], tuple[tuple[Sentence, tuple[Quantity, ...]], ...]]
    tolls: dict[tuple[int, str], Toll | None]
    toll_starts: list[int]  # the sorted start offsets of the tolls above zero


_LAST_INDEX: list[_Index] = []


def _index(analysis: Analysis) -> _Index:
    """The lookup index of an analysis, rebuilt only when its document, parse, times or quantities change."""
    if _LAST_INDEX and (_LAST_INDEX[0].analysis is analysis or _same_parts(_LAST_INDEX[0].parts, analysis)):
        return _LAST_INDEX[0]
    text = analysis.document.text
    own: dict[int, list[TimeMention]] = {}
    for mention in analysis.times:
        if mention.anchor in {"absolute", "narrative"} or mention.span.start != mention.span.end:
            own.setdefault(mention.evidence.sentence, []).append(mention)
    index = _Index(
        analysis,
        _parts(analysis),
        [m.start() for m in _BREAKS.finditer(text)],
        {},
        max((m.evidence.end for m in analysis.times if "dateline" in m.span.flags), default=0),
        {},
        {},
        {k: tuple(v) for k, v in own.items()},
        {},
        {},
        {},
        sorted(q.evidence.start for q in analysis.quantities if q.kind in _TOLL_KINDS and q.best),
    )
    _LAST_INDEX[:] = [index]
    return index


def _parts(analysis: Analysis) -> tuple[object, ...]:
    """The parts of an analysis that toll_near reads (other stages may replace the rest)."""
    return (analysis.document, analysis.sentences, analysis.tokens, analysis.times, analysis.quantities)


def _same_parts(parts: tuple[object, ...], analysis: Analysis) -> bool:
    """True when an analysis holds the very same parts (by identity) an index was built from."""
    return all(a is b for a, b in zip(parts, _parts(analysis), strict=True))


def _flag(index: _Index, name: str, sentence: Sentence) -> bool:
    """A yes/no fact about one sentence ("aside", "new_event", "roundup", "has_toll"), computed once per analysis."""
    key = (name, sentence.index)
    found = index.flags.get(key)
    if found is None:
        found = _FACTS[name](index, sentence)
        index.flags[key] = found
    return found


def _is_aside(index: _Index, sentence: Sentence) -> bool:
    """True for a sentence that quotes someone or tells of another time: its counts do not continue a toll."""
    return any(mark in sentence.text for mark in _QUOTES) or bool(_own_times(index, sentence))


def _opens_event(index: _Index, sentence: Sentence) -> bool:
    """True when a sentence opens another incident: a new-incident cue, or a time of its own near its start."""
    if any(p.match(sentence.text) for p in _lexicon().new_event):
        return True
    return any(m.evidence.start - sentence.start < 25 for m in _own_times(index, sentence))


def _is_roundup(index: _Index, sentence: Sentence) -> bool:
    """True for a sentence that sums up several operations."""
    return any(p.search(sentence.text) for p in _lexicon().roundup)


def _states_toll(index: _Index, sentence: Sentence) -> bool:
    """True when a sentence states a toll above zero."""
    starts = index.toll_starts
    at = bisect.bisect_left(starts, sentence.start)
    return at < len(starts) and starts[at] < sentence.end


_FACTS = {"aside": _is_aside, "new_event": _opens_event, "roundup": _is_roundup, "has_toll": _states_toll}


def _of_kind(index: _Index, kind: str) -> tuple[list[int], list[Quantity]] | None:
    """An analysis's quantities of a kind in text order with their start offsets; None when not in text order."""
    if kind not in index.by_kind:
        found = [q for q in index.analysis.quantities if q.kind == kind]
        starts = [q.evidence.start for q in found]
        ordered = all(a <= b for a, b in pairwise(starts))
        index.by_kind[kind] = (starts, found) if ordered else None
    return index.by_kind[kind]


def _relative_clause(index: _Index, offset: int) -> int | None:
    """The verb of the relative clause containing an offset ("an attack that killed four"), if any."""
    if offset not in index.relcl:
        index.relcl[offset] = _climb_to_relcl(index.analysis, offset)
    return index.relcl[offset]


def _climb_to_relcl(analysis: Analysis, offset: int) -> int | None:
    """The relative-clause verb above the token at an offset, climbing the dependency heads."""
    index = bisect.bisect_right(analysis.tokens, offset, key=_token_start) - 1
    seen: set[int] = set()
    while 0 <= index < len(analysis.tokens) and index not in seen:
        seen.add(index)
        token = analysis.tokens[index]
        if token.dep == "relcl":
            return token.i
        index = token.head if token.head != token.i else -1
    return None


def _token_start(token: Token) -> int:
    """A token's start offset (a bisect key)."""
    return token.start


def _in_sentence(index: _Index, sentence: Sentence, kind: str, at: int | None = None,
                 definite: bool = False) -> list[Quantity]:
    """Quantities of a kind inside a sentence (on the same line as ``at`` when given).

    With ``at``, counts in another relative clause are left out, except (when ``definite``) a clause on a
    definite noun, which goes on telling of someone already named ("the leader, who was detained with two aides").
    """
    start, end = sentence.start, sentence.end
    if at is not None:
        cut = bisect.bisect_left(index.breaks, at)
        start = max(start, index.breaks[cut - 1] + 1 if cut else 0)
        end = min(end, index.breaks[cut]) if cut < len(index.breaks) else end
    of_kind = _of_kind(index, kind)
    if of_kind is None:
        found = [q for q in index.analysis.quantities if q.kind == kind and start <= q.evidence.start < end]
    else:
        starts, kept = of_kind
        found = kept[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
    if at is None or not found:
        return found
    clause = _relative_clause(index, at)
    return [q for q in found if (own := _relative_clause(index, q.evidence.start)) in {None, clause}
            or (definite and _on_definite(index.analysis, own))]


def _on_definite(analysis: Analysis, clause: int | None) -> bool:
    """True when a relative clause's verb modifies a definite noun ("the leader, who ...")."""
    if clause is None:
        return False
    tokens = analysis.tokens
    noun = tokens[tokens[clause].head]
    before = tokens[max(0, noun.i - 5) : noun.i]
    return noun.i < clause and any(t.head == noun.i and t.dep == "det" and t.text.lower() in _DEFINITE_DETS
                                   for t in before)


def toll_near(analysis: Analysis, start: int, end: int, kind: str) -> Toll | None:
    """The toll of a kind tied to the event trigger at [start, end), summed over the sentences that continue it.

    The trigger's own sentence gives the toll (a headline above a dateline defers to the lead below it);
    following sentences of the same incident add counts marked as more of the same ("also detained
    two", "several additional insurgents") or sharpen a vague count ("several" then "four"); one that
    repeats an earlier exact count of the same people is not added again. A count
    the text states as the event's coded toll ("16 total fatalities coded") overrides them, and a death
    toll the text says is shared across N coded events is divided among them.
    """
    index = _index(analysis)
    key = (start, kind)
    if key not in index.tolls:
        index.tolls[key] = _toll_of(index, start, kind)
    return index.tolls[key]


def _toll_of(index: _Index, start: int, kind: str) -> Toll | None:
    """The toll of a kind for a trigger at an offset: the coded one, else the one read around the trigger."""
    of_kind = _of_kind(index, kind)
    among = of_kind[1] if of_kind is not None else [q for q in index.analysis.quantities if q.kind == kind]
    if not among:
        return None  # the text counts nothing of this kind, so no sentence can give a toll
    coded = [q for q in among if q.qualifier == "coded"]
    if coded:
        return _toll(coded[-1:])
    toll = _toll_in_text(index, start, kind)
    return _split(index.analysis, toll) if toll is not None and kind == "killed" else toll


def _split(analysis: Analysis, toll: Toll) -> Toll:
    """A toll divided evenly (rounded half up) when the text says it is shared across N coded events."""
    shares = _split_count(analysis.document.text)
    if shares <= 1:
        return toll

    def part(value: int | None) -> int | None:
        """One event's share of a count."""
        return None if value is None else int(value / shares + 0.5)

    return Toll(part(toll.low), part(toll.best), part(toll.high), toll.evidence)


@lru_cache(maxsize=64)  # asked once per event and toll kind; the answer depends on the document only
def _split_count(text: str) -> int:
    """How many coded events a text says its toll is distributed across (1 when it says nothing)."""
    for pattern in _lexicon().coded_split:
        match = pattern.search(text)
        if match is not None:
            value = number_value(match.group("n"))
            return int(value) if value else 1
    return 1


def _toll_in_text(index: _Index, start: int, kind: str) -> Toll | None:
    """The toll of a kind read from the trigger's sentence and the ones that continue it.

    A sentence that sums up several operations defers to the first operation told after it.
    """
    sentence = _own_sentence(index, start)
    if sentence is None:
        return None
    first = _first_operation(index, sentence)
    if first is not None:
        sentence, start = first, first.start
    found = _counted(_in_sentence(index, sentence, kind, None if sentence.start > start else start))
    for following, counts in _tail(index, sentence, kind):
        unnamed = [_unnamed(q) for q in _counted(list(counts)) if not (found and _named(q))]
        later = [q for q in unnamed if not _restates(found, q)]
        if not later or _restates_total(following, found, later):
            continue
        if found and (_includes_earlier(following, found) or _whole(index.analysis, found, later)):
            found = later
        elif not found or (_additive(index, following, later) and not _covers(found, kind)) \
                or _other_people(found, later):
            found += later
        elif _sharpens(found, later):
            found = later
    return _toll(found) if found else None


def _covers(found: list[Quantity], kind: str) -> bool:
    """True when a toll so far holds a vague amount ("detained several") of a kind whose vague count covers the rest."""
    if kind not in _lexicon().vague_covers:
        return False
    return any(_imprecise(part) and not part.qualifier for q in found for part in (q, *q.parts))


def _sharpens(found: list[Quantity], later: list[Quantity]) -> bool:
    """True when later exact counts give a vague toll its figure ("several" ... "four"), within its range."""
    if not all(_imprecise(q) for q in found) or any(_imprecise(q) for q in later):
        return False
    return (_toll(later).best or 0) >= (_toll(found).low or 0)


def _restates(found: list[Quantity], quantity: Quantity) -> bool:
    """True when a later exact count repeats an earlier one: the same number of the same people.

    ("detained a leader and two suspects ... The force detained the leader and two additional suspects.")
    """
    if _imprecise(quantity) or not quantity.group:
        return False
    key = _noun_key(quantity.group)
    return any(q.best == quantity.best and not _imprecise(q) and q.group and _noun_key(q.group) == key
               for earlier in found for q in (earlier, *earlier.parts))


def _named(quantity: Quantity) -> bool:
    """True for a count of one person named without a number ("the commander", "him")."""
    return quantity.qualifier == "named"


def _unnamed(quantity: Quantity) -> Quantity:
    """A later sum less its parts that name someone already known ("the leader and two others" -> two)."""
    rest = [p for p in quantity.parts if not _named(p)]
    if len(rest) == len(quantity.parts) or not rest:
        return quantity
    low, best, high = rest[0].low, rest[0].best, rest[0].high
    for part in rest[1:]:
        low, best, high = _add(low, part.low), _add(best, part.best), _add(high, part.high)
    group = " and ".join(p.group for p in rest if p.group)
    return replace(quantity, low=low, best=best, high=high, group=group, parts=tuple(rest) if len(rest) > 1 else ())


def _counted(found: list[Quantity]) -> list[Quantity]:
    """The counts of a span, leaving out named persons when the span also states a number."""
    return [q for q in found if not _named(q)] or found


def _restates_total(sentence: Sentence, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when a later sentence retells an exact total: a lone person named before plus the rest.

    ("detained four men, including a commander ... the commander and three additional men were detained")
    """
    if not found or any(_imprecise(q) for q in (*found, *later)):
        return False
    named = sum(1 for key in {_noun_key(q.group) for q in found if q.best == 1 and q.group} if key and re.search(
        rf"\b(the|this|that)\s+([\w-]+\s+){{0,2}}?{re.escape(key)}\b", sentence.text, re.IGNORECASE))
    return named > 0 and (_toll(later).best or 0) + named == _toll(found).best


def _tail(index: _Index, sentence: Sentence, kind: str) -> tuple[tuple[Sentence, tuple[Quantity, ...]], ...]:
    """The sentences after one that go on telling its incident, each with its own counts of a kind (none skipped).

    The scan stops at a sentence opening another incident and skips quotes and sentences with times of their own.
    """
    key = (sentence.index, kind)
    if key not in index.tails:
        found: list[tuple[Sentence, tuple[Quantity, ...]]] = []
        end = sentence.index + 1 + _lexicon().follow_sentences
        for following in index.analysis.sentences[sentence.index + 1 : end]:
            if _starts_new_event(index, following):
                break
            if _flag(index, "aside", following):
                continue
            later = tuple(q for q in _in_sentence(index, following, kind, following.start, definite=True)
                          if q.qualifier != "including")
            if later:
                found.append((following, later))
        index.tails[key] = tuple(found)
    return index.tails[key]


def _first_operation(index: _Index, sentence: Sentence) -> Sentence | None:
    """After a round-up of several operations ("during four separate operations"), the first sentence with a toll.

    A sentence without any toll of its own (a dateline split off its lead) is read together with the next one.
    """
    analysis, lex = index.analysis, _lexicon()
    if not _has_toll(index, sentence) and sentence.index + 1 < len(analysis.sentences):
        sentence = analysis.sentences[sentence.index + 1]
    if not _flag(index, "roundup", sentence):
        return None
    for following in analysis.sentences[sentence.index + 1 : sentence.index + 1 + lex.follow_sentences]:
        if _has_toll(index, following):
            return following
    return None


def _has_toll(index: _Index, sentence: Sentence) -> bool:
    """True when a sentence states a toll above zero."""
    return _flag(index, "has_toll", sentence)


def _own_sentence(index: _Index, start: int) -> Sentence | None:
    """The trigger's sentence, or the lead's first sentence when the trigger sits in a headline above a dateline."""
    analysis, header_end = index.analysis, index.header_end
    if start >= header_end:
        return analysis.sentence_of(start)
    text = analysis.document.text
    return next((s for s in analysis.sentences if s.end > header_end and re.search(r"\w", text[header_end : s.end])),
                None)


def _imprecise(quantity: Quantity) -> bool:
    """True for a count that is vague or open-ended ("several", "at least 3")."""
    return quantity.high is None or quantity.low != quantity.high


def _additive(index: _Index, sentence: Sentence, later: list[Quantity]) -> bool:
    """True when a later sentence marks its counts as more of the same toll ("also", "additional", "other")."""
    lex = _lexicon()
    words = index.words.get(sentence.index)
    if words is None:
        words = frozenset(t.text.lower() for t in index.analysis.tokens if t.sentence == sentence.index)
        index.words[sentence.index] = words
    groups = {w.lower() for q in later for w in q.group.split()[:1]}
    return bool(words & lex.additive or groups & lex.additive_group)


def _other_people(found: list[Quantity], later: list[Quantity]) -> bool:
    """True when a lone earlier person is not among later people ("a leader" ... "several suspects").

    A later lone person ("one suspected insurgent") restates the earlier one unless picked from someone's
    people ("one of his associates").
    """
    if _toll(found).best != 1:
        return False
    earlier = {_noun_key(q.group) for q in found}
    return all(q.group and _noun_key(q.group) not in earlier and (q.best != 1 or _possessed(q.group)) for q in later)


def _possessed(group: str) -> bool:
    """True for a group named as someone's people ("his associates", "their guards")."""
    return group.lower().split(" ", 1)[0] in _POSSESSIVES


def _includes_earlier(sentence: Sentence, found: list[Quantity]) -> bool:
    """True when a later count names a lone earlier person among its members ("... including the commander")."""
    if _toll(found).best != 1:
        return False
    keys = {_noun_key(q.group) for q in found if q.group}
    text = sentence.text.lower()
    return any(re.search(rf"\b(including|among them)\s+(the|this|that)\s+(\w+\s+){{0,2}}{re.escape(k)}s?\b", text)
               for k in keys if k)


def _whole(analysis: Analysis, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when a later count takes in everyone named so far ("both men", "all five suspects"), not adding to them."""
    if (_toll(later).best or 0) < (_toll(found).best or 0):
        return False
    text, whole = analysis.document.text, _lexicon().whole
    for q in later:
        words = re.findall(r"[\w']+", text[max(0, q.evidence.start - 12) : q.evidence.end].lower())
        span = re.findall(r"[\w']+", q.evidence.text.lower())
        if (span and span[0] in whole) or (len(words) > len(span) and words[-len(span) - 1] in whole):
            return True
    return False


def _noun_key(group: str) -> str:
    """The head noun of a counted group, singular and lowercase ("suspected insurgents" -> "insurgent")."""
    words = group.lower().split()
    return words[-1].removesuffix("s") if words else ""


def _starts_new_event(index: _Index, sentence: Sentence) -> bool:
    """True when a sentence opens another incident: a new-incident cue, or a time of its own (a date, a period)."""
    return _flag(index, "new_event", sentence)


def _own_times(index: _Index, sentence: Sentence) -> list[TimeMention]:
    """A sentence's dates and periods that are not simple deictic days: it tells of another time."""
    return list(index.own.get(sentence.index, ()))
