"""The publication date: from a dateline, header or title line near the start, from the URL, or inferred.

A text without a stated date gets a window inferred from the text (the latest past date it mentions, or a
well-known reference event plus "in the past N months"); a press-release code ("2011-07-S-068") gives a
month-wide window; a dateline without a year ("KABUL (Jan. 14)") takes the year that puts it nearest a date
the header states (a full date, a year-month code, a year) or the known publication date, else dates the
publication to the first such day on or after the inferred window's start.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from khabar.records import Analysis, TimeMention
from khabar.time.candidates import Candidate, find_candidates
from khabar.time.expressions import Context, amount, month_number, resolve_day
from khabar.time.lexicon import TimeLexicon, load_lexicon
from khabar.time.patterns import YEAR
from khabar.time.spans import month_bounds, safe_date

Header = tuple[int, date, str, str]  # end offset, date, outlet, how it was found


def publication_from_text(text: str, lexicon: TimeLexicon | None = None) -> tuple[date, str, str] | None:
    """A publication date and outlet from a dateline or header line, with how it was found.

    ``lexicon`` is the loaded time lexicon (``load_lexicon()``); without one the packaged lexicon is read.
    """
    found = header(text, lexicon or load_lexicon())
    return (found[1], found[2], found[3]) if found else None


def publication_from_url(url: str) -> date | None:
    """A publication date embedded in a URL path (/2021/10/22/ or /2021-10-22-)."""
    match = re.search(rf"/({YEAR})[/-](\d{{1,2}})[/-](\d{{1,2}})(?:[/-]|$|\.)", url)
    return safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def document_code_month(text: str) -> tuple[date, date] | None:
    """The month of a press-release reference code near the start ("2011-07-S-068"): a weak publication window.

    Such codes name the year and month a release was issued, not its day, so they only bound year-less dates
    and give the publication a month-wide window.
    """
    match = re.search(rf"(?<![\w-])({YEAR})-(0[1-9]|1[0-2])-[A-Z]{{1,4}}-\d{{1,5}}\b", text[:400])
    return month_bounds(int(match.group(1)), int(match.group(2))) if match else None


def header(text: str, lexicon: TimeLexicon, published: date | None = None) -> Header | None:
    """The end offset, date, outlet and kind ("dateline" | "header" | "title") of a dated line near the start.

    ``published``: the publication date already known (metadata); a year-less dateline takes its year from it
    when the header states none.
    """
    head = text[:600]
    patterns = lexicon.patterns
    for pattern, how in ((patterns.dateline, "dateline"), (patterns.header, "header")):
        match = pattern.search(head)
        if match is None:
            continue
        after = match.group("rest") + head[match.end() : match.end() + 200] if how == "header" else ""
        day = _parse_header_date(match.group("date"), head[: match.start()], after, lexicon, published)
        if day is not None:
            outlet = _outlet(match.group("rest"), lexicon) if how == "header" else (match.group("agency") or "")
            return match.end(), day, outlet, how
    return _title_date(head, lexicon)


def _title_date(head: str, lexicon: TimeLexicon) -> Header | None:
    """The end offset and date of a title line ending with a full date, in the first lines of a text."""
    match = lexicon.patterns.title.search(head[:300])
    if match is None:
        return None
    day = _parse_header_date(match.group("date"), "", "", lexicon)
    return (match.end(), day, "", "title") if day is not None else None


def _parse_header_date(surface: str, before: str, after: str, lexicon: TimeLexicon,
                       published: date | None = None) -> date | None:
    """A dateline's date; a year-less one takes the year putting it nearest the header's date or the publication."""
    raws = find_candidates(surface, lexicon.patterns)
    if not raws or raws[0].kind not in {"iso", "dmy", "mdy"}:
        return None
    if "y" in raws[0].fields:
        resolved = resolve_day(raws[0], Context(None), lexicon.words)
        return resolved[0].start if resolved else None
    around = _header_around(before, after, lexicon) or published
    if around is None:
        return None
    fields = raws[0].fields
    return nearest_day(around, month_number(fields["m"], lexicon.words), int(fields["d"]))


def _header_around(before: str, after: str, lexicon: TimeLexicon) -> date | None:
    """The date a header states: a full date in it, else the middle of a year-month code's month, else of a year."""
    for text in (before, after):
        dated = [r for r in find_candidates(text, lexicon.patterns)
                 if r.kind in {"iso", "dmy", "mdy"} and "y" in r.fields]
        resolved = resolve_day(dated[-1], Context(None), lexicon.words) if dated else None
        if resolved is not None:
            return resolved[0].start
    codes = re.findall(rf"(?<!\d)({YEAR})-(0[1-9]|1[0-2])(?!\d)", before)[-1:]
    codes = codes or re.findall(rf"(?<!\d)({YEAR})-(0[1-9]|1[0-2])(?!\d)", after)[:1]
    if codes:
        return date(int(codes[0][0]), int(codes[0][1]), 15)
    years = re.findall(rf"(?<!\d)({YEAR})(?!\d)", before)[-1:] or re.findall(rf"(?<!\d)({YEAR})(?!\d)", after)[:1]
    # the year's middle: every day of that year lies nearer it than the same day of a neighbouring year
    return date(int(years[0]), 7, 2) if years else None


def nearest_day(around: date, month: int, day: int) -> date | None:
    """The date with a month and day nearest a date: its own year's, the year before's or the year after's.

    A release coded 2011-01 may be datelined Dec. 31 (of 2010); one coded 2010-08 may be datelined Sept. 4.
    """
    found = [d for y in (around.year, around.year - 1, around.year + 1) if (d := safe_date(y, month, day))]
    return min(found, key=lambda d: abs((d - around).days)) if found else None


def _outlet(rest: str, lexicon: TimeLexicon) -> str:
    """The outlet name at the start of a header line's remainder, without genre words and numbers."""
    words: list[str] = []
    for word in rest.split():
        if word.lower().strip(",.:") in lexicon.words.genres or not word[0].isupper():
            break
        words.append(word.strip(",.:"))
    return " ".join(words)


def yearless_dateline(text: str, lexicon: TimeLexicon) -> tuple[int, int, int] | None:
    """The end offset, month and day of a dateline near the start whose date names no year ("KABUL (Jan. 14) -")."""
    match = lexicon.patterns.dateline.search(text[:600])
    if match is None:
        return None
    raws = [r for r in find_candidates(match.group("date"), lexicon.patterns)
            if r.kind in {"dmy", "mdy"} and "y" not in r.fields]
    if not raws:
        return None
    fields = raws[0].fields
    return match.end(), month_number(fields["m"], lexicon.words), int(fields["d"])


def next_on_or_after(floor: date, month: int, day: int) -> date | None:
    """The first date with a month and day on or after a floor (a year-less dateline after the text's last date)."""
    for year in range(floor.year, floor.year + 5):
        found = safe_date(year, month, day)
        if found is not None and found >= floor:
            return found
    return None


def _reference_floor(analysis: Analysis, raws: list[Candidate], lexicon: TimeLexicon) -> date | None:
    """A publication floor from 'in the past N units' in a sentence naming a known dated event."""
    floors: list[date] = []
    for raw in raws:
        sentence = analysis.sentence_of(raw.start)
        if raw.kind != "duration" or sentence is None:
            continue
        for pattern, day in lexicon.words.references:
            if pattern.search(sentence.text):
                floors.append(day + amount(raw, lexicon.words))
    return max(floors) if floors else None


def infer_window(analysis: Analysis, mentions: list[TimeMention], raws: list[Candidate],
                 lexicon: TimeLexicon) -> tuple[date, date] | None:
    """A publication window from the latest past date the text supports."""
    floors: list[date] = []
    for mention in mentions:
        found = mention.span
        if mention.anchor in {"absolute", "narrative"} and "future" not in found.flags:
            floors.append(found.end + timedelta(days=1) if found.ucdp_precision <= 4 else found.start)
    reference = _reference_floor(analysis, raws, lexicon)
    if reference is not None:
        floors.append(reference)
    if not floors:
        return None
    low = max(floors)
    return low, low + timedelta(days=lexicon.words.window_days)
