"""Geoparsing corpora: toponym recognition and resolution.

Schemas
-------
A file's schema is the first of these whose annotation element (with its name child) occurs in it:

LGL/TR-News
    ``<article docid>`` with ``<title>``, ``<text>`` and ``<toponyms><toponym>`` holding
    ``<phrase>``, ``<start>``, ``<end>`` and ``<gaztag geonameid>`` with ``<lat>``/``<lon>``.
GeoWebNews
    ``<article>`` with ``<text>`` and ``<toponym>`` holding ``<extractedName>``, ``<start>``,
    ``<end>``, ``<latitude>``, ``<longitude>``.
GeoVirus/WikToR
    ``<article>`` with ``<text>`` and ``<locations><location>`` holding ``<name>``, ``<start>``,
    ``<end>``, ``<lat>``, ``<lon>``.

Offsets are into ``<text>``. A toponym without coordinates (no gaztag, or empty latitude) is not
scored. A gold span is moved by one character when ``text[start:end]`` is not its name but
``text[start±1:end±1]`` is (a few LGL/TR-News offsets;
every offset of the shared GeoVirus file is one past).
``load_geo`` reads any article file (the bench only wants its texts); ``run`` raises an
InputError naming the file when the file, or its first ``--limit`` articles, hold no toponym to
score (no annotations of a known schema, or none with coordinates).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar import places as places_mod
from khabar.errors import InputError
from khabar.eval.common import (
    MAX_ERROR_KM,
    Metrics,
    analyse,
    document_for,
    error_auc,
    limited,
    median,
    pipeline_for,
    read_text,
    share,
)
from khabar.records import Place
from khabar.settings import Settings

log = logging.getLogger(__name__)


# --- geo -------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Toponym:
    """A gold toponym: its character span and coordinates."""

    start: int
    end: int
    name: str
    lat: float
    lon: float


@dataclass(slots=True, frozen=True)
class GeoArticle:
    """A geoparsing article and its gold toponyms with coordinates."""

    text: str
    toponyms: tuple[Toponym, ...]


@dataclass(slots=True, frozen=True)
class GeoSchema:
    """Where one geoparsing schema keeps a toponym's name and coordinates (ElementTree paths)."""

    name: str
    item: str
    phrase: str
    lat: str
    lon: str


SCHEMAS = (
    GeoSchema("LGL/TR-News", "toponym", "phrase", "gaztag/lat", "gaztag/lon"),
    GeoSchema("GeoWebNews", "toponym", "extractedName", "latitude", "longitude"),
    GeoSchema("GeoVirus/WikToR", "location", "name", "lat", "lon"),
)
KNOWN_SCHEMAS = "give a GeoWebNews, GeoVirus/WikToR or LGL/TR-News XML file"


def load_geo(path: Path) -> list[GeoArticle]:
    """Articles and coordinate-bearing toponyms of a geoparsing XML file in any known schema."""
    try:
        root = ET.fromstring(read_text(path))
    except ET.ParseError as exc:
        raise InputError(str(path), f"not valid XML ({exc})", KNOWN_SCHEMAS) from exc
    nodes = list(root.iter("article"))
    if not nodes:
        raise InputError(str(path), "no <article> elements", KNOWN_SCHEMAS)
    schema = detect_schema(root)
    if schema is None:
        return [GeoArticle(node.findtext("text") or "", ()) for node in nodes]
    return [_geo_article(node, schema, f"{path}: article {n}") for n, node in enumerate(nodes, start=1)]


def detect_schema(root: ET.Element) -> GeoSchema | None:
    """The schema of the first kind of toponym annotation the file holds, if any."""
    return next((s for s in SCHEMAS if root.find(f".//{s.item}/{s.phrase}") is not None), None)


def scorable_geo(path: Path, limit: int | None) -> list[GeoArticle]:
    """The first ``limit`` articles of a file; an InputError when they hold no toponym to score."""
    articles = load_geo(path)
    _require_toponyms(articles, path, f"no toponym with coordinates in its {len(articles)} articles",
                      f"{KNOWN_SCHEMAS} whose toponyms carry coordinates")
    articles = limited(articles, limit)
    _require_toponyms(articles, path, f"no toponym with coordinates in its first {limit} articles",
                      "raise --limit")
    return articles


def _require_toponyms(articles: Sequence[GeoArticle], path: Path, problem: str, fix: str) -> None:
    """Raise an InputError naming the file when no article has a toponym to score."""
    if not any(a.toponyms for a in articles):
        raise InputError(str(path), problem, fix)


def _geo_article(node: ET.Element, schema: GeoSchema, where: str) -> GeoArticle:
    """One <article> element as text and the toponyms that carry coordinates."""
    text = node.findtext("text") or ""
    toponyms = [_toponym(item, schema, text, where) for item in node.iter(schema.item)]
    found = [t for t in toponyms if t is not None]
    return GeoArticle(text, tuple(sorted(found, key=lambda t: (t.start, t.end))))


def _toponym(item: ET.Element, schema: GeoSchema, text: str, where: str) -> Toponym | None:
    """One annotation as a gold toponym; None when it has no coordinates."""
    lat, lon = (item.findtext(schema.lat) or "").strip(), (item.findtext(schema.lon) or "").strip()
    if not (lat and lon):
        return None
    name = (item.findtext(schema.phrase) or "").strip()
    try:
        start, end = aligned_span(text, int(item.findtext("start") or ""), int(item.findtext("end") or ""), name)
        return Toponym(start, end, name, float(lat), float(lon))
    except ValueError as exc:
        raise InputError(where, f"toponym {name!r} has a bad offset or coordinate ({exc})",
                         "start and end must be integers, lat and lon numbers") from exc


def aligned_span(text: str, start: int, end: int, name: str) -> tuple[int, int]:
    """A gold span, moved by one character when only the moved span holds the name."""
    if not name or text[start:end] == name:
        return start, end
    for shift in (-1, 1):
        if start + shift >= 0 and text[start + shift:end + shift] == name:
            return start + shift, end + shift
    return start, end


def geo_metrics(
    gold: Sequence[set[tuple[int, int]]], pred: Sequence[set[tuple[int, int]]],
    errors_km: Sequence[float], resolution_km: Sequence[float | None],
) -> Metrics:
    """Recognition P/R/F1 summed over articles, end-to-end errors and gold-span resolution."""
    hits = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    n_gold, n_pred = sum(map(len, gold)), sum(map(len, pred))
    precision = hits / n_pred if n_pred else 0.0
    recall = hits / n_gold if n_gold else 0.0
    return {
        "toponym_p": precision,
        "toponym_r": recall,
        "toponym_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "acc_161km": share(e <= 161 for e in errors_km),
        "median_km": median(errors_km),
        "auc": error_auc(errors_km),
        "resolution_acc_161km": share(e is not None and e <= 161 for e in resolution_km),
        "n": n_gold,
    }


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score toponym recognition and resolution on a geoparsing corpus."""
    articles = scorable_geo(path, limit)
    analyses = analyse([document_for(a.text) for a in articles], settings)
    gazetteer = pipeline_for(settings).gazetteer
    gold_spans: list[set[tuple[int, int]]] = []
    pred_spans: list[set[tuple[int, int]]] = []
    errors: list[float] = []
    resolved: list[float | None] = []
    for article, analysis in zip(articles, analyses, strict=True):
        mentions = {(m.evidence.start, m.evidence.end): m.place for m in (analysis.places if analysis else ())}
        gold_spans.append({(t.start, t.end) for t in article.toponyms})
        pred_spans.append(set(mentions))
        for t in article.toponyms:
            if (t.start, t.end) in mentions:
                errors.append(_error_km(mentions[(t.start, t.end)], t))
        context = tuple(p for p in mentions.values() if p is not None)
        resolved.extend(_resolution_km(article.text, t, gazetteer, context) for t in article.toponyms)
    return geo_metrics(gold_spans, pred_spans, errors, resolved)


def _error_km(place: Place | None, toponym: Toponym) -> float:
    """Distance from a resolved place to the gold point; the maximum when unresolved."""
    return places_mod.km_between(place.lat, place.lon, toponym.lat, toponym.lon) if place else MAX_ERROR_KM


def _resolution_km(text: str, toponym: Toponym, gazetteer: Any, context: tuple[Place, ...]) -> float | None:
    """Error of resolving a gold span with the gazetteer, None when it stays unresolved."""
    place = places_mod.resolve_span(text, toponym.start, toponym.end, gazetteer, context_places=context)
    return _error_km(place, toponym) if place is not None else None


