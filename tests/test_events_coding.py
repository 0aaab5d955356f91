"""Tests of how the events stage codes an incident's ACLED sub-type from all that its sentences tell."""

from __future__ import annotations

from datetime import date

import pytest

from khabar import events
from khabar.pipeline import Pipeline
from khabar.records import Document, Event

PUBLISHED = date(2024, 5, 10)


def _sub_types(pipeline: Pipeline, text: str) -> list[str]:
    """The ACLED sub-event types of the events the whole pipeline finds in a text."""
    analysis = pipeline.analyse(Document(doc_id="t", text=text, published=PUBLISHED))
    return [e.sub_event_type for e in analysis.events]


@pytest.mark.parametrize(("text", "expected"), [
    # a protest is coded by its most escalated moment: stones thrown make it violent
    ("On Friday, students demonstrated outside the education ministry in Nairobi and hurled stones at riot police.",
     "Violent demonstration"),
    # the authorities breaking it up, told in the next sentence, make it a protest with intervention
    ("Taxi drivers protested in Lusaka on Monday against fuel prices. Police dispersed the protest and arrested "
     "nine drivers.", "Protest with intervention"),
    # nothing beyond the march: it stays peaceful
    ("Hundreds of traders marched through the market square of Dodoma on Tuesday to protest against new taxes.",
     "Peaceful protest"),
    # residents turning on suspected thieves are a mob, not an armed group
    ("Residents of Kano set upon two men accused of stealing a motorbike and injured them badly on Monday.",
     "Mob violence"),
    # locals, party supporters or farmers who beat or kill someone are a mob as well
    ("On 3 June 2023, locals beat and killed a suspected cattle thief at a market in Kandi (Kandi, Alibori).",
     "Mob violence"),
    ("On 9 March 2023, supporters of a losing candidate assaulted and injured a polling agent in Bogura town.",
     "Mob violence"),
])
def test_sub_type_follows_what_the_incident_tells(pipeline: Pipeline, text: str, expected: str) -> None:
    assert _sub_types(pipeline, text) == [expected]


def test_a_riot_told_without_its_crowd_is_the_countrys_rioters(pipeline: Pipeline) -> None:
    # no trigger word fires: the snippet is coded as a whole, and a riot's unnamed side is its rioters
    text = "On Sunday a group beat a suspected burglar before handing him to the police in Nakuru."
    analysis = pipeline.analyse(Document(doc_id="t", text=text, published=PUBLISHED))
    event = events.main_event(analysis, pipeline.event_resources)
    assert event is not None
    assert (event.event_type, event.actor1) == ("Riots", "rioters:KEN")


def _events(pipeline: Pipeline, text: str) -> tuple[Event, ...]:
    """The events the whole pipeline finds in a text."""
    return pipeline.analyse(Document(doc_id="t", text=text, published=PUBLISHED)).events


def _sides(pipeline: Pipeline, text: str) -> list[tuple[str, str, str]]:
    """The sub-type and both sides of each event the whole pipeline finds in a text."""
    return [(e.sub_event_type, e.actor1, e.actor2) for e in _events(pipeline, text)]


@pytest.mark.parametrize(("text", "expected"), [
    # ACLED codes the force a crowd faced as the second side, never the government it protested against
    ("Police fired tear gas on Tuesday to disperse opposition supporters who were protesting against the "
     "government in Kisumu, Kenya.", ("Protest with intervention", "protesters:KEN", "police:KEN")),
    # a dispersed protest whose text names no force faced the police
    ("Market vendors protesting against new levies in Cotonou, Benin, were dispersed on Monday.",
     ("Protest with intervention", "protesters:BEN", "police:BEN")),
    # demonstrators who loot and burn are rioters at a violent demonstration (ACLED codes the crowd by the act)
    ("On Monday, protesters in Kisii, Kenya, blocked the highway with burning tyres and hurled stones at "
     "motorists.", ("Violent demonstration", "rioters:KEN", "state:KEN")),
    # a mob's victim, unnamed as a party, is a civilian
    ("On Monday, a mob of residents beat a man suspected of stealing goats and burned him to death in Kitui, "
     "Kenya.", ("Mob violence", "rioters:KEN", "civilians:KEN")),
])
def test_a_crowd_events_second_side_is_who_it_faced_or_harmed(pipeline: Pipeline, text: str,
                                                              expected: tuple[str, str, str]) -> None:
    assert _sides(pipeline, text) == [expected]


def test_looted_property_of_unnamed_owners_is_the_civilians(pipeline: Pipeline) -> None:
    # ACLED codes the owners of looted or destroyed property the text does not name as the country's civilians
    text = "Armed men looted shops and stole goods at a market in Kandi, Benin, on Tuesday."
    assert _sides(pipeline, text) == [("Looting/property destruction", "unidentified:BEN", "civilians:BEN")]


def test_an_attack_on_an_armed_side_is_a_battle_not_violence_against_civilians(pipeline: Pipeline) -> None:
    # ACLED: violence against civilians targets unarmed people; police shot at a checkpoint fought a battle
    text = "Gunmen shot dead two police officers at a checkpoint in Peshawar, Pakistan, on Sunday."
    assert _sides(pipeline, text) == [("Armed clash", "unidentified:PAK", "police:PAK")]


def test_acled_codes_no_authority_as_a_protests_second_side(pipeline: Pipeline) -> None:
    # PLOVER keeps the government as the protest's target; ACLED's actor2 of a peaceful protest is empty
    text = ("Hundreds of nurses marched peacefully to the health ministry in Nairobi, Kenya, on Thursday to demand "
            "unpaid wages from the government.")
    [(sub_type, actor1, target)] = _sides(pipeline, text)
    # the text's "government" is the target; "Kenya" after the city is where, not a party
    assert (sub_type, actor1, target) == ("Peaceful protest", "protesters:KEN", "government:KEN")
    assert pipeline.registry.acled_side("Protests", target, None) == ""
    coding = pipeline.registry.coding
    assert not coding.is_acled_side("Protests", "government:KEN")
    assert coding.is_acled_side("Protests", "police:KEN")
    assert coding.is_acled_side("Battles", "government:KEN")
    assert pipeline.registry.acled_side("Riots", "state:KEN", None) == ""


@pytest.mark.parametrize(("text", "expected"), [
    # parties' activists brawling with sticks are a mob of rioters, not two armies in battle
    ("On 2 May 2024, Awami League activists clashed with BNP activists using sticks in Gaurnadi upazila "
     "(Barisal).", ("Mob violence", "rioters:BGD")),
    ("On 2 May 2024, members of Awami League clashed with members of BNP in Gaurnadi upazila (Barisal).",
     ("Mob violence", "rioters:BGD")),
    # a party's people facing an armed force is still a battle when the text says fighting
    ("On 2 May 2024, Taliban fighters clashed with Afghan police in Andar district, Ghazni province.",
     ("Armed clash", "taliban")),
])
def test_a_clash_between_party_supporters_is_mob_violence(pipeline: Pipeline, text: str,
                                                           expected: tuple[str, str]) -> None:
    analysis = pipeline.analyse(Document(doc_id="brawl", text=text, published=PUBLISHED))
    violent = [e for e in analysis.events if e.family == "violence"]
    assert violent and (violent[0].sub_event_type, violent[0].actor1) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # unorganised sides fighting over a dispute with sticks or blades are rioters on both sides, whoever they
    # are ("Benin" after the town is where, not a party)
    ("On 4 June 2024, students of two rival colleges clashed in Dhaka over a seat dispute, injuring ten.",
     ("Mob violence", "rioters:BGD", "rioters:BGD")),
    ("On 4 June 2024, two families clashed with machetes and sticks over a plot of farmland in Nikki, Benin. "
     "Three people were wounded.", ("Mob violence", "rioters:BEN", "rioters:BEN")),
    # gunfire makes a battle, and so does a community's fight (ACLED: communal militias)
    ("On 4 June 2024, two groups clashed with guns over a land dispute in Nikki, Benin. Three people were "
     "wounded.", ("Armed clash", "unidentified:BEN", None)),
    ("On 4 June 2024, two neighbouring communities clashed with machetes over a land dispute in Nikki, Benin. "
     "Three people were wounded.", ("Armed clash", "unidentified:BEN", None)),
])
def test_a_brawl_between_unorganised_sides_is_mob_violence(pipeline: Pipeline, text: str,
                                                          expected: tuple[str, str, str | None]) -> None:
    violent = [e for e in _events(pipeline, text) if e.family == "violence"]
    sub_type, actor1, actor2 = expected
    assert violent and (violent[0].sub_event_type, violent[0].actor1) == (sub_type, actor1)
    assert actor2 is None or violent[0].actor2 == actor2


@pytest.mark.parametrize("text", [
    "On 8 June 2024, unknown men hacked to death a herder near Kandi, Benin.",
    "On 8 June 2024, a herder was beaten to death by unknown men near Kandi, Benin.",
])
def test_hacked_to_death_is_an_attack_not_a_cyber_attack(pipeline: Pipeline, text: str) -> None:
    # "hack" is also a computer intrusion (a coercive political act); "hacked to death" is a killing
    found = _events(pipeline, text)
    assert [(e.event_type, e.actor2) for e in found] == [("Violence against civilians", "civilians:BEN")]


@pytest.mark.parametrize(("text", "expected"), [
    # a crowd punishing a suspected thief or a witch is mob violence (ACLED's "mob justice")
    ("On 8 June 2024, a number of people killed a suspected motorcycle thief on a road near Kerou, Benin.",
     "Mob violence"),
    ("On 8 June 2024, villagers beat to death a woman accused of witchcraft near Kerou, Benin.", "Mob violence"),
    # the suspects doing the harm, or armed men doing it, make an attack
    ("On 8 June 2024, suspected robbers killed a trader near Kerou, Benin.", "Attack"),
    ("On 8 June 2024, gunmen shot dead a suspected thief near Kerou, Benin.", "Attack"),
])
def test_a_crowd_punishing_a_suspect_is_mob_violence(pipeline: Pipeline, text: str, expected: str) -> None:
    found = _events(pipeline, text)
    assert [e.sub_event_type for e in found if e.family == "violence"] == [expected]


def test_a_rebel_group_s_killing_is_never_mob_violence(pipeline: Pipeline) -> None:
    # "villager" is a crowd word, but an organised armed group's violence is not a mob's
    text = "On 7 June 2024, Maoists killed a villager suspected of being a police informer in Bijapur district, India."
    found = _events(pipeline, text)
    assert [(e.sub_event_type, e.actor1) for e in found] == [("Attack", "cpi-maoist")]


def test_violence_told_by_a_verb_outranks_the_crime_of_its_victims(pipeline: Pipeline) -> None:
    # the traffickers are who was shot: a killing, not an organised-crime event with no ACLED type
    text = "On 8 June 2024, police shot and killed two suspected drug traffickers in a raid in Recife, Brazil."
    found = _events(pipeline, text)
    assert [e.event_type for e in found] and all(e.family == "violence" for e in found)
    arrest = "Police arrested three drug traffickers in Recife, Brazil, on 8 June 2024."
    crimes = _events(pipeline, arrest)
    assert [e.sub_event_type for e in crimes] == ["Arrests"]


def test_a_currency_s_collapse_is_no_disaster(pipeline: Pipeline) -> None:
    # a structure's collapse is a man-made disaster; a currency's is the protest's cause
    text = "On 14 June 2024, protesters set fire to banks in Tripoli, Lebanon, over the collapse of the currency."
    found = _events(pipeline, text)
    assert [(e.event_type, e.sub_event_type) for e in found] == [("Riots", "Violent demonstration")]
    building = "A five-storey building collapsed in Lagos, Nigeria, on 14 June 2024, killing ten people."
    disaster = _events(pipeline, building)
    assert [e.case_label for e in disaster] == ["MAN_MADE_DISASTER"]


def test_a_demonym_before_a_force_says_whose_it_is(pipeline: Pipeline) -> None:
    # "Iranian" is not a second side: the Guards fired, at porters, who are civilians
    text = "On 18 June 2024, Iranian Revolutionary Guards shot dead two Kurdish porters near Baneh, Iran."
    assert _sides(pipeline, text) == [("Attack", "military:IRN", "civilians:IRN")]


@pytest.mark.parametrize(("text", "target"), [
    # a demonym on a private person's noun names a civilian of that country, not its state as a side
    ("On 8 June 2024, Israeli soldiers shot dead a Palestinian man near Nablus.", "civilians:PSE"),
    ("On 8 June 2024, Syrian soldiers killed a Turkish farmer near Kilis, Turkey.", "civilians:TUR"),
    # on a force it is the force's country
    ("On 8 June 2024, Turkish troops killed two Syrian soldiers near Saraqib, Syria.", "military:SYR"),
])
def test_a_demonym_on_a_private_person_names_a_civilian(pipeline: Pipeline, text: str, target: str) -> None:
    found = [e for e in _events(pipeline, text) if e.family == "violence"]
    assert len(found) == 1 and found[0].actor2 == target
    assert found[0].actor1.startswith("military:")


@pytest.mark.parametrize(("text", "expected"), [
    # unnamed fighters on the receiving end are an unidentified armed group: a battle, not civilians attacked
    ("On 22 June 2024, the army said it killed four militants in a raid in Mir Ali, Pakistan.",
     ("Armed clash", "military:PAK", "unidentified:PAK")),
    ("On 22 June 2024, soldiers killed three bandits near Faskari, Nigeria.",
     ("Armed clash", "military:NGA", "unidentified:NGA")),
])
def test_violence_on_unnamed_fighters_is_a_battle(pipeline: Pipeline, text: str,
                                                  expected: tuple[str, str, str]) -> None:
    assert _sides(pipeline, text) == [expected]


@pytest.mark.parametrize("text", [
    "On 20 June 2024, around 200 garment workers went on strike in Gazipur, Bangladesh, over unpaid wages.",
    "On 20 June 2024, teachers staged a strike in Nairobi, Kenya, demanding higher pay.",
])
def test_going_on_strike_is_a_protest_not_a_strike_on_someone(pipeline: Pipeline, text: str) -> None:
    found = _events(pipeline, text)
    assert [(e.event_type, e.sub_event_type) for e in found] == [("Protests", "Peaceful protest")]


@pytest.mark.parametrize(("text", "expected"), [
    # force used on a crowd that did no violence is an intervention; the crowd's own violence makes it violent
    ("On 20 June 2024, police fired tear gas and rubber bullets at protesters in Lagos, Nigeria, demanding "
     "police reform.", ("Protest with intervention", "protesters:NGA", "police:NGA")),
    ("On 20 June 2024, protesters threw stones at police in Santiago, Chile, who replied with water cannon.",
     ("Violent demonstration", "rioters:CHL", "police:CHL")),
])
def test_a_violent_demonstration_needs_the_crowd_s_violence(pipeline: Pipeline, text: str,
                                                           expected: tuple[str, str, str]) -> None:
    assert _sides(pipeline, text) == [expected]


def test_a_crowd_read_as_its_country_is_the_countrys_protesters(pipeline: Pipeline) -> None:
    # "Benin" named beside the crowd made the country its first side; ACLED's crowd is always its protesters
    text = ("Hundreds of members of the Patriotic Front went down into the streets of Porto-Novo, the capital of "
            "Benin, to demand lower fuel prices.")
    event = events.main_event(pipeline.analyse(Document(doc_id="t", text=text)), pipeline.event_resources)
    assert event is not None
    assert (event.sub_event_type, event.actor1) == ("Peaceful protest", "protesters:BEN")
    assert "state:BEN" not in event.associated


@pytest.mark.parametrize(("text", "expected"), [
    # a verb phrase split by its object still triggers ("beat ... to death")
    ("Residents of Kalale, Benin, beat a suspected cattle thief to death on Sunday after catching him with two "
     "stolen cows.", [("Mob violence", "rioters:BEN", "civilians:BEN")]),
    # the phrase's rest must hang on its verb: a drum beaten to celebrate a death is no killing
    ("He went to the market in Kalale, Benin, and beat the drum to celebrate the death of the chief.", []),
])
def test_a_phrase_split_by_its_object(pipeline: Pipeline, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _sides(pipeline, text) == expected


def test_the_joint_subject_of_an_exchange_of_fire_names_its_two_sides(pipeline: Pipeline) -> None:
    # "fire" belongs to the trigger's phrase: it is no object that would make the second subject an ally
    found = _sides(pipeline, "On 10 July 2020, Indian and Pakistani troops exchanged fire in Poonch district.")
    assert found == [("Armed clash", "military:IND", "military:PAK")]


@pytest.mark.parametrize(("text", "expected"), [
    # what a noun trigger's verb aims it at is its target: the police who keep the station
    ("On 14 July 2020, unknown assailants threw a grenade at a police station in Garissa, Kenya.",
     [("Grenade", "unidentified:KEN", "police:KEN")]),
    # a date after "on" only says when
    ("Gunmen fired rockets on 3 May 2021 at an army base in Kunar province, Afghanistan.",
     [("Shelling/artillery/missile attack", "unidentified:AFG", "military:AFG")]),
])
def test_the_target_a_verb_aims_its_weapon_at(pipeline: Pipeline, text: str,
                                              expected: list[tuple[str, str, str]]) -> None:
    assert _sides(pipeline, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # unnamed people arrested are civilians, as ACLED codes them, not the country that arrests them
    ("On 3 March 2021, police arrested 12 traders in Cotonou, Benin, for selling smuggled fuel.",
     [("Arrests", "police:BEN", "civilians:BEN")]),
    # suspected fighters detained are no civilians
    ("On 3 March 2021, soldiers detained four suspected militants in Kandi, Benin.", [("Arrests", "military:BEN", "")]),
])
def test_who_an_arrest_takes(pipeline: Pipeline, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _sides(pipeline, text) == expected


def test_security_forces_facing_a_crowd_are_the_police(pipeline: Pipeline) -> None:
    # ACLED codes a country's "security forces" at a protest as its police; in a battle they stay its military
    protest = _sides(pipeline, "On 26 July 2020, security forces fired tear gas at protesters in Nairobi, Kenya.")
    battle = _sides(pipeline, "On 15 April 2021, security forces clashed with JNIM militants in Karimama, Benin.")
    assert [(sub, actor1) for sub, actor1, _ in protest] == [("Excessive force against protesters", "police:KEN")]
    assert battle == [("Armed clash", "military:BEN", "jnim")]
