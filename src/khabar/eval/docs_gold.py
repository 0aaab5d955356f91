"""Document-level gold in the seeds format: loading, and deciding which actor a gold name means."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from khabar.actors import Registry
from khabar.errors import InputError
from khabar.eval.common import COUNTRY_ID, country_names, normalise_name, parse_day, read_text

DEFAULT_RADIUS_KM = 50.0
_YEAR_SUFFIX = re.compile(r"\s*\(\d{4}-(\d{4})?\)\s*$")


@dataclass(slots=True, frozen=True)
class Range:
    """A low..high figure of a gold toll."""

    low: float
    high: float

    def holds(self, value: float) -> bool:
        """Whether a value lies in the range."""
        return self.low <= value <= self.high


@dataclass(slots=True, frozen=True)
class GoldEvent:
    """A gold event reduced to what matching and field scoring need."""

    key: str
    docs: tuple[str, ...]
    window: tuple[date, date] | None
    point: tuple[float, float, float] | None
    place_name: str
    country: str
    actor: str
    event_type: str = ""
    sub_type: str = ""
    plover: str = ""
    accept_also: tuple[str, ...] = ()
    actor1: tuple[str, ...] = ()
    actor2: str = ""
    fatalities: Range | None = None
    optional: bool = False
    optional_docs: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """The broad family the gold event belongs to."""
        return "political" if self.plover and not self.event_type else "violence"

    @property
    def all_docs(self) -> tuple[str, ...]:
        """Every document whose events may match: required and optional ones."""
        return (*self.docs, *self.optional_docs)


@dataclass(slots=True, frozen=True)
class SeedGold:
    """A gold file: documents, actors, events, claims and relations."""

    documents: tuple[dict[str, Any], ...]
    actors: tuple[dict[str, Any], ...]
    events: tuple[GoldEvent, ...]
    claims: tuple[dict[str, Any], ...]
    relations: tuple[dict[str, Any], ...]
    source: str = ""

    @property
    def files(self) -> tuple[str, ...]:
        """The document names the gold lists."""
        return tuple(str(d["file"]) for d in self.documents)


class _GoldLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps zero-padded numbers ('010') as strings, as file prefixes are."""


_GoldLoader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_GoldLoader.yaml_implicit_resolvers["0"].insert(0, ("tag:yaml.org,2002:str", re.compile(r"^0[0-9]+$")))


def load_seed_gold(path: Path) -> SeedGold:
    """A gold YAML file, with document references resolved to file names."""
    try:
        data = yaml.load(read_text(path), Loader=_GoldLoader)
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML ({exc})", "fix the gold file") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise InputError(str(path), "no 'documents' list", "follow the seeds.yaml format")
    documents = tuple(d for d in data["documents"] if isinstance(d, dict) and d.get("file"))
    files = [str(d["file"]) for d in documents]

    def resolve(item: dict[str, Any], key: str = "docs") -> tuple[str, ...]:
        """The file names an item's document references refer to."""
        return resolve_docs(item.get(key) or [], files)

    events = tuple(gold_event(e, resolve(e), resolve(e, "optional_docs"), f"{path}: event {e.get('id', '?')}")
                   for e in data.get("events") or [] if isinstance(e, dict))
    return SeedGold(
        documents=documents,
        actors=tuple(a for a in data.get("actors") or [] if isinstance(a, dict) and a.get("name")),
        events=events,
        claims=tuple({**c, "docs": resolve(c)} for c in data.get("claims") or [] if isinstance(c, dict)),
        relations=tuple({**r, "docs": resolve(r)} for r in data.get("relations") or [] if isinstance(r, dict)),
        source=str(data.get("source") or ""),
    )


def combine(golds: Sequence[SeedGold]) -> SeedGold:
    """Several gold files as one (their document names must differ)."""
    files = [f for g in golds for f in g.files]
    repeated = sorted({f for f in files if files.count(f) > 1})
    if repeated:
        raise InputError(", ".join(repeated[:3]), "a document is listed by two gold files", "list each article once")
    return SeedGold(
        documents=tuple(d for g in golds for d in g.documents),
        actors=tuple(a for g in golds for a in g.actors),
        events=tuple(e for g in golds for e in g.events),
        claims=tuple(c for g in golds for c in g.claims),
        relations=tuple(r for g in golds for r in g.relations),
    )


def resolve_docs(refs: Sequence[Any], files: Sequence[str]) -> tuple[str, ...]:
    """File names for document references (a file's name, its prefix, or the prefix as a number)."""
    found = []
    for ref in refs:
        for file in files:
            prefix = file.split("_")[0].split(".")[0]
            numeric = isinstance(ref, int) and prefix.isdigit() and int(prefix) == ref
            if str(ref) in (file, prefix) or numeric:
                found.append(file)
    return tuple(found)


def gold_event(entry: dict[str, Any], docs: tuple[str, ...], optional_docs: tuple[str, ...] = (),
               where: str = "gold event") -> GoldEvent:
    """A gold event entry reduced to its matching conditions and scored fields."""
    place: dict[str, Any] = entry["place"] if isinstance(entry.get("place"), dict) else {}
    has_point = place.get("lat") is not None and place.get("lon") is not None
    radius = float(place.get("radius_km") or DEFAULT_RADIUS_KM)
    actors = entry.get("actors") or []
    actor1 = [str(entry[k]) for k in ("actor1", "actor1_alt") if entry.get(k)]
    return GoldEvent(
        key=str(entry.get("id", "")),
        docs=docs,
        window=gold_window(entry),
        point=(float(place["lat"]), float(place["lon"]), radius) if has_point else None,
        place_name=str(place.get("name") or ""),
        country=str(place.get("country") or ""),
        actor=str(entry.get("actor1") or (actors[0] if actors else "") or ""),
        event_type=str(entry.get("type") or ""),
        sub_type=str(entry.get("sub_type") or ""),
        plover=str(entry.get("plover") or ""),
        accept_also=tuple(str(a) for a in entry.get("accept_also") or []),
        actor1=tuple(actor1),
        actor2=str(entry.get("actor2") or ""),
        fatalities=_range(entry.get("fatalities"), where),
        optional=bool(entry.get("optional")),
        optional_docs=tuple(d for d in optional_docs if d not in docs),
    )


def _range(value: Any, where: str) -> Range | None:
    """A gold toll's low..high (a lone figure is both), or None when the gold gives no number."""
    if not isinstance(value, dict) or value.get("low") is None:
        return None
    try:
        low = float(value["low"])
        high = float(value["high"]) if value.get("high") is not None else low
    except (TypeError, ValueError) as exc:
        raise InputError(where, f"toll figures must be numbers ({exc})", "write fatalities: {low: N, high: M}") from exc
    return Range(low, max(low, high))


def gold_window(entry: dict[str, Any]) -> tuple[date, date] | None:
    """The gold date window of an entry (``window`` or ``date``), if any."""
    where = f"gold item {entry.get('id', entry.get('file', '?'))}"
    window = entry.get("window") or entry.get("published_window")
    if isinstance(window, list) and len(window) == 2:
        return parse_day(window[0], where), parse_day(window[1], where)
    day = entry.get("date") or entry.get("published")
    return (parse_day(day, where), parse_day(day, where)) if day else None


def plover_root(text: str) -> str:
    """The PLOVER root of a type string ('SEIZE/transfer of power' and 'AID (promised)' give SEIZE, AID)."""
    words = re.split(r"[\s/(]+", text.strip())
    return words[0].upper() if words and words[0] else ""


def acled_key(name: str) -> str:
    """An ACLED actor name compared without its year suffix and without 'the'."""
    plain = normalise_name(_YEAR_SUFFIX.sub("", name))
    return " ".join(w for w in plain.replace("(", "( ").split() if w != "the").replace("( ", "(")


class ActorMatcher:
    """Decides whether a khabar actor id stands for a gold name (canonical or ACLED-style)."""

    def __init__(self, registry: Registry, gold_actors: Sequence[dict[str, Any]]) -> None:
        """Index the alternatives the gold notes allow."""
        self.registry = registry
        self.alternatives: dict[str, set[str]] = defaultdict(set)
        for actor in gold_actors:
            parent = str(actor.get("parent") or "")
            if parent and parent in str(actor.get("note") or ""):
                self.alternatives[normalise_name(actor["name"])].add(normalise_name(parent))
                self.alternatives[normalise_name(parent)].add(normalise_name(actor["name"]))

    def names(self, actor_id: str) -> set[str]:
        """Normalised names an actor id answers to."""
        names = {normalise_name(actor_id.rsplit(":", maxsplit=1)[-1].replace("-", " "))}
        ids = [actor_id]
        found = COUNTRY_ID.match(actor_id)
        if found:
            ids.append(f"state:{found.group(1)}")
            names |= country_names(found.group(1))
        for each in ids:
            actor = self.registry.get(each)
            if actor is not None:
                names |= {normalise_name(n) for n in (actor.name, *actor.aliases)}
        return names

    def matches(self, actor_id: str, gold_name: str, alternatives: bool = True, day: date | None = None) -> bool:
        """Whether the actor id stands for the gold name, its ACLED name at ``day``, or an accepted alternative."""
        if not actor_id or not gold_name:
            return False
        wanted = {normalise_name(re.sub(r"\(.*?\)", "", gold_name))}
        if alternatives:
            wanted |= self.alternatives.get(next(iter(wanted)), set())
        if self.names(actor_id) & wanted:
            return True
        acled = self.registry.acled_name(actor_id, day)
        return bool(acled) and acled_key(acled) == acled_key(gold_name)
