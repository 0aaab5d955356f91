"""Tests of places.fallback: resolve_span, demonyms, names the gazetteer lacks and the main place."""

from __future__ import annotations

import pytest

from khabar import places
from khabar.pipeline import Pipeline
from places_support import span_of


@pytest.fixture(scope="module")
def gazetteer(pipeline: Pipeline) -> places.Gazetteer:
    return pipeline.gazetteer


def test_resolve_span_uses_context(gazetteer: places.Gazetteer) -> None:
    text = "The convoy left Kabul for Herat."
    kabul = places.resolve_span(text, 16, 21, gazetteer)
    assert kabul is not None and kabul.country == "AF"
    afghan = [p for p in (kabul,) if p is not None]
    street = "They met on Qzxv Street."
    assert places.resolve_span(street, 11, 22, gazetteer, afghan) == kabul
    assert places.resolve_span(street, 11, 22, gazetteer) is None


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("A Norwegian ship docked at dawn.", "Norwegian", "NO"),
        ("Two Georgian diplomats flew home.", "Georgian", "GE"),
        ("Hundreds of Afghans crossed the river.", "Afghans", "AF"),
    ],
)
def test_resolve_span_reads_demonyms(gazetteer: places.Gazetteer, text: str, name: str, country: str) -> None:
    place = places.resolve_span(text, *span_of(text, name), gazetteer)
    assert place is not None and place.feature == "country" and place.country == country


def test_demonym_of_a_division(gazetteer: places.Gazetteer) -> None:
    text = "A Scottish court heard the case."
    place = places.resolve_span(text, *span_of(text, "Scottish"), gazetteer)
    assert place is not None and (place.feature, place.country, place.name) == ("admin1", "GB", "Scotland")


@pytest.mark.parametrize(
    ("text", "name", "town"),
    [
        ("Doctors at Jalalabad Regional Hospital treated them.", "Jalalabad Regional Hospital", "Jalalabad"),
        ("She studied at the University of Balkh before the war.", "University of Balkh", "Balkh"),
        ("The envoy spoke at the Russian Embassy on Friday.", "Russian Embassy", "Russia"),
        # the place named right after a name the gazetteer lacks contains it
        ("Patients were moved to the Marigold Children's Hospital in Lyon.", "Marigold Children's Hospital", "Lyon"),
        ("He teaches at Hartwell University, Glasgow, and writes novels.", "Hartwell University", "Glasgow"),
        ("Inmates went to Greystone Penitentiary (GSP) at Quezon City.", "Greystone Penitentiary", "Quezon City"),
        ("A bakery opened on Larkspur Lane near the Kandahar airport.", "Larkspur Lane", "Kandahar"),
        ("Shells hit the Zorvadek Ridge camp, near Kunduz, overnight.", "Zorvadek Ridge camp", "Kunduz"),
        ("Talks were held at the Kabul Peace Hall in Herat last week.", "Kabul Peace Hall", "Herat"),
        ("Fans gathered at Halvorsen Arena in St. Louis on Sunday.", "Halvorsen Arena", "St. Louis"),
    ],
)
def test_resolve_span_falls_back_to_the_place_inside_or_after(
    gazetteer: places.Gazetteer, text: str, name: str, town: str
) -> None:
    place = places.resolve_span(text, *span_of(text, name), gazetteer)
    assert place is not None and place.name == town


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The gala at Zorvadek Hall. Lyon hosted the final the next day.", "Zorvadek Hall"),
        ("The gala at Zorvadek Hall on Monday drew a crowd.", "Zorvadek Hall"),
        ("The gala at Zorvadek Hall\nLyon hosted the final.", "Zorvadek Hall"),
    ],
)
def test_no_container_across_a_sentence_or_from_a_common_word(
    gazetteer: places.Gazetteer, text: str, name: str
) -> None:
    assert places.resolve_span(text, *span_of(text, name), gazetteer) is None


def test_a_minor_town_inside_a_name_must_lie_near_the_story(gazetteer: places.Gazetteer) -> None:
    text = "Fans met at the Salt Motor Circuit."
    madrid, girona = gazetteer.lookup("Madrid", "ES")[0], gazetteer.lookup("Girona", "ES")[0]
    far = places.resolve_span(text, *span_of(text, "Salt Motor Circuit"), gazetteer, [madrid])
    near = places.resolve_span(text, *span_of(text, "Salt Motor Circuit"), gazetteer, [girona])
    assert far == madrid  # the town of Salt is far from a Madrid story: the story's town stands in
    assert near is not None and near != girona
    assert places.km_between(near.lat, near.lon, girona.lat, girona.lon) < 20


@pytest.mark.parametrize(
    ("text", "name"),
    [("They met on Kabul Road at noon.", "Kabul Road"), ("A fire broke out at the Royal Hall.", "Royal Hall")],
)
def test_streets_and_generic_words_are_not_places(gazetteer: places.Gazetteer, text: str, name: str) -> None:
    assert places.resolve_span(text, *span_of(text, name), gazetteer) is None


def test_main_place_discounts_weak_readings(gazetteer: places.Gazetteer) -> None:
    kabul = gazetteer.lookup("Kabul", "AF")[0]
    small = next(p for p in gazetteer.lookup("Officer") if p.feature == "city")
    assert places.main_place([small, small, kabul, kabul], gazetteer.lexicon) == kabul
    assert places.main_place([small, small, kabul]) == small  # without a lexicon, mentions are only counted
    assert places.main_place([]) is None


def test_resolve_span_falls_back_to_the_local_town(gazetteer: places.Gazetteer) -> None:
    herat = gazetteer.lookup("Herat", "AF")
    town = next(p for p in herat if p.feature == "city")
    country = gazetteer.country("AF")
    assert country is not None
    text = "Shops on Qzxv Bazaar stayed shut."
    found = places.resolve_span(text, 9, 20, gazetteer, (country, town, country))
    assert found == town


def test_resolve_span_keeps_the_document_reading(gazetteer: places.Gazetteer) -> None:
    maine = next(p for p in gazetteer.lookup("Portland", "US") if p.admin1 == "Maine" and p.feature == "city")
    state = gazetteer.admin1("US", "Maine")
    assert state is not None
    text = "Police in Portland said the march was calm."
    assert places.resolve_span(text, 10, 18, gazetteer, (maine, state)) == maine
    # a reading no other place of the document backs is no evidence
    assert places.resolve_span(text, 10, 18, gazetteer, (maine,)) != maine
