"""Executors: one interface that runs the pipeline over many documents, in order.

An executor takes documents and yields, in input order, one ``Analysis`` (or ``Failure``) per
document. Two are built in, registered by name the way output formats are:

``local``
    Everything in the calling process; spaCy parses in batches.
``pool``
    A pool of worker processes on this machine. On Linux, workers are forked from the calling
    process after it has loaded the pipeline (models, registry, gazetteer), as spaCy's own
    ``nlp.pipe(n_process=...)`` does: they start at once and share the loaded tables
    copy-on-write. Elsewhere (macOS, Windows, where forking a process that holds threads is unsafe
    or impossible) they are spawned and each loads its own pipeline. Documents travel in chunks;
    tokens travel back column-wise (``Packed``): pickling tens of thousands of small records one
    by one costs the parent process more than the stages it waits for.

``dask``
    A Dask cluster (``khabar.scale.cluster.DaskExecutor``): here a ``distributed.LocalCluster`` of
    ``processes`` workers, each holding a pipeline built from the settings. Needs the optional
    extra (``pip install 'khabar[dask]'``); Dask is imported only when this executor is asked for.

``executor_for(settings)`` picks ``pool`` when more than one process is asked for. Other executors
are passed to ``executor_named`` in ``extra``.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import Any, Protocol

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships with scikit-learn

from khabar.errors import ConfigError, KhabarError
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document, Token
from khabar.settings import Settings

READ_AHEAD = 3  # chunks in flight per worker: enough to keep every worker busy
_TOKEN_FIELDS = tuple(f.name for f in fields(Token))
_token_row = attrgetter(*_TOKEN_FIELDS)


class Executor(Protocol):
    """Runs the pipeline over documents, yielding one result per document in input order."""

    def run(self, documents: Iterable[Document]) -> Iterator[Analysis | Failure]:
        """Analyses (or Failures) for the documents, in input order."""
        ...


@dataclass(slots=True)
class LocalExecutor:
    """Every document in the calling process."""

    pipeline: Pipeline

    def run(self, documents: Iterable[Document]) -> Iterator[Analysis | Failure]:
        """Analyses (or Failures) for the documents, in input order."""
        yield from self.pipeline.analyse_many(documents)


@dataclass(slots=True)
class PoolExecutor:
    """Documents in chunks over a pool of local worker processes, each holding a loaded pipeline."""

    pipeline: Pipeline
    processes: int

    def run(self, documents: Iterable[Document]) -> Iterator[Analysis | Failure]:
        """Analyses (or Failures) for the documents, in input order."""
        if self.processes <= 1:
            yield from self.pipeline.analyse_many(documents)
            return
        pending: deque[Any] = deque()
        with _pool(self.pipeline, self.processes) as pool:
            # chunks are read here, in the calling thread (the documents may come from a store that
            # belongs to it), with a bounded read-ahead so memory stays flat on any input size
            for chunk in _chunks(documents, max(1, self.pipeline.settings.batch_size)):
                pending.append(pool.apply_async(_analyse_chunk, (chunk,)))
                while len(pending) > READ_AHEAD * self.processes:
                    yield from _unpacked(pending.popleft().get())
            while pending:
                yield from _unpacked(pending.popleft().get())


ExecutorFactory = Callable[[Pipeline, int], Executor]


def _local(pipeline: Pipeline, processes: int) -> Executor:
    """The in-process executor (``processes`` is ignored)."""
    return LocalExecutor(pipeline)


def _pooled(pipeline: Pipeline, processes: int) -> Executor:
    """The local process-pool executor."""
    return PoolExecutor(pipeline, processes)


def _distributed(pipeline: Pipeline, processes: int) -> Executor:
    """The Dask executor on a local cluster of ``processes`` workers (Dask is imported only now)."""
    from khabar.scale import require_cluster  # noqa: PLC0415 - the optional extra loads only when asked for

    executor: Executor = require_cluster().dask_executor(pipeline, processes)
    return executor


def builtin_executors() -> dict[str, ExecutorFactory]:
    """The executors khabar ships, by name."""
    return {"local": _local, "pool": _pooled, "dask": _distributed}


def executor_named(name: str, pipeline: Pipeline, processes: int,
                   extra: dict[str, ExecutorFactory] | None = None) -> Executor:
    """The executor registered under ``name`` (built-in or given in ``extra``)."""
    known = {**builtin_executors(), **(extra or {})}
    if name not in known:
        raise ConfigError(f"unknown executor {name!r}; known executors: {', '.join(sorted(known))}")
    return known[name](pipeline, processes)


def executor_for(pipeline: Pipeline, processes: int | None = None) -> Executor:
    """The pool executor when more than one process is asked for (default: the settings), else local."""
    count = pipeline.settings.worker_count() if processes is None else processes
    return executor_named("pool" if count > 1 else "local", pipeline, count)


def analyse_parallel(
    documents: Iterable[Document], settings: Settings, processes: int, pipeline: Pipeline | None = None
) -> Iterator[Analysis | Failure]:
    """Analyses (or Failures) for documents, in input order, using ``processes`` workers.

    ``pipeline``, when given, is used (and with forked workers shared) instead of a new one.
    """
    chosen = pipeline or Pipeline(settings)
    yield from executor_for(chosen, processes).run(documents)


# --- the pool's plumbing ---------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Packed:
    """An analysis without its tokens, and the tokens as one tuple of values per Token field."""

    analysis: Analysis
    columns: tuple[tuple[Any, ...], ...]


def pack(analysis: Analysis) -> Packed:
    """An analysis in the form that pickles fast."""
    columns = tuple(zip(*map(_token_row, analysis.tokens), strict=True))
    return Packed(replace(analysis, tokens=()), columns)


def _unpacked(results: list[Packed | Failure]) -> Iterator[Analysis | Failure]:
    """A worker's results as analyses (or failures)."""
    return (unpack(r) if isinstance(r, Packed) else r for r in results)


def unpack(packed: Packed) -> Analysis:
    """The analysis a Packed was made from."""
    tokens = tuple(map(Token, *packed.columns)) if packed.columns else ()
    return replace(packed.analysis, tokens=tokens)


class _Worker:
    """The pipeline of this worker process.

    A process pool hands work to module-level functions, so each worker process keeps its one
    pipeline here: set once by the pool's initializer, or by the parent just before it forks (a
    worker the pool forks again after a crash inherits it too); never written while documents
    are analysed, and never shared between threads.
    """

    pipeline: Pipeline | None = None


def _pool(pipeline: Pipeline, processes: int) -> Any:
    """A pool of workers, each holding a loaded pipeline: forked where safe, else spawned."""
    if not sys.platform.startswith("linux"):
        context = multiprocessing.get_context("spawn")
        return context.Pool(processes, initializer=_init_worker, initargs=(pipeline.settings,))
    _Worker.pipeline = pipeline.warm()
    gc.collect()
    gc.freeze()  # children inherit a frozen heap: their GC scans never touch (and so copy) its pages
    try:
        return multiprocessing.get_context("fork").Pool(processes, initializer=_init_forked)
    finally:
        gc.unfreeze()


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Documents grouped in lists of ``size``."""
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _init_worker(settings: Settings) -> None:
    """Build a spawned worker's pipeline and load its models once."""
    _Worker.pipeline = Pipeline(settings).warm()
    threadpool_limits(1)  # one worker per core: BLAS/OpenMP threads would only fight the other workers
    gc.freeze()  # the loaded models and tables live as long as the worker: keep them out of GC scans


def _init_forked() -> None:
    """Limit a forked worker's math libraries to one thread."""
    threadpool_limits(1)  # one worker per core: BLAS/OpenMP threads would only fight the other workers


def _analyse_chunk(chunk: list[Document]) -> list[Packed | Failure]:
    """Analyse one chunk in a worker."""
    if _Worker.pipeline is None:
        raise KhabarError("worker pipeline missing: start workers through an executor")
    return [pack(r) if isinstance(r, Analysis) else r for r in _Worker.pipeline.analyse_many(chunk)]
