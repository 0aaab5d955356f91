"""Tests of a document's focus in the places stage: title, web address, agencies, datelines and far homonyms."""

from __future__ import annotations

from dataclasses import replace

import pytest

from khabar import nlp, places
from khabar.pipeline import Pipeline
from khabar.places import recognise
from khabar.places.focus import host_names, outlet_homes, title_names
from khabar.places.gazetteer import Outlets, load_outlets
from khabar.places.lexicon import fold
from khabar.records import ActorMention, Analysis, Document, PlaceMention


def _mentions(pipeline: Pipeline, text: str, title: str = "", url: str = "") -> list[PlaceMention]:
    """The place mentions of a text with a title and web address."""
    analysis = nlp.parse(Analysis(Document("focus", text, title=title, url=url)), pipeline.model)
    for stage in pipeline.stages[:2]:  # time and actors: the places stage reads the actors' people
        analysis = stage.run(analysis)
    return list(places.resolve_places(analysis, pipeline.gazetteer).places)


def _place(mentions: list[PlaceMention], surface: str) -> places.Place | None:
    """The place of the first mention with a given surface text."""
    found = [m for m in mentions if m.surface == surface]
    assert found, f"no mention {surface!r} in {[m.surface for m in mentions]}"
    return found[0].place


def test_title_state_and_named_county_pick_the_small_homonym(pipeline: Pipeline) -> None:
    text = "A boy was hurt in Elgin on Friday, the Fayette County Sheriff's Office said."
    mentions = _mentions(pipeline, text, title="Iowa farm boy hurt by rifle")
    elgin = _place(mentions, "Elgin")
    assert elgin is not None and (elgin.admin1, elgin.admin2) == ("Iowa", "Fayette County")


def test_the_web_address_names_the_city(pipeline: Pipeline) -> None:
    text = "A man was shot in Springfield late Friday, officers said."
    mentions = _mentions(pipeline, text, url="http://web.archive.org/web/2016/http://www.bostonherald.com/news/1")
    springfield = _place(mentions, "Springfield")
    assert springfield is not None and springfield.admin1 == "Massachusetts"


def test_a_police_department_names_its_town(pipeline: Pipeline) -> None:
    text = "A driver was shot on Elm Street on Thursday, according to the Fort Worth Police Department."
    fort_worth = _place(_mentions(pipeline, text), "Fort Worth")
    assert fort_worth is not None and (fort_worth.name, fort_worth.admin1) == ("Fort Worth", "Texas")


def test_a_dateline_with_a_postal_code(pipeline: Pipeline) -> None:
    text = "TAMPA, FL — A toddler was hurt on Sunday at an apartment complex near the bay."
    mentions = _mentions(pipeline, text)
    tampa = [m for m in mentions if m.surface == "TAMPA"]
    assert tampa and tampa[0].place is not None and tampa[0].place.admin1 == "Florida"
    assert tampa[0].relation == "dateline"


def test_a_compass_word_before_a_city(pipeline: Pipeline) -> None:
    place = _place(_mentions(pipeline, "Two men were wounded in North Philadelphia overnight."),
                   "North Philadelphia")
    assert place is not None and (place.name, place.feature) == ("Philadelphia", "city")


def test_an_abbreviated_county_name(pipeline: Pipeline) -> None:
    text = "Deputies found the stolen truck in St. Johns County late on Sunday."
    county = _place(_mentions(pipeline, text), "St. Johns County")
    assert county is not None and (county.country, county.admin1, county.feature) == ("US", "Florida", "admin2")


def test_a_small_town_of_another_state_far_away_is_dropped(pipeline: Pipeline) -> None:
    text = "Deputies in Tampa, Florida, said the boy lived in Eastlake with his parents and sister."
    assert _place(_mentions(pipeline, text), "Eastlake") is None


def test_a_list_of_states_is_no_container(pipeline: Pipeline) -> None:
    text = "Cases were reported in Georgia, Oklahoma, Pennsylvania and Ohio last spring."
    oklahoma = _place(_mentions(pipeline, text), "Oklahoma")
    assert oklahoma is not None and oklahoma.feature in ("admin1", "city") and oklahoma.admin1 == "Oklahoma"


def test_a_surname_is_no_town(pipeline: Pipeline) -> None:
    text = ("Officers in Memphis said April McKinney was at home with her daughter. "
            "McKinney said the girl was hurt in the kitchen.")
    mentions = _mentions(pipeline, text)
    assert all(m.place is None or m.place.admin1 != "Texas" for m in mentions)


@pytest.mark.parametrize(
    ("title", "text", "names"),
    [
        ("Shot Fired Near Home In Texas", "a shot hit a home", ["Texas"]),
        ("Teen hurt in Toledo crash - Local 5 News: Eau Claire, WI", "", ["Toledo", "Eau Claire"]),
    ],
)
def test_title_names(pipeline: Pipeline, title: str, text: str, names: list[str]) -> None:
    analysis = Analysis(Document("t", text or "nothing here", title=title))
    assert title_names(analysis, pipeline.gazetteer) == names


def test_host_names(pipeline: Pipeline) -> None:
    gazetteer = pipeline.gazetteer
    assert host_names("http://web.archive.org/web/2013/http://www.toledoblade.com/a.html", gazetteer) == ["Toledo"]
    assert host_names("https://www.nbcphiladelphia.com/news/", gazetteer) == ["Philadelphia"]
    assert host_names("https://example.org/news/", gazetteer) == []


def test_a_small_town_of_a_neighbouring_state_is_no_reading_in_a_story_of_another_state(pipeline: Pipeline) -> None:
    # Madisonville, Kentucky lies over 300 km from both Ohio cities: in an Ohio story the name is a
    # neighbourhood the gazetteer does not hold, not that town.
    text = "Police in Cincinnati and Dayton said a man was shot at a party in Madisonville late on Friday."
    assert _place(_mentions(pipeline, text), "Madisonville") is None


def test_the_town_whose_police_tell_the_story_outweighs_a_far_small_homonym(pipeline: Pipeline) -> None:
    # one city named, but its police tell the story: Madisonville is read near it or not at all
    text = "Toledo police said a teenager was wounded at a cookout in Madisonville late on Sunday."
    town = _place(_mentions(pipeline, text), "Madisonville")
    assert town is None or town.admin1 == "Ohio"
    # without the agency, one name each way sets no focus: both readings stand
    text = "A rifle stolen from a truck in Newark last spring was used in the killing in Beloit, officers said."
    mentions = _mentions(pipeline, text)
    beloit, newark = _place(mentions, "Beloit"), _place(mentions, "Newark")
    assert beloit is not None and beloit.admin1 == "Wisconsin"
    assert newark is not None and newark.admin1 == "New Jersey"


def test_a_page_s_share_buttons_are_no_places(pipeline: Pipeline) -> None:
    # "Google" is a recorded other name of a Kansas city; a share bar puts it on a line of its own
    text = "A boy was shot in Elmdale on Monday, police said.  Share this:\nFacebook\nTwitter\nGoogle\nEmail\nPrint"
    assert all(m.place is None for m in _mentions(pipeline, text) if m.surface == "Google")


def test_the_names_of_a_street_corner_are_no_towns(pipeline: Pipeline) -> None:
    text = ("Officers in Cincinnati taped off the corner of Mathis and Prentice after the shooting. "
            "The party had been held in a hall on Prentice Street.")
    surfaces = {m.surface: m.place for m in _mentions(pipeline, text)}
    assert "Mathis" not in surfaces and surfaces.get("Prentice") is None
    assert surfaces["Cincinnati"] is not None and surfaces["Cincinnati"].admin1 == "Ohio"


def test_a_street_is_read_in_the_town_around_it_not_as_a_town_of_its_name(pipeline: Pipeline) -> None:
    road = _place(_mentions(pipeline, "A hunter was wounded in a field off River Road outside Dayton on Sunday."),
                  "River Road")
    assert road is None or road.admin1 == "Ohio"  # not the town of that name in North Carolina
    text = "Officers found the victim in the 900 block of West Belmont in Dayton after the shooting."
    block = _place(_mentions(pipeline, text), "West Belmont")
    assert block is not None and (block.name, block.admin1) == ("Dayton", "Ohio")


def test_a_major_town_keeps_its_name_beside_a_street_named_after_it(pipeline: Pipeline) -> None:
    text = "Gunmen closed the Jalalabad Road on Monday and attacked police posts in Kabul and Jalalabad."
    jalalabad = _place(_mentions(pipeline, text), "Jalalabad")
    assert jalalabad is not None and jalalabad.country == "AF"


def test_the_surname_of_a_person_named_before_is_no_place_however_large(pipeline: Pipeline) -> None:
    text = ("Dana Washington, 19, was shot outside a store in Dayton, Ohio, on Sunday. "
            "Washington's mother said the family would hold a vigil in Dayton.")
    assert all(m.surface != "Washington" or m.place is None for m in _mentions(pipeline, text))


def test_only_a_person_named_in_full_without_a_feature_word_makes_later_surnames(pipeline: Pipeline) -> None:
    # the tagger may read "Village Tarin" as a person: its feature word says the name is a place's
    text = "Dana Lincoln visited Village Tarin on Monday. Lincoln and his aides met the elders of Tarin."
    analysis = nlp.parse(Analysis(Document("people", text)), pipeline.model)

    def person(surface: str, at: int, actor_id: str) -> ActorMention:
        start = text.index(surface, at)
        return ActorMention(analysis.evidence(start, start + len(surface)), actor_id, surface, "person")

    analysis = replace(analysis, actors=(
        person("Dana Lincoln", 0, "provisional:dana-lincoln"), person("Village Tarin", 0, "provisional:village-tarin"),
        person("Lincoln", 40, "provisional:dana-lincoln"), person("Tarin", 70, "provisional:village-tarin"),
    ))
    lincoln = text.index("Lincoln", 40)
    assert recognise._surname_spans(analysis, pipeline.gazetteer.lexicon) == {(lincoln, lincoln + len("Lincoln"))}



_OUTLETS = Outlets(hosts={"riverbend-courier.com": "Dayton, Ohio"},
                   call_signs={"WSMV": "Nashville, Tennessee", "WMC": "Memphis, Tennessee"})


@pytest.mark.parametrize(
    ("url", "title", "home"),
    [
        ("http://web.archive.org/web/2016/http://www.riverbend-courier.com:80/news/1", "", ["Dayton", "Ohio"]),
        ("https://news.riverbend-courier.com/a", "", ["Dayton", "Ohio"]),
        ("https://www.wsmv.com/story/1", "", ["Nashville", "Tennessee"]),
        ("https://wmcactionnews5.com/story/1", "", ["Memphis", "Tennessee"]),
        ("", "Boy, 2, hurt in apartment - WSMV Channel 4", ["Nashville", "Tennessee"]),
        ("", "Boy hurt in crash | WSMV-TV", ["Nashville", "Tennessee"]),
        ("https://wmcacolumns.com/1", "", []),  # a call sign leads the name, but words follow it
        ("https://example.org/1", "KWSMV and WSMVX are no call signs", []),
    ],
)
def test_outlet_homes(url: str, title: str, home: list[str]) -> None:
    assert outlet_homes(Document("d", "text", title=title, url=url), _OUTLETS) == home


def test_every_packaged_outlet_home_is_a_town_in_its_region(pipeline: Pipeline) -> None:
    gazetteer = pipeline.gazetteer
    outlets = load_outlets()
    assert len(outlets.call_signs) > 500 and len(outlets.hosts) > 100
    for key, home in [*outlets.hosts.items(), *outlets.call_signs.items()]:
        *town, region = (part.strip() for part in home.rsplit(",", 1))
        units = [p for p in gazetteer.names(fold(region)) if p.feature in ("admin1", "country")]
        assert units, f"{key}: region {region!r} unknown"
        assert not town or any(p.country == u.country and (u.feature == "country" or p.admin1 == u.name)
                   for p in gazetteer.names(fold(town[0])) for u in units), f"{key}: {town} is not in {region!r}"


def test_a_local_station_s_homonym_lies_in_its_market(pipeline: Pipeline) -> None:
    text = "A man was shot inside a home in Bastrop on Tuesday, deputies said."
    plain = _place(_mentions(pipeline, text), "Bastrop")
    local = _place(_mentions(pipeline, text, title="Man shot in home - KXAN Austin"), "Bastrop")
    assert plain is not None and plain.admin1 != "Texas"
    assert local is not None and local.admin1 == "Texas"


def test_a_story_naming_only_a_street_lies_in_its_outlet_s_town(pipeline: Pipeline) -> None:
    text = "A girl was shot inside a home in the 3400 block of Algonquin Parkway on Friday night, police said."
    alone = _place(_mentions(pipeline, text), "Algonquin Parkway")
    local = _place(_mentions(pipeline, text, url="https://www.wlky.com/article/1"), "Algonquin Parkway")
    assert alone is None
    assert local is not None and (local.name, local.admin1) == ("Louisville", "Kentucky")


def test_a_street_beside_a_named_town_keeps_to_the_text(pipeline: Pipeline) -> None:
    text = "A man was shot on Maple Avenue in Lexington on Friday, police said."
    mentions = _mentions(pipeline, text, url="https://www.wlky.com/article/2")
    assert _place(mentions, "Maple Avenue") is None or _place(mentions, "Maple Avenue").name != "Louisville"


def test_a_dateline_that_brackets_its_outlet(pipeline: Pipeline) -> None:
    text = "INDIANAPOLIS (AP) – Police are investigating a shooting on the city's east side."
    found = [m for m in _mentions(pipeline, text) if m.surface == "INDIANAPOLIS"]
    assert found and found[0].place is not None and found[0].place.admin1 == "Indiana"
    assert found[0].relation == "dateline"


def test_an_unlisted_village_named_with_its_containers_is_read_at_its_commune(pipeline: Pipeline) -> None:
    text = "On 19 June 2022, a group lynched a suspected chicken thief in Hlassame (Lalo, Couffo)."
    mentions = _mentions(pipeline, text)
    village, commune = _place(mentions, "Hlassame"), _place(mentions, "Lalo")
    assert village is not None and commune is not None
    assert (village.name, village.feature, village.admin1) == ("Hlassame", "village", "Couffo")
    assert (village.lat, village.lon) == (commune.lat, commune.lon)
    found = next(m for m in mentions if m.surface == "Hlassame")
    assert found.precision == 2  # read near its commune's point, not at a point of its own


def test_the_event_is_at_the_unlisted_village_the_text_names(pipeline: Pipeline) -> None:
    text = "On 19 June 2022, a group lynched a suspected chicken thief in Hlassame (Lalo, Couffo)."
    analysis = pipeline.analyse(Document("village", text))
    assert analysis.events and analysis.events[0].place is not None
    assert analysis.events[0].place.surface == "Hlassame"


def test_an_unlisted_village_takes_the_first_container_read_up_its_brackets(pipeline: Pipeline) -> None:
    # the township is unknown too, and the region is written as ACLED names the part of the state
    text = ("On 4 October 2021, in Thit Pin Gyi village (Myauk Kone township, Bago district, Bago-East region), "
            "the military fired on the village.")
    mentions = _mentions(pipeline, text)
    village, district = _place(mentions, "Thit Pin Gyi village"), _place(mentions, "Bago district")
    assert village is not None and district is not None
    assert (village.name, village.admin1, village.country) == ("Thit Pin Gyi", "Bago", "MM")
    assert (village.lat, village.lon) == (district.lat, district.lon)
    region = _place(mentions, "Bago-East region")
    assert region is not None and (region.name, region.feature) == ("Bago", "admin1")


def test_an_unlisted_place_whose_chain_only_its_province_resolves_is_an_area_of_it(pipeline: Pipeline) -> None:
    # neither the village nor its commune is in the gazetteer: the village keeps its name at the province's
    # point, read as an area (the merge never takes it for a site), and the event is placed there
    text = "On 2 May 2022, gunmen kidnapped a trader in Gbessourou (Kouarfa, Alibori)."
    analysis = pipeline.analyse(Document("province", text))
    mentions = analysis.places
    village, province = _place(mentions, "Gbessourou"), _place(mentions, "Alibori")
    assert village is not None and province is not None and province.feature == "admin1"
    assert (village.name, village.feature, village.admin1) == ("Gbessourou", "region", "Alibori")
    assert (village.lat, village.lon) == (province.lat, province.lon)
    assert next(m for m in mentions if m.surface == "Gbessourou").precision == 3
    assert _place(mentions, "Kouarfa") is None  # the commune between them stays unread
    assert analysis.events and analysis.events[0].place is not None
    assert analysis.events[0].place.surface == "Gbessourou"
