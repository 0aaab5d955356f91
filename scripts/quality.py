"""Write docs/QUALITY.md: khabar's current figures on every dev set, the targets and the bench.

Usage: python scripts/quality.py [--out docs/QUALITY.md] [--limit N] [--skip-bench]
The shared data directory is found as for `khabar bench` (KHABAR_SHARED or a `shared` sibling).
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.bench import format_bench, run_bench, shared_root
from khabar.eval import eval_table, run_eval, shown_value
from khabar.settings import load_settings

log = logging.getLogger("quality")

REPO = Path(__file__).resolve().parent.parent

# (label, kind, dataset path relative to the shared directory, gold path, targets key). A gold path
# relative to the shared directory, or absolute (the team's own gold lives in the repo).
DATASETS: tuple[tuple[str, str, str, str | Path | None, str], ...] = (
    ("seeds", "seeds", "corpus/seeds", "gold/seeds.yaml", "seeds"),
    ("team document gold (80 articles)", "docs", ".", REPO / "gold", "docs"),
    ("team held-out document gold (32 articles, never tuned on)", "docs", ".", REPO / "gold" / "heldout", "docs"),
    ("case21 dev", "case21", "data/case21/dev.tsv", None, "case21"),
    ("acled dev (Afghanistan 2019)", "acled", "data/acled/dev.csv", None, "acled"),
    ("acled dev_world2020", "acled", "data/acled/dev_world2020.csv", None, "acled_world"),
    ("acled dev_africa2016 (old taxonomy)", "acled", "data/acled/dev_africa2016.csv", None, ""),
    ("isaf dev", "isaf", "data/isaf/dev.jsonl", None, "isaf"),
    ("incidents gvc_dev", "incidents", "data/incidents/gvc_dev", None, "incidents"),
    ("geo GeoWebNews", "geo", "data/geo/gwn.xml", None, "geo"),
    ("geo GeoVirus", "geo", "data/geo/geovirus.xml", None, "geo_geovirus"),
    ("plover GSR", "plover", "data/plover/gsr.json", None, "plover"),
)
# Targets by label: an empty key (the old-taxonomy ACLED set, whose notes carry no dates) is reported
# without targets.
TARGET_KEYS = {label: key for label, _, _, _, key in DATASETS}


def main() -> int:
    """Run every evaluation and the bench, then write the report."""
    args = _arguments()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s: %(message)s")
    settings = load_settings()
    shared = shared_root()
    results = []
    for label, kind, data, gold, _ in DATASETS:
        started = time.perf_counter()
        log.info("evaluating %s", label)
        metrics = run_eval(kind, shared / data, shared / gold if gold else None, args.limit, settings)
        shown = f"{data} --gold {gold.relative_to(REPO)}/" if isinstance(gold, Path) else data
        results.append((label, kind, shown, metrics, time.perf_counter() - started))
    bench = None if args.skip_bench else _bench(args.bench_json, settings)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ingest = json.loads(args.ingest_bench_json.read_text(encoding="utf-8")) if args.ingest_bench_json else None
    merging = [json.loads(p.read_text(encoding="utf-8")) for p in args.merge_bench_json if p.is_file()]
    args.out.write_text(render(results, bench, settings.worker_count(), ingest, merging), encoding="utf-8")
    log.info("wrote %s", args.out)
    return 0


def _bench(saved: Path | None, settings: Any) -> dict[str, Any]:
    """Bench figures: from an earlier `khabar bench --json` run, or measured now."""
    if saved is not None:
        figures: dict[str, Any] = json.loads(saved.read_text(encoding="utf-8"))
        return figures
    log.info("running the bench")
    return run_bench(None, None, 0, settings, rounds=2)


def _arguments() -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/QUALITY.md"))
    parser.add_argument("--limit", type=int, default=None, help="score only the first N rows of each set")
    parser.add_argument("--skip-bench", action="store_true")
    parser.add_argument("--bench-json", type=Path, default=None,
                        help="use the output of an earlier `khabar bench --json` instead of running it")
    parser.add_argument("--ingest-bench-json", type=Path, default=None,
                        help="add the output of `python scripts/bench_ingest.py --json` (1 against N processes)")
    parser.add_argument("--merge-bench-json", type=Path, action="append", default=[],
                        help="add the output of a `khabar bench merge --json` run (repeatable; missing files skipped)")
    return parser.parse_args()


def render(results: list[tuple[str, str, str, dict[str, Any], float]], bench: dict[str, Any] | None,
           cores: int, ingest: dict[str, Any] | None = None, merging: list[dict[str, Any]] | None = None) -> str:
    """The Markdown report."""
    targets = eval_table("targets.yaml")
    lines = [
        "# khabar quality",
        "",
        "Generated by `make quality` (`python scripts/quality.py`); do not edit by hand.",
        "",
        f"- generated: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- commit: {_commit()}",
        f"- machine: {platform.platform()}, {platform.processor() or platform.machine()}, {cores} core(s), "
        f"Python {platform.python_version()}",
        "",
        "Every figure comes from running the whole pipeline (`khabar eval KIND PATH`) on the dev sets in",
        "`../shared/data` and on the seed articles. Matching rules are documented in `khabar/eval/`.",
        "These are dev sets: khabar is also judged on unseen rows, so nothing is tuned to them. Figures",
        "for any component trained on a dev split are reported cross-validated (section below); the",
        "whole-pipeline figures on such a split are in-sample and marked so.",
        "",
        "## Targets",
        "",
        "| set | metric | value | target | met |",
        "|---|---|---|---|---|",
    ]
    lines += _target_rows(results, bench, targets.get("targets", {}))
    lines += _references(results, targets.get("references", []))
    trained_rows = _cv_figures().get("rows", {})
    for label, kind, data, metrics, seconds in results:
        aims = targets.get("targets", {}).get(TARGET_KEYS[label], {}) if TARGET_KEYS[label] else {}
        lines += _dataset_section(label, kind, data, metrics, seconds, aims)
        # cv.json gives the row count of each training split; the same count marks the same split
        if trained_rows.get(kind) == metrics.get("n"):
            lines += ["", f"In-sample: a component was trained on this split; see the cross-validated {kind} "
                      "figures below."]
    lines += _cv_section()
    lines += _bench_section(bench)
    lines += _ingest_section(ingest)
    lines += _merge_section(merging or [])
    return "\n".join(lines) + "\n"


# Metrics produced by the event classifier, which is trained on some dev splits: on those splits
# they are judged by their cross-validated figure, never by the in-sample one.
TRAINED_METRICS = frozenset({"weighted_f1_25", "weighted_f1_all", "macro_f1_all", "accuracy", "event_type_acc",
                             "sub_event_type_acc", "event_acc"})


def _target_rows(results: list[tuple[str, str, str, dict[str, Any], float]], bench: dict[str, Any] | None,
                 targets: dict[str, Any]) -> list[str]:
    """One row per target: the measured value and whether it is met."""
    rows = []
    cv = _cv_figures()
    trained_rows = cv.get("rows", {})
    for label, kind, _, metrics, _ in results:
        if not TARGET_KEYS[label]:
            continue
        in_sample = trained_rows.get(kind) == metrics.get("n")
        shown = f"{label} (in-sample)" if in_sample else label
        for metric, target in targets.get(TARGET_KEYS[label], {}).items():
            if metric not in metrics:
                continue
            trained = in_sample and metric in TRAINED_METRICS
            honest = cross_validated(cv, kind, metric) if trained else None
            rows.append(_target_row(shown, metric, metrics[metric], target, trained, honest))
    if bench is not None:
        for metric, target in targets.get("bench", {}).items():
            rows.append(_target_row("bench", metric, bench[metric], target))
    return rows


def _target_row(label: str, metric: str, value: float | None, target: dict[str, Any], in_sample: bool = False,
                cross_validated: float | None = None) -> str:
    """A Markdown row comparing a value with its target; in-sample values are judged by their CV figure."""
    judged = cross_validated if in_sample else value
    met = judged is not None and (judged >= target["value"] if target["op"] == ">=" else judged <= target["value"])
    shown = shown_value(value)
    if in_sample:
        shown += f" (CV {shown_value(cross_validated)})" if cross_validated is not None else " (no CV figure)"
    verdict = ("yes" if met else "no") if judged is not None else "not judged"
    return f"| {label} | {metric} | {shown} | {target['op']} {target['value']} | {verdict} |"


def _references(results: list[tuple[str, str, str, dict[str, Any], float]], references: list[Any]) -> list[str]:
    """Published reference figures next to khabar's."""
    lines = ["", "## Published references", "", "| set | metric | khabar | published | source |",
             "|---|---|---|---|---|"]
    cv = _cv_figures()
    for ref in references:
        for label, kind, _, metrics, _ in results:
            if kind == ref["kind"] and ref["metric"] in metrics and ref.get("set", label) == label:
                ours = _comparable_value(kind, ref["metric"], metrics, cv)
                lines.append(f"| {label} | {ref['metric']} | {ours} | {ref['value']} | {ref['source']} |")
    return lines


def _comparable_value(kind: str, metric: str, metrics: dict[str, Any], cv: dict[str, Any]) -> str:
    """khabar's figure to set beside a published one: the CV figure when the split was trained on."""
    in_sample = cv.get("rows", {}).get(kind) == metrics.get("n") and metric in TRAINED_METRICS
    if not in_sample:
        return shown_value(metrics[metric])
    figure = cross_validated(cv, kind, metric)
    return f"{shown_value(figure)} (CV)" if figure is not None else "no CV figure"


def cross_validated(cv: dict[str, Any], kind: str, metric: str) -> float | None:
    """The CV figure a trained metric is judged by: the whole-pipeline CV when there is one, else the classifier's."""
    figures = cv.get(kind, {})
    value = figures.get(f"pipeline_cv_{metric}", figures.get(metric))
    return float(value) if isinstance(value, (int, float)) else None


def _dataset_section(label: str, kind: str, data: str, metrics: dict[str, Any], seconds: float,
                     targets: dict[str, Any]) -> list[str]:
    """All metrics of one dataset."""
    lines = ["", f"## {label}", "", f"`khabar eval {kind} ../shared/{data}`: n = {metrics.get('n', 0)}, "
             f"{seconds:.0f} s.", "", "| metric | value | target |", "|---|---|---|"]
    for metric, value in metrics.items():
        if metric in ("n", "confusion"):
            continue
        target = targets.get(metric)
        mark = f"{target['op']} {target['value']}" if target else ""
        lines.append(f"| {metric} | {shown_value(value)} | {mark} |")
    return lines


def _cv_section() -> list[str]:
    """Cross-validated figures of trained components, if the events helper wrote them."""
    data = _cv_figures()
    lines = ["", "## Cross-validated figures of trained components", ""]
    if not data:
        return [*lines, "No trained component reports cross-validated figures (`data/events/cv.json` absent)."]
    lines += [f"From `khabar/data/events/cv.json`: {data.get('method', 'cross-validation on the dev split')}.",
              "", "| set | metric | value |", "|---|---|---|"]
    for kind, figures in data.items():
        if kind == "rows" or not isinstance(figures, dict):
            continue
        for metric, value in figures.items():
            if isinstance(value, float):
                lines.append(f"| {kind} | {metric} | {shown_value(value)} |")
            elif isinstance(value, str):
                lines.append(f"| {kind} | ({metric}) | {value} |")
    return lines


def _cv_figures() -> dict[str, Any]:
    """The events helper's cross-validated figures by dataset kind, or none."""
    source = resources.files("khabar") / "data" / "events" / "cv.json"
    if not source.is_file():
        return {}
    data = json.loads(source.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _bench_section(bench: dict[str, Any] | None) -> list[str]:
    """The bench figures."""
    if bench is None:
        return ["", "## Bench", "", "Skipped (`--skip-bench`)."]
    return ["", "## Bench", "", "`khabar bench` on the isaf, geo and seed texts, repeated:", "", "```",
            format_bench(bench), "```"]


def _ingest_section(ingest: dict[str, Any] | None) -> list[str]:
    """Whole `khabar ingest` runs with one and with several worker processes."""
    if ingest is None:
        return []
    lines = ["", "## Ingest with worker processes", "",
             "`python scripts/bench_ingest.py`: whole `khabar ingest` processes into a fresh database, medians "
             "over the runs (peak RSS: the largest single process of the run).", "",
             "| processes | runs (s) | median s | peak RSS MB |", "|---|---|---|---|"]
    for row in (ingest["single"], ingest["pooled"]):
        runs = ", ".join(f"{s:.1f}" for s in row["runs"])
        lines.append(f"| {row['processes']} | {runs} | {row['median_s']:.1f} | {row['peak_rss_mb']:.0f} |")
    return [*lines, "", f"Speed-up: {ingest['speedup']:.2f}x (target: at least 1.6x)."]


def _merge_section(merging: list[dict[str, Any]]) -> list[str]:
    """`khabar bench merge` runs: the full re-merge per store size (the scaling curve) and incremental ingest."""
    rows = sorted((row for run in merging for row in run["summary"]), key=lambda r: (r["mode"], r["size"]))
    if not rows:
        return []
    lines = ["", "## Merging", "",
             "`khabar bench merge --json`: synthetic document-level events merged in a fresh process per run "
             "(medians over the runs; whole-process seconds include building the synthetic store). Targets: "
             "1,000,000 events in under 600 s and 2 GB; 100 new articles into a 100,000-article store in "
             "under 30 s of merging.", "",
             "| mode | events or store articles | runs | merge s | merge CPU s | process s | peak RSS MB | load |",
             "|---|---|---|---|---|---|---|---|"]
    loads = {id(row): run.get("load_average") for run in merging for row in run["summary"]}
    for row in rows:
        load = loads.get(id(row))
        lines.append(f"| {row['mode']} | {row['size']:,} | {row['runs']} | {row['merge_seconds']:.2f} | "
                     f"{row['merge_cpu_seconds']:.2f} | {row['process_seconds']:.1f} | {row['peak_rss_mb']:.0f} | "
                     f"{'' if load is None else f'{load:.1f}'} |")
    full = [r for r in rows if r["mode"] == "full"]
    if len(full) > 1:
        first = full[0]
        growth = ", ".join(f"{r['size'] // first['size']}x events: {r['merge_seconds'] / first['merge_seconds']:.1f}x "
                           "time" for r in full[1:])
        lines += ["", f"Growth against {first['size']:,} events: {growth}."]
    return lines


def _commit() -> str:
    """The current git commit, if any."""
    try:
        found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                               check=False, cwd=Path(__file__).parent)
    except OSError:
        return "unknown"
    dirty = " (with uncommitted changes)" if _dirty() else ""
    return (found.stdout.strip() or "unknown") + dirty


def _dirty() -> bool:
    """Whether the working tree has uncommitted changes."""
    found = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=False,
                           cwd=Path(__file__).parent)
    return bool(found.stdout.strip())


if __name__ == "__main__":
    sys.exit(main())
