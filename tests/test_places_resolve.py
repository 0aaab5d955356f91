"""Tests of places.resolve: the stage function, containers, one reading per name, precision codes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from khabar import nlp, places
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document, Entity
from places_support import analyse, by_surface


@pytest.mark.parametrize(
    ("feature", "relation", "acled", "ucdp"),
    [
        ("city", "", 1, 1),
        ("city", "north of", 2, 2),
        ("city", "dateline", 1, 1),
        ("admin2", "", 2, 3),
        ("admin1", "", 3, 4),
        ("country", "", 3, 6),
        ("country", "border", 3, 5),
        ("region", "near", 3, 5),
    ],
)
def test_precision_of(pipeline: Pipeline, feature: str, relation: str, acled: int, ucdp: int) -> None:
    place = places.Place("x", "X", 0.0, 0.0, "AF", feature=feature)
    assert places.precision_of(place, pipeline.gazetteer.lexicon, relation) == (acled, ucdp)


@pytest.mark.parametrize(
    ("text", "surface", "name", "admin1", "feature"),
    [
        (
            "Fighters stormed a checkpoint in Sangin district, Helmand on Tuesday.",
            "Sangin district",
            "Sangin",
            "Helmand",
            "admin2",
        ),
        ("Clashes were reported in Panjshir and in Andarab overnight.", "Panjshir", "Panjshir", "Panjshir", "admin1"),
        ("Clashes were reported in Panjshir and in Andarab overnight.", "Andarab", "Andarab", "Baghlan", "admin2"),
        (
            "A bomb went off near a shrine in Mazar-i-Sharif on Friday.",
            "Mazar-i-Sharif",
            "Mazar-e Sharif",
            "Balkh",
            "city",
        ),
        ("Security was tightened in Balkh province after the attack.", "Balkh province", "Balkh", "Balkh", "admin1"),
        ("Officials in Dushanbe and Tashkent discussed the border.", "Dushanbe", "Dushanbe", "Dushanbe", "city"),
        (
            "Crowds gathered outside the gates of Kabul airport on Thursday.",
            "Kabul airport",
            "Hamid Karzai International Airport",
            "Kabul",
            "landmark",
        ),
    ],
)
def test_resolves_mentions(
    pipeline: Pipeline, text: str, surface: str, name: str, admin1: str, feature: str
) -> None:
    mention = by_surface(analyse(pipeline, text))[surface]
    assert mention.place is not None
    assert (mention.place.name, mention.place.admin1, mention.place.feature) == (name, admin1, feature)


def test_container_picks_the_district_inside_the_province(pipeline: Pipeline) -> None:
    text = "Two guards were wounded in Andar district, Ghazni, late on Sunday."
    found = by_surface(analyse(pipeline, text))
    district, province = found["Andar district"].place, found["Ghazni"].place
    assert district is not None and (district.feature, district.admin1) == ("admin2", "Ghazni")
    assert province is not None and province.feature == "admin1"


def test_relative_location_is_coarser(pipeline: Pipeline) -> None:
    mention = by_surface(analyse(pipeline, "Troops raided a hideout north of Kabul on Friday."))["Kabul"]
    assert mention.relation == "north of"
    assert (mention.precision, mention.ucdp_precision) == (2, 2)


def test_unresolvable_name_is_kept(pipeline: Pipeline) -> None:
    text = "Gunmen came from Zqxwvt Qala at dawn."
    start = text.index("Zqxwvt")
    entity = Entity(start, start + len("Zqxwvt Qala"), 3, 5, "GPE", "Zqxwvt Qala", 0)
    analysis = Analysis(Document("t", text), entities=(entity,))
    found = places.resolve_places(analysis, pipeline.gazetteer).places
    assert [(m.surface, m.place, m.ucdp_precision) for m in found] == [("Zqxwvt Qala", None, 7)]


def test_names_before_areas_of_lie_inside_the_district(pipeline: Pipeline) -> None:
    text = "Troops swept the Tepa and Gulbagh areas of Chahar Bolak district, Balkh, last week."
    found = by_surface(analyse(pipeline, text))
    inner = [m for s, m in found.items() if "Tepa" in s]
    assert all(m.place is None or m.place.country == "AF" for m in inner)
    assert found["Chahar Bolak district"].place is not None


def test_a_namesake_next_to_its_state_survives(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "A fair opened in Toronto, Ohio, on Friday."))
    assert found["Toronto"].place is not None and found["Toronto"].place.country == "US"


def test_a_name_keeps_the_reading_its_container_gave(pipeline: Pipeline) -> None:
    text = "Students marched in Portland, Maine on Saturday. Police in Portland said the march was calm."
    mentions = [m for m in analyse(pipeline, text).places if m.surface == "Portland"]
    assert len(mentions) == 2
    assert all(m.place is not None and m.place.admin1 == "Maine" for m in mentions)


def test_a_list_is_no_container(pipeline: Pipeline) -> None:
    text = "Trade ministers from Mexico, the US, and Canada met on Friday."
    mexico = by_surface(analyse(pipeline, text))["Mexico"].place
    assert mexico is not None and mexico.feature == "country" and mexico.country == "MX"


def test_name_with_its_own_feature_word_outside_its_container(pipeline: Pipeline) -> None:
    text = "Insurgents fired rockets at Bagram Airfield in Bagram district, Parwan on Sunday."
    airfield = by_surface(analyse(pipeline, text))["Bagram Airfield"].place
    assert airfield is not None and (airfield.feature, airfield.admin1) == ("landmark", "Parwan")


def test_a_district_written_with_the_wrong_province_keeps_its_own_identity(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Five militants were killed in Shinkay district, Faryab."))
    district = found["Shinkay district"].place
    assert district is not None and (district.feature, district.admin1) == ("admin2", "Zabul")
    older = by_surface(analyse(pipeline, "Troops detained two men in Jaghatu district, Ghazni province."))
    jaghatu = older["Jaghatu district"].place  # Ghazni's Jaghatu (now Bahrami Shahid), not Wardak's
    assert jaghatu is not None and jaghatu.admin1 == "Ghazni"


def test_unknown_facility_lies_in_the_place_it_names(pipeline: Pipeline) -> None:
    text = "Doctors at the Kandahar Qzxv Hospital treated the wounded."
    start = text.index("Kandahar")
    name = "Kandahar Qzxv Hospital"
    entity = Entity(start, start + len(name), 4, 7, "FAC", name, 0)
    found = places.resolve_places(Analysis(Document("t", text), entities=(entity,)), pipeline.gazetteer).places
    assert [m.surface for m in found] == [name]
    assert found[0].place is not None and (found[0].place.name, found[0].place.country) == ("Kandahar", "AF")


def test_pipeline_reads_the_container_of_an_unknown_facility(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "A bomb exploded near the Marigold Children's Hospital in Lyon."))
    hospital = found["Marigold Children's Hospital"].place
    assert hospital is not None and hospital.name == "Lyon"


def test_threads_sharing_a_fresh_gazetteer_read_as_one_thread_does(pipeline: Pipeline) -> None:
    texts = [
        "Gunmen stormed a checkpoint in Dehrawood (Dehrawud) district, Uruzgan province, on Monday.",
        "The delegation flew from Mazar-i-Sharif to New York City on Monday.",
        "Troops swept the Tepa and Gulbagh areas of Chahar Bolak district, Balkh, last week.",
        "Officials at Kabul airport said the Pentagon announced talks in Dushanbe.",
    ] * 3
    parsed = [nlp.parse(Analysis(Document(f"t{n}", text)), pipeline.model) for n, text in enumerate(texts)]
    gazetteer = places.load_gazetteer()  # its lookup tables are built by the first threads that need them
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(places.resolve_places, parsed, [gazetteer] * len(parsed)))
    assert [a.places for a in threaded] == [places.resolve_places(a, gazetteer).places for a in parsed]
    assert [a.places for a in threaded] == [places.resolve_places(a, pipeline.gazetteer).places for a in parsed]
