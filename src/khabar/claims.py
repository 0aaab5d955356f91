"""The claims stage (placeholder until it lands)."""

from __future__ import annotations

from khabar.actors import Registry
from khabar.records import Analysis


def extract_claims(analysis: Analysis, registry: Registry) -> Analysis:
    """Extract claims and relations."""
    return analysis
