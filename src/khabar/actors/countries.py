"""The role actors generated for every ISO 3166 country (pycountry), with ``countries.yaml`` overrides.

Each country gets one actor per role of ``coding.yaml`` (``state:AFG``, ``military:AFG`` ...), named as
ACLED names it; ``regimes`` give the dated phases ACLED's "(YEAR-)" tags run over.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pycountry

from khabar.actors.coding import ActorCoding, RoleTemplate
from khabar.actors.entries import DATE, PHASE, parse_day, parse_phase
from khabar.actors.normalise import normalise
from khabar.datafiles import Either, Fields
from khabar.errors import DataError
from khabar.records import Actor, ActorPhase

_NAMES = [str]
_OVERRIDE = Fields(optional={
    "acled": str, "name": str, "aliases": Either(_NAMES, type(None)), "demonyms": Either(_NAMES, type(None)),
    "capitals": Either(_NAMES, type(None)), "regimes": Either([DATE], type(None)), "article": str,
    "role_aliases": Either({str: Either(_NAMES, type(None))}, type(None)),
    "phases": Either({str: [PHASE]}, type(None)),
})
SCHEMA = {str: Either(_OVERRIDE, type(None))}  # keyed by ISO alpha-3 code


def country_actors(overrides: dict[str, Any], coding: ActorCoding) -> Iterator[tuple[Actor, list[str]]]:
    """The generated role actors of every pycountry country, with demonym aliases."""
    for country in pycountry.countries:
        yield from _one_country(country, overrides.get(country.alpha_3) or {}, coding)


def capitals(overrides: dict[str, Any]) -> dict[str, str]:
    """Normalised capital-city names mapped to their country's government (for 'Moscow said')."""
    return {
        normalise(str(city)): f"government:{code}"
        for code, extra in overrides.items()
        if isinstance(extra, dict)
        for city in extra.get("capitals", ()) or ()
    }


def alpha3_codes() -> dict[str, str]:
    """ISO alpha-3 codes by alpha-2 code."""
    return {str(c.alpha_2): str(c.alpha_3) for c in pycountry.countries}


def _one_country(country: Any, extra: dict[str, Any], coding: ActorCoding) -> Iterator[tuple[Actor, list[str]]]:
    """The generated actors of one country."""
    where = f"countries.yaml {country.alpha_3}"
    common = str(getattr(country, "common_name", "") or country.name)
    acled = str(extra.get("acled", common))
    article = str(extra.get("article", ""))
    display = str(extra.get("name", common))
    names = {country.name, common, acled, display, *map(str, extra.get("aliases", ()) or ())}
    official = getattr(country, "official_name", "")
    if official:
        names.add(str(official))
    demonyms = [str(d) for d in extra.get("demonyms", ()) or ()]
    regimes = sorted(parse_day(r, where) or date.min for r in extra.get("regimes", ()) or ())
    role_phases = extra.get("phases", {}) or {}
    for template in coding.roles:
        role = template.role
        phases = tuple(_regime_phases(template, acled, regimes, article)) if regimes else ()
        phases = tuple(parse_phase(p, where, coding) for p in role_phases.get(role, ())) + phases
        actor = Actor(
            actor_id=f"{role}:{country.alpha_3}",
            name=template.display_name(display),
            type=template.type,
            country=country.alpha_2,
            aliases=tuple(sorted(names)) if role == "state" else _role_aliases(extra, role, where, coding),
            acled_name=template.acled_name(acled, _year_tag(regimes[-1]) if regimes else "", article),
            inter=template.inter,
            plover_sector=template.sector,
            phases=phases,
            source="generated from ISO 3166 (pycountry)",
        )
        yield actor, (demonyms if role == "state" else [])


def _role_aliases(extra: dict[str, Any], role: str, where: str, coding: ActorCoding) -> tuple[str, ...]:
    """Names of one role actor of a country (e.g. the Afghan National Army for military:AFG)."""
    table = extra.get("role_aliases", {}) or {}
    if any(coding.role(key) is None for key in table):
        raise DataError(f"{where}: role_aliases keys must be among {sorted(r.role for r in coding.roles)}")
    return tuple(str(a) for a in table.get(role, ()) or ())


def _year_tag(start: date) -> str:
    """ACLED's open-ended regime tag, e.g. " (2014-)"."""
    return f" ({start.year}-)"


def _regime_phases(template: RoleTemplate, acled: str, regimes: list[date], article: str) -> Iterator[ActorPhase]:
    """One phase per regime period, named as ACLED named it while the period ran."""
    if not template.dated:
        return
    for number, start in enumerate(regimes):
        end = regimes[number + 1].fromordinal(regimes[number + 1].toordinal() - 1) if number + 1 < len(
            regimes
        ) else None
        name = template.acled_name(acled, _year_tag(start), article)
        yield ActorPhase(template.type, name, template.inter, template.sector, name, start if number else None, end)
