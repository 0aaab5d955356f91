"""Tests of the one data-file loader: schemas and the error style naming file and key path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from khabar.datafiles import ANY, Either, Fields, check, parse_yaml, read_packaged_yaml, read_yaml_file
from khabar.errors import DataError

SCHEMA = Fields(required={"verbs": [str]}, optional={"weights": {str: float}, "note": ANY,
                                                      "limit": Either(int, [int])})


@pytest.mark.parametrize(("value", "problem"), [
    ({"verbs": ["say", "tell"]}, ""),
    ({"verbs": ["say"], "weights": {"a": 1, "b": 0.5}, "note": [1, {}], "limit": [2, 3]}, ""),
    ({"verbs": ["say"], "limit": 4}, ""),
    ({}, "verbs: missing"),
    ({"verbs": "say"}, "verbs: expected a list, got str"),
    ({"verbs": ["say", None]}, "verbs[1]: expected str, got nothing"),
    ({"verbs": [], "weights": {"a": "high"}}, "weights.a: expected float, got str"),
    ({"verbs": [], "verb": []}, "verb: unknown key (known: limit, note, verbs, weights)"),
    ({"verbs": [], "limit": True}, "limit: expected int, got bool"),
    ([], "top level: expected a mapping, got list"),
])
def test_check_names_the_key_path(value: Any, problem: str) -> None:
    assert check(value, SCHEMA, "") == problem


def test_parse_yaml_errors_name_the_file_and_what_to_do() -> None:
    with pytest.raises(DataError, match=r"^lex\.yaml: verbs\[0\]: expected str, got list; fix the file$"):
        parse_yaml("verbs: [[1]]\n", "lex.yaml", SCHEMA)
    with pytest.raises(DataError, match=r"lex\.yaml: not valid YAML"):
        parse_yaml("verbs: [\n", "lex.yaml", SCHEMA)
    with pytest.raises(DataError, match="expected a mapping at the top level"):
        parse_yaml("- a\n", "lex.yaml")
    assert parse_yaml("", "empty.yaml") == {}


def test_user_files_and_packaged_files_load(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text("verbs: [warn]\n", encoding="utf-8")
    assert read_yaml_file(path, SCHEMA) == {"verbs": ["warn"]}
    with pytest.raises(DataError, match="cannot read"):
        read_yaml_file(tmp_path / "missing.yaml")
    assert "targets" in read_packaged_yaml("eval", "targets.yaml")
