"""`khabar serve` for real: uvicorn in a subprocess on a free loopback port, answering over TCP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from khabar import corpus
from khabar.pipeline import Pipeline
from khabar.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def _free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Iterator[tuple[str, Path]]:
    """A running `khabar serve` over one demo article: its base URL and store; it must print its new token."""
    db = tmp_path_factory.mktemp("serve") / "demo.db"
    with open_store(db) as store:
        corpus.ingest([EXAMPLES / "01_kabul_airport_wire.txt"], store, pipeline)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(corpus.__file__).parent.parent), *sys.path])}
    process = subprocess.Popen([sys.executable, "-m", "khabar", "--db", str(db), "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process)
        yield base, db
    finally:
        process.terminate()
        _, printed = process.communicate(timeout=30)
    assert "write token (shown once" in printed


def _wait_for(base: str, process: subprocess.Popen[str]) -> None:
    """Wait until the server answers (or fail if it exits or takes over 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"khabar serve exited: {process.communicate()[1][-2000:]}")
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("khabar serve did not answer within 60 s")


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
