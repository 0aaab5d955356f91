"""Tests of corpus runs: what an ingest stores, counts and remembers, and that a re-run adds nothing."""

from __future__ import annotations

from pathlib import Path

from khabar import corpus
from khabar.ingest import content_id
from khabar.pipeline import Pipeline
from khabar.records import Document
from khabar.store import open_store

STORY = "On Monday gunmen killed four soldiers at a checkpoint in Herat province, officials said."


def test_an_ingest_counts_stored_unchanged_and_failed_files(tmp_path: Path, pipeline: Pipeline) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text(STORY, encoding="utf-8")
    (articles / "copy.txt").write_text(STORY + "\n", encoding="utf-8")  # same content, same document
    (articles / "notes.docx").write_bytes(b"PK\x03\x04")
    store = open_store(tmp_path / "k.db")
    report = corpus.ingest([articles], store, pipeline)
    assert (report.stored, report.unchanged) == (1, 1)
    assert len(report.errors) == 1 and "notes.docx" in report.errors[0]
    assert report.incidents == len(list(store.incidents())) >= 1
    assert report.words == len(STORY.split())
    assert {"nlp", "events"} <= set(report.seconds_by_stage)
    again = corpus.ingest([articles / "a.txt"], store, pipeline)
    assert (again.stored, again.unchanged, again.errors) == (0, 1, [])
    assert again.ok


def test_actor_rows_name_every_coded_actor(pipeline: Pipeline) -> None:
    analysis = pipeline.analyse(Document(doc_id=content_id(STORY), text=STORY))
    rows = corpus.actor_rows(analysis, pipeline)
    coded = {x for e in analysis.events for x in (e.actor1, e.actor2) if x}
    assert coded <= {row[0] for row in rows}
    assert all(len(row) == 6 for row in rows)

