"""Tests for the actors lexicon, coding tables and name normalisation."""

from __future__ import annotations

import pytest

from khabar.actors import Registry, leading_words, load_coding, normalise, slug
from khabar.pipeline import Pipeline


@pytest.fixture(scope="module")
def registry(pipeline: Pipeline) -> Registry:
    return pipeline.registry


@pytest.mark.parametrize(
    ("text", "key"), [("Tehrik-i-Taliban", "tehrik i taliban"), ("Pötzel", "potzel"), ("Mullah Omar's", "mullah omars")]
)
def test_normalise_lowercases_and_drops_accents_and_punctuation(text: str, key: str) -> None:
    assert normalise(text) == key


def test_slug_joins_the_normalised_words() -> None:
    assert slug("Islamic State Khorasan Province") == "islamic-state-khorasan-province"


def test_leading_words_hold_every_key_and_its_leading_runs() -> None:
    """A token whose form holds a space ("U.S." -> "u s") can still start a longer key."""
    assert set(leading_words(["u s troops", "police"])) == {"u", "u s", "u s troops", "police"}


def test_bare_role_reads_the_lexicon(registry: Registry) -> None:
    assert registry.lexicon.bare_role(["policeman"]) == "police"
    assert registry.lexicon.bare_role(["Border", "Police"]) == "police"
    assert registry.lexicon.bare_role(["teacher", "union"]) == ""


def test_installation_role_reads_the_lexicon(registry: Registry) -> None:
    assert registry.lexicon.installation_role(["police", "checkpoint"]) == "police"
    assert registry.lexicon.installation_role(["checkpoint"]) == "military"
    assert registry.lexicon.installation_role(["school"]) == ""


def test_skeleton_folds_transliterations(registry: Registry) -> None:
    skeleton = registry.lexicon.skeleton
    assert skeleton(normalise("Tehreek-e-Taliban")) == skeleton(normalise("Tehrik i Taliban"))
    assert skeleton("zabihullah mujahid") == skeleton("zabiullah mujahed")


def test_coding_tables_name_the_roles_as_acled_does() -> None:
    coding = load_coding()
    military = coding.role("military")
    assert military is not None and military.dated
    assert military.acled_name("Nigeria", " (2015-)") == "Military Forces of Nigeria (2015-)"
    assert military.display_name("Nigeria") == "Military of Nigeria"
    civilians = coding.role("civilians")
    assert civilians is not None and not civilians.dated
    assert coding.coordinated_roles <= {r.role for r in coding.roles}
    assert set(coding.inter_codes) == set(range(1, 9))


def test_an_unlisted_relation_ranks_last() -> None:
    coding = load_coding()
    assert coding.relation_rank("office") < coding.relation_rank("parent") < coding.relation_rank("breakaway_of")
