"""Time and peak memory of every export format and both report formats on a synthetic store.

The store is built as ``khabar bench merge`` builds its own (``khabar.bench_merge``: synthetic
articles over ten years and 20,000 places, a third of the incidents reported by several articles),
then merged. Each format then runs in a fresh process, as ``khabar export`` would (with the actor
registry loaded for acled, ucdp and stix), so its wall time and peak resident memory are the whole
process's.

    python scripts/bench_export.py                          # about 100,000 incidents
    python scripts/bench_export.py --store /tmp/big.db --json # build /tmp/big.db once, reuse it afterwards
    python scripts/bench_export.py --store /tmp/big.db --formats stix   # time only some formats

Measured 2026-12-07 on the 2-core development machine with nothing else running (load average
below 0.1 at the start), on a store of 155,000 synthetic events merged into 100,485 incidents; each
format in a fresh process, once; peak RSS is the whole process's (about 95 MB of it importing
khabar), so it does not grow with the store:

    format        seconds   peak_mb   output_mb
    jsonl             1.9        98       419.0
    csv              17.0        99        14.0
    acled            23.2       110        30.3
    ucdp             19.2       110         6.5
    geojson          20.7        99        59.9
    stix             16.7       114       253.7
    graphml           0.1        96         0.0   (synthetic events have no relations or second actor)
    parquet          21.4       237        18.1
    report-md        19.9       106         0.1
    report-html      20.1       114         0.7   (country outlines drawn)

On 2026-12-06, with the load average at 6 to 7 from other work, the same store took 2.9 to 66.4 s
per format (stix the slowest, before it read incidents as stored JSON).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from khabar import bench_merge, export
from khabar.actors import load_registry
from khabar.merge import edits, incremental
from khabar.query import Filters, open_archive
from khabar.report import build_report
from khabar.store import open_store

FORMATS = ("jsonl", "csv", "acled", "ucdp", "geojson", "stix", "graphml", "parquet", "report-md", "report-html")
CODED = ("acled", "ucdp", "stix")


def build_store(path: Path, events: int) -> int:
    """Fill a store with synthetic events and merge them; returns the number of incidents."""
    with open_store(path) as store:
        bench_merge.fill(store, events, seed=0)
        with store.db:  # the synthetic groups as armed groups, so UCDP and STIX code them as real ones would be
            sql = "INSERT OR REPLACE INTO actors VALUES (?, ?, 'armed_group', 'SY', ?, 0)"
            store.db.executemany(sql,
                                 [(a, a.split(":")[0].title(), a.split(":")[0].title())
                                  for a in set(bench_merge.ACTORS)])
        incremental.rebuild(store, edits.constraints_of(store.edits()))
        return store.incident_count()


def run_one(fmt: str, db: Path, output: Path) -> dict[str, Any]:
    """Export one format in this process; its seconds and this process's peak memory."""
    started = time.perf_counter()
    with open_archive(db, load_registry() if fmt in CODED else None) as archive:
        if fmt.startswith("report-"):
            output.write_text(build_report(archive, Filters(), fmt=fmt.split("-")[1]), encoding="utf-8")
        else:
            export.export(archive, Filters(), export.format_named(fmt), output)
    seconds = time.perf_counter() - started
    files = [p for p in output.rglob("*") if p.is_file()] if output.is_dir() else [output]
    size = sum(p.stat().st_size for p in files)
    return {"format": fmt, "seconds": round(seconds, 1), "peak_mb": round(_peak_mb()),
            "output_mb": round(size / 1e6, 1)}


def _peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(fmt: str, db: Path, folder: Path) -> dict[str, Any]:
    """Run one format in a fresh Python process."""
    target = folder / (fmt if fmt == "parquet" else f"out.{fmt}")
    done = subprocess.run([sys.executable, __file__, "--child", fmt, str(db), str(target)], check=True,
                          capture_output=True, text=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    """Build (or reuse) a store, then measure each format in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=155_000,
                        help="synthetic events to store (default 155000: about 100,000 incidents)")
    parser.add_argument("--store", type=Path,
                        help="a store to export: reused when it exists, else built there and kept for later runs")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats to measure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, db, out = args.child
        print(json.dumps(run_one(fmt, Path(db), Path(out))))
        return
    with tempfile.TemporaryDirectory(prefix="khabar-export-bench-") as folder:
        db = args.store or Path(folder) / "bench.db"
        started = time.perf_counter()
        incidents = build_store(db, args.events) if not db.exists() else None
        built = time.perf_counter() - started
        rows = [_child(fmt, db, Path(folder)) for fmt in args.formats.split(",")]
    if args.json:
        print(json.dumps({"incidents": incidents, "build_seconds": round(built, 1), "formats": rows}))
        return
    print(f"store: {incidents} incidents, built and merged in {built:.0f} s" if incidents is not None
          else f"store: {db}, built before")
    print(f"{'format':<12}{'seconds':>9}{'peak_mb':>10}{'output_mb':>12}")
    for row in rows:
        print(f"{row['format']:<12}{row['seconds']:>9}{row['peak_mb']:>10}{row['output_mb']:>12}")


if __name__ == "__main__":
    main()
