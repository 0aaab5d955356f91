"""The command line, run as a user would: a real store, real files, the installed entry point."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import main

STORY = ("KABUL, Afghanistan (Mar. 3, 2022) -- A roadside bomb killed three police officers in Kandahar "
         "province yesterday, officials said. No group claimed responsibility.\n")


def _khabar(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khabar", "--db", str(db), *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(STORY)
    (batch / "empty.txt").write_text("")
    (batch / "binary.txt").write_bytes(b"\x00\xff" * 50)
    (batch / "latin.txt").write_bytes("Caf\xe9 bombing".encode("latin-1"))
    (batch / "broken.html").write_text("<html><body><div><p>")
    (batch / "feed.jsonl").write_text('{"text": "' + STORY.strip() + ' More."}\n{oops\n')
    db = tmp_path / "k.db"
    run = _khabar("ingest", str(batch), str(tmp_path / "missing.txt"), db=db)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    for name in ("empty.txt", "binary.txt", "latin.txt", "broken.html", "feed.jsonl:2", "missing.txt"):
        assert sum(name in line for line in run.stderr.splitlines()) == 1, (name, run.stderr)
    assert "stored 2 new documents" in run.stdout
    again = _khabar("ingest", str(batch / "good.txt"), db=db)
    assert "stored 0 new documents (1 unchanged" in again.stdout


def test_nothing_ingestable_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    run = _khabar("ingest", str(tmp_path / "empty.txt"), db=tmp_path / "k.db")
    assert run.returncode == 1
    assert "empty.txt: file is empty" in run.stderr
    assert "Traceback" not in run.stderr


def test_killing_an_ingest_midway_loses_nothing_stored(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text(STORY)
    assert _khabar("ingest", str(first), db=db).returncode == 0
    second = tmp_path / "second"
    second.mkdir()
    for i in range(300):
        (second / f"s{i:03d}.txt").write_text(STORY.replace("three", str(i + 4)) + f"Report number {i}.\n")
    env = {**os.environ, "KHABAR_BATCH_SIZE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "khabar", "--db", str(db), "ingest", str(second)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _count(db) < 3 and proc.poll() is None:
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = _count(db)
    assert 3 <= stored < 301, "the kill should land midway"
    paths = [r[0] for r in connection.execute("SELECT path FROM documents")]
    assert any(p.endswith("a.txt") for p in paths)
    orphans = connection.execute("SELECT count(*) FROM sentences WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
    assert orphans.fetchone()[0] == 0
    connection.close()


def _count(db: Path) -> int:
    try:
        connection = sqlite3.connect(db, timeout=5)
        try:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0


def test_events_report_show_and_actors_commands(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    (tmp_path / "story.txt").write_text(STORY)
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(db), "ingest", str(tmp_path / "story.txt")]).exit_code == 0
    listed = runner.invoke(main, ["--db", str(db), "events", "--json"])
    assert listed.exit_code == 0
    incidents = [json.loads(line) for line in listed.output.splitlines()]
    assert incidents, "the roadside bombing should be an event"
    first = incidents[0]["incident_id"]
    shown = runner.invoke(main, ["--db", str(db), "show", first[:8]])
    assert "roadside bomb" in shown.output
    csv_out = runner.invoke(main, ["--db", str(db), "events", "--csv"])
    assert csv_out.output.splitlines()[0].startswith("event_id,")
    out = tmp_path / "r.md"
    assert runner.invoke(main, ["--db", str(db), "report", "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("# Situation report")
    assert runner.invoke(main, ["--db", str(db), "actors"]).exit_code == 0
    missing = runner.invoke(main, ["--db", str(db), "show", "nosuchid"])
    assert missing.exit_code == 2
    assert "no single incident" in missing.output


def test_a_directory_of_unsupported_files_names_each_and_exits_1(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "notes.docx").write_bytes(b"PK\x03\x04")
    (batch / "scan.pdf").write_bytes(b"%PDF-1.4")
    run = _khabar("ingest", str(batch), db=tmp_path / "k.db")
    assert run.returncode == 1, run.stderr
    for name in ("notes.docx", "scan.pdf"):
        [line] = [line for line in run.stderr.splitlines() if name in line]
        assert "unsupported file type" in line
    assert "stored 0 new documents (0 unchanged, 2 errors)" in run.stdout


def test_global_options_are_accepted_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    (tmp_path / "story.txt").write_text(STORY)
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(tmp_path / "story.txt"), "--db", str(db), "-q"])
    assert ingested.exit_code == 0, ingested.output
    assert db.is_file()
    assert ingested.stdout == ""
    assert "stored 1 new documents" in ingested.stderr
    listed = runner.invoke(main, ["--db", str(tmp_path / "other.db"), "events", "--json", "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert [json.loads(line)["incident_id"] for line in listed.stdout.splitlines()]
    assert not (tmp_path / "other.db").exists()
    bad = runner.invoke(main, ["events", "--db", str(db), "--processes", "-1"])
    assert bad.exit_code == 2
    assert "setting 'processes' must be 0" in bad.stderr


@pytest.mark.parametrize("command", [["events"], ["events", "--json"], ["report"], ["show", "abc123"], ["actors"],
                                     ["actors", "--unknown"], ["claims"]])
def test_read_commands_on_a_missing_db_say_so_and_create_nothing(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "nosuch.db"
    run = CliRunner().invoke(main, ["--db", str(db), *command])
    assert run.exit_code == 2
    [line] = run.stderr.splitlines()
    assert line.startswith(f"khabar: error: {db} does not exist")
    assert "khabar ingest" in line
    assert list(tmp_path.iterdir()) == []
