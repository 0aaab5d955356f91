"""Load check of the HTTP API: many concurrent GETs over loopback against real uvicorn (`khabar serve`).

Starts `khabar serve` on a free 127.0.0.1 port over a store (the demo corpus, ingested into a
temporary store unless --db names one), fires N GETs at once (a mix of /incidents pages, one
incident's detail, a document, /stats and /places), and prints how many failed and the median and
99th-percentile latency, each request timed from send to full body.

    python scripts/bench_api.py                      # 200 concurrent GETs on the demo corpus
    python scripts/bench_api.py --db khabar.db -n 500

Measured 2026-12-07 on 2 shared cores (other work running): see the HTTP API section of the README.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
PATHS = ("/incidents?limit=50", "/incidents?country=AF&sort=deaths&limit=20", "/incidents/6996ca374860",
         "/documents/3b9d1747025e64c3", "/stats", "/places?limit=20")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def khabar(*args: str) -> list[str]:
    return [sys.executable, "-m", "khabar", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}


def wait_for(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("khabar serve exited before answering")
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit("khabar serve did not answer within 60 s")


async def fire(base: str, count: int) -> tuple[list[float], list[str]]:
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def one(n: int) -> tuple[float, str]:
            path = PATHS[n % len(PATHS)]
            started = time.perf_counter()
            try:
                response = await client.get(path)
                await response.aread()
                problem = "" if response.status_code == 200 else f"{path}: HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                problem = f"{path}: {type(exc).__name__}"
            return time.perf_counter() - started, problem

        results = await asyncio.gather(*(one(n) for n in range(count)))
    return [seconds for seconds, _ in results], [problem for _, problem in results if problem]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store to serve (default: the demo corpus in a temporary store)")
    parser.add_argument("-n", type=int, default=200, help="concurrent GETs (default 200)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db = args.db or Path(work) / "demo.db"
        if args.db is None:
            subprocess.run(khabar("--db", str(db), "--quiet", "ingest", str(REPO / "examples" / "corpus")),
                           check=True, env=environment())
        port = free_port()
        server = subprocess.Popen(khabar("--db", str(db), "--quiet", "serve", "--port", str(port),
                                         "--token-file", str(Path(work) / "token")),
                                  env=environment(), stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base, server)
            asyncio.run(fire(base, 10))  # warm up: first imports and page cache
            started = time.perf_counter()
            latencies, failures = asyncio.run(fire(base, args.n))
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(latencies)
    figures = {"requests": args.n, "failed": len(failures), "wall_s": round(wall, 3),
               "median_ms": round(statistics.median(ordered) * 1000, 1),
               "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 1),
               "max_ms": round(ordered[-1] * 1000, 1)}
    print(json.dumps(figures) if args.json else "\n".join(f"{k:>10}  {v}" for k, v in figures.items()))
    for failure in failures[:10]:
        print("failed:", failure, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
