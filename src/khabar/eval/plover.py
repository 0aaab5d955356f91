"""PLOVER gold records: event type and source/target country codes."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.actors import Registry
from khabar.errors import InputError
from khabar.eval.common import (
    COUNTRY_ID,
    EvalTables,
    Metrics,
    alpha3,
    document_for,
    flag_shares,
    limited,
    load_eval_tables,
    main_events,
    read_text,
)
from khabar.records import Event
from khabar.settings import Settings

log = logging.getLogger(__name__)



# --- plover ----------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class PloverRow:
    """One PLOVER gold sentence: its event type and first source/target codes."""

    text: str
    event: str
    source: str
    target: str


def load_plover(path: Path, tables: EvalTables) -> list[PloverRow]:
    """Gold sentences of a PLOVER GSR JSON list, skipping documentation records."""
    try:
        records = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"malformed JSON ({exc.msg})", "give a PLOVER GSR JSON list") from exc
    if not isinstance(records, list):
        raise InputError(str(path), "not a JSON list", "give a PLOVER GSR JSON list")
    return [
        PloverRow(str(r["text"]), str(r["event"]).upper(), _first_code(r.get("source"), tables),
                  _first_code(r.get("target"), tables))
        for r in records
        if isinstance(r, dict) and r.get("text") and r.get("event") and str(r["event"]).upper() != "DOCUMENT"
    ]


def _first_code(actors: Any, tables: EvalTables) -> str:
    """The ISO alpha-3 (or CAMEO type) code of the first actor of a source/target list."""
    if not isinstance(actors, list) or not actors or not isinstance(actors[0], dict):
        return ""
    code = str(actors[0].get("code") or "").upper()
    return tables.plover_countries.get(code, code)


def plover_code(actor_id: str, registry: Registry, tables: EvalTables) -> str:
    """The country (ISO alpha-3) or CAMEO type code of a khabar actor."""
    if not actor_id:
        return ""
    actor = registry.get(actor_id)
    types = tables.plover_types
    if actor is not None and actor.type in types:
        return str(types[actor.type])
    found = COUNTRY_ID.match(actor_id)
    if found:
        return found.group(1)
    return alpha3(registry.country_of(actor_id))


def plover_row_scores(row: PloverRow, event: Event | None, registry: Registry,
                      tables: EvalTables) -> dict[str, bool | None]:
    """Per-sentence comparisons of khabar's main event with PLOVER gold."""
    return {
        "event_acc": event is not None and event.plover_type.split("/")[0].strip().upper() == row.event,
        "source_acc": (event is not None and plover_code(event.actor1, registry, tables) == row.source
                       if row.source else None),
        "target_acc": (event is not None and plover_code(event.actor2, registry, tables) == row.target
                       if row.target else None),
    }


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each PLOVER sentence."""
    tables = load_eval_tables()
    rows = limited(load_plover(path, tables), limit)
    _, events, registry = main_events([document_for(row.text) for row in rows], settings)
    scores = [plover_row_scores(r, e, registry, tables) for r, e in zip(rows, events, strict=True)]
    metrics = flag_shares(scores, ("event_acc", "source_acc", "target_acc"))
    metrics["n"] = len(rows)
    return metrics


