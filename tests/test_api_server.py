"""`khabar serve` for real: uvicorn in a subprocess on a free loopback port, answering over TCP."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from khabar import corpus
from khabar.pipeline import Pipeline
from khabar.store import open_store

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "corpus"
Serve = Callable[..., AbstractContextManager[tuple[str, Path]]]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, serve: Serve) -> Iterator[tuple[str, Path]]:
    """A running `khabar serve` over one demo article: its base URL and store; it must print its new token."""
    db = tmp_path_factory.mktemp("serve") / "demo.db"
    with open_store(db) as store:
        corpus.ingest([EXAMPLES / "01_kabul_airport_wire.txt"], store, pipeline)
    with serve(db) as (base, log):
        yield base, db
    assert "write token (shown once" in log.read_text()


def test_serve_answers_reads_and_guards_writes_with_its_token_file(server: tuple[str, Path]) -> None:
    base, db = server
    listed = httpx.get(f"{base}/incidents", timeout=10).json()
    assert listed["total"] == 4 and listed["items"][0]["date"] == "2021-08-15"
    token_file = db.with_name("demo.db.token")
    assert token_file.stat().st_mode & 0o777 == 0o600
    refused = httpx.post(f"{base}/incidents/{listed['items'][0]['incident_id']}/reject", timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    token = token_file.read_text().strip()
    done = httpx.post(f"{base}/incidents/{listed['items'][0]['incident_id']}/reject", timeout=30,
                      headers={"Authorization": f"Bearer {token}"})
    assert done.status_code == 200 and done.json()["incident"]["review"] == "rejected"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, serve: Serve) -> Iterator[str]:
    """A running `khabar serve` over the whole demo corpus: its base URL."""
    db = tmp_path_factory.mktemp("serve-demo") / "demo.db"
    with open_store(db) as store:
        corpus.ingest([EXAMPLES], store, pipeline)
    with serve(db) as (base, _):
        yield base


def test_200_concurrent_reads_all_succeed_and_their_latency_is_recorded(demo_server: str, artifacts: Path) -> None:
    first = httpx.get(f"{demo_server}/incidents", params={"sort": "sources", "limit": 1}, timeout=30).json()["items"][0]
    detail = httpx.get(f"{demo_server}/incidents/{first['incident_id']}", timeout=30).json()
    doc_id = detail["sources"][0]["document"]["doc_id"]
    paths = ["/incidents?limit=50", "/incidents?country=AF&sort=deaths&limit=20", f"/incidents/{first['incident_id']}",
             f"/documents/{doc_id}", "/stats", "/places?limit=20", "/overview", "/actors?limit=20"]
    wanted = [paths[n % len(paths)] for n in range(200)]

    async def one(client: httpx.AsyncClient, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        response = await client.get(path)
        return response.status_code, time.perf_counter() - started

    async def everything() -> list[tuple[int, float]]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=demo_server, timeout=120, limits=limits) as client:
            return await asyncio.gather(*(one(client, path) for path in wanted))

    started = time.perf_counter()
    answers = asyncio.run(everything())
    wall = time.perf_counter() - started
    assert [status for status, _ in answers] == [200] * 200
    latencies = sorted(seconds for _, seconds in answers)
    figures = {"requests": 200, "failed": 0, "wall_s": round(wall, 2),
               "median_ms": round(1000 * statistics.median(latencies), 1),
               "p99_ms": round(1000 * latencies[int(0.99 * len(latencies)) - 1], 1), "paths": paths}
    (artifacts / "api-load.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"\n200 concurrent reads: median {figures['median_ms']} ms, p99 {figures['p99_ms']} ms, wall {wall:.1f} s")
    assert wall < 120, figures  # two shared cores under a full test run; quiet-machine figures are in the README
