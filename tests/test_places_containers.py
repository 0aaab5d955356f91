"""Tests of containers that decide a reading worldwide: brackets, unit words, roads and the actors' countries."""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar import places
from khabar.pipeline import Pipeline
from khabar.places.rank import candidates_of
from khabar.places.recognise import _entity_spans
from khabar.records import ActorMention, Analysis, Document, Entity, Evidence
from places_support import analyse, by_surface, parse


def test_an_entity_running_over_its_container_is_split() -> None:
    text = "A farmer was wounded in Savalou, Collines overnight."
    start = text.index("Savalou")
    entity = Entity(start, start + len("Savalou, Collines"), 5, 8, "GPE", "Savalou, Collines", 0)
    spans = _entity_spans(Analysis(Document("t", text), entities=(entity,)))
    assert [text[s.start : s.end] for s in spans] == ["Savalou", "Collines"]


@pytest.mark.parametrize(("text", "name", "container", "country"), [
    # a bracketed container decides against a namesake abroad
    ("Herders and farmers fought with machetes near Monsey (Karimama, Alibori) on Tuesday.",
     "Monsey", "Alibori", "BJ"),
    # a bracketed compass word qualifies the name and names no place (it read as Nord, France)
    ("A parcel bomb wounded a shopkeeper in Okkalapa (North) township (Yangon-East district, Yangon Region) "
     "late on Monday.", "Okkalapa (North) township", "Yangon Region", "MM"),
])
def test_a_bracketed_container_decides_against_a_namesake_abroad(
    pipeline: Pipeline, text: str, name: str, container: str, country: str
) -> None:
    found = by_surface(analyse(pipeline, text))
    place = found[name].place
    assert place is None or place.country == country
    assert found[container].place is not None and found[container].place.country == country


@pytest.mark.parametrize(("text", "containers"), [
    # a unit word between the name and its brackets ("upazila") leaves the containers readable, even when NER
    # reads "Narayanganj, Dhaka" as an organisation
    ("On 12 May 2023, supporters of Awami League ransacked the office of a rival leader in Rupganj upazila "
     "(Narayanganj, Dhaka), over a land dispute.", {"Narayanganj": "BD", "Dhaka": "BD"}),
    ("On 9 April 2023, a gang of youths looted shops in Sonargaon upazila (Narayanganj, Dhaka).",
     {"Narayanganj": "BD", "Dhaka": "BD"}),
])
def test_bracketed_containers_after_a_unit_word_are_read(
    pipeline: Pipeline, text: str, containers: dict[str, str]
) -> None:
    found = by_surface(analyse(pipeline, text))
    for surface, country in containers.items():
        place = found[surface].place
        assert place is not None and place.country == country


@pytest.mark.parametrize("text", [
    # "municipality" says what Durgapur is, so the bracket after it names its containers (not West Bengal's city)
    "On 6 March 2024, shopkeepers closed the market of Durgapur municipality (Netrakona, Mymensingh) in protest.",
    "On 2 July 2022, a shell struck a granary in Sarny raion (Rivne oblast), Ukraine.",
])
def test_unit_words_of_other_countries_keep_a_name_in_its_brackets_country(pipeline: Pipeline, text: str) -> None:
    countries = {m.place.country for m in analyse(pipeline, text).places if m.place is not None}
    assert len(countries) == 1


def test_a_container_takes_the_namesake_unit_that_holds_the_name_before_it(pipeline: Pipeline) -> None:
    text = "Teachers held a sit-in at Cotonou (Littoral) on Monday."
    found = by_surface(resolve(pipeline, text, ["Cotonou", "Littoral"]))
    city, unit = found["Cotonou"].place, found["Littoral"].place
    assert city is not None and city.country == "BJ"
    assert unit is not None and (unit.feature, unit.country) == ("admin1", "BJ")


def test_a_small_town_abroad_gives_way_to_the_county_the_text_names(pipeline: Pipeline) -> None:
    text = "Fire gutted a house in Nyunzu market a few kilometres from Wote in Makueni county."
    found = by_surface(analyse(pipeline, text))
    county, town = found["Makueni county"].place, found["Nyunzu"].place
    assert county is not None and (county.feature, county.country) == ("admin1", "KE")
    assert town is None or town.country == "KE"


def test_the_towns_a_road_is_named_after_give_way_to_the_place_on_it(pipeline: Pipeline) -> None:
    text = "Militia fighters mined the Kale-Gangaw highway near Pakokku in Magway on Friday."
    found = by_surface(resolve(pipeline, text, ["Kale", "Gangaw", "Pakokku", "Magway"]))
    assert found["Kale"].place is None and found["Gangaw"].place is None
    assert found["Pakokku"].place is not None and found["Pakokku"].place.admin1 == "Magway"


def test_a_province_with_a_compass_word_reads_as_the_province(pipeline: Pipeline) -> None:
    found = candidates_of("Shan-North state", pipeline.gazetteer)
    assert [(p.name, p.feature) for p in found] == [("Shan", "admin1")]


def test_a_town_container_keeps_a_village_in_its_province(pipeline: Pipeline) -> None:
    text = ("Supporters of two local leaders fought with sticks in Durgapur village, Ashuganj upazila (Brahmanbaria, "
            "Chittagong) on Sunday.")
    village = by_surface(analyse(pipeline, text))["Durgapur village"].place
    assert village is None or village.country == "BD"


def test_the_actors_country_outranks_a_larger_namesake_abroad(pipeline: Pipeline) -> None:
    text = "Kenyan police said a trader was shot dead in Sindo on Sunday."
    parsed = parse(pipeline, text)
    start = text.index("Kenyan police")
    evidence = Evidence("t", 0, start, start + len("Kenyan police"), "Kenyan police")
    police = ActorMention(evidence, "police:KEN", "Police of Kenya", "state_forces")
    found = by_surface(places.resolve_places(replace(parsed, actors=(police,)), pipeline.gazetteer))
    sindo = found["Sindo"].place
    assert sindo is not None and sindo.country == "KE"


def resolve(pipeline: Pipeline, text: str, names: list[str]) -> Analysis:
    """A text's places resolved from given place entities (no parse), one per name."""
    entities = []
    for name in names:
        start = text.index(name)
        entities.append(Entity(start, start + len(name), 0, 0, "GPE", name, 0))
    return places.resolve_places(Analysis(Document("t", text), entities=tuple(entities)), pipeline.gazetteer)


def test_a_place_inside_a_named_group_gives_way_to_another_place(pipeline: Pipeline) -> None:
    text = "Fighters of IS Sahel seized two rangers near Banikoara in Alibori."
    analysis = resolve(pipeline, text, ["Sahel", "Banikoara", "Alibori"])
    start = text.index("IS Sahel")
    group = ActorMention(Evidence("t", 0, start, start + 8, "IS Sahel"), "is-sahel", "IS Sahel", "armed_group")
    found = by_surface(places.resolve_places(replace(analysis, places=(), actors=(group,)), pipeline.gazetteer))
    assert found["Sahel"].place is None
    assert found["Alibori"].place is not None and found["Alibori"].place.country == "BJ"


def test_a_town_and_its_bracketed_units_are_places_whatever_ner_reads(pipeline: Pipeline) -> None:
    text = "Smugglers burned tyres on the road between Igolo (Ifangni, Plateau) and the border at dawn."
    found = by_surface(analyse(pipeline, text))
    assert {"Igolo", "Ifangni", "Plateau"} <= set(found)
    plateau = found["Plateau"].place
    assert plateau is not None and (plateau.feature, plateau.country) == ("admin1", "BJ")


def test_a_section_of_a_city_lies_in_the_city(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "A teenager was shot on Monday night in the Allerton section of the Bronx, "
                                         "police said."))
    inner = found["Allerton"].place
    assert inner is None or inner.country == "US"  # not the English town of the name
    assert found["Bronx"].place is not None and found["Bronx"].place.country == "US"
