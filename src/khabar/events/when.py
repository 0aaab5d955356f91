"""When an event happened: the time of an event trigger, read from the time stage's mentions.

The time governing the trigger's clause wins (one attached to the trigger itself first: "last week's
shooting", "a 2011 attack"), else the document's narrative time before the trigger, else the publication date
or, for a text dated only to a month (a release code), the publication's window (flagged ``from_publication``).
A trigger in a headline above a dateline takes the time of the lead below it. A time that lies ahead of the
writer (flagged ``future``) or after the publication dates no event: what has occurred cannot postdate the
text that reports it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from operator import attrgetter

from khabar.records import Analysis, TimeMention, TimeSpan, Token
from khabar.time import PROCESS, REPORTED, STAMP, day_span
from khabar.time.spans import span as window_span

_token_start = attrgetter("start")  # a bisect key over tokens in text order
_FINAL = frozenset(".!?\"'”’)")
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "pcomp", "acl"})
REPORT_REACH = timedelta(days=7)  # an act a report tells of happened at most this long before it


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


def _rank(analysis: Analysis, mention: TimeMention, trigger: range, trigger_chain: list[int]) -> int:
    """How closely a mention governs the trigger (0 best; 9 when it cannot date an event that occurred)."""
    if {"future", "dateline", STAMP} & set(mention.span.flags) or _after_text(analysis, mention):
        return 9
    penalty = 3 if _dates_a_report(analysis, mention, trigger) else 0
    head = _mention_head(analysis, mention)
    if head is not None and _attached(analysis, head, trigger):
        return penalty
    chain = list(_clause_chain(analysis, head)) if head else []
    if chain and trigger_chain and chain[0] == trigger_chain[0]:
        return penalty + 1
    if chain and chain[0] in trigger_chain:
        return penalty + 2
    return penalty + 3


def _dates_a_report(analysis: Analysis, mention: TimeMention, trigger: range) -> bool:
    """Whether a mention dates a report of the act or a later step ("charged Friday in the killing"), not the act.

    A step's own day dates the step when it is the trigger itself ("police arrested two men Friday").
    """
    if REPORTED in mention.span.flags:
        return True
    if PROCESS not in mention.span.flags:
        return False
    head = _mention_head(analysis, mention)
    if head is None or _attached(analysis, head, trigger):
        return False  # "the shooting death in the Bronx Thursday is being investigated": Thursday dates the death
    chain = list(_clause_chain(analysis, head))
    return bool(chain) and chain[0] not in trigger


def _attached(analysis: Analysis, head: Token, trigger: range) -> bool:
    """Whether a mention modifies a noun trigger itself: "last week's shooting", "a 2011 attack".

    A verb trigger heads its clause, whose times already rank first.
    """
    governor = analysis.tokens[head.head]
    if governor.pos == "ADP" and governor.head != governor.i:
        governor = analysis.tokens[governor.head]  # "the attack on Jan. 5": through the preposition
    return governor.i in trigger and governor.i != head.i and governor.pos not in {"VERB", "AUX"}


def _trigger_tokens(analysis: Analysis, start: int, end: int) -> range:
    """The token indices a trigger's characters cover (none for an empty span: a whole text coded at once)."""
    if end <= start:
        return range(0)
    tokens = analysis.tokens
    first = bisect.bisect_left(tokens, start, key=_token_start)
    last = bisect.bisect_left(tokens, end, key=_token_start)
    return range(first, max(last, first + 1))


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
    covered = _trigger_tokens(analysis, start, end)
    if sentence is not None:
        indices = _continued(analysis, sentence.index)
        local = [m for m in analysis.times if m.evidence.sentence in indices]
        ranked = sorted(local, key=lambda m: (_rank(analysis, m, covered, chain), m.span.ucdp_precision,
                                              abs(m.evidence.start - start)))
        if ranked and _rank(analysis, ranked[0], covered, chain) < 9:
            best = ranked[0]
            if not _dates_a_report(analysis, best, covered):
                return best.span
            # "the Pentagon said on Friday that a bomber carried out the attack": Friday dates the saying, and
            # the act took the story's last date before it, unless that is later ("In 2005 he was convicted")
            earlier = _narrative_before(analysis, start, told=True)
            if earlier is not None and earlier.end <= best.span.end:
                return earlier
            return replace(best.span, flags=tuple(dict.fromkeys((*best.span.flags, REPORTED))))
    narrative = _narrative_before(analysis, start)
    if narrative is not None:
        return narrative
    return _publication(analysis)


def _publication(analysis: Analysis) -> TimeSpan | None:
    """The publication day, else the publication's window (a release code's month), flagged ``from_publication``."""
    document = analysis.document
    if document.published is not None:
        return day_span(document.published, ("from_publication",))
    if document.published_window is not None:
        return window_span(*document.published_window, flags=("from_publication",))
    return None


def _ceiling(analysis: Analysis) -> date | None:
    """The last day an event the text reports can have happened: the publication, or its window's end."""
    document = analysis.document
    if document.published is not None:
        return document.published
    return document.published_window[1] if document.published_window is not None else None


def _after_text(analysis: Analysis, mention: TimeMention) -> bool:
    """Whether a mention starts after the text was published (a court date, a page's later update stamp)."""
    ceiling = _ceiling(analysis)
    return ceiling is not None and mention.span.start > ceiling


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
        if _datable(analysis, mention):
            return mention.span
    return _publication(analysis)


def narrative_time(analysis: Analysis, offset: int) -> TimeSpan | None:
    """The document's narrative time at an offset: the latest dated expression before it, flagged."""
    return _narrative_before(analysis, offset)


def _narrative_before(analysis: Analysis, offset: int, told: bool = False) -> TimeSpan | None:
    """The latest dated expression before an offset, flagged as the narrative time (``told``: not a report's date)."""
    earlier = [m for m in analysis.times if m.evidence.end <= offset and _datable(analysis, m)
               and not (told and {REPORTED, PROCESS} & set(m.span.flags))]
    if not earlier:
        return None
    span = earlier[-1].span
    # a later step's day ("he was charged Friday") carried on to the act bounds it only from above
    extra = (REPORTED,) if PROCESS in span.flags and REPORTED not in span.flags else ()
    return replace(span, flags=(*span.flags, *extra, "narrative"))


def first_time_after(analysis: Analysis, offset: int) -> TimeSpan | None:
    """The text's first dated expression when it starts at or after an offset (a headline's time), flagged."""
    dated = [m for m in analysis.times if _datable(analysis, m)]
    if not dated or dated[0].evidence.start < offset:
        return None
    return replace(dated[0].span, flags=(*dated[0].span.flags, "narrative"))


def _datable(analysis: Analysis, mention: TimeMention) -> bool:
    """Whether a time mention can date a past event: a day, week or month, neither future nor after the text."""
    return (mention.span.ucdp_precision <= 4 and not {"future", STAMP} & set(mention.span.flags)
            and not _after_text(analysis, mention))


def within_report(act: TimeSpan, report: TimeSpan) -> bool:
    """Whether an act's time fits a day that dates a report of it: that day or in the week before."""
    return act.start <= report.end and report.start - REPORT_REACH <= act.end


def act_time(analysis: Analysis, report: TimeSpan, triggers: Iterable[tuple[int, int]]) -> TimeSpan:
    """For a time that only dates a report, the first time another telling of the act gives it, else the report's.

    "A farmer shot his neighbour, the sheriff said Thursday ... the shooting happened on Wednesday".
    """
    if REPORTED not in report.flags:
        return report
    for start, end in triggers:
        told = event_time(analysis, start, end)
        if told is not None and not {REPORTED, "from_publication"} & set(told.flags) and within_report(told, report):
            return told
    return report
