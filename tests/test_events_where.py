"""Tests of events.where: the place of an event trigger, the finer fallback and a country's capital."""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from khabar.events.where import (
    EventPlaces,
    SiteCues,
    capital_mention,
    event_places,
    finer_fallback,
    load_site_cues,
    place_for,
)
from khabar.pipeline import Pipeline
from khabar.records import Analysis, PlaceMention
from places_support import analyse, by_surface

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="module")
def cues() -> SiteCues:
    return load_site_cues()


def place_at(analysis: Analysis, start: int, end: int, cues: SiteCues) -> PlaceMention | None:
    """The place of an event trigger at [start, end), the document's sites sorted for this call."""
    return place_for(analysis, start, end, event_places(analysis, cues))


def test_place_for_prefers_the_trigger_clause(pipeline: Pipeline, cues: SiteCues) -> None:
    text = (
        "Officials in Kabul said insurgents attacked a police post in Sangin district, Helmand. "
        "Later, the governor visited the wounded."
    )
    analysis = analyse(pipeline, text)
    attacked = text.index("attacked")
    mention = place_at(analysis, attacked, attacked + len("attacked"), cues)
    assert mention is not None and mention.place is not None and mention.place.name == "Sangin"
    visited = text.index("visited")
    fallback = place_at(analysis, visited, visited + len("visited"), cues)
    assert fallback is not None and fallback.precision >= 2 and fallback.confidence < 0.9


def test_a_speaking_place_is_not_the_site(pipeline: Pipeline, cues: SiteCues) -> None:
    text = "Officials in Kabul said the Pentagon announced the talks on Monday."
    analysis = analyse(pipeline, text)
    assert {m.surface for m in analysis.places if m.place is not None} == {"Kabul", "Pentagon"}
    talks = text.index("talks")
    site = place_at(analysis, talks, talks + len("talks"), cues)
    assert site is not None and site.surface == "Kabul"


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Officials in Kabul said the Pentagon announced the talks on Monday.", {"Kabul"}),
        ("US forces struck a compound in Helmand on Monday.", {"Helmand"}),
    ],
)
def test_event_places_leave_out_speakers_and_modifiers(
    pipeline: Pipeline, cues: SiteCues, text: str, sites: set[str]
) -> None:
    found = event_places(analyse(pipeline, text), cues)
    assert {m.surface for m in found.sites} == sites


def test_a_province_s_namesake_city_after_a_place_is_its_container(pipeline: Pipeline, cues: SiteCues) -> None:
    # "Yangon" after the township only says which province it lies in; an act told after it stays there
    text = "A parcel bomb went off near a tea shop in Thingangyun township, Yangon, and a passer-by was hurt."
    analysis = analyse(pipeline, text)
    assert {m.surface for m in analysis.places if m.place is not None} == {"Thingangyun township", "Yangon"}
    assert {m.surface for m in event_places(analysis, cues).sites} == {"Thingangyun township"}
    hurt = text.index("hurt")
    site = place_at(analysis, hurt, hurt + len("hurt"), cues)
    assert site is not None and site.surface == "Thingangyun township"


@pytest.mark.parametrize(
    "text",
    [
        "Carla Jensen, 29, of Columbia, was shot and killed outside a store in Springfield on Friday.",
        "Sergeant Jonas Mabry of Austin, Texas, was wounded when gunmen attacked a patrol in Springfield.",
    ],
)
def test_a_persons_home_town_is_not_the_site(pipeline: Pipeline, cues: SiteCues, text: str) -> None:
    analysis = analyse(pipeline, text)
    sites = {m.surface for m in event_places(analysis, cues).sites}
    assert "Springfield" in sites and not sites & {"Columbia", "Austin", "Texas"}
    fallback = finer_fallback(analysis)
    assert fallback is not None and fallback.surface == "Springfield"


def test_a_person_of_a_district_is_placed_there(pipeline: Pipeline, cues: SiteCues) -> None:
    text = "Gunmen killed Haji Karim of Sangin district on Monday, officials said."
    sites = {m.surface for m in event_places(analyse(pipeline, text), cues).sites}
    assert any("Sangin" in s for s in sites)


@pytest.mark.parametrize(
    "text",
    [
        "Pentagon officials said a drone strike hit a compound in Nangarhar on Friday.",
        "A drone strike hit a compound in Nangarhar, as described by the Pentagon on Friday.",
    ],
)
def test_a_seat_of_power_naming_its_government_is_not_the_site(pipeline: Pipeline, cues: SiteCues, text: str) -> None:
    sites = {m.surface for m in event_places(analyse(pipeline, text), cues).sites}
    assert "Nangarhar" in sites and not any("Pentagon" in s for s in sites)


def test_place_for_without_places_is_none(pipeline: Pipeline, cues: SiteCues) -> None:
    analysis = analyse(pipeline, "Nobody said anything about it.")
    assert place_at(analysis, 0, 6, cues) is None


def _answers(analysis: Analysis, sites: EventPlaces) -> list[PlaceMention | None]:
    """The place of every token of a document, read as an event trigger."""
    return [place_for(analysis, t.start, t.end, sites) for t in analysis.tokens]


TEXTS = (
    "Officials in Kabul said insurgents attacked a police post in Sangin district, Helmand.",
    "KABUL, Afghanistan (May 2) - Forces detained two men in Nawa district, Helmand province.",
    "Police in Peshawar said a bomb exploded near a mosque. Later, the governor visited Quetta.",
)


def test_place_for_reads_each_document_alone_in_any_order_and_thread(
    pipeline: Pipeline, cues: SiteCues
) -> None:
    analyses = [analyse(pipeline, text) for text in TEXTS]
    sites = [event_places(a, cues) for a in analyses]
    expected = [_answers(a, s) for a, s in zip(analyses, sites, strict=True)]
    assert all(any(m is not None for m in answers) for answers in expected)
    assert [_answers(a, s) for a, s in reversed(list(zip(analyses, sites, strict=True)))] == expected[::-1]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(_answers, analyses * 4, sites * 4)) == expected * 4


def test_finer_fallback_names_the_main_province(pipeline: Pipeline) -> None:
    text = (
        "KABUL, Afghanistan (May 2) - Forces detained two men in southern Afghanistan.\n"
        "The operation took place in Nawa district, Helmand province."
    )
    mention = finer_fallback(analyse(pipeline, text), "AF")
    assert mention is not None and mention.place is not None and mention.place.admin1 == "Helmand"
    assert mention.precision == 3
    assert finer_fallback(analyse(pipeline, "Nothing happened here.")) is None


def test_capital_mention_reads_a_place_in_the_capital_as_the_capital(pipeline: Pipeline) -> None:
    gazetteer = pipeline.gazetteer
    analysis = analyse(pipeline, "Crowds gathered outside the gates of Kabul airport on Thursday.")
    mention = capital_mention(analysis, "AF", gazetteer)
    assert mention is not None and mention.surface == "Kabul airport" and mention.place == gazetteer.capital("AF")
    assert capital_mention(analysis, "PK", gazetteer) is None
    closed = analyse(pipeline, "Pakistan closed the crossing on Monday.")
    country = by_surface(closed)["Pakistan"]
    assert country.place is not None and capital_mention(closed, "PK", gazetteer) == country


@pytest.mark.skipif(not (SHARED / "acled" / "dev.csv").is_file(), reason="shared dev data not present")
def test_golden_acled_admin1(pipeline: Pipeline, cues: SiteCues) -> None:
    gazetteer = pipeline.gazetteer
    with (SHARED / "acled" / "dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[::9]
    right = 0
    for row in rows:
        analysis = analyse(pipeline, row["notes"])
        root = next((t for t in analysis.tokens if t.sentence == 0 and t.dep == "ROOT"), None)
        mention = place_at(analysis, root.start, root.end, cues) if root else None
        expected = gazetteer.admin1("AF", row["admin1"])
        right += bool(mention and mention.place and expected and mention.place.admin1 == expected.name)
    assert right / len(rows) >= 0.85
