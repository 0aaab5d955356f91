"""Tests of the events stage's trained classifier (khabar.events.classify)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from khabar.errors import ModelError
from khabar.events import classify
from khabar.events.classify import Block, EventClassifier, load_classifier
from khabar.events.lexicon import load_lexicon

GROUPS = load_lexicon().stem_groups


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return load_classifier(GROUPS)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fighter jets pounded rebel hideouts in the hills before dawn.", "AIR_STRIKE"),
        ("Police defused a bomb found near the stadium before it could explode.", "DISR_WEAP"),
        ("Hundreds of nurses marched quietly to the ministry to ask for unpaid salaries.", "PEACE_PROTEST"),
        ("The insurgents captured the district centre after the garrison fled.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ],
)
def test_case_head_codes_plain_sentences(classifier: EventClassifier, text: str, code: str) -> None:
    label, prob = classifier.scores([text], "case")[0].best()
    assert label == code
    assert 0.0 < prob <= 1.0


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        ("The two governments signed a deal to reopen their shared border crossing.", "AGREE"),
        ("Rights groups demanded the immediate release of the detained reporters.", "DEMAND"),
    ],
)
def test_plover_head_codes_plain_sentences(classifier: EventClassifier, text: str, plover: str) -> None:
    assert classifier.scores([text], "plover")[0].best()[0] == plover


def test_best_respects_the_allowed_labels(classifier: EventClassifier) -> None:
    scores = classifier.scores(["Warplanes struck a convoy on the road."], "case")[0]
    label, prob = scores.best(frozenset({"ARMED_CLASH", "ARREST"}))
    assert label in {"ARMED_CLASH", "ARREST"}
    assert 0.0 < prob <= 1.0


def test_the_classifier_text_names_the_trigger_groups_it_mentions() -> None:
    tags = classify.trigger_tags("Two BOMBS exploded; police arrested three.", GROUPS).split()
    assert "trigxexplosion" in tags and tags == sorted(set(tags))
    assert classify.classifier_text("A bomb went off.", GROUPS).startswith("A bomb went off. trigx")
    assert classify.trigger_tags("The weather was mild.", GROUPS) == ""


@pytest.mark.parametrize(
    "text",
    ["Gunmen stormed a checkpoint at dawn.", "BOMB bomb Bombs, bombings and  a bomb-maker", "", "x"],
)
def test_the_per_word_memory_counts_as_the_whole_text_analyzer_does(text: str) -> None:
    remembered = load_classifier(GROUPS).blocks[1]
    direct = Block(remembered.analyzer, remembered.vocabulary, remembered.idf, remembered.offset)
    for _ in range(2):  # the second pass reads the memory the first one filled
        ours, reference = remembered.row(text), direct.row(text)
        assert np.array_equal(ours.columns, reference.columns)
        assert ours.values.tobytes() == reference.values.tobytes()


def test_scores_equal_the_sparse_feature_matrix_product(classifier: EventClassifier) -> None:
    texts = ["Gunmen stormed a checkpoint at dawn.", "The ministers met in the capital to discuss trade.", ""]
    matrix = classifier.features(texts)
    assert matrix.shape == (3, classifier.width)
    for head in ("case", "plover"):
        model = classifier.heads[head]
        margins = np.asarray(matrix @ model.weights) + model.intercept
        for row, scores in zip(margins, classifier.scores(texts, head), strict=True):
            assert scores.labels[int(np.argmax(scores.probs))] == model.labels[int(np.argmax(row))]
    norms = np.sqrt(np.asarray(matrix[:2].multiply(matrix[:2]).sum(axis=1)).ravel())
    assert np.allclose(norms, np.sqrt(2.0), atol=1e-4)  # word and char blocks each have unit length


def _tiny_model(path: Path) -> Path:
    """A two-label model file: "bomb" scores BLAST, "march" scores RALLY."""
    arrays: dict[str, Any] = {
        "word_vocab": np.array(["bomb", "march"]), "char_vocab": np.array(["bo"]),
        "word_idf": np.ones(2, dtype=np.float32), "char_idf": np.ones(1, dtype=np.float32),
    }
    for head in classify.HEADS:
        arrays[f"{head}_labels"] = np.array(["BLAST", "RALLY"])
        arrays[f"{head}_coef"] = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float16)
        arrays[f"{head}_intercept"] = np.zeros(2, dtype=np.float32)
    np.savez(path, **arrays)
    return path


def test_a_model_file_can_be_given(tmp_path: Path) -> None:
    tiny = load_classifier(GROUPS, _tiny_model(tmp_path / "tiny.npz"))
    assert tiny.scores(["a march downtown"], "case")[0].best()[0] == "RALLY"
    assert tiny.scores(["a bomb downtown"], "plover")[0].best()[0] == "BLAST"


def test_model_path_can_be_overridden_by_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(classify.MODEL_ENV, str(_tiny_model(tmp_path / "tiny.npz")))
    tiny = load_classifier(GROUPS)
    assert tiny.scores(["a march downtown"], "case")[0].best()[0] == "RALLY"


def test_missing_model_file_is_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(classify.MODEL_ENV, str(tmp_path / "absent.npz"))
    with pytest.raises(ModelError, match=r"absent\.npz"):
        load_classifier(GROUPS)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen   stormed a checkpoint at dawn, killing 3.",
        "A B cd éTÉ İstanbul ſ x\tyy\n\nzzz",
        "",
        "an IED-laden car (VBIED) hit the convoy",
    ],
)
def test_ngram_analyzers_match_scikit_learns(text: str) -> None:
    pairs = ((classify.WORD_OPTIONS, classify.word_ngrams), (classify.CHAR_OPTIONS, classify.char_wb_ngrams))
    for options, ours in pairs:
        reference = CountVectorizer(**options).build_analyzer()
        assert Counter(ours(text)) == Counter(reference(text))
