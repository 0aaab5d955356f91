"""When an event happened: the time of an event trigger, read from the time stage's mentions.

The time governing the trigger's clause wins, else the document's narrative time before the trigger, else the
publication date (flagged ``from_publication``). A trigger in a headline above a dateline takes the time of the
lead below it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import replace
from operator import attrgetter

from khabar.records import Analysis, TimeMention, TimeSpan, Token
from khabar.time import day_span

_token_start = attrgetter("start")  # a bisect key over tokens in text order
_FINAL = frozenset(".!?\"'”’)")
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "pcomp", "acl"})


def _token_at(analysis: Analysis, offset: int) -> Token | None:
    """The token covering (or starting right after) a character offset."""
    index = bisect.bisect_right(analysis.tokens, offset, key=_token_start) - 1
    return analysis.tokens[index] if 0 <= index < len(analysis.tokens) else None


def _clause_chain(analysis: Analysis, token: Token) -> Iterator[int]:
    """The clause heads above a token, nearest first."""
    seen: set[int] = set()
    current = token
    while current.i not in seen:
        seen.add(current.i)
        if (current.dep in _CLAUSE_DEPS and current.pos in {"VERB", "AUX"}) or current.dep == "ROOT":
            yield current.i
        if current.head == current.i:
            return
        current = analysis.tokens[current.head]


def _mention_head(analysis: Analysis, mention: TimeMention) -> Token | None:
    """The token of a mention whose head lies outside it."""
    start, end = mention.evidence.start, mention.evidence.end
    tokens = analysis.tokens
    for k in range(bisect.bisect_left(tokens, start, key=_token_start), len(tokens)):
        token = tokens[k]
        if token.start >= end:
            break  # tokens come in text order
        head = tokens[token.head]
        if not start <= head.start < end or head.i == token.i:
            return token
    return None


def _rank(analysis: Analysis, mention: TimeMention, trigger_chain: list[int]) -> int:
    """How closely a mention governs the trigger's clause (0 best)."""
    if "future" in mention.span.flags or "dateline" in mention.span.flags:
        return 9
    penalty = 3 if "reported" in mention.span.flags else 0
    head = _mention_head(analysis, mention)
    chain = list(_clause_chain(analysis, head)) if head else []
    if chain and trigger_chain and chain[0] == trigger_chain[0]:
        return penalty
    if chain and chain[0] in trigger_chain:
        return penalty + 1
    return penalty + 2


def event_time(analysis: Analysis, start: int, end: int) -> TimeSpan | None:
    """The time governing an event trigger's clause, else the narrative time, else the flagged publication.

    A trigger in a headline above the dateline takes the time of the lead below it, which restates the
    headline's event.
    """
    header_end = max((m.evidence.end for m in analysis.times if "dateline" in m.span.flags), default=0)
    if start < header_end:
        return _lead_time(analysis, header_end)
    sentence = analysis.sentence_of(start)
    trigger = _token_at(analysis, start)
    chain = list(_clause_chain(analysis, trigger)) if trigger else []
    if sentence is not None:
        indices = _continued(analysis, sentence.index)
        local = [m for m in analysis.times if m.evidence.sentence in indices]
        ranked = sorted(local, key=lambda m: (_rank(analysis, m, chain), m.span.ucdp_precision,
                                              abs(m.evidence.start - start)))
        if ranked and _rank(analysis, ranked[0], chain) < 9:
            return ranked[0].span
    narrative = _narrative_before(analysis, start)
    if narrative is not None:
        return narrative
    published = analysis.document.published
    return day_span(published, ("from_publication",)) if published else None


def _continued(analysis: Analysis, index: int) -> set[int]:
    """A sentence's index, plus the next ones while each stops without final punctuation (a bad split)."""
    indices = {index}
    while 0 <= index < len(analysis.sentences) - 1 and len(indices) < 4:
        text = analysis.sentences[index].text.rstrip()
        if not text or text[-1] in _FINAL:
            break
        index += 1
        indices.add(index)
    return indices


def _lead_time(analysis: Analysis, header_end: int) -> TimeSpan | None:
    """The first event-dating expression of the lead right after a dateline, else the flagged publication."""
    lead = analysis.sentence_of(header_end) or next((s for s in analysis.sentences if s.start >= header_end), None)
    first = lead.index if lead is not None else -1
    for mention in analysis.times:
        if mention.evidence.start < header_end or mention.evidence.sentence > first + 1:
            continue
        if _datable(mention):
            return mention.span
    published = analysis.document.published
    return day_span(published, ("from_publication",)) if published else None


def narrative_time(analysis: Analysis, offset: int) -> TimeSpan | None:
    """The document's narrative time at an offset: the latest dated expression before it, flagged."""
    return _narrative_before(analysis, offset)


def _narrative_before(analysis: Analysis, offset: int) -> TimeSpan | None:
    """The latest dated expression before an offset, flagged as the narrative time."""
    earlier = [m for m in analysis.times if m.evidence.end <= offset and _datable(m)]
    if not earlier:
        return None
    span = earlier[-1].span
    return replace(span, flags=(*span.flags, "narrative"))


def first_time_after(analysis: Analysis, offset: int) -> TimeSpan | None:
    """The text's first dated expression when it starts at or after an offset (a headline's time), flagged."""
    dated = [m for m in analysis.times if _datable(m)]
    if not dated or dated[0].evidence.start < offset:
        return None
    return replace(dated[0].span, flags=(*dated[0].span.flags, "narrative"))


def _datable(mention: TimeMention) -> bool:
    """Whether a time mention can date a past event: a day, week or month, not a future one."""
    return mention.span.ucdp_precision <= 4 and "future" not in mention.span.flags
