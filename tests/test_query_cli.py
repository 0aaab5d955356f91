"""Tests of the read commands' filters, terminal tables and `khabar export`, on the small hand-built store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from export_support import build
from khabar.cli import main
from khabar.cli.options import fit


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "k.db"
    build(path).close()
    return path


def _run(db: Path, *args: str, columns: int = 200) -> str:
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_events_filters_and_shows_precision_sources_and_confidence(db: Path) -> None:
    lines = _run(db, "events", "--country", "Afghanistan", "--since", "2023-06").splitlines()
    assert lines[0].split() == ["event_id", "when", "type", "place", "actor1", "actor2", "killed", "status",
                                "sources", "conf"]
    [row] = lines[1:]
    assert row.split()[1:3] == ["2023-06", "Armed"] and row.split()[-3:] == ["occurred", "1", "0.40"]
    rows = [json.loads(x) for x in _run(db, "events", "--format", "json", "--min-sources", "2").splitlines()]
    assert [len(r["sources"]) for r in rows] == [2]


def test_a_narrow_terminal_cuts_text_columns_but_never_the_id(db: Path) -> None:
    lines = _run(db, "events", columns=100).splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert len(lines[1].split()[0]) == 12 and "…" in lines[1]
    wide = _run(db, "events", "--wide", columns=100).splitlines()
    assert "Civilians of Afghanistan" in wide[1]


def test_fit_shrinks_the_widest_columns_first() -> None:
    assert fit([40, 12, 30], [8, 12, 6], 60) == [22, 12, 22]
    assert fit([5, 5], [5, 5], 80) == [5, 5]


def test_relations_places_and_claims_commands(db: Path) -> None:
    relations = _run(db, "relations", "--actor", "Taliban").splitlines()
    assert relations[1].split()[:4] == ["Taliban", "hostile", "Islamic", "State"]
    places = _run(db, "places", "--format", "csv").splitlines()
    assert places[1].startswith("Kabul,Kabul,AF,1,10,2023-06-01,2023-06-30")
    claims = _run(db, "claims", "--text", "guards", "--format", "csv").splitlines()
    assert claims[1].startswith("Taliban,asserts,6 killed,6 guards died,The Governor")


def test_export_and_html_report_commands(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    _run(db, "export", "--format", "acled", "-o", str(out), "--type", "Battles")
    assert len(out.read_text().splitlines()) == 2
    page = tmp_path / "r.html"
    _run(db, "report", "-o", str(page), "--limit", "1")
    assert page.read_text().startswith("<!DOCTYPE html>") and "2 more incidents" in page.read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["events", "--actor", "Nobody"], "no actor named 'Nobody'"),
    (["events", "--since", "yesterday"], "--since 'yesterday' is not a date"),
    (["events", "--within", "5"], "within needs a place"),
    (["export", "--format", "parquet"], "give one with -o DIR"),
])
def test_bad_filters_get_one_clear_message(db: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.stderr
