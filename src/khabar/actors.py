"""The actors stage (placeholder until the registry and resolver land)."""

from __future__ import annotations

from pathlib import Path

from khabar.records import Actor, Analysis


class Registry:
    """The actor registry."""

    def __init__(self, actors: dict[str, Actor]) -> None:
        """Hold actors by id."""
        self.actors = actors

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, if any."""
        return self.actors.get(actor_id)


def load_registry(extra: Path | None = None) -> Registry:
    """Load the packaged registry, extended by a user file."""
    return Registry({})


def resolve_actors(analysis: Analysis, registry: Registry) -> Analysis:
    """Resolve actor mentions."""
    return analysis
