"""Resolving temporal expressions to time spans, reading the document in order.

Deictic expressions ("yesterday", "last week", "on Friday") resolve against the publication date (or a report
date in the same sentence); narrative ones ("one week later") against the nearest preceding absolute date; a
year-less date takes the year that keeps it in the publication's past, or, in an undated text, the latest year
the text names. SpaCy DATE entities the patterns miss are parsed with dateparser in strict mode only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from khabar.quantities import number_value
from khabar.records import Analysis, TimeMention, TimeSpan
from khabar.time.candidates import Candidate
from khabar.time.lexicon import DateReader
from khabar.time.patterns import YEAR
from khabar.time.spans import day_span, month_bounds, narrow, safe_date, span
from khabar.time.words import TimeWords

Resolved = tuple[TimeSpan, str]  # a span and its anchor ("absolute", "publication", "report", "narrative", ...)
DAY_KINDS = frozenset({"iso", "dmy", "mdy", "dmy_num"})


@dataclass(slots=True)
class Context:
    """What an expression resolves against while the document is read in order."""

    pub: date | None
    inferred: bool = False
    narrative: date | None = None
    latest_year: int | None = None
    report: tuple[int, date] | None = None
    ceiling: date | None = None


def _year_for(month: int, day: int, ctx: Context) -> tuple[int | None, str]:
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


def month_number(name: str, words: TimeWords) -> int:
    """The number of a month name or abbreviation as written ("Sept.", "MARCH")."""
    return words.months[name.lower().rstrip(".")]


def resolve_day(raw: Candidate, ctx: Context, words: TimeWords) -> Resolved | None:
    """A dmy/mdy/iso/numeric date, possibly a day range, possibly without a year."""
    f = raw.fields
    month = month_number(f["m"], words) if "m" in f else int(f["mo"])
    day, day2 = int(f["d"]), int(f.get("d2", f["d"]))
    if "y" in f:
        year, anchor = int(f["y"]), "absolute"
    else:
        maybe, anchor = _year_for(month, day, ctx)
        if maybe is None:
            return None
        year = maybe
    lo, hi = safe_date(year, month, day), safe_date(year, month, max(day, day2))
    if lo is None or hi is None:
        return None
    return span(lo, hi), anchor


def _resolve_month(raw: Candidate, ctx: Context, words: TimeWords) -> Resolved | None:
    """A month, with an optional year, part (early/mid/end) or direction (last/this/next)."""
    f = raw.fields
    month = month_number(f["m"], words)
    mod = f.get("mod", "").lower()
    anchor = "absolute"
    if "y" in f:
        year = int(f["y"])
    else:
        maybe, anchor = _year_for(month, 1, ctx)
        if maybe is None:
            return None
        year = maybe
        if words.month_modifiers.get(mod) == -1 and ctx.pub is not None and month >= ctx.pub.month:
            year = ctx.pub.year - 1
    lo, hi = narrow(*month_bounds(year, month), mod, words.parts)
    return span(lo, hi), anchor


def _resolve_year(raw: Candidate, words: TimeWords) -> Resolved:
    """A year, optionally narrowed to its early, middle or late part."""
    year = int(raw.fields["y"])
    lo, hi = narrow(date(year, 1, 1), date(year, 12, 31), raw.fields.get("mod", ""), words.parts)
    return span(lo, hi), "absolute"


def _anchor(raw: Candidate, ctx: Context, analysis: Analysis) -> tuple[date, str] | None:
    """The date a deictic expression counts from: a report date in its sentence, the publication, or the story."""
    if ctx.report is not None and ctx.report[0] == _sentence_index(analysis, raw.start):
        return ctx.report[1], "report"
    if ctx.pub is not None:
        return ctx.pub, "publication"
    return None


def _resolve_deictic(raw: Candidate, base: date, words: TimeWords) -> TimeSpan:
    """Yesterday, today, last night and the like."""
    offset = words.deictic[raw.fields["t"].lower()]
    return day_span(base + timedelta(days=offset))


def _resolve_weekday(raw: Candidate, base: date, words: TimeWords) -> TimeSpan:
    """The most recent such weekday on or before the anchor (or the next one after 'next')."""
    target = words.weekdays[raw.fields["w"].lower()]
    mode = words.weekday_modifiers.get(raw.fields.get("mod", "").lower(), "on_or_before")
    if mode == "after":
        return day_span(base + timedelta(days=(target - base.weekday()) % 7 or 7))
    back = (base.weekday() - target) % 7
    if mode == "before" and back == 0:
        back = 7
    return day_span(base - timedelta(days=back))


def _resolve_period(raw: Candidate, base: date, words: TimeWords) -> TimeSpan:
    """Last/this/next week, month or year, as calendar periods."""
    unit, direction = raw.fields["u"].lower(), raw.fields["dir"].lower()
    step = words.period_directions.get(direction, 0)
    if unit == "week":
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        return span(monday, min(monday + timedelta(days=6), base) if step == 0 else monday + timedelta(days=6))
    if unit == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + step, 12)
        lo, hi = month_bounds(year, month + 1)
        return span(lo, min(hi, base) if step == 0 else hi)
    year = base.year + step
    return span(date(year, 1, 1), base if step == 0 else date(year, 12, 31))


def amount(raw: Candidate, words: TimeWords) -> timedelta:
    """The length of 'N units' in a duration or shift."""
    count = number_value(raw.fields["n"], words.numbers) or 1.0
    return timedelta(days=count * words.units[raw.fields["u"].lower()])


def _resolve_relative(raw: Candidate, ctx: Context, analysis: Analysis, words: TimeWords) -> Resolved | None:
    """Deictic, weekday, period, duration and shift expressions against their anchor."""
    if raw.kind == "next" or (raw.kind == "shift" and raw.fields["dir"].lower() not in words.ago):
        return _resolve_shift(raw, ctx, words)
    found = _anchor(raw, ctx, analysis)
    if found is None:
        return None
    base, anchor = found
    if raw.kind == "deictic":
        return _resolve_deictic(raw, base, words), anchor
    if raw.kind == "weekday":
        return _resolve_weekday(raw, base, words), anchor
    if raw.kind == "period":
        return _resolve_period(raw, base, words), anchor
    if raw.kind == "duration":
        return span(base - amount(raw, words), base), anchor
    return day_span(base - amount(raw, words)), anchor


def _resolve_shift(raw: Candidate, ctx: Context, words: TimeWords) -> Resolved | None:
    """'One week later', 'the next day': an offset from the story's current date."""
    if ctx.narrative is None:
        return None
    direction = raw.fields["dir"].lower()
    if raw.kind == "shift":
        return day_span(ctx.narrative + words.shifts[direction] * amount(raw, words)), "narrative"
    return day_span(ctx.narrative + words.next_days[direction] * timedelta(days=1)), "narrative"


def _resolve_one(raw: Candidate, ctx: Context, analysis: Analysis, words: TimeWords) -> Resolved | None:
    """Resolve one candidate in its context."""
    if raw.kind in DAY_KINDS:
        return resolve_day(raw, ctx, words)
    if raw.kind == "month":
        step = words.month_modifiers.get(raw.fields.get("mod", "").lower())
        if step is not None and (step >= 0 or (ctx.pub is None and "y" not in raw.fields)):
            return None
        return _resolve_month(raw, ctx, words)
    if raw.kind == "year":
        return _resolve_year(raw, words)
    if raw.kind == "dateparser":
        resolved: TimeSpan = raw.fields["span"]
        return resolved, "absolute"
    return _resolve_relative(raw, ctx, analysis, words)


def cue_flags(raw: Candidate, text: str, words: TimeWords) -> tuple[str, ...]:
    """Flags from the words around an expression: a report date ("reported on", "today confirmed") or a future date."""
    before = text[max(0, raw.start - 30) : raw.start]
    after = text[raw.end : raw.end + 30]
    flags: list[str] = []
    if any(p.search(before) for p in words.report_cues) or any(p.match(after) for p in words.report_after_cues):
        flags.append("reported")
    if any(p.search(before) for p in words.future_cues):
        flags.append("future")
    return tuple(flags)


def resolve_all(analysis: Analysis, raws: list[Candidate], ctx: Context, header_end: int,
                words: TimeWords) -> list[TimeMention]:
    """Resolve candidates in text order, carrying the narrative date forward."""
    text = analysis.document.text
    mentions: list[TimeMention] = []
    for raw in raws:
        resolved = _resolve_one(raw, ctx, analysis, words)
        if resolved is None:
            continue
        found, anchor = resolved
        flags = cue_flags(raw, text, words) + (("dateline",) if raw.end <= header_end else ())
        if ctx.inferred and anchor in {"publication", "report"}:
            flags += ("inferred_publication",)
        found = replace(found, flags=found.flags + flags)
        mentions.append(TimeMention(analysis.evidence(raw.start, raw.end), text[raw.start : raw.end], found, anchor))
        _advance(ctx, raw, found, analysis)
    return mentions


def _advance(ctx: Context, raw: Candidate, found: TimeSpan, analysis: Analysis) -> None:
    """Move the narrative date on after an expression that dates the story."""
    if "future" in found.flags or raw.kind in {"duration", "period"}:
        return
    if "reported" in found.flags:
        ctx.report = (_sentence_index(analysis, raw.start), found.start)
    if found.ucdp_precision <= 4:
        ctx.narrative = found.start


def _sentence_index(analysis: Analysis, offset: int) -> int:
    """The sentence index of an offset, -1 outside any sentence."""
    sentence = analysis.sentence_of(offset)
    return sentence.index if sentence else -1


def entity_candidates(analysis: Analysis, raws: list[Candidate], reader: DateReader) -> list[Candidate]:
    """SpaCy DATE entities without a day-precise pattern match that dateparser reads strictly as a full date."""
    extra: list[Candidate] = []
    for ent in analysis.entities:
        if ent.label != "DATE" or any(r.start < ent.end and ent.start < r.end and r.kind in DAY_KINDS for r in raws):
            continue
        if not re.search(YEAR, ent.text) or not re.search(r"[A-Za-z]{3}", ent.text):
            continue
        parsed = reader.full_date(ent.text)
        if parsed is not None:
            extra.append(Candidate(ent.start, ent.end, "dateparser", {"span": day_span(parsed.date())}))
    return extra
