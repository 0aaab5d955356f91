"""Shared fixtures: paths to ../shared and a session-wide pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from khabar.pipeline import Pipeline
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
