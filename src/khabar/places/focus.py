"""Where a document is beyond its text: place names in its title and web address, and its actors' countries.

A local story's title often names its state or town ("4-year-old Iowa boy ...", "... - Memphis,
Tennessee") and its outlet's address its city ("toledoblade.com"); a country's police or army acting
in a story most often acts at home. These names are read as the document's places for context only:
they never become mentions, as evidence spans point into the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import pycountry

from khabar.places.gazetteer import Gazetteer, Outlets
from khabar.places.lexicon import Lexicon, fold, is_strong
from khabar.records import Analysis, Document, Place

MAX_WORDS = 4
MIN_HOST_NAME = 5  # letters of a place name read inside a host name ("toledo" in "toledoblade")
# a capitalised word of a title, with the abbreviations names use ("St.", "Fla.", "O'Brien")
_WORD = re.compile(r"[A-Z][\w'’.-]*")
_HOST = re.compile(r"https?://([^/:?#]+)")
# a country's role actor ("police:KEN"): the role, then the country's ISO 3166-1 alpha-3 code
ROLE_ACTOR = re.compile(r"^[a-z_]+:([A-Z]{3})$")
_HOST_SKIP = frozenset({"www", "web", "archive", "com", "org", "net", "gov", "edu", "news", "story", "m", "amp"})
# a US broadcaster's call sign written in a title or outlet name: "WSMV Channel 4", "KLTV.com", "WSB-TV"
_CALL_SIGN = re.compile(r"(?<![\w-])([KW][A-Z]{2,3})(?:-(?:TV|DT|FM|AM|CD|LD))?(?![\w-])")
# what a broadcaster's host name adds to its call sign: "wsbtv", "wave3", "kare11", "wmcactionnews5"
_CALL_HOST_TAIL = re.compile(r"^(?:tv|dt|news|action|channel|online|digital|\d)*$")


def title_names(analysis: Analysis, gazetteer: Gazetteer) -> list[str]:
    """Place names in a title: longest capitalised runs the gazetteer knows as a unit, a country or a town.

    A word the text also writes in lowercase is a common word capitalised by the title's style
    ("Shot"), and one of a person's name in the text a name ("Howard").
    """
    title = analysis.document.title
    words = list(_WORD.finditer(title))
    lowered = {w.lower() for w in re.findall(r"\b[a-z][a-z'’]+\b", analysis.document.text)}
    lowered.update(fold(w) for e in analysis.entities if e.label == "PERSON" for w in e.text.split())
    found: list[str] = []
    k = 0
    while k < len(words):
        size = _longest_name(title, words, k, gazetteer)
        if size:
            name = title[words[k].start() : words[k + size - 1].end()].rstrip(".'’")
            if _title_place(name, lowered, gazetteer):
                found.append(name)
            k += size
        else:
            k += 1
    return found


def _longest_name(title: str, words: list[re.Match[str]], k: int, gazetteer: Gazetteer) -> int:
    """How many adjacent words from word ``k`` make the longest indexed name (0 when none)."""
    best = 0
    for size in range(1, min(MAX_WORDS, len(words) - k) + 1):
        last = words[k + size - 1]
        if size > 1 and title[words[k + size - 2].end() : last.start()] != " ":
            break  # names run over single spaces only
        key = fold(title[words[k].start() : last.end()])
        if key in gazetteer.index and key not in gazetteer.lexicon.not_places:
            best = size
    return best


def _title_place(name: str, lowered: set[str], gazetteer: Gazetteer) -> bool:
    """Whether a title's name reads as a place: a unit or country, or a strong town, and no common word."""
    lexicon = gazetteer.lexicon
    key = fold(name)
    if key in lowered or key in lexicon.demonyms or key in lexicon.generic_words or len(key) < 2:
        return False
    places = gazetteer.names(key)
    return _by_own_name(places, key, lexicon) and (len(key) > 3 or any(p.feature == "admin1" for p in places))


def _by_own_name(places: list[Place], key: str, lexicon: Lexicon) -> bool:
    """Whether a unit, a country or a strong town bears the name itself (not as an alternate name)."""
    own = [p for p in places if fold(p.name) == key or p.feature in ("country", "admin1")]
    return is_strong(own, lexicon)


def host_names(url: str, gazetteer: Gazetteer) -> list[str]:
    """Place names that begin or end a word of a web address's host ("toledo" of toledoblade.com).

    Only countries, first-order units and strong towns count, by their own names; an archived
    address is read for the address it archives.
    """
    host = _host(url)
    table = gazetteer.hosts or _host_table(gazetteer)
    found = []
    for part in re.split(r"[^a-z]+", host):
        if part in _HOST_SKIP or len(part) < MIN_HOST_NAME:
            continue
        name = _affix_name(part, table)
        if name:
            found.append(name)
    return found


def _affix_name(part: str, table: dict[str, str]) -> str:
    """The longest place name that begins or ends a host's word, or ""."""
    for size in range(len(part), MIN_HOST_NAME - 1, -1):
        for piece in (part[:size], part[-size:]):
            if piece in table:
                return table[piece]
    return ""


def _host_table(gazetteer: Gazetteer) -> dict[str, str]:
    """Space-less folded names of countries, first-order units and strong towns, to their display names.

    Built on first use and cached on the gazetteer.
    """
    lexicon = gazetteer.lexicon
    table: dict[str, str] = {}
    for line in gazetteer.lines:
        _, name, feature, _ = line.split("\t", 3)
        if feature == "city":
            strong = int(line.rsplit("\t", 2)[1] or 0) >= lexicon.min_population
        else:
            strong = feature in ("country", "admin1")
        if strong:
            table.setdefault(fold(name).replace(" ", ""), name)
    gazetteer.hosts = table
    return table


def outlet_homes(document: Document, outlets: Outlets) -> list[str]:
    """The town and region of the outlet a document comes from, as names to read for context.

    The outlet is known by its web address (the host or a call sign leading it, "wsmv.com"), else by a
    broadcaster's call sign in its title or outlet name ("... - WSMV Channel 4"). A local outlet's
    story of a "Madison" means the Madison of its market.
    """
    host = _host(document.url)
    home = _host_home(host, outlets) if host else ""
    if not home:
        for found in _CALL_SIGN.finditer(f"{document.title} | {document.outlet}"):
            home = outlets.call_signs.get(found.group(1), "")
            if home:
                break
    return [name.strip() for name in home.split(",") if name.strip()]


def _host(url: str) -> str:
    """The lowercased host of a web address, or of the address an archived one archives ("" if none)."""
    hosts = _HOST.findall(url) or [urlsplit(url).netloc]
    return hosts[-1].lower().split("@")[-1] if hosts else ""


def _host_home(host: str, outlets: Outlets) -> str:
    """An outlet's home by its host: the host or a parent domain in the table, or a call sign leading its name."""
    labels = [label for label in host.split(".") if label]
    for k in range(len(labels) - 1):
        home = outlets.hosts.get(".".join(labels[k:]))
        if home:
            return home
    name = labels[-2] if len(labels) >= 2 else ""
    for size in (4, 3):
        sign = name[:size].upper()
        if sign in outlets.call_signs and _CALL_HOST_TAIL.match(name[size:]):
            return outlets.call_signs[sign]
    return ""


def actor_countries(analysis: Analysis, gazetteer: Gazetteer) -> list[str]:
    """The names of the countries whose role actors (police, army, civilians ...) the document names, once each."""
    found: dict[str, None] = {}
    for mention in analysis.actors:
        code = ROLE_ACTOR.match(mention.actor_id)
        country = gazetteer.country(_alpha2(code.group(1))) if code else None
        if country is not None:
            found.setdefault(country.name)
    return list(found)


@lru_cache(maxsize=512)
def _alpha2(alpha3: str) -> str:
    """The ISO 3166-1 alpha-2 code of an alpha-3 code ("" when unknown)."""
    country = pycountry.countries.get(alpha_3=alpha3)
    return str(country.alpha_2) if country is not None else ""
