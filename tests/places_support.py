"""Shared helpers of the places stage's tests: a text -> resolved places runner and span lookups."""

from __future__ import annotations

from khabar import nlp, places
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document, PlaceMention


def analyse(pipeline: Pipeline, text: str) -> Analysis:
    """A parsed text with its places resolved by the session's gazetteer."""
    return places.resolve_places(nlp.parse(Analysis(Document("t", text)), pipeline.model), pipeline.gazetteer)


def parse(pipeline: Pipeline, text: str) -> Analysis:
    """A parsed text, places not yet resolved."""
    return nlp.parse(Analysis(Document("t", text)), pipeline.model)


def by_surface(analysis: Analysis) -> dict[str, PlaceMention]:
    """An analysis's place mentions by their surface text."""
    return {m.surface: m for m in analysis.places}


def span_of(text: str, name: str) -> tuple[int, int]:
    """Character offsets of the first occurrence of a name."""
    start = text.index(name)
    return start, start + len(name)
