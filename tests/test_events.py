"""Tests of the events stage, by module: triggers, status, coreference, arguments and whole-document labels.

Actor roles are tested in ``test_events_roles.py``, the classifier in ``test_events_classify.py`` and the
lexicon and tables in ``test_events_lexicon.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from events_support import Analyse, events_runner, violent
from khabar import events, quantities
from khabar import time as timex
from khabar.events import document
from khabar.events.arguments import arrests
from khabar.events.incidents import confidence_class
from khabar.events.roles import snippet_parties
from khabar.pipeline import Pipeline
from khabar.records import Document, Place, PlaceMention, Toll


@pytest.fixture(scope="module")
def resources() -> events.EventResources:
    return events.load_event_resources()


@pytest.fixture(scope="module")
def analyse(pipeline: Pipeline, resources: events.EventResources) -> Analyse:
    return events_runner(pipeline.model, resources)


# --- triggers: which words of which sentences trigger an event ---


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        ("Russia held joint military exercises with Tajikistan and Uzbekistan near the border.", "MOBILIZE"),
        ("The foreign ministers of Russia and Uzbekistan met in Tashkent to discuss trade.", "CONSULT"),
        ("Russia pledged $20 million to Tajikistan for new border posts.", "AID"),
        ("The Taliban released 300 prisoners from Pul-e-Charkhi jail.", "RETREAT"),
        ("The police arrested eleven suspects in Quetta.", "COERCE"),
    ],
)
def test_political_events(analyse: Analyse, text: str, plover: str) -> None:
    types = {e.plover_type for e in analyse(text).events}
    assert plover in types


def test_every_event_has_type_evidence(analyse: Analyse) -> None:
    text = "Gunmen killed two guards at a bank in Kunduz. Police later arrested three suspects in Kunduz city."
    analysis = analyse(text)
    assert len(analysis.events) >= 2
    for event in analysis.events:
        assert event.evidence and any(f.field == "type" for f in event.field_evidence)
        assert 0.0 < event.confidence <= 1.0


def test_longer_phrase_wins_over_its_own_word(analyse: Analyse) -> None:
    analysis = analyse("The Taliban seized power in Kabul on 15 August 2021.")
    assert {e.plover_type for e in analysis.events if e.family == "political"} == {"SEIZE"}


def test_regaining_power_is_a_takeover(analyse: Analyse) -> None:
    analysis = analyse("The Taliban recaptured the power in the capital on Sunday.")
    assert any(e.plover_type == "SEIZE" and e.actor1 == "taliban" for e in analysis.events)


def test_suspending_flights_is_a_sanction(analyse: Analyse) -> None:
    analysis = analyse("Russia announced a suspension of flights to Tajikistan on Wednesday.")
    assert any(e.plover_type == "SANCTION" and e.actor1 == "state:RUS" for e in analysis.events)


def test_a_trigger_word_naming_a_role_is_no_event(analyse: Analyse) -> None:
    text = "The police detained an attack planner and a bomb maker in the border district on Monday."
    events = analyse(text).events
    assert [(e.case_label, e.actor1) for e in events] == [("ARREST", "police:AFG")]


def test_an_operation_to_arrest_is_an_arrest_not_a_second_violent_event(analyse: Analyse) -> None:
    text = "The police conducted an operation to detain a militant commander in the border district on Monday."
    events = analyse(text).events
    assert [(e.case_label, e.plover_type, e.actor1) for e in events] == [("ARREST", "COERCE", "police:AFG")]


def test_a_protest_held_to_demand_something_stays_a_protest(analyse: Analyse) -> None:
    text = "Supporters of the Taliban staged a protest on Sunday to demand the release of prisoners."
    assert "Protests" in {e.event_type for e in analyse(text).events}


def test_political_words_in_names_and_describing_participles_are_not_events(analyse: Analyse) -> None:
    text = "Afghan soldiers, supported by coalition aircraft, killed five Taliban fighters in a raid on Monday."
    analysis = analyse(text)
    assert analysis.events and all(e.plover_type != "SUPPORT" for e in analysis.events)
    named = analyse("The Shanghai Cooperation Organisation met in Tashkent on Monday.")
    assert all(e.plover_type != "COOPERATE" for e in named.events)


def test_a_participle_conjoined_to_a_describing_one_is_no_act(pipeline: Any) -> None:
    text = "Afghan soldiers, trained and supported by NATO advisers, killed five militants in Zabul on Monday."
    events_found = pipeline.analyse(Document(doc_id="t", text=text)).events
    assert [e.plover_type for e in events_found if e.family == "political"] == []
    assert [e.sub_event_type for e in events_found] == ["Armed clash"]


@pytest.mark.parametrize(
    "text",
    [
        # commentary: a habitual present, an unrealised infinitive, a negated and a conditional interaction
        "The weather is calm. Uzbekistan rejects every form of extremism, the analyst writes.",
        "Tajikistan and Uzbekistan are yet to recognize the new rulers.",
        "Russia would not cooperate with Tajikistan unless the border was secured.",
        "The ministers spoke at length. Their talks covered trade and humanitarian assistance.",
    ],
)
def test_commentary_gives_no_political_event(analyse: Analyse, text: str) -> None:
    assert [e for e in analyse(text).events if e.family == "political"] == []


def test_habitual_violence_is_not_an_incident(analyse: Analyse) -> None:
    analysis = analyse("The valley is quiet now. Let them fight terrorism on their own soil.")
    assert violent(analysis) == []


def test_holding_positions_is_no_arrest(analyse: Analyse) -> None:
    text = "The Taliban said on Monday that their fighters held strategic positions across the valley."
    assert [e for e in analyse(text).events if e.sub_event_type == "Arrests"] == []


def test_a_raid_that_kills_is_one_violent_event(analyse: Analyse) -> None:
    [event] = analyse("Taliban fighters raided a police post in the night and killed two guards.").events
    assert event.family == "violence"


@pytest.mark.parametrize(
    "text",
    [
        "Troops cordoned off the village at dawn. Afterwards the security force detained several suspected smugglers.",
        "Officers went through the warehouse. One person was detained overnight.",
    ],
)
def test_an_arrest_by_or_of_an_unnamed_party_is_an_event(analyse: Analyse, text: str) -> None:
    arrests = [e for e in analyse(text).events if e.sub_event_type == "Arrests"]
    assert len(arrests) == 1 and arrests[0].status == "occurred"


# --- status: occurred, aggregate, planned, hypothetical, negated; counted incidents ---


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("A roadside bomb killed three soldiers in Helmand on Monday.", "occurred"),
        ("The Islamic State planned to bomb the consulate with a truck.", "planned"),
        ("The Taliban carried out 45 attacks on the police since January 2020.", "aggregate"),
        ("From March to June 2021, 212 civilians were killed in the province, the monitors said.", "aggregate"),
        ("ISKP threatened to attack the embassies in the capital.", "planned"),
    ],
)
def test_status(analyse: Analyse, text: str, status: str) -> None:
    found = violent(analyse(text))
    assert found, text
    assert found[0].status == status


@pytest.mark.parametrize(
    "text",
    [
        "The Taliban did not attack the convoy.",
        "Officials said the militants could attack the airport.",
        "No women or children were hurt.",
        "The group has carried out many attacks on aid workers.",
        "The detained man was responsible for attacks on the police.",
    ],
)
def test_what_did_not_happen_or_is_no_incident_makes_no_event(analyse: Analyse, text: str) -> None:
    assert violent(analyse(text)) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "The candidate argued that Mexico should send a row of peace demonstrators to its northern border.",
        "An analyst said the new rifles would help the Saudis modernize their army and strengthen their capacity"
        " to cooperate with NATO forces.",
    ],
)
def test_an_act_in_a_clause_a_modal_governs_did_not_happen(pipeline: Pipeline, text: str) -> None:
    events_found = pipeline.analyse(Document(doc_id="modal", text=text)).events
    assert all(e.status != "occurred" for e in events_found), text


def test_a_modal_of_the_telling_leaves_the_told_act_done(analyse: Analyse) -> None:
    text = "Officials could not say why gunmen killed two guards in Herat on Monday."
    assert any(e.status == "occurred" for e in violent(analyse(text)))


def test_counted_blasts_are_separate_events(analyse: Analyse) -> None:
    analysis = analyse("Two explosions a few minutes apart hit a bus station, wounding 20 people.")
    assert len(violent(analysis)) == 2


def test_unrealised_infinitive_is_planned(analyse: Analyse) -> None:
    analysis = analyse("The Taliban announced to attack the Afghan army in the spring.")
    assert violent(analysis)[0].status == "planned"


def test_a_perfect_infinitive_tells_a_past_act(analyse: Analyse) -> None:
    text = "A courier was found in a lane behind the depot on Friday. He seemed to have been shot twice."
    assert [e.status for e in violent(analyse(text))] == ["occurred"]


def test_a_past_act_joined_to_an_attempted_one_happened(analyse: Analyse) -> None:
    text = "A teenager died when he was trying to clean a pistol and accidentally shot himself, police said."
    assert [e.status for e in violent(analyse(text))] == ["occurred"]
    planned = violent(analyse("Gunmen tried to storm the police station and seize weapons, officials said."))
    assert planned and all(e.status == "planned" for e in planned)  # both joined verbs are infinitives


def test_a_planned_attack_plans_the_weapon_words_that_modify_it(analyse: Analyse) -> None:
    text = "Police detained two brothers suspected of plotting a rocket-propelled grenade assault on the stadium."
    found = violent(analyse(text))
    assert found and all(e.status == "planned" for e in found)


def test_a_single_day_is_no_period_that_makes_an_aggregate(analyse: Analyse) -> None:
    text = "A suicide bomber killed about 100 people during afternoon prayers on Monday."
    assert [e.status for e in violent(analyse(text))] == ["occurred"]


def test_a_habitual_verb_counts_many_incidents(analyse: Analyse) -> None:
    text = "The shrine's pilgrims have been attacked repeatedly by gunmen."
    statuses = {e.status for e in analyse(text).events}
    assert statuses == {"aggregate"}


def test_a_string_of_bombings_is_an_aggregate(analyse: Analyse) -> None:
    text = "A string of bombings hit markets in the city."
    assert {e.status for e in violent(analyse(text))} == {"aggregate"}


# --- coref: later mentions merge into the event they repeat ---


def test_definite_political_mention_merges_into_its_event(analyse: Analyse) -> None:
    text = (
        "Russia and Uzbekistan held talks on Monday on border security. "
        "The talks lasted two days and ended with a joint statement."
    )
    consults = [e for e in analyse(text).events if e.plover_type == "CONSULT"]
    assert len(consults) == 1
    assert len(consults[0].evidence) == 2


def test_repeated_seizure_of_power_is_one_event_led_by_its_dated_mention(analyse: Analyse) -> None:
    text = (
        "Aid agencies have struggled since the Taliban seized power. "
        "The Taliban took power on 15 August 2021 after the army collapsed."
    )
    [seizure] = [e for e in analyse(text).events if e.plover_type == "SEIZE"]
    assert len(seizure.evidence) == 2
    assert seizure.evidence[0].text.startswith("The Taliban took power")


def test_seizures_of_different_places_stay_apart(analyse: Analyse) -> None:
    text = "The Taliban took power in Kunduz on Sunday. The Taliban took power in Herat on Monday."
    seizures = [e for e in analyse(text, sites=("Kunduz", "Herat")).events if e.plover_type == "SEIZE"]
    assert len(seizures) == 2


def test_a_sentence_that_only_counts_victims_refers_to_the_incident_before_it(analyse: Analyse) -> None:
    text = "A bomb exploded at a crowded market on Monday. More than 150 people were wounded."
    [event] = violent(analyse(text))
    assert len(event.evidence) == 2


def test_a_verb_whose_subject_is_the_blast_tells_of_the_same_incident(analyse: Analyse) -> None:
    text = (
        "A suicide bomber struck the crowds outside the airport on Thursday, killing dozens. "
        "The blast went off at the main gate, where families had waited for days."
    )
    events_found = [e for e in analyse(text).events if e.family in ("violence", "other")]
    assert len(events_found) == 1 and len(events_found[0].evidence) == 2


def _sentences_of_one_incident(analyse: Analyse, text: str, sites: tuple[str, ...] = ()) -> int:
    """How many sentences the text's single violent event draws its evidence from."""
    [event] = violent(analyse(text, sites=sites))
    return len({e.sentence for e in event.evidence})


def test_killed_or_injured_report_with_only_a_country_refers_back(analyse: Analyse) -> None:
    text = (
        "A bomb tore through a wedding hall in Lashkar Gah on Friday. "
        "A United Nations office in Afghanistan said more than 60 guests were killed or injured."
    )
    assert _sentences_of_one_incident(analyse, text, sites=("Lashkar Gah",)) == 2


def test_coreference_window_runs_from_the_latest_mention(analyse: Analyse) -> None:
    text = (
        "A car bomb exploded outside a bank in Khost on Monday. "
        "The blast shattered windows across the street. "
        "The explosion also set fire to two shops. "
        "Firefighters worked for hours. "
        "Traders counted their losses. "
        "The blast was the third this month, residents said."
    )
    violent = [e for e in analyse(text).events if e.family in ("violence", "other")]
    assert len(violent) == 1


def test_the_attackers_refer_back_to_the_incident(analyse: Analyse) -> None:
    text = (
        "Gunmen stormed a hotel in the capital on Tuesday, killing nine guests. "
        "The attackers struck the lobby first and then climbed to the roof."
    )
    assert _sentences_of_one_incident(analyse, text) == 2


def test_a_detail_without_its_own_date_place_or_attacker_continues_the_incident(analyse: Analyse) -> None:
    text = (
        "A suicide bomber attacked a police post in Khost on Tuesday, killing four officers. "
        "Witnesses said two guards were shot dead at the gate."
    )
    assert _sentences_of_one_incident(analyse, text, sites=("Khost",)) == 2


def test_a_detail_with_a_place_of_its_own_is_a_separate_incident(analyse: Analyse) -> None:
    text = (
        "A suicide bomber attacked a police post in Khost on Tuesday, killing four officers. "
        "Two guards were shot dead at a checkpoint in Gardez."
    )
    assert len(violent(analyse(text, sites=("Khost", "Gardez")))) == 2


def test_a_title_line_joins_the_lead_incident(analyse: Analyse) -> None:
    text = (
        "Bombing at market leaves 20 dead in Herat\n\n"
        "A bomb hidden in a cart exploded in the main market of Herat on Thursday, killing 20 people."
    )
    [event] = violent(analyse(text, sites=("Herat",)))
    assert event.evidence[0].sentence == 1 and len({e.sentence for e in event.evidence}) == 2


def test_a_title_line_about_another_province_stays_apart(analyse: Analyse, resources: events.EventResources) -> None:
    text = "Bombing at market leaves 20 dead in Herat\n\nA bomb exploded in Kunduz on Thursday, killing two people."
    analysis = analyse(text)
    herat = Place("p:herat", "Herat", 34.3, 62.2, country="AF", admin1="Herat")
    kunduz = Place("p:kunduz", "Kunduz", 36.7, 68.9, country="AF", admin1="Kunduz")
    spots = [
        PlaceMention(analysis.evidence(m.start(), m.end()), m.group(), place)
        for place in (herat, kunduz)
        for m in re.finditer(place.name, text)
    ]
    analysis = replace(analysis, events=(), places=tuple(sorted(spots, key=lambda p: p.evidence.start)))
    assert len(violent(events.extract_events(analysis, resources))) == 2


# --- arguments: place, time, tolls and PLOVER coding ---


def test_promise_is_coded_as_agree(analyse: Analyse) -> None:
    analysis = analyse("Russia promised to release the detained Tajik fighters next week.")
    event = next(e for e in analysis.events if e.family == "political")
    assert (event.plover_type, event.plover_mode) == ("AGREE", "retreat (promised)")


def test_the_blast_names_the_bombing_not_a_takeover_told_in_between(pipeline: Any) -> None:
    text = ("A suicide bomber struck a crowd outside the stadium in Kunduz on Monday, killing 12 people. "
            "Police said the attacker was alone. The governor visited the wounded. The mayor praised the doctors. "
            "The Taliban, who seized the district centre of Char Dara in May, condemned the attack. "
            "The stadium stayed closed. Shops reopened on the main road. "
            "Clinics treated dozens of people within hours of the blast.")
    blast = text.index("within hours")
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    holding = [e for e in found if e.family == "violence" and any(ev.start <= blast < ev.end for ev in e.evidence)]
    assert [e.sub_event_type for e in holding] == ["Suicide bomb"]


@pytest.mark.parametrize(
    "text",
    [
        "A man died after a shooting on the north side of Dayton early Saturday.",
        "A 3-year-old child suffered minor injuries in an accidental shooting in Dayton on Tuesday.",
        "A 15-year-old student who apparently shot himself by accident in Dayton has died, police said on Saturday.",
        "One person is dead after a hunting accident near Dayton on Sunday morning.",
    ],
)
def test_a_shooting_is_violence_even_when_accidental(pipeline: Any, text: str) -> None:
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    assert [(e.family, e.sub_event_type) for e in found] == [("violence", "Attack")]


def test_a_road_accident_stays_an_accident(pipeline: Any) -> None:
    text = "A bus accident killed five people near Kandahar on Monday."
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    assert [e.family for e in found] == ["other"]


@pytest.mark.parametrize(
    "text",
    [
        "The club hosted a photo shooting for a magazine in Dayton on Friday.",
        "The officer took a two-handed shooting stance outside the store in Dayton on Monday.",
    ],
)
def test_a_peaceful_sense_of_shooting_is_no_violence(pipeline: Any, text: str) -> None:
    assert pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events == ()


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen shot a man in Dayton on Sunday. After Sunday's shooting, community leaders called for calm.",
        "Gunmen shot a man in Dayton on Sunday. Police said the two shootings this month are not connected.",
    ],
)
def test_a_dated_or_counted_definite_reference_adds_no_incident(pipeline: Any, text: str) -> None:
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    assert len([e for e in found if e.family == "violence"]) == 1


def test_a_stance_held_over_time_is_no_political_act(analyse: Analyse) -> None:
    held = analyse("Russia has long accused Tajikistan of harbouring rebels.")
    done = analyse("Russia accused Tajikistan of harbouring rebels on Monday.")
    assert [e.plover_type for e in held.events] == []
    assert [e.plover_type for e in done.events] == ["DISAPPROVE"]


def test_reports_called_wrong_retract_their_event(pipeline: Any) -> None:
    text = "Reports of a second explosion near the hotel in Kunduz were false, the ministry said on Friday."
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    assert [e for e in found if e.family == "violence" and e.status == "occurred"] == []


@pytest.mark.parametrize(
    "later",
    [
        "At a briefing on Friday, officials said the attack was the work of one man.",
        "At a briefing on Friday, officials said the attack was the work of a single bomber "
        "and that reports of a second explosion at the hotel had been wrong.",
    ],
)
def test_a_later_telling_of_the_attack_names_it(pipeline: Any, later: str) -> None:
    text = ("A suicide bomber struck a crowd outside the stadium in Kunduz on Thursday, killing 12 people. "
            "The governor visited the wounded. The mayor praised the doctors. Shops closed early. "
            "Schools stayed shut. " + later)
    found = [e for e in pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
             if e.family == "violence"]
    assert len(found) == 1 and found[0].sub_event_type == "Suicide bomb"


def test_a_qualified_anaphor_names_the_incident_told_with_its_word(pipeline: Any) -> None:
    text = ("Two days after the suicide bombing outside Kunduz airport, the toll stood at 40, officials said. "
            "Officials said the attack was carried out by one man. Shops closed. Schools closed. "
            "A drone strike in the eastern province of Nangarhar killed two militants on Friday. "
            "Officials said they knew of no other casualties from that strike. "
            "The group, Islamic State Khorasan Province, had already taken responsibility for the airport bombing.")
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
    claim = text.index("The group")
    [holder] = [e for e in found if any(ev.start <= claim < ev.end for ev in e.evidence)]
    assert holder.sub_event_type == "Suicide bomb"


def test_a_vaguely_dated_recall_beside_the_news_is_left_out(pipeline: Any) -> None:
    news = "Gunmen shot a shopkeeper in Dayton on Monday, police said. "
    recall = "Gunmen attacked a shop in the same street in August 2019."
    with_news = pipeline.analyse(Document(doc_id="t", text=news + recall, published=date(2024, 5, 3))).events
    alone = pipeline.analyse(Document(doc_id="t", text=recall, published=date(2024, 5, 3))).events
    assert [e.status for e in with_news if e.family == "violence"] == ["occurred"]
    assert [e.status for e in alone if e.family == "violence"] == ["background"]
    political = "Russia and Tajikistan signed a border accord in Dushanbe in August 2019."
    kept = pipeline.analyse(Document(doc_id="t", text=news + political, published=date(2024, 5, 3))).events
    assert [e.status for e in kept if e.family == "political"] == ["background"]  # a recalled act stays


def test_a_branch_named_beside_its_parent_is_one_side(pipeline: Any) -> None:
    text = ("Islamic State Khorasan Province, the Afghan branch of the Islamic State group, bombed a market "
            "in Kunduz on Monday, killing nine people.")
    [event] = [e for e in pipeline.analyse(Document(doc_id="t", text=text, published=date(2024, 5, 3))).events
               if e.family == "violence"]
    assert event.actor1 == "islamic-state-khorasan-province" and event.actor2 != "islamic-state"


def test_a_joined_verb_shares_the_promise_of_its_first(analyse: Analyse) -> None:
    analysis = analyse("Tajikistan will host the talks and aid the refugees from Afghanistan, the minister said.")
    political = [e for e in analysis.events if e.family == "political"]
    assert political and all(e.plover_type == "AGREE" for e in political)  # both promised, neither done


def test_toll_in_a_relative_clause_on_the_events_own_trigger(pipeline: Any) -> None:
    text = ("Weeks later a suicide bombing hit the crowd at the stadium gate, followed by a second blast "
            "nearby: explosions that killed 40 civilians and 7 police officers.")
    analysis = pipeline.analyse(Document(doc_id="t", text=text))
    [bombing] = [e for e in violent(analysis) if e.sub_event_type == "Suicide bomb"]
    assert bombing.fatalities is not None
    assert bombing.fatalities.best == 47


def test_an_aggregate_operation_keeps_its_arrest_count() -> None:
    toll = Toll(3, 3, 3, ())
    trigger = SimpleNamespace(group=SimpleNamespace(family="violent"))
    draft = SimpleNamespace(plover="FIGHT", code="ARMED_CLASH", status="aggregate", trigger=trigger)
    assert arrests(draft, toll) == toll  # type: ignore[arg-type]
    assert arrests(SimpleNamespace(**{**vars(draft), "status": "planned"}), toll) is None  # type: ignore[arg-type]


def test_a_peaceful_political_act_takes_no_death_toll(analyse: Analyse, resources: events.EventResources) -> None:
    text = "Russia withdrew its ambassador from the capital. Dozens of soldiers were killed in the fighting."
    analysis = quantities.extract_quantities(analyse(text))
    analysis = events.extract_events(analysis, resources)
    retreat = [e for e in analysis.events if e.family == "political"]
    assert retreat and all(e.fatalities is None for e in retreat)
    assert any(e.fatalities is not None and e.fatalities.best == 24 for e in analysis.events if e.family == "violence")


def test_seizure_of_power_sits_at_the_capital_unless_it_names_a_place(pipeline: Any) -> None:
    text = (
        "Aid workers in Kabul are struggling. After the US troops left Bagram, the Taliban seized power in August 2021."
    )
    [seizure] = [e for e in pipeline.analyse(Document(doc_id="t", text=text)).events if e.plover_type == "SEIZE"]
    assert seizure.place is not None and seizure.place.surface == "Kabul"
    airport = "Crowds gathered at Kabul airport. After the US left Bagram, the Taliban seized power in August 2021."
    [seizure] = [e for e in pipeline.analyse(Document(doc_id="t", text=airport)).events if e.plover_type == "SEIZE"]
    assert seizure.place is not None and seizure.place.place is not None and seizure.place.place.name == "Kabul"
    assert seizure.place.surface == "Kabul airport" and seizure.place.place.feature == "city"
    local = "Aid workers in Kabul are struggling. In August 2021 the Taliban seized power in Kandahar first."
    [seizure] = [e for e in pipeline.analyse(Document(doc_id="t", text=local)).events if e.plover_type == "SEIZE"]
    assert seizure.place is not None and seizure.place.surface == "Kandahar"


# --- document: whole-document labels ---


def test_main_event_and_document_label(analyse: Analyse, resources: events.EventResources) -> None:
    analysis = analyse("A suicide bomber blew himself up at a police checkpoint, killing five officers.")
    event = events.main_event(analysis, resources)
    assert event is not None and event.case_label == "SUIC_BOMB"
    assert events.document_label(analysis, resources) == "SUIC_BOMB"


def test_main_event_prefers_the_body_lead_over_a_headline(analyse: Analyse, resources: events.EventResources) -> None:
    text = (
        "Forces Target Taliban Leaders In Night Raids\n"
        "Police arrested three Taliban fighters in a raid on Tuesday."
    )
    analysis = analyse(text)
    event = events.main_event(analysis, resources)
    assert event is not None and event.evidence[0].sentence == 1
    assert document.is_headline(analysis, 0) and not document.is_headline(analysis, 1)


def test_main_event_falls_back_to_document_classifier(analyse: Analyse, resources: events.EventResources) -> None:
    analysis = analyse("Heavy snow fell on the Salang pass over the whole weekend.")
    assert analysis.events == ()
    event = events.main_event(analysis, resources)
    assert event is not None and event.confidence < 0.5


def test_fallback_event_carries_parties_and_the_snippets_date(
    analyse: Analyse, resources: events.EventResources
) -> None:
    text = "Russia sent a delegation to Tajikistan on 3 May 2021."
    analysis = timex.resolve_times(analyse(text))
    event = document.fallback_event(analysis, resources)
    assert event is not None
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")
    assert event.time is not None and event.time.start.isoformat() == "2021-05-03"


def test_fallback_event_sits_at_the_snippets_main_place(pipeline: Pipeline, resources: events.EventResources) -> None:
    analysis = pipeline.analyse(Document(doc_id="t", text="Tension along the road near Kunduz on 3 May 2021."))
    event = document.fallback_event(analysis, resources)
    assert event is not None and event.place is not None and event.place.place is not None
    assert event.place.place.admin1 == "Kunduz"


def test_fallback_parties_of_a_whole_snippet(analyse: Analyse, resources: events.EventResources) -> None:
    analysis = analyse("Russia and Tajikistan, after long delays, at last.")
    assert snippet_parties(analysis, resources) == ("state:RUS", "state:TJK")


def test_a_snippet_with_one_party_targets_its_own_country_for_a_political_type(
    analyse: Analyse, resources: events.EventResources
) -> None:
    analysis = analyse("Russia, after long delays, at last.")
    assert snippet_parties(analysis, resources, "DEMAND") == ("state:RUS", "government:RUS")
    assert snippet_parties(analysis, resources, "FIGHT") == ("state:RUS", "")


def test_an_event_carries_the_calibrated_confidence_of_its_evidence_class(
    analyse: Analyse, resources: events.EventResources
) -> None:
    analysis = analyse("Gunmen killed two guards at a bank in Kunduz on Monday. The attackers fled on motorbikes.")
    [event] = violent(analysis)
    expected = resources.incidents.confidence.get(confidence_class(event))
    assert expected is not None and event.confidence == expected


def test_counted_weapons_are_not_counted_incidents(analyse: Analyse) -> None:
    analysis = analyse("Afghan soldiers destroyed three mortar rounds and two grenades in Zhari on Monday.")
    assert len(analysis.events) == 1


@pytest.mark.parametrize(
    "text",
    [
        "The government approved the sale of 200 artillery pieces to its neighbour on Tuesday.",
        "The new package includes 50 missiles and spare parts for the navy.",
        "The ministry showed off its missile defence systems and rocket-firing vehicles in Kandahar on Monday.",
    ],
)
def test_weapons_named_as_goods_or_kit_are_no_attack(analyse: Analyse, text: str) -> None:
    assert violent(analyse(text)) == []


def test_weapons_used_stay_attacks(analyse: Analyse) -> None:
    analysis = analyse("A mortar round landed on a house in Zhari on Monday, killing two children.")
    [event] = violent(analysis)
    assert event.event_type == "Explosions/Remote violence"


# --- eventhood of diplomatic and verbal acts: asserted, cued, not routine ---


@pytest.mark.parametrize(
    "text",
    [
        # context around an act, not the act: a relative clause, a noun in a prepositional phrase
        "Russia complained on Monday about the countries that expelled its diplomats in March.",
        "The vote came in response to the decision of Tajikistan to expel the ambassador of Russia.",
        # police doing their daily work
        "Police in Dayton are investigating the shooting of a teenager on Monday.",
    ],
)
def test_an_act_told_as_context_or_routine_is_no_political_event(analyse: Analyse, text: str) -> None:
    assert [e.plover_type for e in analyse(text).events if e.family == "political"] == []


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        ("Russia expelled twenty British diplomats on Monday.", "SANCTION"),
        ("Russia stated its willingness to invest in new border posts for Tajikistan.", "AID"),
        ("The leaders of Russia and Tajikistan met at the summit held in Astana in October.", "CONSULT"),
    ],
)
def test_an_asserted_act_stays_a_political_event(analyse: Analyse, text: str, plover: str) -> None:
    assert plover in {e.plover_type for e in analyse(text).events}


def test_a_protest_needs_people_protesting(pipeline: Any) -> None:
    def protests(text: str) -> list[str]:
        return [e.event_type for e in pipeline.analyse(Document(doc_id="t", text=text)).events
                if e.event_type == "Protests"]

    assert protests("The minister said the report demonstrated that the plan had worked.") == []
    held = "Hundreds of residents demonstrated in Mombasa on Friday against the price of fuel."
    assert protests(held) == ["Protests"]


def test_capturing_people_in_a_district_is_an_arrest_not_territory(analyse: Analyse) -> None:
    text = "Afghan army troops captured a Taliban facilitator and two fighters in Imam Sahib district on Monday."
    events_found = analyse(text).events
    assert [e.case_label for e in events_found] == ["ARREST"]
    ground = analyse("The Taliban captured the district centre of Imam Sahib on Monday.").events
    assert [e.event_type for e in ground] == ["Battles"]


@pytest.mark.parametrize("text", ["No villagers were hurt or held during the search of the compound.",
                                  "Police said no civilians were wounded or killed in the raid on Friday."])
def test_a_clause_negated_through_its_subject_is_no_incident(pipeline: Any, text: str) -> None:
    assert pipeline.analyse(Document(doc_id="t", text=text)).events == ()


def test_a_plan_a_record_word_governs_describes_a_person(analyse: Analyse) -> None:
    text = ("Afghan army troops detained a Taliban commander in Zabul on Monday. "
            "He was responsible for planning an attack on the provincial capital.")
    assert [(e.case_label, e.status) for e in analyse(text).events] == [("ARREST", "occurred")]


def test_a_gun_going_off_is_a_shooting_not_a_bomb_or_a_seized_weapon(pipeline: Any) -> None:
    text = "The rifle went off while a teenager was cleaning it in his bedroom, the sheriff said."
    found = pipeline.analyse(Document(doc_id="t", text=text)).events
    assert [e.event_type for e in found] == ["Violence against civilians"]


def test_a_headline_that_only_names_an_aim_adds_no_incident(pipeline: Any) -> None:
    text = ("Troops Target Insurgent Commanders in Wardak and Zabul\n"
            "KABUL, Afghanistan (Jan. 15) - In Kandahar province yesterday, Afghan and coalition forces "
            "detained two suspected insurgents in Maiwand district.")
    found = pipeline.analyse(Document(doc_id="t", text=text)).events
    assert [e.case_label for e in found] == ["ARREST"]
