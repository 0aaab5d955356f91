"""``khabar eval``: run the whole pipeline on a labelled dataset and score it.

Each dataset kind has a loader (gold rows, checked on load), a runner (documents through the
pipeline, output matched to gold) and pure metric functions. Mapping tables live in
``khabar/data/eval/`` (ACLED taxonomies, ISAF codes, CAMEO country codes, admin1 spellings).
Metrics are shares in 0..1 unless their name says otherwise; every result also has ``n``. A
metric for which no row qualifies (e.g. sub-event types on data without them) is None.

Matching rules
--------------
seeds (gold YAML in the format of ``shared/gold/seeds.yaml``)
    A khabar event *matches* a gold event when it comes from one of the gold event's documents,
    has the same family (gold ``type`` -> ``violence``, gold ``plover`` -> ``political``), its
    time overlaps the gold ``window`` (or ``date``) when one is given, its place is within
    ``radius_km`` (default 50) of the gold lat/lon (or has the gold name, or the gold country when
    only a country is given), and, when the gold names an actor (``actor1``, else the first of
    ``actors``), that actor is khabar's actor1, actor2 or an associated actor. Actor names match
    when the gold canonical name equals (case- and punctuation-insensitive) the registry name, an
    alias, the id's slug, or, for country-coded ids (``military:RUS``), the country's name. A gold
    actor whose ``note`` names its ``parent`` also accepts the parent (and the parent's aliases
    accept the child), so "IS" may resolve to ISKP or Islamic State.
    ``event_recall``: share of gold events with a match. ``place_acc``/``date_window_acc``: among
    gold events with coordinates/with a window that some khabar event matches on every other
    condition, the share that also match on place/date; ``date_window_acc`` also counts each gold
    document's
    ``published`` date or ``published_window`` (khabar's date must fall in it, or khabar's window
    overlap it). ``merge_ok``: gold events with several documents whose matches come from at least
    two of them and all sit in exactly one incident of ``merge.merge_events``.
    ``actor_alias_acc``: per (alias, document) where the alias occurs as a whole word (not inside
    a longer gold alias), the alias counts as resolved when at least half of its occurrences
    overlap an actor mention of an accepted canonical actor. ``person_affiliation_acc``: a gold
    person with an ``affiliation`` counts when some khabar mention of the person carries that
    affiliation. ``claim_recall``: some claim in the gold documents has the speaker (``author`` =
    no named speaker) and, when given, the quantity (best or low). ``relation_recall``: some
    relation in the gold documents joins the two actors (in order when ``directed``); the
    relation type is not compared because the vocabularies differ. ``spurious_events``: count of
    khabar events that match no gold event.
case21
    One label per snippet from ``events.document_label``. Weighted F1 weighs each gold label's F1
    by its support; labels are the gold labels present in the scored rows.
acled
    khabar's main event per row; no publication date is given. Gold event types are mapped to the
    current taxonomy via ``acled_taxonomy.yaml`` (old types may accept several; old territorial
    types imply a sub-event type, which is then scored too). Actor names are
    compared after dropping a sub-unit that follows a closing parenthesis and splitting
    ``X and/or Y`` into alternatives. ``location_acc``: same normalised name or within 5 km.
    ``geo_km_median`` is over rows with a located event; ``geo_within_25km`` counts unlocated
    rows as misses. ``fatalities_*`` treat a missing toll as 0.
isaf
    khabar's main event per row; the release's dateline gives the publication date. ISAF's six
    types are derived by the ordered rules in ``isaf.yaml``; a prediction is right when it is one
    of the gold types. Rows without a target group are not scored for ``target_group_acc``.
geo
    Gold toponyms are the annotations that carry coordinates. Recognition uses exact character
    spans of ``analysis.places``. End-to-end errors are over gold toponyms recognised exactly
    (an unresolved mention has the maximum error, 20,039 km). ``auc`` (lower is better) is the
    area under the sorted curve of log(1 + error km) / log(1 + 20039), with the x axis scaled to
    0..1 (Gritta et al. 2018; the +1 in the divisor keeps the maximum at exactly 1).
    ``resolution_acc_161km`` resolves every gold span with ``places.resolve_span`` (the
    document's other resolved places as context); an unresolved span is a miss.
plover
    khabar's main event per sentence: ``event_acc`` compares the PLOVER type; ``source_acc`` and
    ``target_acc`` compare the country code of the first gold source/target with khabar's actor1/
    actor2 (ISO 3166 alpha-3, CAMEO's non-ISO codes via ``plover_codes.yaml``; IGOs and NGOs by
    their type code). Rows without a gold source/target are not scored for that metric.
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
import math
import re
import statistics
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from khabar import events as events_mod
from khabar import places as places_mod
from khabar import time as timex
from khabar.actors import Registry
from khabar.datafiles import read_packaged_yaml
from khabar.errors import ConfigError, DataError, InputError
from khabar.ingest import content_id, read_paths
from khabar.merge import merge_events
from khabar.parallel import analyse_parallel
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document, Event, Place, Toll
from khabar.settings import Settings, load_settings

log = logging.getLogger(__name__)

KINDS = ("seeds", "case21", "acled", "isaf", "geo", "plover")
MAX_ERROR_KM = 20039.0
LOCATION_KM = 5.0
_COUNTRY_ID = re.compile(r"^[a-z_-]+:([A-Z]{3})$")

Metrics = dict[str, Any]


# --- metric functions -----------------------------------------------------------------------


def share(hits: Iterable[bool]) -> float:
    """The share of true values (0.0 for none)."""
    values = list(hits)
    return sum(values) / len(values) if values else 0.0


def median(values: Sequence[float]) -> float:
    """The median, or 0.0 for no values."""
    return float(statistics.median(values)) if values else 0.0


def label_f1(gold: Sequence[str], pred: Sequence[str]) -> dict[str, tuple[float, int]]:
    """Per gold label: its F1 and its support."""
    true_pos: Counter[str] = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    gold_n, pred_n = Counter(gold), Counter(pred)
    scores: dict[str, tuple[float, int]] = {}
    for label, support in gold_n.items():
        tp = true_pos[label]
        denominator = support + pred_n[label]
        scores[label] = (2 * tp / denominator if denominator else 0.0, support)
    return scores


def weighted_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 per gold label, averaged with the labels' supports as weights."""
    scores = label_f1(gold, pred)
    total = sum(support for _, support in scores.values())
    return sum(f1 * support for f1, support in scores.values()) / total if total else 0.0


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 per gold label, averaged without weights."""
    scores = label_f1(gold, pred)
    return sum(f1 for f1, _ in scores.values()) / len(scores) if scores else 0.0


def confusion(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts as {gold label: {predicted label: count}}."""
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for g, p in zip(gold, pred, strict=True):
        table[g][p] = table[g].get(p, 0) + 1
    return {g: dict(sorted(row.items())) for g, row in sorted(table.items())}


def span_prf(gold: set[tuple[int, int]], pred: set[tuple[int, int]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of exact span matches."""
    hits = len(gold & pred)
    precision = hits / len(pred) if pred else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def error_auc(errors_km: Sequence[float]) -> float:
    """Area under the sorted log-error curve, scaled to 0..1; lower is better."""
    scaled = sorted(math.log1p(min(e, MAX_ERROR_KM)) / math.log1p(MAX_ERROR_KM) for e in errors_km)
    if len(scaled) < 2:
        return scaled[0] if scaled else 0.0
    step = 1 / (len(scaled) - 1)
    return sum((a + b) / 2 * step for a, b in itertools.pairwise(scaled))


def flag_shares(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> Metrics:
    """Per key, the share of rows where it is true among rows where it is not None (None if none)."""
    metrics: Metrics = {}
    for key in keys:
        scored = [bool(row[key]) for row in rows if row[key] is not None]
        metrics[key] = share(scored) if scored else None
    return metrics


def normalise_name(text: str) -> str:
    """A name lowercased, without accents, punctuation or repeated spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9()]+", " ", plain.lower()).split())


def acled_actor_options(name: str) -> set[str]:
    """The normalised names an ACLED actor field accepts: 'X and/or Y' splits, sub-units drop."""
    options = set()
    for part in re.split(r"\s+and/or\s+", name):
        base = re.sub(r"^(.*?\([^)]*\)).+$", r"\1", part.strip())
        if base:
            options.add(normalise_name(base))
    return options


def acled_actor_match(pred: str, gold: str) -> bool:
    """Whether a predicted ACLED actor name matches a gold one."""
    return bool(pred) and bool(acled_actor_options(pred) & acled_actor_options(gold))


def admin1_key(name: str) -> str:
    """A comparable key for an admin1 name: spelling variants share one key."""
    key = _admin1_token(name)
    return _admin1_variants().get(key, key)


def _admin1_token(name: str) -> str:
    """An admin1 name without accents, punctuation, spaces or a trailing 'province'."""
    plain = normalise_name(name)
    plain = re.sub(r"\s*\bprovince$", "", plain)
    return re.sub(r"[^a-z0-9]", "", plain)


@cache
def _admin1_variants() -> dict[str, str]:
    """Each known spelling of an admin1 mapped to the first spelling of its group."""
    data = eval_table("admin1_variants.yaml")
    groups = data.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
        raise DataError("admin1_variants.yaml: 'groups' must be a list of non-empty lists of names")
    return {_admin1_token(str(v)): _admin1_token(str(g[0])) for g in groups for v in g}


@cache
def eval_table(name: str) -> dict[str, Any]:
    """A packaged evaluation table from khabar/data/eval/."""
    return read_packaged_yaml("eval", name)


# --- shared plumbing -------------------------------------------------------------------------


def run_eval(
    kind: str, path: Path, gold: Path | None = None, limit: int | None = None, settings: Settings | None = None
) -> Metrics:
    """Run the pipeline on a labelled dataset of ``kind`` and return its metrics."""
    runners: dict[str, Callable[[Path, Path | None, int | None, Settings], Metrics]] = {
        "seeds": _eval_seeds,
        "case21": _eval_case21,
        "acled": _eval_acled,
        "isaf": _eval_isaf,
        "geo": _eval_geo,
        "plover": _eval_plover,
    }
    if kind not in runners:
        raise ConfigError(f"unknown dataset kind {kind!r}; known kinds: {', '.join(KINDS)}")
    if not path.exists():
        raise InputError(str(path), "no such file or directory", f"give the path of a {kind} dataset")
    return runners[kind](path, gold, limit, settings or load_settings())


def _pipeline(settings: Settings) -> Pipeline:
    """A pipeline for the main process (registry and gazetteer lookups)."""
    return Pipeline(settings)


def _analyse(documents: list[Document], settings: Settings) -> list[Analysis | None]:
    """Analyses in document order; None where the pipeline failed on a document."""
    processes = settings.worker_count() if len(documents) > 4 * settings.batch_size else 1
    results: list[Analysis | None] = []
    for result in analyse_parallel(documents, settings, processes):
        results.append(result if isinstance(result, Analysis) else None)
        if len(results) % 100 == 0:
            log.info("analysed %d/%d documents", len(results), len(documents))
    return results


def _document(text: str, published: date | None = None, dateline: bool = False) -> Document:
    """A document for a dataset row; its publication date from a dateline when asked."""
    source = "metadata" if published else "unknown"
    if published is None and dateline:
        found = timex.publication_from_text(text)
        if found is not None:
            published, source = found[0], found[2]
    return Document(doc_id=content_id(text), text=text, published=published, published_source=source)


def _main_event(analysis: Analysis | None) -> Event | None:
    """Khabar's main event of an analysis, if any."""
    return events_mod.main_event(analysis) if analysis is not None else None


def _day(event: Event) -> date | None:
    """The first day of an event's time, if known."""
    return event.time.start if event.time is not None else None


def _toll(toll: Toll | None) -> int:
    """A toll's best figure, 0 when missing."""
    return int(toll.best) if toll is not None and toll.best is not None else 0


def _limited(rows: list[Any], limit: int | None) -> list[Any]:
    """The first ``limit`` rows, or all of them."""
    return rows[:limit] if limit is not None else rows


def _read(path: Path) -> str:
    """A dataset file's text, or an InputError saying what is wrong."""
    if not path.is_file():
        raise InputError(str(path), "not a file", "give the dataset file itself")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the file ({exc})", "give a UTF-8 text file") from exc


def _csv_rows(path: Path, delimiter: str, required: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a CSV/TSV file with a header holding the required columns."""
    csv.field_size_limit(10_000_000)
    reader = csv.DictReader(_read(path).splitlines(), delimiter=delimiter)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), f"missing column(s) {', '.join(missing)}",
                         f"the header must name {', '.join(required)}")
    return [dict(row) for row in reader]


def _parse_day(value: Any, where: str) -> date:
    """A date from a dataset field ('2019-09-28' or '28 September 2019')."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InputError(where, f"unreadable date {text!r}", "write dates as YYYY-MM-DD or '28 September 2019'")


def _float(value: str, where: str) -> float:
    """A number from a dataset field."""
    try:
        return float(value)
    except ValueError as exc:
        raise InputError(where, f"not a number: {value!r}", "fix the field") from exc


# --- case21 ----------------------------------------------------------------------------------


def load_case21(path: Path) -> list[tuple[str, str]]:
    """(text, label) rows of a CASE-2021 TSV file."""
    rows = _csv_rows(path, "\t", ("text", "label"))
    known = _case21_codes()[0] | _case21_codes()[1]
    for number, row in enumerate(rows, start=2):
        if row["label"] not in known:
            raise InputError(f"{path}:{number}", f"unknown label {row['label']!r}",
                             f"labels must be CASE-2021 codes: {', '.join(sorted(known))}")
    return [(row["text"], row["label"]) for row in rows]


@cache
def _case21_codes() -> tuple[frozenset[str], frozenset[str]]:
    """The CASE-2021 codes that are ACLED sub-event types, and the others."""
    data = eval_table("case21.yaml")
    acled, other = data.get("acled"), data.get("other")
    if not isinstance(acled, list) or not isinstance(other, list):
        raise DataError("case21.yaml: needs lists 'acled' and 'other' of CASE-2021 codes")
    return frozenset(map(str, acled)), frozenset(map(str, other))


def case21_metrics(gold: Sequence[str], pred: Sequence[str]) -> Metrics:
    """CASE-2021 scores: weighted F1 on the ACLED codes and on all, macro F1, accuracy."""
    acled = _case21_codes()[0]
    pairs = [(g, p) for g, p in zip(gold, pred, strict=True) if g in acled]
    return {
        "weighted_f1_25": weighted_f1([g for g, _ in pairs], [p for _, p in pairs]),
        "weighted_f1_all": weighted_f1(gold, pred),
        "macro_f1_all": macro_f1(gold, pred),
        "accuracy": share(g == p for g, p in zip(gold, pred, strict=True)),
        "confusion": confusion(gold, pred),
        "n": len(gold),
    }


def _eval_case21(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score one label per snippet."""
    rows = _limited(load_case21(path), limit)
    analyses = _analyse([_document(text) for text, _ in rows], settings)
    pred = [events_mod.document_label(a) if a is not None else "" for a in analyses]
    return case21_metrics([label for _, label in rows], pred)


# --- acled -----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class AcledRow:
    """One gold ACLED event."""

    day: date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    admin1: str
    location: str
    lat: float
    lon: float
    fatalities: int
    notes: str


# The ACLED export's columns, in the order of its header: what happened, who, where, the toll and the text.
ACLED_WHAT = ("event_date", "event_type", "sub_event_type")
ACLED_WHO = ("actor1", "actor2")
ACLED_WHERE = ("admin1", "location", "latitude", "longitude")
ACLED_COLUMNS = (*ACLED_WHAT, *ACLED_WHO, *ACLED_WHERE, "fatalities", "notes")


def load_acled(path: Path) -> list[AcledRow]:
    """Gold events of an ACLED CSV export."""
    rows = []
    for number, row in enumerate(_csv_rows(path, ",", ACLED_COLUMNS), start=2):
        where = f"{path}:{number}"
        rows.append(AcledRow(
            day=_parse_day(row["event_date"], where),
            event_type=row["event_type"].strip(),
            sub_event_type=(row["sub_event_type"] or "").strip() or implied_sub_event_type(row["event_type"]),
            actor1=(row["actor1"] or "").strip(),
            actor2=(row["actor2"] or "").strip(),
            admin1=(row["admin1"] or "").strip(),
            location=(row["location"] or "").strip(),
            lat=_float(row["latitude"], where),
            lon=_float(row["longitude"], where),
            fatalities=int(_float(row["fatalities"] or "0", where)),
            notes=row["notes"] or "",
        ))
    return rows


def implied_sub_event_type(event_type: str) -> str:
    """The current sub-event type an old-taxonomy event type amounts to, if any."""
    implied = eval_table("acled_taxonomy.yaml").get("implied_sub_event_types") or {}
    return str(implied.get(event_type.strip(), ""))


def acled_type_ok(pred: str, gold: str) -> bool:
    """Whether khabar's event type is one the gold type (of either ACLED taxonomy) accepts."""
    table = eval_table("acled_taxonomy.yaml").get("event_types", {})
    accepted = table.get(gold, [gold]) if isinstance(table, dict) else [gold]
    return normalise_name(pred) in {normalise_name(str(a)) for a in accepted}


def _place_of(event: Event | None) -> Place | None:
    """The resolved place of an event, if any."""
    if event is None or event.place is None:
        return None
    return event.place.place


def acled_row_scores(row: AcledRow, event: Event | None, registry: Registry) -> dict[str, Any]:
    """Per-row comparisons of khabar's main event with one ACLED gold event."""
    place = _place_of(event)
    km = places_mod.km_between(place.lat, place.lon, row.lat, row.lon) if place is not None else None

    def name(actor_id: str) -> str:
        """The ACLED name of one of the event's actors."""
        return registry.acled_name(actor_id, _day(event)) if actor_id and event else ""

    return {
        "event_type_acc": event is not None and acled_type_ok(event.event_type, row.event_type),
        "sub_event_type_acc": (event is not None and normalise_name(event.sub_event_type)
                               == normalise_name(row.sub_event_type)) if row.sub_event_type else None,
        "actor1_acc": acled_actor_match(name(event.actor1) if event else "", row.actor1),
        "actor2_acc": acled_actor_match(name(event.actor2) if event else "", row.actor2) if row.actor2 else None,
        "admin1_acc": place is not None and admin1_key(place.admin1) == admin1_key(row.admin1),
        "location_acc": place is not None and (normalise_name(place.name) == normalise_name(row.location)
                                               or (km is not None and km <= LOCATION_KM)),
        "km": km,
        "date_acc": event is not None and _day(event) == row.day,
        "fatalities": _toll(event.fatalities) if event is not None else 0,
    }


def acled_metrics(rows: Sequence[AcledRow], scores: Sequence[dict[str, Any]]) -> Metrics:
    """Aggregate per-row ACLED comparisons into the metrics."""
    flags = ("event_type_acc", "sub_event_type_acc", "actor1_acc", "actor2_acc", "admin1_acc", "location_acc")
    metrics = flag_shares(scores, flags)
    kms = [s["km"] for s in scores if s["km"] is not None]
    metrics["geo_km_median"] = median(kms)
    metrics["geo_within_25km"] = share(s["km"] is not None and s["km"] <= 25 for s in scores)
    metrics["date_acc"] = share(s["date_acc"] for s in scores)
    errors = [abs(s["fatalities"] - r.fatalities) for r, s in zip(rows, scores, strict=True)]
    metrics["fatalities_exact"] = share(e == 0 for e in errors)
    metrics["fatalities_mae"] = sum(errors) / len(errors) if errors else 0.0
    metrics["n"] = len(rows)
    return metrics


def _eval_acled(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each ACLED row."""
    rows = _limited(load_acled(path), limit)
    analyses = _analyse([_document(row.notes) for row in rows], settings)
    registry = _pipeline(settings).registry
    scores = [acled_row_scores(r, _main_event(a), registry) for r, a in zip(rows, analyses, strict=True)]
    return acled_metrics(rows, scores)


# --- isaf ------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class IsafRow:
    """One annotated ISAF press release."""

    text: str
    start_date: date | None
    event_types: frozenset[str]
    provinces: frozenset[str]
    target_groups: frozenset[str]
    killed: int
    captured: int


def _labels(values: Any) -> frozenset[str]:
    """A set of labels from a list whose items may hold several labels joined by ';'."""
    items = values if isinstance(values, list) else [values]
    return frozenset(p.strip().lower() for v in items if v for p in str(v).split(";") if p.strip())


def load_isaf(path: Path) -> list[IsafRow]:
    """Annotated releases of an ISAF JSONL file."""
    rows = []
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            rows.append(IsafRow(
                text=str(record["text"]),
                start_date=_parse_day(record["start_date"], where) if record.get("start_date") else None,
                event_types=_labels(record.get("event_type")),
                provinces=_labels(record.get("province")),
                target_groups=_labels(record.get("target_group")),
                killed=int(record.get("min_killed") or 0),
                captured=int(record.get("min_captured") or 0),
            ))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"malformed ISAF record ({exc})", "each line needs text and start_date") from exc
    return rows


def isaf_event_type(event: Event | None, registry: Registry) -> str:
    """ISAF's event type for a khabar event, by the first matching rule of isaf.yaml."""
    if event is None:
        return ""
    victim = registry.get(event.actor2) if event.actor2 else None
    facts = {
        "sub_event_types": event.sub_event_type,
        "event_types": event.event_type,
        "victims": victim.type if victim is not None else "",
        "killed": _toll(event.fatalities) > 0,
        "captured": _toll(event.arrests) > 0,
    }
    for rule in eval_table("isaf.yaml").get("event_types", []):
        if all(_rule_holds(facts[key], wanted) for key, wanted in rule.items() if key != "label"):
            return str(rule["label"])
    return ""


def _rule_holds(fact: Any, wanted: Any) -> bool:
    """Whether a fact satisfies one rule condition (a bool, or a list of accepted values)."""
    if isinstance(wanted, bool):
        return bool(fact) == wanted
    return normalise_name(str(fact)) in {normalise_name(str(w)) for w in wanted}


def isaf_target_group(event: Event | None, registry: Registry) -> str:
    """ISAF's target-group code for a khabar event's first armed-group actor."""
    if event is None:
        return ""
    table = eval_table("isaf.yaml")
    by_id, by_name = _isaf_group_index()
    armed = set(table.get("armed_types", []))
    for actor_id in (event.actor2, event.actor1, *event.associated):
        if not actor_id:
            continue
        if actor_id in by_id:
            return by_id[actor_id]
        acled = normalise_name(registry.acled_name(actor_id, _day(event)))
        if acled in by_name:
            return by_name[acled]
        actor = registry.get(actor_id)
        if actor is not None and actor.type in armed:
            return str(table.get("fallback", "other"))
    return ""


@cache
def _isaf_group_index() -> tuple[dict[str, str], dict[str, str]]:
    """ISAF group codes by khabar actor id and by normalised ACLED name."""
    groups = eval_table("isaf.yaml").get("target_groups")
    if not isinstance(groups, dict):
        raise DataError("isaf.yaml: 'target_groups' must map codes to {actor_ids, acled_names}")
    by_id = {str(i): code for code, g in groups.items() for i in g.get("actor_ids") or []}
    by_name = {normalise_name(str(n)): code for code, g in groups.items() for n in g.get("acled_names") or []}
    return by_id, by_name


ISAF_METRICS = ("date_exact", "province_acc", "target_group_acc", "killed_exact", "captured_exact",
                "event_type_acc")


def isaf_row_scores(row: IsafRow, event: Event | None, registry: Registry) -> dict[str, bool | None]:
    """Per-row comparisons of khabar's main event with one ISAF release."""
    place = _place_of(event)
    provinces = {admin1_key(p) for p in row.provinces}
    return {
        "date_exact": event is not None and row.start_date is not None and _day(event) == row.start_date,
        "province_acc": place is not None and admin1_key(place.admin1) in provinces,
        "target_group_acc": isaf_target_group(event, registry) in row.target_groups if row.target_groups else None,
        "killed_exact": (_toll(event.fatalities) if event else 0) == row.killed,
        "captured_exact": (_toll(event.arrests) if event else 0) == row.captured,
        "event_type_acc": isaf_event_type(event, registry) in row.event_types,
    }


def _eval_isaf(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each ISAF release."""
    rows = _limited(load_isaf(path), limit)
    analyses = _analyse([_document(row.text, dateline=True) for row in rows], settings)
    registry = _pipeline(settings).registry
    scores = [isaf_row_scores(r, _main_event(a), registry) for r, a in zip(rows, analyses, strict=True)]
    metrics = flag_shares(scores, ISAF_METRICS)
    metrics["n"] = len(rows)
    return metrics


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
    """A GeoWebNews article and its gold toponyms."""

    text: str
    toponyms: tuple[Toponym, ...]


def load_geo(path: Path) -> list[GeoArticle]:
    """Articles and coordinate-bearing toponyms of a GeoWebNews XML file."""
    try:
        root = ET.fromstring(_read(path))
    except ET.ParseError as exc:
        raise InputError(str(path), f"not valid XML ({exc})", "give a GeoWebNews XML file") from exc
    articles = [_geo_article(node) for node in root.iter("article")]
    if not articles:
        raise InputError(str(path), "no <article> elements", "give a GeoWebNews XML file")
    return articles


def _geo_article(node: ET.Element) -> GeoArticle:
    """One <article> element as text and toponyms."""
    toponyms = []
    for item in node.iter("toponym"):
        lat, lon = (item.findtext("latitude") or "").strip(), (item.findtext("longitude") or "").strip()
        if lat and lon:
            start, end = int(item.findtext("start") or 0), int(item.findtext("end") or 0)
            toponyms.append(Toponym(start, end, item.findtext("extractedName") or "", float(lat), float(lon)))
    return GeoArticle(node.findtext("text") or "", tuple(sorted(toponyms, key=lambda t: (t.start, t.end))))


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


def _eval_geo(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score toponym recognition and resolution on GeoWebNews."""
    articles = _limited(load_geo(path), limit)
    analyses = _analyse([_document(a.text) for a in articles], settings)
    gazetteer = _pipeline(settings).gazetteer
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


# --- plover ----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class PloverRow:
    """One PLOVER gold sentence: its event type and first source/target codes."""

    text: str
    event: str
    source: str
    target: str


def load_plover(path: Path) -> list[PloverRow]:
    """Gold sentences of a PLOVER GSR JSON list, skipping documentation records."""
    try:
        records = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"malformed JSON ({exc.msg})", "give a PLOVER GSR JSON list") from exc
    if not isinstance(records, list):
        raise InputError(str(path), "not a JSON list", "give a PLOVER GSR JSON list")
    return [
        PloverRow(str(r["text"]), str(r["event"]).upper(), _first_code(r.get("source")), _first_code(r.get("target")))
        for r in records
        if isinstance(r, dict) and r.get("text") and r.get("event") and str(r["event"]).upper() != "DOCUMENT"
    ]


def _first_code(actors: Any) -> str:
    """The ISO alpha-3 (or CAMEO type) code of the first actor of a source/target list."""
    if not isinstance(actors, list) or not actors or not isinstance(actors[0], dict):
        return ""
    code = str(actors[0].get("code") or "").upper()
    return str(eval_table("plover_codes.yaml").get("countries", {}).get(code, code))


def plover_code(actor_id: str, registry: Registry) -> str:
    """The country (ISO alpha-3) or CAMEO type code of a khabar actor."""
    if not actor_id:
        return ""
    actor = registry.get(actor_id)
    types = eval_table("plover_codes.yaml").get("types", {})
    if actor is not None and actor.type in types:
        return str(types[actor.type])
    found = _COUNTRY_ID.match(actor_id)
    if found:
        return found.group(1)
    return _alpha3(registry.country_of(actor_id))


def _alpha3(code: str) -> str:
    """ISO alpha-3 for an alpha-2 or alpha-3 country code ('' if unknown)."""
    import pycountry  # noqa: PLC0415 - loads its database on first use

    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    return str(country.alpha_3) if country is not None else ""


def plover_row_scores(row: PloverRow, event: Event | None, registry: Registry) -> dict[str, bool | None]:
    """Per-sentence comparisons of khabar's main event with PLOVER gold."""
    return {
        "event_acc": event is not None and event.plover_type.split("/")[0].strip().upper() == row.event,
        "source_acc": (event is not None and plover_code(event.actor1, registry) == row.source) if row.source else None,
        "target_acc": (event is not None and plover_code(event.actor2, registry) == row.target) if row.target else None,
    }


def _eval_plover(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each PLOVER sentence."""
    rows = _limited(load_plover(path), limit)
    analyses = _analyse([_document(row.text) for row in rows], settings)
    registry = _pipeline(settings).registry
    scores = [plover_row_scores(r, _main_event(a), registry) for r, a in zip(rows, analyses, strict=True)]
    metrics = flag_shares(scores, ("event_acc", "source_acc", "target_acc"))
    metrics["n"] = len(rows)
    return metrics


# --- seeds -----------------------------------------------------------------------------------

SEED_RADIUS_KM = 50.0


@dataclass(slots=True, frozen=True)
class GoldEvent:
    """A gold event of the seeds fixture, reduced to what matching needs."""

    key: str
    docs: tuple[str, ...]
    family: str
    window: tuple[date, date] | None
    point: tuple[float, float, float] | None
    place_name: str
    country: str
    actor: str


@dataclass(slots=True, frozen=True)
class SeedGold:
    """The seeds fixture: documents, actors, events, claims and relations."""

    documents: tuple[dict[str, Any], ...]
    actors: tuple[dict[str, Any], ...]
    events: tuple[GoldEvent, ...]
    claims: tuple[dict[str, Any], ...]
    relations: tuple[dict[str, Any], ...]


class _GoldLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps zero-padded numbers ('010') as strings, as file prefixes are."""


_GoldLoader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_GoldLoader.yaml_implicit_resolvers["0"].insert(0, ("tag:yaml.org,2002:str", re.compile(r"^0[0-9]+$")))


def load_seed_gold(path: Path) -> SeedGold:
    """The seeds gold YAML, with document references resolved to file names."""
    try:
        data = yaml.load(_read(path), Loader=_GoldLoader)
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML ({exc})", "fix the gold file") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise InputError(str(path), "no 'documents' list", "follow the seeds.yaml format")
    documents = tuple(d for d in data["documents"] if isinstance(d, dict) and d.get("file"))
    files = [str(d["file"]) for d in documents]

    def resolve(item: dict[str, Any]) -> tuple[str, ...]:
        """The file names an item's ``docs`` refer to."""
        return _resolve_docs(item.get("docs") or [], files)

    events = tuple(_gold_event(e, resolve(e)) for e in data.get("events") or [] if isinstance(e, dict))
    return SeedGold(
        documents=documents,
        actors=tuple(a for a in data.get("actors") or [] if isinstance(a, dict) and a.get("name")),
        events=events,
        claims=tuple({**c, "docs": resolve(c)} for c in data.get("claims") or [] if isinstance(c, dict)),
        relations=tuple({**r, "docs": resolve(r)} for r in data.get("relations") or [] if isinstance(r, dict)),
    )


def _resolve_docs(refs: Sequence[Any], files: Sequence[str]) -> tuple[str, ...]:
    """File names for document references (a file's name, its prefix, or the prefix as a number)."""
    found = []
    for ref in refs:
        for file in files:
            prefix = file.split("_")[0].split(".")[0]
            numeric = isinstance(ref, int) and prefix.isdigit() and int(prefix) == ref
            if str(ref) in (file, prefix) or numeric:
                found.append(file)
    return tuple(found)


def _gold_event(entry: dict[str, Any], docs: tuple[str, ...]) -> GoldEvent:
    """A gold event entry reduced to its matching conditions."""
    place: dict[str, Any] = entry["place"] if isinstance(entry.get("place"), dict) else {}
    has_point = place.get("lat") is not None and place.get("lon") is not None
    radius = float(place.get("radius_km") or SEED_RADIUS_KM)
    actors = entry.get("actors") or []
    return GoldEvent(
        key=str(entry.get("id", "")),
        docs=docs,
        family="political" if entry.get("plover") and not entry.get("type") else "violence",
        window=_window(entry),
        point=(float(place["lat"]), float(place["lon"]), radius) if has_point else None,
        place_name=str(place.get("name") or ""),
        country=str(place.get("country") or ""),
        actor=str(entry.get("actor1") or (actors[0] if actors else "") or ""),
    )


def _window(entry: dict[str, Any]) -> tuple[date, date] | None:
    """The gold date window of an entry (``window`` or ``date``), if any."""
    where = f"gold item {entry.get('id', '?')}"
    window = entry.get("window") or entry.get("published_window")
    if isinstance(window, list) and len(window) == 2:
        return _parse_day(window[0], where), _parse_day(window[1], where)
    day = entry.get("date") or entry.get("published")
    return (_parse_day(day, where), _parse_day(day, where)) if day else None


class ActorMatcher:
    """Decides whether a khabar actor id stands for a gold canonical name."""

    def __init__(self, registry: Registry, gold_actors: Sequence[dict[str, Any]]) -> None:
        """Index the registry lookups and the alternatives the gold notes allow."""
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
        found = _COUNTRY_ID.match(actor_id)
        if found:
            ids.append(f"state:{found.group(1)}")
            names |= _country_names(found.group(1))
        for each in ids:
            actor = self.registry.get(each)
            if actor is not None:
                names |= {normalise_name(n) for n in (actor.name, *actor.aliases)}
        return names

    def matches(self, actor_id: str, gold_name: str, alternatives: bool = True) -> bool:
        """Whether the actor id stands for the gold name (or an accepted alternative)."""
        if not actor_id or not gold_name:
            return False
        wanted = {normalise_name(re.sub(r"\(.*?\)", "", gold_name))}
        if alternatives:
            wanted |= self.alternatives.get(next(iter(wanted)), set())
        return bool(self.names(actor_id) & wanted)


@cache
def _country_names(alpha3: str) -> frozenset[str]:
    """Normalised names of a country by its alpha-3 code."""
    import pycountry  # noqa: PLC0415 - loads its database on first use

    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return frozenset()
    fields = ("name", "common_name", "official_name")
    return frozenset(normalise_name(str(getattr(country, f))) for f in fields if hasattr(country, f))


@dataclass(slots=True)
class SeedRun:
    """khabar's output on the seed documents, by file name."""

    documents: dict[str, Document]
    analyses: dict[str, Analysis]
    matcher: ActorMatcher


def _seed_events(run: SeedRun) -> list[Event]:
    """Every event khabar found in the seed documents."""
    return [e for a in run.analyses.values() for e in a.events]


def _file_of(run: SeedRun, doc_id: str) -> str:
    """The file name of a document id."""
    return next((f for f, d in run.documents.items() if d.doc_id == doc_id), "")


def event_conditions(gold: GoldEvent, event: Event, file: str, matcher: ActorMatcher) -> dict[str, bool]:
    """Which matching conditions a khabar event meets for a gold event."""
    place = _place_of(event)
    return {
        "doc": file in gold.docs,
        "family": event.family == gold.family,
        "actor": not gold.actor or any(matcher.matches(a, gold.actor)
                                       for a in (event.actor1, event.actor2, *event.associated)),
        "date": gold.window is None or (event.time is not None and event.time.start <= gold.window[1]
                                        and event.time.end >= gold.window[0]),
        "place": _place_ok(gold, place),
    }


def _place_ok(gold: GoldEvent, place: Place | None) -> bool:
    """Whether a place satisfies a gold event's place (point and radius, else name, else country)."""
    if gold.point is not None:
        lat, lon, radius = gold.point
        return place is not None and places_mod.km_between(place.lat, place.lon, lat, lon) <= radius
    if gold.place_name:
        return place is not None and normalise_name(place.name) == normalise_name(gold.place_name)
    if gold.country:
        return place is not None and _alpha3(place.country) == _alpha3(gold.country)
    return True


def _matches(gold: GoldEvent, run: SeedRun, ignore: str = "") -> list[Event]:
    """Khabar events meeting every condition of a gold event except ``ignore``."""
    found = []
    for event in _seed_events(run):
        conditions = event_conditions(gold, event, _file_of(run, event.doc_id), run.matcher)
        if all(ok for name, ok in conditions.items() if name != ignore):
            found.append(event)
    return found


def _given_rest(events: Sequence[GoldEvent], run: SeedRun, condition: str) -> list[bool]:
    """Per gold event constraining ``condition`` with a match on all else: whether it holds too."""
    scores = []
    for gold in events:
        constrained = gold.window is not None if condition == "date" else gold.point is not None
        if constrained and _matches(gold, run, ignore=condition):
            scores.append(bool(_matches(gold, run)))
    return scores


def _merge_ok(gold: GoldEvent, run: SeedRun, registry: Registry) -> bool:
    """Whether a multi-document gold event comes out as exactly one incident.

    Only events reported as having happened count: an aggregate or a threat that also matches is
    not a report of the incident (it is scored by ``spurious_events`` if it is wrong).
    """
    matched = [e for e in _matches(gold, run) if e.status in {"occurred", "denied"}]
    if len({e.doc_id for e in matched}) < 2:
        return False
    incidents = merge_events(_seed_events(run), registry)
    ids = {e.event_id for e in matched}
    holding = [i for i in incidents if ids & {s.event_id for s in i.sources}]
    return len(holding) == 1 and ids <= {s.event_id for s in holding[0].sources}


def _alias_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per (alias, document) where it occurs: whether it resolves to its canonical actor."""
    aliases = [(str(alias), str(a["name"])) for a in gold.actors for alias in (a.get("aliases") or [])]
    scores = []
    for analysis in run.analyses.values():
        text = analysis.document.text
        spans = {alias: _occurrences(text, alias) for alias, _ in aliases}
        every = [s for spans_of in spans.values() for s in spans_of]
        for alias, name in aliases:
            own = [s for s in spans[alias] if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in every)]
            if own:
                good = [_resolved(analysis, s, name, run.matcher) for s in own]
                scores.append(sum(good) * 2 >= len(good))
    return scores


def _occurrences(text: str, alias: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of an alias in a text."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _resolved(analysis: Analysis, span: tuple[int, int], name: str, matcher: ActorMatcher) -> bool:
    """Whether an actor mention overlapping a span resolves to the gold name."""
    mentions = [m for m in analysis.actors if m.evidence.start < span[1] and span[0] < m.evidence.end]
    return any(matcher.matches(m.actor_id, name) for m in mentions)


def _affiliation_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold person with an affiliation: whether a mention of them carries it."""
    scores = []
    for person in gold.actors:
        if person.get("type") != "person" or not person.get("affiliation"):
            continue
        names = [person["name"], *(person.get("aliases") or [])]
        mentions = [m for a in run.analyses.values() for m in a.actors
                    if any(run.matcher.matches(m.actor_id, n, alternatives=False)
                           or normalise_name(m.name) == normalise_name(n) for n in names)]
        scores.append(any(run.matcher.matches(m.affiliation, str(person["affiliation"])) for m in mentions))
    return scores


def _claim_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold claim: whether a claim in its documents has its speaker and quantity."""
    scores = []
    for item in gold.claims:
        claims = [c for f in item["docs"] if f in run.analyses for c in run.analyses[f].claims]
        scores.append(any(_claim_ok(item, c, run.matcher) for c in claims))
    return scores


def _claim_ok(item: dict[str, Any], claim: Any, matcher: ActorMatcher) -> bool:
    """Whether a khabar claim has a gold claim's speaker and quantity."""
    speaker = str(item.get("speaker") or "")
    if speaker == "author":
        speaker_ok = claim.speaker in ("", "author")
    else:
        speaker_ok = matcher.matches(claim.speaker, speaker) or (
            normalise_name(re.sub(r"\(.*?\)", "", speaker)) in normalise_name(claim.speaker_text))
    wanted = item.get("quantity")
    quantity_ok = wanted is None or any(float(wanted) in (q.best, q.low) for q in claim.quantities)
    return bool(speaker_ok and quantity_ok)


def _relation_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold relation: whether a relation in its documents joins the two actors."""
    scores = []
    for item in gold.relations:
        relations = [r for f in item["docs"] if f in run.analyses for r in run.analyses[f].relations]
        pairs = [(r.a, r.b) for r in relations] + ([] if item.get("directed") else [(r.b, r.a) for r in relations])
        scores.append(any(run.matcher.matches(a, str(item["a"])) and run.matcher.matches(b, str(item["b"]))
                          for a, b in pairs))
    return scores


def _document_date_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold document with a date or window: whether khabar's date fits it."""
    scores = []
    for entry in gold.documents:
        window = _window(entry)
        analysed = run.analyses.get(str(entry["file"]))
        # the time stage may infer a publication window, so prefer the analysed document
        document = analysed.document if analysed is not None else run.documents.get(str(entry["file"]))
        if window is None or document is None:
            continue
        scores.append(_date_fits(document, window))
    return scores


def _date_fits(document: Document, window: tuple[date, date]) -> bool:
    """Whether a document's publication date falls in a window, or its window overlaps it."""
    if document.published is not None:
        return window[0] <= document.published <= window[1]
    found = document.published_window
    return found is not None and found[0] <= window[1] and found[1] >= window[0]


def _seed_run(path: Path, gold: SeedGold, limit: int | None, settings: Settings, registry: Registry) -> SeedRun:
    """Read the seed articles and run the pipeline on them."""
    documents: dict[str, Document] = {}
    for item in read_paths([path]):
        if isinstance(item, InputError):
            log.warning("%s", item)
        else:
            documents[Path(item.path).name] = item
    documents = dict(_limited(sorted(documents.items()), limit))
    analyses = _analyse(list(documents.values()), settings)
    return SeedRun(
        documents=documents,
        analyses={f: a for f, a in zip(documents, analyses, strict=True) if a is not None},
        matcher=ActorMatcher(registry, gold.actors),
    )


def _eval_seeds(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score a directory of articles against a seeds-style gold YAML."""
    gold_path = gold or path.parent.parent / "gold" / f"{path.name}.yaml"
    if not gold_path.is_file():
        raise InputError(str(gold_path), "gold file not found", "pass the gold YAML with --gold FILE")
    gold_data = load_seed_gold(gold_path)
    registry = _pipeline(settings).registry
    run = _seed_run(path, gold_data, limit, settings, registry)
    events = [g for g in gold_data.events if any(d in run.analyses for d in g.docs)]
    matched_ids = {e.event_id for g in events for e in _matches(g, run)}
    return {
        "event_recall": share(bool(_matches(g, run)) for g in events),
        "merge_ok": share(_merge_ok(g, run, registry) for g in events if len(g.docs) > 1),
        "actor_alias_acc": share(_alias_scores(gold_data, run)),
        "person_affiliation_acc": share(_affiliation_scores(gold_data, run)),
        "claim_recall": share(_claim_scores(gold_data, run)),
        "relation_recall": share(_relation_scores(gold_data, run)),
        "date_window_acc": share(_document_date_scores(gold_data, run) + _given_rest(events, run, "date")),
        "place_acc": share(_given_rest(events, run, "place")),
        "spurious_events": sum(1 for e in _seed_events(run) if e.event_id not in matched_ids),
        "n": len(events),
    }


# --- output ----------------------------------------------------------------------------------


def format_table(kind: str, metrics: Metrics) -> str:
    """A plain-text table of metrics, with the target where one is set."""
    targets = eval_table("targets.yaml").get("targets", {}).get(kind, {})
    lines = [f"{kind} (n={metrics.get('n', 0)})", f"{'metric':<26}{'value':>10}  target"]
    for name, value in metrics.items():
        if name in ("n", "confusion"):
            continue
        target = targets.get(name)
        mark = f"{target['op']} {target['value']}" if target else ""
        lines.append(f"{name:<26}{shown_value(value):>10}  {mark}")
    return "\n".join(lines)


def shown_value(value: Any) -> str:
    """A metric value for a table: floats to three places, None (nothing scored) as n/a."""
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
