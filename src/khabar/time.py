"""The time stage: publication dates, temporal expressions and event dates.

Cascade for the publication date: document metadata (set by ingest), else a dateline or header
line near the start of the text, else a date in the URL, else a window inferred from the text (the
latest past date it mentions, or a well-known reference event plus "in the past N months") and
flagged ``published_source="inferred"``; a dateline without a year ("KABUL (Jan. 14)") then dates the
publication to the first such day on or after that window's start.

Temporal expressions are found by khabar's own patterns (built from ``data/lexicons/time.yaml``);
spaCy DATE entities the patterns miss are parsed with dateparser in strict mode only, because
dateparser's free search reads "SA" and "we" as weekdays and "80% of" as 1980. Deictic expressions
("yesterday", "last week", "on Friday") resolve against the publication date (or a report date in the
same sentence); narrative ones ("one week later") against the nearest preceding absolute date; a
year-less date takes the year that keeps it in the publication's past, or, in an undated text, the
latest year the text names.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from operator import attrgetter
from typing import Any

from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError
from khabar.quantities import count_words, number_value
from khabar.records import Analysis, TimeMention, TimeSpan, Token

_token_start = attrgetter("start")  # a bisect key over tokens in text order

_YEAR = r"(?:19|20)\d\d"
_ORD = r"(?:st|nd|rd|th)?"
_RANGE = r"(?:\s*(?:-|–|to|and|through)\s*(?P<d2>\d{1,2})" + _ORD + r")?"
_FINAL = frozenset(".!?\"'”’)")
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "pcomp", "acl"})


@dataclass(slots=True, frozen=True)
class _Lexicon:
    """The time lexicon: month and weekday names, deictic phrases, units and cue patterns."""

    months: dict[str, int]
    weekdays: dict[str, int]
    deictic: dict[str, int]
    units: dict[str, float]
    parts: dict[str, tuple[float, float]]
    report_cues: tuple[re.Pattern[str], ...]
    report_after_cues: tuple[re.Pattern[str], ...]
    future_cues: tuple[re.Pattern[str], ...]
    genres: frozenset[str]
    references: tuple[tuple[re.Pattern[str], date], ...]
    window_days: int


@dataclass(slots=True, frozen=True)
class _Raw:
    """A candidate temporal expression before it is resolved."""

    start: int
    end: int
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Context:
    """What an expression resolves against while the document is read in order."""

    pub: date | None
    inferred: bool = False
    narrative: date | None = None
    latest_year: int | None = None
    report: tuple[int, date] | None = None
    ceiling: date | None = None


@cache
def _lexicon() -> _Lexicon:
    """The packaged time lexicon, validated."""
    source = "lexicons/time.yaml"
    data = read_packaged_yaml("lexicons", "time.yaml")
    try:
        return _Lexicon(
            months={str(k): int(v) for k, v in data["months"].items()},
            weekdays={str(k): int(v) for k, v in data["weekdays"].items()},
            deictic={str(k): int(v) for k, v in data["deictic"].items()},
            units={str(k): float(v) for k, v in data["units"].items()},
            parts={str(k): (float(v[0]), float(v[1])) for k, v in data["parts"].items()},
            report_cues=tuple(re.compile(p, re.IGNORECASE) for p in data["report_cues"]),
            report_after_cues=tuple(re.compile(p, re.IGNORECASE) for p in data["report_after_cues"]),
            future_cues=tuple(re.compile(p, re.IGNORECASE) for p in data["future_cues"]),
            genres=frozenset(str(g).lower() for g in data["genres"]),
            references=tuple(
                (re.compile(r["pattern"], re.IGNORECASE), date.fromisoformat(str(r["date"])))
                for r in data["reference_events"]
            ),
            window_days=int(data["inference"]["window_days"]),
        )
    except (KeyError, TypeError, ValueError, IndexError, re.error) as exc:
        raise DataError(f"{source}: invalid time lexicon ({exc}); see the schema at the top of the file") from exc


def _alternation(words: Any, title: bool = True) -> str:
    """A regex alternation of words, longest first, in Title and UPPER case when ``title``."""
    ordered = sorted(words, key=len, reverse=True)
    forms = [v for w in ordered for v in ((w.title(), w.upper()) if title else (w,))]
    return "|".join(re.escape(f) for f in forms)


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


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The compiled expression patterns, in priority order (earlier wins an overlap).

    Each starts with a lookahead on the characters its matches can start with: that changes no match, it
    only lets the scan skip the positions where none can start.
    """
    lex = _lexicon()
    month = rf"(?P<m>{_alternation(lex.months)})\.?"
    weekday = rf"(?P<w>{_alternation(lex.weekdays)})"
    units = "|".join(sorted(lex.units, key=len, reverse=True))
    deictic = _alternation(lex.deictic, title=False)
    few = r"\d{1,3}|" + _alternation(count_words(), title=False)
    parts = _alternation(lex.parts, title=False)
    ci = re.IGNORECASE
    leads = _leads(lex)
    return tuple((kind, re.compile(leads[kind] + pattern.pattern, pattern.flags)) for kind, pattern in (
        ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<mo>\d\d)-(?P<d>\d\d)\b")),
        ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}){_ORD}{_RANGE}(?:\s+of)?[\s-]+{month}(?:[\s,-]+(?P<y>{_YEAR}))?\b")),
        ("mdy", re.compile(rf"\b{month}\s+(?P<d>\d{{1,2}}){_ORD}{_RANGE}\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
        ("dmy_num", re.compile(rf"\b(?P<d>\d{{1,2}})[ ./](?P<mo>\d{{1,2}})[ ./](?P<y>{_YEAR})\b")),
        ("duration", re.compile(
            rf"\b(?:(?:in|over|during|within|for)?\s*the\s+(?P<dir>past|last|previous)|over)\s+(?P<n>{few})\s+"
            rf"(?P<u>{units})s?\b", ci)),
        ("shift", re.compile(rf"\b(?P<n>{few})\s+(?P<u>{units})s?\s+(?P<dir>later|earlier|ago)\b", ci)),
        ("next", re.compile(r"\b(?:the\s+)?(?P<dir>next|following|previous)\s+(?P<u>day|morning|night)\b", ci)),
        ("deictic", re.compile(rf"\b(?P<t>{deictic})\b", ci)),
        ("weekday", re.compile(
            rf"\b(?:(?P<mod>(?i:last|this|next|earlier on|early on|late on|on))\s+)?{weekday}\b"
            r"(?:\s+(?:morning|afternoon|evening|night))?")),
        ("month", re.compile(
            rf"(?:\b(?P<mod>(?i:last|this|next|(?:in\s+)?(?:the\s+)?(?:{parts})(?:\s+of|\s+in)?))[\s-]+)?"
            rf"\b{month}\b(?:,?\s+(?P<y>{_YEAR})\b)?")),
        ("period", re.compile(r"\b(?P<dir>last|this|next|past|previous|coming)\s+(?P<u>week|month|year)\b", ci)),
        ("year", re.compile(
            rf"(?:\b(?P<mod>(?:the\s+)?(?:{parts})(?:\s+of)?)[\s-]+)?\b(?P<y>{_YEAR})\b", ci)),
    ))


def _leads(lex: _Lexicon) -> dict[str, str]:
    """Each pattern's lookahead on the first characters of its matches (words, month and weekday names, digits)."""
    names = [v for w in lex.months for v in (w.title(), w.upper())]
    days = [v for w in lex.weekdays for v in (w.title(), w.upper())]
    digit = _starts(extra=r"\d")
    return {
        "iso": digit, "dmy": digit, "dmy_num": digit, "mdy": _starts(sensitive=names),
        "duration": _starts(("in", "over", "during", "within", "for", "the"), extra=r"\s"),
        "shift": _starts(count_words(), extra=r"\d"),
        "next": _starts(("the", "next", "following", "previous")),
        "deictic": _starts(lex.deictic),
        "weekday": _starts(("last", "this", "next", "earlier", "early", "late", "on"), days),
        "month": _starts(("last", "this", "next", "in", "the", *lex.parts), names),
        "period": _starts(("last", "this", "next", "past", "previous", "coming")),
        "year": _starts(("the", *lex.parts), extra=r"\d"),
    }


@cache
def _gates() -> dict[str, tuple[frozenset[str], ...]]:
    """Per pattern, the word sets of which each of its matches holds one word (lowercase ASCII).

    Every listed word stands between word boundaries inside any match, so a text lacking all the words
    of one set holds no match of that pattern, which is then not run at all.
    """
    lex = _lexicon()
    gates = {
        "duration": (frozenset({"past", "last", "previous", "over"}),),
        "shift": (frozenset({"later", "earlier", "ago"}),),
        "next": (frozenset({"next", "following", "previous"}), frozenset({"day", "morning", "night"})),
        "deictic": (frozenset(p.split(" ")[-1] for p in lex.deictic),),
        "weekday": (frozenset(lex.weekdays),),
        "period": (frozenset({"last", "this", "next", "past", "previous", "coming"}),
                   frozenset({"week", "month", "year"})),
        "month": (frozenset(lex.months),),
        "mdy": (frozenset(lex.months),),
        "dmy": (frozenset(lex.months),),
        "iso": (frozenset({_A_YEAR}),),
        "dmy_num": (frozenset({_A_YEAR}),),
        "year": (frozenset({_A_YEAR}),),
    }
    return {k: v for k, v in gates.items()
            if all(w == _A_YEAR or re.fullmatch(r"[a-z]+", w) for group in v for w in group)}


_WORD = re.compile(r"\w+")
_A_YEAR = "#year"  # stands in the word set of a text holding a four-digit year (19xx or 20xx) as a whole word


@cache
def _folds_to_ascii() -> re.Pattern[str]:
    """The non-ASCII characters a case-insensitive pattern takes for an ASCII letter ("ſ", "K", "İ", "ı").

    Found by asking the regex engine itself over the Basic Multilingual Plane (no character above it has an
    ASCII case partner).
    """
    plane = "".join(map(chr, range(128, 0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    found = sorted(set(re.compile(r"[a-z]", re.IGNORECASE).findall(plane)))
    return re.compile("[" + "".join(map(re.escape, found)) + "]" if found else r"(?!)")


def _present(text: str) -> frozenset[str] | None:
    """The lowercased words of a text; None when a non-ASCII letter in it matches an ASCII one case-insensitively.

    The patterns read words case-insensitively, so a word set only rules a pattern out when no such letter
    could stand in for an ASCII one.
    """
    if not text.isascii() and _folds_to_ascii().search(text):
        return None
    words = set(_WORD.findall(text.lower()))
    if any(len(w) == 4 and w[:2] in {"19", "20"} and w.isdigit() for w in words):
        words.add(_A_YEAR)
    return frozenset(words)


def _candidates(text: str) -> list[_Raw]:
    """Every non-overlapping candidate expression in a text, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[_Raw] = []
    present, gates = _present(text), _gates()
    for kind, pattern in _patterns():
        if present is not None and any(not group & present for group in gates.get(kind, ())):
            continue
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(span[0] < e and s < span[1] for s, e in taken) or not _plausible(kind, match, text):
                continue
            taken.append(span)
            found.append(_Raw(span[0], span[1], kind, {k: v for k, v in match.groupdict().items() if v}))
    return sorted(found, key=lambda r: r.start)


def _plausible(kind: str, match: re.Match[str], text: str) -> bool:
    """False for matches that are numbers or verbs rather than dates."""
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 12]
    if kind == "year":
        return _plausible_year(before, after, bool(match.group("mod")))
    if kind == "month" and not match.group("y") and not match.group("mod"):
        return bool(_BEFORE_BARE_MONTH.search(before))
    if kind in {"dmy", "mdy"}:
        return int(match.group("d")) <= 31 and not _AFTER_DAY.match(after)
    return True


_BEFORE_BARE_MONTH = re.compile(r"\b(in|since|during|until|till|from|of|by|to|and|or|between|early|late)\s+$")
_AFTER_DAY = re.compile(r"\s*(%|percent|-year)")
_BEFORE_AMOUNT = re.compile(r"[$€£]\s*$|\d[.,]?$")
_AFTER_AMOUNT = re.compile(r"\s*(%|percent|per cent|\.\d|,\d|-year|-\d\d?\b)")
_BEFORE_YEAR = re.compile(r"\b(in|since|of|for|by|during|until|till|from|before|after|through|"
                          r"between|and|to|year|early|late|mid|the same|around)\s*$", re.IGNORECASE)
_AFTER_COUNT = re.compile(r"\s+[a-z]+s\b")  # "2011 soldiers": a count of plural things


def _plausible_year(before: str, after: str, modified: bool) -> bool:
    """A four-digit number reads as a year, not a count, amount or share."""
    if _BEFORE_AMOUNT.search(before) or _AFTER_AMOUNT.match(after):
        return False
    if modified or _BEFORE_YEAR.search(before):
        return True
    return not _AFTER_COUNT.match(after)


def _day_span(day: date, flags: tuple[str, ...] = ()) -> TimeSpan:
    """A one-day span."""
    return _span(day, day, flags)


def _span(start: date, end: date, flags: tuple[str, ...] = ()) -> TimeSpan:
    """A span with ACLED and UCDP precisions derived from its length."""
    days = (end - start).days + 1
    if days <= 1:
        return TimeSpan(start, end, "day", 1, 1, flags)
    if days <= 6:
        return TimeSpan(start, end, "days", 2, 2, flags)
    if days <= 8:
        return TimeSpan(start, end, "week", 2, 3, flags)
    if days <= 31:
        return TimeSpan(start, end, "month", 3, 4, flags)
    return TimeSpan(start, end, "year" if days <= 366 else "years", 3, 5, flags)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _narrow(lo: date, hi: date, part: str) -> tuple[date, date]:
    """The early/mid/late/end part of a period."""
    key = next((p for p in _lexicon().parts if p in part.lower()), "")
    if not key:
        return lo, hi
    frac = _lexicon().parts[key]
    total = (hi - lo).days
    return lo + timedelta(days=round(total * frac[0])), lo + timedelta(days=round(total * frac[1]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the day does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, ctx: _Context) -> tuple[int | None, str]:
    """The year of a year-less date: the one keeping it before the publication (or document code), else the story's."""
    limit = ctx.pub or ctx.ceiling
    if limit is not None:
        year = limit.year
        if (month, day) > (limit.month, limit.day):
            year -= 1
        return year, "publication" if ctx.pub is not None else "document_code"
    if ctx.latest_year is not None:
        return ctx.latest_year, "narrative"
    if ctx.narrative is not None:
        return ctx.narrative.year, "narrative"
    return None, ""


def _resolve_day(raw: _Raw, ctx: _Context) -> tuple[TimeSpan, str] | None:
    """A dmy/mdy/iso/numeric date, possibly a day range, possibly without a year."""
    f = raw.fields
    month = _lexicon().months[f["m"].lower().rstrip(".")] if "m" in f else int(f["mo"])
    day, day2 = int(f["d"]), int(f.get("d2", f["d"]))
    if "y" in f:
        year, anchor = int(f["y"]), "absolute"
    else:
        maybe, anchor = _year_for(month, day, ctx)
        if maybe is None:
            return None
        year = maybe
    lo, hi = _safe_date(year, month, day), _safe_date(year, month, max(day, day2))
    if lo is None or hi is None:
        return None
    return _span(lo, hi), anchor


def _resolve_month(raw: _Raw, ctx: _Context) -> tuple[TimeSpan, str] | None:
    """A month, with an optional year, part (early/mid/end) or direction (last/this/next)."""
    f = raw.fields
    month = _lexicon().months[f["m"].lower().rstrip(".")]
    mod = f.get("mod", "").lower()
    anchor = "absolute"
    if "y" in f:
        year = int(f["y"])
    else:
        maybe, anchor = _year_for(month, 1, ctx)
        if maybe is None:
            return None
        year = maybe
        if mod.startswith("last") and ctx.pub is not None and month >= ctx.pub.month:
            year = ctx.pub.year - 1
    lo, hi = _narrow(*_month_bounds(year, month), mod)
    return _span(lo, hi), anchor


def _resolve_year(raw: _Raw) -> tuple[TimeSpan, str]:
    """A year, optionally narrowed to its early, middle or late part."""
    year = int(raw.fields["y"])
    lo, hi = _narrow(date(year, 1, 1), date(year, 12, 31), raw.fields.get("mod", ""))
    return _span(lo, hi), "absolute"


def _anchor(raw: _Raw, ctx: _Context, analysis: Analysis) -> tuple[date, str] | None:
    """The date a deictic expression counts from: a report date in its sentence, the publication, or the story."""
    if ctx.report is not None and ctx.report[0] == _sentence_index(analysis, raw.start):
        return ctx.report[1], "report"
    if ctx.pub is not None:
        return ctx.pub, "publication"
    return None


def _resolve_deictic(raw: _Raw, base: date) -> TimeSpan:
    """Yesterday, today, last night and the like."""
    offset = _lexicon().deictic[raw.fields["t"].lower()]
    return _day_span(base + timedelta(days=offset))


def _resolve_weekday(raw: _Raw, base: date) -> TimeSpan:
    """The most recent such weekday on or before the anchor (or the next one after 'next')."""
    target = _lexicon().weekdays[raw.fields["w"].lower()]
    mod = raw.fields.get("mod", "").lower()
    if mod == "next":
        return _day_span(base + timedelta(days=(target - base.weekday()) % 7 or 7))
    back = (base.weekday() - target) % 7
    if mod == "last" and back == 0:
        back = 7
    return _day_span(base - timedelta(days=back))


def _resolve_period(raw: _Raw, base: date) -> TimeSpan:
    """Last/this/next week, month or year, as calendar periods."""
    unit, direction = raw.fields["u"].lower(), raw.fields["dir"].lower()
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(direction, 0)
    if unit == "week":
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        return _span(monday, min(monday + timedelta(days=6), base) if step == 0 else monday + timedelta(days=6))
    if unit == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + step, 12)
        lo, hi = _month_bounds(year, month + 1)
        return _span(lo, min(hi, base) if step == 0 else hi)
    year = base.year + step
    return _span(date(year, 1, 1), base if step == 0 else date(year, 12, 31))


def _amount(raw: _Raw) -> timedelta:
    """The length of 'N units' in a duration or shift."""
    count = number_value(raw.fields["n"]) or 1.0
    return timedelta(days=count * _lexicon().units[raw.fields["u"].lower()])


def _resolve_relative(raw: _Raw, ctx: _Context, analysis: Analysis) -> tuple[TimeSpan, str] | None:
    """Deictic, weekday, period, duration and shift expressions against their anchor."""
    if raw.kind in {"next"} or (raw.kind == "shift" and raw.fields["dir"].lower() != "ago"):
        return _resolve_shift(raw, ctx)
    found = _anchor(raw, ctx, analysis)
    if found is None:
        return None
    base, anchor = found
    if raw.kind == "deictic":
        return _resolve_deictic(raw, base), anchor
    if raw.kind == "weekday":
        return _resolve_weekday(raw, base), anchor
    if raw.kind == "period":
        return _resolve_period(raw, base), anchor
    if raw.kind == "duration":
        return _span(base - _amount(raw), base), anchor
    return _day_span(base - _amount(raw)), anchor


def _resolve_shift(raw: _Raw, ctx: _Context) -> tuple[TimeSpan, str] | None:
    """'One week later', 'the next day': an offset from the story's current date."""
    if ctx.narrative is None:
        return None
    direction = raw.fields["dir"].lower()
    sign = -1 if direction in {"earlier", "previous"} else 1
    delta = _amount(raw) if raw.kind == "shift" else timedelta(days=1)
    return _day_span(ctx.narrative + sign * delta), "narrative"


def _resolve_one(raw: _Raw, ctx: _Context, analysis: Analysis) -> tuple[TimeSpan, str] | None:
    """Resolve one candidate in its context."""
    if raw.kind in {"iso", "dmy", "mdy", "dmy_num"}:
        return _resolve_day(raw, ctx)
    if raw.kind == "month":
        mod = raw.fields.get("mod", "").lower()
        if mod in {"this", "next"} or (mod.startswith("last") and ctx.pub is None and "y" not in raw.fields):
            return None
        return _resolve_month(raw, ctx)
    if raw.kind == "year":
        return _resolve_year(raw)
    if raw.kind == "dateparser":
        return raw.fields["span"], "absolute"
    return _resolve_relative(raw, ctx, analysis)


def _cue_flags(raw: _Raw, text: str) -> tuple[str, ...]:
    """Flags from the words around an expression: a report date ("reported on", "today confirmed") or a future date."""
    before = text[max(0, raw.start - 30) : raw.start]
    after = text[raw.end : raw.end + 30]
    flags: list[str] = []
    lex = _lexicon()
    if any(p.search(before) for p in lex.report_cues) or any(p.match(after) for p in lex.report_after_cues):
        flags.append("reported")
    if any(p.search(before) for p in _lexicon().future_cues):
        flags.append("future")
    return tuple(flags)


def _resolve_all(analysis: Analysis, raws: list[_Raw], ctx: _Context, header_end: int) -> list[TimeMention]:
    """Resolve candidates in text order, carrying the narrative date forward."""
    text = analysis.document.text
    mentions: list[TimeMention] = []
    for raw in raws:
        resolved = _resolve_one(raw, ctx, analysis)
        if resolved is None:
            continue
        span, anchor = resolved
        flags = _cue_flags(raw, text) + (("dateline",) if raw.end <= header_end else ())
        if ctx.inferred and anchor in {"publication", "report"}:
            flags += ("inferred_publication",)
        span = replace(span, flags=span.flags + flags)
        mentions.append(TimeMention(analysis.evidence(raw.start, raw.end), text[raw.start : raw.end], span, anchor))
        _advance(ctx, raw, span, analysis)
    return mentions


def _advance(ctx: _Context, raw: _Raw, span: TimeSpan, analysis: Analysis) -> None:
    """Move the narrative date on after an expression that dates the story."""
    if "future" in span.flags or raw.kind in {"duration", "period"}:
        return
    if "reported" in span.flags:
        ctx.report = (_sentence_index(analysis, raw.start), span.start)
    if span.ucdp_precision <= 4:
        ctx.narrative = span.start


def _sentence_index(analysis: Analysis, offset: int) -> int:
    """The sentence index of an offset, -1 outside any sentence."""
    sentence = analysis.sentence_of(offset)
    return sentence.index if sentence else -1


@cache
def _strict_parser() -> Callable[[str], datetime | None]:
    """Dateparser's strict reader of full dates (day, month and year), imported and warmed on first use.

    Its first parse builds dateparser's time-zone and English tables (half a second): every document asks
    for the reader, so a pipeline warmed with a sample text pays that once, before it forks its workers.
    """
    import dateparser  # noqa: PLC0415 - dateparser is slow to import; only pay it when the time stage runs

    def parse(text: str) -> datetime | None:
        """The full date a text states, else None."""
        settings = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
        parsed: datetime | None = dateparser.parse(text, languages=["en"], settings=settings)
        return parsed

    parse("1 January 2000")
    return parse


def _entity_candidates(analysis: Analysis, raws: list[_Raw]) -> list[_Raw]:
    """SpaCy DATE entities without a day-precise pattern match that dateparser reads strictly as a full date."""
    parse = _strict_parser()
    extra: list[_Raw] = []
    days = {"iso", "dmy", "mdy", "dmy_num"}
    for ent in analysis.entities:
        if ent.label != "DATE" or any(r.start < ent.end and ent.start < r.end and r.kind in days for r in raws):
            continue
        if not re.search(_YEAR, ent.text) or not re.search(r"[A-Za-z]{3}", ent.text):
            continue
        parsed = parse(ent.text)
        if parsed is not None:
            extra.append(_Raw(ent.start, ent.end, "dateparser", {"span": _day_span(parsed.date())}))
    return extra


def _reference_floor(analysis: Analysis, raws: list[_Raw]) -> date | None:
    """A publication floor from 'in the past N units' in a sentence naming a known dated event."""
    floors: list[date] = []
    for raw in raws:
        sentence = analysis.sentence_of(raw.start)
        if raw.kind != "duration" or sentence is None:
            continue
        for pattern, day in _lexicon().references:
            if pattern.search(sentence.text):
                floors.append(day + _amount(raw))
    return max(floors) if floors else None


def _infer_window(analysis: Analysis, mentions: list[TimeMention], raws: list[_Raw]) -> tuple[date, date] | None:
    """A publication window from the latest past date the text supports."""
    floors: list[date] = []
    for mention in mentions:
        span = mention.span
        if mention.anchor in {"absolute", "narrative"} and "future" not in span.flags:
            floors.append(span.end + timedelta(days=1) if span.ucdp_precision <= 4 else span.start)
    reference = _reference_floor(analysis, raws)
    if reference is not None:
        floors.append(reference)
    if not floors:
        return None
    low = max(floors)
    return low, low + timedelta(days=_lexicon().window_days)


def resolve_times(analysis: Analysis) -> Analysis:
    """Resolve the publication date and every temporal expression of a document."""
    document = analysis.document
    header = _header(document.text)
    if document.published is None and header is not None:
        document = replace(document, published=header[1], published_source=header[3],
                           outlet=document.outlet or header[2])
    elif document.published is None and (from_url := publication_from_url(document.url)) is not None:
        document = replace(document, published=from_url, published_source="url")
    analysis = replace(analysis, document=document)
    raws = _candidates(document.text)
    extra = _entity_candidates(analysis, raws)
    kept = [r for r in raws if not any(e.start < r.end and r.start < e.end for e in extra)]
    raws = sorted(kept + extra, key=lambda r: r.start)
    header_end = header[0] if header else 0
    years = [int(r.fields["y"]) for r in raws if "y" in r.fields and "future" not in _cue_flags(r, document.text)]
    code = document_code_month(document.text)
    context = _Context(document.published, latest_year=max(years) if years else None,
                       ceiling=code[1] if code else None)
    mentions = _resolve_all(analysis, raws, context, header_end)
    if document.published is None:
        window = _infer_window(analysis, mentions, raws)
        dateline = _yearless_dateline(document.text) if window is not None and header is None else None
        day = _next_on_or_after(window[0], dateline[1], dateline[2]) if window and dateline else None
        if window is not None:
            if dateline is not None and day is not None:
                window, header_end = (day, day), dateline[0]
            document = replace(document, published=window[0], published_source="inferred", published_window=window)
            analysis = replace(analysis, document=document)
            mentions = _resolve_all(analysis, raws, _Context(window[0], inferred=True), header_end)
        elif code is not None and document.published_window is None:
            document = replace(document, published_source="document_code", published_window=code)
            analysis = replace(analysis, document=document)
    return replace(analysis, times=tuple(mentions))


# --- publication date from the text or the URL -------------------------------------------------


def _yearless_dateline(text: str) -> tuple[int, int, int] | None:
    """The end offset, month and day of a dateline near the start whose date names no year ("KABUL (Jan. 14) -")."""
    match = _header_patterns()[0].search(text[:600])
    if match is None:
        return None
    raws = [r for r in _candidates(match.group("date")) if r.kind in {"dmy", "mdy"} and "y" not in r.fields]
    if not raws:
        return None
    fields = raws[0].fields
    return match.end(), _lexicon().months[fields["m"].lower().rstrip(".")], int(fields["d"])


def _next_on_or_after(floor: date, month: int, day: int) -> date | None:
    """The first date with a month and day on or after a floor (a year-less dateline after the text's last date)."""
    for year in range(floor.year, floor.year + 5):
        found = _safe_date(year, month, day)
        if found is not None and found >= floor:
            return found
    return None


@cache
def _header_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The dateline and header-line patterns."""
    month = rf"(?:{_alternation(_lexicon().months)})\.?"
    day = rf"(?:{month}\s+\d{{1,2}}{_ORD}(?:,?\s+{_YEAR})?|\d{{1,2}}{_ORD}[\s-]+{month}(?:[\s,-]+{_YEAR})?)"
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
    return dateline, header


def _header(text: str) -> tuple[int, date, str, str] | None:
    """The end offset, date, outlet and kind ("dateline" | "header") of a dateline near the start."""
    head = text[:600]
    dateline, header = _header_patterns()
    for pattern, how in ((dateline, "dateline"), (header, "header")):
        match = pattern.search(head)
        if match is None:
            continue
        after = match.group("rest") + head[match.end() : match.end() + 200] if how == "header" else ""
        day = _parse_header_date(match.group("date"), head[: match.start()], after)
        if day is not None:
            outlet = _outlet(match.group("rest")) if how == "header" else (match.group("agency") or "")
            return match.end(), day, outlet, how
    return _title_date(head)


@cache
def _title_pattern() -> re.Pattern[str]:
    """A title line that ends with a full date ("... Operational Update, June 13, 2011")."""
    month = rf"(?:{_alternation(_lexicon().months)})\.?"
    full = rf"(?:{month}\s+\d{{1,2}}{_ORD},?\s+{_YEAR}|\d{{1,2}}{_ORD}[\s-]+{month}[\s,-]+{_YEAR})"
    return re.compile(rf"(?m)^[^\S\n]*[A-Z][^\n]{{2,150}}?[\s,:|–—-](?P<date>{full})[^\S\n]*$")


def _title_date(head: str) -> tuple[int, date, str, str] | None:
    """The end offset and date of a title line ending with a full date, in the first lines of a text."""
    match = _title_pattern().search(head[:300])
    if match is None:
        return None
    day = _parse_header_date(match.group("date"), "", "")
    return (match.end(), day, "", "title") if day is not None else None


def _parse_header_date(surface: str, before: str, after: str) -> date | None:
    """A dateline's date; a year-less one takes the nearest year written in the header around it."""
    raws = _candidates(surface)
    if not raws:
        return None
    ctx = _Context(None, latest_year=_header_year(before, after))
    resolved = _resolve_day(raws[0], ctx) if raws[0].kind in {"iso", "dmy", "mdy"} else None
    return resolved[0].start if resolved else None


def _header_year(before: str, after: str) -> int | None:
    """The year a header states: of a full date in it, else of a year-month code, else the nearest year."""
    for text in (before, after):
        dated = [r for r in _candidates(text) if r.kind in {"iso", "dmy", "mdy"} and "y" in r.fields]
        if dated:
            return int(dated[-1].fields["y"])
    for pattern in (rf"(?<!\d)({_YEAR})-(?:0[1-9]|1[0-2])(?!\d)", rf"(?<!\d)({_YEAR})(?!\d)"):
        years = re.findall(pattern, before)[-1:] or re.findall(pattern, after)[:1]
        if years:
            return int(years[0])
    return None


def document_code_month(text: str) -> tuple[date, date] | None:
    """The month of a press-release reference code near the start ("2011-07-S-068"): a weak publication window.

    Such codes name the year and month a release was issued, not its day, so they only bound year-less dates
    and give the publication a month-wide window.
    """
    match = re.search(rf"(?<![\w-])({_YEAR})-(0[1-9]|1[0-2])-[A-Z]{{1,4}}-\d{{1,5}}\b", text[:400])
    return _month_bounds(int(match.group(1)), int(match.group(2))) if match else None


def _outlet(rest: str) -> str:
    """The outlet name at the start of a header line's remainder, without genre words and numbers."""
    words: list[str] = []
    for word in rest.split():
        if word.lower().strip(",.:") in _lexicon().genres or not word[0].isupper():
            break
        words.append(word.strip(",.:"))
    return " ".join(words)


def publication_from_text(text: str) -> tuple[date, str, str] | None:
    """A publication date and outlet from a dateline or header line, with how it was found."""
    found = _header(text)
    return (found[1], found[2], found[3]) if found else None


def publication_from_url(url: str) -> date | None:
    """A publication date embedded in a URL path (/2021/10/22/ or /2021-10-22-)."""
    match = re.search(rf"/({_YEAR})[/-](\d{{1,2}})[/-](\d{{1,2}})(?:[/-]|$|\.)", url)
    return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


# --- event dates --------------------------------------------------------------------------------


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
    return _day_span(published, ("from_publication",)) if published else None


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
    return _day_span(published, ("from_publication",)) if published else None


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
