"""Bounded YAML and JSON parsing for text khabar did not write: front matter, sidecars, JSONL, user registries.

A hostile text of a few hundred bytes can cost minutes and gigabytes in a stock parser: YAML aliases
that refer to aliases (each level doubling what a reader sees), nesting thousands of levels deep
(a ``RecursionError`` in the composer), integers of thousands of digits (a ``ValueError`` since
Python 3.11 caps ``int()`` of long strings) or impossible dates (``2021-02-30`` is a ``ValueError``
in PyYAML's timestamp constructor, not a ``YAMLError``). Here every text is checked against
``ParseLimits`` before it becomes Python objects:

- size: the text's length in UTF-8 bytes;
- depth: lists and mappings inside each other;
- YAML nodes: values counted as a reader sees them, every alias expanded (a self-referring alias is
  refused outright);
- digits: the length of any number.

YAML is parsed with PyYAML's pure-Python safe loader, whose recursion Python itself bounds (libyaml's
composer recurses in C). An impossible date stays the text it was written as. Every failure is a
``ParseError`` whose message says what was wrong and what to do; the caller names the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import yaml

from khabar.errors import ParseError

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


@dataclass(slots=True, frozen=True)
class ParseLimits:
    """How big, deep and wide a YAML or JSON text may be."""

    max_bytes: int = 65_536
    max_depth: int = 64
    max_nodes: int = 100_000
    max_digits: int = 100


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, except that an impossible timestamp stays text instead of raising ValueError."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """The date or datetime a timestamp names, or its text when it names none (2021-02-30)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def load_yaml(text: str, limits: ParseLimits) -> Any:
    """The value a YAML text holds, checked against the limits before it is built."""
    _check_size(text, limits, "YAML")
    if _bracket_depth(text) > limits.max_depth:
        raise ParseError(f"YAML nested over {limits.max_depth} levels deep", "flatten it")
    try:
        return _load(_Loader(text), limits)
    except yaml.YAMLError as exc:
        raise ParseError(f"not valid YAML ({_first_line(exc)})", "fix the YAML") from exc
    except RecursionError as exc:
        raise ParseError(f"YAML nested too deeply (over {limits.max_depth} levels)", "flatten it") from exc
    except (ValueError, TypeError, OverflowError) as exc:
        raise ParseError(f"YAML value cannot be read ({exc})", "fix the value") from exc


def _load(loader: _Loader, limits: ParseLimits) -> Any:
    """The document a loader holds, its node graph checked before anything is built."""
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, limits)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_json(text: str, limits: ParseLimits) -> Any:
    """The value a JSON text holds, checked against the limits."""
    _check_size(text, limits, "JSON")
    depth = _bracket_depth(_JSON_STRING.sub("", text))
    if depth > limits.max_depth:
        raise ParseError(f"JSON nested {depth} levels deep, over the limit of {limits.max_depth}", "flatten it")
    try:
        return json.loads(text, parse_int=lambda s: _number(s, int, limits),
                          parse_float=lambda s: _number(s, float, limits))
    except json.JSONDecodeError as exc:
        raise ParseError(f"malformed JSON ({exc.msg})", "fix or remove it") from exc
    except RecursionError as exc:
        raise ParseError("JSON nested too deeply", "flatten it") from exc


def _bracket_depth(text: str) -> int:
    """How deep brackets and braces nest in a text (strings are not told apart: a safe overestimate for YAML)."""
    return max(accumulate(1 if b in "[{" else -1 for b in _JSON_BRACKET.findall(text)), default=0)


def _number(digits: str, kind: type[int] | type[float], limits: ParseLimits) -> int | float:
    """A JSON number, refused when it is absurdly long."""
    if len(digits) > limits.max_digits:
        raise ParseError(f"a number {len(digits):,} characters long (limit {limits.max_digits})",
                         "shorten it or quote it as text")
    return kind(digits)


def _check_size(text: str, limits: ParseLimits, kind: str) -> None:
    """Refuse a text bigger than the limit."""
    size = len(text) if len(text) * 4 <= limits.max_bytes else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise ParseError(f"{kind} is {size:,} bytes, over the limit of {limits.max_bytes:,}",
                         "shorten it or split it")


def _check_nodes(root: yaml.Node, limits: ParseLimits) -> None:
    """Refuse a node graph too deep, too big once aliases are expanded, self-referring, or with a huge number."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_ids: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            open_ids.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limits.max_nodes:
                raise ParseError(f"YAML expands to over {limits.max_nodes:,} values (aliases repeat what they "
                                 "refer to)", "remove the aliases")
            continue
        if key in sizes:
            continue
        if key in open_ids:
            raise ParseError("YAML alias refers to the value that holds it", "remove the self-reference")
        if depth > limits.max_depth:
            raise ParseError(f"YAML nested over {limits.max_depth} levels deep", "flatten it")
        _check_scalar(node, limits)
        open_ids.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The nodes directly inside a sequence or mapping node (keys and values)."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_scalar(node: yaml.Node, limits: ParseLimits) -> None:
    """Refuse a number with more digits than the limit."""
    if isinstance(node, yaml.ScalarNode) and node.tag in (_INT_TAG, _FLOAT_TAG) and len(node.value) > limits.max_digits:
        raise ParseError(f"a number {len(node.value):,} characters long (limit {limits.max_digits})",
                         "shorten it or quote it as text")


def _first_line(exc: Exception) -> str:
    """An exception's message on one line."""
    return " ".join(str(exc).split())[:300]
