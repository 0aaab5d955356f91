"""Resolving temporal expressions to time spans, reading the document in order.

Deictic expressions ("yesterday", "last week", "on Friday") resolve against the publication date (or a report
date in the same sentence); narrative ones ("one week later") against the nearest preceding absolute date; a
year-less date takes the year that keeps it in the publication's past, or, in an undated text, the latest year
the text names. An expression in a clause about the future ("he is due in court on Friday") resolves forward
instead (the next such day) and is flagged ``future``, as is any relative expression that lands after its
anchor ("next week", "tomorrow"). SpaCy DATE entities the patterns miss are parsed with dateparser in strict
mode only.
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
from khabar.time.tense import future_clause, process_clause
from khabar.time.words import TimeWords

Resolved = tuple[TimeSpan, str]  # a span and its anchor ("absolute", "publication", "report", "narrative", ...)
RECENT = timedelta(days=45)  # a slash date this close before the publication is read in the order that puts it there
DAY_KINDS = frozenset({"iso", "dmy", "mdy", "dmy_num", "slash_num"})
REPORTED = "reported"  # the flag of a day that dates the telling of an act, not the act ("said on Friday")
# the flag of a day in the clause of a step after an act ("was charged Friday"): it dates the act only
# when the act is that step itself; otherwise only from above (see ``events/when.py``)
PROCESS = "process"
STAMP = "stamp"  # the flag of a web page's time stamp ("Posted: May 4, 2015"): it dates the page, not an event
_APPOSITION = re.compile(r"[\s,]{0,3}(?:the\s+)?")  # between a weekday and the date it names ("Friday, Nov. 6")


@dataclass(slots=True)
class Context:
    """What an expression resolves against while the document is read in order."""

    pub: date | None
    inferred: bool = False
    narrative: date | None = None
    latest_year: int | None = None
    report: tuple[int, date] | None = None
    ceiling: date | None = None


def _year_for(month: int, day: int, ctx: Context, ahead: bool = False, upcoming: int = 0) -> tuple[int | None, str]:
    """The year of a year-less date: the one keeping it before the publication (or document code), else the story's.

    ``ahead``: the date lies ahead of the writer ("is due in court on March 3"), so it takes the year that puts
    it on or after the publication instead. ``upcoming``: a day at most this many days after the publication
    is the coming one ("set Aug. 31 as the deadline" on Aug. 26), not the same day almost a year before.
    """
    limit = ctx.pub or ctx.ceiling
    if limit is not None:
        year = limit.year
        if ahead and (month, day) < (limit.month, limit.day):
            year += 1
        elif not ahead and (month, day) > (limit.month, limit.day) and not _soon_after(limit, month, day, upcoming):
            year -= 1
        return year, "publication" if ctx.pub is not None else "document_code"
    if ctx.latest_year is not None:
        return ctx.latest_year, "narrative"
    if ctx.narrative is not None:
        return ctx.narrative.year, "narrative"
    return None, ""


def _soon_after(limit: date, month: int, day: int, days: int) -> bool:
    """Whether a month and day of the limit's year fall at most ``days`` after it."""
    coming = safe_date(limit.year, month, day)
    return coming is not None and (coming - limit).days <= days


def month_number(name: str, words: TimeWords) -> int:
    """The number of a month name or abbreviation as written ("Sept.", "MARCH")."""
    return words.months[name.lower().rstrip(".")]


def resolve_day(raw: Candidate, ctx: Context, words: TimeWords, ahead: bool = False) -> Resolved | None:
    """A dmy/mdy/iso/numeric date, possibly a day range, possibly without a year (``ahead``: one still to come)."""
    if raw.kind == "slash_num":
        return slash_date(raw, ctx)
    f = raw.fields
    month = month_number(f["m"], words) if "m" in f else int(f["mo"])
    day, day2 = int(f["d"]), int(f.get("d2", f["d"]))
    if "y" in f:
        year, anchor = int(f["y"]), "absolute"
    else:
        maybe, anchor = _year_for(month, day, ctx, ahead, words.upcoming_days)
        if maybe is None:
            return None
        year = maybe
    lo, hi = safe_date(year, month, day), safe_date(year, month, max(day, day2))
    if lo is None or hi is None:
        return None
    return span(lo, hi), anchor


def slash_date(raw: Candidate, ctx: Context) -> Resolved | None:
    """A date written with slashes, day or month first ("17/09/2016", "9/17/2016", "4/27/16").

    A number above 12 tells which is the day. When both could be, a reading in the weeks up to the
    publication wins (a report tells what has just happened) when the other is not; otherwise the
    day comes first, as most of the world writes it. A two-digit year is this century's unless
    that lies after the publication's year.
    """
    first, second, written = int(raw.fields["a"]), int(raw.fields["b"]), raw.fields["y"]
    year = int(written)
    if len(written) == 2:
        year += 2000 if ctx.pub is None or 2000 + year <= ctx.pub.year else 1900
    readings = [d for d in (safe_date(year, second, first), safe_date(year, first, second)) if d is not None]
    recent = [d for d in readings if ctx.pub is not None and ctx.pub - RECENT <= d <= ctx.pub]
    chosen = recent[0] if len(set(recent)) == 1 else (readings[0] if readings else None)
    return (span(chosen, chosen), "absolute") if chosen is not None else None


def _resolve_month(raw: Candidate, ctx: Context, words: TimeWords, ahead: bool = False) -> Resolved | None:
    """A month, with an optional year, part (early/mid/end) or direction (last/this/next)."""
    f = raw.fields
    month = month_number(f["m"], words)
    mod = f.get("mod", "").lower()
    anchor = "absolute"
    if "y" in f:
        year = int(f["y"])
    else:
        # a month still to come may be the publication's own ("will be sentenced in March" written in March)
        maybe, anchor = _year_for(month, 31 if ahead else 1, ctx, ahead)
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
    """Yesterday, today, last night and the like; "overnight" is the night into the anchor's day (two days)."""
    first, last = words.deictic[raw.fields["t"].lower()]
    return span(base + timedelta(days=first), base + timedelta(days=last))


def _resolve_weekday(raw: Candidate, base: date, words: TimeWords, ahead: bool = False) -> TimeSpan:
    """The most recent such weekday on or before the anchor (or the next one after 'next').

    ``ahead``: the clause speaks of the future ("is due in court on Friday"), so it is the first such day on or
    after the anchor.
    """
    target = words.weekdays[raw.fields["w"].lower()]
    mode = words.weekday_modifiers.get(raw.fields.get("mod", "").lower(), "on_or_before")
    if mode == "after":
        return day_span(base + timedelta(days=(target - base.weekday()) % 7 or 7))
    if ahead and mode == "on_or_before":
        return day_span(base + timedelta(days=(target - base.weekday()) % 7))
    back = (base.weekday() - target) % 7
    if mode == "before" and back == 0:
        back = 7
    return day_span(base - timedelta(days=back))


def _holiday_name(raw: Candidate) -> str:
    """A holiday candidate's name as the lexicon writes it (lowercase, plain apostrophe)."""
    return str(raw.fields["h"]).lower().replace("\u2019", "'")


def holiday_date(rule: tuple[int, ...], year: int) -> date | None:
    """A holiday's day in a year: a fixed date, or the n-th (or last) such weekday of its month."""
    if len(rule) == 2:
        return safe_date(year, rule[0], rule[1])
    month, weekday, nth = rule
    first, last = month_bounds(year, month)
    if nth < 0:
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day <= last else None


def _resolve_holiday(raw: Candidate, base: date, words: TimeWords, ahead: bool) -> TimeSpan:
    """A holiday named without a year: the latest one on or before the anchor, or the coming one ``ahead``."""
    rule = words.holidays[_holiday_name(raw)]
    years = (base.year, base.year + 1) if ahead else (base.year, base.year - 1)
    for year in years:
        day = holiday_date(rule, year)
        if day is not None and (day >= base if ahead else day <= base):
            return day_span(day)
    return day_span(holiday_date(rule, years[1]) or base)


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


def _resolve_weekend(raw: Candidate, base: date, words: TimeWords, ahead: bool) -> TimeSpan:
    """A weekend: the latest one up to the anchor ("over the weekend"), or the one before or after that.

    "Last weekend" written on a weekend is the one before; "next weekend", "this weekend" written on a weekday
    and a weekend still ahead of the writer are the coming one.
    """
    first, last = words.weekend_days
    length = timedelta(days=(last - first) % 7)
    start = base - timedelta(days=(base.weekday() - first) % 7)  # the latest first day on or before the anchor
    within = base - start <= length
    step = words.period_directions.get(raw.fields["dir"].lower(), 0) if "dir" in raw.fields else None
    if step is not None and step < 0 and within:
        start -= timedelta(weeks=1)
    elif (step is not None and step > 0) or (not within and (step == 0 or (step is None and ahead))):
        start += timedelta(weeks=1)
    return span(start, min(start + length, base) if start <= base else start + length)


def amount(raw: Candidate, words: TimeWords) -> timedelta:
    """The length of 'N units' in a duration or shift."""
    count = number_value(raw.fields["n"], words.numbers) or 1.0
    return timedelta(days=count * words.units[raw.fields["u"].lower()])


def _resolve_relative(raw: Candidate, ctx: Context, analysis: Analysis, words: TimeWords,
                      ahead: bool = False) -> Resolved | None:
    """Deictic, weekday, period, duration and shift expressions against their anchor.

    One that lands after its anchor ("next week", "tomorrow", "next Friday") is flagged ``future``.
    """
    if raw.kind == "next" or (raw.kind == "shift" and raw.fields["dir"].lower() not in words.ago):
        return _resolve_shift(raw, ctx, words)
    found = _anchor(raw, ctx, analysis)
    if found is None:
        return None
    base, anchor = found
    resolved = _relative_span(raw, base, words, ahead)
    return (replace(resolved, flags=("future",)) if resolved.start > base else resolved), anchor


def _relative_span(raw: Candidate, base: date, words: TimeWords, ahead: bool) -> TimeSpan:
    """The span of a deictic, weekday, period or duration expression, or a count of units ago, from its anchor."""
    if raw.kind == "deictic":
        return _resolve_deictic(raw, base, words)
    if raw.kind == "weekday":
        return _resolve_weekday(raw, base, words, ahead)
    if raw.kind == "period":
        return _resolve_period(raw, base, words)
    if raw.kind == "weekend":
        return _resolve_weekend(raw, base, words, ahead)
    if raw.kind == "holiday":
        return _resolve_holiday(raw, base, words, ahead)
    if raw.kind == "duration":
        return span(base - amount(raw, words), base)
    return _ago_span(raw, base, words)


def _ago_span(raw: Candidate, base: date, words: TimeWords) -> TimeSpan:
    """'N units ago': the day counted back, widened to one unit around it ("seven years ago" is a year, not a day)."""
    back = base - amount(raw, words)
    unit = words.units[raw.fields["u"].lower()]
    if unit <= 1:
        return day_span(back)
    half = timedelta(days=unit // 2)
    return span(back - half, min(back + half - timedelta(days=1 - unit % 2), base))


def _resolve_shift(raw: Candidate, ctx: Context, words: TimeWords) -> Resolved | None:
    """'One week later', 'the next day': an offset from the story's current date."""
    if ctx.narrative is None:
        return None
    direction = raw.fields["dir"].lower()
    if raw.kind == "shift":
        return day_span(ctx.narrative + words.shifts[direction] * amount(raw, words)), "narrative"
    return day_span(ctx.narrative + words.next_days[direction] * timedelta(days=1)), "narrative"


def _resolve_one(raw: Candidate, ctx: Context, analysis: Analysis, words: TimeWords,
                 ahead: bool = False) -> Resolved | None:
    """Resolve one candidate in its context (``ahead``: in a clause about the future)."""
    if raw.kind in DAY_KINDS:
        return resolve_day(raw, ctx, words, ahead)
    if raw.kind == "month":
        step = words.month_modifiers.get(raw.fields.get("mod", "").lower())
        if step is not None and (step >= 0 or (ctx.pub is None and "y" not in raw.fields)):
            return None
        return _resolve_month(raw, ctx, words, ahead)
    if raw.kind == "year":
        return _resolve_year(raw, words)
    if raw.kind == "holiday" and "y" in raw.fields:
        day = holiday_date(words.holidays[_holiday_name(raw)], int(raw.fields["y"]))
        return (day_span(day), "absolute") if day is not None else None
    if raw.kind == "dateparser":
        resolved: TimeSpan = raw.fields["span"]
        return resolved, "absolute"
    return _resolve_relative(raw, ctx, analysis, words, ahead)


def cue_flags(raw: Candidate, text: str, words: TimeWords) -> tuple[str, ...]:
    """Flags from the words around an expression: a report date ("reported on", "today confirmed") or a future date."""
    before = text[max(0, raw.start - 30) : raw.start]
    after = text[raw.end : raw.end + 30]
    flags: list[str] = []
    if any(p.search(before) for p in words.report_cues) or any(p.match(after) for p in words.report_after_cues):
        flags.append(REPORTED)
    if any(p.search(before) for p in words.future_cues):
        flags.append("future")
    if any(p.search(before) for p in words.stamp_cues):
        flags.append(STAMP)
    return tuple(flags)


def without_named_weekdays(raws: list[Candidate], text: str) -> list[Candidate]:
    """Candidates without the weekdays that only name the day of the date right after them ("Saturday, May 7").

    Such a weekday is that date's day, not the latest Saturday before the publication: the date dates it.
    """
    kept: list[Candidate] = []
    for index, raw in enumerate(raws):
        after = raws[index + 1] if index + 1 < len(raws) else None
        named = (raw.kind == "weekday" and after is not None and after.kind in DAY_KINDS
                 and _APPOSITION.fullmatch(text[raw.end : after.start]) is not None)
        if not named:
            kept.append(raw)
    return kept


def ahead_of_writer(raw: Candidate, analysis: Analysis, words: TimeWords) -> bool:
    """Whether an expression sits in a clause about the future ("he is due in court on Friday")."""
    return future_clause(analysis, raw.start, raw.end, words)


def resolve_all(analysis: Analysis, raws: list[Candidate], ctx: Context, header_end: int,
                words: TimeWords) -> list[TimeMention]:
    """Resolve candidates in text order, carrying the narrative date forward."""
    text = analysis.document.text
    mentions: list[TimeMention] = []
    for raw in raws:
        # a dateline dates the text itself, whatever its parse says
        ahead = raw.end > header_end and ahead_of_writer(raw, analysis, words)
        resolved = _resolve_one(raw, ctx, analysis, words, ahead)
        if resolved is None:
            continue
        found, anchor = _around(resolved[0], raw, text, words), resolved[1]
        flags = cue_flags(raw, text, words) + (("dateline",) if raw.end <= header_end else ())
        if ahead:
            flags += ("future",)
        elif process_clause(analysis, raw.start, raw.end, words):
            flags += (PROCESS,)
        if ctx.inferred and anchor in {"publication", "report"}:
            flags += ("inferred_publication",)
        found = replace(found, flags=tuple(dict.fromkeys(found.flags + flags)))
        mentions.append(TimeMention(analysis.evidence(raw.start, raw.end), text[raw.start : raw.end], found, anchor))
        _advance(ctx, raw, found, analysis)
    return mentions


def _around(found: TimeSpan, raw: Candidate, text: str, words: TimeWords) -> TimeSpan:
    """A day named by its neighbour ("the day after Thanksgiving", "the day-after-Christmas sale"): shifted."""
    cue = words.around_cue.search(text, max(0, raw.start - 30), raw.start)
    if cue is None or found.end - found.start > timedelta(days=1):
        return found
    step = timedelta(days=words.day_around[cue.group("dir").lower()])
    return replace(found, start=found.start + step, end=found.end + step)


def _advance(ctx: Context, raw: Candidate, found: TimeSpan, analysis: Analysis) -> None:
    """Move the narrative date on after an expression that dates the story."""
    if "future" in found.flags or STAMP in found.flags or raw.kind in {"duration", "period"}:
        return
    if REPORTED in found.flags:
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
