"""Time spans with their ACLED and UCDP precisions, and the calendar arithmetic behind them."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from khabar.records import TimeSpan


def day_span(day: date, flags: tuple[str, ...] = ()) -> TimeSpan:
    """A one-day span."""
    return span(day, day, flags)


def span(start: date, end: date, flags: tuple[str, ...] = ()) -> TimeSpan:
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


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def narrow(lo: date, hi: date, part: str, parts: dict[str, tuple[float, float]]) -> tuple[date, date]:
    """The early/mid/late/end part of a period, by the first of ``parts`` the modifier names."""
    key = next((p for p in parts if p in part.lower()), "")
    if not key:
        return lo, hi
    frac = parts[key]
    total = (hi - lo).days
    return lo + timedelta(days=round(total * frac[0])), lo + timedelta(days=round(total * frac[1]))


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when the day does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None
