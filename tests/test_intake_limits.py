"""Limits per document (issue #22): long texts in bounded parts, hostile runs broken, events capped."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from khabar import corpus
from khabar.errors import ConfigError
from khabar.ingest import Limits, bounded, parts, read_paths
from khabar.pipeline import Pipeline
from khabar.records import Document
from khabar.settings import Settings, load_settings
from khabar.store import open_store

SENTENCE = "Gunmen killed {n} police officers at a checkpoint in Kandahar province on Monday, officials said."


def test_text_under_every_limit_is_left_exactly_as_it_is() -> None:
    text = "KABUL, March 3 -- " + " ".join(SENTENCE.format(n=n) for n in range(30)) + "\n\n" + "-" * 54
    assert bounded(text, Limits()) is text
    assert parts(text, 100_000) == [text]


def test_a_long_run_of_punctuation_is_broken_and_analysed_quickly(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "bang.txt").write_text("Gunmen attacked a post. " + "!" * 12_000)
    [doc] = list(read_paths([tmp_path / "bang.txt"]))
    assert isinstance(doc, Document)
    assert max(len(run) for run in doc.text.split()) <= 64
    started = time.process_time()
    pipeline.analyse(doc)
    assert time.process_time() - started < 15  # CPU seconds; was 49: tokenizing a run costs its length squared


def test_over_long_words_and_sentences_are_broken_without_losing_characters() -> None:
    limits = Limits(max_token_chars=50, max_sentence_chars=300)
    text = "a" * 260 + " " + " ".join(["word"] * 400)
    out = bounded(text, limits)
    assert max(len(w) for w in out.split()) <= 50
    assert max(len(s) for s in out.split("\n")) <= 300
    assert "".join(out.split()) == "".join(text.split())


def test_a_long_document_is_analysed_in_parts_cut_at_paragraph_breaks(tmp_path: Path) -> None:
    paragraphs = [" ".join(SENTENCE.format(n=n) for _ in range(9)) for n in range(400)]
    (tmp_path / "long.txt").write_text("\n\n".join(paragraphs))
    docs = list(read_paths([tmp_path / "long.txt"], limits=Limits(max_chars=100_000)))
    assert len(docs) > 3 and all(isinstance(d, Document) for d in docs)
    assert [d.path for d in docs] == [f"{tmp_path / 'long.txt'}#part{n}" for n in range(1, len(docs) + 1)]
    assert all(len(d.text) <= 100_000 for d in docs)  # type: ignore[union-attr]
    assert "\n\n".join(d.text for d in docs) == "\n\n".join(paragraphs)  # type: ignore[union-attr]
    assert len({d.doc_id for d in docs}) == len(docs)  # type: ignore[union-attr]


def test_events_per_document_are_capped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = " ".join(SENTENCE.format(n=n).replace("Kandahar", place) for n, place in
                    enumerate(["Kandahar", "Herat", "Kunduz", "Ghazni", "Helmand", "Balkh"], start=2))
    (tmp_path / "many.txt").write_text(text)
    pipeline = Pipeline(Settings(processes=1, max_events=2))
    with open_store(tmp_path / "k.db") as store, caplog.at_level(logging.WARNING):
        report = corpus.ingest([tmp_path / "many.txt"], store, pipeline)
        assert report.stored == 1
        assert store.db.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 2
    assert any("events found, kept the first 2" in r.getMessage() for r in caplog.records)


def test_limits_are_settings_and_must_be_positive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_MAX_CHARS", "5000")
    assert Limits.from_settings(load_settings()).max_chars == 5000
    monkeypatch.setenv("KHABAR_MAX_CHARS", "0")
    with pytest.raises(ConfigError, match="max_chars"):
        load_settings()
