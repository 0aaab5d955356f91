"""The actors' coding tables (``data/actors/coding.yaml``): types, ACLED inter codes and generated roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError

SOURCE = "actors/coding.yaml"
_ROLE = Fields(required={"type": str, "acled": str, "inter": int, "sector": str, "name": str})
SCHEMA = Fields(
    required={
        "version": int, "types": [str], "inter_codes": {str: str}, "roles": {str: _ROLE},
        "coordinated_roles": [str], "affiliation_order": {str: int}, "unsided": {str: [str]},
    },
)


@dataclass(slots=True, frozen=True)
class RoleTemplate:
    """How one generated country role actor is coded (``military:AFG`` -> "Military Forces of Afghanistan")."""

    role: str
    type: str
    acled: str  # ACLED's name, with {country}, {year} (the regime tag, " (2021-)") and {the} (an article, "the ")
    inter: int
    sector: str
    name: str  # khabar's display name, with {name}

    @property
    def dated(self) -> bool:
        """Whether ACLED tags this role's name with the year its regime took office."""
        return "{year}" in self.acled

    def acled_name(self, country: str, year_tag: str = "", article: str = "") -> str:
        """ACLED's name of this role of a country, with a regime tag or none.

        ``article`` ("the") goes where the pattern has ``{the}``: "Military Forces of the United States", yet
        "Protesters (United States)".
        """
        the = f"{article} " if article else ""
        return self.acled.format(country=country, year=year_tag, the=the)

    def display_name(self, country: str) -> str:
        """The display name of this role of a country."""
        return self.name.format(name=country)


@dataclass(slots=True, frozen=True)
class ActorCoding:
    """The coding tables the registry validates and generates actors with."""

    types: frozenset[str]
    inter_codes: dict[int, str]
    roles: tuple[RoleTemplate, ...]
    coordinated_roles: frozenset[str]
    affiliation_order: dict[str, int]
    unsided: dict[str, frozenset[str]]

    def is_acled_side(self, event_type: str, actor_id: str) -> bool:
        """Whether ACLED codes an actor as the second side of an event of this type (not a protest's authority)."""
        return actor_id.split(":", 1)[0] not in self.unsided.get(event_type, frozenset())

    def role(self, name: str) -> RoleTemplate | None:
        """The generated role of this name, if any."""
        return next((r for r in self.roles if r.role == name), None)

    def relation_rank(self, relation: str) -> int:
        """Where a tie of this relation comes when naming a person's organisation (unknown: last)."""
        return self.affiliation_order.get(relation, max(self.affiliation_order.values(), default=0) + 1)


def load_coding() -> ActorCoding:
    """The packaged coding tables, validated."""
    data = read_packaged_yaml("actors", "coding.yaml", schema=SCHEMA)
    types = frozenset(map(str, data["types"]))
    inter_codes = _inter_codes(data["inter_codes"])
    roles = tuple(_role(str(name), fields, types, inter_codes) for name, fields in data["roles"].items())
    coordinated = frozenset(map(str, data["coordinated_roles"]))
    unknown = coordinated - {r.role for r in roles}
    if unknown:
        raise DataError(f"{SOURCE}: coordinated_roles: {sorted(unknown)} are not among roles; fix the file")
    unsided = {str(k): frozenset(map(str, v)) for k, v in data["unsided"].items()}
    unknown = frozenset().union(*unsided.values()) - {r.role for r in roles}
    if unknown:
        raise DataError(f"{SOURCE}: unsided: {sorted(unknown)} are not among roles; fix the file")
    return ActorCoding(types, inter_codes, roles, coordinated,
                       {str(k): int(v) for k, v in data["affiliation_order"].items()}, unsided)


def _inter_codes(table: dict[Any, Any]) -> dict[int, str]:
    """The inter-code table, keyed by integer code."""
    if not all(isinstance(code, int) and not isinstance(code, bool) for code in table):
        raise DataError(f"{SOURCE}: inter_codes: every key is an ACLED code number; fix the file")
    return {int(code): str(label) for code, label in table.items()}


def _role(name: str, fields: dict[str, Any], types: frozenset[str], inter_codes: dict[int, str]) -> RoleTemplate:
    """One generated role, its type, inter code and name patterns checked."""
    template = RoleTemplate(name, str(fields["type"]), str(fields["acled"]), int(fields["inter"]),
                            str(fields["sector"]), str(fields["name"]))
    if template.type not in types:
        raise DataError(f"{SOURCE}: roles.{name}.type: {template.type!r} is not among types; fix the file")
    if template.inter not in inter_codes:
        raise DataError(f"{SOURCE}: roles.{name}.inter: {template.inter} is not among inter_codes; fix the file")
    try:
        template.acled_name("X", " (2000-)")
        template.display_name("X")
    except (KeyError, IndexError, ValueError) as exc:
        fix = "use {country}, {year} and {the} in acled, {name} in name"
        raise DataError(f"{SOURCE}: roles.{name}: bad name pattern ({exc!r}); {fix}") from exc
    return template
