"""The actor registry: loading its files, the generated country actors and the name index.

The registry is data (``khabar/data/actors/*.yaml``, schema in its README): organisations, armed groups
and persons are written by hand; every ISO 3166 country's role actors are generated (``countries.py``).
Roles are date-bounded (``ActorPhase``, ``Affiliation``) and resolved at the event's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from khabar.actors.coding import ActorCoding, load_coding
from khabar.actors.countries import SCHEMA as COUNTRIES_SCHEMA
from khabar.actors.countries import alpha3_codes, capitals, country_actors
from khabar.actors.entries import ACTOR_FILE, Branch, check_references, file_entries
from khabar.actors.lexicon import ActorLexicon, load_lexicon
from khabar.actors.normalise import normalise
from khabar.datafiles import read_packaged_yaml, read_yaml_file
from khabar.errors import DataError
from khabar.places.lexicon import load_lexicon as load_place_lexicon
from khabar.records import Actor, ActorPhase, Affiliation

NOT_ACTOR_FILES = frozenset({"lexicon.yaml", "countries.yaml", "coding.yaml"})  # every other *.yaml holds actors


@dataclass(slots=True, frozen=True)
class AliasEntry:
    """One indexed surface form of an actor."""

    actor_id: str
    surface: str
    kind: str
    case_sensitive: bool


@dataclass(slots=True, frozen=True)
class NameIndex:
    """Every actor name and alias by normalised key and by transliteration skeleton."""

    entries: dict[str, list[AliasEntry]]
    skeletons: dict[str, list[str]]  # skeleton -> actor ids
    by_token: dict[str, set[str]]  # first or last skeleton token -> skeletons holding it
    prefixes: frozenset[str]  # every key's leading words, to stop scans early


@dataclass(slots=True, frozen=True)
class Registry:
    """The actor registry with its lookup indexes, lexicon and coding tables; built once by ``load_registry``."""

    actors: dict[str, Actor]
    lexicon: ActorLexicon
    coding: ActorCoding
    names: NameIndex
    branches: dict[str, list[Branch]]  # parent id -> (branch id, regions)
    capitals: dict[str, str]  # normalised capital city -> government actor id
    alpha3: dict[str, str]  # ISO alpha-2 -> alpha-3
    # the geoparser's words for a kind of place or a street ("district", "state", "drive"), normalised: a
    # name that ends in one or comes before one is a place, not a person
    place_words: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        """A short form: the full tables would fill a screen."""
        return f"Registry({len(self.actors)} actors, {len(self.names.entries)} name keys)"

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, if any."""
        return self.actors.get(actor_id)

    def all(self) -> Iterator[Actor]:
        """Every actor in the registry."""
        return iter(self.actors.values())

    def phase_at(self, actor_id: str, day: date | None) -> ActorPhase:
        """How the actor is coded at a date (its base coding when no phase covers the date)."""
        actor = self.actors.get(actor_id)
        if actor is None:
            return ActorPhase(type="person" if actor_id.startswith("provisional:") else "unidentified")
        for phase in actor.phases:
            if _covers(phase.start, phase.end, day):
                return phase
        return ActorPhase(actor.type, actor.acled_name, actor.inter, actor.plover_sector, actor.name)

    def acled_name(self, actor_id: str, day: date | None) -> str:
        """The ACLED actor name at a date; a person is coded by their organisation."""
        actor = self.actors.get(actor_id)
        if actor is not None and actor.type == "person":
            tie = self.affiliation_at(actor_id, day)
            return self.acled_name(tie.actor_id, day) if tie and tie.actor_id != actor_id else ""
        return self.phase_at(actor_id, day).acled_name

    def acled_side(self, event_type: str, actor_id: str, day: date | None) -> str:
        """The ACLED name of an event's second side at a date; "" for one ACLED does not code as that side."""
        return self.acled_name(actor_id, day) if self.coding.is_acled_side(event_type, actor_id) else ""

    def country_of(self, actor_id: str) -> str:
        """The actor's ISO 3166 alpha-2 country, or ""."""
        actor = self.actors.get(actor_id)
        return actor.country if actor else ""

    def affiliation_at(self, actor_id: str, day: date | None) -> Affiliation | None:
        """The actor's organisation at a date (offices first); undated: the latest one."""
        actor = self.actors.get(actor_id)
        if actor is None or not actor.affiliations:
            return None
        live = [a for a in actor.affiliations if day is None or _covers(a.start, a.end, day)]

        def order(tie: Affiliation) -> tuple[int, int, int]:
            """Open-ended ties first when undated, then by relation, then the most recent."""
            still_open = 0 if day is not None or tie.end is None else 1
            return still_open, self.coding.relation_rank(tie.relation), -(tie.start or date.min).toordinal()

        return min(live, key=order) if live else None

    def lookup(self, key: str) -> list[AliasEntry]:
        """Alias entries for a normalised key."""
        return self.names.entries.get(key, [])


def _covers(start: date | None, end: date | None, day: date | None) -> bool:
    """Whether a date falls in an open or closed interval (no date: the open-ended one)."""
    if day is None:
        return end is None
    return (start is None or start <= day) and (end is None or day <= end)


# --- loading -------------------------------------------------------------------------------


def load_registry(extra: Path | None = None) -> Registry:
    """Load the packaged registry, lexicon, coding tables and countries, extended by a user registry file."""
    lexicon, coding = load_lexicon(), load_coding()
    _check_lexicon_roles(lexicon, coding)
    actors: dict[str, Actor] = {}
    extra_aliases: dict[str, list[str]] = {}
    branches: dict[str, list[Branch]] = {}
    countries = read_packaged_yaml("actors", "countries.yaml", schema=COUNTRIES_SCHEMA)
    for actor, demonyms in country_actors(countries, coding):
        actors[actor.actor_id] = actor
        extra_aliases[actor.actor_id] = demonyms
    files = [(f"actors/{name}", read_packaged_yaml("actors", name, schema=ACTOR_FILE)) for name in _actor_files()]
    if extra is not None:
        files.append((str(extra), read_yaml_file(extra, schema=ACTOR_FILE)))
    for label, data in files:
        for entry, branch in file_entries(data, label, coding):
            actors[entry.actor_id] = entry
            if branch:
                parent, regions = branch
                branches.setdefault(parent, []).append((entry.actor_id, regions))
    check_references(actors)
    names = build_index(actors, lexicon, extra_aliases)
    return Registry(actors, lexicon, coding, names, branches, capitals(countries), alpha3_codes(), _place_words())


def _check_lexicon_roles(lexicon: ActorLexicon, coding: ActorCoding) -> None:
    """Fail when a lexicon noun names a role coding.yaml does not generate (a typo would name no actor)."""
    roles = {r.role for r in coding.roles}
    tables = {"force_nouns": (lexicon.force_nouns, roles | {"self"}), "bare_nouns": (lexicon.bare_nouns, roles),
              "installations": (lexicon.installations, roles)}
    for section, (table, allowed) in tables.items():
        unknown = sorted({role for role in table.values() if role not in allowed})
        if unknown:
            raise DataError(f"actors/lexicon.yaml: {section}: roles {unknown} are not among coding.yaml roles; "
                            "fix the file")


def _place_words() -> frozenset[str]:
    """The geoparser's feature and street words, normalised as actor names are (one list for what names a place)."""
    places = load_place_lexicon()
    return frozenset(normalise(w) for w in (*places.feature_words, *places.street_words)) - {""}


def _actor_files() -> list[str]:
    """The packaged data files holding actor entries, by name."""
    base = resources.files("khabar") / "data" / "actors"
    return sorted(p.name for p in base.iterdir() if p.name.endswith(".yaml") and p.name not in NOT_ACTOR_FILES)


# --- index ---------------------------------------------------------------------------------


def build_index(actors: dict[str, Actor], lexicon: ActorLexicon, extra_aliases: dict[str, list[str]]) -> NameIndex:
    """Index every name and alias by normalised key and skeleton."""
    index = NameIndex({}, {}, {}, frozenset())
    prefixes: set[str] = set()
    for actor in actors.values():
        surfaces = [(actor.name, "name"), *((a, "alias") for a in actor.aliases)]
        surfaces += [(d, "description") for d in extra_aliases.get(actor.actor_id, [])]
        for surface, kind in surfaces:
            _index_one(index, prefixes, lexicon, AliasEntry(actor.actor_id, surface, kind, is_acronym(surface)))
    return NameIndex(index.entries, index.skeletons, index.by_token, frozenset(prefixes))


def _index_one(index: NameIndex, prefixes: set[str], lexicon: ActorLexicon, entry: AliasEntry) -> None:
    """Index one surface form (the index is still being built)."""
    key = normalise(entry.surface)
    if not key:
        return
    bucket = index.entries.setdefault(key, [])
    same = [n for n, e in enumerate(bucket) if e.actor_id == entry.actor_id]
    if not same:
        bucket.append(entry)
    elif entry.surface[:1].islower() and not entry.case_sensitive:
        bucket[same[0]] = entry  # a lowercase alias ("arbakis") also lets the lowercase surface match
    words = key.split()
    prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    skel = lexicon.skeleton(key)
    if skel and len(skel) > 3:
        ids = index.skeletons.setdefault(skel, [])
        if entry.actor_id not in ids:
            ids.append(entry.actor_id)
        for token in {skel.split()[0], skel.split()[-1]}:
            index.by_token.setdefault(token, set()).add(skel)


def is_acronym(surface: str) -> bool:
    """Whether a surface form must match case-sensitively (acronyms and short forms)."""
    letters = [c for c in surface if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) <= 3 or upper >= max(2, len(letters) - 1)
