"""Quality floors: a quick subset of the dev sets, each figure pinned so that it can only rise.

The floor file (``tests/quality_floor.yaml``) lists the sets, the rows to score (``limit``) and,
per metric, the floor (``min``) or, for figures where lower is better, the ceiling (``max``).
``measure`` runs them; ``breaches`` says which figures fell through; ``pinned`` writes new
floors from a measurement, never lowering one.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from khabar.datafiles import Either, Fields, read_yaml_file
from khabar.eval import run_eval
from khabar.eval.common import Metrics
from khabar.settings import Settings

LOWER_IS_BETTER = frozenset({"events_per_doc", "duplicate_events", "incidents_per_doc"})
UNPINNED = frozenset({"n", "confusion", "spurious_events", "geo_km_median", "fatalities_mae", "median_km", "auc"})
TOLERANCE = 0.01  # a figure may move this much before the gate fails: room for honest trade-offs
SCHEMA = Fields(required={"sets": [Fields(
    required={"kind": str, "data": str},
    optional={"gold": str, "limit": Either(int, type(None)), "floors": {str: Fields(optional={"min": float,
                                                                                               "max": float})}},
)]})


def load_floors(path: Path) -> list[dict[str, Any]]:
    """The sets of a floor file."""
    sets: list[dict[str, Any]] = read_yaml_file(path, SCHEMA)["sets"]
    return sets


def resolve(reference: str, shared: Path, repo: Path) -> Path:
    """A path of the floor file: ``repo:``-prefixed ones in the repository, others in the shared directory."""
    return repo / reference.removeprefix("repo:") if reference.startswith("repo:") else shared / reference


def measure(sets: list[dict[str, Any]], shared: Path, repo: Path) -> list[Metrics]:
    """The metrics of every set, in order."""
    settings = Settings(processes=1)
    return [run_eval(s["kind"], resolve(s["data"], shared, repo),
                     resolve(s["gold"], shared, repo) if s.get("gold") else None, s.get("limit"), settings)
            for s in sets]


def breaches(sets: list[dict[str, Any]], measured: list[Metrics]) -> list[str]:
    """Every pinned figure that fell below its floor or rose above its ceiling."""
    found = []
    for spec, metrics in zip(sets, measured, strict=True):
        for metric, bound in (spec.get("floors") or {}).items():
            value = metrics.get(metric)
            where = f"{spec['kind']} {spec['data']}: {metric}"
            if value is None:
                found.append(f"{where} is no longer measured")
            elif "min" in bound and value < bound["min"]:
                found.append(f"{where} = {value:.3f} fell below its floor {bound['min']}")
            elif "max" in bound and value > bound["max"]:
                found.append(f"{where} = {value:.3f} rose above its ceiling {bound['max']}")
    return found


def pinned(sets: list[dict[str, Any]], measured: list[Metrics]) -> list[dict[str, Any]]:
    """The sets with floors raised (and ceilings lowered) to the measured figures, less the tolerance."""
    updated = []
    for spec, metrics in zip(sets, measured, strict=True):
        floors = dict(spec.get("floors") or {})
        for metric, value in metrics.items():
            if metric in UNPINNED or not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            if metric in LOWER_IS_BETTER:
                ceiling = math.ceil((value + TOLERANCE) * 1000) / 1000
                floors[metric] = {"max": min(ceiling, floors.get(metric, {}).get("max", math.inf))}
            else:
                floor = max(0.0, math.floor((value - TOLERANCE) * 1000) / 1000)
                floors[metric] = {"min": max(floor, floors.get(metric, {}).get("min", 0.0))}
        updated.append({**spec, "floors": floors})
    return updated
