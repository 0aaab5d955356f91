"""The per-document index the toll queries of ``tolls`` read: quantities by kind, line breaks, sentence facts.

The events stage asks for a toll many times per document (each trigger, each kind); ``toll_index`` builds the
lookups (relative clauses among them) once for one analysis and the caller holds the index for that analysis
only. Facts about a sentence are filled in the first time they are asked.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from operator import attrgetter

from khabar.quantities import QuantityLexicon, load_lexicon, number_value
from khabar.records import Analysis, Quantity, Sentence, TimeMention, Toll

_LINE_BREAKS = ("\n", "\u2028", "\u2029")
_BREAKS = re.compile("|".join(map(re.escape, _LINE_BREAKS)))
_QUOTES = ('"', "“", "”")
_token_start = attrgetter("start")  # a bisect key over tokens in text order

Tail = tuple[tuple[Sentence, tuple[Quantity, ...]], ...]


@dataclass(slots=True, frozen=True)
class TollIndex:
    """Lookups over one analysis that the toll queries reuse across an event's many calls (filled as asked).

    Build it with ``toll_index`` once per analysis; it answers for that analysis only.
    """

    analysis: Analysis
    lexicon: QuantityLexicon
    breaks: list[int]
    header_end: int
    own: dict[int, tuple[TimeMention, ...]]
    toll_starts: list[int]  # the sorted start offsets of the tolls above zero
    shares: int  # how many coded events the text shares its death toll across (1 when it says nothing)
    by_kind: dict[str, tuple[list[int], list[Quantity]] | None] = field(default_factory=dict)
    words: dict[int, frozenset[str]] = field(default_factory=dict)
    relcl: dict[int, int | None] = field(default_factory=dict)
    flags: dict[tuple[str, int], bool] = field(default_factory=dict)
    tails: dict[tuple[int, str], Tail] = field(default_factory=dict)
    tolls: dict[tuple[int, str], Toll | None] = field(default_factory=dict)


def toll_index(analysis: Analysis, lexicon: QuantityLexicon | None = None) -> TollIndex:
    """The toll lookups of one analysis (after the time and quantities stages), to hold while asking ``toll_near``.

    ``lexicon`` is the loaded quantities lexicon; without one the packaged lexicon is read for this index.
    """
    lex = lexicon or load_lexicon()
    own: dict[int, list[TimeMention]] = {}
    for mention in analysis.times:
        if mention.anchor in {"absolute", "narrative"} or mention.span.start != mention.span.end:
            own.setdefault(mention.evidence.sentence, []).append(mention)
    return TollIndex(
        analysis,
        lex,
        [m.start() for m in _BREAKS.finditer(analysis.document.text)],
        max((m.evidence.end for m in analysis.times if "dateline" in m.span.flags), default=0),
        {k: tuple(v) for k, v in own.items()},
        sorted(q.evidence.start for q in analysis.quantities if q.kind in lex.toll_kinds and q.best),
        _split_count(analysis.document.text, lex),
    )


def _split_count(text: str, lex: QuantityLexicon) -> int:
    """How many coded events a text says its toll is distributed across (1 when it says nothing)."""
    for pattern in lex.coded_split:
        match = pattern.search(text)
        if match is not None:
            value = number_value(match.group("n"), lex.words)
            return int(value) if value else 1
    return 1


def flag(index: TollIndex, name: str, sentence: Sentence) -> bool:
    """A yes/no fact about one sentence ("aside", "new_event", "roundup", "has_toll"), computed once per analysis."""
    key = (name, sentence.index)
    found = index.flags.get(key)
    if found is None:
        found = _FACTS[name](index, sentence)
        index.flags[key] = found
    return found


def own_times(index: TollIndex, sentence: Sentence) -> list[TimeMention]:
    """A sentence's dates and periods that are not simple deictic days: it tells of another time."""
    return list(index.own.get(sentence.index, ()))


def _is_aside(index: TollIndex, sentence: Sentence) -> bool:
    """True for a sentence that quotes someone or tells of another time: its counts do not continue a toll."""
    return any(mark in sentence.text for mark in _QUOTES) or bool(own_times(index, sentence))


def _opens_event(index: TollIndex, sentence: Sentence) -> bool:
    """True when a sentence opens another incident: a new-incident cue, or a time of its own near its start."""
    if any(p.match(sentence.text) for p in index.lexicon.new_event):
        return True
    return any(m.evidence.start - sentence.start < 25 for m in own_times(index, sentence))


def _is_roundup(index: TollIndex, sentence: Sentence) -> bool:
    """True for a sentence that sums up several operations."""
    return any(p.search(sentence.text) for p in index.lexicon.roundup)


def _states_toll(index: TollIndex, sentence: Sentence) -> bool:
    """True when a sentence states a toll above zero."""
    starts = index.toll_starts
    at = bisect.bisect_left(starts, sentence.start)
    return at < len(starts) and starts[at] < sentence.end


_FACTS: dict[str, Callable[[TollIndex, Sentence], bool]] = {
    "aside": _is_aside, "new_event": _opens_event, "roundup": _is_roundup, "has_toll": _states_toll,
}


def sentence_words(index: TollIndex, sentence: Sentence) -> frozenset[str]:
    """The lowercased words of a sentence."""
    words = index.words.get(sentence.index)
    if words is None:
        words = frozenset(t.text.lower() for t in index.analysis.tokens if t.sentence == sentence.index)
        index.words[sentence.index] = words
    return words


def attributed(index: TollIndex, start: int, end: int) -> bool:
    """True when the text in [start, end) attributes a count to a source ("police said", "according to").

    Only verbs are cues: the same words as names or nouns ("Islamic State", "a record") attribute nothing.
    """
    tokens, cues = index.analysis.tokens, index.lexicon.sources
    i = bisect.bisect_left(tokens, start, key=_token_start)
    while i < len(tokens) and tokens[i].start < end:
        token = tokens[i]
        if token.pos == "VERB" and (token.lemma.lower() in cues or token.text.lower() in cues):
            return True
        i += 1
    return False


def _of_kind(index: TollIndex, kind: str) -> tuple[list[int], list[Quantity]] | None:
    """An analysis's quantities of a kind in text order with their start offsets; None when not in text order."""
    if kind not in index.by_kind:
        found = [q for q in index.analysis.quantities if q.kind == kind]
        starts = [q.evidence.start for q in found]
        ordered = all(a <= b for a, b in pairwise(starts))
        index.by_kind[kind] = (starts, found) if ordered else None
    return index.by_kind[kind]


def of_kind(index: TollIndex, kind: str) -> list[Quantity]:
    """An analysis's quantities of a kind."""
    found = _of_kind(index, kind)
    return found[1] if found is not None else [q for q in index.analysis.quantities if q.kind == kind]


def _relative_clause(index: TollIndex, offset: int) -> int | None:
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


def in_sentence(index: TollIndex, sentence: Sentence, kind: str, at: int | None = None,
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
    ordered = _of_kind(index, kind)
    if ordered is None:
        found = [q for q in index.analysis.quantities if q.kind == kind and start <= q.evidence.start < end]
    else:
        starts, kept = ordered
        found = kept[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
    if at is None or not found:
        return found
    clause = _relative_clause(index, at)
    return [q for q in found if (own := _relative_clause(index, q.evidence.start)) in {None, clause}
            or (definite and _on_definite(index, own))]


def _on_definite(index: TollIndex, clause: int | None) -> bool:
    """True when a relative clause's verb modifies a definite noun ("the leader, who ...")."""
    if clause is None:
        return False
    tokens = index.analysis.tokens
    noun = tokens[tokens[clause].head]
    before = tokens[max(0, noun.i - 5) : noun.i]
    return noun.i < clause and any(t.head == noun.i and t.dep == "det" and t.text.lower() in index.lexicon.definite
                                   for t in before)


def own_sentence(index: TollIndex, start: int) -> Sentence | None:
    """The trigger's sentence, or the lead's first sentence when the trigger sits in a headline above a dateline."""
    analysis, header_end = index.analysis, index.header_end
    if start >= header_end:
        return analysis.sentence_of(start)
    text = analysis.document.text
    return next((s for s in analysis.sentences if s.end > header_end and re.search(r"\w", text[header_end : s.end])),
                None)
