"""Shared fixtures: paths to ../shared and a session-wide pipeline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path

import httpx
import pytest

from khabar import quantities
from khabar import time as timex
from khabar.nlp import parse
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KHABAR_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples" / "corpus"
ARTIFACTS = Path(os.environ.get("KHABAR_TEST_ARTIFACTS", REPO / "test-artifacts"))


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """One pipeline for the whole test session (the spaCy model loads once)."""
    return Pipeline(Settings(processes=1))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared fixtures directory, read in place."""
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.fail(f"{SHARED} is missing: golden tests need ../shared beside the repo (or KHABAR_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def quantities_analyse(pipeline: Pipeline) -> Callable[[str], Analysis]:
    """Parse a text with the session's spaCy model, then run the time and quantities stages."""
    lexicon = quantities.load_lexicon()
    times, reader = timex.load_lexicon(lexicon.words), timex.load_date_reader()

    def run(text: str) -> Analysis:
        document = Document("q", text, published=date(2021, 10, 22), published_source="metadata")
        timed = timex.resolve_times(parse(Analysis(document), pipeline.model), lexicon=times, reader=reader)
        return quantities.extract_quantities(timed, lexicon=lexicon)

    return run


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(db: Path, *extra: str) -> Iterator[tuple[str, Path]]:
    """`khabar serve` over ``db`` on a free loopback port, in a subprocess: its base URL and its log file."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path])}
    log = db.with_name(f"serve-{port}.log")
    with log.open("w") as output:  # a file, not a pipe: a pipe nobody reads would block a busy server
        process = subprocess.Popen([sys.executable, "-m", "khabar", "--db", str(db), "serve", "--port", str(port),
                                    *extra], stdout=output, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process, log)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(base: str, process: subprocess.Popen[str], log: Path) -> None:
    """Wait until the server answers (or fail if it exits or takes over 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"khabar serve exited: {log.read_text()[-2000:]}")
        try:
            httpx.get(f"{base}/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("khabar serve did not answer within 60 s")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder tests write artifacts to (screenshots, load figures): KHABAR_TEST_ARTIFACTS or test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def serve() -> Callable[..., AbstractContextManager[tuple[str, Path]]]:
    """``serve(db, *options)``: a context manager running `khabar serve` over ``db`` (base URL, log file)."""
    return running_server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the browser tests could not run (no Chromium on this machine)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("BROWSER TESTS NOT RUN" in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", "BROWSER TESTS NOT RUN: no Chromium found (install Debian's `chromium` "
                                        "package, or set KHABAR_CHROMIUM to its path)", red=True, bold=True)
