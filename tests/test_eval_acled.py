"""Tests of the ACLED evaluation: exports as ACLED ships them, dates, and the added metrics."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from khabar.errors import InputError
from khabar.eval import acled as acled_eval
from khabar.eval import common as common_eval
from khabar.eval import isaf as isaf_eval
from khabar.eval.common import load_eval_tables
from khabar.events import load_event_resources
from khabar.records import Analysis, Document, Event, Evidence
from khabar.settings import Settings

TABLES = load_eval_tables()  # one set of evaluation tables for every test here, as a run loads one

SHARED = Path(os.environ.get("KHABAR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
TRAIN = SHARED / "data" / "acled" / "train"

# A full export: extra columns in ACLED's order, no actor2 column, NA for empty fields.
FULL_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
               "assoc_actor_1,inter1,interaction,admin1,admin2,location,latitude,longitude,geo_precision,source,"
               "notes,fatalities,timestamp")
FULL_ROWS = (
    'XYZ1,9-May-20,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Xland),NA,6,60,Northia,NA,'
    'Alpha,1.5,2.5,1,Local paper,"On 9 May 2020, traders marched in Alpha.",0,1590000000\n'
    'XYZ2,09 May 2020,2020,1,Political violence,Riots,Mob violence,Rioters (Xland),Students (Xland),5,57,NA,NA,'
    'Beta,-3.25,40.5,2,Radio,"On 9 May 2020, a crowd beat a man in Beta.",1,1590000001\n'
)
DEV_HEADER = ",".join(acled_eval.ACLED_COLUMNS)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2020-05-09", date(2020, 5, 9)),
        ("09 May 2020", date(2020, 5, 9)),
        ("9 May 2020", date(2020, 5, 9)),
        ("9-May-20", date(2020, 5, 9)),
        ("28 September 2019", date(2019, 9, 28)),
        ("3 Sep 2019", date(2019, 9, 3)),
        ("31-12-19", date(2019, 12, 31)),
        ("2021-01-02T00:00:00Z", date(2021, 1, 2)),
        (date(2020, 5, 9), date(2020, 5, 9)),
    ],
)
def test_parse_day(value: Any, day: date) -> None:
    assert common_eval.parse_day(value, "f:2") == day


def test_parse_day_unreadable() -> None:
    with pytest.raises(InputError, match="f:2: unreadable date 'May the ninth'"):
        common_eval.parse_day("May the ninth", "f:2")


def test_load_full_export_without_actor2(tmp_path: Path) -> None:
    first, second = acled_eval.load_acled(write(tmp_path, f"{FULL_HEADER}\n{FULL_ROWS}"), TABLES)
    assert first == acled_eval.AcledRow(
        day=date(2020, 5, 9), event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Xland)",
        actor2="", admin1="Northia", location="Alpha", lat=1.5, lon=2.5, fatalities=0,
        notes="On 9 May 2020, traders marched in Alpha.")
    assert (second.day, second.admin1, second.actor2, second.fatalities) == (date(2020, 5, 9), "", "", 1)


def test_load_export_reads_na_actor2_as_empty(tmp_path: Path) -> None:
    header = FULL_HEADER.replace("interaction,", "actor2,interaction,")
    rows = FULL_ROWS.replace(",6,60,", ",6,NA,60,").replace(",5,57,", ",5,Civilians (Xland),57,")
    first, second = acled_eval.load_acled(write(tmp_path, f"{header}\n{rows}"), TABLES)
    assert (first.actor2, second.actor2) == ("", "Civilians (Xland)")


def test_load_dev_style_file(tmp_path: Path) -> None:
    path = write(tmp_path, f'{DEV_HEADER}\n9-May-20,Battles,Armed clash,A,B,X,Y,1.5,2.5,3,"A note."\n')
    [row] = acled_eval.load_acled(path, TABLES)
    assert (row.day, row.actor2, row.fatalities) == (date(2020, 5, 9), "B", 3)


def test_load_export_still_needs_the_core_columns(tmp_path: Path) -> None:
    path = write(tmp_path, FULL_HEADER.replace(",fatalities", "") + "\n")
    with pytest.raises(InputError, match=r"missing column.*fatalities"):
        acled_eval.load_acled(path, TABLES)


TRAIN_ROWS = [("kenya.csv", 5725), ("bangladesh.csv", 5658), ("benin.csv", 811), ("myanmar_explosions.csv", 2734)]


@pytest.mark.parametrize(("name", "count"), TRAIN_ROWS)
def test_shared_train_exports_load(name: str, count: int) -> None:
    path = TRAIN / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: put ../shared beside the repo (or set KHABAR_SHARED) to check it")
    rows = acled_eval.load_acled(path, TABLES)
    assert len(rows) == count
    assert all(r.event_type and r.actor1 for r in rows)
    assert all(date(1997, 1, 1) <= r.day <= date(2024, 12, 31) for r in rows)
    assert all(r.actor2 != "NA" for r in rows)
    if name == "bangladesh.csv":
        assert not any(r.actor2 for r in rows)


# --- metrics ---

EV = Evidence("d", 0, 0, 4, "text")


def gold(fatalities: int) -> acled_eval.AcledRow:
    return acled_eval.AcledRow(date(2020, 5, 9), "Battles", "Armed clash", "A", "", "X", "Y", 1.0, 2.0,
                               fatalities, "")


def scores(fatalities: int) -> dict[str, Any]:
    return {"event_type_acc": True, "sub_event_type_acc": True, "actor1_acc": True, "actor2_acc": None,
            "admin1_acc": True, "location_acc": True, "km": 1.0, "date_acc": True, "fatalities": fatalities}


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(3, 3), (5, 4), (0, 0), (0, 2)], 0.5),  # gold 3 right, gold 5 wrong; zero-gold rows ignored
        ([(2, 0)], 0.0),
        ([(0, 0), (0, 1)], None),
    ],
)
def test_fatalities_exact_nonzero(pairs: list[tuple[int, int]], expected: float | None) -> None:
    metrics = acled_eval.acled_metrics([gold(g) for g, _ in pairs], [scores(p) for _, p in pairs])
    assert metrics["fatalities_exact_nonzero"] == expected


def analysis(events: int) -> Analysis:
    found = tuple(Event(f"e{i}", "d", "violence", event_type="Battles", evidence=(EV,)) for i in range(events))
    return Analysis(Document("d", "text"), events=found)


def test_events_per_doc_counts_failures_as_zero() -> None:
    assert common_eval.events_per_doc([analysis(2), analysis(0), None, analysis(3)]) == 1.25
    assert common_eval.events_per_doc([]) is None


@pytest.fixture
def canned(monkeypatch: pytest.MonkeyPatch) -> list[Analysis | None]:
    """Canned analyses for the runners, so a run scores without the pipeline."""
    results: list[Analysis | None] = [analysis(3), None]
    fake = SimpleNamespace(registry=SimpleNamespace(acled_name=lambda *_: "", get=lambda _: None),
                           event_resources=load_event_resources())
    monkeypatch.setattr(common_eval, "analyse", lambda docs, _settings: results[:len(docs)])
    monkeypatch.setattr(common_eval, "pipeline_for", lambda _settings: fake)
    return results


def test_acled_run_reports_events_per_doc(tmp_path: Path, canned: list[Analysis | None]) -> None:
    metrics = acled_eval.run(write(tmp_path, f"{FULL_HEADER}\n{FULL_ROWS}"), None, None, Settings(processes=1))
    assert metrics["events_per_doc"] == 1.5
    assert metrics["fatalities_exact_nonzero"] == 0.0
    assert metrics["n"] == 2


def test_isaf_run_reports_events_per_doc(tmp_path: Path, canned: list[Analysis | None]) -> None:
    path = tmp_path / "isaf.jsonl"
    records = [{"text": "KABUL, Afghanistan (May 9) - A patrol detained two suspects.", "start_date": "2011-05-08"},
               {"text": "KABUL, Afghanistan (May 10) - A release.", "start_date": "2011-05-10"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    metrics = isaf_eval.run(path, None, None, Settings(processes=1))
    assert metrics["events_per_doc"] == 1.5
    assert metrics["n"] == 2
