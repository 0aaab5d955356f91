"""Tests of events.tolls and events.toll_index: the toll of an event trigger, read from the quantities stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

import khabar
from khabar import quantities as qx
from khabar.events.toll_index import toll_index
from khabar.events.tolls import possessed, toll_near
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Quantity, Toll

Analyse = Callable[[str], Analysis]
LEXICON = qx.load_lexicon()  # one lexicon for every test here, as a pipeline builds one for its stages


@pytest.fixture(scope="module")
def analyse(quantities_analyse: Analyse) -> Analyse:
    """Texts through the time and quantities stages (the shared fixture of tests/conftest.py)."""
    return quantities_analyse


def _of_kind(analysis: Analysis, kind: str) -> list[Quantity]:
    """The quantities of one kind."""
    return [q for q in analysis.quantities if q.kind == kind]


def _toll(analysis: Analysis, trigger: str, kind: str) -> Toll | None:
    """The toll of a kind near a trigger word."""
    start = analysis.document.text.index(trigger)
    return toll_near(toll_index(analysis, LEXICON), start, start + len(trigger), kind)


def test_a_summed_group_is_one_toll(analyse: Analyse) -> None:
    analysis = analyse("The blast killed 40 villagers and 6 police officers near the gate.")
    toll = _toll(analysis, "killed", "killed")
    assert toll is not None and (toll.low, toll.best, toll.high) == (46, 46, 46)


def test_unknown_toll_is_none_not_zero(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded near the market.")
    assert _toll(analysis, "exploded", "killed") is None


def test_explicit_zero_toll(analyse: Analyse) -> None:
    analysis = analyse("A bomb exploded near the market but no one was hurt.")
    toll = _toll(analysis, "exploded", "wounded")
    assert toll is not None and (toll.low, toll.best, toll.high) == (0, 0, 0)


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


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # the victim is the object of another verb; the relative clause on it tells its fate
        ("Police identified the 6-year-old girl who died Sunday after being shot in the chest.", "shot"),
        ("Friends mourned Omar Lutz, 17, who was shot to death outside a shop on Sunday.", "shot"),
        # the dying verb joined to the harm after a long adjunct
        ("The boy was shot in the face with a pistol at his home on Sunday and died at the hospital.", "shot"),
    ],
)
def test_a_victims_death_told_in_a_relative_or_joined_clause_counts(analyse: Analyse, text: str, trigger: str) -> None:
    toll = _toll(analyse(text), trigger, "killed")
    assert toll is not None and toll.best == 1


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("The number of villagers killed in the raid on the market has risen to at least 41, officials said.", 41),
        ("By Sunday the number of people who died in the flooding of the dam had climbed to 18.", 18),
    ],
)
def test_a_count_of_victims_grown_to_a_figure_is_the_toll(analyse: Analyse, text: str, best: int) -> None:
    assert [q.best for q in _of_kind(analyse(text), "killed")] == [best]


def test_a_count_of_things_grown_to_a_figure_is_no_toll(analyse: Analyse) -> None:
    analysis = analyse("The number of schools in the district has risen to 79, the governor said.")
    assert _of_kind(analysis, "killed") == []


def test_an_indefinite_new_act_ends_the_toll_of_the_one_before(analyse: Analyse) -> None:
    text = ("Officials said the bombing of the bazaar was the work of one man. Elders asked for calm. "
            "A drone strike in the eastern valley killed two fighters.")
    assert _toll(analyse(text), "bombing", "killed") is None


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Omar Lutz, 16, suffered a gunshot wound in his leg on Friday and later died in a clinic.", "gunshot"),
        ("Teen shot and killed near the river on Sunday", "shot"),
    ],
)
def test_a_single_victims_death_in_a_joined_verb_or_a_headline_counts(analyse: Analyse, text: str,
                                                                      trigger: str) -> None:
    toll = _toll(analyse(text), trigger, "killed")
    assert toll is not None and toll.best == 1


def test_the_killer_in_a_relative_clause_is_no_death(analyse: Analyse) -> None:
    analysis = analyse("Police arrested the man who killed his neighbour on Sunday.")
    assert [q.best for q in _of_kind(analysis, "killed")] == [1]  # the neighbour, not the man


def test_toll_of_an_earlier_attack_in_a_relative_clause_is_not_tied(analyse: Analyse) -> None:
    analysis = analyse("Troops detained a commander. He planned an attack that killed four soldiers.")
    assert _toll(analysis, "detained", "killed") is None
    assert _toll(analysis, "detained", "captured") is not None


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

    from khabar.events.arguments import arrests

    toll = Toll(3, 3, 3, ())
    trigger = SimpleNamespace(group=SimpleNamespace(family="violent"))
    draft = SimpleNamespace(plover="FIGHT", code="ARMED_CLASH", status="aggregate", trigger=trigger)
    assert arrests(draft, toll) == toll  # type: ignore[arg-type]
    assert arrests(SimpleNamespace(**{**vars(draft), "status": "planned"}), toll) is None  # type: ignore[arg-type]


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


def test_a_toll_index_answers_for_the_analysis_it_was_built_from(analyse: Analyse) -> None:
    analysis = analyse("Gunmen killed four guards at the gate. They also killed two drivers.")
    start = analysis.document.text.index("killed")
    index = toll_index(analysis, LEXICON)
    toll = toll_near(index, start, start + 6, "killed")
    assert toll is not None and toll.best == 6
    assert toll_near(index, start, start + 6, "killed") is toll
    fewer = toll_index(replace(analysis, quantities=analysis.quantities[:1]), LEXICON)
    assert toll_near(fewer, start, start + 6, "killed") == Toll(4, 4, 4, (analysis.quantities[0].evidence,))
    assert toll_near(index, start, start + 6, "killed") is toll


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
        # the death noun's "of" object is the person killed
        ("A teenager was charged in the shooting death of his best friend.", "death", "killed", 1),
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
    assert possessed("his associates", LEXICON) and not possessed("suspected insurgents", LEXICON)


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


def _range(toll: Toll | None) -> tuple[int | None, int | None, int | None]:
    """A toll's low, best and high (all None when there is no toll)."""
    return (None, None, None) if toll is None else (toll.low, toll.best, toll.high)


@pytest.mark.parametrize(
    ("text", "trigger", "expected", "sources"),
    [
        # another source's figure for the same people in the same sentence
        ("Militants stormed the base and killed 14 soldiers, but another agency said 12 soldiers were killed.",
         "stormed", (12, 12, 14), 2),
        # a bare toll counts anyone, so it is another figure for the people counted before it
        ("Gunmen killed 20 people in the market, a police spokesman said, while hospital officials put the toll "
         "at 25.", "killed", (20, 20, 25), 2),
        # a later sentence that attributes its own figure for the same people
        ("A car bomb killed 30 people near the market, officials said. A rebel group said 45 people were killed.",
         "bomb", (30, 30, 45), 2),
        ("Police said 14 people were killed in the bombing. Hospital officials said 12 people died.",
         "bombing", (12, 12, 14), 2),
    ],
)
def test_figures_of_different_sources_make_a_range_not_a_sum(analyse: Analyse, text: str, trigger: str,
                                                             expected: tuple[int, int, int], sources: int) -> None:
    toll = _toll(analyse(text), trigger, "killed")
    assert _range(toll) == expected
    assert toll is not None and len(toll.evidence) == sources


@pytest.mark.parametrize(
    ("text", "trigger", "best"),
    [
        ("Militants ambushed a convoy, and three soldiers and two civilians were killed.", "ambushed", 5),
        ("Three soldiers were killed and two civilians died in the ambush.", "killed", 5),
        # a source cue between counts of different people does not make them figures of one count
        ("Three soldiers were killed, the army said, and two civilians died in the ambush.", "killed", 5),
        # a cue word in a name attributes nothing
        ("Gunmen killed 3 soldiers at the gate, and Islamic State fighters killed 2 soldiers at the bridge.",
         "killed", 5),
        # a figure far larger than the toll is a campaign's total, not another figure for the incident
        ("Gunmen killed 4 guards at the gate. The army said 300 guards have been killed in the province.",
         "killed", 4),
    ],
)
def test_counts_of_different_people_still_add_up(analyse: Analyse, text: str, trigger: str, best: int) -> None:
    toll = _toll(analyse(text), trigger, "killed")
    assert toll is not None and (toll.low, toll.best, toll.high) == (best, best, best)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        # a lone person told later is one of the people counted
        ("Two people were killed in the shooting. Police said one man died at the scene.", 2),
        # a named group told after a count of anyone is some of them
        ("Ten people were killed in the blast. Police said three children were killed.", 10),
    ],
)
def test_a_later_part_of_the_people_counted_is_no_other_figure(analyse: Analyse, text: str, best: int) -> None:
    toll = _toll(analyse(text), "killed", "killed")
    assert _range(toll) == (best, best, best)


@pytest.mark.parametrize(
    "text",
    [
        "Troops raided the compound and 13 insurgents were killed, with no civilian casualties.",
        "Troops raided the compound, killing 13 insurgents; no civilians were killed.",
        "Troops raided the compound and killed 13 insurgents without any civilian casualties.",
        "Troops raided the compound and killed 13 insurgents. There were no civilian casualties.",
    ],
)
def test_a_negated_count_of_other_people_adds_nothing(analyse: Analyse, text: str) -> None:
    toll = _toll(analyse(text), "raided", "killed")
    assert _range(toll) == (13, 13, 13)


def test_a_vague_toll_keeps_an_open_floor(analyse: Analyse) -> None:
    toll = _toll(analyse("Shells hit the market and dozens of villagers were killed."), "hit", "killed")
    assert _range(toll) == (24, 24, None)


def _fatalities(pipeline: Pipeline, text: str) -> list[tuple[int | None, int | None, int | None]]:
    """The fatalities of every event khabar codes from a text, end to end."""
    analysis = khabar.process(text, published=date(2016, 5, 10), pipeline=pipeline)
    return [_range(e.fatalities) for e in analysis.events if e.fatalities is not None]


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("Two brothers, 19 and 21, were killed in the 900 block of Pine Street on Tuesday, police said.", 2),
        ("Mark Example, 29, of Riverton, was shot dead at 1450 Cedar Avenue on Route 9 early Sunday. Police offered "
         "a $10,000 reward and asked anyone with information to call 555-0142.", 1),
        ("A 16-year-old girl was killed with a .40-calibre handgun at 1 a.m. on Friday.", 1),
    ],
)
def test_no_address_age_time_phone_or_money_becomes_a_toll_end_to_end(pipeline: Pipeline, text: str,
                                                                       best: int) -> None:
    found = _fatalities(pipeline, text)
    assert found and all(f == (best, best, best) for f in found)


def test_conflicting_figures_are_not_summed_end_to_end(pipeline: Pipeline) -> None:
    found = _fatalities(pipeline, "Militants stormed an army base in the north on Monday and killed 14 soldiers, "
                                  "but another agency said 12 soldiers were killed.")
    assert found and all(low == 12 and high == 14 for low, _best, high in found)


def test_a_negated_civilian_toll_adds_nothing_end_to_end(pipeline: Pipeline) -> None:
    found = _fatalities(pipeline, "Troops raided a rebel compound in the hills on Monday and 13 insurgents were "
                                  "killed, with no civilian casualties.")
    assert found and all(f == (13, 13, 13) for f in found)
