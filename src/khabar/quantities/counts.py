"""Where a document counts something: numbers, and people counted without one ("a leader", "insurgents", "him").

Dates, ages ("Joe Smith, 29,"), clock times, unit names ("District 9"), addresses ("1200 Elm Avenue", "the 900
block"), phone numbers, calibres and ordinals are left out.
"""

from __future__ import annotations

import re

from khabar.quantities.lexicon import QuantityLexicon
from khabar.quantities.numbers import Number, is_number, may_start_amount, number_at, vague_at
from khabar.records import Analysis, Token

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_NAMED_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "conj", "appos"})  # where a named person counts


def find_numbers(analysis: Analysis, lex: QuantityLexicon) -> list[Number]:
    """Every count in the document that is not a date, age, clock time or part of a name."""
    tokens = analysis.tokens
    blocked = _pattern_spans(analysis.document.text, lex)
    found: list[Number] = []
    i = 0
    while i < len(tokens):
        number = count_at(tokens, i, lex) if may_count(tokens[i], lex) else None
        if number is None:
            i += 1
            continue
        if not _excluded(analysis, number, lex) and not _inside(tokens[number.first].start, blocked):
            found.append(number)
        i = number.last + 1
    return found


def count_at(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> Number | None:
    """The number, or the person counted as one or a bare plural, starting at token i."""
    return (number_at(tokens, i, lex.words) or _singular_at(tokens, i, lex) or _plural_at(tokens, i, lex)
            or _named_at(tokens, i, lex) or _age_person_at(tokens, i, lex))


def may_count(token: Token, lex: QuantityLexicon) -> bool:
    """False for a token that fails the first tests of every reader in ``count_at`` (most tokens): it starts no count.

    Tests, in order: a digit, a number word or the first word of a vague amount (``number_at``), a pronoun or a
    person's name as an argument (``_named_at``), a singular person noun (``_singular_at``, ``_named_at``), a
    plural one (``_plural_at``).
    """
    if may_start_amount(token.text, lex.words):
        return True
    if token.dep in _NAMED_DEPS and (token.pos == "PRON" or (token.pos == "PROPN" and token.ent_type == "PERSON")):
        return True
    if token.text.lower() in lex.age_heads:
        return True
    if token.tag == "NN":
        return _person_word(token.text.lower(), lex)
    return token.tag == "NNS" and _person_word(token.lemma.lower(), lex)


def is_person(token: Token, lex: QuantityLexicon) -> bool:
    """A singular noun naming a person ("insurgent", "facilitator")."""
    return token.tag == "NN" and _person_word(token.text.lower(), lex)


def _person_word(word: str, lex: QuantityLexicon) -> bool:
    """A (singular) word naming a person: listed in the lexicon, or ending in a person suffix."""
    return word in lex.persons or (len(word) > 5 and word.endswith(lex.person_suffixes))


def _modifiers(tokens: tuple[Token, ...], i: int) -> list[Token]:
    """The tokens shortly before token i that depend on it."""
    return [t for t in tokens[max(0, i - 6) : i] if t.head == i]


def _singular_at(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> Number | None:
    """A singular person noun without a number of its own ("a Taliban leader"): one, if a toll governs it."""
    token = tokens[i]
    if not is_person(token, lex) or token.dep == "compound" or _of_another_noun(tokens, token, lex):
        return None
    modifiers = _modifiers(tokens, i)
    if any(t.dep in {"nummod", "quantmod"} or t.text.lower() in lex.no_count for t in modifiers):
        return None
    definite = any(t.dep == "det" and t.text.lower() in lex.definite for t in modifiers)
    if definite and not (i + 1 < len(tokens) and tokens[i + 1].pos == "PROPN" and tokens[i + 1].head in {i, i + 2}):
        return None
    first = min((t.i for t in modifiers if t.dep in {"det", "amod", "compound", "poss"}), default=i)
    return Number(first, i, 1.0, 1.0, 1.0, singular=True)


def _age_person_at(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> Number | None:
    """An age standing for a person ("a 6-year-old died"): one, if a toll governs it."""
    token = tokens[i]
    if token.text.lower() not in lex.age_heads or token.dep not in _NAMED_DEPS:
        return None
    units = [t for t in tokens[max(0, i - 4) : i] if t.head == i and t.lemma.lower() in lex.age_units]
    if not units:
        return None
    first = min((t.i for t in tokens[max(0, i - 6) : i] if t.head == i and t.dep == "det"), default=units[0].i)
    return Number(first, i, 1.0, 1.0, 1.0, singular=True)


def _named_at(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> Number | None:
    """One person already named ("the commander", "Mullah Omar", "him"): one, counted only when no other count is.

    The head of a person's name, a personal pronoun, or a singular person noun with a definite determiner, as
    an argument; a toll counts it only when its text gives no number of its own for that toll.
    """
    token = tokens[i]
    if token.dep not in _NAMED_DEPS:
        return None
    word = token.text.lower()
    if token.pos == "PRON":
        return Number(i, i, 1.0, 1.0, 1.0, singular=True, named=True) if word in lex.personal else None
    modifiers = _modifiers(tokens, i)
    if any(t.dep in {"nummod", "quantmod", "poss"} or t.text.lower() in lex.no_count for t in modifiers):
        return None
    named = token.pos == "PROPN" and token.ent_type == "PERSON"
    definite = is_person(token, lex) and any(t.dep == "det" and t.text.lower() in lex.definite for t in modifiers)
    if not (named or definite) or _of_another_noun(tokens, token, lex):
        return None
    first = min((t.i for t in modifiers if t.dep in {"det", "amod", "compound"}), default=i)
    return Number(first, i, 1.0, 1.0, 1.0, singular=True, named=True)


def _plural_at(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> Number | None:
    """A bare plural of people ("detained suspected insurgents"): the lexicon's bare count, if a toll governs it.

    A plural with a determiner, possessive or number of its own ("the men", "his aides", "several men") is none.
    """
    token = tokens[i]
    if not (token.tag == "NNS" and _person_word(token.lemma.lower(), lex)) or token.dep == "compound" \
            or _of_another_noun(tokens, token, lex):
        return None
    modifiers = _modifiers(tokens, i)
    if any(t.dep in {"det", "poss", "nummod", "quantmod"} or t.text.lower() in lex.no_count for t in modifiers):
        return None
    first = min((t.i for t in modifiers if t.dep in {"amod", "compound"}), default=i)
    if any(is_number(t, lex.words) or vague_at(tokens, t.i, lex.words) is not None
           for t in tokens[max(0, first - 3) : i]):
        return None
    count = lex.bare_plural
    return Number(first, i, count, count, None, vague=True, singular=True, plural=True)


def _of_another_noun(tokens: tuple[Token, ...], token: Token, lex: QuantityLexicon) -> bool:
    """True for a person named only to describe another noun ("the brother of a commander", not "the arrest of")."""
    act = of_act(tokens, token, lex)
    if act is not None or token.dep != "pobj" or not 0 <= token.head < len(tokens) \
            or tokens[token.head].text.lower() != "of":
        return False
    of = tokens[token.head]
    return 0 <= of.head < len(tokens) and of.head != of.i and tokens[of.head].pos == "NOUN"


def of_act(tokens: tuple[Token, ...], token: Token, lex: QuantityLexicon) -> str | None:
    """The toll kind of an act noun whose "of" object a token is ("the arrest of a leader" -> captured), else None."""
    if token.dep != "pobj" or not 0 <= token.head < len(tokens) or tokens[token.head].text.lower() != "of":
        return None
    of = tokens[token.head]
    if not 0 <= of.head < len(tokens) or of.head == of.i or tokens[of.head].pos != "NOUN":
        return None
    return lex.acts.get(tokens[of.head].lemma.lower())


def _pattern_spans(text: str, lex: QuantityLexicon) -> list[tuple[int, int]]:
    """The spans of a text that name rather than count, whatever digits they hold (phone numbers)."""
    return [m.span() for pattern in lex.not_count_patterns for m in pattern.finditer(text)]


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """True when an offset lies inside one of the spans."""
    return any(start <= offset < end for start, end in spans)


def _excluded(analysis: Analysis, number: Number, lex: QuantityLexicon) -> bool:
    """True for numbers that are not counts: dates, times, ages, ordinals, distances, names, addresses."""
    tokens = analysis.tokens
    first, last = tokens[number.first], tokens[number.last]
    if first.ent_type in _SKIP_ENTS or any(m.evidence.start <= first.start < m.evidence.end for m in analysis.times):
        return True
    if first.dep == "preconj" or _pairs_groups(tokens, first, lex):
        return True
    if _is_age(tokens, number, lex) or _house_number(tokens, number, lex):
        return True
    before = tokens[number.first - 1] if number.first > 0 else None
    if before is not None and before.text.lower() in lex.negations:
        return True
    if before is not None and before.text.rstrip(".") in lex.unit_words:
        return True
    after = " ".join(t.text.lower() for t in tokens[number.last + 1 : number.last + 5])
    words = after.replace(" - ", "-").replace("- ", "-").split()
    nxt = words[0].lstrip("-") if words else ""
    if nxt in lex.not_counts or nxt.startswith("year-") or nxt.startswith(":"):
        return True
    return bool(re.match(r"^\d+(st|nd|rd|th)$", last.text))


def _pairs_groups(tokens: tuple[Token, ...], first: Token, lex: QuantityLexicon) -> bool:
    """True for "both" before two joined groups ("both civilians and soldiers"): it counts groups, not people."""
    if first.text.lower() not in lex.pairing or not first.head > first.i:
        return False
    return any(t.head == first.head and t.dep == "cc" for t in tokens[first.head + 1 : first.head + 3])


def _is_age(tokens: tuple[Token, ...], number: Number, lex: QuantityLexicon) -> bool:
    """True for an age: after an age word ("aged 45"), or a bare number set off after a person ("Joe Smith, 29,").

    Numbers linked to such an age are ages too ("two men, 19 and 21, were killed").
    """
    if number.vague or number.singular:
        return False
    i = number.first
    while i >= 2 and tokens[i - 1].text.lower() in lex.age_links and is_number(tokens[i - 2], lex.words):
        i -= 2  # back to the first of linked numbers ("19 and 21")
    if i > 0 and tokens[i - 1].text.lower() in lex.age_cues:
        return True
    if i < 2 or tokens[i - 1].text not in lex.age_openers or not _closes_age(tokens, number.last + 1, lex):
        return False
    person = tokens[i - 2]
    return _names_person(person, lex) or (tokens[i].dep == "appos" and tokens[i].head == person.i
                                           and person.pos in {"NOUN", "PROPN"})


def _closes_age(tokens: tuple[Token, ...], i: int, lex: QuantityLexicon) -> bool:
    """True when token i may follow an age set off after a person (a comma, "and", the end of the text)."""
    return i >= len(tokens) or tokens[i].text.lower() in lex.age_closers


def _names_person(token: Token, lex: QuantityLexicon) -> bool:
    """True for a token that names a person or people: a person's name, or a person noun ("man", "victims")."""
    if token.ent_type == "PERSON" and token.pos == "PROPN":
        return True
    return token.tag in {"NN", "NNS"} and _person_word((token.lemma if token.tag == "NNS" else token.text).lower(), lex)


def _house_number(tokens: tuple[Token, ...], number: Number, lex: QuantityLexicon) -> bool:
    """True for a house number: digits before a street's capitalised name and its type ("at 1200 Elm Avenue").

    A lowercase noun after the type shows a name that only describes a group ("12 Supreme Court judges").
    """
    if number.vague or number.singular or not tokens[number.first].text[:1].isdigit():
        return False
    for names, token in enumerate(tokens[number.last + 1 : number.last + 2 + lex.street_words]):
        if names and token.text.rstrip(".").lower() in lex.street_types:
            after = tokens[token.i + 1] if token.i + 1 < len(tokens) else None
            return after is None or after.pos != "NOUN"
        if not token.text[:1].isupper():
            return False
    return False
