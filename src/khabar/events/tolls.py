"""How many an event counted: the toll of an event trigger ("how many were killed in this attack").

Read from the quantities stage's counts through the per-document ``toll_index``. The trigger's own sentence gives
the toll (a headline above a dateline defers to the lead below it); following sentences of the same incident add
counts marked as more of the same ("also detained two", "several additional insurgents") or sharpen a vague count
("several" then "four"); one that repeats an earlier exact count of the same people is not added again. Another
source's figure for the same people ("killed 14 soldiers, but another agency said 12 soldiers were killed", or
"The army said 12 were killed" after the lead) is never added: the toll runs from the lowest figure to the highest,
with every source's span kept as evidence. A count the text states as the event's coded toll ("16 total fatalities
coded") overrides them, and a death toll the text says is shared across N coded events is divided among them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from khabar.events.toll_index import (
    TollIndex,
    attributed,
    flag,
    in_sentence,
    of_kind,
    own_sentence,
    sentence_words,
)
from khabar.quantities import QuantityLexicon, add
from khabar.records import Quantity, Sentence, Toll


def toll_near(index: TollIndex, start: int, end: int, kind: str) -> Toll | None:
    """The toll of a kind tied to the event trigger at [start, end), summed over the sentences that continue it.

    ``index`` is the analysis's ``toll_index``, built once and held by the caller while it asks.
    """
    key = (start, kind)
    if key not in index.tolls:
        index.tolls[key] = _toll_of(index, start, kind)
    return index.tolls[key]


def _toll_of(index: TollIndex, start: int, kind: str) -> Toll | None:
    """The toll of a kind for a trigger at an offset: the coded one, else the one read around the trigger."""
    among = of_kind(index, kind)
    if not among:
        return None  # the text counts nothing of this kind, so no sentence can give a toll
    coded = [q for q in among if q.qualifier == "coded"]
    if coded:
        return _toll(coded[-1:])
    toll = _toll_in_text(index, start, kind)
    return _split(index.shares, toll) if toll is not None and kind == "killed" else toll


def _as_int(value: float | None) -> int | None:
    """An optional count rounded to an int."""
    return None if value is None else round(value)


def _toll(quantities: list[Quantity]) -> Toll:
    """The toll summed over every separate count of one kind in a span of text (parts excluded)."""
    wholes = [q for q in quantities if q.qualifier != "including"] or quantities[:1]
    low, best, high = wholes[0].low, wholes[0].best, wholes[0].high
    for quantity in wholes[1:]:
        low, best, high = add(low, quantity.low), add(best, quantity.best), add(high, quantity.high)
    return Toll(_as_int(low), _as_int(best), _as_int(high), tuple(q.evidence for q in wholes))


def _split(shares: int, toll: Toll) -> Toll:
    """A toll divided evenly (rounded half up) when the text says it is shared across N coded events."""
    if shares <= 1:
        return toll

    def part(value: int | None) -> int | None:
        """One event's share of a count."""
        return None if value is None else int(value / shares + 0.5)

    return Toll(part(toll.low), part(toll.best), part(toll.high), toll.evidence)


def _toll_in_text(index: TollIndex, start: int, kind: str) -> Toll | None:
    """The toll of a kind read from the trigger's sentence and the ones that continue it.

    A sentence that sums up several operations defers to the first operation told after it.
    """
    sentence = own_sentence(index, start)
    if sentence is None:
        return None
    first = _first_operation(index, sentence)
    if first is not None:
        sentence, start = first, first.start
    found, others = _by_source(index, _counted(in_sentence(index, sentence, kind,
                                                         None if sentence.start > start else start)))
    lex = index.lexicon
    for following, counts in _tail(index, sentence, kind):
        unnamed = [_unnamed(q) for q in _counted(list(counts)) if not (found and _named(q))]
        later = [q for q in unnamed if not _restates(found, q)]
        if not later or _restates_total(following, found, later):
            continue
        if not found:
            found, more = _by_source(index, later)
            others += more
        elif _includes_earlier(following, found) or _whole(index, found, later):
            found = later
        elif (_additive(index, following, later) and not _covers(found, kind, lex)) or _other_people(found, later, lex):
            found += later
        elif _sharpens(found, later):
            found = later
        elif _another_figure(index, following, found, later):
            others.append(later)
    return _reported([found, *others]) if found else None


def _by_source(index: TollIndex, found: list[Quantity]) -> tuple[list[Quantity], list[list[Quantity]]]:
    """A sentence's counts split by source: the first source's, and the other figures for the same people.

    A count of the same people after a source cue ("..., but another agency said 12 soldiers were killed") is
    another source's figure; any other count adds to the one before ("three soldiers and two civilians").
    """
    accounts = [found[:1]]
    for previous, quantity in pairwise(found):
        if previous.evidence.sentence == quantity.evidence.sentence \
                and attributed(index, previous.evidence.end, quantity.evidence.start) \
                and _same_people(index.lexicon, accounts[-1], [quantity]) \
                and _comparable(index.lexicon, accounts[-1], [quantity]):
            accounts.append([quantity])
        else:
            accounts[-1].append(quantity)
    return accounts[0], accounts[1:]


def _another_figure(index: TollIndex, sentence: Sentence, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when a later sentence gives a source's own figure for the people counted so far ("The army said 12 ...")."""
    lex = index.lexicon
    return attributed(index, sentence.start, sentence.end) and _same_people(lex, found, later) \
        and _comparable(lex, found, later)


def _same_people(lex: QuantityLexicon, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when later counts count the people already counted, or anyone ("12 people", "put the toll at 25").

    A later count of a named group after a count of anyone ("10 people ... 3 children") tells of some of them.
    """
    earlier = {key for q in found if q.qualifier != "including" for key in _people(q, lex)}
    return all(key == "" or key in earlier for q in later for key in _people(q, lex))


def _people(quantity: Quantity, lex: QuantityLexicon) -> set[str]:
    """The head nouns of the groups a count counts; '' for a count of anyone ("people", "put the toll at 25")."""
    groups = [p.group for p in quantity.parts] or [quantity.group]
    return {"" if not g or g.lower().split()[-1] in lex.generic_groups else _noun_key(g) for g in groups}


def _comparable(lex: QuantityLexicon, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when two figures may be two reports of one toll: neither a lone person nor far larger than the other.

    A lone person ("one man died at the scene") is far more often one of the people counted than a report that
    disagrees, and a far larger figure is a year's or a campaign's total.
    """
    a, b = _toll(found).best, _toll(later).best
    if a is None or b is None or min(a, b) <= 1:
        return False
    return max(a, b) <= lex.alternative_ratio * min(a, b)


def _reported(accounts: list[list[Quantity]]) -> Toll:
    """The toll over the figures that different sources give: lowest to highest, the lowest as best, all spans kept.

    Only the lowest figure is the best one because coders take the most conservative of conflicting reports
    (ACLED does); an open end of any figure leaves that end of the toll open.
    """
    tolls = [_toll(account) for account in accounts if account]
    if len(tolls) == 1:
        return tolls[0]
    lows, highs = [t.low for t in tolls], [t.high for t in tolls]
    bests = [t.best for t in tolls if t.best is not None]
    return Toll(
        None if None in lows else min(v for v in lows if v is not None),
        min(bests) if bests else None,
        None if None in highs else max(v for v in highs if v is not None),
        tuple(e for t in tolls for e in t.evidence),
    )


def _covers(found: list[Quantity], kind: str, lex: QuantityLexicon) -> bool:
    """True when a toll so far holds a vague amount ("detained several") of a kind whose vague count covers the rest."""
    if kind not in lex.vague_covers:
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
        low, best, high = add(low, part.low), add(best, part.best), add(high, part.high)
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


def _tail(index: TollIndex, sentence: Sentence, kind: str) -> tuple[tuple[Sentence, tuple[Quantity, ...]], ...]:
    """The sentences after one that go on telling its incident, each with its own counts of a kind (none skipped).

    The scan stops at a sentence opening another incident and skips quotes and sentences with times of their own.
    """
    key = (sentence.index, kind)
    if key not in index.tails:
        found: list[tuple[Sentence, tuple[Quantity, ...]]] = []
        end = sentence.index + 1 + index.lexicon.follow_sentences
        for following in index.analysis.sentences[sentence.index + 1 : end]:
            if flag(index, "new_event", following):
                break
            if flag(index, "aside", following):
                continue
            later = tuple(q for q in in_sentence(index, following, kind, following.start, definite=True)
                          if q.qualifier != "including")
            if later:
                found.append((following, later))
        index.tails[key] = tuple(found)
    return index.tails[key]


def _first_operation(index: TollIndex, sentence: Sentence) -> Sentence | None:
    """After a round-up of several operations ("during four separate operations"), the first sentence with a toll.

    A sentence without any toll of its own (a dateline split off its lead) is read together with the next one.
    """
    analysis = index.analysis
    if not flag(index, "has_toll", sentence) and sentence.index + 1 < len(analysis.sentences):
        sentence = analysis.sentences[sentence.index + 1]
    if not flag(index, "roundup", sentence):
        return None
    for following in analysis.sentences[sentence.index + 1 : sentence.index + 1 + index.lexicon.follow_sentences]:
        if flag(index, "has_toll", following):
            return following
    return None


def _imprecise(quantity: Quantity) -> bool:
    """True for a count that is vague or open-ended ("several", "at least 3")."""
    return quantity.high is None or quantity.low != quantity.high


def _additive(index: TollIndex, sentence: Sentence, later: list[Quantity]) -> bool:
    """True when a later sentence marks its counts as more of the same toll ("also", "additional", "other")."""
    lex = index.lexicon
    groups = {w.lower() for q in later for w in q.group.split()[:1]}
    return bool(sentence_words(index, sentence) & lex.additive or groups & lex.additive_group)


def _other_people(found: list[Quantity], later: list[Quantity], lex: QuantityLexicon) -> bool:
    """True when a lone earlier person is not among later people ("a leader" ... "several suspects").

    A later lone person ("one suspected insurgent") restates the earlier one unless picked from someone's
    people ("one of his associates").
    """
    if _toll(found).best != 1:
        return False
    earlier = {_noun_key(q.group) for q in found}
    return all(q.group and _noun_key(q.group) not in earlier and (q.best != 1 or possessed(q.group, lex))
               for q in later)


def possessed(group: str, lex: QuantityLexicon) -> bool:
    """True for a group named as someone's people ("his associates", "their guards")."""
    return group.lower().split(" ", 1)[0] in lex.possessive


def _includes_earlier(sentence: Sentence, found: list[Quantity]) -> bool:
    """True when a later count names a lone earlier person among its members ("... including the commander")."""
    if _toll(found).best != 1:
        return False
    keys = {_noun_key(q.group) for q in found if q.group}
    text = sentence.text.lower()
    return any(re.search(rf"\b(including|among them)\s+(the|this|that)\s+(\w+\s+){{0,2}}{re.escape(k)}s?\b", text)
               for k in keys if k)


def _whole(index: TollIndex, found: list[Quantity], later: list[Quantity]) -> bool:
    """True when a later count takes in everyone named so far ("both men", "all five suspects"), not adding to them."""
    if (_toll(later).best or 0) < (_toll(found).best or 0):
        return False
    text, whole = index.analysis.document.text, index.lexicon.whole
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
