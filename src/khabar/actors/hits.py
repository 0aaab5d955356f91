"""The resolver's per-document working state: the tokens' normalised forms and the hits found so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from khabar.actors.normalise import normalise
from khabar.actors.registry import Registry
from khabar.records import Analysis


@dataclass(slots=True, frozen=True)
class Hit:
    """A working match: a token span and the actor candidates it may refer to."""

    start: int
    end: int
    candidates: tuple[str, ...]
    kind: str
    confidence: float = 1.0
    role: str = ""
    affiliation: str = ""
    surface: str = ""

    @property
    def actor_id(self) -> str:
        """The chosen actor."""
        return self.candidates[0]


@dataclass(slots=True)
class DocState:
    """A document's tokens with normalised forms and what has been matched so far (one per document)."""

    analysis: Analysis
    registry: Registry
    day: date | None
    norms: list[str]
    sentence_start: list[int]
    taken: list[bool]
    local: dict[str, str] = field(default_factory=dict)  # acronyms the document defines -> actor id

    def text(self, start: int, end: int) -> str:
        """The text of a token span."""
        tokens = self.analysis.tokens
        return self.analysis.document.text[tokens[start].start : tokens[end - 1].end]

    def free(self, start: int, end: int) -> bool:
        """Whether no token of a span is matched yet."""
        return not any(self.taken[start:end])

    def take(self, hit: Hit) -> Hit:
        """Mark a hit's tokens as matched and return it."""
        for i in range(hit.start, hit.end):
            self.taken[i] = True
        return hit

    def is_person(self, hit: Hit) -> bool:
        """Whether a hit is a person (registered or provisional)."""
        actor = self.registry.get(hit.actor_id)
        return hit.kind == "provisional" or (actor is not None and actor.type == "person")


def new_doc(analysis: Analysis, registry: Registry) -> DocState:
    """Prepare the per-document working state."""
    document = analysis.document
    day = document.published or (document.published_window[0] if document.published_window else None)
    first: dict[int, int] = {}
    for token in analysis.tokens:
        first.setdefault(token.sentence, token.i)
    return DocState(
        analysis=analysis,
        registry=registry,
        day=day,
        norms=[normalise(t.text) for t in analysis.tokens],
        sentence_start=[first[t.sentence] for t in analysis.tokens],
        taken=[False] * len(analysis.tokens),
    )
