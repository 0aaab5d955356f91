"""Tests of the event classifier's training script (folds, figures) and of the PLOVER trigger lexicon it relies on."""

from __future__ import annotations

import csv
import importlib.util
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from khabar import events, nlp
from khabar.pipeline import Pipeline
from khabar.records import ActorMention, Analysis, Document

PloverTypes = Callable[[str], list[str]]
SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_events.py"
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "khabar" / "data" / "events" / "examples.tsv"
# Our own test actors: surface -> (actor id, registry type).
ACTORS = {
    "Freedonia": ("state:FRD", "state"),
    "Sylvania": ("state:SYL", "state"),
    "Red Cross": ("icrc", "ngo"),
}


@pytest.fixture(scope="module")
def script() -> Any:
    spec = importlib.util.spec_from_file_location("train_events_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plover_types(pipeline: Pipeline) -> PloverTypes:
    """The PLOVER types the events stage codes in a text whose test actors are marked."""
    resources = events.load_event_resources()

    def run(text: str) -> list[str]:
        analysis = nlp.parse(Analysis(Document(doc_id="t", text=text)), pipeline.model)
        mentions = []
        for surface, (actor_id, kind) in ACTORS.items():
            start = text.find(surface)
            if start >= 0:
                mentions.append(ActorMention(analysis.evidence(start, start + len(surface)), actor_id, surface, kind))
        analysis = replace(analysis, actors=tuple(sorted(mentions, key=lambda m: m.evidence.start)))
        return [e.plover_type for e in events.extract_events(analysis, resources).events]

    return run


def _records(tmp_path: Path, labels: list[str]) -> Path:
    """A fake shared-data folder holding a PLOVER list with a documentation record first."""
    rows: list[dict[str, Any]] = [{"id": "doc", "event": "DOCUMENT", "text": "about this file"}]
    rows += [{"id": str(n), "event": label, "text": f"sentence number {n}"} for n, label in enumerate(labels)]
    rows.append({"id": "empty", "event": "AGREE", "text": ""})
    (tmp_path / "plover").mkdir()
    (tmp_path / "plover" / "gsr.json").write_text(json.dumps(rows))
    return tmp_path


def test_training_weights_out_of_domain_rows_less(script: Any) -> None:
    sources = {"case21": [("a", "X")], "acled": [("b", "Y"), ("c", "Y")], "own_case": [("d", "Z")]}
    rows, weights, report = script.pooled(sources, ("case21", "acled", "own_case"), skip="own_case")
    assert rows == [("a", "X"), ("b", "Y"), ("c", "Y")]
    assert weights == [1.0, script.AUX_WEIGHT, script.AUX_WEIGHT]
    assert report == [False, True, True]


def test_domain_blocks_copy_each_row_into_its_own_domain_block(script: Any) -> None:
    from scipy.sparse import csr_matrix

    blocks = script.domain_blocks(csr_matrix([[1.0, 2.0], [3.0, 4.0]]), [True, False]).toarray()
    assert blocks.tolist() == [[1.0, 2.0, 1.0, 2.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0, 3.0, 4.0]]


def test_a_head_trained_on_reports_and_news_ships_the_news_usage(script: Any) -> None:
    # In the reports a 'volley' is class A and a 'march' class B; in the few news rows it is the other way
    # round. Mixed plainly, the many reports decide a bare word; in domain blocks the shipped news side
    # follows the news rows.
    reports = [(f"volley at post {n}", "A") for n in range(20)] + [(f"march at square {n}", "B") for n in range(20)]
    news = [(f"volley in city {n}", "B") for n in range(3)] + [(f"march in city {n}", "A") for n in range(3)]
    rows = reports + news
    features = script.Features([t for t, _ in rows])
    split = script.fit_head(rows, features, None, [True] * len(reports) + [False] * len(news))
    plain = script.fit_head(rows, features, None, None)
    test = features(["volley", "march"])
    assert split.coef_.shape[1] == test.shape[1]
    assert split.predict(test) == ["B", "A"]
    assert plain.predict(test) == ["A", "B"]



def test_the_report_side_follows_the_reports_and_the_genre_head_tells_them_apart(script: Any) -> None:
    # The same rows as above: the report side keeps the reports' usage, the news side the news rows', and
    # the genre head reads report-style wording (posts) as a report and news wording (cities) as news.
    reports = [(f"volley at post {n}", "A") for n in range(20)] + [(f"march at post {n}", "B") for n in range(20)]
    news = [(f"volley in city {n}", "B") for n in range(3)] + [(f"march in city {n}", "A") for n in range(3)]
    rows = reports + news
    flags = [True] * len(reports) + [False] * len(news)
    features = script.Features([t for t, _ in rows])
    news_side, report_side = script.fit_sides(rows, features, None, flags)
    test = features(["volley", "march"])
    assert news_side.predict(test) == ["B", "A"]
    assert report_side.predict(test) == ["A", "B"]
    margins = script.genre_margins(script.fit_genre(rows, features, flags), features(["at post", "in city"]))
    assert margins[0] > 0 > margins[1]
    assert script.routed(["B", "A"], ["A", "B"], margins, 0.0) == ["A", "A"]
    assert script.routed(["B", "A"], ["A", "B"], margins, 99.0) == ["B", "A"]


def test_training_figures_are_averaged_over_folds(script: Any) -> None:
    gold, predicted = ["A", "A", "B", "B"], ["A", "B", "B", "B"]

    def score(g: list[str], p: list[str]) -> dict[str, float]:
        return {"acc": sum(x == y for x, y in zip(g, p, strict=True)) / len(g)}

    figures = script.per_fold(score, gold, predicted, [[0, 1], [2, 3]])
    assert figures == {"acc": 0.75, "acc_sd": 0.25}


def test_plover_records_skip_documentation_and_empty_rows(script: Any, tmp_path: Path) -> None:
    shared = _records(tmp_path, ["AGREE", "FIGHT"])
    records = script.plover_records(shared)
    assert [r["id"] for r in records] == ["0", "1"]
    assert script.read_plover(shared) == [("sentence number 0", "AGREE"), ("sentence number 1", "FIGHT")]


def test_plover_folds_partition_the_rows_and_keep_each_class_in_every_fold(script: Any) -> None:
    records = [{"event": label} for label in ["AGREE"] * 10 + ["FIGHT"] * 5 + ["AID"] * 2]
    folds = script.plover_folds(records)
    assert len(folds) == script.FOLDS
    assert sorted(i for fold in folds for i in fold) == list(range(len(records)))
    for fold in folds:
        assert sum(records[i]["event"] == "FIGHT" for i in fold) == 1
        assert sum(records[i]["event"] == "AGREE" for i in fold) == 2


def test_without_rows_drops_only_the_named_rows_of_one_source(script: Any) -> None:
    sources = {"plover": [("a", "X"), ("b", "Y"), ("c", "Z")], "own_plover": [("d", "X")]}
    kept = script.without_rows(sources, "plover", [0, 2])
    assert kept == {"plover": [("b", "Y")], "own_plover": [("d", "X")]}
    assert len(sources["plover"]) == 3


def test_fold_summary_gives_mean_spread_and_row_weighted_figure(script: Any) -> None:
    summary = script.fold_summary("event_acc", [0.5, 1.0], [1, 3])
    assert summary == {"event_acc": 0.75, "event_acc_sd": 0.25, "pooled_event_acc": 0.875, "folds": [0.5, 1.0]}


def test_plover_pipeline_figures_go_under_the_plover_entry(script: Any) -> None:
    figures: dict[str, Any] = {"plover": {"event_acc": 0.5}}
    script.merge_plover_cv(figures, {"event_acc": 0.7, "event_acc_sd": 0.02})
    assert figures["plover"]["event_acc"] == 0.5
    assert figures["plover"]["pipeline_cv_event_acc"] == 0.7
    assert figures["plover"]["pipeline_cv_event_acc_sd"] == 0.02
    assert "without that fold" in figures["plover"]["pipeline_cv_how"]


def test_per_class_figures_put_the_weakest_class_first(script: Any) -> None:
    gold = ["RIOT", "RIOT", "QUAKE", "QUAKE", "FLOOD"]
    predicted = ["RIOT", "QUAKE", "QUAKE", "QUAKE", "RIOT"]
    report = script.per_class(gold, predicted)
    assert list(report) == ["FLOOD", "RIOT", "QUAKE"]
    assert report["FLOOD"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "n": 1}
    assert report["RIOT"]["p"] == 0.5 and report["RIOT"]["r"] == 0.5 and report["RIOT"]["n"] == 2
    assert report["QUAKE"]["r"] == 1.0 and report["QUAKE"]["n"] == 2


def test_confusions_count_only_errors_most_frequent_first(script: Any) -> None:
    gold = ["A", "A", "A", "B", "B", "C"]
    predicted = ["B", "B", "A", "C", "B", "C"]
    assert script.confusions(gold, predicted) == ["A -> B x2", "B -> C x1"]
    assert script.confusions(gold, predicted, top=1) == ["A -> B x2"]


@pytest.mark.parametrize(
    ("option", "measure", "figures"),
    [
        ("--plover-pipeline-cv", "plover_pipeline_cv", {"event_acc": 0.8}),
        ("--case21-cv", "case21_cv", {"weighted_f1_25": 0.7}),
        ("--genre-cv", "genre_cv", {"loco_report_side": 0.75}),
    ],
)
def test_measuring_options_measure_without_writing(
    script: Any, monkeypatch: pytest.MonkeyPatch, option: str, measure: str, figures: dict[str, float]
) -> None:
    calls: list[Path] = []

    def fake_cv(shared: Path, *args: Any) -> dict[str, float]:
        calls.append(shared)
        return figures

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the measuring option must not train or write the shipped model")

    monkeypatch.setattr(script, measure, fake_cv)
    monkeypatch.setattr(script, "train_final", refuse)
    monkeypatch.setattr(script, "evaluate", refuse)
    lines: list[str] = []
    script.main(["--shared", "/nowhere", option], report=lines.append)
    assert calls == [Path("/nowhere")]
    assert json.loads(lines[-1]) == figures


def test_own_examples_are_well_formed() -> None:
    with EXAMPLES.open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert all(set(r) == {"scheme", "label", "text"} and r["scheme"] in ("case", "plover") for r in rows)
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts))
    plover = {r["label"] for r in rows if r["scheme"] == "plover"}
    assert {"THREATEN", "AID", "SUPPORT", "MOBILIZE", "CONCEDE", "RETREAT", "SANCTION"} <= plover


def test_own_case_examples_cover_every_case_code(script: Any) -> None:
    with EXAMPLES.open() as handle:
        labels = [r["label"] for r in csv.DictReader(handle, delimiter="\t") if r["scheme"] == "case"]
    codes = set(script.load_types()["codes"])
    assert set(labels) == codes
    assert min(labels.count(code) for code in codes) >= 5


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Freedonia gave Sylvania 40 million dollars in aid on Tuesday.", "AID"),
        ("Freedonia granted asylum to two opposition leaders from Sylvania.", "AID"),
        ("Freedonia lodged a formal protest with Sylvania over the shooting.", "DISAPPROVE"),
        ("Freedonia extradited a suspected smuggler to Sylvania on Monday.", "COOPERATE"),
        ("Freedonia apologised to Sylvania for the border incursion.", "SUPPORT"),
        ("Freedonia expelled the Sylvania inspectors on Friday.", "SANCTION"),
        ("Freedonia put its troops on high alert along the Sylvania border.", "MOBILIZE"),
        ("Freedonia is suing Sylvania over the dam.", "DISAPPROVE"),
    ],
)
def test_political_triggers_of_the_plover_lexicon(plover_types: PloverTypes, sentence: str, expected: str) -> None:
    assert expected in plover_types(sentence)


def test_hacking_is_coercion_and_torture_is_an_assault_trigger(plover_types: PloverTypes) -> None:
    assert "COERCE" in plover_types("Hackers from Freedonia hacked into the computers of Sylvania's army.")
    found = plover_types("Gunmen from Freedonia tortured two shopkeepers in Sylvania.")
    assert found and "COERCE" not in found


def test_a_warm_welcome_to_a_visitor_is_a_meeting(plover_types: PloverTypes) -> None:
    found = plover_types("Freedonia's president gave a warm welcome to the leader of Sylvania on Monday.")
    assert "CONSULT" in found and "SUPPORT" not in found


def test_handing_over_and_easing_let_the_classifier_choose_among_their_types(plover_types: PloverTypes) -> None:
    handed = plover_types("The Red Cross handed over medicines and tents to Sylvania on Monday.")
    assert handed and handed[0] in ("AID", "RETREAT", "COOPERATE")
    eased = plover_types("Freedonia lifted the night curfew in Sylvania on Friday.")
    assert eased and eased[0] in ("CONCEDE", "RETREAT")
