"""Run the pipeline over many documents in several processes, keeping their order.

Workers are started with the ``spawn`` method (safe with spaCy's threads and on every OS); each
builds its own ``Pipeline`` once and receives documents in chunks. With one process everything
runs in the calling process. Tokens travel back column-wise (``Packed``): pickling tens of
thousands of small records one by one costs the parent process more than the stages it waits for.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
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
    documents: Iterable[Document], settings: Settings, processes: int
) -> Iterator[Analysis | Failure]:
    """Analyses (or Failures) for documents, in input order, using ``processes`` workers."""
    if processes <= 1:
        yield from Pipeline(settings).analyse_many(documents)
        return
    chunks = _chunks(documents, max(1, settings.batch_size))
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_init_worker, initargs=(settings,)) as pool:
        for results in pool.imap(_analyse_chunk, chunks):
            yield from (unpack(r) if isinstance(r, Packed) else r for r in results)


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


def _analyse_chunk(chunk: list[Document]) -> list[Packed | Failure]:
    """Analyse one chunk in a worker."""
    if _worker is None:
        raise KhabarError("worker pipeline missing: start workers through analyse_parallel")
    return [pack(r) if isinstance(r, Analysis) else r for r in _worker.analyse_many(chunk)]
