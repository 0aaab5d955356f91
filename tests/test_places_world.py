"""Tests of first-order units outside the focus region: English and ACLED names, containers named like towns."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from khabar.pipeline import Pipeline
from places_support import analyse, by_surface

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"


@pytest.fixture(scope="module")
def build() -> Any:
    spec = importlib.util.spec_from_file_location("build_gazetteer_world", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "aliases", "english"),
    [
        ("Donetska oblast", {"Donetsk", "Donetsk Oblast"}, "Donetsk"),  # a local unit word
        ("Ḩalab", {"Aleppo", "Aleppo Governorate"}, "Aleppo"),  # a scholarly transliteration
        ("Veracruz de Ignacio de la Llave", {"Veracruz", "Estado de Veracruz"}, "Veracruz"),
        ("Nairobi City", {"Nairobi County"}, "Nairobi"),
        ("Atacora", {"Atakora", "Atakora Department"}, ""),  # already an English name: kept
        ("Tamil Nādu", {"Tamil Nadu State"}, ""),  # macrons alone are no scholarly spelling
    ],
)
def test_english_name(build: Any, name: str, aliases: set[str], english: str) -> None:
    assert build.english_name(name, aliases) == english


def test_english_names_shared_by_two_units_are_not_used(build: Any) -> None:
    city = build.Row("a", "Zorya", "admin1", "ZZ", "ZZ.1", "", 0.0, 0.0, 0, {"Zorya City"})
    region = build.Row("b", "Zoryanska oblast", "admin1", "ZZ", "ZZ.2", "", 0.0, 0.0, 0, {"Zorya", "Zorya Oblast"})
    build.english_unit_names([(city, "Zorya"), (region, "Zoryanska oblast")])
    assert (city.name, region.name) == ("Zorya", "Zoryanska oblast")


def test_units_display_as_acled_spells_them(pipeline: Pipeline) -> None:
    gazetteer = pipeline.gazetteer
    assert gazetteer.admin1("UA", "Donetska oblast").name == "Donetsk"  # type: ignore[union-attr]
    assert gazetteer.admin1("SY", "Idlib").name == "Idleb"  # type: ignore[union-attr]
    assert gazetteer.admin1("YE", "Taiz").name == "Taizz"  # type: ignore[union-attr]
    assert gazetteer.admin1("TR", "Diyarbakir").name == "Diyarbakir"  # type: ignore[union-attr]


def test_container_named_like_a_town_is_the_unit(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Farmers blocked a road in Coatzacoalcos, Veracruz, on Monday."))
    assert found["Coatzacoalcos"].place.admin1 == "Veracruz"  # type: ignore[union-attr]
    assert found["Veracruz"].place.feature == "admin1"  # type: ignore[union-attr]


def test_bare_town_named_like_its_unit_stays_the_town(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Dock workers marched through Veracruz on Monday."))
    assert found["Veracruz"].place.feature == "city"  # type: ignore[union-attr]


def test_bare_name_is_the_large_city_not_a_small_foreign_unit(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Two men were wounded outside a bar in Toledo early on Sunday."))
    place = found["Toledo"].place
    assert place is not None and (place.country, place.admin1, place.feature) == ("US", "Ohio", "city")


@pytest.mark.parametrize(
    ("text", "name", "country", "feature"),
    [
        ("Two men were wounded outside a bar in Toledo, Spain, on Sunday.", "Toledo", "ES", "city"),
        ("Farmers blocked a road in Carvajal, Trujillo state, on Monday.", "Trujillo state", "VE", "admin1"),
        ("Bus drivers marched in Santa Ana (Santa Ana) on Monday.", "Santa Ana", "SV", "city"),
    ],
)
def test_a_unit_named_as_one_or_backed_by_its_country_keeps_its_reading(
    pipeline: Pipeline, text: str, name: str, country: str, feature: str
) -> None:
    place = by_surface(analyse(pipeline, text))[name].place
    assert place is not None and (place.country, place.feature) == (country, feature)


def test_place_after_in_inside_an_organisation(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "On Monday, shells fell on Saraqab in Idleb, witnesses said."))
    assert "Idleb" in found and found["Idleb"].place.country == "SY"  # type: ignore[union-attr]
