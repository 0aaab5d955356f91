"""Fast JSON forms of records for the store's bulk paths (a full re-merge reads and writes every event).

``encode`` and ``decode`` give exactly what ``records.as_dict`` and ``records.from_dict`` give
(``tests/test_codec.py`` checks it on every record type), but work out once per record class,
from its type hints, what each field needs, instead of inspecting every value: three to four times
faster on an ``Event``, which is most of the cost of a million-event merge.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, TypeVar

R = TypeVar("R")
Convert = Callable[[Any], Any]


def decode(cls: type[R], data: dict[str, Any]) -> R:
    """Rebuild a record of type ``cls`` from its ``as_dict`` form."""
    return _decoder(cls)(data)  # type: ignore[no-any-return, arg-type]  # record classes are hashable; builds a cls


def encode(record: Any) -> Any:
    """A JSON-ready form of a record (dates as ISO strings, tuples as lists)."""
    return _encoder(type(record))(record)  # type: ignore[arg-type]  # classes are hashable


@cache  # a pure function of a record class; the classes are fixed
def _decoder(cls: type) -> Convert:
    """A function building ``cls`` from a dict, converting only the fields that need it."""
    hints = typing.get_type_hints(cls)
    converts = {name: c for name, hint in hints.items() if (c := _value_decoder(hint)) is not None}

    def build(data: dict[str, Any]) -> Any:
        """One record from its dict form."""
        kwargs = {}
        for name, value in data.items():
            if name in hints:
                convert = converts.get(name)
                kwargs[name] = value if convert is None or value is None else convert(value)
        return cls(**kwargs)

    return build


def _value_decoder(hint: Any) -> Convert | None:
    """How to decode a non-None value of a type hint (None when it is used as it is)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value_decoder(options[0]) if len(options) == 1 else None
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _value_decoder(args[0])
            return tuple if inner is None else lambda v: tuple(None if x is None else inner(x) for x in v)
        parts = [_value_decoder(arg) for arg in args]
        return lambda v: tuple(x if p is None or x is None else p(x) for p, x in zip(parts, v, strict=True))
    if hint is date:
        return date.fromisoformat
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: decode(hint, v)  # looked up when called: a record may hold its own kind (Quantity.parts)
    return None


@cache  # a pure function of a class; the classes are fixed
def _encoder(cls: type) -> Convert:
    """A function giving the JSON-ready form of a value of class ``cls``."""
    if cls in (tuple, list):
        return lambda v: [encode(x) for x in v]
    if issubclass(cls, date):
        return _iso
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        converts = tuple((f.name, _value_encoder(hints[f.name])) for f in dataclasses.fields(cls))

        def flatten(record: Any) -> dict[str, Any]:
            """One record's dict form."""
            out = {}
            for name, convert in converts:
                value = getattr(record, name)
                out[name] = value if convert is None or value is None else convert(value)
            return out

        return flatten
    return _same


def _value_encoder(hint: Any) -> Convert | None:
    """How to encode a non-None value of a type hint (None when it is used as it is)."""
    origin = typing.get_origin(hint)
    if hint in (str, int, float, bool):
        return None
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _value_encoder(options[0]) if len(options) == 1 else encode
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _value_encoder(args[0])
            return list if inner is None else lambda v: [None if x is None else inner(x) for x in v]
        return encode
    if hint is date:
        return _iso
    return encode  # records (looked up when called: a record may hold its own kind) and anything else


def _iso(value: date) -> str:
    """A date as ISO text."""
    return value.isoformat()


def _same(value: Any) -> Any:
    """A value as it is."""
    return value
