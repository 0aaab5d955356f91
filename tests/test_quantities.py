"""Tests for khabar.quantities: tolls, vague amounts, qualifiers, money, strengths, shares."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar import quantities as qx
from khabar.datafiles import parse_yaml
from khabar.errors import DataError
from khabar.quantities.counts import count_at, may_count
from khabar.quantities.lexicon import SCHEMA
from khabar.records import Analysis, Quantity

Analyse = Callable[[str], Analysis]
LEXICON = qx.load_lexicon()  # one lexicon for every test here, as a pipeline builds one for its stages


@pytest.fixture(scope="module")
def analyse(quantities_analyse: Analyse) -> Analyse:
    """Texts through the time and quantities stages (the shared fixture of tests/conftest.py)."""
    return quantities_analyse


def _of_kind(analysis: Analysis, kind: str) -> list[Quantity]:
    """The quantities of one kind."""
    return [q for q in analysis.quantities if q.kind == kind]


@pytest.mark.parametrize(
    ("text", "kind", "low", "best", "high"),
    [
        ("At least 12 people were killed in the blast.", "killed", 12, 12, None),
        ("More than 40 villagers died in the floods of fire.", "killed", 41, 41, None),
        ("Over 30 insurgents were killed in the raid.", "killed", 31, 31, None),
        ("Up to 30 people were killed in the raid.", "killed", None, 30, 30),
        ("As many as 8 guards were wounded.", "wounded", None, 8, 8),
        ("About 50 people were wounded in the attack.", "wounded", 45, 50, 55),
        ("Dozens of people were killed in the shelling.", "killed", 24, 24, None),
        ("A dozen soldiers were captured at the post.", "captured", 12, 12, 12),
        ("Scores were wounded when the roof collapsed.", "wounded", 40, 40, None),
        ("Several guards were killed at the gate.", "killed", 3, 3, None),
        ("Tens of soldiers were killed near the river.", "killed", 20, 20, None),
        ("Hundreds of families were displaced by the fighting.", "displaced", 200, 200, None),
        ("Hundreds of thousands of people were displaced by the war.", "displaced", 200000, 200000, None),
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


@pytest.mark.parametrize(
    "text",
    [
        "Call the tip line at 1-800-555-0199 or (555) 555-0142 with information.",  # phone numbers
        "Tips may be left at 555-0142 around the clock.",  # a local number is no range of 555 to 142
        "Police identified him as Mark Example, 29, of Riverton.",  # an age set off after a name
        "The brothers, 19 and 21, were taken to a clinic.",  # ages linked to one set off after people
        "Residents of the 900 block of Pine Street heard the shots.",  # a block number
        "The car stopped outside 1450 Cedar Avenue.",  # a house number
        "Officers found a 12-gauge shotgun and a 9 mm pistol.",  # calibres
    ],
)
def test_numbers_that_name_or_measure_are_not_counts(analyse: Analyse, text: str) -> None:
    assert analyse(text).quantities == ()


@pytest.mark.parametrize(
    ("text", "kind", "bests"),
    [
        ("A man was killed in the 900 block of Pine Street on Tuesday.", "killed", [1]),
        ("A woman was killed at 1450 Cedar Avenue after the gunfire.", "killed", [1]),
        ("Two drivers were killed on Route 9 near the quarry.", "killed", [2]),
        ("Gunmen killed a guard on Highway 40 outside the town.", "killed", [1]),
        ("The blast killed 9 people on Interstate 95 near exit 12.", "killed", [9]),
        ("Gunmen killed 2 people in Apartment 12 on Monday.", "killed", [2]),
        ("Mark Example, 29, of Riverton, was killed in the shooting.", "killed", [1]),
        ("Two brothers, 19 and 21, were killed in the shooting.", "killed", [2]),
        ("The victim, 34, died at the hospital.", "killed", [1]),
        ("A man aged 45 was killed in the raid.", "killed", [1]),
        ("Two guards, aged 19 and 21, were killed in the raid.", "killed", [2]),
        ("A 16-year-old girl was killed on Friday.", "killed", [1]),
        ("The 30-year-old man was killed outside the bar.", "killed", [1]),
        ("In 2014, gunmen killed a guard in the town.", "killed", [1]),
        ("The man was killed at 1 a.m. on Sunday.", "killed", [1]),
        ("Police offered a $10,000 reward after a man was killed.", "killed", [1]),
        ("A man was killed with a .40-calibre handgun.", "killed", [1]),
        ("A man was killed with a 12-gauge shotgun.", "killed", [1]),
        ("Anyone with information should call 555-0142; one man was killed.", "killed", [1]),
        ("The attack killed 12 soldiers, 40 percent of the unit.", "killed", [12]),
        # a street's name that only describes the people counted is no address
        ("Police detained 12 Mill Road residents after the riot.", "captured", [12]),
        # a count that only describes a person is no toll, nor is a second role of one person
        ("A husband and father of two children was killed on Friday.", "killed", [1]),
        ("Troops killed a rebel leader of 30 fighters near the dam.", "killed", [1]),
        ("Gunmen killed a soldier and a civilian at the gate.", "killed", [2]),
        # a count after a person and a comma is no age when a noun follows it ("2 guards")
        ("Gunmen killed the commander, 2 guards and a driver at the gate.", "killed", [1, 3]),
    ],
)
def test_numbers_beside_a_toll_that_name_date_or_measure_are_not_counted(
    analyse: Analyse, text: str, kind: str, bests: list[float]
) -> None:
    assert [q.best for q in _of_kind(analyse(text), kind)] == bests


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("Dozens of villagers were killed when the shells hit the market.", 24),
        ("The shelling killed dozens of civilians.", 24),
        ("Scores of people were killed in the floods.", 40),
        ("Hundreds of people were killed in the siege.", 200),
    ],
)
def test_a_plural_of_a_scale_word_is_an_open_floor_not_an_exact_figure(analyse: Analyse, text: str,
                                                                        low: float) -> None:
    (found,) = _of_kind(analyse(text), "killed")
    assert (found.low, found.best, found.high) == (low, low, None)


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


def test_purpose_clause_is_not_a_toll(analyse: Analyse) -> None:
    analysis = analyse("Troops began an operation to arrest a senior commander.")
    assert _of_kind(analysis, "captured") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("11", 11), ("1,800", 1800), ("6.5 thousand", 6500), ("twenty-one", 21), ("two million", 2e6),
     ("half a million", 5e5), ("a dozen", 12), ("dozens", 24), ("three hundred", 300), ("banana", None)],
)
def test_number_value(text: str, value: float | None) -> None:
    assert qx.number_value(text, LEXICON.words) == value


@given(st.integers(min_value=0, max_value=10**9))
def test_number_value_reads_grouped_digits(value: int) -> None:
    assert qx.number_value(f"{value:,}", LEXICON.words) == value


def test_numerous_reads_as_more_than_several(analyse: Analyse) -> None:
    (found,) = _of_kind(analyse("Numerous rebels were detained at the checkpoint."), "captured")
    assert (found.low, found.best, found.high) == (4, 4, None)


def test_a_strict_floor_on_money_is_not_rounded_up(analyse: Analyse) -> None:
    (found,) = _of_kind(analyse("The fund received more than 40 dollars a day."), "money")
    assert found.best == 40


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


def test_vague_amounts_are_only_looked_up_from_their_first_words() -> None:
    starts = LEXICON.words.vague_starts
    assert {"dozens", "a", "several", "hundreds"} <= starts
    assert "killed" not in starts


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


def test_a_person_named_is_no_displacement(analyse: Analyse) -> None:
    assert _of_kind(analyse("The commander was wounded and he fled to the hills."), "displaced") == []


def test_the_token_prefilter_never_hides_a_count(analyse: Analyse) -> None:
    """``may_count`` only skips tokens where every reader of ``count_at`` finds nothing."""
    text = (
        "Police detained a Taliban leader and several suspected insurgents on Monday. He said twenty-one "
        "people, including 3 children, were killed and dozens wounded; the commander and him were arrested, "
        "and Mullah Omar's aides fled with $5 million. A number of facilitators and a courier were held."
    )
    tokens = analyse(text).tokens
    counted = [i for i in range(len(tokens)) if count_at(tokens, i, LEXICON) is not None]
    assert counted
    assert all(may_count(tokens[i], LEXICON) for i in counted)


def _packaged_text() -> str:
    """The packaged quantities lexicon's text."""
    from importlib import resources

    return resources.files("khabar").joinpath("data", "lexicons", "quantities.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Street, 'No', '#'", "Street, No, '#'", "unit_words[14]: expected str, got bool"),
        ("approx_spread: 0.1", "approx_spread: wide", "approx_spread: expected float, got str"),
        ("  negating: ['no']\n", "", "determiners.negating: missing"),
        ("follow_sentences: 8", "follow_sentences: 8\n  follow_lines: 2", "continuation.follow_lines: unknown key"),
    ],
)
def test_a_bad_lexicon_is_refused_with_the_key_path(old: str, new: str, message: str) -> None:
    text = _packaged_text()
    assert old in text
    with pytest.raises(DataError, match=re.escape(f"quantities.yaml: {message}")):
        parse_yaml(text.replace(old, new, 1), "quantities.yaml", SCHEMA)


def test_every_toll_kind_of_the_lexicon_is_a_toll_kind() -> None:
    assert {"killed", "wounded", "captured", "kidnapped", "displaced"} == LEXICON.toll_kinds
    assert LEXICON.bare_plural_kinds | LEXICON.named_kinds | LEXICON.vague_covers <= LEXICON.toll_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A man was shot and killed in Dayton on Friday night.", "killed"),
        ("A teenager was fatally shot outside a store on Friday.", "killed"),
        ("A 6-year-old died after being shot on Wednesday.", "killed"),
        ("A woman was shot and wounded near the market on Monday.", "wounded"),
    ],
)
def test_one_victim_without_a_number_is_one(analyse: Analyse, text: str, kind: str) -> None:
    assert [(q.kind, q.best) for q in analyse(text).quantities if q.kind in ("killed", "wounded")] == [(kind, 1)]


def test_a_verb_with_its_own_object_does_not_borrow_the_toll_of_its_conjunct(analyse: Analyse) -> None:
    text = "The militants clashed with the army, destroying 4 tanks and 1 vehicle and killing 8 soldiers."
    assert [q.best for q in _of_kind(analyse(text), "killed")] == [8]


def test_the_shooter_of_a_shot_and_killed_victim_is_no_victim(analyse: Analyse) -> None:
    found = _of_kind(analyse("Police said the man shot and killed two guards outside the bank."), "killed")
    assert [(q.best, q.evidence.text) for q in found] == [(2, "two")]
