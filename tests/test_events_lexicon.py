"""Tests of the events stage's data: the trigger lexicon, the sentence prefilter and the coding tables."""

from __future__ import annotations

import pytest

from khabar.datafiles import parse_yaml
from khabar.errors import DataError
from khabar.events import EventResources, is_event_candidate, load_event_resources
from khabar.events.lexicon import LEXICON_SCHEMA, Lexicon, load_lexicon, stem, trigger_group


@pytest.fixture(scope="module")
def resources() -> EventResources:
    return load_event_resources()


@pytest.fixture(scope="module")
def lexicon(resources: EventResources) -> Lexicon:
    return resources.lexicon


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
def test_is_event_candidate(lexicon: Lexicon, sentence: str, expected: bool) -> None:
    assert is_event_candidate(sentence, lexicon) is expected


@pytest.mark.parametrize(("word", "expected"), [("bombings", "bomb"), ("shelled", "shell"), ("kidnap", "kidnap")])
def test_stem_strips_common_inflections(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_lexicon_rejects_unknown_codes(lexicon: Lexicon) -> None:
    with pytest.raises(DataError, match="NOT_A_CODE"):
        trigger_group({"name": "bad", "family": "violence", "lemmas": ["x"], "cases": ["NOT_A_CODE"]}, lexicon.codes)


def test_a_misspelt_lexicon_key_names_its_path() -> None:
    text = "version: 1\ntriggers: []\ncues: {}\ncivilians: []\nchannels: {}\nnumber_words: {two: 2}\ncivillians: []\n"
    with pytest.raises(DataError, match=r"lexicon\.yaml: civillians: unknown key"):
        parse_yaml(text, "lexicon.yaml", LEXICON_SCHEMA)


def test_the_lexicon_carries_its_word_lists(lexicon: Lexicon) -> None:
    assert lexicon.number_words["twin"] == 2
    assert "say" in lexicon.cue("report_verbs")
    assert {"minister", "president"} <= lexicon.cue("state_offices")
    assert "explosion" in lexicon.stem_groups[stem("bomb")]
    assert load_lexicon().codes == lexicon.codes


def test_the_coding_tables_load_and_read_country_codes_in_any_case(resources: EventResources) -> None:
    tables = resources.tables
    assert tables.alpha3_of("AF") == tables.alpha3_of("af") == "AFG"
    assert tables.alpha3_of("XX") == ""
    assert tables.violent_plover <= tables.forceful_plover
    assert tables.crowd_roles == {"Protests": "protesters", "Riots": "rioters"}
    assert set(tables.forceful_codes) <= set(resources.lexicon.codes)
