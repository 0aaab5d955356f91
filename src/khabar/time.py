"""The time stage (placeholder until temporal resolution lands)."""

from __future__ import annotations

from khabar.records import Analysis


def resolve_times(analysis: Analysis) -> Analysis:
    """Resolve temporal expressions and the publication date."""
    return analysis
