"""The actors stage: the actor registry and the resolver that maps mentions to actors.

The registry is data (``khabar/data/actors/*.yaml``, schema in its README): organisations,
armed groups and persons are written by hand; a state, government, military, police,
civilians and unidentified-armed-group actor for every ISO 3166 country is generated at
load time from pycountry, with ``countries.yaml`` supplying ACLED names, demonyms and the
dates from which ACLED's ``(YEAR-)`` tags run. Roles are date-bounded (``ActorPhase``,
``Affiliation``) and resolved at the event's date.

Resolution cascade, per document:
  1. in-document acronym definitions ("Long Name (LN)");
  2. exact alias scan over tokens (an index keyed by normalised text, gated by first token);
  3. descriptive phrases from the lexicon ("Afghan security forces", "unidentified gunmen");
  4. NER spans not yet covered: transliteration skeleton, then fuzzy over a small candidate
     set, then surname coreference, then provisional persons;
  5. context: a parent named in a document about a branch's region resolves to the branch;
  6. titles and appositions give a person's role and affiliation;
  7. coreference of "the group" and subject pronouns.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import yaml
from rapidfuzz import fuzz

from khabar.datafiles import YAML_LOADER
from khabar.errors import DataError
from khabar.records import Actor, ActorMention, ActorPhase, Affiliation, Analysis, Entity, Token

TYPES = frozenset(
    {
        "state", "state_forces", "government", "armed_group", "militia", "political_party",
        "igo", "ngo", "media", "person", "civilians", "unidentified", "protesters", "rioters",
    }
)
ROLE_PREFIXES = ("state", "government", "military", "police", "civilians", "unidentified")
_MAX_NGRAM = 9
_FUZZY_TOKEN = 72.0
_FUZZY_SORT = 85.0
_COREF_WINDOW = 3
CURRENCY_WORDS = frozenset({"$", "dollar", "dollars", "cents"})


@dataclass(slots=True, frozen=True)
class AliasEntry:
    """One indexed surface form of an actor."""

    actor_id: str
    surface: str
    kind: str
    case_sensitive: bool


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Descriptive phrases, titles and normalisation rules (``data/actors/lexicon.yaml``)."""

    force_nouns: dict[str, str]
    bare_nouns: dict[str, str]
    titles: frozenset[str]
    coref_nouns: frozenset[str]
    person_pronouns: frozenset[str]
    connectors: frozenset[str]
    translit: tuple[tuple[str, str], ...]
    apposition_glue: frozenset[str]
    negating_prefixes: frozenset[str]
    name_glue: frozenset[str]
    # every bare noun key and its leading words ("u s", "u s troops"): a token's form outside it starts no key
    bare_noun_starts: frozenset[str]
    installations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Registry:
    """The actor registry with its lookup indexes."""

    actors: dict[str, Actor]
    lexicon: Lexicon
    branches: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    index: dict[str, list[AliasEntry]] = field(default_factory=dict)
    skeletons: dict[str, list[str]] = field(default_factory=dict)
    by_token: dict[str, set[str]] = field(default_factory=dict)
    prefixes: set[str] = field(default_factory=set)  # every alias key's leading words, to stop scans early
    capitals: dict[str, str] = field(default_factory=dict)

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
        rank = {"office": 0, "leader": 0, "member": 1, "branch": 2, "faction": 2, "parent": 3}

        def order(tie: Affiliation) -> tuple[int, int, int]:
            """Open-ended ties first when undated, then by relation, then the most recent."""
            still_open = 0 if day is not None or tie.end is None else 1
            return still_open, rank.get(tie.relation, 4), -(tie.start or date.min).toordinal()

        return min(live, key=order) if live else None

    def lookup(self, key: str) -> list[AliasEntry]:
        """Alias entries for a normalised key."""
        return self.index.get(key, [])


def _covers(start: date | None, end: date | None, day: date | None) -> bool:
    """Whether a date falls in an open or closed interval (no date: the open-ended one)."""
    if day is None:
        return end is None
    return (start is None or start <= day) and (end is None or day <= end)


# --- normalisation -------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=100_000)  # every token of every document passes here: bounded, yet far above a vocabulary
def normalise(text: str) -> str:
    """Lowercase, accent-free, punctuation-free form of a name."""
    plain = text
    if not text.isascii():  # ASCII has neither decompositions nor combining marks
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", _APOSTROPHES.sub("", plain.lower())).strip()


def skeleton(key: str, lexicon: Lexicon) -> str:
    """A transliteration-tolerant key: connectors dropped, spelling variants folded."""
    return " ".join(_skeleton_token(t, lexicon) for t in key.split() if t not in lexicon.connectors)


@cache
def _fold(token: str, rules: tuple[tuple[str, str], ...]) -> str:
    """Fold one token's transliteration variants."""
    for old, new in rules:
        token = token.replace(old, new)
    if len(token) > 1:
        token = token[0] + token[1:].replace("h", "")
    return re.sub(r"(.)\1+", r"\1", token)


def _skeleton_token(token: str, lexicon: Lexicon) -> str:
    """Skeleton of one token."""
    return _fold(token, lexicon.translit)


def slug(name: str) -> str:
    """The id slug of a canonical name."""
    return normalise(name).replace(" ", "-")


# --- loading -------------------------------------------------------------------------------


def load_registry(extra: Path | None = None) -> Registry:
    """Load the packaged registry and countries, extended by a user registry file."""
    base = resources.files("khabar") / "data" / "actors"
    lexicon = _load_lexicon(_read_yaml(base / "lexicon.yaml", "lexicon.yaml"))
    actors: dict[str, Actor] = {}
    extra_aliases: dict[str, list[str]] = {}
    branches: dict[str, list[tuple[str, frozenset[str]]]] = {}
    countries = _read_yaml(base / "countries.yaml", "countries.yaml")
    for actor, demonyms in _country_actors(countries):
        actors[actor.actor_id] = actor
        extra_aliases[actor.actor_id] = demonyms
    files = [(str(p.name), p) for p in sorted(base.iterdir(), key=lambda p: p.name) if _is_actor_file(p.name)]
    if extra is not None:
        files.append((str(extra), extra))
    for label, path in files:
        for entry, branch in _read_actor_file(path, label):
            actors[entry.actor_id] = entry
            if branch:
                parent, regions = branch
                branches.setdefault(parent, []).append((entry.actor_id, regions))
    _check_references(actors)
    registry = Registry(actors, lexicon, branches, capitals=_capitals(countries))
    _build_index(registry, extra_aliases)
    return registry


@cache
def packaged_lexicon() -> Lexicon:
    """The packaged actors lexicon alone (for stages that read its nouns without a registry)."""
    base = resources.files("khabar") / "data" / "actors"
    return _load_lexicon(_read_yaml(base / "lexicon.yaml", "lexicon.yaml"))


def bare_role(words: list[str]) -> str:
    """The role a bare descriptive noun phrase names ("soldiers" -> military), or ""."""
    return packaged_lexicon().bare_nouns.get(normalise(" ".join(words)), "")


def installation_role(words: list[str]) -> str:
    """The force an attacked installation or vehicle stands for ("checkpoint" -> military), or ""."""
    return packaged_lexicon().installations.get(normalise(" ".join(words)), "")


def _is_actor_file(name: str) -> bool:
    """Whether a packaged data file holds actor entries."""
    return name.endswith(".yaml") and name not in {"lexicon.yaml", "countries.yaml"}


def _read_yaml(source: Any, label: str) -> Any:
    """Parse a YAML file, naming the file in any error."""
    try:
        return yaml.load(source.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{label}: cannot read actor data ({exc}); fix the YAML syntax or the path") from exc


def _read_actor_file(path: Any, label: str) -> Iterator[tuple[Actor, tuple[str, frozenset[str]] | None]]:
    """Validated actors (and any branch declaration) from one registry file."""
    data = _read_yaml(path, label)
    entries = data.get("actors") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise DataError(f"{label}: expected a list under 'actors:'; see data/actors/README.md")
    defaults = data.get("defaults", {}) if isinstance(data, dict) else {}
    for number, entry in enumerate(entries, 1):
        merged = {**defaults, **entry} if isinstance(entry, dict) else entry
        yield _parse_actor(merged, f"{label} entry {number}")


def _parse_actor(entry: Any, where: str) -> tuple[Actor, tuple[str, frozenset[str]] | None]:
    """One registry entry as an Actor, validated."""
    if not isinstance(entry, dict) or not entry.get("name") or not entry.get("type"):
        raise DataError(f"{where}: every actor needs 'name' and 'type'; add them")
    kind = str(entry["type"])
    if kind not in TYPES:
        raise DataError(f"{where} ({entry['name']}): type {kind!r} unknown; use one of {sorted(TYPES)}")
    inter = entry.get("inter")
    if inter is not None and inter not in range(1, 9):
        raise DataError(f"{where} ({entry['name']}): inter must be an ACLED code 1-8, not {inter!r}")
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
        affiliations=tuple(_parse_affiliation(a, where) for a in entry.get("affiliations", ()) or ()),
        phases=tuple(_parse_phase(p, where) for p in entry.get("phases", ()) or ()),
        source=str(entry.get("source", "public record")),
    )
    regions = entry.get("local_branch_in")
    parents = [a.actor_id for a in actor.affiliations if a.relation == "branch"]
    branch = (parents[0], frozenset(regions)) if regions and parents else None
    return actor, branch


def _day(value: Any, where: str, last: bool = False) -> date | None:
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


def _parse_affiliation(data: Any, where: str) -> Affiliation:
    """An affiliation entry."""
    if not isinstance(data, dict) or "actor" not in data:
        raise DataError(f"{where}: each affiliation needs 'actor' (an actor id) and 'relation'")
    return Affiliation(
        actor_id=str(data["actor"]),
        relation=str(data.get("relation", "member")),
        title=str(data.get("title", "")),
        start=_day(data.get("from"), where),
        end=_day(data.get("to"), where, last=True),
    )


def _parse_phase(data: Any, where: str) -> ActorPhase:
    """A phase entry."""
    if not isinstance(data, dict) or data.get("type") not in TYPES:
        raise DataError(f"{where}: each phase needs a valid 'type' (one of {sorted(TYPES)})")
    return ActorPhase(
        type=str(data["type"]),
        acled_name=str(data.get("acled", "")),
        inter=data.get("inter"),
        plover_sector=str(data.get("sector", "")),
        label=str(data.get("label", "")),
        start=_day(data.get("from"), where),
        end=_day(data.get("to"), where, last=True),
    )


def _check_references(actors: dict[str, Actor]) -> None:
    """Every affiliation must point at a known actor."""
    for actor in actors.values():
        for tie in actor.affiliations:
            if tie.actor_id not in actors:
                raise DataError(
                    f"actor {actor.actor_id!r}: affiliation to unknown actor {tie.actor_id!r}; "
                    "add that actor or fix the id"
                )


def _load_lexicon(data: Any) -> Lexicon:
    """The lexicon, validated."""
    needed = ("force_nouns", "bare_nouns", "titles", "coref_nouns", "person_pronouns", "connectors", "translit")
    missing = [k for k in needed if not isinstance(data, dict) or k not in data]
    if missing:
        raise DataError(f"lexicon.yaml: missing sections {missing}; see data/actors/README.md")
    bare_nouns = {normalise(str(k)): str(v) for k, v in data["bare_nouns"].items()}
    return Lexicon(
        force_nouns={normalise(str(k)): str(v) for k, v in data["force_nouns"].items()},
        bare_nouns=bare_nouns,
        titles=frozenset(normalise(str(t)) for t in data["titles"]),
        coref_nouns=frozenset(normalise(str(t)) for t in data["coref_nouns"]),
        person_pronouns=frozenset(str(t).lower() for t in data["person_pronouns"]),
        connectors=frozenset(str(t) for t in data["connectors"]),
        translit=tuple((str(a), str(b)) for a, b in data["translit"]),
        apposition_glue=frozenset(normalise(str(t)) for t in data.get("apposition_glue", ())),
        negating_prefixes=frozenset(normalise(str(t)) for t in data.get("negating_prefixes", ())),
        name_glue=frozenset(str(t) for t in data.get("name_glue", ())),
        bare_noun_starts=frozenset(_leading_words(bare_nouns)),
        installations={normalise(str(k)): str(v) for k, v in (data.get("installations") or {}).items()},
    )


def _leading_words(keys: Iterable[str]) -> Iterator[str]:
    """Every key and each run of its leading words (a token's normalised form may hold spaces: "U.S." -> "u s")."""
    for key in keys:
        yield key
        at = key.find(" ")
        while at >= 0:
            yield key[:at]
            at = key.find(" ", at + 1)


# --- generated country actors --------------------------------------------------------------

_ROLE_TEMPLATES: dict[str, tuple[str, str, int | None, str, str]] = {
    # role: (type, ACLED pattern, inter, PLOVER sector, display pattern)
    "state": ("state", "Government of {c}{y}", 1, "GOV", "{n}"),
    "government": ("government", "Government of {c}{y}", 1, "GOV", "Government of {n}"),
    "military": ("state_forces", "Military Forces of {c}{y}", 1, "MIL", "Military of {n}"),
    "police": ("state_forces", "Police Forces of {c}{y}", 1, "COP", "Police of {n}"),
    "civilians": ("civilians", "Civilians ({c})", 7, "CVL", "Civilians of {n}"),
    "unidentified": ("unidentified", "Unidentified Armed Group ({c})", 3, "UAF", "Unidentified armed group in {n}"),
    "protesters": ("protesters", "Protesters ({c})", 6, "OPP", "Protesters in {n}"),
    "rioters": ("rioters", "Rioters ({c})", 5, "OPP", "Rioters in {n}"),
}


def _capitals(overrides: dict[str, Any]) -> dict[str, str]:
    """Normalised capital-city names mapped to their country's government (for 'Moscow said')."""
    return {
        normalise(str(city)): f"government:{code}"
        for code, extra in overrides.items()
        if isinstance(extra, dict)
        for city in extra.get("capitals", ()) or ()
    }


def _country_actors(overrides: Any) -> Iterator[tuple[Actor, list[str]]]:
    """The generated role actors of every pycountry country, with demonym aliases."""
    if not isinstance(overrides, dict):
        raise DataError("countries.yaml: expected a mapping of ISO alpha-3 codes; see data/actors/README.md")
    for country in pycountry.countries:
        extra = overrides.get(country.alpha_3) or {}
        if not isinstance(extra, dict):
            raise DataError(f"countries.yaml {country.alpha_3}: expected a mapping (acled, demonyms, regimes)")
        yield from _one_country(country, extra)


def _one_country(country: Any, extra: dict[str, Any]) -> Iterator[tuple[Actor, list[str]]]:
    """The generated actors of one country."""
    where = f"countries.yaml {country.alpha_3}"
    common = str(getattr(country, "common_name", "") or country.name)
    acled = str(extra.get("acled", common))
    display = str(extra.get("name", common))
    names = {country.name, common, acled, display, *map(str, extra.get("aliases", ()) or ())}
    official = getattr(country, "official_name", "")
    if official:
        names.add(str(official))
    demonyms = [str(d) for d in extra.get("demonyms", ()) or ()]
    regimes = sorted(_day(r, where) or date.min for r in extra.get("regimes", ()) or ())
    role_phases = extra.get("phases", {}) or {}
    for role, (kind, acled_pattern, inter, sector, label) in _ROLE_TEMPLATES.items():
        phases = tuple(_regime_phases(role, acled, regimes, where)) if regimes else ()
        phases = tuple(_parse_phase(p, where) for p in role_phases.get(role, ())) + phases
        actor = Actor(
            actor_id=f"{role}:{country.alpha_3}",
            name=label.format(n=display),
            type=kind,
            country=country.alpha_2,
            aliases=tuple(sorted(names)) if role == "state" else _role_aliases(extra, role, where),
            acled_name=acled_pattern.format(c=acled, y=_year_tag(regimes[-1]) if regimes else ""),
            inter=inter,
            plover_sector=sector,
            phases=phases,
            source="generated from ISO 3166 (pycountry)",
        )
        yield actor, (demonyms if role == "state" else [])


def _role_aliases(extra: dict[str, Any], role: str, where: str) -> tuple[str, ...]:
    """Names of one role actor of a country (e.g. the Afghan National Army for military:AFG)."""
    table = extra.get("role_aliases", {}) or {}
    if not isinstance(table, dict) or any(key not in _ROLE_TEMPLATES for key in table):
        raise DataError(f"{where}: role_aliases keys must be among {sorted(_ROLE_TEMPLATES)}")
    return tuple(str(a) for a in table.get(role, ()) or ())


def _year_tag(start: date) -> str:
    """ACLED's open-ended regime tag, e.g. " (2014-)"."""
    return f" ({start.year}-)"


def _regime_phases(role: str, acled: str, regimes: list[date], where: str) -> Iterator[ActorPhase]:
    """One phase per regime period, named as ACLED named it while the period ran."""
    kind, pattern, inter, sector, _ = _ROLE_TEMPLATES[role]
    if "{y}" not in pattern:
        return
    for number, start in enumerate(regimes):
        end = regimes[number + 1].fromordinal(regimes[number + 1].toordinal() - 1) if number + 1 < len(
            regimes
        ) else None
        name = pattern.format(c=acled, y=_year_tag(start))
        yield ActorPhase(kind, name, inter, sector, name, start if number else None, end)


# --- index ---------------------------------------------------------------------------------


def _build_index(registry: Registry, extra_aliases: dict[str, list[str]]) -> None:
    """Index every name and alias by normalised key and skeleton."""
    for actor in registry.actors.values():
        surfaces = [(actor.name, "name"), *((a, "alias") for a in actor.aliases)]
        surfaces += [(d, "description") for d in extra_aliases.get(actor.actor_id, [])]
        for surface, kind in surfaces:
            _index_one(registry, actor.actor_id, surface, kind)


def _index_one(registry: Registry, actor_id: str, surface: str, kind: str) -> None:
    """Index one surface form."""
    key = normalise(surface)
    if not key:
        return
    entry = AliasEntry(actor_id, surface, kind, _is_acronym(surface))
    bucket = registry.index.setdefault(key, [])
    same = [n for n, e in enumerate(bucket) if e.actor_id == actor_id]
    if not same:
        bucket.append(entry)
    elif surface[:1].islower() and not entry.case_sensitive:
        bucket[same[0]] = entry  # a lowercase alias ("arbakis") also lets the lowercase surface match
    words = key.split()
    registry.prefixes.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    skel = skeleton(key, registry.lexicon)
    if skel and len(skel) > 3:
        ids = registry.skeletons.setdefault(skel, [])
        if actor_id not in ids:
            ids.append(actor_id)
        for token in {skel.split()[0], skel.split()[-1]}:
            registry.by_token.setdefault(token, set()).add(skel)


def _is_acronym(surface: str) -> bool:
    """Whether a surface form must match case-sensitively (acronyms and short forms)."""
    letters = [c for c in surface if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return len(letters) <= 3 or upper >= max(2, len(letters) - 1)


# --- resolution ----------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Hit:
    """A working match: a token span and the actor candidates it may refer to."""

    start: int
    end: int
    candidates: tuple[str, ...]
    kind: str
    confidence: float = 1.0
    role: str = ""
    affiliation: str = ""
    surface: str = ""

    @property
    def actor_id(self) -> str:
        """The chosen actor."""
        return self.candidates[0]


@dataclass(slots=True)
class _Doc:
    """A document's tokens with normalised forms and what has been matched so far."""

    analysis: Analysis
    registry: Registry
    day: date | None
    norms: list[str]
    sentence_start: list[int]
    taken: list[bool]
    local: dict[str, str] = field(default_factory=dict)

    def text(self, start: int, end: int) -> str:
        """The text of a token span."""
        tokens = self.analysis.tokens
        return self.analysis.document.text[tokens[start].start : tokens[end - 1].end]

    def free(self, start: int, end: int) -> bool:
        """Whether no token of a span is matched yet."""
        return not any(self.taken[start:end])

    def take(self, hit: _Hit) -> _Hit:
        """Mark a hit's tokens as matched and return it."""
        for i in range(hit.start, hit.end):
            self.taken[i] = True
        return hit


def resolve_actors(analysis: Analysis, registry: Registry) -> Analysis:
    """Fill ``analysis.actors`` with the actor mentions of the document."""
    if not analysis.tokens:
        return replace(analysis, actors=())
    doc = _new_doc(analysis, registry)
    _acronym_definitions(doc)
    hits = _extend_descriptions(doc, _scan_aliases(doc))
    hits += _capital_hits(doc)
    hits += _entity_hits(doc, hits)
    focus = _focus_country(registry, hits)
    hits += _bare_noun_hits(doc, focus, hits)
    hits = [_choose(doc, h, focus) for h in sorted(hits, key=lambda h: h.start) if not _is_currency(doc, h)]
    hits = _localise_branches(doc, hits, focus)
    hits = [_apposition(doc, h, hits) for h in hits]
    hits = sorted([*hits, *_coref_hits(doc, hits)], key=lambda h: h.start)
    return replace(analysis, actors=tuple(_mention(doc, h) for h in hits))


def _is_currency(doc: _Doc, hit: _Hit) -> bool:
    """Whether a country name only qualifies money ("US$50 million", "US dollars"): no actor takes part."""
    tokens = doc.analysis.tokens
    after = tokens[hit.end] if hit.end < len(tokens) else None
    if after is None or after.sentence != tokens[hit.start].sentence:
        return False
    return after.tag == "$" or after.text.lower() in CURRENCY_WORDS


def _new_doc(analysis: Analysis, registry: Registry) -> _Doc:
    """Prepare the per-document working state."""
    document = analysis.document
    day = document.published or (document.published_window[0] if document.published_window else None)
    first: dict[int, int] = {}
    for token in analysis.tokens:
        first.setdefault(token.sentence, token.i)
    return _Doc(
        analysis=analysis,
        registry=registry,
        day=day,
        norms=[normalise(t.text) for t in analysis.tokens],
        sentence_start=[first[t.sentence] for t in analysis.tokens],
        taken=[False] * len(analysis.tokens),
    )


# A wire dateline opening a line: "BISHKEK, Sept. 18, 2022 (Outlet) --"; the bracketed outlet reports, it does not act
_DATELINE_OUTLET = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(?:,[^()\n]{1,40})?\s*\(([^()\n]{2,40})\)\s*(?:--|[-\u2013\u2014:])", re.MULTILINE
)
# A header line of a date and the outlet: "16 October 2021, Outlet Name", "Monday, June 6, 2022 | Outlet"
_HEADER_OUTLET = re.compile(r"\A\s*[^\n]{0,40}\b(?:19|20)\d\d\s*[,|\u2013\u2014-]\s*([^\n,|]{2,40}?)\s*$", re.MULTILINE)
_BRACKETED_ACRONYM = re.compile(r"[(\[]\s*[A-Z][A-Za-z-]{1,9}\s*[)\]]")  # the tail of a definition


@cache
def _definition_pattern(glue: frozenset[str]) -> re.Pattern[str]:
    """A regex for "Long Name (LN)", where the long name may hold lowercase glue words."""
    word = r"(?:[A-Z][\w’'-]*|" + "|".join(sorted(map(re.escape, glue))) + ")"
    return re.compile(rf"({word}(?:[ \t]+{word}){{0,9}})\s*[(\[]\s*([A-Z][A-Za-z-]{{1,9}})\s*[)\]]")


def _acronym_definitions(doc: _Doc) -> None:
    """Learn "Long Name (LN)" acronyms whose long form is a known actor."""
    text = doc.analysis.document.text
    if not _BRACKETED_ACRONYM.search(text):
        return  # every definition ends with one; most texts hold none, and the full pattern is slow to rule out
    pattern = _definition_pattern(doc.registry.lexicon.name_glue)
    for match in pattern.finditer(text):
        words = match.group(1).split()
        for cut in range(len(words) - 1):
            actor_id = _lookup_name(doc.registry, " ".join(words[cut:]))
            if actor_id:
                doc.local[normalise(match.group(2))] = actor_id
                break


def _lookup_name(registry: Registry, text: str) -> str:
    """An actor id for a whole name by exact key or skeleton, or ""."""
    key = normalise(text)
    entries = registry.lookup(key)
    if entries:
        return entries[0].actor_id
    ids = registry.skeletons.get(skeleton(key, registry.lexicon), [])
    return ids[0] if len(ids) == 1 else ""


def _scan_aliases(doc: _Doc) -> list[_Hit]:
    """Longest-first exact alias matches over the token sequence."""
    hits: list[_Hit] = []
    norms, registry = doc.norms, doc.registry
    i = 0
    while i < len(norms):
        hit = _match_at(doc, i) if norms[i] in registry.prefixes or norms[i] in doc.local else None
        if hit is None:
            i += 1
            continue
        if _negated(doc, i):
            # "anti-Taliban groups" names the Taliban as the party opposed, not as the actor
            hit = replace(hit, kind="description", role="opposed", confidence=0.5)
        hits.append(doc.take(hit))
        i = hit.end
    return hits


def _match_at(doc: _Doc, i: int) -> _Hit | None:
    """The longest alias match starting at token i, if any."""
    keys: list[tuple[int, str]] = []
    key, size = "", 0
    tokens, norms, prefixes = doc.analysis.tokens, doc.norms, doc.registry.prefixes
    sentence = tokens[i].sentence
    for j in range(i, min(len(norms), i + _MAX_NGRAM + 4)):
        if tokens[j].sentence != sentence:
            break
        if norms[j]:
            key, size = f"{key} {norms[j]}" if size else norms[j], size + 1
            if key not in prefixes and not (doc.local and any(local.startswith(key) for local in doc.local)):
                break
            keys.append((j + 1, key))
        if size >= _MAX_NGRAM:
            break
    for end, key in reversed(keys):
        if key not in doc.registry.index and key not in doc.local:
            continue
        hit = _hit_for_key(doc, i, end, key)
        if hit:
            return hit
    return None


def _hit_for_key(doc: _Doc, start: int, end: int, key: str) -> _Hit | None:
    """A hit if the key is an alias whose case fits the surface."""
    surface = doc.text(start, end)
    if key in doc.local and _same_letters(surface, key.upper()):
        return _Hit(start, end, (doc.local[key],), "acronym", 0.95, surface=surface)
    entries = [e for e in doc.registry.lookup(key) if _case_fits(surface, e)]
    if not entries:
        return None
    kind = "description" if entries[0].kind == "description" else entries[0].kind
    confidence = 0.6 if kind == "description" else 1.0
    return _Hit(start, end, tuple(dict.fromkeys(e.actor_id for e in entries)), kind, confidence, surface=surface)


def _same_letters(surface: str, alias: str) -> bool:
    """Whether two forms have the same letters and digits, case included."""
    return re.sub(r"\W", "", surface) == re.sub(r"\W", "", alias)


def _case_fits(surface: str, entry: AliasEntry) -> bool:
    """Acronyms match case-sensitively; names need a capital unless the alias has none."""
    if entry.case_sensitive:
        return _same_letters(surface, entry.surface)
    return surface[:1].isupper() or surface[:1] == entry.surface[:1]


def _negated(doc: _Doc, i: int) -> bool:
    """Whether a match carries a prefix like "anti-" (an anti-Taliban group is not the Taliban)."""
    tokens = doc.analysis.tokens
    if i >= 2 and tokens[i - 1].text == "-" and tokens[i - 1].start == tokens[i - 2].end:
        return doc.norms[i - 2] in doc.registry.lexicon.negating_prefixes
    return False




def _extend_descriptions(doc: _Doc, hits: list[_Hit]) -> list[_Hit]:
    """Extend actor hits by a following force noun ("Taliban fighters", "Afghan security forces")."""
    out: list[_Hit] = []
    for hit in hits:
        extended = _with_force_noun(doc, hit)
        out.append(doc.take(extended) if extended is not hit else hit)
    return _share_coordinated_roles(doc, out)


def _force_noun_at(doc: _Doc, i: int) -> tuple[int, str] | None:
    """The longest lexicon force noun starting at token i: (end token, role)."""
    nouns = doc.registry.lexicon.force_nouns
    for size in (3, 2, 1):
        end = i + size
        if end <= len(doc.norms) and doc.free(i, end):
            key = " ".join(n for n in doc.norms[i:end] if n)
            if key in nouns:
                return end, nouns[key]
    return None


def _with_force_noun(doc: _Doc, hit: _Hit) -> _Hit:
    """The hit extended over a force noun, re-pointed at the country's role actor."""
    found = _force_noun_at(doc, hit.end)
    if found is None:
        return hit
    end, role = found
    candidates = hit.candidates
    if hit.actor_id.startswith("state:") and role != "self":
        candidates = (f"{role}:{hit.actor_id.split(':', 1)[1]}",)
    return replace(hit, end=end, candidates=candidates, kind="description", confidence=0.9,
                   surface=doc.text(hit.start, end))


def _share_coordinated_roles(doc: _Doc, hits: list[_Hit]) -> list[_Hit]:
    """"Hungarian and Romanian officials": the first state takes the second's role."""
    out = list(hits)
    for n in range(len(out) - 1):
        left, right = out[n], out[n + 1]
        between = [w for w in doc.norms[left.end : right.start] if w]
        if not (left.actor_id.startswith("state:") and left.kind == "description"):
            continue
        if between in (["and"], ["or"], []) and ":" in right.actor_id and right.kind == "description":
            role = right.actor_id.split(":", 1)[0]
            if role in ROLE_PREFIXES and role != "state":
                out[n] = replace(left, candidates=(f"{role}:{left.actor_id.split(':', 1)[1]}",), confidence=0.8)
    return out


def _entity_hits(doc: _Doc, hits: list[_Hit]) -> list[_Hit]:
    """Resolve NER spans the alias scan missed: skeleton, fuzzy, surname, provisional."""
    out: list[_Hit] = []
    outlets = _dateline_outlets(doc.analysis.document.text)
    for entity in doc.analysis.entities:
        if entity.label not in _ACTOR_LABELS or not doc.free(entity.token_start, entity.token_end):
            continue
        if any(start <= entity.start and entity.start + len(entity.text.rstrip()) <= end for start, end in outlets):
            continue
        hit = _resolve_entity(doc, entity, [h for h in [*hits, *out] if h.start < entity.token_start])
        if hit is not None:
            out.append(doc.take(hit))
    return out


def _dateline_outlets(text: str) -> list[tuple[int, int]]:
    """Character spans of the news outlets a dateline brackets or a date header line ends with."""
    header = _HEADER_OUTLET.match(text)
    found = [match.span(1) for match in _DATELINE_OUTLET.finditer(text)]
    return [*found, header.span(1)] if header else found


def _capital_hits(doc: _Doc) -> list[_Hit]:
    """A capital city acting as the subject of a verb, or owning that subject, stands for its government.

    "Washington pledged", "Ankara's administration refused": the city names the state's authorities.
    """
    out: list[_Hit] = []
    tokens = doc.analysis.tokens
    for entity in doc.analysis.entities:
        government = doc.registry.capitals.get(normalise(entity.text))
        if government is None or entity.label != "GPE" or not doc.free(entity.token_start, entity.token_end):
            continue
        root = tokens[entity.token_end - 1]
        if root.dep == "poss":  # "Ankara's district administration denied ...": the possessor's subject acts
            root = tokens[root.head]
        if root.dep in {"nsubj", "nsubjpass"} and tokens[root.head].pos in {"VERB", "AUX"}:
            out.append(doc.take(_Hit(entity.token_start, entity.token_end, (government,), "metonym", 0.7,
                                     surface=entity.text)))
    return out


_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"})


def _trim(doc: _Doc, start: int, end: int) -> tuple[int, int, bool]:
    """Drop leading titles/articles and a trailing possessive; say whether a title was dropped."""
    lexicon = doc.registry.lexicon
    titled = False
    while start < end and (doc.norms[start] in lexicon.titles or doc.norms[start] in {"the", ""}):
        titled = titled or doc.norms[start] in lexicon.titles
        start += 1
    while end > start and doc.norms[end - 1] in {"s", ""}:
        end -= 1
    return start, end, titled


def _resolve_entity(doc: _Doc, entity: Entity, hits: list[_Hit]) -> _Hit | None:
    """One NER span as a hit, or None."""
    start, end, titled = _trim(doc, entity.token_start, entity.token_end)
    if start >= end:
        return None
    for first in dict.fromkeys((entity.token_start, start)):
        actor_id = _lookup_name(doc.registry, doc.text(first, end))
        if actor_id:
            return _Hit(first, end, (actor_id,), "alias", 0.9, surface=doc.text(first, end))
    surface = doc.text(start, end)
    key = normalise(surface)
    fuzzy = _fuzzy(doc.registry, key)
    if fuzzy:
        return _Hit(start, end, (fuzzy,), "fuzzy", 0.8, surface=surface)
    if entity.label != "PERSON":
        return None
    earlier = _surname_match(doc, key, hits)
    if earlier:
        return _Hit(start, end, (earlier,), "coref", 0.8, surface=surface)
    if len(key.split()) >= 2 or titled:
        return _Hit(start, end, (f"provisional:{slug(surface)}",), "provisional", 0.6, surface=surface)
    return None


def _fuzzy(registry: Registry, key: str) -> str:
    """A unique actor whose name is a close spelling variant (same token count), or ""."""
    skel = skeleton(key, registry.lexicon)
    tokens = skel.split()
    if len(tokens) < 2:
        return ""
    candidates = registry.by_token.get(tokens[0], set()) | registry.by_token.get(tokens[-1], set())
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        other = candidate.split()
        if len(other) != len(tokens) or fuzz.token_sort_ratio(skel, candidate) < _FUZZY_SORT:
            continue
        if _tokens_align(tokens, other):
            scored.append((fuzz.token_sort_ratio(skel, candidate), candidate))
    ids = {i for score, c in scored if score == max(s for s, _ in scored) for i in registry.skeletons[c]}
    return next(iter(ids)) if len(ids) == 1 else ""


def _tokens_align(tokens: list[str], other: list[str]) -> bool:
    """Whether every token has a close partner in the other name (order free)."""
    unused = list(other)
    for token in tokens:
        best = max(unused, key=lambda o: fuzz.ratio(token, o))
        if fuzz.ratio(token, best) < _FUZZY_TOKEN:
            return False
        unused.remove(best)
    return True


def _surname_match(doc: _Doc, key: str, hits: list[_Hit]) -> str:
    """The latest earlier person whose name ends with this single word, or ""."""
    if len(key.split()) != 1:
        return ""
    for hit in reversed(hits):
        actor = doc.registry.get(hit.actor_id)
        name = actor.name if actor else hit.surface
        is_person = (actor is not None and actor.type == "person") or hit.kind == "provisional"
        if is_person and normalise(name).split()[-1:] == [key]:
            return hit.actor_id
    return ""


def _focus_country(registry: Registry, hits: list[_Hit]) -> str:
    """The alpha-2 country the document is mostly about, from its country-bound actors."""
    counts: Counter[str] = Counter()
    for hit in hits:
        country = registry.country_of(hit.actor_id)
        if country:
            counts[country] += 1.0 if ":" in hit.actor_id else 0.5  # type: ignore[assignment]
    return counts.most_common(1)[0][0] if counts else ""


@cache
def _alpha3(alpha2: str) -> str:
    """ISO alpha-3 for an alpha-2 code."""
    country = pycountry.countries.get(alpha_2=alpha2)
    return str(country.alpha_3) if country else ""


def _bare_noun_hits(doc: _Doc, focus: str, named: list[_Hit]) -> list[_Hit]:
    """Bare descriptive nouns ("police", "worshippers") as the focus country's role actors.

    "Tajik officials say their troops ...": a noun a pronoun possesses belongs to the country of the
    clause subject the pronoun stands for.
    """
    if not focus:
        return []
    hits: list[_Hit] = []
    nouns, starts = doc.registry.lexicon.bare_nouns, doc.registry.lexicon.bare_noun_starts
    tokens = doc.analysis.tokens
    for i in range(len(tokens)):
        if doc.norms[i] not in starts:
            continue  # a key of one or two tokens is the first token's form or begins with it and a space
        for size in (2, 1):
            end = i + size
            key = " ".join(doc.norms[i:end])
            if end <= len(tokens) and key in nouns and doc.free(i, end) and tokens[end - 1].dep != "compound":
                actor_id = f"{nouns[key]}:{_possessor_country(doc, tokens[end - 1], named) or _alpha3(focus)}"
                hits.append(doc.take(_Hit(i, end, (actor_id,), "description", 0.7, surface=doc.text(i, end))))
                break
    return hits


def _possessor_country(doc: _Doc, noun: Token, named: list[_Hit]) -> str:
    """The alpha-3 country of the clause subject a possessive pronoun on a noun refers to ("" if none)."""
    tokens = doc.analysis.tokens
    if not any(t.dep == "poss" and t.pos == "PRON" and t.head == noun.i for t in tokens[max(0, noun.i - 3) : noun.i]):
        return ""
    token = noun
    for _ in range(6):
        head = tokens[token.head]
        nearby = tokens[max(0, head.i - 40) : head.i + 40]
        subject = next((t for t in nearby if t.head == head.i and t.dep == "nsubj" and t.i != token.i), None)
        if subject is not None and subject.i != noun.i:  # at the root the noun itself may be the subject
            hit = next((h for h in named if h.start <= subject.i < h.end), None)
            _, _, country = (hit.actor_id if hit else "").rpartition(":")
            return country if len(country) == 3 and country.isupper() else ""
        if head.i == token.i:
            return ""
        token = head
    return ""


def _choose(doc: _Doc, hit: _Hit, focus: str) -> _Hit:
    """Order an ambiguous hit's candidates: the focus country's first, then registry order."""
    if len(hit.candidates) < 2:
        return hit
    ranked = sorted(hit.candidates, key=lambda c: doc.registry.country_of(c) != focus)
    return replace(hit, candidates=tuple(ranked))


def _localise_branches(doc: _Doc, hits: list[_Hit], focus: str) -> list[_Hit]:
    """A parent named in a document about a branch's region means the branch (parent kept)."""
    out: list[_Hit] = []
    for hit in hits:
        branch = next((b for b, regions in doc.registry.branches.get(hit.actor_id, []) if focus in regions), "")
        if branch and hit.kind != "acronym" and len(hit.surface.split()) <= 2 and not _near(doc, hit, branch, hits):
            out.append(replace(hit, candidates=(branch,), affiliation=hit.actor_id, confidence=hit.confidence * 0.9))
        else:
            out.append(hit)
    return out


def _near(doc: _Doc, hit: _Hit, actor_id: str, hits: list[_Hit]) -> bool:
    """Whether the same sentence names another actor close by (then both are meant)."""
    sentence = doc.analysis.tokens[hit.start].sentence
    return any(
        h.actor_id == actor_id and doc.analysis.tokens[h.start].sentence == sentence and abs(h.start - hit.start) < 15
        for h in hits
    )


def _is_person(doc: _Doc, hit: _Hit) -> bool:
    """Whether a hit is a person (registered or provisional)."""
    actor = doc.registry.get(hit.actor_id)
    return hit.kind == "provisional" or (actor is not None and actor.type == "person")


def _apposition(doc: _Doc, hit: _Hit, hits: list[_Hit]) -> _Hit:
    """A person's role and affiliation from nearby titles ("Taliban spokesman X", "X, the head of Y")."""
    if not _is_person(doc, hit):
        parent = doc.registry.affiliation_at(hit.actor_id, doc.day)
        return replace(hit, affiliation=hit.affiliation or (parent.actor_id if parent else ""))
    if hit.kind == "coref":
        return hit
    organisations = [h for h in hits if not _is_person(doc, h) and h.role != "opposed"]
    ends = {h.end: h for h in organisations}
    starts = {h.start: h for h in organisations}
    role, affiliation = _scan_titles(doc, hit.start - 1, -1, ends)
    if not role and not affiliation and hit.end < len(doc.norms) and doc.analysis.tokens[hit.end].text == ",":
        role, affiliation = _scan_titles(doc, hit.end + 1, 1, starts)
    tie = doc.registry.affiliation_at(hit.actor_id, doc.day) if hit.kind != "provisional" else None
    if tie is not None and affiliation in ("", tie.actor_id):
        affiliation, role = tie.actor_id, role or tie.title
    return replace(hit, role=role or hit.role, affiliation=affiliation or hit.affiliation)


def _scan_titles(doc: _Doc, i: int, step: int, actor_at: dict[int, _Hit]) -> tuple[str, str]:
    """Walk from a person over titles, glue words and one actor; return (role, affiliation id)."""
    lexicon = doc.registry.lexicon
    sentence = doc.analysis.tokens[i - step].sentence if 0 <= i - step < len(doc.norms) else -1
    titles: list[str] = []
    affiliation = ""
    while 0 <= i < len(doc.norms) and doc.analysis.tokens[i].sentence == sentence:
        other = actor_at.get(i + 1 if step < 0 else i)
        if other is not None and not affiliation:
            affiliation = other.actor_id
            i = other.start - 1 if step < 0 else other.end
            continue
        word = doc.norms[i]
        if word in lexicon.titles:
            titles.append(doc.analysis.tokens[i].text.lower())
        elif word not in lexicon.apposition_glue and not (word == "" and doc.analysis.tokens[i].text in "-,[]()"):
            break
        if word == "" and doc.analysis.tokens[i].text == "," and (titles or affiliation) and step > 0:
            break
        i += step
    ordered = titles[::-1] if step < 0 else titles
    return " ".join(ordered), affiliation


def _coref_hits(doc: _Doc, hits: list[_Hit]) -> list[_Hit]:
    """"The group"/"the militants" and subject pronouns resolved to a clear antecedent."""
    out: list[_Hit] = []
    lexicon = doc.registry.lexicon
    for token in doc.analysis.tokens:
        article = doc.norms[token.i] == "the"
        pronoun = not article and token.dep.startswith("nsubj") and token.text.lower() in lexicon.person_pronouns
        if not (article or pronoun) or not doc.free(token.i, token.i + 1):
            continue
        hit = _group_coref(doc, token, hits, lexicon.coref_nouns) if article else _pronoun_coref(doc, token, hits)
        if hit is not None:
            out.append(doc.take(hit))
    return out


def _group_coref(doc: _Doc, token: Token, hits: list[_Hit], nouns: frozenset[str]) -> _Hit | None:
    """"the group" -> the latest armed group mentioned within a few sentences."""
    for size in (3, 2):
        end = token.i + size
        key = " ".join(w for w in doc.norms[token.i : end] if w)
        if end <= len(doc.norms) and key in nouns and doc.free(token.i, end):
            antecedent = _latest(doc, hits, token, {"armed_group", "militia"}, _COREF_WINDOW)
            if antecedent:
                return _Hit(token.i, end, (antecedent,), "coref", 0.7, surface=doc.text(token.i, end))
    return None


def _pronoun_coref(doc: _Doc, token: Token, hits: list[_Hit]) -> _Hit | None:
    """A subject pronoun -> the only person named in this or the previous sentence."""
    people = {
        h.actor_id
        for h in hits
        if h.start < token.i and token.sentence - doc.analysis.tokens[h.start].sentence <= 1 and _is_person(doc, h)
    }
    if len(people) != 1:
        return None
    return _Hit(token.i, token.i + 1, (people.pop(),), "coref", 0.6, surface=token.text)


def _latest(doc: _Doc, hits: list[_Hit], token: Token, types: set[str], window: int) -> str:
    """The latest earlier hit of one of these types within a sentence window, or ""."""
    for hit in reversed(hits):
        first = doc.analysis.tokens[hit.start]
        if hit.start >= token.i or token.sentence - first.sentence > window:
            continue
        if doc.registry.phase_at(hit.actor_id, doc.day).type in types:
            return hit.actor_id
    return ""


def _mention(doc: _Doc, hit: _Hit) -> ActorMention:
    """A hit as an ActorMention record."""
    tokens = doc.analysis.tokens
    actor = doc.registry.get(hit.actor_id)
    return ActorMention(
        evidence=doc.analysis.evidence(tokens[hit.start].start, tokens[hit.end - 1].end),
        actor_id=hit.actor_id,
        name=actor.name if actor else hit.surface,
        type=doc.registry.phase_at(hit.actor_id, doc.day).type if actor else "person",
        kind=hit.kind,
        role=hit.role,
        affiliation=hit.affiliation,
        confidence=round(hit.confidence, 3),
    )


# --- user registry and unknown names -------------------------------------------------------


def add_user_actor(
    path: Path, name: str, type: str, aliases: list[str], country: str = "", acled_name: str = ""
) -> Actor:
    """Append an actor to a user registry YAML file (created if missing) and return it."""
    entry: dict[str, Any] = {"name": name, "type": type, "aliases": list(aliases)}
    if country:
        entry["country"] = country
    if acled_name:
        entry["acled"] = acled_name
    actor, _ = _parse_actor(entry, f"{path} (new entry)")
    data: Any = _read_yaml(path, str(path)) if path.exists() else None
    entries = (data.get("actors") if isinstance(data, dict) else data) or []
    if not isinstance(entries, list):
        raise DataError(f"{path}: expected a list under 'actors:'; fix the file before adding to it")
    if any(isinstance(e, dict) and slug(str(e.get("name", ""))) == actor.actor_id for e in entries):
        raise DataError(f"{path}: an actor named {name!r} already exists; edit it instead of adding it again")
    entries.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"actors": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return actor


def rank_unknown(mentions: Iterable[ActorMention]) -> list[tuple[str, int]]:
    """Provisional names by frequency, most frequent first: candidates for the user registry."""
    counts = Counter(m.name for m in mentions if m.kind == "provisional" or m.actor_id.startswith("provisional:"))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
