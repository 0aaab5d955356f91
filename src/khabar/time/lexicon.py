"""The time stage's resources: the lexicon with its compiled patterns, and dateparser's strict date reader.

Both load once (the pipeline builds them with its stages) and are passed to the functions that read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from khabar import quantities
from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError
from khabar.quantities import NumberWords
from khabar.time.patterns import ExpressionPatterns, build_patterns
from khabar.time.words import SCHEMA, SOURCE, TimeWords, read_words


@dataclass(slots=True, frozen=True)
class TimeLexicon:
    """The time lexicon's words and the patterns built from them."""

    words: TimeWords
    patterns: ExpressionPatterns


def load_lexicon(numbers: NumberWords | None = None) -> TimeLexicon:
    """The packaged time lexicon, validated, with its patterns compiled.

    ``numbers`` are the quantities lexicon's number words ("three days later"); read from it when not given.
    """
    data = read_packaged_yaml(*SOURCE, schema=SCHEMA)
    try:
        words = read_words(data, numbers or quantities.load_lexicon().words)
        return TimeLexicon(words, build_patterns(words))
    except (ValueError, re.error) as exc:
        raise DataError(f"{'/'.join(SOURCE)}: invalid time lexicon ({exc}); see the schema at the top of the file") \
            from exc


@dataclass(slots=True, frozen=True)
class DateReader:
    """Dateparser's strict reader of full dates (day, month and year); build it with ``load_date_reader``."""

    parse: Callable[..., Any]

    def full_date(self, text: str) -> datetime | None:
        """The full date a text states, else None."""
        settings = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
        parsed: datetime | None = self.parse(text, languages=["en"], settings=settings)
        return parsed


def load_date_reader() -> DateReader:
    """Dateparser's strict reader, imported and warmed.

    Its first parse builds dateparser's time-zone and English tables (half a second): a pipeline builds the
    reader once with its stages, so warming it pays that before the pipeline forks its workers.
    """
    import dateparser  # noqa: PLC0415 - dateparser is slow to import; only pay it when the time stage runs

    reader = DateReader(dateparser.parse)
    reader.full_date("1 January 2000")
    return reader
