"""Shared pieces of the evaluation harness: metric functions, names, dataset plumbing."""

from __future__ import annotations

import csv
import itertools
import logging
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from khabar import events as events_mod
from khabar import time as timex
from khabar.actors import Registry
from khabar.datafiles import read_packaged_yaml
from khabar.errors import DataError, InputError
from khabar.executors import analyse_parallel
from khabar.export.regions import Admin1Parts, load_admin1_parts
from khabar.ingest import content_id
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document, Event, Place, Toll
from khabar.settings import Settings

log = logging.getLogger(__name__)

Metrics = dict[str, Any]


MAX_ERROR_KM = 20039.0
COUNTRY_ID = re.compile(r"^[a-z_-]+:([A-Z]{3})$")

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


def admin1_key(name: str, tables: EvalTables) -> str:
    """A comparable key for an admin1 name: spelling variants share one key."""
    key = _admin1_token(name)
    return tables.admin1.get(key, key)


def _admin1_token(name: str) -> str:
    """An admin1 name without accents, punctuation, spaces or a trailing 'province'."""
    plain = normalise_name(name)
    plain = re.sub(r"\s*\bprovince$", "", plain)
    return re.sub(r"[^a-z0-9]", "", plain)


@dataclass(slots=True, frozen=True)
class EvalTables:
    """The packaged evaluation tables (``khabar/data/eval/``): loaded once per run, passed to the scorers."""

    admin1: dict[str, str]
    acled_types: dict[str, Any]
    implied_sub_types: dict[str, str]
    isaf: dict[str, Any]
    isaf_by_id: dict[str, str]
    isaf_by_name: dict[str, str]
    plover_countries: dict[str, str]
    plover_types: dict[str, str]
    case21_acled: frozenset[str]
    case21_other: frozenset[str]
    admin1_parts: Admin1Parts  # the parts of an admin1 ACLED names as admin1 ("Shan-North")


def load_eval_tables() -> EvalTables:
    """Every packaged evaluation table, checked."""
    taxonomy, isaf = eval_table("acled_taxonomy.yaml"), eval_table("isaf.yaml")
    plover, case21 = eval_table("plover_codes.yaml"), eval_table("case21.yaml")
    by_id, by_name = _isaf_group_index(isaf)
    acled, other = case21.get("acled"), case21.get("other")
    if not isinstance(acled, list) or not isinstance(other, list):
        raise DataError("case21.yaml: needs lists 'acled' and 'other' of CASE-2021 codes")
    return EvalTables(
        admin1=_admin1_variants(eval_table("admin1_variants.yaml")),
        acled_types=dict(taxonomy.get("event_types") or {}),
        implied_sub_types={str(k): str(v) for k, v in (taxonomy.get("implied_sub_event_types") or {}).items()},
        isaf=isaf, isaf_by_id=by_id, isaf_by_name=by_name,
        plover_countries={str(k): str(v) for k, v in (plover.get("countries") or {}).items()},
        plover_types={str(k): str(v) for k, v in (plover.get("types") or {}).items()},
        case21_acled=frozenset(map(str, acled)), case21_other=frozenset(map(str, other)),
        admin1_parts=load_admin1_parts(),
    )


def _admin1_variants(data: dict[str, Any]) -> dict[str, str]:
    """Each known spelling of an admin1 mapped to the first spelling of its group."""
    groups = data.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, list) and g for g in groups):
        raise DataError("admin1_variants.yaml: 'groups' must be a list of non-empty lists of names")
    return {_admin1_token(str(v)): _admin1_token(str(g[0])) for g in groups for v in g}


def _isaf_group_index(isaf: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """ISAF group codes by khabar actor id and by normalised ACLED name."""
    groups = isaf.get("target_groups")
    if not isinstance(groups, dict):
        raise DataError("isaf.yaml: 'target_groups' must map codes to {actor_ids, acled_names}")
    by_id = {str(i): code for code, g in groups.items() for i in g.get("actor_ids") or []}
    by_name = {normalise_name(str(n)): code for code, g in groups.items() for n in g.get("acled_names") or []}
    return by_id, by_name


def eval_table(name: str) -> dict[str, Any]:
    """A packaged evaluation table from khabar/data/eval/ (read afresh; runs hold an ``EvalTables``)."""
    return read_packaged_yaml("eval", name)


def pipeline_for(settings: Settings) -> Pipeline:
    """A pipeline for the main process (registry and gazetteer lookups)."""
    return Pipeline(settings)


def analyse(documents: list[Document], settings: Settings) -> list[Analysis | None]:
    """Analyses in document order; None where the pipeline failed on a document."""
    processes = settings.worker_count() if len(documents) > 4 * settings.batch_size else 1
    results: list[Analysis | None] = []
    for result in analyse_parallel(documents, settings, processes):
        results.append(result if isinstance(result, Analysis) else None)
        if len(results) % 100 == 0:
            log.info("analysed %d/%d documents", len(results), len(documents))
    return results


def document_for(text: str, published: date | None = None, dates: timex.TimeLexicon | None = None) -> Document:
    """A document for a dataset row; its publication date read from a dateline when ``dates`` are given."""
    source = "metadata" if published else "unknown"
    if published is None and dates is not None:
        found = timex.publication_from_text(text, dates)
        if found is not None:
            published, source = found[0], found[2]
    return Document(doc_id=content_id(text), text=text, published=published, published_source=source)


def main_events(documents: list[Document], settings: Settings) -> tuple[list[Analysis | None], list[Event | None],
                                                                       Registry]:
    """Analyses of one document per row, khabar's main event of each, and the registry to name actors by."""
    analyses = analyse(documents, settings)
    pipeline = pipeline_for(settings)
    return analyses, [main_event(a, pipeline.event_resources) for a in analyses], pipeline.registry


def main_event(analysis: Analysis | None, resources: events_mod.EventResources) -> Event | None:
    """Khabar's main event of an analysis, if any."""
    return events_mod.main_event(analysis, resources) if analysis is not None else None


def event_day(event: Event) -> date | None:
    """The first day of an event's time, if known."""
    return event.time.start if event.time is not None else None


def toll_best(toll: Toll | None) -> int:
    """A toll's best figure, 0 when missing."""
    return int(toll.best) if toll is not None and toll.best is not None else 0


def limited(rows: list[Any], limit: int | None) -> list[Any]:
    """The first ``limit`` rows, or all of them."""
    return rows[:limit] if limit is not None else rows


def read_text(path: Path) -> str:
    """A dataset file's text, or an InputError saying what is wrong."""
    if not path.is_file():
        raise InputError(str(path), "not a file", "give the dataset file itself")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the file ({exc})", "give a UTF-8 text file") from exc


def csv_rows(path: Path, delimiter: str, required: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a CSV/TSV file with a header holding the required columns."""
    csv.field_size_limit(10_000_000)
    reader = csv.DictReader(read_text(path).splitlines(), delimiter=delimiter)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), f"missing column(s) {', '.join(missing)}",
                         f"the header must name {', '.join(required)}")
    return [dict(row) for row in reader]


# Day formats of datasets and ACLED exports: ISO, '09 May 2020', '9 Sep 2020', '9-May-20', '31-12-19'.
DAY_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%y", "%d-%B-%Y", "%d-%b-%Y", "%d-%m-%y", "%d/%m/%Y")


def parse_day(value: Any, where: str) -> date:
    """A date from a dataset field: ISO (with or without a time) or one of DAY_FORMATS."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for pattern in DAY_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InputError(where, f"unreadable date {text!r}",
                     "write dates as 2020-05-09, '9 May 2020', '9-May-20' or 09-05-20 (day-month-year)")


def parse_float(value: str, where: str) -> float:
    """A number from a dataset field."""
    try:
        return float(value)
    except ValueError as exc:
        raise InputError(where, f"not a number: {value!r}", "fix the field") from exc


def place_of(event: Event | None) -> Place | None:
    """The resolved place of an event, if any."""
    if event is None or event.place is None:
        return None
    return event.place.place


def alpha3(code: str) -> str:
    """ISO alpha-3 for an alpha-2 or alpha-3 country code ('' if unknown)."""
    import pycountry  # noqa: PLC0415 - loads its database on first use

    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
    return str(country.alpha_3) if country is not None else ""


def country_names(alpha3: str) -> frozenset[str]:
    """Normalised names of a country by its alpha-3 code."""
    import pycountry  # noqa: PLC0415 - loads its database on first use

    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return frozenset()
    fields = ("name", "common_name", "official_name")
    return frozenset(normalise_name(str(getattr(country, f))) for f in fields if hasattr(country, f))


def events_per_doc(analyses: Sequence[Analysis | None]) -> float | None:
    """Document-level events per analysis, a failed one counting 0; None for no analyses."""
    if not analyses:
        return None
    return sum(len(a.events) for a in analyses if a is not None) / len(analyses)
