"""The places stage: find place mentions, resolve them offline, and pick where an event happened.

The gazetteer is data (``khabar/data/gazetteer/``, schema in its README): a compact GeoNames-derived
artifact rebuilt by ``scripts/build_gazetteer.py``, a curated supplement, and a lexicon of feature
words, relative phrases and demonyms. Recognition merges spaCy's GPE/LOC/FAC entities with a
gazetteer matcher over capitalised token runs; resolution ranks candidates by feature, population,
the document's country focus, admin containment ("Andar district, Ghazni") and co-occurring places.
"""

from __future__ import annotations

import gzip
import logging
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from khabar.datafiles import YAML_LOADER, read_packaged_yaml
from khabar.errors import DataError
from khabar.records import Analysis, Place, PlaceMention, Token

log = logging.getLogger(__name__)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_LABELS = frozenset({"ORG", "PERSON", "NORP"})
FEATURES = ("country", "admin1", "admin2", "city", "village", "landmark", "crossing", "region")
MAX_TOKENS = 6
FUZZY_MIN = 80.0
PASSES = 3
NEAR_KM = 150.0
ALIAS_PENALTY = 2.0
FAMOUS_RATIO = 50
READINGS_CACHED = 50_000
EARTH_KM = 6371.0
ACLED_PRECISION = {"city": 1, "village": 1, "landmark": 1, "crossing": 1, "admin2": 2, "region": 2}
UCDP_PRECISION = {
    "city": 1,
    "village": 1,
    "landmark": 1,
    "crossing": 1,
    "admin2": 3,
    "admin1": 4,
    "region": 5,
    "country": 6,
}
_QUOTES = re.compile(r"[’‘ʼ`'\u02bb\u02bf\u02be]")
_SEPARATORS = re.compile(r"[-–.,()/]+|\s+")
_DATELINE_TAIL = re.compile(r",\s*[A-Z][\w .]{1,40}?\s*\([^)]{1,40}\)")
_CONTAINER_GAP = re.compile(r"^\s*(,|in|of|,\s*in)?\s*(the\s+)?$", re.IGNORECASE)
_AREA_GAP = re.compile(
    r"^[^.;:()]{0,60}?\b(areas?|villages?|localit(y|ies)|neighbou?rhoods?|outskirts)\s+of\s+(the\s+)?$", re.IGNORECASE
)


@lru_cache(maxsize=100_000)
def fold(name: str) -> str:
    """A lookup key: lowercase, no accents or apostrophes, hyphens and dots as spaces."""
    if name.isascii():
        plain = _QUOTES.sub("", name.lower())
        return " ".join(part for part in _SEPARATORS.split(plain) if part)
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _QUOTES.sub("", plain.lower())
    return " ".join(part for part in _SEPARATORS.split(plain) if part)


@dataclass(slots=True, frozen=True)
class Lexicon:
    """How place phrases are read: feature words, relative phrases, demonyms, stop names."""

    focus: frozenset[str]
    min_population: int
    feature_words: dict[str, tuple[str, ...]]
    relations: dict[str, str]
    border_words: frozenset[str]
    not_places: frozenset[str]
    demonyms: dict[str, str]
    feature_prior: dict[str, float]
    capital_bonus: float
    generic_words: frozenset[str]
    street_words: frozenset[str]
    # relation phrases longest first, the order ``_extend`` tries them in
    relation_order: tuple[str, ...] = ()
    # feature words that name an admin unit ("district", "province"), read by ``_unit_spans``
    unit_words: frozenset[str] = frozenset()


@dataclass(slots=True)
class Gazetteer:
    """Places indexed by folded name, with the lexicon the geoparser reads text with.

    Rows stay as the artifact's tab-separated lines, and index entries as comma-separated row
    numbers, until a lookup needs them: that keeps loading well under a second.
    """

    lines: list[str]
    index: dict[str, str]
    lexicon: Lexicon
    countries: dict[str, int] = field(default_factory=dict)
    admin_names: dict[str, str] = field(default_factory=dict)
    cache: dict[int, Place] = field(default_factory=dict)
    unit_keys: list[str] = field(default_factory=list)
    curated: dict[str, int] = field(default_factory=dict)
    capitals: set[str] = field(default_factory=set)
    capital_rows: dict[str, int] = field(default_factory=dict)
    unit_rows: list[int] = field(default_factory=list)
    # lookup caches, filled on first use
    sorted_keys: list[str] = field(default_factory=list)
    fuzzy: dict[str, list[int]] = field(default_factory=dict)
    readings: dict[str, list[Place]] = field(default_factory=dict)

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
        self.sorted_keys.clear()
        self.readings.clear()

    def numbers(self, key: str) -> list[int]:
        """Row numbers filed under a folded key."""
        known = self.index.get(key)
        return [int(n) for n in known.split(",")] if known else []

    def place(self, number: int) -> Place:
        """The Place record of a row."""
        place = self.cache.get(number)
        if place is None:
            pid, name, feature, cc, a1, a2, lat, lon, pop, flag = self.row(number)
            if flag:
                self.capitals.add(pid)
            admin1 = self.admin_names.get(a1, a1)
            admin2 = self.admin_names.get(a2, a2) if feature != "admin1" else ""
            place = Place(pid, name, float(lat), float(lon), cc, admin1, admin2, feature, int(pop))
            self.cache[number] = place
        return place

    def units(self) -> tuple[list[str], list[int]]:
        """Space-less lookup keys of the focus region's admin units and their rows, for fuzzy matching."""
        if not self.unit_keys:
            focus = self.lexicon.focus
            rows = {n for n, line in enumerate(self.lines) if _is_focus_unit(line, focus)}
            for key, numbers in self.index.items():
                for number in map(int, numbers.split(",")):
                    if number in rows:
                        self.unit_keys.append(key.replace(" ", ""))
                        self.unit_rows.append(number)
        return self.unit_keys, self.unit_rows

    def starts_name(self, key: str) -> bool:
        """Whether some indexed name continues a folded key with more words ("new" -> "new york")."""
        if not self.sorted_keys:
            self.sorted_keys.extend(sorted(self.index))
        stem = key + " "
        at = bisect_left(self.sorted_keys, stem)
        return at < len(self.sorted_keys) and self.sorted_keys[at].startswith(stem)

    def names(self, key: str) -> list[Place]:
        """Places under an already folded key."""
        return [self.place(n) for n in self.numbers(key)]

    def lookup(self, name: str, country: str = "") -> list[Place]:
        """Places called ``name`` (any alias), optionally only in one country, best known first."""
        found = self.names(fold(name))
        if country:
            found = [p for p in found if p.country == country.upper()]
        return sorted(found, key=lambda p: -_prior(p, self.lexicon))

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
        """A country's capital city (flagged in the artifact); the rows are scanned once, on first use."""
        if not self.capital_rows:
            for number, line in enumerate(self.lines):
                if line.endswith("\tcapital"):
                    self.capital_rows[line.split("\t", 4)[3]] = number
        row = self.capital_rows.get(iso2.upper())
        return self.place(row) if row is not None else None

    def admin1(self, iso2: str, name: str) -> Place | None:
        """A first-order division of a country by name or alias (a trailing "province" is ignored)."""
        key = re.sub(r"\s+(province|state|region)$", "", fold(name))
        found = [p for p in self.lookup(key, iso2) if p.feature == "admin1"]
        return found[0] if found else None


def _is_focus_unit(line: str, focus: frozenset[str]) -> bool:
    """Whether an artifact line is an admin unit of a focus country."""
    cells = line.split("\t", 4)
    return cells[2] in ("admin1", "admin2") and cells[3] in focus


def _prior(place: Place, lexicon: Lexicon) -> float:
    """How likely a place is as a reading of its name, before context."""
    feature = place.feature
    if feature == "admin2" and place.country not in lexicon.focus:
        feature = "foreign_admin2"  # news names counties with the word ("Kent County"), towns without
    return math.log10(place.population + 10) + lexicon.feature_prior.get(feature, 0.0)


# ---------------------------------------------------------------- loading


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """Load the packaged gazetteer and supplement, extended by a user file in the supplement schema."""
    base = resources.files("khabar") / "data" / "gazetteer"
    lexicon = _lexicon(_yaml(base / "lexicon.yaml", "lexicon.yaml"))
    gazetteer = Gazetteer(_lines(base / "places.tsv.gz"), _names(base / "names.tsv.gz"), lexicon)
    supplements = [_yaml(base / "supplement.yaml", "supplement.yaml")]
    if extra is not None:
        if not extra.is_file():
            raise DataError(f"gazetteer file {extra} does not exist; fix the gazetteer setting or create it")
        supplements.append(_yaml(extra, str(extra)))
    _index_units(gazetteer)
    for number, data in enumerate(supplements):
        _apply_updates(gazetteer, data, strict=number == 0)
    _name_units(gazetteer)
    for data in supplements:
        _add_curated(gazetteer, data)
    return gazetteer


def _index_units(gazetteer: Gazetteer) -> None:
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


def _yaml(source: Any, label: str) -> dict[str, Any]:
    """Read a YAML mapping or fail naming the file."""
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{label}: cannot read gazetteer data ({exc}); restore it from the package") from exc
    if not isinstance(data, dict):
        raise DataError(f"{label}: expected a mapping at the top level (see data/gazetteer/README.md)")
    return data


def _lexicon(data: dict[str, Any]) -> Lexicon:
    """Validate the lexicon mapping."""
    try:
        relations = {fold(k): str(v) for k, v in data["relations"].items()}
        feature_words = {fold(k): tuple(v) for k, v in data["feature_words"].items()}
        return Lexicon(
            focus=frozenset(data["focus"]),
            min_population=int(data["min_population"]),
            feature_words=feature_words,
            relations=relations,
            border_words=frozenset(fold(w) for w in data["border_words"]),
            not_places=frozenset(fold(w) for w in data["not_places"]),
            demonyms={fold(k): str(v) for k, v in data["demonyms"].items()},
            feature_prior={str(k): float(v) for k, v in data["feature_prior"].items()},
            capital_bonus=float(data["capital_bonus"]),
            generic_words=frozenset(fold(w) for w in data["generic_words"]),
            street_words=frozenset(fold(w) for w in data["street_words"]),
            relation_order=tuple(sorted(relations, key=len, reverse=True)),
            unit_words=frozenset(w for w, hint in feature_words.items() if {"admin1", "admin2"} & set(hint)),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DataError(f"lexicon.yaml: missing or malformed key {exc}; see data/gazetteer/README.md") from exc


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
        try:
            key, country, feature = fold(str(entry["match"])), str(entry["country"]), str(entry["feature"])
        except (KeyError, TypeError) as exc:
            raise DataError(f"supplement update {entry!r} lacks {exc}; see data/gazetteer/README.md") from exc
        targets = [n for n in gazetteer.numbers(key) if gazetteer.row(n)[2:4] == [feature, country]]
        if not targets and strict:
            raise DataError(f"supplement update {entry['match']!r} matches no place; fix its match/country/feature")
        for number in targets:
            cells = gazetteer.row(number)
            gazetteer.index_row(number, _update_row(cells, entry))
            gazetteer.set_row(number, cells)
    for iso2, entry in (data.get("countries") or {}).items():
        if iso2 not in gazetteer.countries or not isinstance(entry, dict):
            raise DataError(f"supplement countries: {iso2!r} needs an ISO 3166-1 alpha-2 key and a mapping")
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
        try:
            feature = str(entry["feature"])
            if feature not in FEATURES:
                raise ValueError(f"feature {feature!r} is not one of {FEATURES}")
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
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"supplement place {entry!r}: {exc}; see data/gazetteer/README.md") from exc
        number = gazetteer.add(row, {fold(str(a)) for a in [row[1], *(entry.get("aliases") or [])]})
        gazetteer.curated[row[0]] = number


# ---------------------------------------------------------------- recognition


@dataclass(slots=True)
class _Span:
    """A candidate place phrase before resolution."""

    start: int
    end: int
    name_end: int
    source: str
    hint: tuple[str, ...] = ()
    relation: str = ""
    border: str = ""
    key: str = ""


def _token_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[_Span]:
    """Capitalised token runs whose text names a place strongly enough to trust without NER."""
    text = analysis.document.text
    tokens = analysis.tokens
    found: list[_Span] = []
    resume = 0  # the first token after the last match
    for i, token in enumerate(tokens):
        if i < resume or not token.text[:1].isupper():
            continue
        span = _longest_match(text, tokens, i, gazetteer)
        if span is not None:
            found.append(span)
            resume = next((k for k in range(i, len(tokens)) if tokens[k].start >= span.end), len(tokens))
    return found


def _longest_match(text: str, tokens: Sequence[Token], i: int, gazetteer: Gazetteer) -> _Span | None:
    """The longest gazetteer name of up to ``MAX_TOKENS`` tokens starting at token ``i``.

    Runs grow a token at a time and stop once their folded text, ending at a word break, begins no
    indexed name: every longer run would fold to that text plus more words.
    """
    if not tokens[i].text[:1].isupper():
        return None
    first = tokens[i]
    index, not_places = gazetteer.index, gazetteer.lexicon.not_places
    best = None
    for j in range(i + 1, min(len(tokens), i + MAX_TOKENS) + 1):
        last = tokens[j - 1]
        if last.sentence != first.sentence:
            break  # sentences only grow along the tokens
        if not last.text[:1].isalnum():
            continue
        key = fold(text[first.start : last.end])
        if key in index and key not in not_places:
            best = last.end
        at_break = last.end == len(text) or _SEPARATORS.match(text, last.end) is not None
        if at_break and not gazetteer.starts_name(key):
            break
    return _Span(first.start, best, best, "gazetteer") if best is not None else None


def _entity_spans(analysis: Analysis) -> list[_Span]:
    """SpaCy place entities, without a leading "the" or a trailing possessive."""
    spans = []
    for entity in analysis.entities:
        if entity.label not in PLACE_LABELS:
            continue
        surface = entity.text.rstrip()  # NER may take a title line's trailing line breaks
        start, end = entity.start, entity.start + len(surface)
        if surface.lower().startswith("the "):
            start += 4
        if surface.endswith(("'s", "’s")):
            end -= 2
        if end > start:
            spans.append(_Span(start, end, end, "ner"))
    return spans


def _merge(ner: list[_Span], matched: list[_Span], text: str, lexicon: Lexicon) -> list[_Span]:
    """NER spans plus gazetteer spans that NER missed or cut short.

    A match swallows the NER spans inside it, and one that runs on past it only by a feature word
    ("Qala" + "Naw city" for "Qala i Naw city"; the feature word is read again after the match) or
    by a unit word and the next name ("Khumri district Baghlan province": the next name is matched
    on its own).
    """
    kept = list(ner)
    for span in matched:
        overlapping = [s for s in kept if s.start < span.end and span.start < s.end]
        if all(span.start <= s.start and (s.end <= span.end or _runs_on(text[span.end : s.end], lexicon))
               for s in overlapping):
            kept = [s for s in kept if s not in overlapping] + [span]
    return sorted(kept, key=lambda s: s.start)


def _runs_on(tail: str, lexicon: Lexicon) -> bool:
    """Whether the text an NER span adds after a match is a feature word, or a unit word and another name."""
    if _feature_tail(tail, lexicon):
        return True
    words = tail.split()
    unit = lexicon.feature_words.get(fold(words[0]), ()) if words and tail[:1].isspace() else ()
    return bool({"admin1", "admin2"} & set(unit)) and len(words) > 1 and words[1][:1].isupper()


def _feature_tail(tail: str, lexicon: Lexicon) -> bool:
    """Whether the text after a name is a single feature word (" city", " district")."""
    return tail[:1].isspace() and fold(tail) in lexicon.feature_words


def _strong(places: Iterable[Place], lexicon: Lexicon) -> bool:
    """Whether any reading is a unit, a curated feature or a large town."""
    for place in places:
        if place.feature in ("country", "admin1", "landmark", "crossing", "region"):
            return True
        if place.feature == "admin2":
            # elsewhere counties are often named after people ("Johnson County")
            if place.country in lexicon.focus:
                return True
            continue
        if place.population >= lexicon.min_population:
            return True
    return False


def _extend(span: _Span, text: str, gazetteer: Gazetteer) -> None:
    """Read a feature word after the name and a relative phrase before it."""
    lexicon = gazetteer.lexicon
    words = fold(text[span.start : span.end]).split()
    if len(words) > 1 and words[-1] in lexicon.feature_words:
        span.hint = lexicon.feature_words[words[-1]]
    after = _AFTER_NAME.match(text[span.end : span.end + 60])
    if after:
        for phrase in (after.group(1), after.group(1).split()[0]):
            if fold(phrase) in lexicon.feature_words:
                span.hint = lexicon.feature_words[fold(phrase)]
                span.end += after.start(1) + len(phrase)
                break
    span.relation = _relation_before(fold(text[max(0, span.start - 40) : span.start]), lexicon) or span.relation


_AFTER_NAME = re.compile(r"(?:\s*\([^()]{1,30}\))?\s+([A-Za-z]+(?:\s+[a-z]+)?)")
_TRAILING_ARTICLE = re.compile(r"\s(the|a|an)$")


def _relation_before(before: str, lexicon: Lexicon) -> str:
    """The relation of the longest relative phrase ending the folded text before a name ("12 km north of")."""
    before = _TRAILING_ARTICLE.sub("", " " + before).strip()
    for phrase in lexicon.relation_order:
        if not before.endswith(phrase):
            continue  # each test below needs the text to end with the phrase
        if before == phrase or before.endswith(" " + phrase) or _digit_before(before, phrase):
            return lexicon.relations[phrase]
    return ""


@lru_cache(maxsize=4096)
def _digit_before(before: str, phrase: str) -> bool:
    """Whether the phrase follows a number ("12km from")."""
    return re.search(rf"\d\s*{re.escape(phrase)}$", before) is not None


def _border_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[_Span]:
    """Phrases like "the Tajik border": a demonym followed by a border word."""
    lexicon = gazetteer.lexicon
    tokens = analysis.tokens
    spans = []
    for a, b in pairwise(tokens):
        if fold(b.text) not in lexicon.border_words:
            continue
        iso2 = lexicon.demonyms.get(fold(a.text))
        if iso2:
            spans.append(_Span(a.start, b.end, b.end, "border", border=iso2))
    return spans


def _unit_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[_Span]:
    """Capitalised names before a unit word ("Deh Rahwod district", "Khash Rod (Delaram) district").

    Such a name is a unit of a known kind, spelled in one of many transliterations: it is read
    with the fuzzy matcher of admin units. An alternate name in brackets before the unit word is
    skipped.
    """
    tokens = analysis.tokens
    unit_words = gazetteer.lexicon.unit_words
    spans = []
    for k, token in enumerate(tokens):
        if k == 0 or not _is_unit_word(token.text, unit_words):
            continue
        last = _before_brackets(tokens, k)
        first = last + 1
        while first > 0 and last + 1 - first < MAX_TOKENS and _name_token(tokens[first - 1]):
            first -= 1
        while first <= last and (tokens[first].pos in _NOT_NAME_POS or not tokens[first].text[:1].isupper()):
            first += 1
        if first <= last:
            spans.append(_Span(tokens[first].start, tokens[k - 1].end, tokens[k - 1].end, "unit"))
    return spans


@lru_cache(maxsize=8192)
def _is_unit_word(word: str, unit_words: frozenset[str]) -> bool:
    """Whether a token is a lowercase word for an admin unit ("district", "provinces")."""
    return word.islower() and fold(word) in unit_words


_UNIT_TAIL = re.compile(r"^\s*(\([^()]{0,40}\))?\s*[a-z]*$")


def _swallows(unit: _Span, span: _Span, text: str) -> bool:
    """Whether a name read before a unit word replaces a shorter span inside it ("Menjan" in "Karen wa Menjan").

    The shorter span may run on over a bracketed alternate name and the unit word itself.
    """
    if span.start < unit.start or (span.start, span.end) == (unit.start, unit.end):
        return span.start >= unit.start and span.source != "gazetteer"
    return span.end <= unit.end or bool(_UNIT_TAIL.match(text[unit.end : span.end]))


_NOT_NAME_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON", "AUX", "VERB", "ADV", "PART", "NUM", "PUNCT"})
# lowercase links inside transliterated names ("Kan-e Ezzat", "Tarnak wa Jaldak")
_NAME_PARTICLES = frozenset({"-", "e", "i", "ye", "wa", "-e", "-i"})


def _before_brackets(tokens: Sequence[Token], k: int) -> int:
    """The index of the last name token before token ``k``, skipping one bracketed alternate name."""
    last = k - 1
    if tokens[last].text == ")":
        opening = next((n for n in range(last - 1, max(-1, last - 8), -1) if tokens[n].text == "("), None)
        if opening is not None:
            last = opening - 1
    return last


def _name_token(token: Token) -> bool:
    """Whether a token can belong to a place name before a unit word.

    The parser's sentence breaks inside transliterated names are ignored: a real break ends with
    punctuation, which stops the name.
    """
    return token.text[:1].isupper() or token.text in _NAME_PARTICLES


def find_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[_Span]:
    """Every place phrase in a document, with hints and relations read."""
    text = analysis.document.text
    matched = [s for s in _token_spans(analysis, gazetteer) if _ok_match(s, text, analysis, gazetteer)]
    spans = _merge(_entity_spans(analysis), matched, text, gazetteer.lexicon)
    for unit in _unit_spans(analysis, gazetteer):
        overlapping = [s for s in spans if s.start < unit.end and unit.start < s.end]
        if all(_swallows(unit, s, text) for s in overlapping):
            spans = [s for s in spans if s not in overlapping] + [unit]
    lexicon = gazetteer.lexicon
    not_names = lexicon.not_places.union(lexicon.demonyms)
    spans = [s for s in spans if fold(text[s.start : s.end]) not in not_names]
    borders = _border_spans(analysis, gazetteer)
    spans = [s for s in spans if not any(b.start <= s.start < b.end for b in borders)] + borders
    for span in spans:
        _extend(span, text, gazetteer)
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _ok_match(span: _Span, text: str, analysis: Analysis, gazetteer: Gazetteer) -> bool:
    """Filter gazetteer-only matches: inside other entities, or weak without a feature word."""
    overlapping = [e for e in analysis.entities if e.start < span.end and span.start < e.end]
    for entity in overlapping:
        if entity.label in OTHER_LABELS and (entity.start, entity.end) != (span.start, span.end):
            inside = entity.start >= span.start and entity.end <= span.end
            if not inside:
                return False
    if any(e.label in PLACE_LABELS for e in overlapping):
        return True
    surface = text[span.start : span.end]
    places = gazetteer.names(fold(surface))
    if any(e.label == "PERSON" for e in overlapping) and not _person_may_be_place(places, gazetteer.lexicon):
        return False  # "the Bibi Fatima mosque": a saint's name, not Fatima in Brazil
    if len(surface) < 4 or (surface.isupper() and " " not in surface):
        return any(p.feature in ("country", "admin1") for p in places)
    tokens = analysis.tokens
    first = bisect_left(tokens, span.start, key=lambda t: t.start)
    last = bisect_left(tokens, span.end, key=lambda t: t.start)
    words = [t for t in tokens[first:last] if t.text[:1].isupper()]
    if any(t.pos != "PROPN" for t in words):
        return False  # "Most", "Since", "From": capitalised common words, not names
    probe = _Span(span.start, span.end, span.end, "probe")
    _extend(probe, text, gazetteer)
    focus = gazetteer.lexicon.focus
    return _strong(places, gazetteer.lexicon) or (bool(probe.hint) and any(p.country in focus for p in places))


def _person_may_be_place(places: list[Place], lexicon: Lexicon) -> bool:
    """Whether a name NER calls a person may still be a place: a focus-region place, a province or a big town.

    Countries and regions count too. NER often tags Afghan provinces as persons ("Panjshir"), but a
    foreign town or municipality named like a person is rarely what the text means.
    """
    return any(
        p.country in lexicon.focus
        or p.feature in ("country", "admin1", "region")
        or (p.feature in ("city", "village") and _major(p, lexicon))
        for p in places
    )


# ---------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Context:
    """What the rest of the document says about where it is."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[str] = field(default_factory=Counter)
    within: Place | None = None
    # admin1 names that contain a district or village the document names
    parents: frozenset[str] = frozenset()
    points: tuple[tuple[float, float], ...] = ()
    # how many places ``countries`` counts (1 when none), the denominator of the country share in ``_score``
    total: int = 1


def _context_of(
    places: Iterable[Place | None], within: Place | None = None, own: frozenset[str] | set[str] = frozenset()
) -> _Context:
    """The document context from the places resolved so far.

    Readings of the name being resolved (``own`` place ids) count for its country but not for its
    province or neighbourhood: a repeated name would otherwise confirm its own first guess.
    """
    found = [p for p in places if p is not None]
    other = [p for p in found if p.place_id not in own]
    parents = frozenset(p.admin1 for p in other if p.feature in ("admin2", "village", "landmark"))
    points = tuple((p.lat, p.lon) for p in other if p.feature not in ("country", "region"))
    countries, admin1 = Counter(p.country for p in found), Counter(p.admin1 for p in other)
    return _Context(countries, admin1, within, parents, points, len(found) or 1)


def _score(place: Place, span: _Span, context: _Context, gazetteer: Gazetteer) -> float:
    """How well a candidate fits its phrase and the document."""
    lexicon = gazetteer.lexicon
    score = _prior(place, lexicon)
    curated = place.feature in ("country", "region")
    if place.country not in lexicon.focus and not curated and not _same_name(place.name, span.key):
        # packaged alternate names carry old and local names ("Franklin" for a county seat)
        score -= ALIAS_PENALTY
    if place.place_id in gazetteer.capitals:
        score += lexicon.capital_bonus
    if span.hint:
        score += 4.0 if place.feature in span.hint else -2.0
    score += 4.0 * context.countries[place.country] / context.total
    if place.country in lexicon.focus:
        score += 0.5
    if place.admin1 and context.admin1[place.admin1]:
        score += 2.5
    if context.points and place.feature not in ("country", "region"):
        score += _nearness(place, context.points)
    within = context.within
    if within is not None and _coarser(within, place):
        score += 6.0 if _inside(place, within) else -3.0
    return score


# a great-circle distance is at least the latitude difference times this (km per degree)
_KM_PER_DEGREE = EARTH_KM * math.pi / 180


def _nearness(place: Place, points: Iterable[tuple[float, float]]) -> float:
    """The bonus for a reading near other places: 2 within ``NEAR_KM``, 1 within three times that."""
    bonus = 0.0
    for lat, lon in points:
        if abs(lat - place.lat) * _KM_PER_DEGREE > 3 * NEAR_KM + 1.0:
            continue  # too far north or south to count, whatever the longitude
        km = km_between(place.lat, place.lon, lat, lon)
        if km < NEAR_KM:
            return 2.0
        if km < 3 * NEAR_KM:
            bonus = 1.0
    return bonus


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


@lru_cache(maxsize=100_000)
def _same_name(name: str, key: str) -> bool:
    """Whether a place's name is the folded key, reading "St."/"Mt."/"Ft." as the words they shorten."""

    def spelled(text: str) -> list[str]:
        """The folded words with abbreviations written out."""
        return [_ABBREVIATIONS.get(word, word) for word in fold(text).split()]

    return spelled(name) == spelled(key)


def _key_of(name: str, candidates: list[Place]) -> str:
    """The folded form of a name as the gazetteer files it (without an article or feature word)."""
    key = fold(name)
    names = {fold(p.name) for p in candidates}
    for variant in (key, re.sub(r"^(the|a)\s+", "", key), re.sub(r"\s+\w+$", "", key)):
        if variant in names:
            return variant
    return key


def _candidates(name: str, gazetteer: Gazetteer) -> list[Place]:
    """Readings of a name, then of its core and of a bracketed alternate ("Tere Zayi (Alisher) district").

    The list is cached on the gazetteer: callers must not change it.
    """
    known = gazetteer.readings.get(name)
    if known is not None:
        return known
    found: list[Place] = []
    for variant in dict.fromkeys([name, _core_name(name), *_BRACKETED.findall(name)]):
        found = _name_candidates(variant, gazetteer)
        if found:
            break
    if len(gazetteer.readings) >= READINGS_CACHED:
        gazetteer.readings.clear()
    gazetteer.readings[name] = found
    return found


_BRACKETED = re.compile(r"\(([^()]{2,40})\)")
_UNIT_WORD = re.compile(r"\s+(district|province|districts|provinces)\b.*$", re.IGNORECASE)


def _core_name(name: str) -> str:
    """A name without bracketed alternates and, before a unit word, without a leading "X of" or the unit word on.

    "Borgi of Shinkay (Seyuri) district" -> "Shinkay"; "Shah Joy district center" -> "Shah Joy".
    """
    core = _BRACKETED.sub(" ", name)
    if _UNIT_WORD.search(core):  # "Gulf of Mexico" keeps its "of"
        core = _UNIT_WORD.sub("", re.split(r"\s+of\s+", core)[-1])
    return " ".join(core.split())


def _name_candidates(name: str, gazetteer: Gazetteer) -> list[Place]:
    """Readings of a name, trying it without a leading article or a feature word."""
    key = fold(name)
    found = gazetteer.names(key)
    if not found:
        key = re.sub(r"^(the|a)\s+", "", key)
        found = gazetteer.names(key)
    if not found:
        stripped = re.sub(r"\s+\w+$", "", key)
        if stripped != key and key.rsplit(" ", 1)[-1] in gazetteer.lexicon.feature_words:
            found = gazetteer.names(stripped)
    return found


def _best(span: _Span, name: str, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """The best reading of a phrase in its context."""
    if span.border:
        return gazetteer.by_id(span.border)
    candidates = _candidates(name, gazetteer)
    if not span.key:  # a span keeps its name through resolve_places' passes, and so its key
        span.key = _key_of(name, candidates)
    found = [p for p in candidates if _plausible(p, span, context, gazetteer.lexicon)]
    if not found and context.within is not None and (not span.hint or _named_hint(span.key, gazetteer.lexicon)):
        # a bare name next to another is as often a list ("Kabul, Kandahar") as a container
        found = [p for p in candidates if _plausible(p, span, replace_context(context, None), gazetteer.lexicon)]
    if not found and context.within is not None and span.hint:
        found = _misplaced_unit(candidates, span, context.within)
    found = _prefer_regions(_prefer_countries(found), span.key, gazetteer.lexicon)
    if context.within is None:
        found = _prefer_famous(found, span.key, gazetteer.lexicon)
    if not found or not any(_fits(p, span, context) for p in found) or "admin2" in span.hint:
        fuzzy = [p for p in _fuzzy_units(name, span, context, gazetteer) if p not in found]
    else:
        fuzzy = []
    found += fuzzy
    if not found:
        return None
    scores = {id(p): _score(p, span, context, gazetteer) - (1.0 if p in fuzzy else 0.0) for p in found}
    if not span.hint:
        units = [p for p in found if p.admin1 not in context.parents or p.feature != "admin1"]
        _prefer_seats(units, scores, gazetteer)
    return max(found, key=lambda p: scores[id(p)])


def _misplaced_unit(candidates: list[Place], span: _Span, within: Place) -> list[Place]:
    """The one unit of the named kind in the container's country when the text puts it in the wrong province.

    "Shinkay district, Faryab": Shinkay is a district of Zabul, and a unit's own name is more specific
    evidence than the province written after it. A name shared by several such units stays unresolved.
    """
    units = {p.place_id: p for p in candidates if p.feature in span.hint and p.feature in _RANK}
    same_country = [p for p in units.values() if p.country == within.country and _coarser(within, p)]
    return same_country if len(same_country) == 1 else []


def _named_hint(key: str, lexicon: Lexicon) -> bool:
    """Whether a phrase's feature word is part of the name it matched ("Oklahoma City"), not a word after it."""
    return " " in key and key.rsplit(" ", 1)[-1] in lexicon.feature_words


def _plausible(place: Place, span: _Span, context: _Context, lexicon: Lexicon) -> bool:
    """Drop readings outside the phrase's container, or foreign small towns and wrong kinds of place.

    "Chora district" in an Afghan story is not a Greek town; "the X area of Y district" lies in Y.
    """
    within = context.within
    if within is not None and _coarser(within, place) and not _inside(place, within):
        return False
    if within is not None and span.hint and within.feature in _RANK and not _coarser(within, place):
        return False  # "the X area of Y district" is finer than Y
    if not context.countries or place.feature in ("country", "region"):
        return True
    town = place.feature in ("city", "village")
    if place.country in context.countries:
        return True
    if span.hint and place.feature not in span.hint:
        return False
    if town and span.key and not _same_name(place.name, span.key):
        return False  # a foreign town reached only through one of its alternate names
    return not town or place.population >= lexicon.min_population


_RANK = {"country": 0, "admin1": 1, "admin2": 2}


def _coarser(unit: Place, place: Place) -> bool:
    """Whether ``unit`` is an admin level above ``place`` (only then can it contain it)."""
    return unit.feature in _RANK and _RANK.get(place.feature, 3) > _RANK[unit.feature]


def _fits(place: Place, span: _Span, context: _Context) -> bool:
    """Whether a reading agrees with the phrase's feature word and its container."""
    if span.hint and place.feature not in span.hint:
        return False
    within = context.within
    return within is None or not _coarser(within, place) or _inside(place, within)


def _fuzzy_units(name: str, span: _Span, context: _Context, gazetteer: Gazetteer) -> list[Place]:
    """Admin units of the document's focus countries spelled a little differently ("Deh Rahwod")."""
    if span.source == "probe" or (not span.hint and span.source == "gazetteer"):
        return []
    countries = {c for c in context.countries if c in gazetteer.lexicon.focus}
    if context.within is not None:
        countries = {context.within.country}
    if not countries:
        return []
    wanted = fold(_core_name(name)).replace(" ", "")
    if len(wanted) < (5 if context.within is not None else 6):
        return []
    found = []
    for number in _fuzzy_rows(wanted, gazetteer):
        place = gazetteer.place(number)
        if place.country in countries and (context.within is None or _inside(place, context.within)):
            found.append(place)
    return found


def _fuzzy_rows(wanted: str, gazetteer: Gazetteer) -> list[int]:
    """Rows of the 20 focus-region unit names closest to a space-less key (cached on the gazetteer)."""
    known = gazetteer.fuzzy.get(wanted)
    if known is None:
        keys, numbers = gazetteer.units()
        matches = process.extract(wanted, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=20)
        known = [numbers[k] for _, _, k in matches]
        if len(gazetteer.fuzzy) >= READINGS_CACHED:
            gazetteer.fuzzy.clear()
        gazetteer.fuzzy[wanted] = known
    return known


def _prefer_countries(found: list[Place]) -> list[Place]:
    """A country wins over its own towns of the same name ("Mexico", "Kuwait")."""
    countries = {p.country for p in found if p.feature == "country"}
    return [p for p in found if p.feature == "country" or p.country not in countries]


def _prefer_regions(found: list[Place], key: str, lexicon: Lexicon) -> list[Place]:
    """A curated region, sea or landmark wins over small foreign towns and counties named the same.

    "Atlantic" is the ocean, not the Iowa town; "White House" the landmark, not the Tennessee town.
    """
    if not any(p.feature in ("region", "landmark", "crossing") for p in found):
        return found

    def minor(place: Place) -> bool:
        """Whether a reading is a small foreign town, or a foreign county named without its feature word."""
        if place.country in lexicon.focus:
            return False
        if place.feature in ("city", "village"):
            return place.population < lexicon.min_population
        return place.feature == "admin2" and not _same_name(place.name, key)

    return [p for p in found if not minor(p)]


def _prefer_famous(found: list[Place], key: str, lexicon: Lexicon) -> list[Place]:
    """A city ``FAMOUS_RATIO`` times larger wins over small namesakes abroad ("Toronto" is not the Ohio village).

    Only without a container in the text ("Toronto, Ohio" keeps the village); towns of the focus
    region stay, as their villages' populations are mostly unknown.
    """
    sizes = [p.population for p in found if p.feature == "city" and _same_name(p.name, key)]
    big = max(sizes, default=0)

    def minor(place: Place) -> bool:
        """Whether a reading is a small foreign namesake of a far larger city."""
        town = place.feature in ("city", "village") and place.country not in lexicon.focus
        return town and place.population < lexicon.min_population and place.population * FAMOUS_RATIO < big

    return [p for p in found if not minor(p)]


def _prefer_seats(found: list[Place], scores: dict[int, float], gazetteer: Gazetteer) -> None:
    """Without a feature word, a unit's namesake town inside it wins ("Kandahar" is the city)."""
    towns = [p for p in found if p.feature == "city"]
    for unit in (p for p in found if p.feature in ("admin1", "admin2")):
        for town in towns:
            if _inside(town, unit) and _namesake(town, unit, gazetteer):
                scores[id(town)] = max(scores[id(town)], scores[id(unit)] + 0.5)


def _namesake(town: Place, unit: Place, gazetteer: Gazetteer) -> bool:
    """Whether a town inside a unit is named after it.

    A focus-region district may be displayed in its official spelling ("Mazari Sharif") while its
    seat keeps the usual one ("Mazar-e Sharif"): the district's other names count. Elsewhere a town
    that only has the unit's name as an alias must be a major town of a first-order unit ("New
    York"): a county's alias is often its seat's old name, which is weak evidence.
    """
    if fold(town.name) == fold(unit.name):
        return True
    focus = gazetteer.lexicon.focus
    if unit.country in focus:
        district = unit.feature == "admin2"
        return district and any(p.place_id == unit.place_id for p in gazetteer.names(fold(town.name)))
    return unit.feature == "admin1" and town.population * 10 >= unit.population


def _inside(place: Place, unit: Place) -> bool:
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


def resolve_span(
    text: str, start: int, end: int, gazetteer: Gazetteer, context_places: Sequence[Place] = ()
) -> Place | None:
    """The place a text span names, given other places of the same document as context.

    A demonym ("Syrian") names its country; a name the gazetteer lacks falls back to the place named
    right after it ("the X Hospital in Rome"), then to the place named inside it ("Kandahar Airfield
    Road"), then to the document's main town (``_local_place``).
    A name the document reads one way elsewhere, backed by its province, keeps that reading.
    """
    own = {p.place_id for p in _candidates(text[start:end], gazetteer)}
    context = _context_of(context_places, None, own)
    place = _demonym(text[start:end], gazetteer) or _read_span(text, start, end, context, gazetteer)
    settled = _settled(context_places, own)
    if place is not None and place.place_id in own and len(settled) == 1:
        return settled.pop()  # the document reads the name one way elsewhere
    if place is None:
        place = _unlisted_name_place(text, start, end, context, gazetteer)
    if place is None and context_places:
        return _local_place(list(context_places), gazetteer.lexicon)
    return place


def _settled(context_places: Sequence[Place], own: set[str]) -> set[Place]:
    """The document's readings of a name (``own`` place ids) that another of its places backs by province.

    "Parkland" read in Florida by a document that also names Florida; a reading nothing else backs
    may be the document's own mistake and is no evidence.
    """
    backing = {(p.country, p.admin1) for p in context_places if p.place_id not in own and p.admin1}
    return {p for p in context_places if p.place_id in own and p.admin1 and (p.country, p.admin1) in backing}


def _local_place(places: list[Place], lexicon: Lexicon) -> Place | None:
    """Where a name the gazetteer lacks most likely lies: the document's main town, else its main unit or country.

    Names missing from the gazetteer are mostly small local places, so the finest focus of the
    document is nearer to them than its country.
    """
    for kinds in (("city", "village", "landmark", "crossing"), ("admin2", "admin1")):
        fine = [p for p in places if p.feature in kinds]
        if fine:
            return _main_place(fine, lexicon)
    return _main_place(places, lexicon)


def _demonym(surface: str, gazetteer: Gazetteer) -> Place | None:
    """The country or region a demonym or its plural names ("Afghans")."""
    key = fold(surface)
    demonyms = gazetteer.lexicon.demonyms
    found = demonyms.get(key) or (demonyms.get(key[:-1]) if key.endswith("s") else None)
    return gazetteer.by_id(found) if found else None


def _read_span(text: str, start: int, end: int, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """The best reading of a given span, with its feature word and relation read."""
    span = _Span(start, end, end, "gold")
    _extend(span, text, gazetteer)
    return _best(span, text[start:end], context, gazetteer)


def _unlisted_name_place(text: str, start: int, end: int, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """Where a name the gazetteer lacks lies: the place named right after it, else the place named inside it."""
    return _container_after(text, end, context, gazetteer) or _inner_place(text, start, end, context, gazetteer)


def _inner_place(text: str, start: int, end: int, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """The place named by the longest run of capitalised words inside a longer name.

    "Jalalabad Regional Hospital" lies in Jalalabad and "University of Balkh" in Balkh; a run must
    name a strong place (see ``_strong``) or one in a country the document names, and a minor town
    must lie near the document's other places ("Hatch" in a racetrack's name is no town in New Mexico).
    """
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\s,]+", text[start:end])]
    if not words or fold(text[words[-1][0] : words[-1][1]]) in gazetteer.lexicon.street_words:
        return None
    for size in range(len(words) - 1, 0, -1):
        found = []
        for k in range(len(words) - size + 1):
            a, b = words[k][0], words[k + size - 1][1]
            place = _run_place(text, a, b, context, gazetteer)
            if place is not None and _backed(place, context, gazetteer.lexicon):
                found.append(place)
        if found:
            return max(found, key=lambda p: (p.feature != "region", _prior(p, gazetteer.lexicon)))
    return None


# "X (NBP) in the Y", "X, Y", "X, near Y": an optional short bracketed acronym, a link, then a capitalised run
_CONTAINER_AFTER = re.compile(
    r"(?:\s*\([A-Z][A-Za-z.&]{0,9}\))?(?:(?:\s*,)?\s+(?:in|at|near|on)\s+|\s*,\s*)(?:the\s+)?"
    r"([A-Z][\w'’-]*\.?(?: [A-Z][\w'’-]*\.?){0,3})"
)


def _container_after(text: str, end: int, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """The place named right after a name the gazetteer lacks, which contains it ("the X Hospital in Rome").

    The longest leading part of the following capitalised run that reads as a place wins.
    """
    found = _CONTAINER_AFTER.match(text, end)
    if found is None:
        return None
    words = list(re.finditer(r"\S+", found.group(1)))
    # a run goes on past a dot only after an abbreviation ("St. Louis"), not past a sentence's end
    ends = [k for k, word in enumerate(words) if word.group().endswith(".") and len(word.group()) > 4]
    words = words[: ends[0] + 1] if ends else words
    start = found.start(1)
    for size in range(len(words), 0, -1):
        place = _run_place(text, start, start + words[size - 1].end(), context, gazetteer)
        if place is not None and _backed(place, context, gazetteer.lexicon):
            return place
    return None


def _backed(place: Place, context: _Context, lexicon: Lexicon) -> bool:
    """Whether a reading inside a longer name is major, or a minor town within ``NEAR_KM`` of the document's places.

    Minor towns share their names with people and things ("Jones", "Salt"): far from the story they are coincidences.
    A document with no other town or unit gives no story to weigh them against, and no better fallback.
    """
    if _major(place, lexicon):
        return True
    others = [point for point in context.points if point != (place.lat, place.lon)]  # not its own other mentions
    return not others or _nearness(place, others) >= 2.0


def _run_place(text: str, start: int, end: int, context: _Context, gazetteer: Gazetteer) -> Place | None:
    """A place for one run of words inside a name, or None when it is a common word or weak."""
    surface = text[start:end].strip(".'’")
    lexicon = gazetteer.lexicon
    key = fold(surface)
    if not surface[:1].isupper() or key in lexicon.not_places or set(key.split()) <= lexicon.generic_words:
        return None
    demonym = _demonym(surface, gazetteer)
    if demonym is not None:
        return demonym
    place = _read_span(text, start, start + len(surface), context, gazetteer)
    if place is None or not (_strong([place], lexicon) or place.country in context.countries):
        return None
    # an alternate name of a foreign town inside a longer name is more often a coincidence
    if place.country not in lexicon.focus and place.feature != "country" and not _same_name(place.name, key):
        return None
    return place


def _major(place: Place, lexicon: Lexicon) -> bool:
    """Whether a reading is a unit, a curated feature or a town well above the matcher's minimum."""
    if place.feature in ("city", "village"):
        return place.population >= 10 * lexicon.min_population
    return True


def _main_place(places: list[Place], lexicon: Lexicon | None = None) -> Place | None:
    """The most mentioned place, preferring the finest of equally frequent ones.

    With a lexicon, a place also counts the mentions of the places inside it, and a weak reading
    (a small foreign town, likely a misread common word) counts half.
    """
    if not places:
        return None
    counts = Counter(p.place_id for p in places)
    rank = {f: n for n, f in enumerate(("city", "admin2", "admin1", "country"))}
    if lexicon is None:
        return max(places, key=lambda p: (counts[p.place_id], -rank.get(p.feature, 0)))
    weight = {p.place_id: 1.0 if _major(p, lexicon) else 0.5 for p in places}
    support = {
        p.place_id: sum(weight[q.place_id] for q in places if q.place_id == p.place_id or _inside(q, p)) for p in places
    }
    return max(
        places,
        key=lambda p: (weight[p.place_id] * counts[p.place_id] + 0.5 * support[p.place_id], -rank.get(p.feature, 0)),
    )


def resolve_places(analysis: Analysis, gazetteer: Gazetteer) -> Analysis:
    """Find and resolve the place mentions of a document (unresolvable ones are kept unresolved)."""
    text = analysis.document.text
    spans = find_spans(analysis, gazetteer)
    names = [text[s.start : s.name_end] for s in spans]
    inside = [k + 1 < len(spans) and _contains(spans[k], spans[k + 1], text) for k in range(len(spans))]
    for k, span in enumerate(spans):
        if inside[k] and not span.hint:
            span.hint = _area_hint(text[span.end : spans[k + 1].start], gazetteer.lexicon)
        if inside[k] and span.hint and not spans[k + 1].hint:
            spans[k + 1].hint = _container_hint(span.hint)
    resolved: list[Place | None] = [None] * len(spans)
    owns = [{p.place_id for p in _candidates(name, gazetteer)} for name in names]
    readings: dict[_Phrase, list[tuple[_Context, Place | None]]] = {}
    # each pass reads the document's places as the previous pass resolved them
    for number in range(PASSES):
        changed = False
        for k in range(len(spans) - 1, -1, -1):
            within = resolved[k + 1] if inside[k] else None
            context = _context_of([*resolved[:k], *resolved[k + 1 :]], within, owns[k])
            found = _best_known(readings, spans[k], names[k], context, gazetteer)
            changed = changed or found != resolved[k]
            resolved[k] = found
        if number and not changed:
            break  # a pass that changes nothing has reached the fixed point later passes would repeat
    _one_sense(names, [not s.hint and not s.border for s in spans], inside, resolved)
    for k, span in enumerate(spans):
        if resolved[k] is None and not span.border and not span.hint and _is_facility(names[k], gazetteer.lexicon):
            # "Kabul Peace Hall in Herat" lies in Herat, "Jalalabad Regional Hospital" in Jalalabad
            context = _context_of([*resolved[:k], *resolved[k + 1 :]], None, owns[k])
            resolved[k] = _unlisted_name_place(text, span.start, span.name_end, context, gazetteer)
    for span in spans:
        if not span.relation and _is_dateline(text, span):
            span.relation = "dateline"
    mentions = tuple(_mention(analysis, s, p) for s, p in zip(spans, resolved, strict=True))
    return replace(analysis, places=mentions)


# what ``_best`` reads of a span besides its context: its name, source, border and feature hint
_Phrase = tuple[str, str, str, tuple[str, ...]]


def _best_known(
    readings: dict[_Phrase, list[tuple[_Context, Place | None]]],
    span: _Span,
    name: str,
    context: _Context,
    gazetteer: Gazetteer,
) -> Place | None:
    """``_best``, reusing the reading of the same phrase in an equal context (a name the document repeats).

    ``readings`` holds one document's readings so far, by phrase. Contexts count places, so their counters
    hold no zero counts and are equal only with the same keys.
    """
    earlier = readings.setdefault((name, span.source, span.border, span.hint), [])
    for seen, place in earlier:
        if seen == context:
            return place
    place = _best(span, name, context, gazetteer)
    earlier.append((context, place))
    return place


_LINK_WORDS = frozenset({"the", "of", "and"})


def _one_sense(names: list[str], bare: list[bool], inside: list[bool], resolved: list[Place | None]) -> None:
    """Read every bare mention of a name as its mention with a container does ("Parkland, Florida" ... "Parkland").

    ``bare`` marks the mentions without a feature word; a name read two ways by its containers is left alone.
    """
    settled: dict[str, set[Place]] = {}
    for k, place in enumerate(resolved):
        within = resolved[k + 1] if inside[k] else None
        unit = within is not None and within.feature in ("admin1", "admin2")  # a country is as often a list
        if place is not None and within is not None and unit and _coarser(within, place) and _inside(place, within):
            settled.setdefault(fold(names[k]), set()).add(place)
    for k, name in enumerate(names):
        readings = settled.get(fold(name), set())
        if len(readings) == 1 and bare[k] and resolved[k] is not None and not inside[k]:
            resolved[k] = next(iter(readings))


def _is_facility(name: str, lexicon: Lexicon) -> bool:
    """Whether a name begins or ends with a word for a kind of site ("Kabul University", "University of Balkh")."""
    words = [w for w in fold(name).split() if w not in _LINK_WORDS]
    return len(words) > 1 and (words[0] in lexicon.generic_words or words[-1] in lexicon.generic_words)


def _is_dateline(text: str, span: _Span) -> bool:
    """Whether a name opens a line as a news dateline ("KABUL, Afghanistan (Reuters) -")."""
    line_start = max(text.rfind(c, 0, span.start) for c in "\n\u2028\u2029") + 1
    if text[line_start : span.start].strip().strip("\"'*([") != "":
        return False
    surface = text[span.start : span.end]
    return (surface.isupper() and len(surface) > 2) or bool(_DATELINE_TAIL.match(text, span.end))


def _area_hint(gap: str, lexicon: Lexicon) -> tuple[str, ...]:
    """What the names before "areas of" are ("X, Y and Z areas of W district": villages or areas)."""
    found = _AREA_GAP.match(gap)
    if found is None:
        return ()
    word = fold(found.group(1))
    return lexicon.feature_words.get(word) or lexicon.feature_words.get(word.rstrip("s")) or ("village", "city")


def _container_hint(hint: tuple[str, ...]) -> tuple[str, ...]:
    """What kind of unit contains a place of this kind ("Andar district, Ghazni": a province)."""
    if "admin2" in hint:
        return ("admin1",)
    return ("admin2", "admin1")


def replace_context(context: _Context, within: Place | None) -> _Context:
    """The document context narrowed to a containing place."""
    return _Context(context.countries, context.admin1, within, context.parents, context.points, context.total)


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _contains(inner: _Span, outer: _Span, text: str) -> bool:
    """Whether ``outer`` follows ``inner`` as its container ("X district, Y province", "X and Y areas of Z").

    A name that goes on with "and"/"or" ends a list ("Mexico, the US, and Canada"), not a container.
    """
    gap = text[inner.end : outer.start]
    if _AREA_GAP.match(gap):
        return True
    return len(gap) <= 12 and bool(_CONTAINER_GAP.match(gap)) and not _LIST_GOES_ON.match(text, outer.end)


_LIST_GOES_ON = re.compile(r"\s*,?\s*(and|or)\s", re.IGNORECASE)


def _mention(analysis: Analysis, span: _Span, place: Place | None) -> PlaceMention:
    """A PlaceMention with ACLED and UCDP precision codes."""
    surface = analysis.document.text[span.start : span.end]
    if place is None:
        log.info("%s: unresolved place %r", analysis.document.doc_id, surface)
        return PlaceMention(analysis.evidence(span.start, span.end), surface, None, 3, 7, span.relation, 0.0)
    relation = span.relation
    acled, ucdp = precision_of(place, "border" if span.border else relation)
    confidence = 0.9 if span.source in ("ner", "gold") else 0.75
    return PlaceMention(analysis.evidence(span.start, span.end), surface, place, acled, ucdp, relation, confidence)


def precision_of(place: Place, relation: str = "") -> tuple[int, int]:
    """ACLED geo_precision (1-3) and UCDP where_prec (1-7) for a resolved place and relation."""
    acled = ACLED_PRECISION.get(place.feature, 3)
    ucdp = UCDP_PRECISION.get(place.feature, 4)
    if relation == "border":
        return 3, 5
    if relation and relation != "dateline":
        acled = min(3, acled + 1)
        ucdp = 2 if ucdp == 1 else ucdp
    return acled, ucdp


# ---------------------------------------------------------------- the place of an event


def place_for(analysis: Analysis, start: int, end: int) -> PlaceMention | None:
    """The place belonging to the clause of an event trigger at [start, end)."""
    every = _site_mentions(analysis)
    resolved = [m for m in every if m.relation != "dateline"]
    sentence = analysis.sentence_of(start)
    if sentence is None or not resolved:
        return _coarsen(_document_place(resolved or every), 3)
    same = [m for m in resolved if m.evidence.sentence == sentence.index]
    clause = _in_clause(analysis, same, start, end)
    if clause and not (_finest(clause, start).place.feature == "country" and same):  # type: ignore[union-attr]
        return _finest(clause, start)
    if same:
        return _finest(same, start)
    earlier = _paragraph_before(analysis, resolved, sentence.index)
    if earlier:
        return _coarsen(_finest(earlier, start), 2)
    return _coarsen(_document_place(resolved), 3)


# the last document's site mentions, keyed by its places and tokens (events asks once per trigger)
_SITES: list[tuple[tuple[PlaceMention, ...], tuple[Token, ...], list[PlaceMention]]] = []


def _site_mentions(analysis: Analysis) -> list[PlaceMention]:
    """Resolved mentions that name a site, not an actor ("US forces") or a speaker ("Kabul said")."""
    if _SITES and _SITES[0][0] is analysis.places and _SITES[0][1] is analysis.tokens:
        return _SITES[0][2]
    sites = [
        m for m in analysis.places
        if m.place is not None and not _is_modifier(analysis, m) and not _is_speaker(analysis, m)
    ]
    _SITES[:] = [(analysis.places, analysis.tokens, sites)]
    return sites


def finer_fallback(analysis: Analysis, country: str = "") -> PlaceMention | None:
    """The document's main place below country level (in ``country`` if given), at a coarse precision.

    For an event placed only in a country ("in southern Afghanistan") when the text names its
    provinces and districts elsewhere; None when it names none.
    """
    fine = [
        m
        for m in analysis.places
        if m.place is not None
        and m.place.feature not in ("country", "region")
        and m.relation != "dateline"
        and (not country or m.place.country == country)
        and not _is_modifier(analysis, m)
    ]
    main = _main_place([m.place for m in fine if m.place is not None])
    found = next((m for m in fine if m.place is main), None)
    return _coarsen(found, 3)


def capital_mention(analysis: Analysis, country: str, gazetteer: Gazetteer) -> PlaceMention | None:
    """The first mention of a country's capital, else of a place inside it, else of the country; None if none.

    A place inside the capital ("Kabul airport") is read as the capital itself, its evidence kept.
    """
    named = [m for m in analysis.places if m.place and m.place.country == country and m.relation != "dateline"]
    capital = next((m for m in named if m.place is not None and m.place.place_id in gazetteer.capitals), None)
    seat = gazetteer.capital(country) if capital is None else None
    inside = next(
        (
            m
            for m in named
            if seat is not None and m.place is not None and m.place.feature not in ("country", "admin1")
            and km_between(m.place.lat, m.place.lon, seat.lat, seat.lon) <= _CAPITAL_REACH_KM
        ),
        None,
    )
    if inside is not None:
        return replace(inside, place=seat)
    return capital or next((m for m in named if m.place is not None and m.place.feature == "country"), None)


_CAPITAL_REACH_KM = 20  # a landmark this close to a capital's point lies in the capital (its airport, a district)


def _last_token(analysis: Analysis, mention: PlaceMention) -> Token | None:
    """The last token of a mention's span (None when the span holds no token start)."""
    tokens = analysis.tokens
    after = bisect_left(tokens, mention.evidence.end, key=lambda t: t.start)
    return tokens[after - 1] if after and tokens[after - 1].start >= mention.evidence.start else None


def _head_of(analysis: Analysis, token: Token) -> Token:
    """A token's syntactic head (itself at the root or when the head is out of range)."""
    tokens = analysis.tokens
    return tokens[token.head] if 0 <= token.head < len(tokens) else token


def _is_speaker(analysis: Analysis, mention: PlaceMention) -> bool:
    """Whether a place is the subject of a reporting verb ("the Pentagon said"): it names a speaker, not a site."""
    last = _last_token(analysis, mention)
    return last is not None and last.dep == "nsubj" and _head_of(analysis, last).lemma.lower() in _reporting_lemmas()


@cache
def _reporting_lemmas() -> frozenset[str]:
    """The reporting verbs of the claims lexicon (say, announce, deny ...)."""
    reporting = read_packaged_yaml("lexicons", "claims.yaml").get("reporting") or {}
    return frozenset(str(lemma) for lemmas in reporting.values() for lemma in lemmas or ())


def _is_modifier(analysis: Analysis, mention: PlaceMention) -> bool:
    """Whether a country mention only modifies a noun ("US forces"): it names an actor, not a site."""
    if mention.place is None or mention.place.feature != "country":
        return False
    last = _last_token(analysis, mention)
    if last is None:
        return False
    head = _head_of(analysis, last)
    outside = not mention.evidence.start <= head.start < mention.evidence.end
    return last.dep in ("compound", "amod", "poss") and head.pos in ("NOUN", "PROPN") and outside


def _finest(mentions: list[PlaceMention], near: int) -> PlaceMention:
    """The most precise mention, nearest the trigger among equals."""
    return min(mentions, key=lambda m: (m.ucdp_precision, abs(m.evidence.start - near)))


def _coarsen(mention: PlaceMention | None, floor: int) -> PlaceMention | None:
    """A fallback mention with its ACLED precision no finer than ``floor``."""
    if mention is None:
        return None
    return replace(
        mention,
        precision=max(mention.precision, floor),
        ucdp_precision=max(mention.ucdp_precision, 2 if floor == 2 else 4),
        confidence=0.5,
    )


def _in_clause(analysis: Analysis, mentions: list[PlaceMention], start: int, end: int) -> list[PlaceMention]:
    """Mentions whose dependency path reaches the trigger's clause head."""
    tokens = analysis.tokens
    if not mentions:
        return []
    first = bisect_right(tokens, start, key=lambda t: t.end)  # the first token ending after ``start``
    if first == len(tokens) or tokens[first].start >= end:
        return []
    head = _clause_head(tokens, tokens[first].i)
    return [m for m in mentions if _clause_head(tokens, _token_at(tokens, m.evidence.start)) == head]


def _token_at(tokens: Sequence[Token], offset: int) -> int:
    """The index of the token covering a character offset (0 when none does)."""
    at = bisect_right(tokens, offset, key=lambda t: t.end)
    return tokens[at].i if at < len(tokens) and tokens[at].start <= offset else 0


def _clause_head(tokens: Sequence[Token], i: int) -> int:
    """The nearest verb at or above a token that heads a clause."""
    seen = set()
    while i not in seen:
        seen.add(i)
        token = tokens[i]
        if token.pos in ("VERB", "AUX") and token.dep in ("ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "acl"):
            return i
        if token.head == i:
            return i
        i = token.head
    return i


def _paragraph_before(analysis: Analysis, mentions: list[PlaceMention], index: int) -> list[PlaceMention]:
    """Mentions in the sentences before ``index`` within the same paragraph, latest sentence first."""
    text = analysis.document.text
    sentence = analysis.sentences[index]
    para_start = text.rfind("\n\n", 0, sentence.start)
    candidates = [m for m in mentions if para_start <= m.evidence.start < sentence.start]
    if not candidates:
        return []
    last = max(m.evidence.sentence for m in candidates)
    return [m for m in candidates if m.evidence.sentence == last]


def _document_place(mentions: list[PlaceMention]) -> PlaceMention | None:
    """The mention of the document's main place."""
    main = _main_place([m.place for m in mentions if m.place is not None])
    return next((m for m in mentions if m.place is main), None)
