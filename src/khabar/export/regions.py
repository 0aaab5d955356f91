"""ACLED's geography: world regions by country, and the parts of an admin1 it names as admin1.

Regions come from ``data/acled_regions.yaml`` (the ACLED export's ``region``), admin1 parts from
``data/acled_admin1.yaml`` (its ``admin1``, and what ``khabar eval acled`` compares).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError
from khabar.records import Place

SOURCE = "acled_regions.yaml"
SCHEMA = {str: [str]}
ADMIN1_SOURCE = "acled_admin1.yaml"
ADMIN1_SCHEMA = {str: {str: {str: [str]}}}
Admin1Parts = Mapping[tuple[str, str, str], str]  # (country, admin1, admin2) -> ACLED's admin1
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


def load_admin1_parts() -> Admin1Parts:
    """ACLED's admin1 of each (country, gazetteer admin1, admin2) it splits off (load once and pass it on)."""
    table: dict[tuple[str, str, str], str] = {}
    for country, units in read_packaged_yaml(ADMIN1_SOURCE, schema=ADMIN1_SCHEMA).items():
        for admin1, parts in units.items():
            for part, districts in parts.items():
                for district in districts:
                    key = (str(country), str(admin1), str(district))
                    if key in table:
                        raise DataError(f"{ADMIN1_SOURCE}: {district} is under two parts of {admin1}; keep it in one")
                    table[key] = str(part)
    return MappingProxyType(table)


def acled_admin1(place: Place, parts: Admin1Parts) -> str:
    """A place's admin1 as ACLED names it: the part of its admin1 its district lies in, else the gazetteer's."""
    return parts.get((place.country, place.admin1, place.admin2), place.admin1)
