from datetime import date

import pytest

from khabar.ingest import content_id
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document


@pytest.fixture(scope="module")
def analyse(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    def run(text: str) -> Analysis:
        doc = Document(content_id(text), text, published=date(2022, 5, 3), published_source="metadata")
        return pipeline.analyse(doc)
    return run


def test_speaker_stance_numbers_and_denial(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("Taliban spokesman Zabiullah Mujahid said on Tuesday that 40 fighters of the Islamic State had "
                "been detained in Kabul. The Islamic State denied the report.")
    first, second = a.claims
    assert first.speaker == "zabiullah-mujahid"
    assert first.stance == "asserts"
    assert any(q.best == 40 for q in first.quantities)
    assert second.stance == "denies"
    assert first.disputed_by == (second.speaker,)


def test_unresolved_speakers_and_a_disputed_figure(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("The interior ministry said more than 300 militants were killed in the offensive. "
                "A local analyst disputed the figure, saying fewer than 50 had died.")
    claim, dispute = a.claims
    assert claim.speaker_text == "The interior ministry"
    # "more than 300" is a strict floor on a head count: at least 301 (see quantities.yaml)
    assert claim.quantities and claim.quantities[0].low == 301 and claim.quantities[0].qualifier == "more than"
    assert dispute.stance == "disputes"
    assert claim.disputed_by == ("A local analyst",)


def test_a_number_without_a_speaker_is_the_authors_claim(analyse) -> None:  # type: ignore[no-untyped-def]
    [claim] = analyse("Nearly 60 percent of the population lives below the poverty line.").claims
    assert claim.speaker == "author"
    assert claim.quantities[0].kind == "percent"


def test_relations_from_cues_affiliation_and_titles(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("The Islamic State Khorasan Province, an affiliate of the Islamic State, has fought the Taliban "
                "since 2015. Taliban spokesman Zabiullah Mujahid dismissed the group.")
    found = {(r.a, r.type, r.b) for r in a.relations}
    assert ("islamic-state-khorasan-province", "affiliate_of", "islamic-state") in found
    assert ("islamic-state-khorasan-province", "hostile", "taliban") in found
    assert ("zabiullah-mujahid", "member_of", "taliban") in found
    assert ("islamic-state", "hostile", "taliban") not in found
    assert len(found) == len(a.relations), "each pair and type once per document"


def test_it_said_takes_the_organisation_heading_the_previous_sentence(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("In March the United Nations published a report on the country. "
                "It said that 210 civilians were killed.")
    [claim] = [c for c in a.claims if c.quantities]
    assert claim.speaker == "united-nations"


def test_a_passive_reporting_verb_without_an_agent_is_the_authors_claim(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("Rebel ranks in the hills are estimated at 3,000 men by some observers. "
                "It is estimated that 40 percent of them are foreigners.")
    assert [c.speaker for c in a.claims] == ["author", "author"]


def test_such_data_was_provided_by_gives_the_figures_before_it_their_source(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("The group has about 2,000 fighters. About 500 of them are based near the border. "
                "Such figures were given by Taliban spokesman Zabiullah Mujahid on Monday.\n\n"
                "Aid agencies counted 300 displaced families.")
    speakers = [c.speaker for c in a.claims if c.quantities]
    assert speakers == ["zabiullah-mujahid", "zabiullah-mujahid", "author"]


def test_anti_x_noun_tied_to_a_party_gives_a_hostile_relation(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("The best known of the anti-Taliban factions is the National Resistance Front, its backers say.")
    assert ("national-resistance-front", "taliban", "hostile") in {(r.a, r.b, r.type) for r in a.relations}
    b = analyse("Its anti-Pakistan and anti-Iran slogans mattered less to recruits after a decade.")
    assert not any({r.a, r.b} == {"state:PAK", "state:IRN"} for r in b.relations)


def test_an_exercise_involving_listed_states_relates_them(analyse) -> None:  # type: ignore[no-untyped-def]
    a = analyse("Drills involving naval units of Pakistan, Turkey and Azerbaijan opened off the coast on Tuesday.")
    pairs = {(r.a, r.b) for r in a.relations if r.type == "cooperative"}
    assert pairs >= {("state:PAK", "state:TUR"), ("state:PAK", "state:AZE")}
