"""Tests for the user's registry file and the ranking of unknown names."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.actors import add_user_actor, load_registry, rank_unknown
from khabar.errors import DataError
from khabar.records import ActorMention, Evidence


def test_add_user_actor_appends_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "registry.yaml"
    actor = add_user_actor(path, "Valley Defence Council", "militia", ["VDC"], country="AF", acled_name="VDC Militia")
    add_user_actor(path, "Another Council", "ngo", [])
    assert actor.actor_id == "valley-defence-council"
    loaded = load_registry(path)
    assert loaded.acled_name("valley-defence-council", None) == "VDC Militia"
    assert loaded.get("another-council") is not None
    with pytest.raises(DataError, match="already exists"):
        add_user_actor(path, "Valley Defence Council", "militia", [])


def test_add_user_actor_to_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text("")
    add_user_actor(path, "Valley Defence Council", "militia", [])
    assert load_registry(path).get("valley-defence-council") is not None


def test_add_user_actor_refuses_a_bad_type(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="type 'gang' unknown"):
        add_user_actor(tmp_path / "registry.yaml", "Some Front", "gang", [])
    assert not (tmp_path / "registry.yaml").exists()


def test_rank_unknown_counts_provisional_names() -> None:
    evidence = Evidence("d", 0, 0, 1, "x")
    mentions = [
        ActorMention(evidence, "provisional:a-b", "A B", "person", kind="provisional"),
        ActorMention(evidence, "provisional:c-d", "C D", "person", kind="provisional"),
        ActorMention(evidence, "provisional:c-d", "C D", "person", kind="provisional"),
        ActorMention(evidence, "taliban", "Taliban", "armed_group"),
    ]
    assert rank_unknown(mentions) == [("C D", 2), ("A B", 1)]
