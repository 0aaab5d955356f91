"""The quantities stage: every count of a document as a Quantity (low/best/high, kind, unit, group, qualifier).

Conjoined counts of the same toll kind are summed with their breakdown kept in ``parts``; explicit zero tolls
("no one was hurt") give 0, which is different from an unknown toll (no Quantity at all).
"""

from __future__ import annotations

import re
from dataclasses import replace

from khabar.quantities.counts import find_numbers
from khabar.quantities.kinds import toll_kind, words_after
from khabar.quantities.lexicon import QuantityLexicon, load_lexicon
from khabar.quantities.numbers import Number
from khabar.records import Analysis, Quantity, Token
from khabar.stages import Contract

CONTRACT = Contract("quantities", requires=frozenset({"tokens", "sentences", "times"}),
                    assigns=frozenset({"quantities"}))

Bounds = tuple[float | None, float | None, float | None]


def extract_quantities(analysis: Analysis, *, lexicon: QuantityLexicon | None = None) -> Analysis:
    """Extract tolls, counts, money, strengths and shares from a parsed document.

    ``lexicon`` is the loaded quantities lexicon (``load_lexicon()``, built once by the pipeline); without
    one the packaged lexicon is read for this call.
    """
    lex = lexicon or load_lexicon()
    items = [
        (quantity, noun)
        for number in find_numbers(analysis, lex)
        for quantity, noun in (_quantity(analysis, number, lex),)
        if (quantity.kind in lex.toll_kinds or not number.singular)
        and (not number.plural or quantity.kind in lex.bare_plural_kinds)
        and (not number.named or quantity.kind in lex.named_kinds)
    ]
    found = _combine(analysis, items, lex) + _zeros(analysis, lex)
    return replace(analysis, quantities=tuple(sorted(found, key=lambda q: q.evidence.start)))


def add(a: float | None, b: float | None) -> float | None:
    """Sum two optional values (None if either is unknown)."""
    return None if a is None or b is None else a + b


def _currency(analysis: Analysis, number: Number, lex: QuantityLexicon) -> str:
    """The ISO code of a currency written right before or after a number, else ''."""
    before = analysis.tokens[number.first - 1].text.lower() if number.first > 0 else ""
    if before in lex.currencies:
        return lex.currencies[before]
    return lex.currencies.get(words_after(analysis, number), "")


def _qualifier(analysis: Analysis, number: Number, lex: QuantityLexicon) -> str:
    """The qualifier phrase right before a number ("at least", "up to"), else ''."""
    words = [t.text.lower() for t in analysis.tokens[max(0, number.first - 5) : number.first]]
    if words and words[-1] in lex.currencies:
        words.pop()
    for width in (4, 3, 2, 1):
        phrase = " ".join(words[-width:])
        if len(words) >= width and phrase in lex.qualifiers:
            return phrase
    return ""


def _bounds(number: Number, qualifier: str, lex: QuantityLexicon, counting: bool = True) -> Bounds:
    """Low/best/high of a number under its qualifier; a strict floor on a head count rounds up to the next whole."""
    low, best, high = number.low, number.best, number.high
    mode = lex.qualifiers.get(qualifier, "exact")
    if best is None or mode == "exact" or number.vague:
        return low, best, high
    if mode == "low":
        return best, best, None
    if mode == "above":
        floor = best + 1 if counting and float(best).is_integer() else best
        return floor, floor, None
    if mode == "high":
        return None, best, best
    return round(best * (1 - lex.spread), 6), best, round(best * (1 + lex.spread), 6)


def _head_noun(analysis: Analysis, number: Number) -> Token:
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


def _group(analysis: Analysis, number: Number, noun: Token) -> str:
    """The counted group's text ("US service personnel", "civilians", "his associates" in "one of his associates")."""
    if noun.i == number.last and not number.singular:
        return _of_group(analysis, number)
    if noun.i < number.last:
        return ""
    first = number.first if number.singular else number.last + 1
    text = analysis.document.text[analysis.tokens[first].start : noun.end]
    return re.sub(r"^(of\s+)?(the\s+|an?\s+|another\s+)?", "", text).strip()


def _of_group(analysis: Analysis, number: Number) -> str:
    """The group after "of" that a bare number picks its members from ("one of his associates"), else ''."""
    tokens = analysis.tokens
    of = number.last + 1
    if of >= len(tokens) or tokens[of].text.lower() != "of" or tokens[of].sentence != tokens[number.last].sentence:
        return ""
    ends = [t for t in tokens[of + 1 : of + 8] if t.head == of and t.dep == "pobj"]
    if not ends:
        return ""
    return analysis.document.text[tokens[of + 1].start : ends[0].end]


def _quantity(analysis: Analysis, number: Number, lex: QuantityLexicon) -> tuple[Quantity, Token]:
    """A Quantity for one number, with the noun it counts."""
    tokens = analysis.tokens
    evidence = analysis.evidence(tokens[number.first].start, tokens[number.last].end)
    qualifier = _qualifier(analysis, number, lex)
    if qualifier:
        skip = 1 if number.first > 0 and tokens[number.first - 1].text.lower() in lex.currencies else 0
        evidence = analysis.evidence(tokens[number.first - len(qualifier.split()) - skip].start, evidence.end)
    currency = _currency(analysis, number, lex)
    percent = words_after(analysis, number) in lex.percent or words_after(analysis, number, 2) in lex.percent
    if currency or percent:
        low, best, high = _bounds(number, qualifier, lex, counting=False)
        kind, unit = ("money", currency) if currency else ("percent", "%")
        return Quantity(evidence, kind, low, best, high, unit=unit, qualifier=qualifier), tokens[number.last]
    noun = _head_noun(analysis, number)
    kind, part = toll_kind(analysis, number, noun, lex)
    part = part or (not number.vague and words_after(analysis, number, 2) in lex.partitive)
    unit = noun.text.lower() if noun.i != number.last else ""
    if not kind:
        kind = "strength" if unit in lex.strength_units else "count"
    low, best, high = _bounds(number, qualifier, lex)
    group = _group(analysis, number, noun)
    if _is_coded(analysis, number, lex):
        qualifier, part = "coded", False
    if number.named:
        qualifier = "named"
    quantity = Quantity(evidence, kind, low, best, high, unit=unit or "people", group=group,
                        qualifier="including" if part else qualifier)
    return quantity, noun


def _is_coded(analysis: Analysis, number: Number, lex: QuantityLexicon) -> bool:
    """True for a count a coder states as the event's own toll ("5 fatalities coded for this event")."""
    after = analysis.document.text[analysis.tokens[number.last].end : analysis.tokens[number.last].end + 60]
    return any(p.match(after) for p in lex.coded_after)


def _combine(analysis: Analysis, items: list[tuple[Quantity, Token]], lex: QuantityLexicon) -> list[Quantity]:
    """Sum conjoined counts of the same toll kind ("170 civilians and 13 soldiers were killed")."""
    merged: list[tuple[Quantity, Token]] = []
    for quantity, noun in items:
        if merged and _conjoined(analysis, merged[-1], quantity, noun, lex):
            if not _second_role(merged[-1][0], quantity, noun):
                merged[-1] = (_summed(analysis, merged[-1][0], quantity), noun)
        else:
            merged.append((quantity, noun))
    return [quantity for quantity, _noun in merged]


def _second_role(previous: Quantity, quantity: Quantity, noun: Token) -> bool:
    """True for a lone person noun joined to one person without an article of its own: the same person.

    "a husband and father was killed" is one man; "a soldier and a civilian" repeat the article.
    """
    return previous.best == 1 and quantity.best == 1 and noun.tag == "NN" and quantity.evidence.start == noun.start


def _conjoined(analysis: Analysis, previous: tuple[Quantity, Token], quantity: Quantity, noun: Token,
               lex: QuantityLexicon) -> bool:
    """True when a count's noun is a conjunct of the previous count's noun, both tolls of one kind."""
    same_kind = previous[0].kind == quantity.kind and quantity.kind in lex.toll_kinds
    return same_kind and noun.dep == "conj" and analysis.tokens[noun.head].i == previous[1].i


def _summed(analysis: Analysis, previous: Quantity, quantity: Quantity) -> Quantity:
    """The total of two conjoined counts, keeping each as a part."""
    parts = previous.parts or (previous,)
    return Quantity(
        analysis.evidence(parts[0].evidence.start, quantity.evidence.end), quantity.kind,
        add(previous.low, quantity.low), add(previous.best, quantity.best), add(previous.high, quantity.high),
        unit="people", group=" and ".join(p.group for p in (*parts, quantity) if p.group),
        qualifier=_joint_qualifier((*parts, quantity)), parts=(*parts, quantity),
    )


def _joint_qualifier(parts: tuple[Quantity, ...]) -> str:
    """The qualifier of a sum: the first part's, past parts that only name someone already known."""
    return next((p.qualifier for p in parts if p.qualifier != "named"), parts[0].qualifier)


def _zeros(analysis: Analysis, lex: QuantityLexicon) -> list[Quantity]:
    """Explicit zero tolls ("no one was hurt") sentence by sentence."""
    found: dict[tuple[int, str], Quantity] = {}
    for sentence in analysis.sentences:
        for pattern, kinds in lex.zero:
            for match in pattern.finditer(sentence.text):
                evidence = analysis.evidence(sentence.start + match.start(), sentence.start + match.end())
                for kind in kinds:
                    found.setdefault((sentence.index, kind), Quantity(evidence, kind, 0, 0, 0, qualifier="none"))
    return list(found.values())
