"""Corpus runs: read files, analyse new documents, store them, then merge their events into incidents.

This is the library behind ``khabar ingest`` and ``khabar merge``. Documents are analysed by the
executor the settings ask for (``--processes N``: a local pool of N workers). Each document is
stored in its own transaction as soon as its analysis comes back; at the end, near-duplicate
copies are grouped and the new events are merged incrementally (only the incidents they touch are
rewritten), so an interrupted run loses at most the documents not yet stored, and the next run
merges whatever was stored but not merged.

Several ingests may run on one store at once: a document another run stored meanwhile counts as
unchanged (the store checks inside its write transaction), and merging, which spans many
transactions, runs under the store's lock, one process at a time. Whatever goes wrong with one
input (reading, analysing or storing it) is one error naming it; the run goes on.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from khabar.errors import InputError
from khabar.executors import executor_for
from khabar.ingest import Limits, contained, read_paths
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
    *,
    merge_after: bool = True,
) -> IngestReport:
    """Ingest files and directories into the store, then merge incidents across documents."""
    items = read_paths(paths, name_skipped=True, limits=Limits.from_settings(pipeline.settings))
    return ingest_items(items, store, pipeline, on_document, merge_after=merge_after)


def ingest_items(
    items: Iterable[Document | InputError],
    store: Store,
    pipeline: Pipeline,
    on_document: Callable[[str], None] | None = None,
    *,
    merge_after: bool = True,
) -> IngestReport:
    """Ingest documents read by any reader (files, URLs, feeds), recording the errors given in their place."""
    report = IngestReport()
    fresh = _new_documents(items, store, report)
    for result in executor_for(pipeline).run(fresh):
        if isinstance(result, Failure):
            _fail(store, report, result.document.path, f"{result.document.path}: analysis failed in stage "
                  f"{result.stage} ({result.message}); this is a khabar bug: please report it with the file")
        else:
            _keep(store, report, _capped(result, pipeline.settings.max_events), pipeline)
        if on_document is not None:
            on_document(result.document.path)
    if merge_after:
        merge(store)
    report.incidents = store.incident_count()
    return report


def _new_documents(items: Iterable[Document | InputError], store: Store, report: IngestReport) -> Iterator[Document]:
    """Documents not stored yet; errors are logged and recorded, duplicates counted."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            _fail(store, report, item.path, str(item))
        elif item.doc_id in seen or store.has_document(item.doc_id):
            report.unchanged += 1
        else:
            seen.add(item.doc_id)
            yield item


def _keep(store: Store, report: IngestReport, analysis: Analysis, pipeline: Pipeline) -> None:
    """Store one analysis, unless another run stored the same document first; a failure is that input's error."""
    path = analysis.document.path
    try:
        stored = store.save_analysis(analysis, actor_rows(analysis, pipeline))
    except sqlite3.OperationalError:
        raise
    except Exception as error:  # one document's failure must never stop the batch
        log.debug("%s: storing failed", path, exc_info=True)
        _fail(store, report, path, str(contained(path, error)))
        return
    if stored:
        _count(report, analysis)
    else:
        report.unchanged += 1


def _capped(analysis: Analysis, max_events: int) -> Analysis:
    """The analysis with at most ``max_events`` events, the first in the text; a cut is logged."""
    if len(analysis.events) <= max_events:
        return analysis
    log.warning("%s: %d events found, kept the first %d (raise KHABAR_MAX_EVENTS to keep more)",
                analysis.document.path, len(analysis.events), max_events)
    return replace(analysis, events=analysis.events[:max_events])


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

    Users' curation edits apply either way. Returns the number of incidents written. One process
    at a time merges a store (others wait for its lock).
    """
    with store.exclusive():
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
