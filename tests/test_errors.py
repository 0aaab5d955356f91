"""Tests of the error hierarchy: one root, and messages that name the file, the problem and the fix."""

from __future__ import annotations

import pytest

from khabar.errors import ConfigError, DataError, InputError, KhabarError, ModelError, StoreError


@pytest.mark.parametrize("kind", [InputError, ConfigError, DataError, ModelError, StoreError])
def test_every_error_is_a_khabar_error(kind: type[Exception]) -> None:
    assert issubclass(kind, KhabarError)


def test_an_input_error_names_the_file_the_problem_and_the_fix() -> None:
    error = InputError("data/a.jsonl:7", "malformed JSON", "fix or remove the line")
    assert str(error) == "data/a.jsonl:7: malformed JSON (fix or remove the line)"
    assert (error.path, error.problem) == ("data/a.jsonl:7", "malformed JSON")
    assert str(InputError("a.txt", "empty")) == "a.txt: empty"
