"""The Dask engine: khabar's pipeline on a ``distributed`` cluster, local or remote.

Each worker holds one pipeline, built from the run's ``Settings`` by a worker plugin
(``PipelinePlugin``) when the plugin is registered or the worker starts, and built again by a
worker that restarts after a crash: the plugin travels to the scheduler, which hands it to every
worker that joins. Tasks find the pipeline through ``get_worker()`` and never load models
themselves. Workers should run one thread each (``dask worker ADDRESS --nthreads 1``): spaCy holds
the GIL, so more threads only share one core.

Failures: one document that crashes a stage becomes a ``Failure`` inside its batch (the pipeline
isolates it), as in every engine. A worker that dies (killed, out of memory) loses its running
batch; the scheduler runs the batch again on another worker, and because a batch's parts are named
by its documents the retry replaces any part the dead worker renamed into place. A batch that kills
``distributed.scheduler.allowed-failures`` workers is given up and reported; the next run does it.

Two entry points: ``dask_engine`` (``khabar run --engine dask``: workers analyse batches and write
their Parquet parts) and ``DaskExecutor`` (the ``executors`` interface: analyses come back to the
caller in input order, registered as the ``dask`` executor).
"""

from __future__ import annotations

import gc
import logging
import resource
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships with scikit-learn

from khabar import corpus
from khabar.errors import KhabarError
from khabar.executors import READ_AHEAD, Packed, pack, unpack
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document
from khabar.scale.manifest import BatchRecord
from khabar.scale.parts import Batch, write_batch
from khabar.scale.run import EngineOptions, LostBatch, worker_name
from khabar.settings import Settings

PLUGIN = "khabar-pipeline"
RETRIES = 2  # a task that raises (not a worker that dies) is tried this many more times


class PipelinePlugin(WorkerPlugin):
    """Builds the worker's pipeline from the run's settings when the worker starts (or restarts)."""

    name = PLUGIN

    def __init__(self, settings: Settings) -> None:
        """Remember the settings; the pipeline is built on the worker."""
        self.settings = settings
        self.pipeline: Pipeline | None = None

    def setup(self, worker: Any) -> None:
        """Load every model and table once, for all the tasks this worker will run."""
        threadpool_limits(1)  # one worker per core: BLAS/OpenMP threads would only fight the other workers
        self.pipeline = Pipeline(self.settings).warm()
        gc.freeze()  # the loaded models live as long as the worker: keep them out of GC scans


def worker_pipeline() -> Pipeline:
    """The pipeline of the worker this task runs on."""
    plugin = get_worker().plugins.get(PLUGIN)
    if not isinstance(plugin, PipelinePlugin) or plugin.pipeline is None:
        raise KhabarError("this Dask worker has no khabar pipeline: start work through khabar's dask engine, "
                          "which registers it")
    return plugin.pipeline


@contextmanager
def connected(settings: Settings, workers: int = 1, scheduler: str | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster of ``workers`` processes."""
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # the scheduler's HTTP endpoints start even without a dashboard: a free port lets clusters run side by side
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        client.register_plugin(PipelinePlugin(settings), name=PLUGIN)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def dask_engine(options: EngineOptions) -> Iterator[DaskEngine]:
    """The Dask engine for a run, with its cluster up while the block runs."""
    with connected(options.settings, options.workers, options.scheduler) as client:
        yield DaskEngine(client, options.out.resolve())


@dataclass(slots=True)
class DaskEngine:
    """Batches analysed and written by Dask workers; each batch's record comes back as it finishes."""

    client: Client
    out: Path

    def process(self, batches: Iterable[Batch]) -> Iterator[BatchRecord | LostBatch]:
        """Records (or losses) of the batches, in the order they finish."""
        running = as_completed(loop=self.client.loop)
        sizes: dict[str, int] = {}
        limit = READ_AHEAD * max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
        for batch in batches:
            sizes[batch.key] = len(batch.documents)
            running.add(self.client.submit(_run_batch, batch, str(self.out), key=f"khabar-batch-{batch.key}",
                                           retries=RETRIES))
            while running.count() >= limit:
                yield _outcome(next(running), sizes)
        for future in running:
            yield _outcome(future, sizes)

    def peaks(self) -> dict[str, float]:
        """Peak resident memory of each worker process, in MB."""
        return {str(k): float(v) for k, v in self.client.run(peak_rss_mb).items()}


def _outcome(future: Future[Any], sizes: dict[str, int]) -> BatchRecord | LostBatch:
    """A finished batch's record, or its loss when the cluster gave it up."""
    key = str(future.key).removeprefix("khabar-batch-")
    try:
        record: BatchRecord = future.result()
    except Exception as exc:  # the remote error or a KilledWorker: either way the batch stays unrecorded
        return LostBatch(key, sizes.get(key, 0), f"{type(exc).__name__}: {exc}")
    finally:
        future.release()
    return record


def _run_batch(batch: Batch, out: str) -> BatchRecord:
    """Analyse one batch on this worker and write its parts."""
    pipeline = worker_pipeline()
    results = list(pipeline.analyse_many(batch.documents))
    return write_batch(Path(out), batch.key, results, partial(corpus.actor_rows, pipeline=pipeline), worker_name())


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(slots=True)
class DaskExecutor:
    """The executor interface on Dask: analyses come back to the caller, in input order."""

    settings: Settings
    workers: int = 1
    scheduler: str | None = None

    def run(self, documents: Iterable[Document]) -> Iterator[Analysis | Failure]:
        """Analyses (or Failures) for the documents, in input order."""
        with connected(self.settings, self.workers, self.scheduler) as client:
            pending: deque[Future[Any]] = deque()
            for chunk in _chunks(documents, max(1, self.settings.batch_size)):
                pending.append(client.submit(_analyse_chunk, chunk, pure=False, retries=RETRIES))
                while len(pending) > READ_AHEAD * self.workers:
                    yield from _unpacked(pending.popleft())
            while pending:
                yield from _unpacked(pending.popleft())


def dask_executor(pipeline: Pipeline, processes: int) -> DaskExecutor:
    """A Dask executor on a local cluster of ``processes`` workers, built from the pipeline's settings."""
    return DaskExecutor(pipeline.settings, max(1, processes))


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Documents in lists of ``size``."""
    chunk: list[Document] = []
    for document in documents:
        chunk.append(document)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unpacked(future: Future[Any]) -> Iterator[Analysis | Failure]:
    """A chunk's results as analyses (or failures)."""
    results: list[Packed | Failure] = future.result()
    future.release()
    return (unpack(r) if isinstance(r, Packed) else r for r in results)


def _analyse_chunk(chunk: list[Document]) -> list[Packed | Failure]:
    """Analyse one chunk on this worker, packed to travel back fast."""
    return [pack(r) if isinstance(r, Analysis) else r for r in worker_pipeline().analyse_many(chunk)]
