"""Tests of the gazetteer build script's district points (read without the build-only packages)."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def build() -> Any:
    spec = importlib.util.spec_from_file_location("build_gazetteer_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _row(build: Any, name: str, admin1: str, lat: float = 0.0, lon: float = 0.0, aliases: tuple[str, ...] = ()) -> Any:
    return build.Row(f"geonames:{name}", name, "admin2", "AF", admin1, f"{admin1}.1", lat, lon, 0, set(aliases))


def test_district_points_reads_only_afghan_rows_of_the_wheel(build: Any, tmp_path: Path) -> None:
    wheel = tmp_path / "districts.whl"
    rows = [
        "name,shape_id,lon,lat,admin1,admin2",
        f"Dihrawud,{build.AFGHAN_DISTRICTS}1,65.47,32.59,Afghanistan,Uruzgan",
        '"Qalay-I- Zal",' + f"{build.AFGHAN_DISTRICTS}2,68.36,36.90,Tajikistan,Khatlon",
        "Elsewhere,99999B1,10.0,50.0,Germany,Hesse",
    ]
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(build.DISTRICT_FILE, "\n".join(rows) + "\n")
    assert build.district_points(wheel) == [
        ("Dihrawud", 32.59, 65.47, "Uruzgan"), ("Qalay-I- Zal", 36.90, 68.36, "Khatlon")
    ]


def test_compact_names_meet_across_transliterations(build: Any) -> None:
    assert build.compact("Qal‘ah-ye Zal")[:4] == build.compact("Qalay-I- Zal")[:4]
    assert build.fuzz.ratio(build.compact("Deh Rawud"), build.compact("Dihrawud")) >= 80
    assert build.fuzz.ratio(build.compact("Lajah Ahmad Khel"), build.compact("Laja Ahmad Khail")) >= 80


def test_districts_match_centroids_by_name_nearby_and_only_town_less_ones_move(build: Any) -> None:
    seats = {
        "AF.39": _row(build, "Tarin Kot", "AF.39", 32.63, 65.87),
        "AF.24": _row(build, "Kunduz", "AF.24", 36.73, 68.86),
    }
    districts = [
        _row(build, "Deh Rawud", "AF.39"),
        _row(build, "Qal‘ah-ye Zal", "AF.24"),
        _row(build, "Nowhere", "AF.24"),
        _row(build, "Chahar Darah", "AF.24", 36.70, 68.75),
    ]
    points = [
        ("Dihrawud", 32.585, 65.466, "Uruzgan"),
        ("Qalay-I- Zal", 36.897, 68.362, "Kunduz"),
        ("Nowhere", 31.0, 61.0, "Kunduz"),
        ("Chahar Dara", 36.68, 68.70, "Kunduz"),
    ]
    assert build.place_districts(districts, seats, points) == 2
    assert (districts[0].lat, districts[0].lon) == (32.585, 65.466)
    assert (districts[1].lat, districts[1].lon) == (36.897, 68.362)
    assert (districts[2].lat, districts[2].lon) == (0.0, 0.0)  # same name, but far from its province: left alone
    # a matched district is displayed with the official spelling and keeps its GeoNames one as an alias
    assert (districts[0].name, districts[1].name) == ("Dihrawud", "Qalay-i-Zal")
    assert {"Deh Rawud", "Dihrawud"} <= districts[0].aliases and "Qal‘ah-ye Zal" in districts[1].aliases
    assert districts[2].name == "Nowhere"
    # a district with a town keeps the town's point and gains the other spelling
    assert (districts[3].lat, districts[3].lon) == (36.70, 68.75) and "Chahar Dara" in districts[3].aliases


def test_official_spelling_tidies_polygon_names(build: Any) -> None:
    assert build.official_spelling("Qalay-I- Zal") == "Qalay-i-Zal"
    assert build.official_spelling("Nawa-I- Barak Zayi") == "Nawa-i-Barak Zayi"
    assert build.official_spelling("Sia Gird ( Ghorbund)") == "Sia Gird"
    assert build.official_spelling("Khost(Matun)") == "Khost"
    assert build.official_spelling("Zanda  Jan\n") == "Zanda Jan"
    assert build.official_spelling("Shaygal wa shital") == "Shaygal wa Shital"


def test_loose_spellings_pair_only_near_the_districts_own_point(build: Any) -> None:
    seats = {"AF.34": _row(build, "Asadabad", "AF.34", 34.87, 71.15)}
    districts = [
        _row(build, "Sirkanay", "AF.34", 34.79, 71.11),
        _row(build, "Naray", "AF.34", 35.22, 71.52),
        _row(build, "Urgun District", "AF.34", 34.60, 70.80),
    ]
    points = [("Nari", 34.95, 70.60, "Kunar"), ("Sarkani", 34.80, 71.12, "Kunar"), ("Urgun", 34.61, 70.81, "Kunar")]
    assert build.place_districts(districts, seats, points) == 0
    assert [d.name for d in districts] == ["Sarkani", "Naray", "Urgun"]  # "Nari" lies 85 km from Naray's point
    assert "Sirkanay" in districts[0].aliases and "Urgun District" in districts[2].aliases


def test_a_district_without_a_point_pairs_loosely_only_with_a_polygon_of_its_province(build: Any) -> None:
    seats = {
        "AF.29": _row(build, "Paktika", "AF.29", 33.13, 68.80),
        "AF.34": _row(build, "Kunar", "AF.34", 34.87, 71.15),
    }
    districts = [_row(build, "Sar Rowzah", "AF.29"), _row(build, "Naray", "AF.34")]
    points = [("Sar Hawza", 33.06, 69.03, "Paktika"), ("Nari", 34.95, 70.60, "Nuristan")]
    assert build.place_districts(districts, seats, points) == 1
    assert (districts[0].name, districts[0].lat, districts[0].lon) == ("Sar Hawza", 33.06, 69.03)
    assert (districts[1].name, districts[1].lat) == ("Naray", 0.0)


def test_a_polygons_bracketed_name_becomes_an_alias(build: Any) -> None:
    seats = {"AF.08": _row(build, "Ghazni", "AF.08", 33.55, 68.42)}
    districts = [_row(build, "Bahram-e Shahid", "AF.08")]
    build.place_districts(districts, seats, [("Bahrami Shahid (Jaghatu)", 33.52, 68.05, "Ghazni")])
    assert districts[0].name == "Bahrami Shahid" and {"Jaghatu", "Bahram-e Shahid"} <= districts[0].aliases
    assert build.second_names("Khenj (Hese- Awal)") == {"Hese-Awal"} and build.second_names("Kabul") == set()


def test_polygon_keys_read_a_name_with_and_without_its_bracket(build: Any) -> None:
    assert build.polygon_keys("Reg(Khanshin)") == {build.compact("Reg(Khanshin)"), build.compact("Reg")}
