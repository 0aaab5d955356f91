"""Run the pipeline over many documents in several processes, keeping their order.

On Linux, workers are forked from the calling process after it has loaded the pipeline (models,
registry, gazetteer), as spaCy's own ``nlp.pipe(n_process=...)`` does: they start at once and
share the loaded tables copy-on-write. Elsewhere (macOS, Windows, where forking a process that
holds threads is unsafe or impossible) they are spawned and each loads its own pipeline. Documents
travel in chunks. With one process everything runs in the calling process. Tokens travel back
column-wise (``Packed``): pickling tens of thousands of small records one by one costs the parent
process more than the stages it waits for.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import Any

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # ships with scikit-learn

from khabar.errors import KhabarError
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document, Token
from khabar.settings import Settings

_worker: Pipeline | None = None
_TOKEN_FIELDS = tuple(f.name for f in fields(Token))
_token_row = attrgetter(*_TOKEN_FIELDS)


@dataclass(slots=True, frozen=True)
class Packed:
    """An analysis without its tokens, and the tokens as one tuple of values per Token field."""

    analysis: Analysis
    columns: tuple[tuple[Any, ...], ...]


def pack(analysis: Analysis) -> Packed:
    """An analysis in the form that pickles fast."""
    columns = tuple(zip(*map(_token_row, analysis.tokens), strict=True))
    return Packed(replace(analysis, tokens=()), columns)


def unpack(packed: Packed) -> Analysis:
    """The analysis a Packed was made from."""
    tokens = tuple(map(Token, *packed.columns)) if packed.columns else ()
    return replace(packed.analysis, tokens=tokens)


def analyse_parallel(
    documents: Iterable[Document], settings: Settings, processes: int, pipeline: Pipeline | None = None
) -> Iterator[Analysis | Failure]:
    """Analyses (or Failures) for documents, in input order, using ``processes`` workers.

    ``pipeline``, when given, is used (and with forked workers shared) instead of a new one.
    """
    if processes <= 1:
        yield from (pipeline or Pipeline(settings)).analyse_many(documents)
        return
    chunks = _chunks(documents, max(1, settings.batch_size))
    with _pool(settings, processes, pipeline) as pool:
        for results in pool.imap(_analyse_chunk, chunks):
            yield from (unpack(r) if isinstance(r, Packed) else r for r in results)


def _pool(settings: Settings, processes: int, pipeline: Pipeline | None) -> Any:
    """A pool of workers, each holding a loaded pipeline: forked where safe, else spawned."""
    if not sys.platform.startswith("linux"):
        context = multiprocessing.get_context("spawn")
        return context.Pool(processes, initializer=_init_worker, initargs=(settings,))
    global _worker  # noqa: PLW0603 - forked workers inherit the loaded pipeline through this global
    _worker = (pipeline or Pipeline(settings)).warm()
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
    """Build the worker's pipeline and load its models once."""
    global _worker  # noqa: PLW0603 - one pipeline per worker process is the point
    _worker = Pipeline(settings)
    _ = _worker.model, _worker.stages
    threadpool_limits(1)  # one worker per core: BLAS/OpenMP threads would only fight the other workers
    gc.freeze()  # the loaded models and tables live as long as the worker: keep them out of GC scans


def _init_forked() -> None:
    """Limit a forked worker's math libraries to one thread."""
    threadpool_limits(1)  # one worker per core: BLAS/OpenMP threads would only fight the other workers


def _analyse_chunk(chunk: list[Document]) -> list[Packed | Failure]:
    """Analyse one chunk in a worker."""
    if _worker is None:
        raise KhabarError("worker pipeline missing: start workers through analyse_parallel")
    return [pack(r) if isinstance(r, Analysis) else r for r in _worker.analyse_many(chunk)]
