"""Tests of places.rank: which reading of a phrase wins in its context."""

from __future__ import annotations

from collections import Counter

import pytest

from khabar import places
from khabar.pipeline import Pipeline
from khabar.places import rank
from khabar.places.recognise import Span
from khabar.records import Document
from places_support import analyse, by_surface, span_of


@pytest.fixture(scope="module")
def gazetteer(pipeline: Pipeline) -> places.Gazetteer:
    return pipeline.gazetteer


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Borgi of Qarabagh (Old Name) district", "Qarabagh"),
        ("Nawa district centre", "Nawa"),
        ("Gulf of Aden", "Gulf of Aden"),
        ("Sangin (Sangeen) district", "Sangin"),
    ],
)
def test_core_name(gazetteer: places.Gazetteer, name: str, core: str) -> None:
    assert rank.core_name(name, gazetteer.lexicon.grammar) == core


def test_saint_abbreviation_is_the_same_name(gazetteer: places.Gazetteer) -> None:
    assert rank.same_name("Saint Petersburg", "st petersburg", gazetteer.lexicon)
    assert not rank.same_name("Saint Petersburg", "petersburg", gazetteer.lexicon)
    text = "Talks in St. Petersburg ended as Russia and Finland signed a deal."
    start = text.index("St. Petersburg")
    context = [gazetteer.country("RU"), gazetteer.country("FI")]
    place = places.resolve_span(text, start, start + len("St. Petersburg"), gazetteer, context_places=context)
    assert place is not None and place.country == "RU"


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Storms hit Fresno, Calif., on Monday.", "Calif.", "California"),
        ("The mill in Wausau, Wis., closed.", "Wis.", "Wisconsin"),
        ("Fires spread near Kelowna, B.C., overnight.", "B.C.", "British Columbia"),
    ],
)
def test_state_abbreviations(gazetteer: places.Gazetteer, text: str, name: str, admin1: str) -> None:
    place = places.resolve_span(text, *span_of(text, name), gazetteer)
    assert place is not None and (place.feature, place.name) == ("admin1", admin1)


@pytest.mark.parametrize("county", ["Berkshire", "Cheshire", "Northamptonshire", "Yorkshire", "Greater Manchester"])
def test_english_counties_without_a_council_are_known(gazetteer: places.Gazetteer, county: str) -> None:
    text = f"Volunteers drove patients from Reading to hospitals across {county}."
    reading = gazetteer.lookup("Reading", "GB")[0]
    place = places.resolve_span(text, *span_of(text, county), gazetteer, [reading])
    assert place is not None and (place.name, place.country, place.feature) == (county, "GB", "admin2")


def test_counties_outside_the_focus_region(gazetteer: places.Gazetteer) -> None:
    text = "Floods closed roads across Kent and in Cuyahoga County."
    kent = places.resolve_span(text, *span_of(text, "Kent"), gazetteer)
    cuyahoga = places.resolve_span(text, *span_of(text, "Cuyahoga County"), gazetteer)
    assert kent is not None and (kent.feature, kent.country) == ("admin2", "GB")
    assert cuyahoga is not None and (cuyahoga.feature, cuyahoga.country, cuyahoga.admin1) == ("admin2", "US", "Ohio")


def test_alias_only_towns_lose_to_namesakes(gazetteer: places.Gazetteer) -> None:
    text = "The parade went through Franklin on Saturday."
    place = places.resolve_span(text, *span_of(text, "Franklin"), gazetteer)
    assert place is not None and places.fold(place.name) == "franklin"


def test_a_foreign_town_is_not_reached_through_an_alternate_name(pipeline: Pipeline) -> None:
    text = "Worshippers gathered in the Bandar area after the blast in Kunduz, Afghanistan, on Friday."
    a = pipeline.analyse(Document("alias", text))
    bandar = [m for m in a.places if m.surface.startswith("Bandar")]
    assert bandar, "the name is still recognised"
    assert all(m.place is None or m.place.country == "AF" or "bandar" in m.place.name.lower() for m in bandar)


def test_a_region_beats_small_namesake_towns(gazetteer: places.Gazetteer) -> None:
    text = "Storms over the Atlantic delayed flights from Atlanta and Boston."
    start = text.index("Atlantic")
    context = gazetteer.lookup("Boston", "US")[:1]
    place = places.resolve_span(text, start, start + len("Atlantic"), gazetteer, context_places=context)
    assert place is not None and place.feature == "region"


def test_a_famous_city_beats_small_foreign_namesakes(gazetteer: places.Gazetteer) -> None:
    text = "The band played Toronto before heading south to Ohio."
    start = text.index("Toronto")
    context = [p for p in gazetteer.lookup("Ohio", "US") if p.feature == "admin1"][:1]
    place = places.resolve_span(text, start, start + len("Toronto"), gazetteer, context_places=context)
    assert place is not None and place.country == "CA"


def test_repeated_name_is_no_evidence_for_its_own_province(gazetteer: places.Gazetteer) -> None:
    small = next(p for p in gazetteer.lookup("Parkland") if p.admin1 == "Washington")
    florida = next(p for p in gazetteer.lookup("Florida", "US") if p.feature == "admin1")
    text = "Students in Parkland marched again."
    start = text.index("Parkland")
    context = [small, small, small, florida]
    place = places.resolve_span(text, start, start + len("Parkland"), gazetteer, context_places=context)
    assert place is not None and place.admin1 == "Florida"


def test_curated_landmarks(gazetteer: places.Gazetteer) -> None:
    text = "Reporters waited outside the White House for hours."
    start = text.index("White House")
    context = gazetteer.lookup("United States")[:1]
    place = places.resolve_span(text, start, start + len("White House"), gazetteer, context_places=context)
    assert place is not None and place.feature == "landmark" and place.admin1 == "District of Columbia"


def test_bracketed_alternate_name_resolves(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Police posts came under fire in Zqxo (Sangin) district, Helmand."))
    district = next(m for s, m in found.items() if s.startswith("Zqxo"))
    assert district.place is not None and district.place.name == "Sangin"


@pytest.mark.parametrize(
    ("text", "surface", "district"),
    [
        ("Gunmen attacked a police post in Tere Zayi district, Khost, on Monday.", "Tere Zayi district", "Tere Zayi"),
        ("Clashes were reported in Chaki Wardak district, Wardak.", "Chaki Wardak district", "Chaki Wardak"),
        ("Clashes were reported in Chak-e Wardak district, Wardak.", "Chak-e Wardak district", "Chaki Wardak"),
    ],
)
def test_district_spellings_of_english_reporting(pipeline: Pipeline, text: str, surface: str, district: str) -> None:
    spot = by_surface(analyse(pipeline, text))[surface].place
    assert spot is not None and spot.feature == "admin2" and spot.name == district and spot.country == "AF"


def test_a_district_shown_in_its_official_spelling_still_yields_to_its_seat_town(pipeline: Pipeline) -> None:
    districts = {p.name for p in pipeline.gazetteer.lookup("Mazar-e Sharif", "AF") if p.feature == "admin2"}
    assert districts == {"Mazari Sharif"}
    found = by_surface(analyse(pipeline, "Police in Mazar-e Sharif arrested two men on Sunday."))
    town = found["Mazar-e Sharif"].place
    assert town is not None and town.feature == "city" and town.name == "Mazar-e Sharif"


def test_a_county_holding_a_town_the_story_names_wins_over_a_larger_namesake(gazetteer: places.Gazetteer) -> None:
    readings = [p for p in rank.candidates_of("Rusk County", gazetteer) if p.feature == "admin2"]
    states = {p.admin1 for p in readings}
    assert {"Texas", "Wisconsin"} <= states  # two counties of that name, the Texan one more populous
    span = Span(0, 11, 11, "ner")
    both = Counter({"Texas": 1, "Wisconsin": 1})  # the story names a place in each state
    plain = rank.Context(Counter({"US": 2}), both, total=2)
    assert (found := rank.best(span, "Rusk County", plain, gazetteer)) is not None and found.admin1 == "Texas"
    # ... but one of its towns lies in the Wisconsin county
    backed = rank.Context(Counter({"US": 2}), both, total=2, counties=frozenset({("Wisconsin", "Rusk County")}))
    span = Span(0, 11, 11, "ner")
    assert (found := rank.best(span, "Rusk County", backed, gazetteer)) is not None and found.admin1 == "Wisconsin"

