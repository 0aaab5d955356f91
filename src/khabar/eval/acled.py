"""ACLED exports: khabar's main event per note against the coded row.

Loading rules
-------------
A file loads as ACLED ships it: columns are found by name, so extra columns (event_id_cnty,
disorder_type, assoc_actor_1, inter1, geo_precision, source, ...) and any column order are fine.
``sub_event_type`` and ``actor2`` may be absent (old exports; Bangladesh's protest and riot export
has no actor2): an absent column reads as empty, and so does ACLED's ``NA`` in a text field.
``event_date`` may be ISO (``2020-05-09``, also with a time as in ``2021-01-02T00:00:00Z``),
``09 May 2020``, ``9 May 2020``, ``9-May-20`` or day-month-year ``31-12-19`` (``common.parse_day``).

Metrics beyond the package docstring
------------------------------------
``fatalities_exact_nonzero``: among rows whose gold fatalities are above 0, the share where
khabar's toll (best figure) equals the gold; None when no row has fatalities.
``events_per_doc``: document-level events per row (``len(analysis.events)``, 0 when the
pipeline failed on the row), averaged; None when there are no rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from khabar import places as places_mod
from khabar.actors import Registry
from khabar.eval.common import (
    EvalTables,
    Metrics,
    acled_actor_match,
    admin1_key,
    csv_rows,
    document_for,
    event_day,
    events_per_doc,
    flag_shares,
    limited,
    load_eval_tables,
    main_events,
    median,
    normalise_name,
    parse_day,
    parse_float,
    place_of,
    share,
    toll_best,
)
from khabar.export.regions import acled_admin1
from khabar.records import Event
from khabar.settings import Settings

log = logging.getLogger(__name__)

LOCATION_KM = 5.0

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
# Columns some exports lack: sub-event types before 2019, actor2 in exports of one-sided events.
ACLED_OPTIONAL = ("sub_event_type", "actor2")
ACLED_REQUIRED = tuple(c for c in ACLED_COLUMNS if c not in ACLED_OPTIONAL)
# How ACLED's R-made exports write an empty field.
ACLED_EMPTY = "NA"


def load_acled(path: Path, tables: EvalTables) -> list[AcledRow]:
    """Gold events of an ACLED CSV export."""
    return [_acled_row(row, f"{path}:{number}", tables)
            for number, row in enumerate(csv_rows(path, ",", ACLED_REQUIRED), start=2)]


def _acled_row(row: dict[str, str], where: str, tables: EvalTables) -> AcledRow:
    """One CSV row of an ACLED export as a gold event."""
    event_type = _text(row, "event_type")
    return AcledRow(
        day=parse_day(row["event_date"], where),
        event_type=event_type,
        sub_event_type=_text(row, "sub_event_type") or implied_sub_event_type(event_type, tables),
        actor1=_text(row, "actor1"),
        actor2=_text(row, "actor2"),
        admin1=_text(row, "admin1"),
        location=_text(row, "location"),
        lat=parse_float(row["latitude"], where),
        lon=parse_float(row["longitude"], where),
        fatalities=int(parse_float(row["fatalities"] or "0", where)),
        notes=row["notes"] or "",
    )


def _text(row: dict[str, str], column: str) -> str:
    """A text field, stripped; empty when the column is absent or holds ACLED's NA."""
    value = (row.get(column) or "").strip()
    return "" if value == ACLED_EMPTY else value


def implied_sub_event_type(event_type: str, tables: EvalTables) -> str:
    """The current sub-event type an old-taxonomy event type amounts to, if any."""
    implied = tables.implied_sub_types
    return str(implied.get(event_type.strip(), ""))


def acled_type_ok(pred: str, gold: str, tables: EvalTables) -> bool:
    """Whether khabar's event type is one the gold type (of either ACLED taxonomy) accepts."""
    table = tables.acled_types
    accepted = table.get(gold, [gold]) if isinstance(table, dict) else [gold]
    return normalise_name(pred) in {normalise_name(str(a)) for a in accepted}


def acled_row_scores(row: AcledRow, event: Event | None, registry: Registry, tables: EvalTables) -> dict[str, Any]:
    """Per-row comparisons of khabar's main event with one ACLED gold event."""
    place = place_of(event)
    km = places_mod.km_between(place.lat, place.lon, row.lat, row.lon) if place is not None else None

    def name(actor_id: str) -> str:
        """The ACLED name of one of the event's actors."""
        return registry.acled_name(actor_id, event_day(event)) if actor_id and event else ""

    def side2(event: Event | None) -> str:
        """The ACLED name of the event's second side (none where ACLED codes no such side)."""
        return registry.acled_side(event.event_type, event.actor2, event_day(event)) if event and event.actor2 else ""

    return {
        "event_type_acc": event is not None and acled_type_ok(event.event_type, row.event_type, tables),
        "sub_event_type_acc": (event is not None and normalise_name(event.sub_event_type)
                               == normalise_name(row.sub_event_type)) if row.sub_event_type else None,
        "actor1_acc": acled_actor_match(name(event.actor1) if event else "", row.actor1),
        "actor2_acc": acled_actor_match(side2(event), row.actor2) if row.actor2 else None,
        "admin1_acc": place is not None and (admin1_key(acled_admin1(place, tables.admin1_parts), tables)
                                             == admin1_key(row.admin1, tables)),
        "location_acc": place is not None and (normalise_name(place.name) == normalise_name(row.location)
                                               or (km is not None and km <= LOCATION_KM)),
        "km": km,
        "date_acc": event is not None and event_day(event) == row.day,
        "fatalities": toll_best(event.fatalities) if event is not None else 0,
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
    killed = [s["fatalities"] == r.fatalities for r, s in zip(rows, scores, strict=True) if r.fatalities > 0]
    metrics["fatalities_exact_nonzero"] = share(killed) if killed else None
    metrics["fatalities_mae"] = sum(errors) / len(errors) if errors else 0.0
    metrics["n"] = len(rows)
    return metrics


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score khabar's main event against each ACLED row."""
    tables = load_eval_tables()
    rows = limited(load_acled(path, tables), limit)
    analyses, events, registry = main_events([document_for(row.notes) for row in rows], settings)
    scores = [acled_row_scores(r, e, registry, tables) for r, e in zip(rows, events, strict=True)]
    return {**acled_metrics(rows, scores), "events_per_doc": events_per_doc(analyses)}
