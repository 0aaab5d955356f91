"""``khabar run``: articles in, Parquet parts and a manifest out, on a local or a Dask engine.

The calling process reads the inputs, leaves out documents the manifest records as done (and
repeats within the inputs), and cuts the rest into batches. An engine analyses each batch with a
pipeline loaded once per worker and writes its parts; the calling process then records the batch in
the manifest. Engines are looked up by name:

``local``
    This machine's executor (``executors.executor_for``: in-process, or a pool of ``workers``
    processes); the calling process writes the parts.
``dask``
    A Dask cluster (``cluster.py``): a ``distributed.LocalCluster`` of ``workers`` processes, or the
    scheduler at ``scheduler``. Workers write the parts themselves, so ``out`` must be a path every
    worker can reach.

A batch the engine could not finish (its worker died too often) is reported and left unrecorded, so
the next run over the same inputs does it.
"""

from __future__ import annotations

import itertools
import logging
import os
import resource
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from khabar import corpus, ingest
from khabar.errors import ConfigError, InputError
from khabar.executors import executor_for
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document
from khabar.scale import require_cluster
from khabar.scale.inputs import read_inputs
from khabar.scale.manifest import BatchRecord, Manifest, remove_leftovers
from khabar.scale.parts import Batch, batch_key, write_batch
from khabar.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BATCH = 256


@dataclass(slots=True, frozen=True)
class LostBatch:
    """A batch an engine could not finish; nothing of it is recorded, so the next run does it again."""

    key: str
    size: int
    message: str


@dataclass(slots=True, frozen=True)
class EngineOptions:
    """What every engine is built from."""

    out: Path
    settings: Settings
    workers: int = 1
    scheduler: str | None = None


class Engine(Protocol):
    """Analyses batches and writes their parts, yielding each batch's record (in any order) as it finishes."""

    def process(self, batches: Iterable[Batch]) -> Iterator[BatchRecord | LostBatch]:
        """Records (or losses) of the batches, as they finish."""
        ...

    def peaks(self) -> dict[str, float]:
        """Peak resident memory of each worker so far, in MB."""
        ...


@dataclass(slots=True)
class RunReport:
    """What a run did."""

    written: int = 0
    failed: int = 0
    skipped: int = 0
    repeated: int = 0
    batches: int = 0
    leftovers: int = 0
    errors: list[str] = field(default_factory=list)
    lost: list[LostBatch] = field(default_factory=list)
    ready_seconds: float = 0.0
    seconds: float = 0.0
    worker_peak_mb: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every batch was finished and at least something was (or had been) done."""
        return not self.lost and (self.written + self.failed + self.skipped > 0 or not self.errors)

    def add(self, record: BatchRecord) -> None:
        """Count a finished batch."""
        self.batches += 1
        self.written += len(record.documents)
        self.failed += len(record.failures)


def run(inputs: Iterable[Path], out: Path, settings: Settings, engine: str = "local", *, workers: int = 1,
        scheduler: str | None = None, batch_size: int = DEFAULT_BATCH,
        on_batch: Callable[[BatchRecord | LostBatch], None] | None = None) -> RunReport:
    """Analyse the articles not done yet into Parquet parts under ``out``, recording each batch as it finishes."""
    started = time.perf_counter()
    manifest = Manifest.open(out)
    report = RunReport(leftovers=len(remove_leftovers(manifest)))
    documents = read_inputs(inputs, ingest.Limits.from_settings(settings))
    batches = batches_of(_fresh(documents, manifest.done(), report), batch_size)
    first = next(batches, None)
    if first is not None:
        with open_engine(engine, EngineOptions(out, settings, workers, scheduler)) as running:
            report.ready_seconds = time.perf_counter() - started
            for outcome in running.process(itertools.chain([first], batches)):
                if isinstance(outcome, LostBatch):
                    log.error("batch %s (%d documents) not finished: %s", outcome.key, outcome.size, outcome.message)
                    report.lost.append(outcome)
                else:
                    manifest.record(outcome)
                    report.add(outcome)
                if on_batch is not None:
                    on_batch(outcome)
            report.worker_peak_mb = running.peaks()
    report.seconds = time.perf_counter() - started
    return report


def _fresh(items: Iterable[Document | InputError], done: set[str], report: RunReport) -> Iterator[Document]:
    """Documents neither done in an earlier run nor seen before in this one; input errors are logged."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            log.error("%s", item)
            report.errors.append(str(item))
        elif item.doc_id in done:
            report.skipped += 1
        elif item.doc_id in seen:
            report.repeated += 1
        else:
            seen.add(item.doc_id)
            yield item


def batches_of(documents: Iterable[Document], size: int) -> Iterator[Batch]:
    """Documents cut into batches of ``size``, each keyed by its documents' ids."""
    iterator = iter(documents)
    while chunk := tuple(itertools.islice(iterator, max(1, size))):
        yield Batch(batch_key(d.doc_id for d in chunk), chunk)


def open_engine(name: str, options: EngineOptions) -> AbstractContextManager[Engine]:
    """The engine registered under ``name``, started (and stopped when the block ends)."""
    engines: dict[str, Callable[[EngineOptions], AbstractContextManager[Engine]]] = {
        "local": local_engine, "dask": _dask_engine}
    if name not in engines:
        raise ConfigError(f"unknown engine {name!r}; known engines: {', '.join(sorted(engines))}")
    return engines[name](options)


def _dask_engine(options: EngineOptions) -> AbstractContextManager[Engine]:
    """The Dask engine, imported only now (Dask is an optional extra)."""
    engine: AbstractContextManager[Engine] = require_cluster().dask_engine(options)
    return engine


@contextmanager
def local_engine(options: EngineOptions) -> Iterator[Engine]:
    """An engine on this machine's executor: one process, or a pool of ``options.workers``."""
    yield LocalEngine(Pipeline(options.settings), options.out, options.workers)


@dataclass(slots=True)
class LocalEngine:
    """Batches analysed by this machine's executor, in order; the calling process writes their parts."""

    pipeline: Pipeline
    out: Path
    workers: int

    def process(self, batches: Iterable[Batch]) -> Iterator[BatchRecord | LostBatch]:
        """Records of the batches, in input order."""
        queued: deque[Batch] = deque()

        def documents() -> Iterator[Document]:
            """Every batch's documents, remembering the batches read so far."""
            for batch in batches:
                queued.append(batch)
                yield from batch.documents

        results: list[Analysis | Failure] = []
        rows = partial(corpus.actor_rows, pipeline=self.pipeline)
        for result in executor_for(self.pipeline, self.workers).run(documents()):
            results.append(result)
            if len(results) == len(queued[0].documents):
                yield write_batch(self.out, queued.popleft().key, results, rows, worker_name())
                results = []

    def peaks(self) -> dict[str, float]:
        """Peak memory of this process (and of its pool's workers, the largest of them), in MB."""
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pool = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"local": own, **({"largest pool worker": pool} if pool else {})}


def worker_name() -> str:
    """The name the manifest gives this process: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"
