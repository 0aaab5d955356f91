"""The events stage (placeholder until it lands)."""

from __future__ import annotations

from khabar.actors import Registry
from khabar.records import Analysis


def extract_events(analysis: Analysis, registry: Registry) -> Analysis:
    """Detect and code events."""
    return analysis
