"""Time whole `khabar ingest` runs with 1 and with N worker processes on the same articles.

Usage: python scripts/bench_ingest.py [--processes 2] [--runs 3] [--json] PATH...
Each run is a fresh process into a fresh database; the figures are medians over the runs: wall
seconds, and peak memory (the largest resident set of the run's process tree, read from
``wait4``, which reports the largest of the process and the children it waited for).
Defaults to the ISAF dev releases and the gun-violence articles of the shared directory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from khabar.bench import shared_root


def one_run(paths: list[Path], processes: int) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one whole `khabar ingest` process."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "khabar", "--db", str(Path(folder) / "bench.db"), "--quiet",
                   "--processes", str(processes), "ingest", *map(str, paths)]
        started = time.perf_counter()
        pid = os.posix_spawn(sys.executable, command, os.environ)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"khabar ingest failed with {processes} process(es)")
    return seconds, usage.ru_maxrss / 1024


def measure(paths: list[Path], processes: int, runs: int) -> dict[str, Any]:
    """Median wall time and peak memory over several runs."""
    results = [one_run(paths, processes) for _ in range(runs)]
    return {"processes": processes, "runs": [round(s, 2) for s, _ in results],
            "median_s": statistics.median(s for s, _ in results),
            "peak_rss_mb": statistics.median(m for _, m in results)}


def main() -> int:
    """Bench one process against N and print the speed-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    shared = shared_root()
    paths = args.paths or [shared / "data" / "isaf" / "dev.jsonl",
                           shared / "data" / "incidents" / "gvc_dev" / "docs.jsonl"]
    single, pooled = measure(paths, 1, args.runs), measure(paths, args.processes, args.runs)
    figures = {"single": single, "pooled": pooled, "speedup": single["median_s"] / pooled["median_s"]}
    if args.json:
        print(json.dumps(figures))
    else:
        for row in (single, pooled):
            print(f"{row['processes']} process(es): median {row['median_s']:.1f} s over {row['runs']}, "
                  f"peak RSS {row['peak_rss_mb']:.0f} MB")
        print(f"speed-up: {figures['speedup']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
