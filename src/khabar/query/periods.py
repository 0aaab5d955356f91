"""Calendar periods (days, weeks from Monday, months) for timelines that show every period, empty ones too."""

from __future__ import annotations

from datetime import date, timedelta

UNITS = ("day", "week", "month")


def period_start(day: date, unit: str) -> date:
    """The first day of the ``unit`` (day, week from Monday, or month) holding ``day``."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def period_starts(first: date, last: date, unit: str) -> list[date]:
    """The first day of every period from the one holding ``first`` to the one holding ``last``."""
    found, current = [], period_start(first, unit)
    while current <= last:
        found.append(current)
        if unit == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if unit == "week" else 1)
    return found
