"""Hostile and malformed inputs (issue #22): each is one message naming it, the batch goes on, work is bounded."""

from __future__ import annotations

import builtins
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from khabar import actors, corpus
from khabar.errors import DataError, InputError
from khabar.ingest import read_paths
from khabar.pipeline import Pipeline
from khabar.records import Document
from khabar.store import open_store

STORY = "On Monday gunmen killed four soldiers at a checkpoint in Herat province, officials said.\n"
BOMB = "".join(f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB + "title: *i\n"


def _read(*paths: Path) -> list[Document | InputError]:
    return list(read_paths(list(paths), name_skipped=True))


def _one_error(items: list[Document | InputError], *words: str) -> str:
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert len(errors) == 1, errors
    assert all(word in errors[0] for word in words), errors[0]
    return errors[0]


@pytest.mark.parametrize("where", ["frontmatter", "sidecar"])
def test_an_impossible_date_does_not_stop_the_batch(tmp_path: Path, where: str) -> None:
    if where == "frontmatter":
        (tmp_path / "a.md").write_text(f"---\npublished: 2021-02-30\ntitle: T\n---\n{STORY}")
    else:
        (tmp_path / "a.txt").write_text(STORY)
        (tmp_path / "a.meta.yaml").write_text("published: 2021-02-30\noutlet: Wire\n")
    (tmp_path / "b.txt").write_text(STORY.replace("four", "five"))
    docs = _read(tmp_path)
    assert all(isinstance(d, Document) for d in docs) and len(docs) == 2
    assert docs[0].published is None and docs[0].published_source == "unknown"  # type: ignore[union-attr]


@pytest.mark.parametrize("line", [
    '{"text": "Gunmen killed two.", "n": ' + "9" * 5000 + "}",
    '{"text": "Gunmen killed two.", "n": ' + "[" * 2000 + "]" * 2000 + "}",
])
def test_huge_numbers_and_deep_nesting_in_jsonl_are_one_error_each(tmp_path: Path, line: str) -> None:
    (tmp_path / "feed.jsonl").write_text(line + "\n" + json.dumps({"text": STORY}) + "\n")
    items = _read(tmp_path / "feed.jsonl")
    _one_error(items, "feed.jsonl:1")
    assert sum(isinstance(i, Document) for i in items) == 1


@pytest.mark.parametrize(("front", "words"), [
    ("n: " + "9" * 5000, ("a number 5,000 characters long",)),
    ("t: " + "[" * 2000 + "]" * 2000, ("nested",)),
    ("t:\n" + "- " * 2000 + "x", ("nested",)),
    (ALIAS_BOMB.strip(), ("expands to over",)),
    ("a: &a [*a]", ("refers to the value that holds it",)),
])
def test_hostile_front_matter_is_refused_quickly(tmp_path: Path, front: str, words: tuple[str, ...]) -> None:
    (tmp_path / "a.md").write_text(f"---\n{front}\n---\n{STORY}")
    started = time.process_time()
    _one_error(_read(tmp_path / "a.md"), "a.md: front matter", *words)
    assert time.process_time() - started < 5


def test_an_alias_bomb_in_a_sidecar_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "a.meta.yaml").write_text(ALIAS_BOMB)
    _one_error(_read(tmp_path / "a.txt"), "a.meta.yaml", "expands to over")


def test_an_unclosed_front_matter_fence_over_many_blank_lines_is_read_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---" + "\n" * 300_000 + STORY)
    started = time.process_time()
    docs = _read(tmp_path / "a.md")
    assert time.process_time() - started < 5
    assert any(isinstance(d, Document) and "gunmen" in d.text for d in docs)


def test_a_lone_surrogate_escape_becomes_a_replacement_character_and_stores(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text('{"text": "Gunmen killed two police officers \\ud800 in Kabul.", '
                                      '"title": "A \\udfff title"}\n')
    [doc] = _read(tmp_path / "f.jsonl")
    assert isinstance(doc, Document)
    assert "\ufffd" in doc.text and doc.title == "A \ufffd title"
    with open_store(tmp_path / "k.db") as store:
        from khabar.records import Analysis

        assert store.save_analysis(Analysis(doc), [])
        assert store.document(doc.doc_id) == doc


def test_file_names_that_are_not_utf8_or_very_long_are_read(tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"caf\xe9.txt")
    odd.write_text(STORY)
    long = tmp_path / ("x" * 250 + ".txt")
    long.write_text(STORY.replace("four", "five"))
    docs = _read(tmp_path)
    assert [isinstance(d, Document) for d in docs] == [True, True]
    assert docs[0].path.endswith("caf\\xe9.txt")  # type: ignore[union-attr]
    with open_store(tmp_path / "k.db") as store:
        store.record_error(docs[0].path, "a message")  # the shown path stores: no surrogate reaches SQLite  # type: ignore[union-attr]


def _refuse_opening(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Make opening one path fail as a file without read permission does (tests may run as root)."""

    def guarded(real):  # type: ignore[no-untyped-def]
        def opener(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if isinstance(file, (str, bytes, os.PathLike)) and os.fsdecode(file) == str(target):
                raise PermissionError(13, "Permission denied", str(target))
            return real(file, *args, **kwargs)
        return opener

    monkeypatch.setattr(os, "open", guarded(os.open))
    monkeypatch.setattr(io, "open", guarded(io.open))
    monkeypatch.setattr(builtins, "open", guarded(builtins.open))


@pytest.mark.parametrize("which", ["file", "sidecar"])
def test_an_unreadable_file_or_sidecar_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    which: str) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "a.meta.yaml").write_text("outlet: Wire\n")
    (tmp_path / "b.txt").write_text(STORY.replace("four", "five"))
    _refuse_opening(monkeypatch, tmp_path / ("a.txt" if which == "file" else "a.meta.yaml"))
    items = _read(tmp_path)
    _one_error(items, "a.", "Permission denied")
    assert [d.path for d in items if isinstance(d, Document)] == [str(tmp_path / "b.txt")]


def test_fifos_broken_links_linked_and_unlistable_directories_are_named(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text(STORY.replace("four", "five"))
    (tmp_path / "linked").symlink_to(tmp_path / "sub")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    started = time.perf_counter()
    items = _read(tmp_path)
    assert time.perf_counter() - started < 30  # the FIFO was never opened for reading (that blocks)
    errors = " | ".join(str(i) for i in items if isinstance(i, InputError))
    assert "pipe.txt: not a regular file but a FIFO" in errors
    assert "gone.txt: broken symbolic link" in errors
    assert "linked: symbolic link to a directory, not followed" in errors
    assert "locked: directory cannot be listed" in errors
    assert sorted(Path(d.path).name for d in items if isinstance(d, Document)) == ["good.txt", "inner.txt"]


def test_ingest_errors_do_not_grow_on_every_rerun(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "empty.txt").write_text("")
    with open_store(tmp_path / "k.db") as store:
        for _ in range(3):
            corpus.ingest([tmp_path / "empty.txt"], store, pipeline)
        assert len(list(store.errors())) == 1


@pytest.mark.parametrize(("content", "words"), [
    (ALIAS_BOMB, "expands to over"),
    ("actors: " + "[" * 2000 + "]" * 2000, "nested"),
    ("actors:\n- name: x\n  type: armed_group\n  aliases: [y]\n  inter: " + "9" * 5000, "5,000 characters"),
])
def test_hostile_registry_files_are_data_errors(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(content)
    started = time.process_time()
    with pytest.raises(DataError, match=f"mine.yaml: .*{words}"):
        actors.load_registry(path)
    assert time.process_time() - started < 10


def test_an_impossible_date_in_a_registry_is_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("actors:\n- name: Xyzzy Front\n  type: armed_group\n  aliases: [Xyzzy]\n  source: 2021-02-30\n")
    registry = actors.load_registry(path)
    assert any(actor.name == "Xyzzy Front" for actor in registry.all())


def test_the_cli_shows_no_traceback_for_a_bad_registry_unless_debug(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "reg.yaml").write_text(ALIAS_BOMB)
    command = [sys.executable, "-m", "khabar", "--db", str(tmp_path / "k.db"), "--registry",
               str(tmp_path / "reg.yaml"), "ingest", str(tmp_path / "a.txt")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    plain = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert "reg.yaml: YAML expands to over" in plain.stderr
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True, timeout=120, env=env, check=False)
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_published_date_from_a_valid_sidecar_still_wins(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "a.meta.json").write_text('{"published": "2021-02-03"}')
    [doc] = _read(tmp_path / "a.txt")
    assert isinstance(doc, Document) and doc.published == date(2021, 2, 3)
