"""Tests of places.gazetteer and places.lexicon: loading, lookup keys, lookups, user files, the lexicon."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from khabar import places
from khabar.errors import DataError
from khabar.pipeline import Pipeline
from khabar.places import lexicon


@pytest.fixture(scope="module")
def gazetteer(pipeline: Pipeline) -> places.Gazetteer:
    return pipeline.gazetteer


def test_load_is_fast_and_complete() -> None:
    started = time.perf_counter()
    gazetteer = places.load_gazetteer()
    assert time.perf_counter() - started < 3.0  # < 1 s on a quiet machine; slack for busy CI
    assert len(gazetteer.lines) > 50_000
    afghan_units = [p for p in gazetteer.lookup("Panjshir", "AF") if p.feature == "admin1"]
    assert afghan_units and afghan_units[0].name == "Panjshir"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mazar-i-Sharif", "mazar i sharif"),
        ("Mazār-e Sharīf", "mazar e sharif"),
        ("Qal‘ah-ye Now", "qalah ye now"),
        ("  Kabul  ", "kabul"),
    ],
)
def test_fold(name: str, expected: str) -> None:
    assert places.fold(name) == expected


@pytest.mark.parametrize(
    ("iso2", "name", "expected"),
    [
        ("AF", "Paktya", "Paktia"),
        ("AF", "Urozgan", "Uruzgan"),
        ("AF", "Panjsher province", "Panjshir"),
        ("AF", "Sar-e-Pul", "Sar-e Pul"),
        ("PK", "Balochistan", "Balochistan"),
    ],
)
def test_admin1_variants(gazetteer: places.Gazetteer, iso2: str, name: str, expected: str) -> None:
    found = gazetteer.admin1(iso2, name)
    assert found is not None and found.name == expected and found.country == iso2


def test_country_and_lookup(gazetteer: places.Gazetteer) -> None:
    tajikistan = gazetteer.country("tj")
    assert tajikistan is not None and tajikistan.feature == "country"
    assert gazetteer.country("XX") is None
    mazar = gazetteer.lookup("Mazar-e-Sharif", "AF")[0]
    assert (mazar.admin1, round(mazar.lat), round(mazar.lon)) == ("Balkh", 37, 67)
    assert gazetteer.lookup("Nowhere-in-particular") == []


def test_extra_file_extends_gazetteer(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "places:\n  - {id: my:camp, name: Camp Qzxv, feature: landmark, country: AF, admin1: Kunar,"
        " lat: 34.9, lon: 71.1, aliases: [Qzxv base]}\n",
        encoding="utf-8",
    )
    found = places.load_gazetteer(extra).lookup("Qzxv base")
    assert [(p.place_id, p.admin1) for p in found] == [("my:camp", "Kunar")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- not a mapping\n", "mapping"),
        ("places:\n  - {id: x, name: X, feature: planet, country: AF, lat: 1, lon: 2}\n", "planet"),
        ("places:\n  - {id: x, name: X, feature: city, country: AF, lat: 1, lon: 2, note: hi}\n", r"places\[0\]\.note"),
        ("places:\n  - {id: x, name: X, feature: city, country: AF, lat: north, lon: 2}\n", r"places\[0\]\.lat"),
        ("regions:\n  - {id: x, lat: 1, lon: 2}\n", r"regions\[0\]\.name: missing"),
        ("countries:\n  XX: {lat: 1, lon: 2}\n", "XX"),
    ],
)
def test_bad_extra_file_raises_naming_the_key(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        places.load_gazetteer(extra)


def test_missing_extra_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        places.load_gazetteer(tmp_path / "absent.yaml")


def test_no_admin_unit_without_a_code_point(gazetteer: places.Gazetteer) -> None:
    units = [gazetteer.row(n) for n in range(len(gazetteer.lines)) if gazetteer.row(n)[2] in ("admin1", "admin2")]
    assert units and all(row[4] or row[5] for row in units if not row[0].startswith("kb:"))


def test_starts_name_knows_longer_names(gazetteer: places.Gazetteer) -> None:
    assert gazetteer.starts_name("new")  # "new york", "new delhi" ...
    assert not gazetteer.starts_name("zqxwvt")
    assert not gazetteer.starts_name("new zqxwvt")


def test_dc_abbreviation(gazetteer: places.Gazetteer) -> None:
    found = gazetteer.lookup("D.C.")
    assert found and (found[0].name, found[0].country) == ("District of Columbia", "US")


def test_arabic_town_without_its_article(gazetteer: places.Gazetteer) -> None:
    found = [p for p in gazetteer.lookup("Raqqa") if p.feature == "city"]
    assert found and found[0].country == "SY"
    assert any(p.country == "SY" and p.feature == "city" for p in gazetteer.lookup("Qamishli"))


def test_a_town_less_district_sits_at_its_own_centroid_not_its_provinces(gazetteer: places.Gazetteer) -> None:
    [district] = [p for p in gazetteer.lookup("Deh Rawud", "AF") if p.feature == "admin2"]
    [province] = [p for p in gazetteer.lookup("Uruzgan", "AF") if p.feature == "admin1"]
    assert places.km_between(district.lat, district.lon, province.lat, province.lon) > 20


def test_capital_of_a_country(gazetteer: places.Gazetteer) -> None:
    kabul, dushanbe = gazetteer.capital("AF"), gazetteer.capital("tj")
    assert kabul is not None and (kabul.name, kabul.feature) == ("Kabul", "city")
    assert dushanbe is not None and dushanbe.name == "Dushanbe"
    assert gazetteer.capital("XX") is None
    assert kabul.place_id in gazetteer.capitals and dushanbe.place_id in gazetteer.capitals


def test_a_row_is_one_place_record(gazetteer: places.Gazetteer) -> None:
    [number] = gazetteer.numbers("dushanbe")[:1]
    assert gazetteer.place(number) is gazetteer.place(number)


def test_the_lexicon_reads_every_precision_feature() -> None:
    loaded = lexicon.load_lexicon()
    assert set(loaded.acled_precision) == set(loaded.ucdp_precision) == set(places.FEATURES)


@pytest.mark.parametrize(
    ("gap", "contains"),
    [(", ", True), (" in ", True), (", in the ", True), (" of ", True), (", of ", False), (" near ", False)],
)
def test_the_container_gap_is_built_from_the_grammar_words(gap: str, contains: bool) -> None:
    assert bool(lexicon.load_lexicon().grammar.container_gap.match(gap)) is contains


@pytest.mark.parametrize(
    ("gap", "word"),
    [(" and Gulbagh areas of ", "areas"), (" neighbourhood of the ", "neighbourhood"), (" outskirts of ", "outskirts")],
)
def test_the_area_gap_names_its_area_word(gap: str, word: str) -> None:
    found = lexicon.load_lexicon().grammar.area_gap.match(gap)
    assert found is not None and found.group(1) == word


@pytest.mark.parametrize(("name", "admin1"), [("Erbil", "Erbil"), ("Zakho", "Duhok"), ("Soran", "Erbil"),
                                              ("Sulaymaniyah", "Sulaymaniyah")])
def test_kurdistan_governorates_are_first_order_units(gazetteer: places.Gazetteer, name: str, admin1: str) -> None:
    # the packages file Erbil, Sulaymaniyah and Duhok as second-order rows with no first-order unit above them
    found = gazetteer.lookup(name, "IQ")
    assert found and all(p.admin1 == admin1 for p in found)
    assert gazetteer.admin1("IQ", admin1) is not None
