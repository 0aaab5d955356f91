"""The places stage (placeholder until the geoparser lands)."""

from __future__ import annotations

from pathlib import Path

from khabar.records import Analysis


class Gazetteer:
    """The gazetteer."""


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """Load the packaged gazetteer, extended by a user file."""
    return Gazetteer()


def resolve_places(analysis: Analysis, gazetteer: Gazetteer) -> Analysis:
    """Find and resolve place mentions."""
    return analysis
