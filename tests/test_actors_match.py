"""Tests for matching names against the registry: exact keys, skeletons and spelling variants."""

from __future__ import annotations

import pytest

from khabar.actors import Registry, fuzzy_match, lookup_name, normalise
from khabar.pipeline import Pipeline


@pytest.fixture(scope="module")
def registry(pipeline: Pipeline) -> Registry:
    return pipeline.registry


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Amir Khan Mutaghi", "amir-khan-muttaqi"),
        ("Masud Andrai", "masoud-andarabi"),
        ("Hassan Qumi Kazimi", "hassan-kazemi-qomi"),
        ("Zabihullah Mujahid", "zabiullah-mujahid"),
        ("Zabiullah Mujahed", "zabiullah-mujahid"),
        ("Mohammad Hasan Akhund", "mohammad-hassan-akhund"),
        ("Tahrik e Taliban Pakistan", "tehrik-i-taliban-pakistan"),
    ],
)
def test_spelling_variants_resolve(registry: Registry, surface: str, expected: str) -> None:
    found = lookup_name(registry, surface) or fuzzy_match(registry, normalise(surface))
    assert found == expected


@pytest.mark.parametrize(
    "surface",
    ["Ahmad Zia Khan", "Jalal Haqqani Khan", "Mohammad Karim", "Amir Khan", "Hassan Rahimi", "Abdul Ghani Khan"],
)
def test_unrelated_names_do_not_resolve(registry: Registry, surface: str) -> None:
    assert lookup_name(registry, surface) == ""
    assert fuzzy_match(registry, normalise(surface)) == ""


def test_brothers_and_namesakes_stay_apart(registry: Registry) -> None:
    assert lookup_name(registry, "Sirajuddin Haqqani") != lookup_name(registry, "Jalaluddin Haqqani")
    assert fuzzy_match(registry, normalise("Ahmad Zia Massoud")) in ("", "ahmad-zia-massoud")
    assert lookup_name(registry, "Husain Haqqani") == "husain-haqqani"


def test_a_single_word_is_never_a_spelling_variant(registry: Registry) -> None:
    assert fuzzy_match(registry, "talibaan") == ""


@pytest.mark.parametrize(
    ("surface", "expected"),
    [("OPEC", "opec"), ("European Community", "european-communities"), ("U.N. war crimes tribunal", "icty")],
)
def test_intergovernmental_bodies_are_registered(registry: Registry, surface: str, expected: str) -> None:
    assert lookup_name(registry, surface) == expected
    assert registry.get(expected).type == "igo"  # type: ignore[union-attr]


def test_acronyms_match_case_sensitively_in_the_index(registry: Registry) -> None:
    entries = registry.lookup("ana")
    assert entries and all(e.case_sensitive for e in entries if e.surface == "ANA")
