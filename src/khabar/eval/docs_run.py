"""khabar's output on the gold documents of a document-level run, shared by the scoring modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from khabar.eval.docs_gold import ActorMatcher
from khabar.records import Analysis, Document, Event


@dataclass(slots=True)
class SeedRun:
    """khabar's output on the gold documents, by file name."""

    documents: dict[str, Document]
    analyses: dict[str, Analysis]
    matcher: ActorMatcher
    files_by_id: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        """Index the gold file names by document id."""
        self.files_by_id = {d.doc_id: f for f, d in self.documents.items()}

    def events(self) -> list[Event]:
        """Every document-level event khabar found, in document order."""
        return [e for a in self.analyses.values() for e in a.events]

    def file_of(self, doc_id: str) -> str:
        """The gold file name of a document id."""
        return self.files_by_id.get(doc_id, "")
