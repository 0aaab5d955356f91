"""Train khabar's event classifier heads and write model.npz and cv.json.

Usage: python scripts/train_events.py [--shared ../shared/data] [--no-cv]

Sources (read in place, never copied): CASE-2021 dev snippets, ACLED Afghanistan notes, ISAF press
releases (lead paragraph), PLOVER gold-standard sentences, and khabar's own labelled sentences in
src/khabar/data/events/examples.tsv. Cross-validated figures (5-fold, stratified) are written to
src/khabar/data/events/cv.json; scores on training rows are never reported.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from khabar.eventclf import CHAR_OPTIONS, MODEL_FILE, WORD_OPTIONS, EventClassifier, classifier_text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "khabar" / "data" / "events"
Rows = list[tuple[str, str]]
C_VALUE = 1.0
SEED = 13


def load_types() -> dict[str, Any]:
    """The packaged type table."""
    return yaml.safe_load((DATA / "types.yaml").read_text())


def read_case21(shared: Path) -> Rows:
    """CASE-2021 dev snippets with their codes."""
    with (shared / "case21" / "dev.tsv").open() as handle:
        return [(r["text"], r["label"]) for r in csv.DictReader(handle, delimiter="\t")]


def read_acled(shared: Path, types: dict[str, Any]) -> list[tuple[str, str, str]]:
    """ACLED notes with their CASE code and ACLED event type."""
    table = types["acled_sub_event_type"]
    with (shared / "acled" / "dev.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return [(r["notes"], table[r["sub_event_type"]], r["event_type"]) for r in rows]


def read_isaf(shared: Path, types: dict[str, Any]) -> Rows:
    """ISAF releases cut to their lead paragraph, with the CASE code of their first type."""
    table = types["isaf_event_type"]
    rows = []
    for line in (shared / "isaf" / "dev.jsonl").read_text().splitlines():
        record = json.loads(line)
        rows.append((isaf_lead(record["text"]), table[record["event_type"][0].split(";")[0]]))
    return rows


def isaf_lead(text: str) -> str:
    """The first paragraph after the dateline of a press release."""
    match = re.search(r"\)\s*[-\u2013\u2014]\s*(.+)", text)
    body = match.group(1) if match else text
    return re.split(r"\u2028|\n", body)[0][:600]


def read_plover(shared: Path) -> Rows:
    """PLOVER gold-standard sentences with their event type."""
    records = json.loads((shared / "plover" / "gsr.json").read_text())
    return [(r["text"], r["event"]) for r in records if r.get("event") != "DOCUMENT" and r.get("text")]


def read_examples(scheme: str) -> Rows:
    """khabar's own labelled sentences of one scheme."""
    with (DATA / "examples.tsv").open() as handle:
        return [(r["text"], r["label"]) for r in csv.DictReader(handle, delimiter="\t") if r["scheme"] == scheme]


class Features:
    """Word and char TF-IDF blocks fitted on one training set."""

    def __init__(self, texts: list[str]) -> None:
        texts = [classifier_text(t) for t in texts]
        self.word = TfidfVectorizer(sublinear_tf=True, **WORD_OPTIONS).fit(texts)
        self.char = TfidfVectorizer(sublinear_tf=True, min_df=2, **CHAR_OPTIONS).fit(texts)

    def __call__(self, texts: list[str]) -> Any:
        texts = [classifier_text(t) for t in texts]
        return hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()


def fit_head(rows: Rows, features: Features) -> LinearSVC:
    """A linear SVM on rows."""
    texts, labels = zip(*rows, strict=True)
    return LinearSVC(C=C_VALUE, class_weight="balanced", random_state=SEED).fit(features(list(texts)), labels)


def fit_predict(train: Rows, test_texts: list[str]) -> list[str]:
    """Fit features and a head on train, predict test texts."""
    features = Features([t for t, _ in train])
    return list(fit_head(train, features).predict(features(test_texts)))


def cross_validate(target: Rows, extra: Rows) -> tuple[list[str], list[str]]:
    """Out-of-fold predictions for target rows, each fold trained on extra plus the other folds."""
    gold = [label for _, label in target]
    predicted = [""] * len(target)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(gold)), _stratifiable(gold)):
        train = extra + [target[i] for i in train_idx]
        for i, label in zip(test_idx, fit_predict(train, [target[i][0] for i in test_idx]), strict=True):
            predicted[i] = label
    return gold, predicted


def _stratifiable(labels: list[str]) -> list[str]:
    """Labels with classes rarer than the fold count pooled, so stratification is possible."""
    counts = {label: labels.count(label) for label in set(labels)}
    return [label if counts[label] >= 5 else "_rare" for label in labels]


def case_scores(gold: list[str], predicted: list[str], acled_codes: set[str]) -> dict[str, float]:
    """CASE-2021 figures: weighted F1 on the 25 ACLED codes and on all, macro F1, accuracy."""
    keep = [i for i, g in enumerate(gold) if g in acled_codes]
    g25, p25 = [gold[i] for i in keep], [predicted[i] for i in keep]
    labels25 = sorted(acled_codes)
    return {
        "weighted_f1_25": round(float(f1_score(g25, p25, labels=labels25, average="weighted")), 4),
        "weighted_f1_all": round(float(f1_score(gold, predicted, average="weighted")), 4),
        "macro_f1_all": round(float(f1_score(gold, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
    }


def evaluate(shared: Path) -> dict[str, Any]:
    """All cross-validated and held-out figures."""
    types = load_types()
    acled_codes = {c for c, row in types["codes"].items() if row["event_type"]}
    case21, isaf = read_case21(shared), read_isaf(shared, types)
    acled = read_acled(shared, types)
    acled_rows = [(t, c) for t, c, _ in acled]
    own, plover, own_plover = read_examples("case"), read_plover(shared), read_examples("plover")
    gold, predicted = cross_validate(case21, acled_rows + isaf + own)
    held_out = fit_predict(acled_rows + isaf + own, [t for t, _ in case21])
    agold, apred = cross_validate(acled_rows, case21 + isaf + own)
    kind_of = {code: row["event_type"] for code, row in types["codes"].items()}
    igold, ipred = cross_validate(isaf, case21 + acled_rows + own)
    pgold, ppred = cross_validate(plover, own_plover)
    return {
        "method": (
            "LinearSVC (C=1.0, balanced) over TF-IDF word 1-2grams + char_wb 3-5grams"
            " + trigger-group pseudo-words; 5-fold stratified"
        ),
        "case21": case_scores(gold, predicted, acled_codes),
        "case21_held_out": {
            **case_scores([g for _, g in case21], held_out, acled_codes),
            "trained_on": "acled+isaf+own (no case21 rows)",
        },
        "acled": {
            "event_type_acc": round(_accuracy([kind_of[g] for g in agold], [kind_of[p] for p in apred]), 4),
            "sub_event_type_acc": round(_accuracy(agold, apred), 4),
        },
        "isaf": {"case_code_acc": round(_accuracy(igold, ipred), 4)},
        "plover": {"event_acc": round(_accuracy(pgold, ppred), 4)},
        "rows": {"case21": len(case21), "acled": len(acled), "isaf": len(isaf), "plover": len(plover),
                 "own_case": len(own), "own_plover": len(own_plover)},
    }


def _accuracy(gold: list[str], predicted: list[str]) -> float:
    """Plain accuracy."""
    return float(accuracy_score(gold, predicted))


def train_final(shared: Path) -> dict[str, Any]:
    """Fit both heads on every source and return the arrays to export."""
    types = load_types()
    case_rows = read_case21(shared) + [(t, c) for t, c, _ in read_acled(shared, types)]
    case_rows += read_isaf(shared, types) + read_examples("case")
    plover_rows = read_plover(shared) + read_examples("plover")
    features = Features([t for t, _ in case_rows + plover_rows])
    arrays: dict[str, Any] = {
        "word_vocab": _terms(features.word), "char_vocab": _terms(features.char),
        "word_idf": features.word.idf_.astype(np.float32), "char_idf": features.char.idf_.astype(np.float32),
    }
    for name, rows in (("case", case_rows), ("plover", plover_rows)):
        head = fit_head(rows, features)
        arrays[f"{name}_labels"] = np.array(head.classes_, dtype=str)
        arrays[f"{name}_coef"] = head.coef_.astype(np.float16)
        arrays[f"{name}_intercept"] = head.intercept_.astype(np.float32)
    _check_export(arrays, features, case_rows)
    return arrays


def _terms(vectorizer: TfidfVectorizer) -> Any:
    """Vocabulary terms in column order."""
    return np.array(vectorizer.get_feature_names_out(), dtype=str)


def _check_export(arrays: dict[str, Any], features: Features, rows: Rows) -> None:
    """Fail loudly if the numpy runtime disagrees with scikit-learn on the training texts."""
    texts = [t for t, _ in rows[:200]]
    runtime = EventClassifier(arrays)
    reference = features(texts)
    rebuilt = runtime.features(texts)
    if abs(reference - rebuilt).max() > 1e-4:
        raise SystemExit("exported features differ from scikit-learn's; check WORD_OPTIONS/CHAR_OPTIONS")


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> None:
    """Train, export and (unless --no-cv) cross-validate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-cv", action="store_true")
    args = parser.parse_args(argv)
    np.savez_compressed(DATA / MODEL_FILE, **train_final(args.shared))
    report(f"wrote {DATA / MODEL_FILE} ({(DATA / MODEL_FILE).stat().st_size / 1e6:.1f} MB)")
    if not args.no_cv:
        figures = evaluate(args.shared)
        (DATA / "cv.json").write_text(json.dumps(figures, indent=2) + "\n")
        report(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
