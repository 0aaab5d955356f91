"""The words of the time lexicon (``data/lexicons/time.yaml``): its schema and the record it is read into."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from khabar.datafiles import Either, Fields
from khabar.quantities import NumberWords

SOURCE = ("lexicons", "time.yaml")
WEEKDAY_MODES = frozenset({"on_or_before", "before", "after"})

_WORDS = [str]
_SIGNS = {str: int}

SCHEMA = Fields(required={
    "version": int,
    "months": {str: int},
    "weekdays": {str: int},
    "holidays": {str: [int]},
    "deictic": {str: Either(int, [int])},
    "units": {str: float},
    "parts": {str: [float]},
    "report_cues": _WORDS,
    "report_after_cues": _WORDS,
    "process_verbs": _WORDS,
    "stamp_cues": _WORDS,
    "future_cues": _WORDS,
    "future_clauses": Fields(required={"auxiliaries": _WORDS, "perfect": _WORDS, "looking_back": _WORDS,
                                       "predicates": {str: _WORDS}}),
    "genres": _WORDS,
    "reference_events": [Fields(required={"name": str, "pattern": str, "date": str})],
    "inference": Fields(required={"window_days": int, "upcoming_days": int}),
    "expressions": Fields(required={
        "durations": Fields(required={"prepositions": _WORDS, "directions": _WORDS, "bare": _WORDS}),
        "shifts": _SIGNS,
        "ago": _WORDS,
        "next_day": Fields(required={"directions": _SIGNS, "units": _WORDS}),
        "day_around": _SIGNS,
        "weekday_modifiers": {str: str},
        "day_parts": _WORDS,
        "month_modifiers": _SIGNS,
        "periods": Fields(required={"directions": _SIGNS, "units": _WORDS}),
        "weekend": Fields(required={"word": str, "days": [int], "openers": _WORDS}),
    }),
    "not_dates": Fields(required={
        "bare_month_cues": _WORDS, "year_cues": _WORDS, "not_a_day_after": _WORDS,
        "not_a_year_after": _WORDS, "not_a_year_before": _WORDS, "not_a_holiday_before": _WORDS,
    }),
})


@dataclass(slots=True, frozen=True)
class TimeWords:
    """Month and weekday names, deictic phrases, units, cue patterns and the words of relative expressions."""

    months: dict[str, int]
    weekdays: dict[str, int]
    holidays: dict[str, tuple[int, ...]]  # name -> (month, day) or (month, weekday, n-th; -1 the last)
    deictic: dict[str, tuple[int, int]]  # phrase -> first and last day offsets (equal for a single day)
    units: dict[str, float]
    parts: dict[str, tuple[float, float]]
    report_cues: tuple[re.Pattern[str], ...]
    report_after_cues: tuple[re.Pattern[str], ...]
    process_verbs: frozenset[str]  # lemmas of verbs telling a step after an act (a charge, a hearing)
    stamp_cues: tuple[re.Pattern[str], ...]
    future_cues: tuple[re.Pattern[str], ...]
    future_auxiliaries: frozenset[str]
    future_perfect: frozenset[str]
    future_looking_back: frozenset[str]
    future_predicates: dict[str, frozenset[str]]  # predicate -> the words one of which must follow it (empty: any)
    genres: frozenset[str]
    references: tuple[tuple[re.Pattern[str], date], ...]
    window_days: int
    upcoming_days: int
    numbers: NumberWords  # number words ("three days later"), from the quantities lexicon
    duration_prepositions: tuple[str, ...]
    duration_directions: tuple[str, ...]
    duration_bare: tuple[str, ...]
    shifts: dict[str, int]
    ago: tuple[str, ...]
    next_days: dict[str, int]
    next_units: tuple[str, ...]
    day_around: dict[str, int]  # "the day after <date>": the word -> days the date shifts by
    around_cue: re.Pattern[str]  # right before a date: "the day after", "the night-before-"
    weekday_modifiers: dict[str, str]
    day_parts: tuple[str, ...]
    month_modifiers: dict[str, int]
    period_directions: dict[str, int]
    period_units: tuple[str, ...]
    weekend_word: str
    weekend_days: tuple[int, int]  # its first and last weekday, 0 (Monday) .. 6 (Sunday)
    weekend_openers: tuple[str, ...]
    bare_month_cues: tuple[str, ...]
    year_cues: tuple[str, ...]
    not_a_day_after: tuple[str, ...]
    not_a_year_after: tuple[str, ...]
    not_a_year_before: tuple[str, ...]
    not_a_holiday_before: tuple[str, ...]


def read_words(data: dict[str, Any], numbers: NumberWords) -> TimeWords:
    """The words of parsed YAML that passed the schema; raises ValueError or re.error on a bad value."""
    expr, nots = data["expressions"], data["not_dates"]
    for where, mapping in (("months", data["months"]), ("weekdays", data["weekdays"]), ("deictic", data["deictic"]),
                           *((f"expressions.{k}", v) for k, v in expr.items() if isinstance(v, dict))):
        if bad_keys := [k for k in mapping if not isinstance(k, str)]:
            raise ValueError(f"{where}.{bad_keys[0]}: a word YAML reads as {type(bad_keys[0]).__name__} (quote it)")
    modes = {str(k): str(v) for k, v in expr["weekday_modifiers"].items()}
    if bad := sorted(set(modes.values()) - WEEKDAY_MODES):
        raise ValueError(f"expressions.weekday_modifiers: unknown mode {bad[0]!r} (known: {sorted(WEEKDAY_MODES)})")
    if bad_parts := [k for k, v in data["parts"].items() if len(v) != 2]:
        raise ValueError(f"parts.{bad_parts[0]}: expected [start fraction, end fraction]")
    if bad_days := [k for k, v in data["deictic"].items() if isinstance(v, list) and (len(v) != 2 or v[0] > v[1])]:
        raise ValueError(f"deictic.{bad_days[0]}: expected an offset or [first, last] offsets, first <= last")
    if bad_holidays := [k for k, v in data["holidays"].items() if not _holiday_rule(v)]:
        raise ValueError(f"holidays.{bad_holidays[0]}: expected [month, day] or [month, weekday 0-6, n-th 1-5 or -1]")
    clauses = data["future_clauses"]
    weekend = expr["weekend"]
    if len(weekend["days"]) != 2 or not all(0 <= d <= 6 for d in weekend["days"]):
        raise ValueError("expressions.weekend.days: expected [first, last] weekdays, 0 (Monday) .. 6 (Sunday)")
    return TimeWords(
        months={str(k): int(v) for k, v in data["months"].items()},
        weekdays={str(k): int(v) for k, v in data["weekdays"].items()},
        holidays={str(k).lower(): tuple(int(x) for x in v) for k, v in data["holidays"].items()},
        deictic={str(k): _offsets(v) for k, v in data["deictic"].items()},
        units={str(k): float(v) for k, v in data["units"].items()},
        parts={str(k): (float(v[0]), float(v[1])) for k, v in data["parts"].items()},
        report_cues=_regexes(data["report_cues"]),
        report_after_cues=_regexes(data["report_after_cues"]),
        process_verbs=_lower(data["process_verbs"]),
        stamp_cues=_regexes(data["stamp_cues"]),
        future_cues=_regexes(data["future_cues"]),
        future_auxiliaries=_lower(clauses["auxiliaries"]),
        future_perfect=_lower(clauses["perfect"]),
        future_looking_back=_lower(clauses["looking_back"]),
        future_predicates={str(k).lower(): _lower(v) for k, v in clauses["predicates"].items()},
        genres=frozenset(str(g).lower() for g in data["genres"]),
        references=tuple(
            (re.compile(r["pattern"], re.IGNORECASE), date.fromisoformat(str(r["date"])))
            for r in data["reference_events"]
        ),
        window_days=int(data["inference"]["window_days"]),
        upcoming_days=int(data["inference"]["upcoming_days"]),
        numbers=numbers,
        duration_prepositions=_words(expr["durations"]["prepositions"]),
        duration_directions=_words(expr["durations"]["directions"]),
        duration_bare=_words(expr["durations"]["bare"]),
        shifts=_signs(expr["shifts"]),
        ago=_words(expr["ago"]),
        next_days=_signs(expr["next_day"]["directions"]),
        next_units=_words(expr["next_day"]["units"]),
        day_around=_signs(expr["day_around"]),
        around_cue=re.compile(
            rf"\b(?:the\s+)?(?:{'|'.join(map(re.escape, expr['next_day']['units']))})[-\s]+"
            rf"(?P<dir>{'|'.join(map(re.escape, expr['day_around']))})[-\s]+(?:the\s+)?$", re.IGNORECASE),
        weekday_modifiers=modes,
        day_parts=_words(expr["day_parts"]),
        month_modifiers=_signs(expr["month_modifiers"]),
        period_directions=_signs(expr["periods"]["directions"]),
        period_units=_words(expr["periods"]["units"]),
        weekend_word=str(expr["weekend"]["word"]).lower(),
        weekend_days=(int(weekend["days"][0]), int(weekend["days"][1])),
        weekend_openers=_words(expr["weekend"]["openers"]),
        bare_month_cues=_words(nots["bare_month_cues"]),
        year_cues=_words(nots["year_cues"]),
        not_a_day_after=_words(nots["not_a_day_after"]),
        not_a_year_after=_words(nots["not_a_year_after"]),
        not_a_year_before=_words(nots["not_a_year_before"]),
        not_a_holiday_before=_words(nots["not_a_holiday_before"]),
    )


def _holiday_rule(rule: list[int]) -> bool:
    """Whether a holiday's rule is [month, day] or [month, weekday, n-th] with values in range."""
    if len(rule) == 2:
        return 1 <= rule[0] <= 12 and 1 <= rule[1] <= 31
    return len(rule) == 3 and 1 <= rule[0] <= 12 and 0 <= rule[1] <= 6 and rule[2] in (1, 2, 3, 4, 5, -1)


def _words(values: list[Any]) -> tuple[str, ...]:
    """A list of words, in the file's order."""
    return tuple(str(v) for v in values)


def _offsets(value: int | list[int]) -> tuple[int, int]:
    """A deictic phrase's first and last day offsets from a single offset or a [first, last] pair."""
    return (int(value[0]), int(value[1])) if isinstance(value, list) else (int(value), int(value))


def _lower(values: list[Any]) -> frozenset[str]:
    """A set of lowercase words."""
    return frozenset(str(v).lower() for v in values)


def _signs(values: dict[str, Any]) -> dict[str, int]:
    """A word -> direction mapping, in the file's order."""
    return {str(k): int(v) for k, v in values.items()}


def _regexes(values: list[Any]) -> tuple[re.Pattern[str], ...]:
    """Cue regexes, matched case-insensitively."""
    return tuple(re.compile(str(p), re.IGNORECASE) for p in values)
