"""The filters every query takes, as one small frozen value that the CLI and an HTTP layer both build.

``Filters`` holds only plain values (dates, strings, numbers), so a web handler can build one from
a query string with ``filters_from_strings`` and the CLI from its options; both get the same
``ConfigError`` naming the filter and what it accepts when a value is wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from khabar.errors import ConfigError

# Orders of incidents: oldest first, newest first, most deaths, most sources, most confident.
SORTS = ("date", "-date", "deaths", "sources", "confidence")
STATUSES = ("occurred", "background", "aggregate", "planned", "denied")


@dataclass(slots=True, frozen=True)
class Filters:
    """What to keep: each field left at its default does not filter."""

    since: date | None = None
    until: date | None = None
    # an ISO 3166 code (alpha-2 or alpha-3) or a country name
    country: str = ""
    admin1: str = ""
    # a stored place name (or "lat,lon"); with ``within_km`` every incident that close to it
    place: str = ""
    within_km: float | None = None
    # an actor id, name, ACLED name or a name the texts used for it; matches either side
    actor: str = ""
    # an ACLED event type or sub-event type, or a PLOVER type (any case)
    type: str = ""
    # comma-separated statuses (occurred, background, aggregate, planned, denied)
    status: str = ""
    min_sources: int = 0
    min_confidence: float = 0.0
    # words searched in the source sentences (SQLite FTS5; words are ANDed, "quoted phrases" kept)
    text: str = ""
    limit: int | None = None
    sort: str = "date"
    # also keep incidents a user rejected as not events
    rejected: bool = False

    def __post_init__(self) -> None:
        """Refuse values no query can use, naming the filter."""
        if self.sort not in SORTS:
            raise ConfigError(f"sort {self.sort!r} is not known; use one of {', '.join(SORTS)}")
        unknown = [s for s in self.statuses if s not in STATUSES]
        if unknown:
            raise ConfigError(f"status {unknown[0]!r} is not known; use one or more of {', '.join(STATUSES)}")
        if self.within_km is not None and (self.within_km < 0 or not self.place):
            raise ConfigError("within needs a place and a distance of 0 km or more, e.g. --place Kabul --within 50")
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"limit must be 0 or more, not {self.limit}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be between 0 and 1, not {self.min_confidence}")
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since {self.since} is after until {self.until}; swap them")

    @property
    def statuses(self) -> tuple[str, ...]:
        """The statuses asked for, as a tuple (empty: any)."""
        return tuple(s.strip().lower() for s in self.status.split(",") if s.strip())

    @property
    def selects_incidents(self) -> bool:
        """Whether any filter other than dates, actor, text, limit and sort narrows the incidents."""
        return bool(self.country or self.admin1 or self.place or self.type or self.status or self.min_sources
                    or self.min_confidence)

    def replace(self, **changes: Any) -> Filters:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


def filters_from_strings(values: Mapping[str, str | None]) -> Filters:
    """Filters from text values (a query string, a form), converting each field to its type."""
    known = {f.name: f for f in dataclasses.fields(Filters)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown filter {unknown[0]!r}; filters are {', '.join(known)}")
    kwargs = {name: _convert(name, text) for name, text in values.items() if text not in (None, "")}
    return Filters(**kwargs)


def _convert(name: str, text: str | None) -> Any:
    """One filter's text value as its field's type."""
    value = str(text).strip()
    try:
        if name == "since":
            return parse_day(value, name)
        if name == "until":
            return end_of(value, name)
        if name in ("min_sources", "limit"):
            return int(value)
        if name in ("within_km", "min_confidence"):
            return float(value)
        if name == "rejected":
            return value.lower() in ("1", "true", "yes", "on")
    except ValueError as exc:
        raise ConfigError(f"filter {name} needs a number, not {value!r}") from exc
    return value


def parse_day(text: str, name: str = "date") -> date:
    """A date from ``YYYY-MM-DD``, ``YYYY-MM`` (its first day) or ``YYYY`` (1 January)."""
    parts = text.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1)
        if len(numbers) == 2:
            return date(numbers[0], numbers[1], 1)
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ConfigError(f"{name} {text!r} is not a date; give YYYY-MM-DD, YYYY-MM or YYYY") from exc


def end_of(text: str, name: str = "until") -> date:
    """The last day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` text covers (so --until 2021-08 keeps all August)."""
    start = parse_day(text, name)
    parts = len(text.strip().split("-"))
    if parts == 1:
        return date(start.year, 12, 31)
    if parts == 2:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return start
