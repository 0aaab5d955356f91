"""Tests of the export formats, each read back by a real consumer, and of escaping hostile source values."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pycountry
import pytest

from export_support import HOSTILE_OUTLET, HOSTILE_PLACE, build
from khabar import export
from khabar.actors import load_registry
from khabar.datafiles import read_packaged_yaml
from khabar.errors import ConfigError
from khabar.eval.acled import ACLED_COLUMNS, load_acled
from khabar.eval.common import load_eval_tables
from khabar.export.acled import COLUMNS as ACLED_EXPORT_COLUMNS
from khabar.export.acled import acled_row
from khabar.export.basic import CSV_COLUMNS
from khabar.export.common import Names
from khabar.export.regions import acled_admin1, load_admin1_parts, load_regions
from khabar.query import Archive, Filters, open_archive
from khabar.records import Event, Incident, Place, TimeSpan


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    path = tmp_path_factory.mktemp("export") / "k.db"
    build(path).close()
    return open_archive(path, load_registry())


def _write(archive: Archive, name: str, tmp_path: Path, filters: Filters | None = None) -> Path:
    target = tmp_path / f"out.{name}"
    export.export(archive, filters or Filters(), export.format_named(name), target)
    return target


def test_formats_are_plugins_looked_up_by_name() -> None:
    assert set(export.builtin_formats()) == {"jsonl", "csv", "acled", "ucdp", "geojson", "stix", "graphml", "parquet"}
    mine = export.ExportFormat("mine", "a test format", ".txt", write=lambda a, f, s: s.write("mine"))
    assert export.format_named("mine", {"mine": mine}) is mine
    with pytest.raises(ConfigError, match="known formats: acled, csv, geojson"):
        export.format_named("xlsx")
    with pytest.raises(ConfigError, match="exactly one of write and write_folder"):
        export.ExportFormat("both", "", "")


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Kabul", "Kabul"), (-69.5, -69.5), (3, 3), ("a=b", "a=b"),
])
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(value: object, safe: object) -> None:
    assert export.csv_cell(value) == safe


def test_jsonl_and_csv_write_every_incident(archive: Archive, tmp_path: Path) -> None:
    records = [json.loads(line) for line in _write(archive, "jsonl", tmp_path).read_text().splitlines()]
    assert [[s["event_id"] for s in r["sources"]] for r in records] == [["d1-e1", "d2-e1"], ["d2-e2"], ["d3-e1"]]
    rows = list(csv.DictReader(_write(archive, "csv", tmp_path).open()))
    assert [(r["place"], r["killed"], r["date_precision"]) for r in rows] == [
        ("Herat", "5", "day"), ("'" + HOSTILE_PLACE, "", "day"), ("Kabul", "10", "month")]


def test_an_empty_selection_gives_a_header_only(archive: Archive, tmp_path: Path) -> None:
    text = _write(archive, "csv", tmp_path, Filters(country="FR")).read_text()
    assert text.splitlines() == [",".join(CSV_COLUMNS)]


def test_acled_loads_in_pandas_and_in_khabars_acled_reader(archive: Archive, tmp_path: Path) -> None:
    import pandas as pd

    path = _write(archive, "acled", tmp_path)
    frame = pd.read_csv(path, keep_default_na=False)
    assert tuple(frame.columns) == ACLED_EXPORT_COLUMNS
    assert list(frame["event_id_cnty"].str[:3]) == ["AFG", "AFG"]  # the riot has no coordinates
    herat = frame.iloc[0]
    # actors by their ACLED names at the date: the Taliban as Afghanistan's forces after August 2021
    columns = ("event_date", "sub_event_type", "actor1", "inter1", "interaction", "civilian_targeting", "fatalities")
    assert tuple(str(herat[c]) for c in columns) == (
        "2023-05-01", "Attack", "Military Forces of Afghanistan (2021-)", "1", "17", "Civilian targeting", "5")
    assert herat["source"] == "Test Wire; " + HOSTILE_OUTLET  # the formula is not at the start of the cell
    assert herat["notes"].startswith("On 1 May 2023, attack by Taliban against Civilians of Afghanistan at Herat")
    assert "reports give 4-6" in herat["notes"]
    rows = load_acled(path, load_eval_tables())
    assert [(r.day.isoformat(), r.event_type, r.fatalities) for r in rows] == [
        ("2023-05-01", "Violence against civilians", 5), ("2023-06-01", "Battles", 10)]
    assert set(ACLED_COLUMNS) <= set(frame.columns)


def test_acled_region_is_acleds_world_region_of_the_country(archive: Archive, tmp_path: Path) -> None:
    rows = list(csv.DictReader(_write(archive, "acled", tmp_path).open()))
    assert [(r["country"], r["region"]) for r in rows] == [("Afghanistan", "South Asia")] * 2


def test_every_iso_country_has_exactly_one_acled_region() -> None:
    listed = Counter(code for codes in read_packaged_yaml("acled_regions.yaml").values() for code in codes)
    assert listed == Counter({c.alpha_2: 1 for c in pycountry.countries})
    regions = load_regions()
    assert len(regions) == len(listed) and len(set(regions.values())) == 17
    known = {"UA": "Europe", "MX": "Central America", "YE": "Middle East", "NG": "Western Africa",
             "MM": "Southeast Asia", "NO": "Europe", "EG": "Northern Africa", "RU": "Caucasus and Central Asia"}
    assert {code: regions[code] for code in known} == known


def test_acled_names_the_part_of_an_admin1_it_splits_by_the_places_district() -> None:
    parts = load_admin1_parts()
    town = Place("g:1", "Hsipaw", 22.62, 97.30, "MM", "Shan", "Kyaukme District")
    assert acled_admin1(town, parts) == "Shan-North"
    assert acled_admin1(replace(town, admin2="Taunggyi District"), parts) == "Shan-South"
    assert acled_admin1(replace(town, admin1="Bago", admin2="Pyay District"), parts) == "Bago-West"
    # a district the table does not list, or a country ACLED does not split, keeps the gazetteer's admin1
    assert acled_admin1(replace(town, admin2=""), parts) == "Shan"
    assert acled_admin1(Place("g:2", "Herat", 34.34, 62.20, "AF", "Herat", "Herat"), parts) == "Herat"


def test_khabar_eval_acled_reads_the_export_back(archive: Archive, tmp_path: Path) -> None:
    from khabar.eval.acled import run
    from khabar.settings import Settings

    path = _write(archive, "acled", tmp_path, Filters(country="AF"))
    metrics = run(path, None, None, Settings(processes=1))
    assert metrics["n"] == 2
    assert metrics["date_acc"] is not None and metrics["admin1_acc"] == 1.0  # the notes name the place again


def test_ucdp_keeps_organised_violence_with_low_best_high(archive: Archive, tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(_write(archive, "ucdp", tmp_path), keep_default_na=False)
    assert list(frame["id"].str.len()) == [12, 12]  # the riot is not organised violence
    one_sided, state_based = frame.iloc[0], frame.iloc[1]
    assert (one_sided["type_of_violence"], one_sided["low"], one_sided["best"], one_sided["high"],
            one_sided["deaths_civilians"]) == (3, 4, 5, 6, 5)
    # the Taliban are a government in 2023 (the registry's phase), so the clash is state-based
    assert (state_based["type_of_violence"], state_based["conflict_name"], state_based["date_prec"]) == (
        1, "Afghanistan: Islamic State", 4)


def test_geojson_is_an_rfc7946_feature_collection(archive: Archive, tmp_path: Path) -> None:
    import duckdb

    path = _write(archive, "geojson", tmp_path)
    data = json.loads(path.read_text())
    assert data["type"] == "FeatureCollection"
    herat, riot, kabul = data["features"]
    assert herat["geometry"] == {"type": "Point", "coordinates": [62.2, 34.35]}  # longitude first
    assert riot["geometry"] is None and riot["properties"]["place"] == HOSTILE_PLACE
    assert kabul["properties"]["when"] == "2023-06"
    assert HOSTILE_OUTLET in herat["properties"]["outlets"]
    # DuckDB reads a GeoJSON FeatureCollection as one row per feature, with a GEOMETRY column
    rows = duckdb.sql(f"SELECT count(*), count(geometry), any_value(typeof(geometry)), "
                      f"any_value(geometry::VARCHAR) FILTER (WHERE place = 'Herat') FROM read_json_auto('{path}')")
    assert rows.fetchall()[0] == (3, 2, "GEOMETRY", "POINT (62.2 34.35)")


def test_stix_bundle_is_valid_and_its_ids_are_stable(archive: Archive, tmp_path: Path) -> None:
    import stix2
    from stix2validator import validate_string

    text = _write(archive, "stix", tmp_path).read_text()
    result = validate_string(text)
    assert result.is_valid, [e.message for r in result.object_results for e in r.errors]
    bundle = stix2.parse(text, allow_custom=True)
    kinds = sorted({o.type for o in bundle.objects})
    assert kinds == ["identity", "incident", "location", "note", "relationship", "report", "threat-actor"]
    by_type = {o.type: [x for x in bundle.objects if x.type == o.type] for o in bundle.objects}
    assert {o.name for o in by_type["threat-actor"]} == {"Taliban", "Islamic State"}
    assert sorted(o.x_khabar_fatalities_best for o in by_type["incident"] if "x_khabar_fatalities_best" in o) == [5, 10]
    hostile = [r for r in by_type["relationship"] if r.relationship_type == "hostile-to"]
    assert len(hostile) == 1 and hostile[0].x_khabar_evidence_count == 1
    assert any("Gunmen killed four guards" in n.content for n in by_type["note"])
    assert len(by_type["report"]) == 3
    assert all("url" not in ref for r in by_type["report"] for ref in r.external_references
               if ref.source_name == HOSTILE_OUTLET)  # a javascript: URL is not passed on
    (tmp_path / "again").mkdir()
    again = _write(archive, "stix", tmp_path / "again")
    assert [o["id"] for o in json.loads(again.read_text())["objects"]] == [o.id for o in bundle.objects]


def test_graphml_reads_in_networkx_with_relation_types_and_spans(archive: Archive, tmp_path: Path) -> None:
    import networkx as nx

    graph = nx.read_graphml(_write(archive, "graphml", tmp_path))
    assert graph.nodes["taliban"]["name"] == "Taliban"
    edges = [(a, b, d["relation"], d.get("evidence"), d.get("incidents"), d["start"]) for a, b, d in
             graph.edges(data=True)]
    assert ("taliban", "islamic-state", "hostile", 1, None, "2023-06-12") in edges
    assert ("taliban", "civilians:AFG", "incident", None, 1, "2023-05-01") in edges


def test_parquet_is_a_folder_of_typed_month_partitions(archive: Archive, tmp_path: Path) -> None:
    import duckdb
    import pandas as pd

    folder = tmp_path / "pq"
    export.export(archive, Filters(), export.format_named("parquet"), folder)
    assert sorted(p.name for p in (folder / "incidents").iterdir()) == ["month=2023-05", "month=2023-06"]
    rows = duckdb.sql(f"SELECT month, count(*), sum(fatalities_best), typeof(any_value(date_start)) FROM "
                      f"read_parquet('{folder}/incidents/*/*.parquet', hive_partitioning = true) "
                      "GROUP BY month ORDER BY month").fetchall()
    assert rows == [("2023-05", 2, 5, "DATE"), ("2023-06", 1, 10, "DATE")]
    frame = pd.read_parquet(folder / "claims")
    assert list(frame["speaker_name"]) == ["Taliban"] and list(frame["disputed_by"].iloc[0]) == ["governor"]
    assert len(pd.read_parquet(folder / "sources")) == 4
    assert set(pd.read_parquet(folder / "actors")["actor_id"]) == {"taliban", "civilians:AFG", "islamic-state"}
    with pytest.raises(ConfigError, match="writes a folder"):
        export.export(archive, Filters(), export.format_named("parquet"), None)


def test_stream_formats_write_to_a_stream(archive: Archive) -> None:
    out = io.StringIO()
    export.export(archive, Filters(text="clash"), export.format_named("jsonl"), None, out)
    assert [json.loads(line)["sources"][0]["event_id"] for line in out.getvalue().splitlines()] == ["d3-e1"]


@pytest.mark.parametrize("key", ["6996ca374860", "taliban", "état:خراسان", ""])
def test_stix_ids_are_the_uuid5_of_khabars_ids(key: str) -> None:
    import uuid

    from khabar.export.stix import NAMESPACE, stix_id

    assert stix_id("incident", key) == f"incident--{uuid.uuid5(NAMESPACE, f'incident:{key}')}"


def test_stix_reads_incidents_from_the_stored_json_as_the_records_decode_them(archive: Archive) -> None:
    from khabar.export.common import kind_of
    from khabar.export.stix import Stored
    from khabar.records import TimeSpan, Toll

    for text, incident in zip(archive.incident_json(Filters()), archive.incidents(Filters()), strict=True):
        stored, e = Stored.of(json.loads(text)), incident.event
        place = e.place.place if e.place else None
        assert (stored.incident_id, stored.kind, stored.event_type, stored.sub_event_type, stored.plover_type,
                stored.status, stored.confidence, stored.actor1, stored.actor2, stored.claimed_by) == (
            incident.incident_id, kind_of(e), e.event_type, e.sub_event_type, e.plover_type, e.status, e.confidence,
            e.actor1, e.actor2, e.claimed_by)
        assert stored.place == ((place.place_id, place.name) if place else None)
        assert stored.span == (TimeSpan(e.time.start, e.time.end, e.time.precision) if e.time else None)
        toll = incident.fatalities
        assert stored.toll == (Toll(toll.low, toll.best, toll.high) if toll else None)  # without its evidence
        assert stored.disagreements == incident.disagreements
        assert stored.quotes == tuple((s.doc_id, s.evidence[0] if s.evidence else None) for s in incident.sources)


def test_stix_bundle_is_the_same_whatever_the_batch_size(archive: Archive, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.export import stix

    whole = _write(archive, "stix", tmp_path).read_text()
    monkeypatch.setattr(stix, "BATCH", 1)  # every incident's articles looked up on their own
    (tmp_path / "one").mkdir()
    assert _write(archive, "stix", tmp_path / "one").read_text() == whole


def test_acled_rows_leave_out_the_authority_a_crowd_protests_against(archive: Archive) -> None:
    # the event keeps the government as the protest's (PLOVER) target; ACLED codes no such second side
    def row(event_type: str, actor2: str) -> dict[str, object]:
        event = Event(event_id="x:e1", doc_id="x", family="political", event_type=event_type,
                      actor1="protesters:KEN", actor2=actor2, time=TimeSpan(date(2020, 5, 1), date(2020, 5, 1)))
        return acled_row(Incident("i1", event, (event,)), Names(archive), [], load_regions(),
                         load_admin1_parts())

    assert (row("Protests", "government:KEN")["actor2"], row("Protests", "government:KEN")["inter2"]) == ("", "")
    assert row("Protests", "police:KEN")["actor2"] == "Police Forces of Kenya (2013-)"
    assert row("Battles", "government:KEN")["actor2"] == "Government of Kenya (2013-)"
