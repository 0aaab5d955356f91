"""Run the pipeline over many documents in several processes, keeping their order.

Workers are started with the ``spawn`` method (safe with spaCy's threads and on every OS); each
builds its own ``Pipeline`` once and receives documents in chunks. With one process everything
runs in the calling process.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator

from khabar.errors import KhabarError
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings

_worker: Pipeline | None = None


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
            yield from results


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


def _analyse_chunk(chunk: list[Document]) -> list[Analysis | Failure]:
    """Analyse one chunk in a worker."""
    if _worker is None:
        raise KhabarError("worker pipeline missing: start workers through analyse_parallel")
    return list(_worker.analyse_many(chunk))
