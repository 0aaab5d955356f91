"""The quality gate: a quick subset of the dev sets must stay at or above the floors pinned in the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.eval.floors import breaches, load_floors, measure, pinned

REPO = Path(__file__).resolve().parent.parent
FLOORS = REPO / "tests" / "quality_floor.yaml"


def test_no_dev_set_figure_falls_below_its_floor(shared: Path) -> None:
    sets = load_floors(FLOORS)
    assert all(s.get("floors") for s in sets), "every set pins floors (scripts/quality_floor.py --pin)"
    assert breaches(sets, measure(sets, shared, REPO)) == []


def test_pinning_only_raises_floors() -> None:
    sets = [{"kind": "acled", "data": "x", "floors": {"actor1_acc": {"min": 0.9}, "events_per_doc": {"max": 1.2}}}]
    low = [{"actor1_acc": 0.5, "events_per_doc": 3.0, "date_acc": 0.801, "n": 10}]
    again = pinned(sets, low)[0]["floors"]
    assert again == {"actor1_acc": {"min": 0.9}, "events_per_doc": {"max": 1.2}, "date_acc": {"min": 0.791}}
    high = pinned(sets, [{"actor1_acc": 0.95, "events_per_doc": 1.0}])[0]["floors"]
    assert high == {"actor1_acc": {"min": 0.94}, "events_per_doc": {"max": 1.01}}


@pytest.mark.parametrize(("value", "problem"), [(0.89, "fell below its floor 0.9"), (None, "no longer measured")])
def test_breaches_name_the_set_and_metric(value: float | None, problem: str) -> None:
    sets = [{"kind": "acled", "data": "d.csv", "floors": {"actor1_acc": {"min": 0.9}}}]
    found = breaches(sets, [{"actor1_acc": value}] if value is not None else [{}])
    assert len(found) == 1
    assert found[0].startswith("acled d.csv: actor1_acc") and problem in found[0]
