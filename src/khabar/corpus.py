"""Corpus runs: read files, analyse new documents, store them, then merge their events into incidents.

This is the library behind ``khabar ingest`` and ``khabar merge``. Documents are analysed by the
executor the settings ask for (``--processes N``: a local pool of N workers). Each document is
stored in its own transaction as soon as its analysis comes back; at the end, near-duplicate
copies are grouped and the new events are merged incrementally (only the incidents they touch are
rewritten), so an interrupted run loses at most the documents not yet stored, and the next run
merges whatever was stored but not merged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from khabar.errors import InputError
from khabar.executors import executor_for
from khabar.ingest import read_paths
from khabar.merge import edits, incremental, neardup
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document
from khabar.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """What an ingest run did."""

    stored: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    incidents: int = 0
    words: int = 0
    seconds_by_stage: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether anything could be ingested (or was already there)."""
        return self.stored + self.unchanged > 0 or not self.errors


def ingest(
    paths: Iterable[Path],
    store: Store,
    pipeline: Pipeline,
    on_document: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and directories into the store, then merge incidents across documents."""
    report = IngestReport()
    fresh = _new_documents(paths, store, pipeline.settings.max_bytes, report)
    for result in executor_for(pipeline).run(fresh):
        if isinstance(result, Failure):
            _fail(store, report, result.document.path, f"analysis failed in stage {result.stage}: {result.message}")
        else:
            store.save_analysis(result, actor_rows(result, pipeline))
            _count(report, result)
        if on_document is not None:
            on_document(result.document.path)
    merge(store)
    report.incidents = store.incident_count()
    return report


def _new_documents(paths: Iterable[Path], store: Store, max_bytes: int, report: IngestReport) -> Iterator[Document]:
    """Documents not stored yet; errors are logged and recorded, duplicates counted."""
    seen: set[str] = set()
    for item in read_paths(paths, max_bytes, name_skipped=True):
        if isinstance(item, InputError):
            _fail(store, report, item.path, str(item))
        elif item.doc_id in seen or store.has_document(item.doc_id):
            report.unchanged += 1
        else:
            seen.add(item.doc_id)
            yield item


def _fail(store: Store, report: IngestReport, path: str, message: str) -> None:
    """Log a problem with one file, remember it in the store and in the report."""
    log.error("%s", message)
    report.errors.append(message)
    store.record_error(path, message)


def _count(report: IngestReport, analysis: Analysis) -> None:
    """Add one stored document's size and stage times to the report."""
    report.stored += 1
    report.words += len(analysis.document.text.split())
    for timing in analysis.timings:
        report.seconds_by_stage[timing.stage] = report.seconds_by_stage.get(timing.stage, 0.0) + timing.seconds


def merge(store: Store, rebuild: bool = False) -> int:
    """Group new near-duplicate copies, then merge events not merged yet (or all of them again, to rebuild).

    Users' curation edits apply either way. Returns the number of incidents written.
    """
    regrouped = neardup.group_copies(store)
    constraints = edits.constraints_of(store.edits())
    if rebuild:
        return incremental.rebuild(store, constraints)
    return incremental.merge_pending(store, constraints, regrouped)


def actor_rows(analysis: Analysis, pipeline: Pipeline) -> list[tuple[str, str, str, str, str, int]]:
    """Rows for the actors table: every actor mentioned or coded in a document."""
    ids = {m.actor_id for m in analysis.actors}
    ids |= {x for e in analysis.events for x in (e.actor1, e.actor2, e.claimed_by, e.attributed_by) if x}
    day = analysis.document.published
    rows = []
    names = {m.actor_id: (m.name, m.type) for m in analysis.actors}
    for actor_id in sorted(ids):
        actor = pipeline.registry.get(actor_id)
        if actor is not None:
            rows.append((actor_id, actor.name, actor.type, actor.country, pipeline.registry.acled_name(actor_id, day),
                         int(actor.provisional)))
        else:
            name, kind = names.get(actor_id, (actor_id.split(":", 1)[-1].replace("-", " ").title(), "unidentified"))
            rows.append((actor_id, name, kind, "", "", 1))
    return rows
