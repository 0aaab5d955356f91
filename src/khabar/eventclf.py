"""The event classifier: linear heads over TF-IDF word and character n-grams, numpy only at run time.

``scripts/train_events.py`` fits the heads with scikit-learn and exports them to
``data/events/model.npz``; this module rebuilds the exact feature transform from the stored
vocabularies and idf weights, so loading takes milliseconds and needs no pickle.

Heads: ``case`` (the 30 CASE-2021 codes) and ``plover`` (PLOVER event types).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from khabar.errors import ModelError
from khabar.eventlex import trigger_tags

MODEL_FILE = "model.npz"
WORD_OPTIONS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": True}
CHAR_OPTIONS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": True}
MODEL_ENV = "KHABAR_EVENT_MODEL"  # path of another model.npz (the training script's held-out runs)
HEADS = ("case", "plover")
FloatArray = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(slots=True, frozen=True)
class Head:
    """One linear classifier: labels, weights (labels x features) and biases."""

    labels: tuple[str, ...]
    coef: FloatArray
    intercept: FloatArray


@dataclass(slots=True, frozen=True)
class Scores:
    """Per-label scores of one text under one head, softmax-normalised."""

    labels: tuple[str, ...]
    probs: tuple[float, ...]

    def best(self, allowed: frozenset[str] | None = None) -> tuple[str, float]:
        """The top label (restricted to ``allowed`` when given and non-empty) and its probability."""
        pairs = [(p, label) for label, p in zip(self.labels, self.probs, strict=True)]
        if allowed:
            pairs = [pair for pair in pairs if pair[1] in allowed] or pairs
        prob, label = max(pairs)
        return label, prob / sum(p for p, _ in pairs)


class EventClassifier:
    """The shipped classifier heads sharing one TF-IDF feature space."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        """Rebuild vectorizers and heads from exported arrays."""
        self.word = CountVectorizer(vocabulary=_vocab(arrays["word_vocab"]), **WORD_OPTIONS)
        self.char = CountVectorizer(vocabulary=_vocab(arrays["char_vocab"]), **CHAR_OPTIONS)
        self.word_idf = arrays["word_idf"].astype(np.float32)
        self.char_idf = arrays["char_idf"].astype(np.float32)
        self.heads = {name: _head(arrays, name) for name in HEADS}

    def features(self, texts: list[str]) -> Any:
        """The sparse feature matrix of texts: word and char TF-IDF blocks, each L2-normalised."""
        from scipy.sparse import hstack  # noqa: PLC0415 - scipy comes with scikit-learn

        texts = [classifier_text(text) for text in texts]
        blocks = [
            _tfidf(self.word.transform(texts), self.word_idf),
            _tfidf(self.char.transform(texts), self.char_idf),
        ]
        return hstack(blocks).tocsr()

    def scores(self, texts: list[str], head: str) -> list[Scores]:
        """Softmax scores of each text under a head."""
        return self.score_all(texts)[head]

    def score_all(self, texts: list[str]) -> dict[str, list[Scores]]:
        """Softmax scores of each text under every head, featurising the texts once."""
        if not texts:
            return {name: [] for name in self.heads}
        matrix = self.features(texts)
        out = {}
        for name, model in self.heads.items():
            raw = np.asarray(matrix @ model.coef.T) + model.intercept
            out[name] = [Scores(model.labels, tuple(float(p) for p in _softmax(row))) for row in raw]
        return out


def classifier_text(text: str) -> str:
    """The text the classifier sees: the text plus pseudo-words for the trigger groups it mentions."""
    return f"{text} {trigger_tags(text)}"


def _vocab(array: Any) -> dict[str, int]:
    """A vectorizer vocabulary from a stored array of terms in column order."""
    return {str(term): index for index, term in enumerate(array.tolist())}


def _head(arrays: dict[str, Any], name: str) -> Head:
    """One head from the exported arrays."""
    labels = tuple(str(label) for label in arrays[f"{name}_labels"].tolist())
    return Head(labels, arrays[f"{name}_coef"].astype(np.float32), arrays[f"{name}_intercept"].astype(np.float32))


def _tfidf(counts: Any, idf: FloatArray) -> Any:
    """Sublinear TF times idf, rows L2-normalised, as scikit-learn's TfidfTransformer does."""
    from scipy.sparse import diags  # noqa: PLC0415 - scipy comes with scikit-learn

    matrix = counts.astype(np.float32)
    matrix.data = np.log(matrix.data) + 1.0
    matrix = matrix.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return diags(1.0 / norms) @ matrix


def _softmax(row: FloatArray) -> FloatArray:
    """Softmax of decision scores, scaled so linear-SVM margins give usable probabilities."""
    scaled = 3.0 * (row - row.max())
    weights = np.exp(scaled)
    return weights / weights.sum()  # type: ignore[no-any-return]


@cache
def load_classifier() -> EventClassifier:
    """The packaged classifier (or the one named by $KHABAR_EVENT_MODEL), loaded once."""
    override = os.environ.get(MODEL_ENV, "")
    path = Path(override) if override else resources.files("khabar") / "data" / "events" / MODEL_FILE
    try:
        with resources.as_file(path) as real, np.load(real, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"event classifier {path} cannot be loaded ({exc}); rebuild it with `python scripts/train_events.py`"
        ) from exc
    return EventClassifier(arrays)
