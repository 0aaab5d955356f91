"""Actor entries of the registry files (``data/actors/*.yaml`` and a user's file), parsed and validated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from khabar.actors.coding import ActorCoding
from khabar.actors.normalise import slug
from khabar.datafiles import Either, Fields
from khabar.errors import DataError
from khabar.records import Actor, ActorPhase, Affiliation


def _nullable(spec: Any) -> Either:
    """A schema met by ``spec`` or by an empty value."""
    return Either(spec, type(None))


DATE = _nullable(Either(str, date))  # YYYY, YYYY-MM or YYYY-MM-DD; YAML reads a full date as a date
AFFILIATION = Fields(required={"actor": str}, optional={"relation": str, "title": str, "from": DATE, "to": DATE})
PHASE = Fields(
    required={"type": str},
    optional={"acled": str, "inter": _nullable(int), "sector": str, "label": str, "from": DATE, "to": DATE},
)
_ENTRY = {
    "name": str, "type": str, "id": _nullable(str), "country": str, "aliases": _nullable([str]), "acled": str,
    "inter": _nullable(int), "sector": str, "wikidata": _nullable(str), "affiliations": _nullable([AFFILIATION]),
    "phases": _nullable([PHASE]), "source": str, "local_branch_in": _nullable([str]),
}
# one registry file: `actors:` (required when loading; absent in a user file not yet written to) and `defaults:`
ACTOR_FILE = Fields(optional={"actors": [Fields(optional=_ENTRY)], "defaults": Fields(optional=_ENTRY)})

Branch = tuple[str, frozenset[str]]  # (parent id, alpha-2 codes where a bare mention of the parent means the branch)


def file_entries(data: dict[str, Any], label: str, coding: ActorCoding) -> Iterator[tuple[Actor, Branch | None]]:
    """Validated actors (and any branch declaration) from one registry file's mapping."""
    entries = data.get("actors")
    if entries is None:
        raise DataError(f"{label}: expected a list under 'actors:'; see data/actors/README.md")
    defaults = data.get("defaults") or {}
    for number, entry in enumerate(entries, 1):
        yield parse_actor({**defaults, **entry}, f"{label} entry {number}", coding)


def parse_actor(entry: dict[str, Any], where: str, coding: ActorCoding) -> tuple[Actor, Branch | None]:
    """One registry entry as an Actor, validated."""
    if not entry.get("name") or not entry.get("type"):
        raise DataError(f"{where}: every actor needs 'name' and 'type'; add them")
    kind = str(entry["type"])
    if kind not in coding.types:
        raise DataError(f"{where} ({entry['name']}): type {kind!r} unknown; use one of {sorted(coding.types)}")
    inter = entry.get("inter")
    if inter is not None and inter not in coding.inter_codes:
        raise DataError(f"{where} ({entry['name']}): inter must be an ACLED code {_codes(coding)}, not {inter!r}")
    actor = Actor(
        actor_id=str(entry.get("id") or slug(str(entry["name"]))),
        name=str(entry["name"]),
        type=kind,
        country=str(entry.get("country", "")),
        aliases=tuple(str(a) for a in entry.get("aliases", ()) or ()),
        acled_name=str(entry.get("acled", "")),
        inter=inter,
        plover_sector=str(entry.get("sector", "")),
        wikidata=str(entry.get("wikidata", "") or ""),
        affiliations=tuple(parse_affiliation(a, where) for a in entry.get("affiliations", ()) or ()),
        phases=tuple(parse_phase(p, where, coding) for p in entry.get("phases", ()) or ()),
        source=str(entry.get("source", "public record")),
    )
    regions = entry.get("local_branch_in")
    parents = [a.actor_id for a in actor.affiliations if a.relation == "branch"]
    branch = (parents[0], frozenset(regions)) if regions and parents else None
    return actor, branch


def _codes(coding: ActorCoding) -> str:
    """The range of ACLED inter codes, for messages."""
    return f"{min(coding.inter_codes)}-{max(coding.inter_codes)}"


def parse_day(value: Any, where: str, last: bool = False) -> date | None:
    """A date from YAML (YYYY, YYYY-MM or YYYY-MM-DD); ``last`` picks the period's last day."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = int(match[1]), int(match[2] or (12 if last else 1)), match[3]
        if day:
            return date(year, month, int(day))
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1) if last else date(year, month, 1)
    except ValueError as exc:
        raise DataError(f"{where}: bad date {text!r}; write YYYY, YYYY-MM or YYYY-MM-DD") from exc


def parse_affiliation(data: dict[str, Any], where: str) -> Affiliation:
    """An affiliation entry."""
    return Affiliation(
        actor_id=str(data["actor"]),
        relation=str(data.get("relation", "member")),
        title=str(data.get("title", "")),
        start=parse_day(data.get("from"), where),
        end=parse_day(data.get("to"), where, last=True),
    )


def parse_phase(data: Any, where: str, coding: ActorCoding) -> ActorPhase:
    """A phase entry."""
    if not isinstance(data, dict) or data.get("type") not in coding.types:
        raise DataError(f"{where}: each phase needs a valid 'type' (one of {sorted(coding.types)})")
    return ActorPhase(
        type=str(data["type"]),
        acled_name=str(data.get("acled", "")),
        inter=data.get("inter"),
        plover_sector=str(data.get("sector", "")),
        label=str(data.get("label", "")),
        start=parse_day(data.get("from"), where),
        end=parse_day(data.get("to"), where, last=True),
    )


def check_references(actors: dict[str, Actor]) -> None:
    """Every affiliation must point at a known actor."""
    for actor in actors.values():
        for tie in actor.affiliations:
            if tie.actor_id not in actors:
                raise DataError(
                    f"actor {actor.actor_id!r}: affiliation to unknown actor {tie.actor_id!r}; "
                    "add that actor or fix the id"
                )
