"""Tests of places.recognise: which phrases are places, their feature words, relations and datelines."""

from __future__ import annotations

import pytest

from khabar.pipeline import Pipeline
from khabar.places import recognise
from places_support import analyse, by_surface, parse


def test_token_matcher_takes_the_longest_name(pipeline: Pipeline) -> None:
    text = "The delegation flew from Mazar-i-Sharif to New York City on Monday."
    analysis = parse(pipeline, text)
    surfaces = [text[s.start : s.end] for s in recognise.token_spans(analysis, pipeline.gazetteer)]
    assert "Mazar-i-Sharif" in surfaces and "New York City" in surfaces


def test_relation_before_reads_distances(pipeline: Pipeline) -> None:
    lexicon = pipeline.gazetteer.lexicon
    assert recognise.relation_before("the blast was 12 km from", lexicon) == "near"
    assert recognise.relation_before("a village south of the", lexicon) == "south of"
    assert recognise.relation_before("the talks in", lexicon) == ""


@pytest.mark.parametrize(
    "text",
    [
        "Said Karimi said the man was an Afghan refugee.",
        "Afghan and Pakistani officials met to talk about trade.",
        "Of all the options, the minister chose the last one.",
    ],
)
def test_no_false_places(pipeline: Pipeline, text: str) -> None:
    assert [m.surface for m in analyse(pipeline, text).places if m.place is not None] == []


def test_border_phrase(pipeline: Pipeline) -> None:
    found = analyse(pipeline, "Shots were fired near the Tajik border on Monday.")
    border = [m for m in found.places if "border" in m.surface]
    assert border and border[0].place is not None and border[0].place.country == "TJ"
    assert border[0].ucdp_precision == 5


def test_short_curated_division_abbreviation_is_recognised(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Wildfires burned near Kamloops in BC this summer."))
    assert found["BC"].place is not None and found["BC"].place.name == "British Columbia"


def test_dateline_after_a_non_breaking_space(pipeline: Pipeline) -> None:
    found = analyse(pipeline, "Release\n\u00a0KABUL, Afghanistan (Sept. 20) - Forces detained a man.")
    assert by_surface(found)["KABUL"].relation == "dateline"


@pytest.mark.parametrize("opening", ["- ", "\u2013 ", "* "])
def test_dateline_after_a_bullet_dash(pipeline: Pipeline, opening: str) -> None:
    text = f"Teen hurt\n\n{opening}FRESNO, Calif. - A teenager was wounded near a park in Clovis on Monday."
    found = by_surface(analyse(pipeline, text))
    assert found["FRESNO"].relation == "dateline"
    assert found["Clovis"].relation != "dateline"


def test_a_first_name_named_like_a_small_town_is_no_place(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Kendal Morrow was badly hurt in the crash on Tuesday in Madison."))
    assert "Kendal" not in found or found["Kendal"].place is None
    kept = by_surface(analyse(pipeline, "Kendal Council said the road in Kendal would reopen on Tuesday."))
    assert any(m.place is not None and m.place.name == "Kendal" for m in kept.values())


def test_a_title_lines_place_does_not_keep_its_line_breaks(pipeline: Pipeline) -> None:
    text = "Second attack on worshippers leaves 40 dead in Kandahar\n\nKANDAHAR -- A bomb hit a mosque on Friday."
    surfaces = [m.surface for m in analyse(pipeline, text).places]
    assert surfaces and all(s == s.strip() for s in surfaces)


def test_a_person_like_name_is_no_foreign_minor_town(pipeline: Pipeline) -> None:
    text = "Gunmen struck the shrine known as the Bibi Fatima mosque in Kandahar on Friday."
    found = by_surface(analyse(pipeline, text))
    assert "Fatima" not in found and found["Kandahar"].place is not None


def test_name_split_by_ner_before_a_feature_word(pipeline: Pipeline) -> None:
    text = "On Monday, gunmen attacked a hotel in Qala i Naw city, Badghis."
    found = [m.place for m in analyse(pipeline, text).places if m.place is not None]
    assert any(p.admin1 == "Badghis" and p.feature in ("city", "admin2") for p in found)
    assert all(p.country == "AF" for p in found)


def test_an_ner_span_joining_a_district_and_its_province_is_split(pipeline: Pipeline) -> None:
    text = "A local elder was wounded by insurgents in the Pul-e Khumri district Baghlan province."
    found = by_surface(analyse(pipeline, text))
    district, province = found["Pul-e Khumri district"].place, found["Baghlan province"].place
    assert district is not None and (district.feature, district.admin1) == ("admin2", "Baghlan")
    assert province is not None and (province.feature, province.name) == ("admin1", "Baghlan")


def test_a_longer_name_before_a_unit_word_replaces_its_tail(pipeline: Pipeline) -> None:
    found = by_surface(analyse(pipeline, "Clashes were reported in Tarnak wa Jaldak district, Zabul."))
    district = next(m for s, m in found.items() if s.startswith("Tarnak"))
    assert district.place is not None and district.place.admin1 == "Zabul" and district.place.feature == "admin2"


def test_unit_word_reads_an_unknown_spelling(pipeline: Pipeline) -> None:
    text = "Gunmen stormed a checkpoint in Dehrawood (Dehrawud) district, Uruzgan province, on Monday."
    found = by_surface(analyse(pipeline, text))
    district = next(m for s, m in found.items() if s.startswith("Dehrawood"))
    assert district.place is not None and district.place.feature == "admin2"
    assert district.place.admin1 == "Uruzgan"


def test_a_name_ner_tagged_with_its_comma_is_still_a_place(pipeline: Pipeline) -> None:
    # the small English model tags "Abomey-Calavi," (comma included) as an organisation before the country
    text = "Dozens of students demonstrated in Abomey-Calavi, Benin, on Monday."
    found = by_surface(analyse(pipeline, text))
    assert found["Abomey-Calavi"].place is not None and found["Abomey-Calavi"].place.admin1 == "Atlantique"


def test_a_town_and_its_province_ner_joined_into_one_entity_are_both_places(pipeline: Pipeline) -> None:
    # the small English model tags "Tame, Arauca" as one organisation; a town and its province is no organisation
    text = "On 13 June 2024, guerrillas attacked a police station in Tame, Arauca, injuring two officers."
    found = by_surface(analyse(pipeline, text))
    assert found["Tame"].place is not None and found["Tame"].place.country == "CO"
    assert found["Arauca"].place is not None and found["Arauca"].place.feature == "admin1"


def test_the_towns_a_road_is_named_after_are_read_apart(pipeline: Pipeline) -> None:
    # NER reads "Kaduna-Abuja" as one name no gazetteer holds; its two towns say where the road runs
    text = "On 21 June 2024, gunmen abducted 15 passengers travelling along the Kaduna-Abuja highway."
    found = by_surface(analyse(pipeline, text))
    assert {"Kaduna", "Abuja"} <= set(found)
    assert found["Kaduna"].place is not None and found["Kaduna"].place.country == "NG"
