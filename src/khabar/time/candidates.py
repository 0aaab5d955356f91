"""Candidate temporal expressions in a text: every non-overlapping match of the expression patterns.

Dateparser's free search reads "SA" and "we" as weekdays and "80% of" as 1980, so khabar finds expressions
with its own patterns and drops matches that are numbers, amounts or verbs rather than dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from khabar.time.patterns import A_YEAR, ExpressionPatterns

# The non-ASCII characters a case-insensitive pattern takes for an ASCII letter ("İ", "ı", "ſ", "K"); the
# tests check this against the regex engine over the Basic Multilingual Plane (no character above it has an
# ASCII case partner).
ASCII_FOLDS = "\u0130\u0131\u017f\u212a"
_FOLDS = re.compile(f"[{ASCII_FOLDS}]")
_WORD = re.compile(r"\w+")
_AFTER_COUNT = re.compile(r"\s+[a-z]+s\b")  # "2011 soldiers": a count of plural things


@dataclass(slots=True, frozen=True)
class Candidate:
    """A candidate temporal expression before it is resolved: its offsets, pattern kind and named groups."""

    start: int
    end: int
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


def find_candidates(text: str, patterns: ExpressionPatterns) -> list[Candidate]:
    """Every non-overlapping candidate expression in a text, in text order (an earlier pattern wins an overlap)."""
    taken: list[tuple[int, int]] = []
    found: list[Candidate] = []
    present = words_present(text)
    for kind, pattern in patterns.expressions:
        if present is not None and any(not group & present for group in patterns.gates.get(kind, ())):
            continue
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(span[0] < e and s < span[1] for s, e in taken) or not plausible(kind, match, text, patterns):
                continue
            taken.append(span)
            found.append(Candidate(span[0], span[1], kind, {k: v for k, v in match.groupdict().items() if v}))
    return sorted(found, key=lambda r: r.start)


def words_present(text: str) -> frozenset[str] | None:
    """The lowercased words of a text; None when a non-ASCII letter in it matches an ASCII one case-insensitively.

    The patterns read words case-insensitively, so a word set only rules a pattern out when no such letter
    could stand in for an ASCII one.
    """
    if not text.isascii() and _FOLDS.search(text):
        return None
    words = set(_WORD.findall(text.lower()))
    if any(len(w) == 4 and w[:2] in {"19", "20"} and w.isdigit() for w in words):
        words.add(A_YEAR)
    return frozenset(words)


def plausible(kind: str, match: re.Match[str], text: str, patterns: ExpressionPatterns) -> bool:
    """False for matches that are numbers or verbs rather than dates."""
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 12]
    if kind == "year":
        return _plausible_year(before, after, bool(match.group("mod")), patterns)
    if kind == "month" and not match.group("y") and not match.group("mod"):
        return bool(patterns.before_bare_month.search(before))
    if kind == "holiday":
        return not patterns.holiday_thing.match(text, match.end())
    if kind in {"dmy", "mdy"}:
        return int(match.group("d")) <= 31 and not patterns.after_day.match(after)
    return True


def _plausible_year(before: str, after: str, modified: bool, patterns: ExpressionPatterns) -> bool:
    """A four-digit number reads as a year, not a count, amount or share."""
    if patterns.before_amount.search(before) or patterns.after_amount.match(after):
        return False
    if modified or patterns.before_year.search(before):
        return True
    return not _AFTER_COUNT.match(after)
