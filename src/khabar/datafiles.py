"""Reading khabar's data files (registry, gazetteer, lexicons, coding tables), validated at load.

One loader for every YAML file khabar reads as knowledge, packaged or the user's, with one error
style: ``FILE: KEY.PATH[3]: what is wrong (what to do)``. A schema is written as plain Python
values:

- a type (``str``, ``int``, ``float``, ``bool``): the value must be of that type (``float``
  accepts an ``int``; ``str`` accepts numbers written bare in YAML, which are read as text);
- ``[spec]``: a list whose items all match ``spec``;
- ``{str: spec}``: a mapping with any keys, whose values all match ``spec``;
- ``Fields(required={...}, optional={...})``: a mapping with named keys; unknown keys are errors,
  so a misspelt key is caught rather than ignored;
- ``Either(spec, spec, ...)``: the first spec that matches;
- ``ANY``: anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from khabar.errors import DataError, ParseError
from khabar.safeload import ParseLimits, load_yaml

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~10x faster when present
# a user's file is parsed with bounds (alias bombs, deep nesting, huge numbers); packaged files are trusted
USER_FILE_LIMITS = ParseLimits(max_bytes=50_000_000, max_depth=64, max_nodes=5_000_000, max_digits=100)
ANY = object()


@dataclass(slots=True, frozen=True)
class Fields:
    """A mapping schema with named required and optional keys."""

    required: dict[str, Any] = field(default_factory=dict)
    optional: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Either:
    """A schema met by a value that matches any one of several schemas."""

    options: tuple[Any, ...]

    def __init__(self, *options: Any) -> None:
        """Hold the alternatives, tried in order."""
        object.__setattr__(self, "options", options)


def read_packaged_yaml(*parts: str, schema: Any = None) -> dict[str, Any]:
    """A YAML mapping from ``khabar/data/<parts>``, validated against ``schema`` when one is given."""
    source = resources.files("khabar").joinpath("data", *parts)
    name = "/".join(parts)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{name}: cannot read ({exc}); reinstall khabar or restore the file") from exc
    return parse_yaml(text, name, schema, fix="reinstall khabar or restore the file")


def read_yaml_file(path: Path, schema: Any = None) -> dict[str, Any]:
    """A user's YAML mapping file, validated against ``schema`` when one is given."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc}); give a readable UTF-8 YAML file") from exc
    return parse_yaml(text, str(path), schema, fix="fix the file", limits=USER_FILE_LIMITS)


def parse_yaml(text: str, name: str, schema: Any = None, fix: str = "fix the file",
               limits: ParseLimits | None = None) -> dict[str, Any]:
    """A YAML mapping from text, validated against ``schema``; errors name ``name`` and the key path.

    With ``limits`` (text khabar did not ship), the bounded loader of ``khabar.safeload`` reads it.
    """
    try:
        data = yaml.load(text, Loader=YAML_LOADER) if limits is None else load_yaml(text, limits)
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: not valid YAML ({exc}); {fix}") from exc
    except ParseError as exc:
        raise DataError(f"{name}: {exc.problem}; {exc.fix}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(f"{name}: expected a mapping at the top level; see the file's header comment")
    if schema is not None:
        problem = check(data, schema, "")
        if problem:
            raise DataError(f"{name}: {problem}; {fix}")
    return data


def check(value: Any, schema: Any, where: str) -> str:
    """What is wrong with a value against a schema, as 'KEY.PATH: problem', or '' when nothing is."""
    if schema is ANY:
        return ""
    if isinstance(schema, Either):
        problems = [check(value, option, where) for option in schema.options]
        return "" if "" in problems else problems[0]
    if isinstance(schema, Fields):
        return _check_fields(value, schema, where)
    if isinstance(schema, list):
        return _check_list(value, schema[0], where)
    if isinstance(schema, dict):
        return _check_mapping(value, schema, where)
    return _check_scalar(value, schema, where)


def _check_fields(value: Any, schema: Fields, where: str) -> str:
    """Problems of a mapping with named keys."""
    if not isinstance(value, dict):
        return f"{where or 'top level'}: expected a mapping, got {_kind(value)}"
    for key in schema.required:
        if key not in value:
            return f"{_join(where, key)}: missing"
    known = {**schema.required, **schema.optional}
    for key, item in value.items():
        if key not in known:
            return f"{_join(where, str(key))}: unknown key (known: {', '.join(sorted(known))})"
        problem = check(item, known[key], _join(where, str(key)))
        if problem:
            return problem
    return ""


def _check_list(value: Any, item_schema: Any, where: str) -> str:
    """Problems of a list and its items."""
    if not isinstance(value, list):
        return f"{where or 'top level'}: expected a list, got {_kind(value)}"
    for number, item in enumerate(value):
        problem = check(item, item_schema, f"{where}[{number}]")
        if problem:
            return problem
    return ""


def _check_mapping(value: Any, schema: dict[Any, Any], where: str) -> str:
    """Problems of a mapping with any keys."""
    if not isinstance(value, dict):
        return f"{where or 'top level'}: expected a mapping, got {_kind(value)}"
    ((_, item_schema),) = schema.items()
    for key, item in value.items():
        problem = check(item, item_schema, _join(where, str(key)))
        if problem:
            return problem
    return ""


def _check_scalar(value: Any, expected: type, where: str) -> str:
    """Problems of a scalar value."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return ""
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        return ""
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return ""
    return f"{where or 'top level'}: expected {expected.__name__}, got {_kind(value)}"


def _join(where: str, key: str) -> str:
    """A key path with one more key."""
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    """A value's kind, for messages."""
    return "nothing" if value is None else type(value).__name__
