"""Tests of the export seam: formats looked up by name, streaming what the store yields."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from khabar import corpus, export
from khabar.errors import ConfigError
from khabar.pipeline import Pipeline
from khabar.store import Store, open_store


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Store:
    folder = tmp_path_factory.mktemp("export")
    (folder / "a.txt").write_text("On Monday gunmen killed four soldiers at a checkpoint in Herat, officials said.",
                                  encoding="utf-8")
    store = open_store(folder / "k.db")
    corpus.ingest([folder / "a.txt"], store, pipeline)
    return store


def test_jsonl_and_csv_write_every_incident(stored: Store) -> None:
    incidents = list(stored.incidents())
    assert incidents
    lines = io.StringIO()
    export.exporter_named("jsonl")(iter(incidents), stored, lines)
    records = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert [r["incident_id"] for r in records] == [i.incident_id for i in incidents]
    table = io.StringIO()
    export.exporter_named("csv")(iter(incidents), stored, table)
    rows = list(csv.DictReader(io.StringIO(table.getvalue())))
    assert [r["event_id"] for r in rows] == [i.incident_id for i in incidents]
    assert any(r["place"] == "Herat" and r["killed"] == "4" for r in rows)


def test_an_empty_store_gives_a_header_only(tmp_path: Path) -> None:
    store = open_store(tmp_path / "empty.db")
    table = io.StringIO()
    export.exporter_named("csv")(store.incidents(), store, table)
    assert table.getvalue().strip() == "event_id"


def test_formats_are_looked_up_by_name() -> None:
    def mine(incidents: object, store: object, stream: io.StringIO) -> None:
        stream.write("mine")

    assert set(export.builtin_exporters()) == {"jsonl", "csv"}
    assert export.exporter_named("mine", {"mine": mine}) is mine  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="known formats: csv, jsonl"):
        export.exporter_named("stix")
