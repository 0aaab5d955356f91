"""ISAF press releases: dates, provinces, target groups, tolls and ISAF's event types.

``events_per_doc`` is the number of document-level events per release (``len(analysis.events)``,
0 when the pipeline failed on the release), averaged; None when there are no releases.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from khabar import time as timex
from khabar.actors import Registry
from khabar.errors import InputError
from khabar.eval.common import (
    EvalTables,
    Metrics,
    admin1_key,
    document_for,
    event_day,
    events_per_doc,
    flag_shares,
    limited,
    load_eval_tables,
    main_events,
    normalise_name,
    parse_day,
    place_of,
    read_text,
    toll_best,
)
from khabar.records import Event
from khabar.settings import Settings

log = logging.getLogger(__name__)


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
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            rows.append(IsafRow(
                text=str(record["text"]),
                start_date=parse_day(record["start_date"], where) if record.get("start_date") else None,
                event_types=_labels(record.get("event_type")),
                provinces=_labels(record.get("province")),
                target_groups=_labels(record.get("target_group")),
                killed=int(record.get("min_killed") or 0),
                captured=int(record.get("min_captured") or 0),
            ))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"malformed ISAF record ({exc})", "each line needs text and start_date") from exc
    return rows


def isaf_event_type(event: Event | None, registry: Registry, tables: EvalTables) -> str:
    """ISAF's event type for a khabar event, by the first matching rule of isaf.yaml."""
    if event is None:
        return ""
    victim = registry.get(event.actor2) if event.actor2 else None
    facts = {
        "sub_event_types": event.sub_event_type,
        "event_types": event.event_type,
        "victims": victim.type if victim is not None else "",
        "killed": toll_best(event.fatalities) > 0,
        "captured": toll_best(event.arrests) > 0,
    }
    for rule in tables.isaf.get("event_types", []):
        if all(_rule_holds(facts[key], wanted) for key, wanted in rule.items() if key != "label"):
            return str(rule["label"])
    return ""


def _rule_holds(fact: Any, wanted: Any) -> bool:
    """Whether a fact satisfies one rule condition (a bool, or a list of accepted values)."""
    if isinstance(wanted, bool):
        return bool(fact) == wanted
    return normalise_name(str(fact)) in {normalise_name(str(w)) for w in wanted}


def isaf_target_group(event: Event | None, registry: Registry, tables: EvalTables) -> str:
    """ISAF's target-group code for a khabar event's first armed-group actor."""
    if event is None:
        return ""
    table, by_id, by_name = tables.isaf, tables.isaf_by_id, tables.isaf_by_name
    armed = set(table.get("armed_types", []))
    for actor_id in (event.actor2, event.actor1, *event.associated):
        if not actor_id:
            continue
        if actor_id in by_id:
            return by_id[actor_id]
        acled = normalise_name(registry.acled_name(actor_id, event_day(event)))
        if acled in by_name:
            return by_name[acled]
        actor = registry.get(actor_id)
        if actor is not None and actor.type in armed:
            return str(table.get("fallback", "other"))
    return ""


ISAF_METRICS = ("date_exact", "province_acc", "target_group_acc", "killed_exact", "captured_exact",
                "event_type_acc")


def isaf_row_scores(row: IsafRow, event: Event | None, registry: Registry,
                    tables: EvalTables) -> dict[str, bool | None]:
    """Per-row comparisons of khabar's main event with one ISAF release."""
    place = place_of(event)
    provinces = {admin1_key(p, tables) for p in row.provinces}
    return {
        "date_exact": event is not None and row.start_date is not None and event_day(event) == row.start_date,
        "province_acc": place is not None and admin1_key(place.admin1, tables) in provinces,
        "target_group_acc": (isaf_target_group(event, registry, tables) in row.target_groups
                             if row.target_groups else None),
        "killed_exact": (toll_best(event.fatalities) if event else 0) == row.killed,
        "captured_exact": (toll_best(event.arrests) if event else 0) == row.captured,
        "event_type_acc": isaf_event_type(event, registry, tables) in row.event_types,
    }


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each ISAF release."""
    rows = limited(load_isaf(path), limit)
    dates, tables = timex.load_lexicon(), load_eval_tables()
    analyses, events, registry = main_events([document_for(row.text, dates=dates) for row in rows], settings)
    scores = [isaf_row_scores(r, e, registry, tables) for r, e in zip(rows, events, strict=True)]
    metrics = flag_shares(scores, ISAF_METRICS)
    metrics["events_per_doc"] = events_per_doc(analyses)
    metrics["n"] = len(rows)
    return metrics


