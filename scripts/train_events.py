"""Train khabar's event classifier heads and write model.npz and cv.json.

Usage: python scripts/train_events.py [--shared ../shared/data] [--no-cv] [--no-pipeline] [--plover-pipeline-cv]
                                     [--case21-cv]

Sources (read in place, never copied): CASE-2021 dev snippets, ACLED Afghanistan notes, ISAF press
releases (lead paragraph), PLOVER gold-standard sentences, and khabar's own labelled sentences in
src/khabar/data/events/examples.tsv. Cross-validated figures (5-fold, stratified; pooled and
per-fold mean) are written to src/khabar/data/events/cv.json, with whole-pipeline figures measured by
`khabar eval` under a model trained without the evaluated split; scores on training rows are never
reported. The PLOVER event accuracy is also cross-validated through the whole pipeline (each fold
scored by `khabar eval plover` under a model trained without that fold); `--plover-pipeline-cv` only
measures that figure and writes nothing; `--case21-cv` only measures the classifier's case21 CV (per-fold
mean and spread, per-class figures, most frequent confusions) and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import yaml
from scipy.sparse import diags, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from khabar.events.classify import CHAR_OPTIONS, MODEL_ENV, MODEL_FILE, WORD_OPTIONS, EventClassifier, classifier_text
from khabar.events.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "khabar" / "data" / "events"
Rows = list[tuple[str, str]]
TRIGGER_GROUPS = load_lexicon().stem_groups  # the lexicon's trigger groups: their pseudo-words are features
C_VALUE = 1.0
SEED = 13
FOLDS = 5
# Out-of-domain sources (ACLED notes, ISAF releases) help with vocabulary and rare classes, but their
# style and label conventions differ from the news snippets': their rows weigh less. The value was
# picked by comparing 5-fold CV on case21 among 0.2/0.3/0.5/1.0 (not nested; cv.json says so).
AUX_WEIGHT = 0.3
# Our own case sentences follow the CASE-2021 class definitions, so they weigh as much as the
# snippets. Picked among 0.3/0.6/1.0 by case21 CV averaged over three fold seeds (not nested).
OWN_CASE_WEIGHT = 1.0
# ACLED's own coded notes from outside Afghanistan (acled/train: Kenya, Bangladesh, Benin, Myanmar) teach
# protests, riots, mob violence and communal violence in ACLED's conventions. Mixed in plainly they cost the
# news snippets (pooled case21 CV weighted F1 0.813 -> 0.785 at weight 0.1), so the case head learns report-style
# rows and news rows apart as well as together (REPORT_SOURCES below) and ships the news side. `--notes-weight-cv`
# scores weights 0/0.1/0.3/1.0 on training rows only (leave-one-country-out sub-event accuracy on the notes;
# 5-fold case21 CV); data/events/README.md gives the figures and the rule that chose 0.1.
NOTES_WEIGHT = 0.1
NOTES_WEIGHTS_TRIED = (0.0, 0.1, 0.3, 1.0)
# Sources written as reports (ACLED's coded notes, ISAF's press releases), not as news. The case head sees
# each row's features three times: once shared, once in a block only report rows fill and once in a block
# only news rows fill ("frustratingly easy" domain adaptation). The shipped weights are the shared block plus
# the news block, so report conventions teach vocabulary and rare classes without overruling news usage.
REPORT_SOURCES = frozenset({"acled", "isaf", "acled_notes"})
# Measured and not shipped: the report side (shared block plus report block) with a genre head sending
# report-style documents to it. `--genre-cv` scores each candidate margin on training rows only; the rule set
# before the run and its outcome (only margin 1.0 keeps unseen news off the report side, for +0.01) are in
# data/events/README.md.
GENRE_MARGINS_TRIED = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
OutOfFold = tuple[list[str], list[str], list[list[int]]]  # gold, predicted, each fold's test row indices


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


def read_acled_notes(shared: Path, types: dict[str, Any]) -> dict[str, Rows]:
    """ACLED's training notes by country file, each event once (one file lists an event once per actor)."""
    table = types["acled_sub_event_type"]
    found: dict[str, Rows] = {}
    seen: set[str] = set()
    for path in sorted((shared / "acled" / "train").glob("*.csv")):
        with path.open() as handle:
            rows = list(csv.DictReader(handle))
        found[path.stem] = []
        for row in rows:
            if row["event_id_cnty"] not in seen and row["sub_event_type"] in table:
                seen.add(row["event_id_cnty"])
                found[path.stem].append((row["notes"], table[row["sub_event_type"]]))
    return found


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


def plover_records(shared: Path) -> list[dict[str, Any]]:
    """PLOVER gold-standard records that hold a sentence and an event type (documentation records skipped)."""
    records = json.loads((shared / "plover" / "gsr.json").read_text())
    return [r for r in records if r.get("text") and r.get("event") and str(r["event"]).upper() != "DOCUMENT"]


def read_plover(shared: Path) -> Rows:
    """PLOVER gold-standard sentences with their event type."""
    return [(r["text"], r["event"]) for r in plover_records(shared)]


def read_examples(scheme: str) -> Rows:
    """khabar's own labelled sentences of one scheme."""
    with (DATA / "examples.tsv").open() as handle:
        return [(r["text"], r["label"]) for r in csv.DictReader(handle, delimiter="\t") if r["scheme"] == scheme]


class Features:
    """Word and char TF-IDF blocks fitted on one training set."""

    def __init__(self, texts: list[str]) -> None:
        texts = [classifier_text(t, TRIGGER_GROUPS) for t in texts]
        self.word = TfidfVectorizer(sublinear_tf=True, **WORD_OPTIONS).fit(texts)
        self.char = TfidfVectorizer(sublinear_tf=True, min_df=2, **CHAR_OPTIONS).fit(texts)

    def __call__(self, texts: list[str]) -> Any:
        texts = [classifier_text(t, TRIGGER_GROUPS) for t in texts]
        return hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()


class Head(NamedTuple):
    """A linear head as it ships: classes, one weight row per class over the feature columns, intercepts."""

    classes_: Any
    coef_: Any
    intercept_: Any

    def predict(self, matrix: Any) -> list[str]:
        """The best-scoring class of each row."""
        scores = np.asarray(matrix @ self.coef_.T) + self.intercept_
        if scores.shape[1] == 1:  # two classes: one weight row, positive for the second class
            return [str(self.classes_[int(s > 0)]) for s in scores[:, 0]]
        return [str(self.classes_[i]) for i in scores.argmax(axis=1)]


class Pool(NamedTuple):
    """Training rows with each row's weight and whether it is written as a report (see REPORT_SOURCES)."""

    rows: Rows
    weights: list[float]
    report: list[bool]


def domain_blocks(matrix: Any, report: list[bool]) -> Any:
    """The features, then a copy only report rows fill, then a copy only news rows fill."""
    is_report = np.asarray(report, dtype=float)
    return hstack([matrix, diags(is_report) @ matrix, diags(1.0 - is_report) @ matrix]).tocsr()


def fit_head(rows: Rows, features: Features, weights: list[float] | None = None,
             report: list[bool] | None = None) -> Head:
    """A linear SVM on rows, each row weighted (1.0 when no weights are given), shipped as its news side."""
    return fit_sides(rows, features, weights, report)[0]


def fit_sides(rows: Rows, features: Features, weights: list[float] | None = None,
              report: list[bool] | None = None) -> tuple[Head, Head]:
    """A linear SVM on rows, each row weighted (1.0 when no weights are given): its news side and report side.

    With report rows among news rows, the SVM is fitted on domain blocks; the news side keeps the shared block
    plus the news block, the report side the shared block plus the report block. Otherwise both sides are the
    plain SVM.
    """
    texts, labels = zip(*rows, strict=True)
    matrix = features(list(texts))
    split = report is not None and any(report) and not all(report)
    model = LinearSVC(C=C_VALUE, class_weight="balanced", random_state=SEED)
    model.fit(domain_blocks(matrix, report) if split and report else matrix, labels,
              sample_weight=np.asarray(weights or [1.0] * len(rows)))
    if not split:
        plain = Head(model.classes_, model.coef_, model.intercept_)
        return plain, plain
    width = matrix.shape[1]
    shared, reports, news = (model.coef_[:, k * width : (k + 1) * width] for k in range(3))
    return (Head(model.classes_, shared + news, model.intercept_),
            Head(model.classes_, shared + reports, model.intercept_))


def fit_genre(rows: Rows, features: Features, report: list[bool]) -> Head:
    """A linear SVM telling report-style rows (True) from news rows: positive margins mean report."""
    model = LinearSVC(C=C_VALUE, class_weight="balanced", random_state=SEED)
    model.fit(features([t for t, _ in rows]), report)
    return Head(model.classes_, model.coef_, model.intercept_)


def genre_margins(genre: Head, matrix: Any) -> Any:
    """Each row's genre margin (above 0 leans to report style)."""
    return np.asarray(matrix @ genre.coef_.T).ravel() + genre.intercept_[0]


def routed(news: list[str], reports: list[str], margins: Any, threshold: float) -> list[str]:
    """The report side's label where a row's genre margin passes the threshold, else the news side's."""
    return [r if m > threshold else n for n, r, m in zip(news, reports, margins, strict=True)]


def fit_predict(train: Rows, test_texts: list[str], weights: list[float] | None = None,
                report: list[bool] | None = None) -> list[str]:
    """Fit features and a head on (weighted) train rows, predict test texts as news."""
    features = Features([t for t, _ in train])
    return fit_head(train, features, weights, report).predict(features(test_texts))


def cross_validate(target: Rows, extra: Pool, target_weight: float = 1.0, target_report: bool = False) -> OutOfFold:
    """Out-of-fold predictions for target rows (each fold trained on extra plus the other folds) and the folds."""
    gold = [label for _, label in target]
    predicted = [""] * len(target)
    tests: list[list[int]] = []
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(gold)), _stratifiable(gold)):
        train = extra.rows + [target[i] for i in train_idx]
        weights = extra.weights + [target_weight] * len(train_idx)
        report = extra.report + [target_report] * len(train_idx)
        found = fit_predict(train, [target[i][0] for i in test_idx], weights, report)
        for i, label in zip(test_idx, found, strict=True):
            predicted[i] = label
        tests.append([int(i) for i in test_idx])
    return gold, predicted, tests


def per_fold(
    score: Callable[[list[str], list[str]], dict[str, float]], gold: list[str], predicted: list[str],
    tests: list[list[int]],
) -> dict[str, float]:
    """Each figure averaged over the folds (mean of per-fold scores), with its spread as `<name>_sd`."""
    runs = [score([gold[i] for i in fold], [predicted[i] for i in fold]) for fold in tests]
    out: dict[str, float] = {}
    for name in runs[0]:
        values = [run[name] for run in runs]
        out[name] = round(float(np.mean(values)), 4)
        out[f"{name}_sd"] = round(float(np.std(values)), 4)
    return out


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


def load_sources(shared: Path, types: dict[str, Any], notes: bool = NOTES_WEIGHT > 0) -> dict[str, Rows]:
    """Every training source by name: CASE-coded rows and PLOVER-typed rows (ACLED's training notes if ``notes``)."""
    found = {
        "case21": read_case21(shared),
        "acled": [(t, c) for t, c, _ in read_acled(shared, types)],
        "isaf": read_isaf(shared, types),
        "own_case": read_examples("case"),
        "plover": read_plover(shared),
        "own_plover": read_examples("plover"),
    }
    if notes:
        found["acled_notes"] = [row for rows in read_acled_notes(shared, types).values() for row in rows]
    return found


CASE_SOURCES = ("case21", "acled", "isaf", *(("acled_notes",) if NOTES_WEIGHT > 0 else ()), "own_case")
PLOVER_SOURCES = ("plover", "own_plover")
SOURCE_WEIGHT = {"acled": AUX_WEIGHT, "isaf": AUX_WEIGHT, "acled_notes": NOTES_WEIGHT, "own_case": OWN_CASE_WEIGHT}


def pooled(sources: dict[str, Rows], names: tuple[str, ...], skip: str = "") -> Pool:
    """The rows of the named sources (all but ``skip``), their weights and report flags."""
    pool = Pool([], [], [])
    for name in names:
        if name != skip:
            pool.rows.extend(sources[name])
            pool.weights.extend([SOURCE_WEIGHT.get(name, 1.0)] * len(sources[name]))
            pool.report.extend([name in REPORT_SOURCES] * len(sources[name]))
    return pool


def cv_source(sources: dict[str, Rows], name: str, names: tuple[str, ...]) -> OutOfFold:
    """Out-of-fold predictions for one source, trained as the shipped head is (same sources, same weights)."""
    extra = pooled(sources, names, skip=name)
    return cross_validate(sources[name], extra, SOURCE_WEIGHT.get(name, 1.0), name in REPORT_SOURCES)


def evaluate(shared: Path) -> dict[str, Any]:
    """All cross-validated and held-out figures of the classifier heads."""
    types = load_types()
    acled_codes = {c for c, row in types["codes"].items() if row["event_type"]}
    kind_of = {code: row["event_type"] for code, row in types["codes"].items()}
    sources = load_sources(shared, types)
    case21 = sources["case21"]

    def case_score(g: list[str], p: list[str]) -> dict[str, float]:
        """CASE-2021 figures of one fold."""
        return case_scores(g, p, acled_codes)

    def acled_score(g: list[str], p: list[str]) -> dict[str, float]:
        """ACLED type and sub-type accuracy of one fold."""
        types_ok = _accuracy([kind_of[x] for x in g], [kind_of[x] for x in p])
        return {"event_type_acc": round(types_ok, 4), "sub_event_type_acc": round(_accuracy(g, p), 4)}

    def accuracy(name: str) -> Callable[[list[str], list[str]], dict[str, float]]:
        """Plain accuracy of one fold under a metric name."""
        return lambda g, p: {name: round(_accuracy(g, p), 4)}

    gold, predicted, tests = cv_source(sources, "case21", CASE_SOURCES)
    aux = pooled(sources, CASE_SOURCES, skip="case21")
    held_out = fit_predict(aux.rows, [t for t, _ in case21], aux.weights, aux.report)
    agold, apred, atests = cv_source(sources, "acled", CASE_SOURCES)
    igold, ipred, itests = cv_source(sources, "isaf", CASE_SOURCES)
    pgold, ppred, ptests = cv_source(sources, "plover", PLOVER_SOURCES)
    return {
        "method": (
            f"LinearSVC (C={C_VALUE}, balanced) over TF-IDF word 1-2grams + char_wb 2-5grams + trigger-group"
            f" pseudo-words; ACLED and ISAF rows weighted {AUX_WEIGHT}, ACLED training notes {NOTES_WEIGHT},"
            f" own case rows {OWN_CASE_WEIGHT}; report-style rows ({', '.join(sorted(REPORT_SOURCES))}) and news"
            " rows in separate feature blocks besides a shared one, the news side shipped and scored;"
            f" {FOLDS}-fold stratified CV, figures are per-fold means (pooled out-of-fold figures as pooled_*);"
            " char range and row weights were picked on case21 CV, and our own case sentences were written after"
            " reading that CV's per-class misses (not nested, somewhat optimistic)"
        ),
        "case21": {**per_fold(case_score, gold, predicted, tests), **_prefixed(case_score(gold, predicted))},
        "case21_held_out": {
            **case_score([g for _, g in case21], held_out),
            "trained_on": "acled+isaf+own (no case21 rows)",
        },
        "acled": {**per_fold(acled_score, agold, apred, atests), **_prefixed(acled_score(agold, apred))},
        "isaf": per_fold(accuracy("case_code_acc"), igold, ipred, itests),
        "plover": {**per_fold(accuracy("event_acc"), pgold, ppred, ptests),
                   "pooled_event_acc": round(_accuracy(pgold, ppred), 4)},
        "rows": {name: len(rows) for name, rows in sources.items()},
    }


def _prefixed(figures: dict[str, float]) -> dict[str, float]:
    """Pooled out-of-fold figures under `pooled_` names."""
    return {f"pooled_{name}": value for name, value in figures.items()}


def _accuracy(gold: list[str], predicted: list[str]) -> float:
    """Plain accuracy."""
    return float(accuracy_score(gold, predicted))


def train_final(shared: Path, skip: str = "") -> dict[str, Any]:
    """Fit both heads on every source (but ``skip``) and return the arrays to export."""
    return train_arrays(load_sources(shared, load_types()), skip)


def train_arrays(sources: dict[str, Rows], skip: str = "") -> dict[str, Any]:
    """Fit both heads on the given sources (all but ``skip``) and return the arrays to export."""
    case = pooled(sources, CASE_SOURCES, skip)
    plover = pooled(sources, PLOVER_SOURCES, skip)
    features = Features([t for t, _ in case.rows + plover.rows])
    arrays: dict[str, Any] = {
        "word_vocab": _terms(features.word), "char_vocab": _terms(features.char),
        "word_idf": features.word.idf_.astype(np.float32), "char_idf": features.char.idf_.astype(np.float32),
    }
    for name, pool in (("case", case), ("plover", plover)):
        head = fit_head(pool.rows, features, pool.weights, pool.report)
        arrays[f"{name}_labels"] = np.array(head.classes_, dtype=str)
        arrays[f"{name}_coef"] = head.coef_.astype(np.float16)
        arrays[f"{name}_intercept"] = head.intercept_.astype(np.float32)
    _check_export(arrays, features, case.rows)
    return arrays


# Whole-pipeline figures on a split, measured with a model trained without that split's rows.
PIPELINE_RUNS = (
    ("case21", "case21/dev.tsv", "case21"),
    ("acled", "acled/dev.csv", "acled"),
    ("isaf", "isaf/dev.jsonl", "isaf"),
    ("plover", "plover/gsr.json", "plover"),
)


# The pipeline figures the classifier decides (the other fields come from other stages).
TYPE_METRICS = ("weighted_f1_25", "weighted_f1_all", "macro_f1_all", "accuracy", "event_type_acc",
                "sub_event_type_acc", "event_acc")


def pipeline_held_out(shared: Path, report: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    """`khabar eval` figures of each trained-on split under a model that never saw it."""
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path, source in PIPELINE_RUNS:
            model = Path(tmp) / f"without-{source}.npz"
            np.savez_compressed(model, **train_final(shared, skip=source))
            metrics = run_eval(kind, shared / path, model)
            out[kind] = {k: round(float(v), 4) for k, v in metrics.items() if k in TYPE_METRICS}
            if not any(out[kind].values()):
                raise SystemExit(f"khabar eval {kind} scored nothing under the held-out model: is the pipeline broken?")
            report(f"pipeline without {source} rows: {kind} {out[kind]}")
    return out


def run_eval(kind: str, path: Path, model: Path) -> dict[str, Any]:
    """`khabar eval KIND PATH --json` under another model file, its metrics as a dict."""
    env = {**os.environ, MODEL_ENV: str(model)}
    command = [sys.executable, "-m", "khabar", "eval", kind, str(path), "--json"]
    found = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    metrics: dict[str, Any] = json.loads(found.stdout)
    return metrics


def plover_folds(records: list[dict[str, Any]]) -> list[list[int]]:
    """The test row indices of each stratified fold of the PLOVER records (same split as the classifier CV)."""
    labels = _stratifiable([str(r["event"]) for r in records])
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return [[int(i) for i in test] for _, test in folds.split(np.zeros(len(labels)), labels)]


def without_rows(sources: dict[str, Rows], name: str, drop: list[int]) -> dict[str, Rows]:
    """The sources with the given row indices of one source left out."""
    skip = set(drop)
    return {**sources, name: [row for i, row in enumerate(sources[name]) if i not in skip]}


def plover_pipeline_cv(shared: Path, report: Callable[[str], None]) -> dict[str, Any]:
    """Whole-pipeline PLOVER event accuracy, cross-validated: each fold scored under a model trained without it."""
    records = plover_records(shared)
    sources = load_sources(shared, load_types())
    scores: list[float] = []
    sizes: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, test in enumerate(plover_folds(records)):
            model, rows = Path(tmp) / f"fold{n}.npz", Path(tmp) / f"fold{n}.json"
            np.savez_compressed(model, **train_arrays(without_rows(sources, "plover", test)))
            rows.write_text(json.dumps([records[i] for i in test]))
            scores.append(float(run_eval("plover", rows, model)["event_acc"]))
            sizes.append(len(test))
            report(f"plover pipeline fold {n}: event_acc {scores[-1]:.4f} on {len(test)} rows")
    return fold_summary("event_acc", scores, sizes)


def case21_cv(shared: Path) -> dict[str, Any]:
    """The case21 classifier CV alone: per-fold figures, per-class figures and the most frequent confusions."""
    types = load_types()
    acled_codes = {c for c, row in types["codes"].items() if row["event_type"]}
    gold, predicted, tests = cv_source(load_sources(shared, types), "case21", CASE_SOURCES)
    return {
        **per_fold(lambda g, p: case_scores(g, p, acled_codes), gold, predicted, tests),
        "folds": [case_scores([gold[i] for i in f], [predicted[i] for i in f], acled_codes)["weighted_f1_25"]
                  for f in tests],
        "per_class": per_class(gold, predicted),
        "confusions": confusions(gold, predicted),
    }


def per_class(gold: list[str], predicted: list[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each gold class, weakest F1 first."""
    labels = sorted(set(gold))
    prec, rec, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    rows = {
        label: {"p": round(float(p), 3), "r": round(float(r), 3), "f1": round(float(f), 3), "n": int(n)}
        for label, p, r, f, n in zip(labels, prec, rec, f1, support, strict=True)
    }
    return dict(sorted(rows.items(), key=lambda item: item[1]["f1"]))


def confusions(gold: list[str], predicted: list[str], top: int = 20) -> list[str]:
    """The most frequent (gold -> predicted) errors as `GOLD -> PREDICTED xN` lines."""
    pairs = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return [f"{g} -> {p} x{n}" for (g, p), n in pairs.most_common(top)]


def fold_summary(name: str, scores: list[float], sizes: list[int]) -> dict[str, Any]:
    """Mean and spread of per-fold scores, with the pooled (row-weighted) figure."""
    return {
        name: round(float(np.mean(scores)), 4),
        f"{name}_sd": round(float(np.std(scores)), 4),
        f"pooled_{name}": round(float(np.average(scores, weights=sizes)), 4),
        "folds": [round(s, 4) for s in scores],
    }


def _terms(vectorizer: TfidfVectorizer) -> Any:
    """Vocabulary terms in column order."""
    return np.array(vectorizer.get_feature_names_out(), dtype=str)


def _check_export(arrays: dict[str, Any], features: Features, rows: Rows) -> None:
    """Fail loudly if the numpy runtime disagrees with scikit-learn on the training texts."""
    texts = [t for t, _ in rows[:200]]
    runtime = EventClassifier(arrays, TRIGGER_GROUPS)
    reference = features(texts)
    rebuilt = runtime.features(texts)
    if abs(reference - rebuilt).max() > 1e-4:
        raise SystemExit("exported features differ from scikit-learn's; check WORD_OPTIONS/CHAR_OPTIONS")


def notes_weight_cv(shared: Path, report: Callable[[str], None]) -> dict[str, Any]:
    """Each candidate weight of ACLED's training notes, mixed plainly or in domain blocks, scored on training rows.

    Leave-one-country-out: a model trained on every other source and the other countries' notes is
    scored (sub-event code accuracy) on up to 1,500 notes of the left-out country; and 5-fold case21 CV
    (weighted F1 over the 25 ACLED codes) with the notes in training at that weight.
    """
    types = load_types()
    acled_codes = {c for c, row in types["codes"].items() if row["event_type"]}
    sources = load_sources(shared, types, notes=True)
    by_country = read_acled_notes(shared, types)
    others = tuple(name for name in CASE_SOURCES if name != "acled_notes")
    with_notes = (*others[:-1], "acled_notes", others[-1])
    tests = loco_tests(by_country)
    figures: dict[str, Any] = {}
    for weight, split in [(w, s) for w in NOTES_WEIGHTS_TRIED for s in (False, True) if w > 0 or not s]:
        SOURCE_WEIGHT["acled_notes"] = weight
        extra = _flattened(pooled(sources, others), split)
        left_out = {}
        for country, test in tests.items():
            notes = [row for other, more in by_country.items() if other != country for row in more] if weight else []
            found = fit_predict(extra.rows + notes, [t for t, _ in test], extra.weights + [weight] * len(notes),
                                extra.report + [split] * len(notes))
            left_out[country] = round(_accuracy([c for _, c in test], found), 4)
        case21 = case_scores(*_case21_cv(sources, with_notes if weight else others, split), acled_codes)
        loco = round(float(np.mean(list(left_out.values()))), 4)
        name = f"{weight}{' split' if split else ''}"
        figures[name] = {"loco_sub_event_acc": loco, "loco": left_out,
                         "case21_cv_weighted_f1_25": case21["weighted_f1_25"],
                         "objective": round((loco + case21["weighted_f1_25"]) / 2, 4)}
        report(f"notes weight {name}: {figures[name]}")
    SOURCE_WEIGHT["acled_notes"] = NOTES_WEIGHT
    return figures


def loco_tests(by_country: dict[str, Rows]) -> dict[str, Rows]:
    """Each country's left-out test rows for leave-one-country-out scores: up to 1,500, sampled with SEED."""
    rng = np.random.default_rng(SEED)
    return {country: [rows[i] for i in sorted(rng.permutation(len(rows))[:1500])]
            for country, rows in by_country.items()}


def genre_cv(shared: Path, report: Callable[[str], None]) -> dict[str, Any]:
    """Each candidate genre margin scored on training rows: which side types a text, and what that costs news.

    Leave-one-country-out on ACLED's training notes (up to 1,500 per country, the sample `--notes-weight-cv`
    uses): a model trained on every other source and the other countries' notes types the left-out notes
    by its news side, its report side, and routed by its genre head at each margin. 5-fold case21 CV: the
    same routing on the news snippets, each fold's model trained as the shipped one is. Leave-one-source-out
    on the news sources: the share of a news source the genre head sends to the report side when it was
    trained without that source (news it has never seen, as a user's will be).
    """
    types = load_types()
    acled_codes = {c for c, row in types["codes"].items() if row["event_type"]}
    sources = load_sources(shared, types, notes=True)
    by_country = read_acled_notes(shared, types)
    others = tuple(name for name in CASE_SOURCES if name != "acled_notes")
    plover = [row for name in PLOVER_SOURCES for row in sources[name]]
    extra = pooled(sources, others)
    loco: dict[str, dict[str, float]] = {}
    for country, test in loco_tests(by_country).items():
        notes = [row for other, more in by_country.items() if other != country for row in more]
        train = Pool(extra.rows + notes, extra.weights + [NOTES_WEIGHT] * len(notes),
                     extra.report + [True] * len(notes))
        news, reports, margins = _both_sides(train, plover, [t for t, _ in test])
        loco[country] = {"news": _accuracy([c for _, c in test], news),
                         "report": _accuracy([c for _, c in test], reports),
                         **{f"routed_{t}": _accuracy([c for _, c in test], routed(news, reports, margins, t))
                            for t in GENRE_MARGINS_TRIED}}
        report(f"genre cv, {country} left out: {loco[country]}")
    case21 = sources["case21"]
    aux = pooled(sources, CASE_SOURCES, skip="case21")
    labels = [label for _, label in case21]
    news21, reports21, margins21 = [""] * len(case21), [""] * len(case21), np.zeros(len(case21))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(labels)), _stratifiable(labels)):
        train = Pool(aux.rows + [case21[i] for i in train_idx], aux.weights + [1.0] * len(train_idx),
                     aux.report + [False] * len(train_idx))
        news, reports, margins = _both_sides(train, plover, [case21[i][0] for i in test_idx])
        for n, i in enumerate(test_idx):
            news21[i], reports21[i], margins21[i] = news[n], reports[n], margins[n]
    unseen = unseen_news_margins(sources)
    report(f"genre cv, unseen news sources: { {name: len(m) for name, m in unseen.items()} }")

    def mean(key: str) -> float:
        """The mean over left-out countries of one figure."""
        return round(float(np.mean([figures[key] for figures in loco.values()])), 4)

    table = {str(t): {"loco_sub_event_acc": mean(f"routed_{t}"),
                      "case21_cv_weighted_f1_25": case_scores(labels, routed(news21, reports21, margins21, t),
                                                              acled_codes)["weighted_f1_25"],
                      "case21_report_share": round(float(np.mean(margins21 > t)), 4),
                      "unseen_news_report_share": {name: round(float(np.mean(m > t)), 4)
                                                   for name, m in unseen.items()}}
             for t in GENRE_MARGINS_TRIED}
    return {"loco_news_side": mean("news"), "loco_report_side": mean("report"),
            "case21_cv_news_side": case_scores(labels, news21, acled_codes)["weighted_f1_25"],
            "margins": table,
            "loco": {country: {k: round(v, 4) for k, v in figures.items()} for country, figures in loco.items()}}


def unseen_news_margins(sources: dict[str, Rows]) -> dict[str, Any]:
    """Each news source's genre margins under a genre head trained on every source but it."""
    names = (*CASE_SOURCES, *PLOVER_SOURCES)
    out: dict[str, Any] = {}
    for left_out in ("case21", "own_case", *PLOVER_SOURCES):
        rows = [row for name in names if name != left_out for row in sources[name]]
        flags = [name in REPORT_SOURCES for name in names if name != left_out for _ in sources[name]]
        features = Features([t for t, _ in rows])
        out[left_out] = genre_margins(fit_genre(rows, features, flags), features([t for t, _ in sources[left_out]]))
    return out


def _both_sides(train: Pool, news_rows: Rows, texts: list[str]) -> tuple[list[str], list[str], Any]:
    """Fit the case head's two sides on a pool and the genre head on it plus more news rows; type texts by each
    side, with genre margins."""
    features = Features([t for t, _ in train.rows + news_rows])
    news, reports = fit_sides(train.rows, features, train.weights, train.report)
    matrix = features(texts)
    genre = fit_genre(train.rows + news_rows, features, train.report + [False] * len(news_rows))
    return news.predict(matrix), reports.predict(matrix), genre_margins(genre, matrix)


def _flattened(pool: Pool, split: bool) -> Pool:
    """The pool as it is, or with every row counted as news (the notes mixed in plainly)."""
    return pool if split else Pool(pool.rows, pool.weights, [False] * len(pool.rows))


def _case21_cv(sources: dict[str, Rows], names: tuple[str, ...], split: bool) -> tuple[list[str], list[str]]:
    """Pooled out-of-fold case21 gold and predictions, the other sources in domain blocks or not."""
    gold, predicted, _ = cross_validate(sources["case21"], _flattened(pooled(sources, names, skip="case21"), split))
    return gold, predicted


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> None:
    """Train, export and (unless --no-cv) cross-validate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--no-cv", action="store_true")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the held-out whole-pipeline runs")
    parser.add_argument("--plover-pipeline-cv", action="store_true",
                        help="only measure the whole-pipeline PLOVER CV and print it (writes no file)")
    parser.add_argument("--case21-cv", action="store_true",
                        help="only measure the classifier's case21 CV, per class, and print it (writes no file)")
    parser.add_argument("--notes-weight-cv", action="store_true",
                        help="only score each candidate weight of ACLED's training notes by CV on training rows")
    parser.add_argument("--genre-cv", action="store_true",
                        help="only score each candidate genre margin by CV on training rows and print it")
    args = parser.parse_args(argv)
    if args.genre_cv:
        report(json.dumps(genre_cv(args.shared, report), indent=2))
        return
    if args.notes_weight_cv:
        report(json.dumps(notes_weight_cv(args.shared, report), indent=2))
        return
    if args.case21_cv:
        report(json.dumps(case21_cv(args.shared), indent=2))
        return
    if args.plover_pipeline_cv:
        report(json.dumps(plover_pipeline_cv(args.shared, report), indent=2))
        return
    np.savez_compressed(DATA / MODEL_FILE, **train_final(args.shared))
    report(f"wrote {DATA / MODEL_FILE} ({(DATA / MODEL_FILE).stat().st_size / 1e6:.1f} MB)")
    if not args.no_cv:
        figures = evaluate(args.shared)
        if not args.no_pipeline:
            merge_pipeline(figures, pipeline_held_out(args.shared, report))
            merge_plover_cv(figures, plover_pipeline_cv(args.shared, report))
        (DATA / "cv.json").write_text(json.dumps(figures, indent=2) + "\n")
        report(json.dumps(figures, indent=2))


def merge_plover_cv(figures: dict[str, Any], cv: dict[str, Any]) -> None:
    """Add the whole-pipeline PLOVER CV to the plover figures under `pipeline_cv_` names."""
    figures["plover"].update({f"pipeline_cv_{name}": value for name, value in cv.items()})
    figures["plover"]["pipeline_cv_how"] = (
        f"whole pipeline (khabar eval plover) on each of {FOLDS} stratified folds, model trained without that"
        " fold's rows; our own PLOVER examples and lexicon entries were written after reading this CV's misses,"
        " so the figure is not nested and somewhat optimistic"
    )


def merge_pipeline(figures: dict[str, Any], runs: dict[str, dict[str, Any]]) -> None:
    """Add held-out pipeline figures: ISAF's event type (no CV figure exists for it) and the rest as extras."""
    for kind, metrics in runs.items():
        figures[f"{kind}_pipeline_held_out"] = {**metrics, "trained_on": f"every source but the {kind} rows"}
    if "isaf" in runs and "event_type_acc" in runs["isaf"]:
        figures["isaf"]["event_type_acc"] = runs["isaf"]["event_type_acc"]
        figures["isaf"]["event_type_acc_how"] = "whole pipeline, model trained without any isaf row"


if __name__ == "__main__":
    main()
