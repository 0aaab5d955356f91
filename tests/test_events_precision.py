"""Tests of eventhood and folding on whole texts: one real incident makes one event, and nothing else makes one."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.pipeline import Pipeline
from khabar.records import Document, Event

PUBLISHED = date(2024, 5, 10)


def _events(pipeline: Pipeline, text: str, published: date = PUBLISHED) -> list[Event]:
    """The events the whole pipeline finds in a text published on a day."""
    return list(pipeline.analyse(Document(doc_id="t", text=text, published=published)).events)


def _told_in(event: Event) -> set[int]:
    """The sentences an event is told in."""
    return {e.sentence for e in event.evidence}


def test_a_definite_mention_does_not_refer_back_to_a_threat(pipeline: Pipeline) -> None:
    text = ("Gunmen shot dead two men at a wedding party in Garissa on Saturday night. One of the gunmen had been "
            "accused of threatening to shoot a rival last month. The shooting began shortly before midnight, "
            "witnesses said.")
    found = _events(pipeline, text)
    done = [e for e in found if e.status == "occurred"]
    assert len(done) == 1 and _told_in(done[0]) == {0, 2}
    assert all(2 not in _told_in(e) for e in found if e.status != "occurred")


def test_the_act_a_trial_is_about_is_told_as_done(pipeline: Pipeline) -> None:
    found = _events(pipeline, "The man will be tried for the bombing of a bus station in Jos, prosecutors said on "
                              "Tuesday.")
    assert [e.status for e in found] == ["occurred"]


def test_a_place_inherited_from_a_record_does_not_split_a_raid(pipeline: Pipeline) -> None:
    text = ("Police raided a compound in Kandahar city on Monday and detained three suspects. The suspects were "
            "believed to have planted bombs in Herat province last year. Two more men were detained at the scene.")
    found = [e for e in _events(pipeline, text) if 2 in _told_in(e)]
    assert len(found) == 1 and 0 in _told_in(found[0])
    assert found[0].place is not None and found[0].place.surface == "Kandahar city"


def test_a_date_carried_on_from_a_hearing_does_not_split_a_killing(pipeline: Pipeline) -> None:
    text = ("Prosecutors say a 19-year-old shot and killed his neighbour, Omar Feld, on March 3 in Lagos. At a "
            "hearing on Thursday, the judge refused bail. Feld died of a single gunshot wound to the chest.")
    found = [e for e in _events(pipeline, text) if e.family == "violence"]
    assert len(found) == 1 and _told_in(found[0]) >= {0, 2}


def test_an_arrest_for_a_shooting_is_told_beside_the_shooting(pipeline: Pipeline) -> None:
    found = _events(pipeline, "A man was arrested on Tuesday in connection with the fatal shooting of his cousin at a "
                              "bar in Kisumu.")
    assert [e.event_type for e in found] == ["Violence against civilians"]


def test_a_later_date_in_another_clause_does_not_split_a_definite_mention(pipeline: Pipeline) -> None:
    text = ("A bomb exploded at a bus stop in Kano on March 3, killing three people. Shops in the district stayed "
            "closed for a week. Traders said they had lost most of their stock. The state government promised to "
            "rebuild the market. Schools reopened on Monday. Many families have left the area. The blast left ten "
            "people in hospital, but on April 2 the governor said most of them had gone home.")
    found = _events(pipeline, text, date(2024, 4, 5))
    assert len(found) == 1 and _told_in(found[0]) == {0, 6}


def test_a_passive_demonstrate_shows_and_protests_not(pipeline: Pipeline) -> None:
    found = _events(pipeline, "Our commitment to the alliance was demonstrated by the vote in parliament on Tuesday, "
                              "the prime minister of Kenya said.")
    assert "PROTEST" not in [e.plover_type for e in found]


def test_rejecting_an_assessment_is_a_remark(pipeline: Pipeline) -> None:
    found = _events(pipeline, "Both ministers of Kenya rejected Ruto's assessment that Uganda held a grudge against "
                              "Kenya.")
    assert "REJECT" not in [e.plover_type for e in found]


def test_a_victim_named_only_in_a_recalled_killing_keeps_it_apart(pipeline: Pipeline) -> None:
    text = ("Police officers fatally shot a man holding a phone in Leeds on Wednesday. The shooting comes after the "
            "police killing of Amir Stone on March 2 in Bristol. Amir Stone, 30, was shot by officers answering a "
            "call about a fight.")
    found = _events(pipeline, text, date(2024, 4, 5))
    assert all(2 not in _told_in(e) for e in found if 0 in _told_in(e))


def test_a_murder_suicide_is_a_shooting_not_a_suicide_bombing(pipeline: Pipeline) -> None:
    [event] = _events(pipeline, "A man shot his wife and two children before killing himself in what police called "
                                "a murder-suicide at their home in Dayton on Sunday.")
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")


def test_a_headline_above_the_body_joins_the_act_the_body_dates_and_places(pipeline: Pipeline) -> None:
    text = ("Gunman kills two traders at busy market\n\n"
            "Two traders were shot dead at a market in Garissa on Saturday, police said. "
            "Witnesses said the gunman fled on a motorbike.")
    [event] = [e for e in _events(pipeline, text) if e.family == "violence"]
    assert event.place is not None and event.place.place is not None and event.place.place.name == "Garissa"
    assert event.time is not None and event.time.start == date(2024, 5, 4)
    assert 0 in _told_in(event)


def test_the_body_s_back_reference_leads_over_a_two_clause_headline(pipeline: Pipeline) -> None:
    text = ("Market bombing toll climbs to 40 as army strikes back in Paktia\n\n"
            "Two days after the suicide bombing at a market in Khost city, the number of dead has risen to 40, "
            "health officials said. Army aircraft struck a base in Paktia on Sunday.")
    bombing = [e for e in _events(pipeline, text) if e.sub_event_type == "Suicide bomb"]
    assert len(bombing) == 1
    assert bombing[0].place is not None and bombing[0].place.place is not None
    assert bombing[0].place.place.admin1 == "Khost"
    assert bombing[0].actor1 != "military:AFG"


def test_fighting_for_one_s_life_is_no_fighting(pipeline: Pipeline) -> None:
    text = ("A boy of six was seriously wounded after an accidental shooting in Cass County. Around 8 p.m. Sunday, "
            "deputies went to the shooting on Birch Road. His mother, Carla Reyes, says her boy is awake, and that "
            "he is fighting hard.")
    [event] = _events(pipeline, text)
    assert (event.event_type, event.sub_event_type) == ("Violence against civilians", "Attack")
    assert [e.event_type for e in _events(pipeline, "Troops fought militants near the border on Monday.")] == [
        "Battles"]


@pytest.mark.parametrize("text", [
    "Officers detained a teenager after they say he shot his cousin in the leg in Decatur on Friday.",
    "A gunman shot dead two people at a bar in Lithonia on Monday. Police arrested a man in connection with the "
    "shooting.",
])
def test_the_police_who_arrest_a_shooter_are_not_the_shooters(pipeline: Pipeline, text: str) -> None:
    [event] = _events(pipeline, text)
    assert (event.event_type, event.actor1) == ("Violence against civilians", "unidentified:USA")


def test_a_gerund_naming_a_kind_of_act_is_no_incident(pipeline: Pipeline) -> None:
    text = ("Later the same day the main Pakistani Taliban group, Tehreek-e-Taliban Pakistan (TTP), distanced itself "
            "from the bombing. Its spokesman said the TTP had no part in it and that attacking mosques went against "
            "the group's policy.")
    assert all(_told_in(e) == {0} for e in _events(pipeline, text))


def test_a_country_named_as_where_is_not_who(pipeline: Pipeline) -> None:
    text = ("A suicide bomber who slipped into a guarded compound in northwest Pakistan killed about 100 people at "
            "a mosque in Peshawar on Monday.")
    [event] = _events(pipeline, text)
    assert event.sub_event_type == "Suicide bomb" and event.actor1 != "state:PAK"


def test_an_arrest_made_after_people_were_found_shot_is_told_beside_the_shooting(pipeline: Pipeline) -> None:
    found = _events(pipeline, "Police made an arrest on Thursday after a man and his two sons were found shot to "
                              "death in a house in Eldoret.")
    assert [(e.event_type, e.actor2) for e in found] == [("Violence against civilians", "civilians:KEN")]


def test_a_day_that_only_dates_the_report_yields_to_the_act_s_own_day(pipeline: Pipeline) -> None:
    # published Friday 10 May; "said Thursday" dates the telling, "Wednesday evening" the shooting
    text = ("A farmer shot his neighbour dead during a quarrel over a fence, the county sheriff said Thursday. "
            "The shooting happened on Wednesday evening near the farmer's barn outside Nakuru.")
    found = [e for e in _events(pipeline, text) if e.family == "violence"]
    assert len(found) == 1 and _told_in(found[0]) >= {0, 1}
    assert found[0].time is not None and found[0].time.start == date(2024, 5, 8)


def test_a_day_another_mention_tells_makes_a_coarse_date_precise(pipeline: Pipeline) -> None:
    # published Friday 10 May: "earlier this week" is 6-10 May, and the second sentence names its Tuesday
    text = ("A courier was killed in a shooting in Eldoret earlier this week, police said. "
            "He was shot on Tuesday night outside a bakery near the main market.")
    found = [e for e in _events(pipeline, text) if e.family == "violence"]
    assert len(found) == 1 and found[0].time is not None and found[0].time.start == date(2024, 5, 7)


def test_a_shooting_told_across_midnight_at_one_place_is_one_incident(pipeline: Pipeline) -> None:
    text = ("A teenager was shot in the leg outside a bakery in Eldoret on Monday night. He was shot by a classmate "
            "in Eldoret on Tuesday, just after midnight, police said.")
    found = _events(pipeline, text, date(2024, 5, 15))
    assert len(found) == 1 and _told_in(found[0]) == {0, 1}


def test_an_unrelated_incident_the_next_day_stays_apart(pipeline: Pipeline) -> None:
    text = ("Two men were wounded in a shooting outside a bar in Toledo early on Sunday. In an unrelated incident, "
            "a woman was shot on Saturday night in Toledo. The two men were taken to a hospital.")
    found = _events(pipeline, text, date(2024, 5, 13))
    assert sorted(_told_in(e) == {1} for e in found) == [False, True]


def test_a_page_stamp_dates_the_page_not_the_shooting(pipeline: Pipeline) -> None:
    text = ("Hunter charged over farm death\n\nPosted: Monday, May 13, 2024 5:29 PM\n\nA hunter who shot a man dead "
            "near a farm outside Nakuru has been charged. The man was shot in March while clearing brush.")
    found = [e for e in _events(pipeline, text, date(2024, 5, 13)) if e.family == "violence"]
    assert found and all(e.time is not None and e.time.start.month == 3 for e in found)
