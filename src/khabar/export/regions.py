"""ACLED's world regions by country, read from ``data/acled_regions.yaml`` for the ACLED export's ``region``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError

SOURCE = "acled_regions.yaml"
SCHEMA = {str: [str]}
ALPHA2 = re.compile(r"[A-Z]{2}")


def load_regions() -> Mapping[str, str]:
    """ACLED's region of each ISO alpha-2 country code, validated (load once and pass it on)."""
    table: dict[str, str] = {}
    for region, codes in read_packaged_yaml(SOURCE, schema=SCHEMA).items():
        for code in map(str, codes):
            table[code] = _checked(code, str(region), table)
    return MappingProxyType(table)


def _checked(code: str, region: str, seen: dict[str, str]) -> str:
    """The region of a code that is well formed and not already in another region."""
    if not ALPHA2.fullmatch(code):
        raise DataError(f"{SOURCE}: {region}: {code!r} is not an ISO alpha-2 code; fix the file (quote NO)")
    if code in seen:
        raise DataError(f"{SOURCE}: {code} is under both {seen[code]!r} and {region!r}; keep it in one")
    return region
