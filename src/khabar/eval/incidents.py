"""Articles grouped by incident (the ``incidents`` format): grouping and incident facts.

The directory holds ``docs.jsonl`` (``id``, ``incident_id``, ``title``, ``published``, ``url``,
``text``) and ``incidents.jsonl`` (``incident_id``, ``date``, ``country``, ``admin1``,
``location``, ``latitude``, ``longitude``, ``killed``, ``injured``). Articles are read as
``khabar ingest`` reads a JSONL file, analysed, and their events merged across articles.

Each article's *main incident* is the violent, occurred incident with the most evidence in that
article; an article without one is its own cluster. ``doc_b3_p``/``doc_b3_r``/``doc_b3_f1`` are
B-cubed precision, recall and F1 of those clusters against the gold incidents (averaged over
articles). ``incidents_per_doc``: violent occurred incidents an article's events belong to, per
article. ``found``: share of gold incidents at least one of whose articles has a main incident.
Over gold incidents, from the incident most of its articles map to (a miss when none):
``date_acc`` (exact first day), ``admin1_acc``, ``place_25km`` (within 25 km, or the same place
name, where ``A (B)`` accepts A or B), ``killed_acc`` and ``injured_acc`` (exact best figure, a
missing toll read as 0).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from khabar import places as places_mod
from khabar.errors import InputError
from khabar.eval.common import (
    EvalTables,
    Metrics,
    admin1_key,
    analyse,
    limited,
    load_eval_tables,
    normalise_name,
    parse_day,
    pipeline_for,
    read_text,
    share,
    toll_best,
)
from khabar.eval.docs import jsonl_documents
from khabar.merge import merge_events
from khabar.records import HAPPENED, Analysis, Incident
from khabar.settings import Settings

PLACE_KM = 25.0


@dataclass(slots=True, frozen=True)
class GoldIncident:
    """One gold incident: its facts as the incident table gives them."""

    incident_id: str
    day: date
    admin1: str
    location: str
    lat: float
    lon: float
    killed: int
    injured: int


def load_incidents(directory: Path) -> tuple[dict[str, str], dict[str, GoldIncident]]:
    """The gold incident of each article id, and the gold incidents by id."""
    docs, table = directory / "docs.jsonl", directory / "incidents.jsonl"
    for needed in (docs, table):
        if not needed.is_file():
            raise InputError(str(needed), "missing", "an incidents directory holds docs.jsonl and incidents.jsonl")
    article_incident = {str(r["id"]): str(r["incident_id"]) for r in _records(docs, ("id", "incident_id"))}
    incidents = {}
    for where, record in _numbered(table, ("incident_id", "date")):
        incident = _gold_incident(record, where)
        incidents[incident.incident_id] = incident
    unknown = sorted(set(article_incident.values()) - set(incidents))
    if unknown:
        raise InputError(str(table), f"no row for incident(s) {', '.join(unknown[:3])}",
                         "every incident_id in docs.jsonl needs a row in incidents.jsonl")
    return article_incident, incidents


def _records(path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file."""
    return [record for _, record in _numbered(path, required)]


def _numbered(path: Path, required: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
    """(``path:line``, object) for each line of a JSONL file, each holding the required keys."""
    rows = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"malformed JSON ({exc.msg})", "fix the line") from exc
        if not isinstance(record, dict) or any(record.get(k) in (None, "") for k in required):
            raise InputError(where, f"needs {', '.join(required)}", "fix the line")
        rows.append((where, record))
    return rows


def _gold_incident(record: dict[str, Any], where: str) -> GoldIncident:
    """One incidents.jsonl row as a gold incident."""
    try:
        return GoldIncident(
            incident_id=str(record["incident_id"]),
            day=parse_day(record["date"], where),
            admin1=str(record.get("admin1") or ""),
            location=str(record.get("location") or ""),
            lat=float(record.get("latitude") or 0.0),
            lon=float(record.get("longitude") or 0.0),
            killed=int(record.get("killed") or 0),
            injured=int(record.get("injured") or 0),
        )
    except (TypeError, ValueError) as exc:
        raise InputError(where, f"bad incident field ({exc})",
                         "latitude, longitude, killed and injured must be numbers") from exc


def main_incidents(incidents: Sequence[Incident], doc_ids: Sequence[str]) -> tuple[dict[str, str], dict[str, int]]:
    """Per document id: its main incident's id, and how many violent occurred incidents it is in."""
    evidence: dict[str, Counter[str]] = defaultdict(Counter)
    for incident in incidents:
        if incident.event.family != "violence" or incident.event.status not in HAPPENED:
            continue
        for source in incident.sources:
            evidence[source.doc_id][incident.incident_id] += max(1, len(source.evidence))
    main = {d: evidence[d].most_common(1)[0][0] for d in doc_ids if evidence[d]}
    return main, {d: len(evidence[d]) for d in doc_ids}


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering of items against the gold clustering."""
    pred_members: dict[str, set[str]] = defaultdict(set)
    gold_members: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        pred_members[predicted[item]].add(item)
        gold_members[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        ours, theirs = pred_members[predicted[item]], gold_members[gold[item]]
        overlap = len(ours & theirs)
        precision += overlap / len(ours)
        recall += overlap / len(theirs)
    n = len(gold) or 1
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fact_scores(gold: GoldIncident, incident: Incident | None, tables: EvalTables) -> dict[str, bool]:
    """Whether an incident has the gold incident's date, admin1, place and tolls."""
    event = incident.event if incident is not None else None
    place = event.place.place if event is not None and event.place is not None else None
    names = {normalise_name(n) for n in re.split(r"[()]", gold.location) if n.strip()}
    near = place is not None and (places_mod.km_between(place.lat, place.lon, gold.lat, gold.lon) <= PLACE_KM
                                  or normalise_name(place.name) in names)
    return {
        "date_acc": event is not None and event.time is not None and event.time.start == gold.day,
        "admin1_acc": place is not None and admin1_key(place.admin1, tables) == admin1_key(gold.admin1, tables),
        "place_25km": near,
        "killed_acc": incident is not None and _tolls(incident)[0] == gold.killed,
        "injured_acc": incident is not None and _tolls(incident)[1] == gold.injured,
    }


def _tolls(incident: Incident) -> tuple[int, int]:
    """An incident's best killed and injured figures (its merged toll, else its event's; 0 when none)."""
    return (toll_best(incident.fatalities or incident.event.fatalities),
            toll_best(incident.injuries or incident.event.injuries))


def incident_metrics(
    article_incident: dict[str, str], incidents: dict[str, GoldIncident],
    analyses: dict[str, Analysis], merged: Sequence[Incident], tables: EvalTables,
) -> Metrics:
    """Grouping and fact metrics of merged incidents against the gold."""
    doc_of = {a.document.doc_id: article for article, a in analyses.items()}
    main_by_doc, counts = main_incidents(merged, list(doc_of))
    main = {doc_of[d]: i for d, i in main_by_doc.items()}
    articles = [a for a in article_incident if a in analyses]
    predicted = {a: main.get(a, f"alone:{a}") for a in articles}
    precision, recall, f1 = b_cubed(predicted, {a: article_incident[a] for a in articles})
    by_id = {i.incident_id: i for i in merged}
    facts, found = [], []
    for gold_id in sorted({article_incident[a] for a in articles}):
        mapped = Counter(main[a] for a in articles if article_incident[a] == gold_id and a in main)
        found.append(bool(mapped))
        facts.append(fact_scores(incidents[gold_id], by_id[mapped.most_common(1)[0][0]] if mapped else None,
                                 tables))
    metrics: Metrics = {"doc_b3_p": precision, "doc_b3_r": recall, "doc_b3_f1": f1,
                        "incidents_per_doc": sum(counts.values()) / len(counts) if counts else 0.0,
                        "found": share(found)}
    for key in ("date_acc", "admin1_acc", "place_25km", "killed_acc", "injured_acc"):
        metrics[key] = share(f[key] for f in facts)
    metrics["n"] = len(found)
    return metrics


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Analyse an incidents directory's articles, merge them, and score grouping and facts."""
    if not path.is_dir():
        raise InputError(str(path), "not a directory", "give the directory holding docs.jsonl and incidents.jsonl")
    article_incident, incidents = load_incidents(path)
    documents = dict(limited([(i, d) for i, d in jsonl_documents(path / "docs.jsonl").items()
                              if i in article_incident], limit))
    results = analyse(list(documents.values()), settings)
    analyses = {i: a for i, a in zip(documents, results, strict=True) if a is not None}
    merged = merge_events([e for a in analyses.values() for e in a.events], pipeline_for(settings).registry)
    return incident_metrics(article_incident, incidents, analyses, merged, load_eval_tables())
