"""Tests of the events stage's actor roles: dependency patterns, parties, fallback roles, tellers and claims."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from events_support import Analyse, events_runner, violent, with_person, with_place
from khabar import events
from khabar.pipeline import Pipeline
from khabar.records import ActorMention, Analysis, Document, Event, Place, PlaceMention


@pytest.fixture(scope="module")
def resources() -> events.EventResources:
    return events.load_event_resources()


@pytest.fixture(scope="module")
def analyse(pipeline: Pipeline, resources: events.EventResources) -> Analyse:
    return events_runner(pipeline.model, resources)


# --- patterns: the agent and target sides of a trigger ---


def test_passive_voice_roles(analyse: Analyse) -> None:
    analysis = analyse("Four soldiers were killed by Taliban fighters in an ambush in Zabul.")
    event = violent(analysis)[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")
    assert event.event_type == "Battles"
    assert {f.field for f in event.field_evidence} >= {"type", "actor1", "actor2"}


def test_civilian_target_gives_one_sided_violence(analyse: Analyse) -> None:
    analysis = analyse("A suicide bomber attacked Sufi worshippers at a shrine in Sindh.")
    event = violent(analysis)[0]
    assert event.actor2.startswith("civilians")
    assert event.plover_type == "ASSAULT"
    assert event.sub_event_type == "Suicide bomb"


def test_participants_of_a_political_noun(analyse: Analyse) -> None:
    analysis = analyse("Last week a joint exercise involving troops from Russia and Tajikistan ended.")
    [event] = [e for e in analysis.events if e.plover_type == "MOBILIZE"]
    assert event.actor1 == "state:RUS"


def test_the_other_side_of_a_clash_is_the_target(analyse: Analyse) -> None:
    event = violent(analyse("Taliban fighters clashed with the Afghan army near the dam on Friday."))[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")


@pytest.mark.parametrize("fire", ["mortar fire", "heavy fire", "gunfire"])
def test_the_side_fire_was_exchanged_with_is_the_target(analyse: Analyse, fire: str) -> None:
    event = violent(analyse(f"Taliban fighters exchanged {fire} with the Afghan army near the dam on Friday."))[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")


def test_agent_of_a_participle_modifying_the_trigger(analyse: Analyse) -> None:
    text = "Six Taliban were killed in an airstrike conducted by the Afghan army in Zabul."
    event = violent(analyse(text))[0]
    assert (event.actor1, event.actor2) == ("military:AFG", "taliban")


def test_indirect_object_is_the_target(analyse: Analyse) -> None:
    event = analyse("Russia offered Tajikistan military aid.").events[0]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_recipient_after_to_is_the_target(analyse: Analyse) -> None:
    analysis = analyse("Russia, backed by Uzbekistan, sent aid to Tajikistan on Monday.")
    [event] = [e for e in analysis.events if e.plover_type == "AID"]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_stance_in_the_present_passive_is_held_by_its_subject(analyse: Analyse) -> None:
    found = analyse("Russia is opposed to Tajikistan's new border plan.").events
    assert [(e.actor1, e.actor2) for e in found if e.family == "political"] == [("state:RUS", "state:TJK")]


def test_a_complaint_targets_what_it_is_over_not_its_addressee(analyse: Analyse) -> None:
    analysis = analyse("Tajikistan complained to Uzbekistan on Monday over raids by Russia near the border.")
    complaint = [e for e in analysis.events if e.plover_type == "DISAPPROVE"]
    assert complaint and complaint[0].actor1 == "state:TJK" and complaint[0].actor2 != "state:UZB"


def test_a_verb_coordinated_with_another_shares_its_subject(analyse: Analyse) -> None:
    text = "The police say Taliban fighters crossed the river at dawn and then attacked two checkpoints."
    [event] = violent(analyse(text))
    assert event.actor1 == "taliban"


def test_a_coordinated_subject_gives_both_parties_of_an_agreement(analyse: Analyse) -> None:
    text = "Russia and Tajikistan agreed on Friday to a joint border patrol."
    analysis = analyse(text)
    [event] = [e for e in analysis.events if e.plover_type == "AGREE"]
    assert {event.actor1, event.actor2} == {"state:RUS", "state:TJK"}


def test_no_civilians_harmed_names_no_party_of_the_operation(analyse: Analyse) -> None:
    text = "Reports indicate no civilians were harmed during this operation."
    assert all(e.actor2 == "" for e in analyse(text).events)


# --- parties: whom a mention stands for ---


def test_bare_singular_victim_takes_the_document_country(analyse: Analyse) -> None:
    text = "A policeman was shot dead by the Taliban near a base of the Afghan army."
    event = violent(analyse(text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "police:AFG")


def test_an_attacked_installation_stands_for_its_force(analyse: Analyse) -> None:
    text = "The Taliban attacked a police checkpoint in Zabul, Afghan army officers said."
    event = violent(analyse(text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "police:AFG")


def test_a_resolved_place_is_not_a_party(analyse: Analyse, resources: events.EventResources) -> None:
    text = "Taliban fighters raided Karez Bagh village before dawn."
    analysis = analyse(text)
    start = text.index("Karez Bagh")
    evidence = analysis.evidence(start, start + len("Karez Bagh"))
    place = PlaceMention(evidence, "Karez Bagh", Place("p1", "Karez Bagh", 31.0, 64.0, country="AF", feature="village"))
    person = ActorMention(evidence, "provisional:karez-bagh", "Karez Bagh", "person", kind="provisional")
    actors = tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start))
    analysis = replace(analysis, actors=actors, places=(place,), events=())
    event = violent(events.extract_events(analysis, resources))[0]
    assert event.actor1 == "taliban"
    assert event.actor2 != "provisional:karez-bagh"


def test_a_country_s_namesake_placed_in_another_country_is_no_party(
    analyse: Analyse, resources: events.EventResources
) -> None:
    text = "A gunman shot two farmers at a gas station in Columbia on Sunday."
    analysis = with_place(analyse(text), "Columbia", "US")
    start = text.index("Columbia")
    namesake = ActorMention(analysis.evidence(start, start + len("Columbia")), "state:COL", "Colombia", "state")
    found = events.extract_events(replace(analysis, actors=(namesake,)), resources)
    assert violent(found) and all("state:COL" not in (e.actor1, e.actor2, *e.associated) for e in found.events)


def test_an_unregistered_person_acts_for_their_organisation(analyse: Analyse, resources: events.EventResources) -> None:
    analysis = analyse("Envoy Karim Saidov met Russia officials in Dushanbe on Monday.")
    start = analysis.document.text.index("Karim Saidov")
    person = ActorMention(
        analysis.evidence(start, start + len("Karim Saidov")), "provisional:karim-saidov", "Karim Saidov", "person",
        affiliation="state:TJK",
    )
    analysis = replace(analysis, actors=tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start)))
    [event] = [e for e in events.extract_events(replace(analysis, events=()), resources).events
               if e.plover_type == "CONSULT"]
    assert event.actor1 == "state:TJK"


def test_an_untied_office_holder_acts_for_the_government_where_they_act(
    analyse: Analyse, resources: events.EventResources
) -> None:
    text = "President Karim Saidov on Monday imposed a curfew in Khujand."
    analysis = with_place(analyse(text), "Khujand", "TJ")
    start = text.index("Karim Saidov")
    person = ActorMention(
        analysis.evidence(start, start + len("Karim Saidov")), "provisional:karim-saidov", "Karim Saidov", "person",
        kind="provisional", role="president",
    )
    analysis = replace(analysis, actors=(person,))
    [event] = [e for e in events.extract_events(analysis, resources).events if e.family == "political"]
    assert event.actor1 == "government:TJK"


@pytest.mark.parametrize(
    ("text", "role", "actor1"),
    [
        ("President Karim Saidov banned opposition parties in Tajikistan on Monday.", "president", "government:TJK"),
        ("General Karim Saidov resigned on Monday to let Tajikistan hold elections.", "general", "military:TJK"),
    ],
)
def test_an_office_holder_with_no_place_acts_for_the_country_the_sentence_names(
    analyse: Analyse, resources: events.EventResources, text: str, role: str, actor1: str
) -> None:
    analysis = with_person(analyse(text), "Karim Saidov", role)
    [event] = [e for e in events.extract_events(analysis, resources).events if e.family == "political"]
    assert event.actor1 == actor1


def test_an_untitled_unregistered_person_as_target_is_a_civilian_of_the_country(
    analyse: Analyse, resources: events.EventResources
) -> None:
    text = "Uzbekistan accused Karim Saidov of fraud in Khujand."
    analysis = with_person(with_place(analyse(text), "Khujand", "TJ"), "Karim Saidov", "")
    [event] = [e for e in events.extract_events(analysis, resources).events if e.family == "political"]
    assert (event.actor1, event.actor2) == ("state:UZB", "civilians:TJK")
    assert "provisional:x" in event.associated


def test_a_named_own_country_object_stands_for_that_country(analyse: Analyse) -> None:
    analysis = analyse("Russia will allow the families of Russia's prisoners to visit them.")
    political = [e for e in analysis.events if e.family == "political"]
    assert political and all(e.actor2 == "government:RUS" for e in political)


# --- roles: fallback parties, crowds, domestic and foreign targets, tellers ---


def test_victims_in_the_next_sentence_fill_the_target(analyse: Analyse) -> None:
    text = "The Taliban ambushed a convoy on the highway at dawn. Three soldiers died and two were hurt."
    event = violent(analyse(text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")


def test_a_group_suspected_in_the_next_sentence_is_the_attacker(analyse: Analyse) -> None:
    text = "A mortar attack hit a crowded market on Friday. The Taliban are suspected."
    event = violent(analyse(text))[0]
    assert event.actor1 == "taliban"


def test_political_target_falls_back_to_a_later_party(analyse: Analyse) -> None:
    analysis = analyse("Russia, citing the drought, on Monday pledged new loans for Tajikistan.")
    [event] = [e for e in analysis.events if e.plover_type == "AID"]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_political_act_without_a_named_target_concerns_its_country(
    analyse: Analyse, resources: events.EventResources
) -> None:
    analysis = with_place(analyse("Russia on Monday imposed a curfew in Khujand."), "Khujand", "TJ")
    [event] = [e for e in events.extract_events(analysis, resources).events if e.family == "political"]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_political_act_with_no_target_concerns_the_actors_own_country(analyse: Analyse) -> None:
    [event] = analyse("Russia banned opposition newspapers on Monday.").events
    assert (event.plover_type, event.actor1, event.actor2) == ("COERCE", "state:RUS", "government:RUS")


@pytest.mark.parametrize(
    "text", ["Russia offered its troops to Tajikistan on Monday.", "Russia will withdraw its troops from Tajikistan."]
)
def test_own_troops_are_the_means_and_the_other_country_the_target(analyse: Analyse, text: str) -> None:
    [event] = analyse(text).events
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_force_used_at_a_place_abroad_targets_that_country(analyse: Analyse, resources: events.EventResources) -> None:
    analysis = with_place(analyse("Russia's tanks fired shells at Khujand on Monday."), "Khujand", "TJ")
    [event] = events.extract_events(analysis, resources).events
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_protest_crowd_is_coded_as_protesters(analyse: Analyse) -> None:
    text = "On Sunday hundreds of shopkeepers protested against the police over new taxes."
    [event] = [e for e in analyse(text).events if e.event_type == "Protests"]
    assert event.actor1 == "protesters:AFG"


def test_a_demonym_crowd_protesting_is_coded_as_protesters(analyse: Analyse) -> None:
    [event] = analyse("Hundreds of Uzbekistan students protested outside the Russia embassy.").events
    assert event.actor1 == "protesters:UZB"


def test_armed_men_in_a_riot_stay_armed(analyse: Analyse) -> None:
    [event] = violent(analyse("A spokesman said gunmen stormed the Russia embassy."))
    assert event.actor1 == "unidentified:RUS"


def test_the_teller_of_a_political_act_is_not_its_target(analyse: Analyse) -> None:
    text = "Russia demanded new elections on Monday, a spokesman for Uzbekistan said."
    [event] = analyse(text).events
    assert event.actor1 == "state:RUS"
    assert event.actor2 != "state:UZB"


def test_the_teller_of_an_attack_is_not_its_target(analyse: Analyse) -> None:
    [event] = violent(analyse("The Taliban attacked overnight, police said."))
    assert (event.actor1, event.actor2) == ("taliban", "")


def test_the_speaker_of_a_sentence_is_no_party_of_an_attack_it_mentions(analyse: Analyse) -> None:
    text = (
        "Twelve farmers died when a gunman opened fire at a village well on Sunday, "
        "police said, in the worst attack since the Taliban left the district."
    )
    [event] = violent(analyse(text))
    assert event.actor1 != "police:AFG" and event.actor2 != "taliban"


def test_the_teller_of_an_attack_is_not_its_author_when_the_clause_names_another_doer(analyse: Analyse) -> None:
    text = "The police say a lone man attacked the checkpoint overnight near the pass."
    [event] = violent(analyse(text))
    assert event.actor1 != "police:AFG"


def test_a_teller_of_an_agentless_toll_may_be_its_author(analyse: Analyse) -> None:
    [event] = violent(analyse("The police said 12 Taliban fighters were killed in the raid."))
    assert (event.actor1, event.actor2) == ("police:AFG", "taliban")


def test_a_teller_speaking_of_itself_is_the_author(analyse: Analyse) -> None:
    [event] = violent(analyse("The police said they raided a Taliban hideout on Monday."))
    assert event.actor1 == "police:AFG"


@pytest.mark.parametrize(
    "text",
    [
        "The police confirmed the attack on a checkpoint near the pass on Monday.",
        "The police said a roadside bomb killed five farmers near the pass on Monday.",
        "The police said the man shot the shopkeeper outside the bakery on Monday.",
        "A truck bomb wounded six farmers near the pass, the police reported on Monday.",
    ],
)
def test_a_reporting_subject_is_the_source_not_the_author(analyse: Analyse, text: str) -> None:
    found = violent(analyse(text))
    assert found and all(e.actor1 != "police:AFG" for e in found)


def test_an_agentless_toll_told_by_a_force_of_its_own_raid_keeps_the_teller_as_author(analyse: Analyse) -> None:
    [event] = violent(analyse("The police said 12 Taliban fighters were killed in the raid on Monday."))
    assert event.actor1 == "police:AFG"


def test_the_arrest_of_someone_is_done_to_them(analyse: Analyse) -> None:
    [event] = [e for e in analyse("The police announced the arrest of a Taliban commander.").events
               if e.plover_type == "COERCE"]
    assert event.actor2 == "taliban"


def _targets(analysis: Analysis) -> list[tuple[str, str]]:
    """The actor2 of each violent event with the words its evidence points at."""
    return [(e.actor2, f.evidence.text) for e in violent(analysis) for f in e.field_evidence if f.field == "actor2"]


@pytest.mark.parametrize(
    ("text", "victim"),
    [
        ("A 16-year-old girl was shot near the old bridge in Dayton on Sunday.", "girl"),
        ("Three men were wounded by gunfire outside a bar in Dayton on Sunday.", "men"),
        ("A gunman shot the cashier of a gas station in Dayton on Sunday.", "cashier"),
    ],
)
def test_a_private_person_as_victim_is_a_civilian_of_the_country(
    analyse: Analyse, resources: events.EventResources, text: str, victim: str
) -> None:
    analysis = events.extract_events(with_place(analyse(text), "Dayton", "US"), resources)
    assert ("civilians:USA", victim) in _targets(analysis)


def test_an_armed_person_is_no_civilian_victim(analyse: Analyse) -> None:
    analysis = analyse("The soldiers shot an armed man near the gate on Sunday.")
    assert violent(analysis) and not [t for t in _targets(analysis) if t[0].startswith("civilians")]


def test_a_partner_of_the_attacker_is_not_its_target(analyse: Analyse) -> None:
    [event] = violent(analyse("The Afghan army shelled a depot during a joint police and Afghan army operation."))
    assert event.actor1 == "military:AFG" and event.actor2 != "police:AFG"


def test_the_joint_subject_of_a_clash_names_its_two_sides(analyse: Analyse) -> None:
    [event] = violent(analyse("The police and the Afghan army clashed near the pass on Monday."))
    assert {event.actor1, event.actor2} == {"police:AFG", "military:AFG"}


def test_a_relative_pronoun_stands_for_the_person_it_follows(
    analyse: Analyse, resources: events.EventResources
) -> None:
    text = "Farmers fear Dale Morrow, who shot two herders near the pass in May."
    analysis = events.extract_events(with_person(analyse(text), "Dale Morrow", ""), resources)
    assert [e.actor1 for e in violent(analysis)] == ["provisional:x"]


def test_a_private_person_as_agent_names_no_actor(analyse: Analyse) -> None:
    [event] = violent(analyse("A man shot two soldiers at the gate on Sunday."))
    # the man is no actor of his own: ACLED's unnamed attacker stands in, of the country whose soldiers he shot
    assert event.actor1 == "unidentified:AFG" and event.actor2 == "military:AFG"


def test_detaining_an_unnamed_party_does_not_target_the_country(
    analyse: Analyse, resources: events.EventResources
) -> None:
    analysis = with_place(analyse("The police detained two insurgents in Khujand on Monday."), "Khujand", "TJ")
    [event] = [e for e in events.extract_events(analysis, resources).events if e.plover_type == "COERCE"]
    assert event.actor1 == "police:AFG" and not event.actor2.startswith(("state:", "government:"))


# --- the whole pipeline: named people, home towns and national forces ---


def _pipeline_events(pipeline: Pipeline, text: str) -> list[Event]:
    """The violent and coercive events of a text run through the whole pipeline."""
    analysis = pipeline.analyse(Document("r", text, published=date(2021, 5, 3), published_source="metadata"))
    return [e for e in analysis.events if e.family == "violence" or e.plover_type == "COERCE"]


def test_a_named_person_who_opens_fire_is_actor1(pipeline: Pipeline) -> None:
    text = "Dale Morrow opened fire on shoppers at a mall in Dayton, Ohio, on Friday."
    assert [e.actor1 for e in _pipeline_events(pipeline, text)] == ["provisional:dale-morrow"]


def test_a_lone_surname_with_an_age_is_the_person_named_before(pipeline: Pipeline) -> None:
    text = "Dale Morrow was charged on Monday. Morrow, 41, shot a cashier at a gas station in Dayton, Ohio, in May."
    found = [e for e in _pipeline_events(pipeline, text) if e.family == "violence"]
    assert found and found[0].actor1 == "provisional:dale-morrow"


def test_a_home_town_is_never_a_party(pipeline: Pipeline) -> None:
    text = "Ruth Kellner, 29, of Columbia, was shot in the leg outside a bar in Macon, Georgia, on Sunday."
    found = _pipeline_events(pipeline, text)
    parties = {a for e in found for a in (e.actor1, e.actor2, *e.associated)}
    assert found and not parties & {"state:COL", "state:GEO"}


@pytest.mark.parametrize(
    "text",
    [
        "An Afghan-led security force detained two Taliban commanders in Zabul province on Monday.",
        "Afghan and coalition forces detained two Taliban commanders in Zabul province on Monday.",
        "Afghan National Security Forces detained two Taliban commanders in Zabul province on Monday.",
    ],
)
def test_national_security_forces_are_the_country_s_military(pipeline: Pipeline, text: str) -> None:
    [event] = _pipeline_events(pipeline, text)
    assert (event.actor1, event.actor2) == ("military:AFG", "taliban")
    assert "state:AFG" not in event.associated


def test_coalition_forces_beside_national_forces_are_an_associated_nato_actor(pipeline: Pipeline) -> None:
    text = "Afghan and coalition forces detained two Taliban commanders in Zabul province on Monday."
    [event] = _pipeline_events(pipeline, text)
    assert "nato" in event.associated


def test_condemning_an_attack_does_not_make_the_condemner_its_author(analyse: Analyse) -> None:
    text = "A roadside bomb hit a bus near Herat on Monday. The Taliban condemned the bombing on Tuesday."
    assert all(e.actor1 != "taliban" for e in violent(analyse(text)))


def test_who_responds_to_an_attack_is_not_its_author(analyse: Analyse) -> None:
    text = "Afghan police responded to a shooting at a market in Herat on Monday."
    events_found = violent(analyse(text))
    assert events_found and all(e.actor1 != "police:AFG" for e in events_found)


def test_who_responds_with_force_is_the_author_of_that_force(pipeline: Pipeline) -> None:
    text = "Afghan troops responded to the ambush in Zabul with air strikes on Taliban positions."
    assert any(e.actor1 == "military:AFG" and e.actor2 == "taliban" for e in _pipeline_events(pipeline, text))


def test_a_judging_subject_keeps_the_act_of_its_own_relative_clause(analyse: Analyse) -> None:
    text = "A bomb hit a bus near Herat. The Taliban, who stormed the town on Monday, condemned the bombing."
    analysis = analyse(text)
    stormed = [e for e in analysis.events if any(f.evidence.text == "stormed" for f in e.field_evidence)]
    assert stormed and stormed[0].actor1 == "taliban"
    assert all(e.actor1 != "taliban" for e in violent(analysis) if e is not stormed[0])


def test_no_victim_is_taken_from_a_negated_clause(analyse: Analyse, resources: events.EventResources) -> None:
    text = (
        "The security force killed two insurgents in an airstrike on Monday. "
        "The strike did not injure any civilians or damage any homes."
    )
    analysis = analyse(text)
    mentions = [
        ActorMention(analysis.evidence(m.start(), m.end()), "civilians:AFG", "civilians", "civilians")
        for m in re.finditer("civilians", text)
    ]
    actors = tuple(sorted([*analysis.actors, *mentions], key=lambda m: m.evidence.start))
    analysis = replace(analysis, events=(), actors=actors)
    found = events.extract_events(analysis, resources)
    assert all(e.actor2 != "civilians:AFG" for e in found.events if e.status != "negated")


# --- responsibility: claims, attributions and denials ---


def test_claim_with_channel_attaches_to_earlier_event(analyse: Analyse) -> None:
    text = (
        "A bomb went off in a crowded market in Jalalabad on Friday, killing six people. "
        "ISKP claimed responsibility for the blast on its Telegram channel."
    )
    found = violent(analyse(text))
    assert len(found) == 1
    assert (found[0].claimed_by, found[0].claim_channel) == ("islamic-state-khorasan-province", "Telegram")
    assert found[0].actor1 == "islamic-state-khorasan-province"
    assert len(found[0].evidence) == 2


def test_attribution_is_not_a_claim(analyse: Analyse) -> None:
    text = (
        "A blast struck a shrine in Herat on Thursday, killing four worshippers. "
        "The Taliban said that the bombing was carried out by Islamic State militants."
    )
    event = violent(analyse(text))[0]
    assert event.attributed_by == "taliban"
    assert event.actor1 == "islamic-state"
    assert event.claimed_by == ""


def test_denial_of_responsibility(analyse: Analyse) -> None:
    text = (
        "Gunmen shot dead two teachers in Khost on Sunday. "
        "The Taliban denied responsibility for the killing."
    )
    event = violent(analyse(text))[0]
    assert event.denied_by == "taliban"
    assert event.claimed_by == ""


def test_people_of_a_country_killed_are_not_its_state_attacking(pipeline: Pipeline) -> None:
    text = ("The number of Afghans killed in yesterday's suicide bombing at Kabul airport has risen to at least 79, "
            "a hospital official said on Friday.")
    [event] = pipeline.analyse(Document(doc_id="t", text=text)).events
    assert not event.actor1.startswith("state:")


def _violent_in(pipeline: Pipeline, text: str, published: date) -> list[Event]:
    """The violent events the whole pipeline finds in a text published on a day."""
    return violent(pipeline.analyse(Document("roles", text, published=published)))


def test_a_force_named_by_a_common_noun_belongs_to_the_country_of_the_place(pipeline: Pipeline) -> None:
    # the armed group points the actors stage to its home country; the place says whose police these were
    text = ("On 26 April 2022, JNIM burned a police station and killed a policeman in Karimama subdivision "
            "(Alibori). JNIM later claimed responsibility for the attack.")
    found = _violent_in(pipeline, text, date(2022, 4, 28))
    assert found and found[0].actor2 == "police:BEN"


def test_a_force_named_with_its_country_keeps_it(pipeline: Pipeline) -> None:
    text = "On 3 May 2022, JNIM militants killed two Nigerien soldiers in Segbana (Segbana, Alibori)."
    found = _violent_in(pipeline, text, date(2022, 5, 5))
    assert found and found[0].actor2 == "military:NER"


def test_crowds_fighting_each_other_are_rioters_on_both_sides(pipeline: Pipeline) -> None:
    text = ("On 1 October 2017, villagers from Gaya and villagers from Garou fought in Garou (Malanville, Alibori) "
            "over a dispute about a marriage.")
    found = _violent_in(pipeline, text, date(2017, 10, 3))
    assert found and (found[0].sub_event_type, found[0].actor1, found[0].actor2) == (
        "Mob violence", "rioters:BEN", "rioters:BEN")


def test_a_mob_that_harms_someone_has_civilians_as_its_victims(pipeline: Pipeline) -> None:
    text = "On 12 December 2021, a mob of angry residents lynched a suspected thief in Parakou (Parakou, Borgou)."
    found = _violent_in(pipeline, text, date(2021, 12, 14))
    assert found and (found[0].actor1, found[0].actor2) == ("rioters:BEN", "civilians:BEN")


def test_pirates_are_the_pirates_of_the_coast_they_attack_off(pipeline: Pipeline) -> None:
    # the crew's nationality points the actors stage to the Philippines; the port says whose coast it was
    text = "Pirates kidnapped nine Philippine crew members from a tanker close to Cotonou port on 2 November 2019."
    found = _violent_in(pipeline, text, date(2019, 11, 4))
    assert found and found[0].actor1 == "pirates:BEN"


def test_a_force_whose_country_opens_the_sentence_keeps_it(pipeline: Pipeline) -> None:
    text = ("Nigerian soldiers clashed with Beninese police officers in Kabo (Tchaourou, Borgou) on 25 May 2022 "
            "while chasing a smuggler.")
    found = _violent_in(pipeline, text, date(2022, 5, 27))
    assert found and {found[0].actor1, found[0].actor2} == {"military:NGA", "police:BEN"}
