"""Whether a temporal expression sits in a clause about the future, read from the dependency parse.

"He is due in court on Friday", "a vigil will be held Wednesday", "he is expected to appear Monday": such a
day lies ahead of the writer, so it resolves forward from its anchor and dates no event that has occurred.
The clause is the nearest verb (or predicative adjective) above the expression; a non-finite clause ("to
appear Monday") is judged by the clause that governs it ("is expected").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from operator import attrgetter

from khabar.records import Analysis, Token
from khabar.time.words import TimeWords

_token_start = attrgetter("start")  # a bisect key over tokens in text order
_CLAUSE_POS = frozenset({"VERB", "AUX"})
_PREDICATIVE_DEPS = frozenset({"acomp", "ROOT"})  # an adjective that heads its clause ("is due in court")
_MAX_CLIMB = 12  # dependency arcs walked from an expression to its clause; a parse is never that deep in practice


def future_clause(analysis: Analysis, start: int, end: int, words: TimeWords) -> bool:
    """Whether the expression at ``start:end`` belongs to a clause that speaks of the future."""
    head = _expression_head(analysis, start, end)
    if head is None or _looks_back(analysis, head, words):
        return False
    clause = _clause_of(analysis, head)
    for _ in range(2):  # the clause itself, then the one governing it when it is non-finite
        if clause is None:
            return False
        if _marks_future(analysis, clause, words):
            return True
        if clause.dep != "xcomp" or clause.head == clause.i:
            return False
        clause = analysis.tokens[clause.head]
    return False


def process_clause(analysis: Analysis, start: int, end: int, words: TimeWords) -> bool:
    """Whether the expression at ``start:end`` dates a step after an act ("was charged Friday", "gathered Tuesday")."""
    head = _expression_head(analysis, start, end)
    clause = _clause_of(analysis, head) if head is not None else None
    return clause is not None and clause.lemma.lower() in words.process_verbs


def _expression_head(analysis: Analysis, start: int, end: int) -> Token | None:
    """The expression's token whose head lies outside it."""
    tokens = analysis.tokens
    for k in range(bisect.bisect_left(tokens, start, key=_token_start), len(tokens)):
        token = tokens[k]
        if token.start >= end:
            break  # tokens come in text order
        if not start <= tokens[token.head].start < end or token.head == token.i:
            return token
    return None


def _looks_back(analysis: Analysis, head: Token, words: TimeWords) -> bool:
    """Whether the expression is the object of a preposition that looks back ("since 2016")."""
    governor = analysis.tokens[head.head]  # the parser tags "since" a preposition or a conjunction
    return governor.i != head.i and governor.text.lower() in words.future_looking_back


def _clause_of(analysis: Analysis, token: Token) -> Token | None:
    """The nearest verb or predicative adjective above a token, None when the token heads its sentence."""
    current = token
    for _ in range(_MAX_CLIMB):
        if current.head == current.i:
            return None
        current = analysis.tokens[current.head]
        if current.pos in _CLAUSE_POS or (current.pos == "ADJ" and current.dep in _PREDICATIVE_DEPS):
            return current
    return None


def _marks_future(analysis: Analysis, clause: Token, words: TimeWords) -> bool:
    """A future auxiliary ('will be held'), or a scheduling predicate ('is scheduled for', 'is due')."""
    children = list(_children(analysis, clause))
    auxiliaries = {c.text.lower() for c in children if c.dep in {"aux", "auxpass"}}
    if auxiliaries & words.future_perfect:
        return False  # "would have turned 18", "had set fire": the past
    if auxiliaries & words.future_auxiliaries:
        return True
    complements = [c for c in children if c.dep == "acomp"]
    return any(_schedules(analysis, t, words) for t in (clause, *complements))


def _schedules(analysis: Analysis, token: Token, words: TimeWords) -> bool:
    """A participle or adjective scheduling its clause: 'is scheduled', 'is due', 'is set for' (not 'set on fire')."""
    following = words.future_predicates.get(token.text.lower())
    if following is None or (token.pos != "ADJ" and token.tag != "VBN"):
        return False
    after = analysis.tokens[token.i + 1].text.lower() if token.i + 1 < len(analysis.tokens) else ""
    return not following or after in following


def _children(analysis: Analysis, token: Token) -> Iterator[Token]:
    """A token's dependents, read from its own sentence (a parse never links two sentences)."""
    tokens = analysis.tokens
    first = token.i
    while first > 0 and tokens[first - 1].sentence == token.sentence:
        first -= 1
    for other in tokens[first:]:
        if other.sentence != token.sentence:
            return
        if other.head == token.i and other.i != token.i:
            yield other
