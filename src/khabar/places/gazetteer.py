"""The gazetteer resource: places indexed by folded name, loaded once from the packaged data and a user file.

The data is ``khabar/data/gazetteer/`` (schema in its README): a compact GeoNames-derived artifact rebuilt
by ``scripts/build_gazetteer.py``, a curated supplement and the lexicon (``places.lexicon``). The
gazetteer also answers where places lie: admin containment and great-circle distance.
"""

from __future__ import annotations

import gzip
import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.datafiles import Either, Fields, read_packaged_yaml, read_yaml_file
from khabar.errors import DataError
from khabar.places.lexicon import FEATURES, Lexicon, fold, load_lexicon, prior
from khabar.records import Place

EARTH_KM = 6371.0
RANK = {"country": 0, "admin1": 1, "admin2": 2}


def _maybe(spec: Any) -> Either:
    """A schema met by ``spec`` or by nothing (a key written without a value)."""
    return Either(spec, type(None))


_ALIASES = _maybe([str])
SUPPLEMENT_SCHEMA = Fields(
    optional={
        "update": _maybe([
            Fields(
                required={"match": str, "country": str, "feature": str},
                optional={"name": str, "lat": float, "lon": float, "aliases": _ALIASES},
            )
        ]),
        "places": _maybe([
            Fields(
                required={"id": str, "name": str, "feature": str, "country": str, "lat": float, "lon": float},
                optional={"admin1": _maybe(str), "admin2": _maybe(str), "population": _maybe(int), "aliases": _ALIASES},
            )
        ]),
        "countries": _maybe({str: Fields(optional={"name": str, "lat": float, "lon": float, "aliases": _ALIASES})}),
        "regions": _maybe([
            Fields(
                required={"id": str, "name": str, "lat": float, "lon": float},
                optional={"population": _maybe(int), "aliases": _ALIASES},
            )
        ]),
    }
)


OUTLETS_SCHEMA = Fields(optional={"hosts": _maybe({str: str}), "call_signs": _maybe({str: str})})


@dataclass(slots=True, frozen=True)
class Outlets:
    """Where news outlets are based: by web host ("statesman.com") and by broadcast call sign ("WSMV").

    Each home is "Town, Region" (a region is a first-order unit or a country), read as a document's
    context by ``focus.outlet_homes``.
    """

    hosts: dict[str, str] = field(default_factory=dict)
    call_signs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Gazetteer:
    """Places indexed by folded name, with the lexicon the geoparser reads text with.

    Rows stay as the artifact's tab-separated lines, and index entries as comma-separated row
    numbers, until a lookup needs them: that keeps loading well under a second. The lookup tables
    built on first use are built whole and then put in place, so threads sharing a gazetteer never
    see half of one.
    """

    lines: list[str]
    index: dict[str, str]
    lexicon: Lexicon
    countries: dict[str, int] = field(default_factory=dict)
    admin_names: dict[str, str] = field(default_factory=dict)
    cache: dict[int, Place] = field(default_factory=dict)
    curated: dict[str, int] = field(default_factory=dict)
    # national capitals (flagged in the artifact): their place ids, and their rows by country
    capitals: frozenset[str] = frozenset()
    capital_rows: dict[str, int] = field(default_factory=dict)
    # lookup tables, built on first use
    sorted_keys: list[str] = field(default_factory=list)
    unit_table: tuple[list[str], list[int]] | None = None
    fuzzy: dict[str, list[int]] = field(default_factory=dict)
    readings: dict[str, list[Place]] = field(default_factory=dict)
    # space-less names of countries, units and strong towns, read inside web addresses (``focus``)
    hosts: dict[str, str] = field(default_factory=dict)
    outlets: Outlets = field(default_factory=Outlets)

    def row(self, number: int) -> list[str]:
        """The cells of one row: id, name, feature, country, admin1, admin2, lat, lon, population, flag."""
        return self.lines[number].split("\t")

    def set_row(self, number: int, cells: list[str]) -> None:
        """Replace one row's cells."""
        self.lines[number] = "\t".join(cells)
        self.cache.pop(number, None)
        self.readings.clear()

    def add(self, cells: list[str], keys: Iterable[str]) -> int:
        """Add a row under lookup keys; returns its number."""
        self.lines.append("\t".join(cells))
        number = len(self.lines) - 1
        self.index_row(number, keys)
        return number

    def index_row(self, number: int, keys: Iterable[str]) -> None:
        """File a row under more lookup keys."""
        for key in set(keys) - {""}:
            known = self.index.get(key)
            self.index[key] = f"{known},{number}" if known else str(number)
        self.sorted_keys = []
        self.unit_table = None
        self.hosts = {}
        self.readings.clear()

    def numbers(self, key: str) -> list[int]:
        """Row numbers filed under a folded key."""
        known = self.index.get(key)
        return [int(n) for n in known.split(",")] if known else []

    def place(self, number: int) -> Place:
        """The Place record of a row (one record per row, even when threads ask at once)."""
        place = self.cache.get(number)
        if place is None:
            pid, name, feature, cc, a1, a2, lat, lon, pop, _ = self.row(number)
            if not a1 and a2.count(".") == 1:
                # a first-order unit the packages file as second-order (Iraq's Kurdistan governorates, IQ.11)
                a1, a2, feature = a2, "", "admin1" if feature == "admin2" else feature
            admin1 = self.admin_names.get(a1, a1)
            admin2 = self.admin_names.get(a2, a2) if feature != "admin1" else ""
            made = Place(pid, name, float(lat), float(lon), cc, admin1, admin2, feature, int(pop))
            place = self.cache.setdefault(number, made)
        return place

    def units(self) -> tuple[list[str], list[int]]:
        """Space-less lookup keys of the focus region's admin units and their rows, for fuzzy matching."""
        table = self.unit_table
        if table is None:
            table = _focus_units(self)
            self.unit_table = table
        return table

    def starts_name(self, key: str) -> bool:
        """Whether some indexed name continues a folded key with more words ("new" -> "new york")."""
        keys = self.sorted_keys
        if not keys:
            keys = sorted(self.index)
            self.sorted_keys = keys
        stem = key + " "
        at = bisect_left(keys, stem)
        return at < len(keys) and keys[at].startswith(stem)

    def names(self, key: str) -> list[Place]:
        """Places under an already folded key."""
        return [self.place(n) for n in self.numbers(key)]

    def lookup(self, name: str, country: str = "") -> list[Place]:
        """Places called ``name`` (any alias), optionally only in one country, best known first."""
        found = self.names(fold(name))
        if country:
            found = [p for p in found if p.country == country.upper()]
        return sorted(found, key=lambda p: -prior(p, self.lexicon))

    def country(self, iso2: str) -> Place | None:
        """The country with an ISO 3166-1 alpha-2 code."""
        number = self.countries.get(iso2.upper())
        return self.place(number) if number is not None else None

    def by_id(self, place_id: str) -> Place | None:
        """A country by ISO code, a division as ``ISO2/name``, or a curated place by id (as the lexicon names them)."""
        if len(place_id) == 2:
            return self.country(place_id)
        if place_id[2:3] == "/":
            return self.admin1(place_id[:2], place_id[3:])
        number = self.curated.get(place_id)
        return self.place(number) if number is not None else None

    def capital(self, iso2: str) -> Place | None:
        """A country's capital city (flagged in the artifact)."""
        row = self.capital_rows.get(iso2.upper())
        return self.place(row) if row is not None else None

    def admin1(self, iso2: str, name: str) -> Place | None:
        """A first-order division of a country by name or alias (a trailing "province" is ignored)."""
        key = self.lexicon.grammar.admin1_suffix.sub("", fold(name))
        found = [p for p in self.lookup(key, iso2) if p.feature == "admin1"]
        return found[0] if found else None


def _focus_units(gazetteer: Gazetteer) -> tuple[list[str], list[int]]:
    """The space-less keys of the focus region's admin units, and their rows, in index order."""
    focus = gazetteer.lexicon.focus
    rows = {n for n, line in enumerate(gazetteer.lines) if _is_focus_unit(line, focus)}
    keys: list[str] = []
    numbers: list[int] = []
    for key, known in gazetteer.index.items():
        for number in map(int, known.split(",")):
            if number in rows:
                keys.append(key.replace(" ", ""))
                numbers.append(number)
    return keys, numbers


def _is_focus_unit(line: str, focus: frozenset[str]) -> bool:
    """Whether an artifact line is an admin unit of a focus country."""
    cells = line.split("\t", 4)
    return cells[2] in ("admin1", "admin2") and cells[3] in focus


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def coarser(unit: Place, place: Place) -> bool:
    """Whether ``unit`` is an admin level above ``place`` (only then can it contain it)."""
    return unit.feature in RANK and RANK.get(place.feature, 3) > RANK[unit.feature]


def inside(place: Place, unit: Place) -> bool:
    """Whether a place lies in an admin unit (by the gazetteer's admin names)."""
    if place.country != unit.country:
        return False
    if unit.feature == "admin1":
        return place.admin1 == unit.admin1
    if unit.feature == "admin2":
        return place.admin2 == unit.admin2 and place.admin1 == unit.admin1
    if unit.feature == "country":
        return True
    return bool(unit.admin1) and place.admin1 == unit.admin1


# ---------------------------------------------------------------- loading


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """Load the packaged gazetteer and supplement, extended by a user file in the supplement schema."""
    base = resources.files("khabar") / "data" / "gazetteer"
    lexicon = load_lexicon()
    gazetteer = Gazetteer(_lines(base / "places.tsv.gz"), _names(base / "names.tsv.gz"), lexicon)
    supplements = [read_packaged_yaml("gazetteer", "supplement.yaml", schema=SUPPLEMENT_SCHEMA)]
    if extra is not None:
        if not extra.is_file():
            raise DataError(f"gazetteer file {extra} does not exist; fix the gazetteer setting or create it")
        supplements.append(read_yaml_file(extra, schema=SUPPLEMENT_SCHEMA))
    _index_countries(gazetteer)
    for number, data in enumerate(supplements):
        _apply_updates(gazetteer, data, strict=number == 0)
    _name_units(gazetteer)
    for data in supplements:
        _add_curated(gazetteer, data)
    _index_capitals(gazetteer)
    gazetteer.outlets = load_outlets()
    return gazetteer


def load_outlets() -> Outlets:
    """The packaged table of where news outlets are based (``outlets.yaml``)."""
    data = read_packaged_yaml("gazetteer", "outlets.yaml", schema=OUTLETS_SCHEMA)
    hosts = {host.lower().removeprefix("www."): home for host, home in (data.get("hosts") or {}).items()}
    return Outlets(hosts, {sign.upper(): home for sign, home in (data.get("call_signs") or {}).items()})


def _index_countries(gazetteer: Gazetteer) -> None:
    """Find the country rows (they lead the artifact)."""
    for number, line in enumerate(gazetteer.lines):
        cells = line.split("\t", 4)
        if cells[2] != "country":
            break
        gazetteer.countries[cells[3]] = number


def _name_units(gazetteer: Gazetteer) -> None:
    """Display names of admin codes (after the supplement's renames)."""
    for line in gazetteer.lines:
        cells = line.split("\t", 7)
        if cells[2] == "admin1":
            gazetteer.admin_names[cells[4]] = cells[1]
        elif cells[2] == "admin2":
            gazetteer.admin_names[cells[5]] = cells[1]
        elif cells[2] != "country":
            break
    gazetteer.admin_names.pop("", None)


def _index_capitals(gazetteer: Gazetteer) -> None:
    """File the national capitals flagged in the artifact by place id and by country."""
    ids = []
    for number, line in enumerate(gazetteer.lines):
        if line.endswith("\tcapital"):
            cells = line.split("\t", 4)
            ids.append(cells[0])
            gazetteer.capital_rows[cells[3]] = number
    gazetteer.capitals = frozenset(ids)


def _unzip(source: Any) -> str:
    """The text of a packaged gzip file."""
    try:
        return gzip.decompress(source.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise DataError(f"{source}: unreadable ({exc}); rebuild it with scripts/build_gazetteer.py") from exc


def _lines(source: Any) -> list[str]:
    """The place rows of the artifact, validated."""
    lines = [line for line in _unzip(source).split("\n") if line and not line.startswith("#")]
    if not lines or any(line.count("\t") != 9 for line in lines[:: max(1, len(lines) // 100)]):
        raise DataError(f"{source}: rows need 10 tab-separated cells; rebuild it with scripts/build_gazetteer.py")
    return lines


def _names(source: Any) -> dict[str, str]:
    """The name index of the artifact: folded name -> comma-separated row numbers."""
    cells = _unzip(source).rstrip("\n").replace("\n", "\t").split("\t")
    if len(cells) % 2:
        raise DataError(f"{source}: lines need a key and row numbers; rebuild it with scripts/build_gazetteer.py")
    return dict(zip(cells[::2], cells[1::2], strict=True))


def _apply_updates(gazetteer: Gazetteer, data: dict[str, Any], strict: bool) -> None:
    """Apply the ``update`` and ``countries`` entries of a supplement to the artifact rows."""
    for entry in data.get("update") or []:
        key, country, feature = fold(str(entry["match"])), str(entry["country"]), str(entry["feature"])
        targets = [n for n in gazetteer.numbers(key) if gazetteer.row(n)[2:4] == [feature, country]]
        if not targets and strict:
            raise DataError(f"supplement update {entry['match']!r} matches no place; fix its match/country/feature")
        for number in targets:
            cells = gazetteer.row(number)
            gazetteer.index_row(number, _update_row(cells, entry))
            gazetteer.set_row(number, cells)
    for iso2, entry in (data.get("countries") or {}).items():
        if iso2 not in gazetteer.countries:
            raise DataError(f"supplement countries: {iso2!r} needs an ISO 3166-1 alpha-2 key (quote \"NO\")")
        number = gazetteer.countries[iso2]
        cells = gazetteer.row(number)
        gazetteer.index_row(number, _update_row(cells, entry))
        gazetteer.set_row(number, cells)


def _update_row(row: list[str], entry: dict[str, Any]) -> list[str]:
    """Rename or move one artifact row; returns the lookup keys it gains."""
    keys = [fold(str(a)) for a in entry.get("aliases") or []]
    if "name" in entry:
        row[1] = str(entry["name"])
        keys.append(fold(row[1]))
    if "lat" in entry and "lon" in entry:
        row[6], row[7] = str(entry["lat"]), str(entry["lon"])
    return keys


def _add_curated(gazetteer: Gazetteer, data: dict[str, Any]) -> None:
    """Add a supplement's ``places`` and ``regions`` entries."""
    regions = [{"feature": "region", "country": "", **entry} for entry in data.get("regions") or []]
    for entry in [*(data.get("places") or []), *regions]:
        feature = str(entry["feature"])
        if feature not in FEATURES:
            raise DataError(f"supplement place {entry!r}: feature {feature!r} is not one of {FEATURES};"
                            " see data/gazetteer/README.md")
        row = [
            str(entry["id"]),
            str(entry["name"]),
            feature,
            str(entry["country"]),
            str(entry.get("admin1") or ""),
            str(entry.get("admin2") or ""),
            str(float(entry["lat"])),
            str(float(entry["lon"])),
            str(int(entry.get("population") or 0)),
            "",
        ]
        number = gazetteer.add(row, {fold(str(a)) for a in [row[1], *(entry.get("aliases") or [])]})
        gazetteer.curated[row[0]] = number

