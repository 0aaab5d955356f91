"""Shared fixtures: paths to ../shared and a session-wide pipeline."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from khabar import quantities
from khabar import time as timex
from khabar.nlp import parse
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KHABAR_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples" / "corpus"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """One pipeline for the whole test session (the spaCy model loads once)."""
    return Pipeline(Settings(processes=1))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared fixtures directory, read in place."""
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.fail(f"{SHARED} is missing: golden tests need ../shared beside the repo (or KHABAR_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def quantities_analyse(pipeline: Pipeline) -> Callable[[str], Analysis]:
    """Parse a text with the session's spaCy model, then run the time and quantities stages."""
    lexicon = quantities.load_lexicon()
    times, reader = timex.load_lexicon(lexicon.words), timex.load_date_reader()

    def run(text: str) -> Analysis:
        document = Document("q", text, published=date(2021, 10, 22), published_source="metadata")
        timed = timex.resolve_times(parse(Analysis(document), pipeline.model), lexicon=times, reader=reader)
        return quantities.extract_quantities(timed, lexicon=lexicon)

    return run
