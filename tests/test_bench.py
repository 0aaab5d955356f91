"""Tests of the bench and of the multi-process runner."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from khabar import bench
from khabar.errors import InputError
from khabar.executors import analyse_parallel, pack, unpack
from khabar.pipeline import Failure, Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings

TEXTS = (
    "Rain closed the mountain road on Monday.",
    "The council met in the town hall and agreed a budget.",
    "Two lorries collided on the bridge.",
)


def test_stage_shares_sum_to_one() -> None:
    shares = bench.stage_shares({"nlp": 3.0, "events": 1.0})
    assert shares == {"nlp": 0.75, "events": 0.25}
    assert bench.stage_shares({"nlp": 0.0}) == {"nlp": 0.0}


def test_peak_rss_is_positive() -> None:
    assert bench.peak_rss_mb() > 1.0


def test_shared_root_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KHABAR_SHARED", str(tmp_path))
    assert bench.shared_root() == tmp_path
    assert bench.default_paths()[0] == tmp_path / "data" / "isaf"


def test_shared_root_found_beside_cwd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KHABAR_SHARED", raising=False)
    (tmp_path / "shared" / "data").mkdir(parents=True)
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert bench.shared_root() == (tmp_path / "shared").resolve()


def test_load_corpus_reads_articles_and_geo_xml(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "g.xml").write_text(
        f"<articles><article><text>{TEXTS[1]}</text><toponyms/></article></articles>", encoding="utf-8")
    texts = sorted(d.text for d in bench.load_corpus([tmp_path]))
    assert texts == sorted(TEXTS[:2])


def test_run_bench_on_a_tiny_corpus(tmp_path: Path) -> None:
    for i, text in enumerate(TEXTS):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    figures = bench.run_bench([tmp_path], repeat=2, processes=1, settings=Settings(processes=1))
    assert figures["articles"] == 6
    assert figures["words"] == 2 * sum(len(t.split()) for t in TEXTS)
    assert figures["articles_per_s"] > 0
    assert figures["ratio_vs_spacy"] > 0
    assert sum(figures["stage_share"].values()) == pytest.approx(1.0)
    assert "nlp" in figures["stage_share"]
    assert figures["load_seconds"] > 0 and figures["spacy_load_seconds"] > 0
    report = bench.format_bench(figures)
    assert "ratio_vs_spacy" in report and "load_seconds" in report


def test_run_bench_with_no_documents(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no documents"):
        bench.run_bench([tmp_path], repeat=1, processes=1, settings=Settings(processes=1))


@pytest.mark.parametrize("processes", [1, 2])
def test_analyse_parallel_keeps_order(processes: int) -> None:
    documents = [Document(doc_id=f"d{i}", text=text) for i, text in enumerate(TEXTS)]
    results = list(analyse_parallel(documents, Settings(processes=processes, batch_size=1), processes))
    assert [r.document.doc_id for r in results] == ["d0", "d1", "d2"]
    assert all(isinstance(r, Analysis) and r.tokens for r in results)
    assert not any(isinstance(r, Failure) for r in results)


def test_workers_sharing_a_pipeline_give_what_one_process_gives(pipeline: Pipeline) -> None:
    documents = [Document(doc_id=f"d{i}", text=text) for i, text in enumerate(TEXTS * 2)]
    shared = list(analyse_parallel(documents, Settings(processes=2, batch_size=1), 2, pipeline))
    alone = list(pipeline.analyse_many(documents))
    assert [replace(r, timings=()) for r in shared] == [replace(r, timings=()) for r in alone]


def test_pack_and_unpack_give_back_the_same_analysis(pipeline: Pipeline) -> None:
    analysis = pipeline.analyse(Document("p", "Gunmen attacked a checkpoint in Herat. Two guards died."))
    packed = pack(analysis)
    assert packed.analysis.tokens == () and len(packed.columns[0]) == len(analysis.tokens)
    assert unpack(pickle.loads(pickle.dumps(packed))) == analysis
    empty = Analysis(Document("e", ""))
    assert unpack(pack(empty)) == empty


def test_bench_reports_cpu_seconds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[2], encoding="utf-8")
    figures = bench.run_bench([tmp_path], repeat=1, processes=1, settings=Settings(processes=1))
    assert figures["cpu_seconds"] > 0 and figures["spacy_cpu_seconds"] > 0
    assert figures["cpu_ratio_vs_spacy"] == pytest.approx(figures["cpu_seconds"] / figures["spacy_cpu_seconds"])
    assert "cpu_seconds" in bench.format_bench(figures)
    assert bench.cpu_seconds() >= figures["cpu_seconds"]


def test_rounds_alternate_and_sum(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[2], encoding="utf-8")
    figures = bench.run_bench([tmp_path], repeat=1, processes=1, settings=Settings(processes=1), rounds=2)
    assert figures["rounds"] == 2 and len(figures["round_ratios"]) == 2
    assert min(figures["round_ratios"]) <= figures["ratio_vs_spacy"] <= max(figures["round_ratios"])
    assert figures["ratio_vs_spacy"] == pytest.approx(figures["seconds"] / figures["spacy_seconds"])
    assert "alternating rounds" in bench.format_bench(figures)


def test_rounds_alternate_which_side_goes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[2], encoding="utf-8")
    order: list[str] = []
    monkeypatch.setattr(bench, "_time_khabar", lambda *_: (order.append("khabar"), 2.0, {"nlp": 1.0}, 0)[1:])
    monkeypatch.setattr(bench, "_time_spacy", lambda *_: (order.append("spacy"), 1.0)[1])
    figures = bench.run_bench([tmp_path], repeat=1, processes=1, settings=Settings(processes=1), rounds=3)
    assert order == ["khabar", "spacy", "spacy", "khabar", "khabar", "spacy"]
    assert figures["ratio_vs_spacy"] == pytest.approx(2.0)
    assert figures["seconds"] == pytest.approx(2.0) and figures["spacy_seconds"] == pytest.approx(1.0)
