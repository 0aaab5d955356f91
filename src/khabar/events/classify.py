"""The trained event classifier: linear heads over TF-IDF word and character n-grams, numpy only at run time.

``scripts/train_events.py`` fits the heads with scikit-learn and exports them to
``data/events/model.npz``; this module rebuilds the exact feature transform from the stored
vocabularies and idf weights, so loading takes milliseconds and needs no pickle. The n-gram
analyzers are re-implemented here (scikit-learn's import alone costs each worker about 2 s); the
training script checks at export that the features equal scikit-learn's.

Heads: ``case`` (the 30 CASE-2021 codes) and ``plover`` (PLOVER event types). The text a head
sees carries pseudo-words naming the lexicon's trigger groups it mentions (``trigxexplosion``), so
the classifier is built with the lexicon's trigger-group stems.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from khabar.errors import ModelError
from khabar.events.lexicon import word_and_stem

MODEL_FILE = "model.npz"
WORD_OPTIONS: dict[str, Any] = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": True}
CHAR_OPTIONS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": True}
MODEL_ENV = "KHABAR_EVENT_MODEL"  # path of another model.npz (the training script's held-out runs)
HEADS = ("case", "plover")
MAX_REMEMBERED_WORDS = 200_000  # distinct words whose char n-gram columns are kept
UNKNOWN = -1  # the column of an n-gram outside the vocabulary, dropped after counting
FloatArray = np.ndarray[Any, np.dtype[np.float32]]
StemGroups = Mapping[str, frozenset[str]]  # stems of one-word trigger entries -> names of their groups


@dataclass(slots=True, frozen=True)
class Head:
    """One linear classifier: labels, weights (features x labels) and biases."""

    labels: tuple[str, ...]
    weights: FloatArray  # features x labels, so a sparse row gathers its columns' weights
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

    def __init__(self, arrays: dict[str, Any], groups: StemGroups) -> None:
        """Rebuild the analyzers, vocabularies and heads from exported arrays; ``groups`` name the trigger tags."""
        self.groups = groups
        word_terms, char_terms = _vocab(arrays["word_vocab"]), _vocab(arrays["char_vocab"])
        word_idf, char_idf = arrays["word_idf"].astype(np.float32), arrays["char_idf"].astype(np.float32)
        self.blocks = (
            Block(word_ngrams, word_terms, word_idf, 0),
            Block(char_wb_ngrams, char_terms, char_idf, len(word_terms), per_word=True),
        )
        self.width = len(word_terms) + len(char_terms)
        self.heads = {name: _head(arrays, name) for name in HEADS}

    def rows(self, texts: list[str]) -> list[SparseRow]:
        """Each text's non-zero feature columns and TF-IDF values, word and char blocks each L2-normalised."""
        return [self._row(classifier_text(text, self.groups).lower()) for text in texts]

    def _row(self, lowered: str) -> SparseRow:
        """One lower-cased classifier text's row: its word block, then its char block."""
        parts = [block.row(lowered) for block in self.blocks]
        columns = np.concatenate([part.columns for part in parts])
        return SparseRow(columns, np.concatenate([part.values for part in parts]))

    def features(self, texts: list[str]) -> Any:
        """The sparse feature matrix of texts (the same values as ``rows``, as one CSR matrix)."""
        from scipy.sparse import csr_matrix  # noqa: PLC0415 - scipy comes with scikit-learn

        rows = self.rows(texts)
        pointers = np.cumsum([0] + [len(row.columns) for row in rows])
        columns = np.concatenate([row.columns for row in rows]) if rows else np.zeros(0, np.int64)
        values = np.concatenate([row.values for row in rows]) if rows else np.zeros(0, np.float32)
        return csr_matrix((values, columns, pointers), shape=(len(rows), self.width))

    def scores(self, texts: list[str], head: str) -> list[Scores]:
        """Softmax scores of each text under a head."""
        return self.score_all(texts)[head]

    def score_all(self, texts: list[str]) -> dict[str, list[Scores]]:
        """Softmax scores of each text under every head, featurising the texts once."""
        rows = self.rows(texts)
        return {name: _head_scores(model, rows) for name, model in self.heads.items()}


def _head_scores(model: Head, rows: list[SparseRow]) -> list[Scores]:
    """Softmax scores of feature rows under one head (one gather and product per row, one softmax for all)."""
    if not rows:
        return []
    # take() copies the same rows as fancy indexing, faster; the product stays per row so its sums keep their order
    margins = np.array([row.values @ model.weights.take(row.columns, axis=0) + model.intercept for row in rows])
    return [Scores(model.labels, tuple(probs)) for probs in _softmax(margins).tolist()]


@dataclass(slots=True, frozen=True)
class SparseRow:
    """One text's non-zero feature columns and their values."""

    columns: np.ndarray[Any, np.dtype[np.int64]]
    values: FloatArray


@dataclass(slots=True, frozen=True)
class Block:
    """One TF-IDF block: its n-gram analyzer, vocabulary, idf weights and first column.

    ``char_wb`` n-grams never cross a space, so a per-word block counts each word once and
    remembers its known n-gram columns: words repeat far more than sentences do.
    """

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: FloatArray
    offset: int
    per_word: bool = False
    memory: dict[str, tuple[int, ...]] = field(default_factory=dict)  # word -> its known columns, with repeats

    def row(self, text: str) -> SparseRow:
        """Sublinear TF times idf of the text's known n-grams, L2-normalised, as scikit-learn computes it."""
        counts = self._word_counts(text) if self.per_word else self._counts(self.analyzer(text))
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        # small integer counts are exact in float32; converting them as int64 first is much faster
        counted = np.fromiter(counts.values(), dtype=np.int64, count=len(counts)).astype(np.float32)
        values = (np.log(counted) + np.float32(1.0)) * self.idf[columns]
        norm = np.float32(np.sqrt(values @ values))
        return SparseRow(columns + self.offset, values / norm if norm else values)

    def _counts(self, terms: list[str]) -> Counter[int]:
        """Column counts of the known terms in a list of n-grams, in order of first occurrence."""
        return Counter(self._known_columns(terms))

    def _known_columns(self, terms: list[str]) -> Iterator[int]:
        """The columns of the known terms in a list of n-grams, in order, repeats kept."""
        return filter(UNKNOWN.__ne__, map(self.vocabulary.get, terms, repeat(UNKNOWN)))  # C-level lookup and filter

    def _word_counts(self, text: str) -> Counter[int]:
        """Column counts of a text's known n-grams, summed over its words, in order of first occurrence."""
        columns: list[int] = []
        for word in text.split():
            known = self.memory.get(word)
            columns.extend(self._remember(word) if known is None else known)
        return Counter(columns)

    def _remember(self, word: str) -> tuple[int, ...]:
        """A new word's known columns in n-gram order, repeats kept, stored in the bounded per-word memory.

        Counting a text's concatenated word columns gives the same counts, in the same first-occurrence
        order, as counting its n-grams.
        """
        if len(self.memory) >= MAX_REMEMBERED_WORDS:
            self.memory.clear()
        known = self.memory[word] = tuple(self._known_columns(self.analyzer(word)))
        return known


_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def word_ngrams(text: str) -> list[str]:
    """Lower-cased word n-grams of WORD_OPTIONS' range, as scikit-learn's "word" analyzer makes them."""
    low, high = WORD_OPTIONS["ngram_range"]
    words = _WORD.findall(text.lower())
    grams: list[str] = []
    for n in range(low, high + 1):
        # n staggered copies of the word list, zipped to the shortest, yield its n-word windows in order
        grams.extend(words if n == 1 else map(" ".join, zip(*(words[k:] for k in range(n)), strict=False)))
    return grams


def char_wb_ngrams(text: str) -> list[str]:
    """Lower-cased character n-grams inside padded words, as scikit-learn's "char_wb" analyzer makes them."""
    low, high = CHAR_OPTIONS["ngram_range"]
    grams: list[str] = []
    for word in text.lower().split():  # scikit-learn first collapses whitespace runs, which split() ignores anyway
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a word shorter than n counts once, and longer n-grams are skipped
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def classifier_text(text: str, groups: StemGroups) -> str:
    """The text the classifier sees: the text plus pseudo-words for the trigger groups it mentions."""
    return f"{text} {trigger_tags(text, groups)}"


def trigger_tags(text: str, groups: StemGroups) -> str:
    """Pseudo-words naming the trigger groups a text mentions ("trigxexplosion"), as classifier features."""
    empty: frozenset[str] = frozenset()
    names = empty.union(*(groups.get(word_and_stem(raw)[1], empty) for raw in text.lower().split()))
    return " ".join(f"trigx{name}" for name in sorted(names))


def _vocab(array: Any) -> dict[str, int]:
    """A vectorizer vocabulary from a stored array of terms in column order."""
    return {str(term): index for index, term in enumerate(array.tolist())}


def _head(arrays: dict[str, Any], name: str) -> Head:
    """One head from the exported arrays."""
    labels = tuple(str(label) for label in arrays[f"{name}_labels"].tolist())
    weights = np.ascontiguousarray(arrays[f"{name}_coef"].astype(np.float32).T)
    return Head(labels, weights, arrays[f"{name}_intercept"].astype(np.float32))


def _softmax(rows: FloatArray) -> FloatArray:
    """Row-wise softmax of decision scores, scaled so linear-SVM margins give usable probabilities."""
    scaled = 3.0 * (rows - rows.max(axis=-1, keepdims=True))
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def load_classifier(groups: StemGroups, model: Path | None = None) -> EventClassifier:
    """The classifier in ``model``, else in $KHABAR_EVENT_MODEL, else the packaged one."""
    override = model or os.environ.get(MODEL_ENV, "")
    path = Path(override) if override else resources.files("khabar") / "data" / "events" / MODEL_FILE
    try:
        with resources.as_file(path) as real, np.load(real, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"event classifier {path} cannot be loaded ({exc}); rebuild it with `python scripts/train_events.py`"
        ) from exc
    return EventClassifier(arrays, groups)
