"""Several ingest processes and readers on one store at once (issue #22): nothing lost, no duplicate, no error."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from khabar.ingest import content_id
from khabar.records import Analysis, Document
from khabar.store import open_store

PLACES = ("Herat", "Kandahar", "Kunduz", "Ghazni", "Helmand", "Balkh", "Farah", "Zabul", "Paktia", "Logar")
VERBS = ("killed", "wounded", "abducted")


def _articles(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    texts = []
    for n in range(count):
        place, verb = PLACES[n % len(PLACES)], VERBS[n % len(VERBS)]
        text = (f"On Monday gunmen {verb} {n + 2} soldiers at a checkpoint in {place} province, officials said. "
                f"The attack on post number {n} was the latest in the district.")
        (folder / f"a{n:03d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def _ingest(db: Path, folder: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "khabar", "--db", str(db), "--processes", "1", "ingest",
                             str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_two_ingests_of_the_same_articles_at_once_store_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    texts = _articles(folder, 40)
    db = tmp_path / "k.db"
    open_store(db).close()  # both writers find the schema in place, as with any existing store
    runs = [_ingest(db, folder), _ingest(db, folder)]
    reads = 0
    while any(run.poll() is None for run in runs):
        with sqlite3.connect(db, timeout=30) as reader:  # a reader alongside the writers never fails
            reader.execute("SELECT count(*) FROM documents").fetchone()
        reads += 1
        time.sleep(0.05)
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "UNIQUE" not in err and "locked" not in err, err
        assert "0 errors" in out, out
    stored = [int(out.split("stored ")[1].split()[0]) for out, _ in outputs]
    assert sum(stored) == len(texts)
    with open_store(db) as store:
        ids = [row[0] for row in store.db.execute("SELECT doc_id FROM documents")]
        assert sorted(ids) == sorted(content_id(t) for t in texts)
        assert store.db.execute("SELECT count(*) FROM event_sources WHERE event_id IS NULL").fetchone()[0] == 0
        assert list(store.errors()) == []
    assert reads > 0


def test_a_document_another_writer_just_stored_is_not_an_error(tmp_path: Path) -> None:
    text = "Gunmen killed two police officers in Kabul on Monday, officials said."
    analysis = Analysis(Document(content_id(text), text, path="a.txt"))
    with open_store(tmp_path / "k.db") as first, open_store(tmp_path / "k.db") as second:
        assert not second.has_document(analysis.document.doc_id)
        assert first.save_analysis(analysis, [])
        assert second.save_analysis(analysis, []) is False
        assert second.document_count() == 1


def test_a_writer_waits_for_another_writers_transaction(tmp_path: Path) -> None:
    text = "Gunmen killed two police officers in Kabul on Monday, officials said."
    db = tmp_path / "k.db"
    open_store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(2); c.execute('COMMIT')\n")],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    started = time.perf_counter()
    with open_store(db) as store:
        assert store.save_analysis(Analysis(Document(content_id(text), text, path="a.txt")), [])
    assert time.perf_counter() - started >= 1.0  # it waited for the lock instead of failing
    assert holder.wait(timeout=30) == 0
