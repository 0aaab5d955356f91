"""``khabar merge DIR``: a run's Parquet parts into a store, then its events merged into incidents.

Batches load in manifest order, each in one transaction; a document the store holds already is
left out, so loading the same directory twice (or a directory that grew since) adds only what is
new. The merge is the store's own (``corpus.merge``: near-duplicate groups, then the blocked,
incremental merge), so a run merged here and the same articles ingested give the same incidents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from khabar import corpus
from khabar.scale.manifest import BatchRecord, Manifest
from khabar.scale.parts import read_batch
from khabar.store import Store


@dataclass(slots=True)
class LoadReport:
    """What loading a run did."""

    batches: int = 0
    stored: int = 0
    present: int = 0
    failures: int = 0
    incidents_written: int = 0


def load_run(out: Path, store: Store, on_batch: Callable[[BatchRecord], None] | None = None) -> LoadReport:
    """Store the documents of every recorded batch that the store does not hold yet."""
    report = LoadReport()
    for record in Manifest.read(out).batches:
        analyses, actors = read_batch(out, record)
        fresh = [a for a in analyses if not store.has_document(a.document.doc_id)]
        store.save_analyses(fresh, actors)
        report.batches += 1
        report.stored += len(fresh)
        report.present += len(analyses) - len(fresh)
        report.failures += len(record.failures)
        if on_batch is not None:
            on_batch(record)
    return report


def merge_run(out: Path, store: Store) -> LoadReport:
    """Load a run's batches into the store, then merge the new events into incidents."""
    report = load_run(out, store)
    report.incidents_written = corpus.merge(store)
    return report
