"""CASE-2021 task 2: one event class per snippet."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from khabar import events as events_mod
from khabar.errors import InputError
from khabar.eval.common import (
    EvalTables,
    Metrics,
    analyse,
    confusion,
    csv_rows,
    document_for,
    limited,
    load_eval_tables,
    macro_f1,
    pipeline_for,
    share,
    weighted_f1,
)
from khabar.settings import Settings

log = logging.getLogger(__name__)



# --- case21 ----------------------------------------------------------------------------------


def load_case21(path: Path, tables: EvalTables) -> list[tuple[str, str]]:
    """(text, label) rows of a CASE-2021 TSV file."""
    rows = csv_rows(path, "\t", ("text", "label"))
    known = tables.case21_acled | tables.case21_other
    for number, row in enumerate(rows, start=2):
        if row["label"] not in known:
            raise InputError(f"{path}:{number}", f"unknown label {row['label']!r}",
                             f"labels must be CASE-2021 codes: {', '.join(sorted(known))}")
    return [(row["text"], row["label"]) for row in rows]


def case21_metrics(gold: Sequence[str], pred: Sequence[str], tables: EvalTables) -> Metrics:
    """CASE-2021 scores: weighted F1 on the ACLED codes and on all, macro F1, accuracy."""
    acled = tables.case21_acled
    pairs = [(g, p) for g, p in zip(gold, pred, strict=True) if g in acled]
    return {
        "weighted_f1_25": weighted_f1([g for g, _ in pairs], [p for _, p in pairs]),
        "weighted_f1_all": weighted_f1(gold, pred),
        "macro_f1_all": macro_f1(gold, pred),
        "accuracy": share(g == p for g, p in zip(gold, pred, strict=True)),
        "confusion": confusion(gold, pred),
        "n": len(gold),
    }


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score one label per snippet."""
    tables = load_eval_tables()
    rows = limited(load_case21(path, tables), limit)
    analyses = analyse([document_for(text) for text, _ in rows], settings)
    resources = pipeline_for(settings).event_resources
    pred = [events_mod.document_label(a, resources) if a is not None else "" for a in analyses]
    return case21_metrics([label for _, label in rows], pred, tables)


