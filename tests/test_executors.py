"""Tests of the executors: the same results in the same order, whichever runs the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar import corpus
from khabar.errors import ConfigError
from khabar.executors import LocalExecutor, PoolExecutor, executor_for, executor_named
from khabar.ingest import content_id
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings
from khabar.store import open_store

TEXTS = [f"On Monday {n} soldiers were killed in an attack near Kandahar, officials said." for n in range(2, 9)]


def documents() -> list[Document]:
    return [Document(doc_id=content_id(t), text=t) for t in TEXTS]


def test_pool_gives_the_local_results_in_input_order(pipeline: Pipeline) -> None:
    local = list(LocalExecutor(pipeline).run(documents()))
    pooled = list(PoolExecutor(Pipeline(Settings(processes=2, batch_size=2)), 2).run(documents()))
    assert [r.document.doc_id for r in pooled] == [d.doc_id for d in documents()]
    assert all(isinstance(r, Analysis) for r in pooled)
    assert [r.events for r in pooled] == [r.events for r in local]  # type: ignore[union-attr]


def test_executor_for_follows_the_process_count(pipeline: Pipeline) -> None:
    assert isinstance(executor_for(pipeline, 1), LocalExecutor)
    assert isinstance(executor_for(pipeline, 2), PoolExecutor)
    with pytest.raises(ConfigError, match="known executors: dask, local, pool"):
        executor_named("cluster", pipeline, 2)


def test_ingest_with_two_processes_stores_what_one_process_stores(tmp_path: Path, pipeline: Pipeline) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for number, text in enumerate(TEXTS):
        (articles / f"{number}.txt").write_text(text, encoding="utf-8")
    stored = {}
    for processes in (1, 2):
        store = open_store(tmp_path / f"p{processes}.db")
        report = corpus.ingest([articles], store, Pipeline(Settings(processes=processes, batch_size=2)))
        assert report.stored == len(TEXTS)
        stored[processes] = sorted((i.event.event_type, i.event.fatalities.best if i.event.fatalities else -1)
                                   for i in store.incidents())
    assert stored[1] == stored[2]
