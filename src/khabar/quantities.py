"""The quantities stage (placeholder until it lands)."""

from __future__ import annotations

from khabar.records import Analysis


def extract_quantities(analysis: Analysis) -> Analysis:
    """Extract tolls, counts, money and shares."""
    return analysis
