"""``khabar bench scale``: how ``khabar run --engine dask`` scales with workers, and what an archive would take.

The corpus is ``khabar bench``'s (``shared`` data, or the paths given), repeated until there are
enough articles, each copy made distinct by a closing line (``Archive item N.``) so that no copy is
skipped as a repeat. It is written as JSONL shards, then each measurement runs ``khabar run`` in a
fresh process on a fresh local cluster, so its figures are the whole process's:

- ``seconds``: the process's wall time (cluster start, model loading, reading, analysis, writing);
- ``articles_per_s``: articles over the time after the cluster was ready (the rate a long run keeps);
- ``worker_peak_mb``: each worker's peak resident memory; ``driver_peak_mb`` the calling process's.

Worker counts alternate between runs (1, 2, 1, 2, ...) so a machine that speeds up or slows down
favours none. A ``large`` run also times ``khabar merge DIR`` on its output. The projection to
``target`` articles on N workers divides by the measured per-worker rate and the measured
efficiency of the largest worker count; loading the parts into a store by the large run's measured
rate; the merge by the growth of ``khabar bench merge`` between 100,000 and 1,000,000 events
(``MERGE_CURVE``, from docs/QUALITY.md), carried on past a million events.
"""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from khabar import bench as pipeline_bench
from khabar.errors import ConfigError, InputError
from khabar.records import Document
from khabar.settings import Settings

SHARD = 1000
# `khabar bench merge` full re-merges (docs/QUALITY.md, "Merging"): events -> seconds
MERGE_CURVE = ((100_000, 34.71), (1_000_000, 552.05))
PROJECTED_WORKERS = (1, 2, 8, 32, 128)


def parse_counts(text: str) -> list[int]:
    """Worker counts from comma-separated text such as "1,2"."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"--workers {text!r} is not a list of whole numbers; give e.g. 1,2") from exc
    if not counts or min(counts) < 1:
        raise ConfigError(f"--workers {text!r} needs positive worker counts; give e.g. 1,2")
    return counts


def write_corpus(documents: list[Document], count: int, folder: Path) -> Path:
    """``count`` distinct articles made from the documents, as JSONL shards in ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for n in range(count):
        source = documents[n % len(documents)]
        record = {"text": f"{source.text}\n\nArchive item {n}.", "title": source.title}
        if source.published is not None:
            record["published"] = source.published.isoformat()
        lines.append(json.dumps(record, ensure_ascii=False))
        if len(lines) == SHARD or n == count - 1:
            (folder / f"shard-{n // SHARD:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            lines = []
    return folder


def run_bench(paths: list[Path] | None, counts: list[int], articles: int, runs: int, batch: int, large: int,
              target: int, settings: Settings) -> dict[str, Any]:
    """Every measurement (each in a fresh process), the medians per worker count and the projection."""
    documents = pipeline_bench.load_corpus(paths or pipeline_bench.default_paths())
    if not documents:
        raise InputError(", ".join(map(str, paths or [])), "no documents to benchmark", "give article files")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="khabar-bench-scale-") as scratch:
        folder = Path(scratch)
        corpus = write_corpus(documents, articles, folder / "corpus")
        for n in range(runs):
            for workers in counts if n % 2 == 0 else list(reversed(counts)):
                results.append(_child(corpus, folder / f"out-{workers}-{n}", workers, batch, settings, merge=False))
        if large:
            big = write_corpus(documents, large, folder / "large")
            results.append(_child(big, folder / "out-large", max(counts), batch, settings, merge=True))
    summary = summarise([r for r in results if not r["merged"]])
    figures = {"runs": results, "summary": summary, "load_average": os.getloadavg()[0], "cores": os.cpu_count()}
    figures["projection"] = project(summary, next((r for r in results if r["merged"]), None), target)
    return figures


def _child(corpus: Path, out: Path, workers: int, batch: int, settings: Settings, merge: bool) -> dict[str, Any]:
    """One ``khabar run`` (and, if asked, its merge) in a fresh process; its figures with the process's wall time."""
    started = time.perf_counter()
    args = [sys.executable, "-m", "khabar.scale.bench", str(corpus), str(out), str(workers), str(batch),
            settings.model, "merge" if merge else "run"]
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["seconds"] = time.perf_counter() - started
    return figures


def measure(corpus: Path, out: Path, workers: int, batch: int, model: str, merge: bool) -> dict[str, Any]:
    """Run the corpus on a local cluster of ``workers`` (and merge it, if asked); the run's figures."""
    from khabar import corpus as khabar_corpus  # noqa: PLC0415 - the child process imports what it measures
    from khabar.scale import load, run  # noqa: PLC0415 - the child process imports what it measures
    from khabar.store import open_store  # noqa: PLC0415 - the child process imports what it measures

    report = run.run([corpus], out, Settings(model=model, processes=workers), "dask", workers=workers,
                     batch_size=batch)
    analysed = report.seconds - report.ready_seconds
    figures: dict[str, Any] = {
        "workers": workers, "articles": report.written, "failed": report.failed, "lost": len(report.lost),
        "run_seconds": report.seconds, "ready_seconds": report.ready_seconds,
        "articles_per_s": report.written / analysed if analysed > 0 else 0.0,
        "worker_peak_mb": sorted(report.worker_peak_mb.values()),
        "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "merged": merge,
    }
    if merge:
        started = time.perf_counter()
        with open_store(out / "merged.db") as store:
            loaded = load.load_run(out, store)
            middle = time.perf_counter()
            incidents = khabar_corpus.merge(store)
            events = len(store.source_events())
        figures.update(load_seconds=middle - started, merge_seconds=time.perf_counter() - middle,
                       stored=loaded.stored, events=events, incidents=incidents)
    return figures


def summarise(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The median figures of the runs of each worker count."""
    by_count: dict[int, list[dict[str, Any]]] = {}
    for r in results:
        by_count.setdefault(r["workers"], []).append(r)
    rows = []
    for workers, rs in sorted(by_count.items()):
        rows.append({"workers": workers, "runs": len(rs), "articles": rs[0]["articles"],
                     "articles_per_s": statistics.median(r["articles_per_s"] for r in rs),
                     "seconds": statistics.median(r["seconds"] for r in rs),
                     "ready_seconds": statistics.median(r["ready_seconds"] for r in rs),
                     "worker_peak_mb": max(max(r["worker_peak_mb"], default=0.0) for r in rs),
                     "driver_peak_mb": max(r["driver_peak_mb"] for r in rs)})
    base = rows[0]["articles_per_s"] if rows else 0.0
    for row in rows:
        row["speedup"] = row["articles_per_s"] / base if base else float("nan")
    return rows


def merge_seconds(events: float) -> float:
    """Seconds to merge ``events`` in full, on the growth of ``MERGE_CURVE`` past its largest point."""
    (small, small_s), (big, big_s) = MERGE_CURVE
    exponent = math.log(big_s / small_s) / math.log(big / small)
    return float(big_s * (events / big) ** exponent)


def project(summary: list[dict[str, Any]], large: dict[str, Any] | None, target: int) -> dict[str, Any]:
    """Hours to run and merge ``target`` articles on N workers, from the measured rates."""
    if not summary:
        return {}
    per_worker = summary[0]["articles_per_s"] / summary[0]["workers"]
    widest = summary[-1]
    efficiency = widest["articles_per_s"] / (per_worker * widest["workers"]) if per_worker else float("nan")
    per_article = large["events"] / large["stored"] if large and large.get("stored") else 1.0
    load_rate = large["stored"] / large["load_seconds"] if large and large.get("load_seconds") else 0.0
    events = target * per_article
    merge_s = merge_seconds(events)
    load_s = target / load_rate if load_rate else float("nan")
    rows = [{"workers": n, "run_hours": target / (per_worker * n * (efficiency if n > 1 else 1.0)) / 3600}
            for n in PROJECTED_WORKERS]
    return {"target": target, "per_worker_articles_per_s": per_worker, "efficiency": efficiency,
            "events_per_article": per_article, "events": events, "load_hours": load_s / 3600,
            "merge_hours": merge_s / 3600, "workers": rows}


def format_figures(figures: dict[str, Any]) -> str:
    """A plain-text table of the medians, the large run and the projection."""
    lines = [f"{'workers':>7}{'runs':>6}{'articles':>10}{'art/s':>8}{'speedup':>9}{'process_s':>11}"
             f"{'ready_s':>9}{'worker_mb':>11}{'driver_mb':>11}"]
    lines += [f"{s['workers']:>7}{s['runs']:>6}{s['articles']:>10}{s['articles_per_s']:>8.1f}{s['speedup']:>9.2f}"
              f"{s['seconds']:>11.1f}{s['ready_seconds']:>9.1f}{s['worker_peak_mb']:>11.0f}{s['driver_peak_mb']:>11.0f}"
              for s in figures["summary"]]
    for r in (r for r in figures["runs"] if r["merged"]):
        lines.append(f"large run: {r['articles']} articles on {r['workers']} workers in {r['seconds']:.0f} s "
                     f"({r['articles_per_s']:.1f} art/s; workers peak {max(r['worker_peak_mb']):.0f} MB, driver "
                     f"{r['driver_peak_mb']:.0f} MB); load {r['load_seconds']:.0f} s, merge {r['merge_seconds']:.0f} s "
                     f"({r['events']} events, {r['incidents']} incidents)")
    p = figures["projection"]
    if p:
        lines.append(f"projection to {p['target']:,} articles ({p['per_worker_articles_per_s']:.1f} art/s per worker, "
                     f"efficiency {p['efficiency']:.2f}, {p['events_per_article']:.2f} events/article):")
        lines += [f"  {w['workers']:>4} workers: run {w['run_hours']:8.1f} h" for w in p["workers"]]
        lines.append(f"  then load {p['load_hours']:.1f} h and merge {p['merge_hours']:.1f} h in one process")
    lines.append(f"load_average {figures['load_average']:.1f} on {figures['cores']} cores (other work slows every run)")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run one measurement in this process and print its figures as JSON (used by ``run_bench``)."""
    corpus, out, workers, batch, model, mode = argv
    print(json.dumps(measure(Path(corpus), Path(out), int(workers), int(batch), model, mode == "merge")))


if __name__ == "__main__":
    main(sys.argv[1:])
