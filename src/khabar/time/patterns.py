"""The compiled patterns of the time stage, built once from the lexicon's words.

Expression patterns come in priority order (earlier wins an overlap). Each starts with a lookahead on the
characters its matches can start with (its *lead*): that changes no match, it only lets the scan skip the
positions where none can start. Each also has *gates*: word sets of which every match holds one word, so a
text lacking all the words of one set holds no match of that pattern, which is then not run at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from khabar.time.words import TimeWords

YEAR = r"(?:19|20)\d\d"
ORD = r"(?:st|nd|rd|th)?"
A_YEAR = "#year"  # stands in the word set of a text holding a four-digit year (19xx or 20xx) as a whole word
_RANGE = r"(?:\s*(?:-|–|to|and|through)\s*(?P<d2>\d{1,2})" + ORD + r")?"


@dataclass(slots=True, frozen=True)
class ExpressionPatterns:
    """The expression patterns with their leads and gates, the header patterns and the not-a-date filters."""

    expressions: tuple[tuple[str, re.Pattern[str]], ...]
    leads: dict[str, str]
    gates: dict[str, tuple[frozenset[str], ...]]
    dateline: re.Pattern[str]
    header: re.Pattern[str]
    title: re.Pattern[str]
    before_bare_month: re.Pattern[str]
    before_year: re.Pattern[str]
    after_day: re.Pattern[str]
    before_amount: re.Pattern[str]
    after_amount: re.Pattern[str]
    holiday_thing: re.Pattern[str]  # right after a holiday's name: it names a thing of the season ("party")


def build_patterns(words: TimeWords) -> ExpressionPatterns:
    """Every pattern the time stage matches, compiled."""
    leads = _leads(words)
    dateline, header, title = _header_patterns(words)
    return ExpressionPatterns(
        expressions=tuple((kind, re.compile(leads[kind] + p.pattern, p.flags)) for kind, p in _bare_patterns(words)),
        leads=leads,
        gates=_gates(words),
        dateline=dateline,
        header=header,
        title=title,
        before_bare_month=re.compile(rf"\b({_plain(words.bare_month_cues)})\s+$"),
        before_year=re.compile(rf"\b({_plain(words.year_cues)})\s*$", re.IGNORECASE),
        after_day=re.compile(rf"\s*({_plain(words.not_a_day_after)})"),
        before_amount=re.compile(rf"(?:{_plain(words.not_a_year_before)})\s*$|\d[.,]?$"),
        after_amount=re.compile(rf"\s*({_plain(words.not_a_year_after)}|\.\d|,\d|-\d\d?\b)"),
        holiday_thing=re.compile(rf"[\s-]+({_plain(words.not_a_holiday_before)})\b", re.IGNORECASE),
    )


def alternation(words: Iterable[str], title: bool = True) -> str:
    """A regex alternation of words, longest first, in Title and UPPER case when ``title``."""
    ordered = sorted(words, key=len, reverse=True)
    forms = [v for w in ordered for v in ((w.title(), w.upper()) if title else (w,))]
    return "|".join(re.escape(f) for f in forms)


def _plain(words: Iterable[str]) -> str:
    """A regex alternation of words in the order given."""
    return "|".join(map(re.escape, words))


def _bare_patterns(words: TimeWords) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The expression patterns without their leads, in priority order."""
    month = rf"(?P<m>{alternation(words.months)})\.?"
    weekday = rf"(?P<w>{alternation(words.weekdays)})"
    units = "|".join(sorted(words.units, key=len, reverse=True))
    deictic = alternation(words.deictic, title=False)
    few = r"\d{1,3}|" + alternation(words.numbers.count_words, title=False)
    parts = alternation(words.parts, title=False)
    durations = _plain(words.duration_prepositions)
    back, bare = _plain(words.duration_directions), _plain(words.duration_bare)
    shifts = _plain((*words.shifts, *words.ago))
    next_days, next_units = _plain(words.next_days), _plain(words.next_units)
    day_mods, day_parts = _plain(words.weekday_modifiers), _plain(words.day_parts)
    month_mods = _plain(words.month_modifiers)
    periods, period_units = _plain(words.period_directions), _plain(words.period_units)
    weekend, openers = re.escape(words.weekend_word), _plain(words.weekend_openers)
    holidays = "|".join(re.escape(h).replace("'", "['’]") for h in sorted(words.holidays, key=len, reverse=True))
    ci = re.IGNORECASE
    return (
        ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<mo>\d\d)-(?P<d>\d\d)\b")),
        ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}){ORD}{_RANGE}(?:\s+of)?[\s-]+{month}(?:[\s,-]+(?P<y>{YEAR}))?\b")),
        ("mdy", re.compile(rf"\b{month}\s+(?P<d>\d{{1,2}}){ORD}{_RANGE}\b(?:,?\s+(?P<y>{YEAR})\b)?")),
        ("dmy_num", re.compile(rf"\b(?P<d>\d{{1,2}})[ .](?P<mo>\d{{1,2}})[ .](?P<y>{YEAR})\b")),
        # "17/09/2016", "9/17/2016", "4/27/16": day or month first, read by ``expressions.slash_date``
        ("slash_num", re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d|\d\d)(?![\d/])")),
        # before the month names: "Fourth of July" is a day, not July
        ("holiday", re.compile(rf"\b(?P<h>{holidays})(?=\W|$)(?:\s+(?:{day_parts}))?(?:,?\s+(?P<y>{YEAR})\b)?", ci)),
        ("duration", re.compile(
            rf"\b(?:(?:{durations})?\s*the\s+(?P<dir>{back})|{bare})\s+(?P<n>{few})\s+(?P<u>{units})s?\b", ci)),
        ("shift", re.compile(rf"\b(?P<n>{few})\s+(?P<u>{units})s?\s+(?P<dir>{shifts})\b", ci)),
        ("next", re.compile(rf"\b(?:the\s+)?(?P<dir>{next_days})\s+(?P<u>{next_units})\b", ci)),
        ("deictic", re.compile(rf"\b(?P<t>{deictic})\b", ci)),
        ("weekday", re.compile(rf"\b(?:(?P<mod>(?i:{day_mods}))\s+)?{weekday}\b(?:\s+(?:{day_parts}))?")),
        ("month", re.compile(
            rf"(?:\b(?P<mod>(?i:{month_mods}|(?:in\s+)?(?:the\s+)?(?:{parts})(?:\s+of|\s+in)?))[\s-]+)?"
            rf"\b{month}\b(?:,?\s+(?P<y>{YEAR})\b)?")),
        ("weekend", re.compile(rf"\b(?:(?P<dir>{periods})|(?:{openers}))\s+{weekend}\b", ci)),
        ("period", re.compile(rf"\b(?P<dir>{periods})\s+(?P<u>{period_units})\b", ci)),
        ("year", re.compile(rf"(?:\b(?P<mod>(?:the\s+)?(?:{parts})(?:\s+of)?)[\s-]+)?\b(?P<y>{YEAR})\b", ci)),
    )


def _starts(insensitive: Iterable[str] = (), sensitive: Iterable[str] = (), extra: str = "") -> str:
    """A lookahead admitting only the characters a pattern's matches can start with, so other positions fail fast."""
    branches = []
    if folded := "".join(sorted({re.escape(w[0].lower()) for w in insensitive if w})):
        branches.append(f"(?i:[{folded}])")
    if exact := "".join(sorted({re.escape(w[0]) for w in sensitive if w})):
        branches.append(f"[{exact}]")
    if extra:
        branches.append(extra)
    return "(?=" + "|".join(branches) + ")"


def _leads(words: TimeWords) -> dict[str, str]:
    """Each pattern's lookahead on the first characters of its matches (words, month and weekday names, digits)."""
    names = [v for w in words.months for v in (w.title(), w.upper())]
    days = [v for w in words.weekdays for v in (w.title(), w.upper())]
    digit = _starts(extra=r"\d")
    durations = (*words.duration_prepositions, "the", *words.duration_bare)
    return {
        "iso": digit, "dmy": digit, "dmy_num": digit, "slash_num": digit, "mdy": _starts(sensitive=names),
        "duration": _starts(durations, extra=r"\s"),
        "holiday": _starts(words.holidays),
        "shift": _starts(words.numbers.count_words, extra=r"\d"),
        "next": _starts(("the", *words.next_days)),
        "deictic": _starts(words.deictic),
        "weekday": _starts([m.split(" ")[0] for m in words.weekday_modifiers], days),
        "month": _starts((*words.month_modifiers, "in", "the", *words.parts), names),
        "weekend": _starts((*words.period_directions, *words.weekend_openers)),
        "period": _starts(words.period_directions),
        "year": _starts(("the", *words.parts), extra=r"\d"),
    }


def _gates(words: TimeWords) -> dict[str, tuple[frozenset[str], ...]]:
    """Per pattern, the word sets of which each of its matches holds one word (lowercase ASCII).

    A pattern whose sets hold anything but a plain lowercase word gets no gate (it always runs).
    """
    months = frozenset(words.months)
    gates = {
        "duration": (frozenset((*words.duration_directions, *words.duration_bare)),),
        "shift": (frozenset((*words.shifts, *words.ago)),),
        "next": (frozenset(words.next_days), frozenset(words.next_units)),
        "deictic": (frozenset(p.split(" ")[-1] for p in words.deictic),),
        "weekday": (frozenset(words.weekdays),),
        "holiday": (frozenset(h.split(" ")[-1] for h in words.holidays),),
        "weekend": (frozenset({words.weekend_word}),),
        "period": (frozenset(words.period_directions), frozenset(words.period_units)),
        "month": (months,),
        "mdy": (months,),
        "dmy": (months,),
        "iso": (frozenset({A_YEAR}),),
        "dmy_num": (frozenset({A_YEAR}),),
        "year": (frozenset({A_YEAR}),),
    }
    return {k: v for k, v in gates.items()
            if all(w == A_YEAR or re.fullmatch(r"[a-z]+", w) for group in v for w in group)}


def _header_patterns(words: TimeWords) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The dateline, header-line and title-line patterns."""
    month = rf"(?:{alternation(words.months)})\.?"
    day = rf"(?:{month}\s+\d{{1,2}}{ORD}(?:,?\s+{YEAR})?|\d{{1,2}}{ORD}[\s-]+{month}(?:[\s,-]+{YEAR})?)"
    line_start = r"(?m)(?:^|(?<=[\u2028\u2029]))[^\S\n]*"
    dateline = re.compile(
        rf"{line_start}(?P<place>[A-Z][A-Z.'\- ]{{2,40}}),(?:[^\S\n]*[A-Z][\w.' ]{{1,40}},?)?[^\S\n]*"
        rf"[(\[]?[^\S\n]*(?P<date>{day})[^\S\n]*[)\]]?[^\S\n]*"
        rf"(?:\((?P<agency>[A-Z][^()\n]{{1,40}})\)[^\S\n]*)?(?:[-–—−:]+|\u2028|$)"
    )
    header = re.compile(
        rf"{line_start}(?:[A-Z][a-z]{{2,8}}day,?[^\S\n]+)?(?P<date>{day}|\d{{4}}-\d\d-\d\d)[^\S\n]*[,|:–—-]"
        rf"[^\S\n]*(?P<rest>[^\n]*)$"
    )
    full = rf"(?:{month}\s+\d{{1,2}}{ORD},?\s+{YEAR}|\d{{1,2}}{ORD}[\s-]+{month}[\s,-]+{YEAR})"
    title = re.compile(rf"(?m)^[^\S\n]*[A-Z][^\n]{{2,150}}?[\s,:|–—-](?P<date>{full})[^\S\n]*$")
    return dateline, header, title
