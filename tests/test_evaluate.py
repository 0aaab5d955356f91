"""Tests of the evaluation harness: metric functions on tiny hand-made cases, loaders, matching."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import khabar.eval as evaluation
from khabar.errors import ConfigError, InputError
from khabar.eval import acled as acled_eval
from khabar.eval import case21 as case21_eval
from khabar.eval import common as common_eval
from khabar.eval import geo as geo_eval
from khabar.eval import isaf as isaf_eval
from khabar.eval import plover as plover_eval
from khabar.eval.common import load_eval_tables
from khabar.places import km_between
from khabar.records import Actor, Event, Evidence, Place, PlaceMention, TimeSpan, Toll

TABLES = load_eval_tables()  # one set of evaluation tables for every test here, as a run loads one


class FakeRegistry:
    """A registry stand-in with a handful of actors."""

    def __init__(self, actors: dict[str, Actor], acled: dict[str, str] | None = None) -> None:
        self.actors = actors
        self.acled = acled or {}

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def acled_name(self, actor_id: str, day: date | None) -> str:
        return self.acled.get(actor_id, "")

    def acled_side(self, event_type: str, actor_id: str, day: date | None) -> str:
        return self.acled_name(actor_id, day)

    def country_of(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.country if actor else ""


REGISTRY: Any = FakeRegistry(
    {
        "north-front": Actor("north-front", "Northern Front", "armed_group", aliases=("NF",)),
        "north-front-east": Actor("north-front-east", "Northern Front East Wing", "armed_group"),
        "state:FRA": Actor("state:FRA", "France", "state", country="FR"),
        "relief-league": Actor("relief-league", "Relief League", "igo"),
        "civilians:AFG": Actor("civilians:AFG", "Civilians (Afghanistan)", "civilians", country="AF"),
        "taliban": Actor("taliban", "Taliban", "armed_group", country="AF"),
        "river-gang": Actor("river-gang", "River Gang", "armed_group"),
        "lone-person": Actor("lone-person", "Ada Example", "person", country="SE"),
    },
    acled={"taliban": "Taliban", "military:AFG": "Military Forces of Afghanistan (2014-)"},
)

EV = Evidence("d1", 0, 0, 4, "text")


def place(name: str = "Alpha", lat: float = 10.0, lon: float = 20.0, admin1: str = "Paktia") -> Place:
    return Place(place_id=name.lower(), name=name, lat=lat, lon=lon, country="AF", admin1=admin1)


def event(**fields: Any) -> Event:
    base: dict[str, Any] = {"event_id": "e1", "doc_id": "d1", "family": "violence"}
    base.update(fields)
    return Event(**base)


# --- metric functions ---


@pytest.mark.parametrize(("values", "expected"), [([], 0.0), ([True, False, True, True], 0.75), ([False], 0.0)])
def test_share(values: list[bool], expected: float) -> None:
    assert common_eval.share(values) == expected


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [((0.0, 0.0), (0.0, 1.0), 111.19), ((0.0, 0.0), (0.0, 0.0), 0.0), ((0.0, 0.0), (0.0, 180.0), 20015.09)],
)
def test_great_circle_km(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert km_between(*a, *b) == pytest.approx(km, abs=0.1)


def test_weighted_and_macro_f1_on_a_hand_case() -> None:
    gold = ["A", "A", "A", "B"]
    pred = ["A", "A", "B", "B"]
    # A: P=1, R=2/3, F1=0.8 (support 3); B: P=0.5, R=1, F1=2/3 (support 1)
    assert common_eval.weighted_f1(gold, pred) == pytest.approx((0.8 * 3 + 2 / 3) / 4)
    assert common_eval.macro_f1(gold, pred) == pytest.approx((0.8 + 2 / 3) / 2)


def test_f1_agrees_with_sklearn() -> None:
    from sklearn.metrics import f1_score

    gold = ["X", "Y", "Z", "X", "Y", "X", "Z", "Z"]
    pred = ["X", "Z", "Z", "Y", "Y", "X", "W", "Z"]
    labels = sorted(set(gold))
    assert common_eval.weighted_f1(gold, pred) == pytest.approx(f1_score(gold, pred, labels=labels, average="weighted"))
    assert common_eval.macro_f1(gold, pred) == pytest.approx(f1_score(gold, pred, labels=labels, average="macro"))


def test_f1_of_nothing_is_zero() -> None:
    assert common_eval.weighted_f1([], []) == 0.0
    assert common_eval.macro_f1([], []) == 0.0


def test_confusion_counts_gold_by_predicted() -> None:
    assert common_eval.confusion(["A", "A", "B"], ["A", "B", "B"]) == {"A": {"A": 1, "B": 1}, "B": {"B": 1}}


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ({(0, 5), (10, 15)}, {(0, 5)}, (1.0, 0.5, 2 / 3)),
        ({(0, 5)}, {(0, 4)}, (0.0, 0.0, 0.0)),
        (set(), set(), (0.0, 0.0, 0.0)),
        ({(0, 5)}, {(0, 5), (7, 9), (20, 22), (30, 31)}, (0.25, 1.0, 0.4)),
    ],
)
def test_span_prf(gold: set[tuple[int, int]], pred: set[tuple[int, int]], expected: tuple[float, ...]) -> None:
    assert common_eval.span_prf(gold, pred) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("errors", "expected"),
    [([0.0, 0.0, 0.0], 0.0), ([20039.0, 20039.0], 1.0), ([0.0, 20039.0], 0.5), ([], 0.0), ([20039.0], 1.0)],
)
def test_error_auc(errors: list[float], expected: float) -> None:
    assert common_eval.error_auc(errors) == pytest.approx(expected)


def test_error_auc_grows_with_error() -> None:
    assert common_eval.error_auc([1.0, 10.0, 100.0]) < common_eval.error_auc([10.0, 100.0, 1000.0])


def test_median() -> None:
    assert common_eval.median([3.0, 1.0, 2.0]) == 2.0
    assert common_eval.median([]) == 0.0


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("Military Forces of Afghanistan (2014-) Special Forces", {"military forces of afghanistan (2014 )"}),
        ("Taliban and/or Unidentified Armed Group (Afghanistan)",
         {"taliban", "unidentified armed group (afghanistan)"}),
        ("Civilians (Afghanistan)", {"civilians (afghanistan)"}),
    ],
)
def test_acled_actor_options(name: str, options: set[str]) -> None:
    assert common_eval.acled_actor_options(name) == options


@pytest.mark.parametrize(
    ("pred", "gold", "ok"),
    [
        ("Military Forces of Afghanistan (2014-)", "Military Forces of Afghanistan (2014-) Special Forces", True),
        ("Taliban", "Taliban and/or Haqqani Network", True),
        ("Haqqani Network", "Taliban and/or Haqqani Network", True),
        ("Taliban", "Military Forces of Afghanistan (2014-)", False),
        ("", "Taliban", False),
        ("Military Forces of Afghanistan (2004-2014)", "Military Forces of Afghanistan (2014-)", False),
    ],
)
def test_acled_actor_match(pred: str, gold: str, ok: bool) -> None:
    assert common_eval.acled_actor_match(pred, gold) is ok


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Paktya", "Paktia Province", True), ("Paktika", "Paktia", False), ("Sar-e-Pul", "Sari Pul", True),
     ("Lusaka", "lusaka", True), ("Kunar", "Kunduz", False)],
)
def test_admin1_key(a: str, b: str, same: bool) -> None:
    assert (common_eval.admin1_key(a, TABLES) == common_eval.admin1_key(b, TABLES)) is same


@pytest.mark.parametrize(
    ("pred", "gold", "ok"),
    [
        ("Explosions/Remote violence", "Remote violence", True),
        ("Protests", "Riots/Protests", True),
        ("Riots", "Riots/Protests", True),
        ("Battles", "Battles-No change of territory", True),
        ("Battles", "Explosions/Remote violence", False),
        ("Battles", "Battles", True),
        ("Strategic developments", "Non-violent transfer of territory", True),
    ],
)
def test_acled_type_ok(pred: str, gold: str, ok: bool) -> None:
    assert acled_eval.acled_type_ok(pred, gold, TABLES) is ok


def test_case21_metrics_separates_acled_codes() -> None:
    gold = ["ARMED_CLASH", "ARMED_CLASH", "DIPLO", "ARREST"]
    pred = ["ARMED_CLASH", "ARREST", "DIPLO", "ARREST"]
    metrics = case21_eval.case21_metrics(gold, pred, TABLES)
    # on the three ACLED rows: ARMED_CLASH F1 2/3 (support 2), ARREST F1 2/3 (support 1)
    assert metrics["weighted_f1_25"] == pytest.approx(2 / 3)
    assert metrics["accuracy"] == 0.75
    assert metrics["n"] == 4
    assert metrics["confusion"]["ARMED_CLASH"] == {"ARMED_CLASH": 1, "ARREST": 1}
    assert metrics["weighted_f1_all"] == pytest.approx((2 / 3 * 2 + 1 + 2 / 3) / 4)


# --- per-kind scoring on hand-made events ---


def acled_row(**fields: Any) -> acled_eval.AcledRow:
    base: dict[str, Any] = {
        "day": date(2020, 3, 4), "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Taliban",
        "actor2": "", "admin1": "Paktya", "location": "Alpha", "lat": 10.0, "lon": 20.0, "fatalities": 3, "notes": "",
    }
    base.update(fields)
    return acled_eval.AcledRow(**base)


def test_acled_row_scores_all_right() -> None:
    row = acled_row(actor2="Military Forces of Afghanistan (2014-) Special Forces")
    found = event(event_type="Battles", sub_event_type="Armed clash", actor1="taliban", actor2="military:AFG",
                  place=PlaceMention(EV, "Alpha", place(lat=10.01)), time=TimeSpan(date(2020, 3, 4), date(2020, 3, 4)),
                  fatalities=Toll(3, 3, 3))
    scores = acled_eval.acled_row_scores(row, found, REGISTRY, TABLES)
    assert all(scores[k] for k in ("event_type_acc", "sub_event_type_acc", "actor1_acc", "actor2_acc",
                                   "admin1_acc", "location_acc", "date_acc"))
    assert scores["km"] == pytest.approx(1.11, abs=0.01)
    metrics = acled_eval.acled_metrics([row], [scores])
    assert metrics["fatalities_exact"] == 1.0
    assert metrics["geo_within_25km"] == 1.0


def test_acled_metrics_with_no_event() -> None:
    row = acled_row(sub_event_type="")
    scores = acled_eval.acled_row_scores(row, None, REGISTRY, TABLES)
    assert scores["sub_event_type_acc"] is None
    assert scores["actor2_acc"] is None
    metrics = acled_eval.acled_metrics([row], [scores])
    assert metrics["event_type_acc"] == 0.0
    assert metrics["fatalities_mae"] == 3.0
    assert metrics["geo_within_25km"] == 0.0
    assert metrics["n"] == 1


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"arrests": Toll(2, 2, 2)}, "detention"),
        ({"arrests": Toll(2, 2, 2), "fatalities": Toll(1, 1, 1)}, "captureandkill"),
        ({"fatalities": Toll(4, 4, 4)}, "insurgentskilled"),
        ({"sub_event_type": "Air/drone strike", "fatalities": Toll(4, 4, 4)}, "airstrike"),
        ({"actor2": "civilians:AFG", "fatalities": Toll(1, 1, 1)}, "civiliancasualty"),
        ({"event_type": "Battles"}, "exchangeoffire"),
        ({}, ""),
    ],
)
def test_isaf_event_type(fields: dict[str, Any], label: str) -> None:
    assert isaf_eval.isaf_event_type(event(**fields), REGISTRY, TABLES) == label


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"actor1": "military:AFG", "actor2": "taliban"}, "taliban"),
        ({"actor1": "military:AFG", "actor2": "river-gang"}, "other"),
        ({"actor1": "military:AFG"}, ""),
    ],
)
def test_isaf_target_group(fields: dict[str, Any], code: str) -> None:
    assert isaf_eval.isaf_target_group(event(**fields), REGISTRY, TABLES) == code


def test_isaf_row_scores() -> None:
    row = isaf_eval.IsafRow("", date(2011, 5, 6), frozenset({"detention"}), frozenset({"paktya"}),
                     frozenset({"taliban"}), killed=0, captured=2)
    found = event(actor2="taliban", arrests=Toll(2, 2, 2), place=PlaceMention(EV, "x", place(admin1="Paktia")),
                  time=TimeSpan(date(2011, 5, 6), date(2011, 5, 6)))
    assert all(isaf_eval.isaf_row_scores(row, found, REGISTRY, TABLES).values())
    missed = isaf_eval.isaf_row_scores(row, None, REGISTRY, TABLES)
    assert missed["killed_exact"] is True
    assert missed["captured_exact"] is False


@pytest.mark.parametrize(
    ("actor_id", "code"),
    [("state:FRA", "FRA"), ("military:NGA", "NGA"), ("relief-league", "IGO"), ("lone-person", "SWE"), ("", "")],
)
def test_plover_code(actor_id: str, code: str) -> None:
    assert plover_eval.plover_code(actor_id, REGISTRY, TABLES) == code


def test_plover_row_scores() -> None:
    row = plover_eval.PloverRow("", "AGREE", "FRA", "")
    scores = plover_eval.plover_row_scores(row, event(plover_type="AGREE", actor1="state:FRA"), REGISTRY,
                                         TABLES)
    assert scores == {"event_acc": True, "source_acc": True, "target_acc": None}


def test_geo_metrics() -> None:
    metrics = geo_eval.geo_metrics([{(0, 5), (9, 12)}], [{(0, 5), (20, 25)}], [10.0], [50.0, None])
    assert metrics["toponym_p"] == 0.5
    assert metrics["toponym_r"] == 0.5
    assert metrics["acc_161km"] == 1.0
    assert metrics["resolution_acc_161km"] == 0.5
    assert metrics["n"] == 2


# --- loaders ---


def test_load_case21_and_unknown_label(tmp_path: Path) -> None:
    good = tmp_path / "good.tsv"
    good.write_text("id\ttext\tlabel\n1\tTwo groups fought near the dam.\tARMED_CLASH\n", encoding="utf-8")
    assert case21_eval.load_case21(good, TABLES) == [("Two groups fought near the dam.", "ARMED_CLASH")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\tlabel\n1\tSome text.\tNOT_A_CODE\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown label"):
        case21_eval.load_case21(bad, TABLES)


def test_load_acled_reads_both_date_styles(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    header = ",".join(acled_eval.ACLED_COLUMNS)
    path.write_text(
        f'{header}\n2 March 2020,Battles,Armed clash,A,,X,Y,1.5,2.5,0,"A note."\n'
        f'2016-07-02,Remote violence,,B,C,X,Y,1,2,4,Another note.\n', encoding="utf-8")
    rows = acled_eval.load_acled(path, TABLES)
    assert [r.day for r in rows] == [date(2020, 3, 2), date(2016, 7, 2)]
    assert rows[1].fatalities == 4
    assert rows[1].actor2 == "C"


def test_load_acled_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("event_date,notes\n2020-01-01,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        acled_eval.load_acled(path, TABLES)


def test_load_isaf_splits_joined_labels(tmp_path: Path) -> None:
    path = tmp_path / "i.jsonl"
    record = {"text": "A release.", "start_date": "2011-02-03", "event_type": ["insurgentskilled;detention"],
              "province": ["Khost"], "target_group": ["hig;taliban"], "min_killed": 2, "min_captured": 1}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [row] = isaf_eval.load_isaf(path)
    assert row.event_types == {"insurgentskilled", "detention"}
    assert row.target_groups == {"hig", "taliban"}
    assert row.start_date == date(2011, 2, 3)


def test_load_isaf_malformed(tmp_path: Path) -> None:
    path = tmp_path / "i.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="malformed"):
        isaf_eval.load_isaf(path)


def test_load_geo_keeps_toponyms_with_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "g.xml"
    path.write_text(
        "<articles><article><text>Rain fell on Alphaville and the citizens.</text><toponyms>"
        "<toponym><extractedName>Alphaville</extractedName><start>13</start><end>23</end>"
        "<latitude>1.5</latitude><longitude>2.5</longitude></toponym>"
        "<toponym><extractedName>citizens</extractedName><start>32</start><end>40</end></toponym>"
        "</toponyms></article></articles>", encoding="utf-8")
    [article] = geo_eval.load_geo(path)
    assert article.toponyms == (geo_eval.Toponym(13, 23, "Alphaville", 1.5, 2.5),)
    assert article.text[13:23] == "Alphaville"


def test_load_plover_skips_documentation(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps([
        {"event": "DOCUMENT", "eventText": "about this file"},
        {"text": "Two ministers met.", "event": "CONSULT", "source": [{"code": "JAP"}], "target": ""},
    ]), encoding="utf-8")
    assert plover_eval.load_plover(path, TABLES) == [plover_eval.PloverRow("Two ministers met.", "CONSULT", "JPN", "")]


def test_run_eval_rejects_unknown_kind_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="known kinds: seeds, docs, case21"):
        evaluation.run_eval("nope", tmp_path)
    with pytest.raises(InputError, match="no such file"):
        evaluation.run_eval("acled", tmp_path / "missing.csv")


def test_format_table_shows_targets() -> None:
    table = evaluation.format_table("case21", {"weighted_f1_25": 0.5, "accuracy": 0.25, "confusion": {}, "n": 4})
    assert "weighted_f1_25" in table
    assert ">= 0.86" in table
    assert "confusion" not in table


# --- smoke runs on the shared dev sets (read in place, a few rows each) ---

SMOKE = [
    ("case21", "data/case21/dev.tsv", None),
    ("acled", "data/acled/dev.csv", None),
    ("acled", "data/acled/dev_africa2016.csv", None),
    ("isaf", "data/isaf/dev.jsonl", None),
    ("geo", "data/geo/gwn.xml", None),
    ("geo", "data/geo/geovirus.xml", None),
    ("plover", "data/plover/gsr.json", None),
    ("seeds", "corpus/seeds", "gold/seeds.yaml"),
]
METRIC_NAMES = {
    "case21": {"weighted_f1_25", "weighted_f1_all", "macro_f1_all", "accuracy", "confusion"},
    "acled": {"event_type_acc", "sub_event_type_acc", "actor1_acc", "actor2_acc", "admin1_acc", "location_acc",
              "geo_km_median", "geo_within_25km", "date_acc", "fatalities_exact", "fatalities_exact_nonzero",
              "fatalities_mae", "events_per_doc"},
    "isaf": {"date_exact", "province_acc", "target_group_acc", "killed_exact", "captured_exact", "event_type_acc",
             "events_per_doc"},
    "geo": {"toponym_p", "toponym_r", "toponym_f1", "acc_161km", "median_km", "auc", "resolution_acc_161km"},
    "plover": {"event_acc", "source_acc", "target_acc"},
    "seeds": {"event_recall", "merge_ok", "actor_alias_acc", "person_affiliation_acc", "claim_recall",
              "relation_recall", "date_window_acc", "place_acc", "spurious_events", "event_precision",
              "duplicate_events", "events_per_doc", "type_acc", "sub_type_acc", "actor1_acc", "actor2_acc",
              "date_acc", "fatalities_acc", "all_fields_acc", "incident_precision"},
}


@pytest.mark.parametrize(("kind", "data", "gold"), SMOKE)
def test_run_eval_smoke(shared: Path, kind: str, data: str, gold: str | None) -> None:
    from khabar.settings import Settings

    limit = 1 if kind in ("geo", "seeds") else 2
    metrics = evaluation.run_eval(kind, shared / data, shared / gold if gold else None, limit, Settings(processes=1))
    assert set(metrics) == METRIC_NAMES[kind] | {"n"}
    assert metrics["n"] >= 1
    json.dumps(metrics)
    assert evaluation.format_table(kind, metrics).startswith(kind)
