"""Measure, per evidence class, the share of khabar's events that are real on the team's document gold.

Usage: python scripts/calibrate_confidence.py [--gold gold/] [--write]
An event is real when it matches a gold event (first match or repeat); spurious when it matches none;
events matching only optional gold are left out. Shares are smoothed ((real + 1) / (n + 2)) and, with
--write, replace the `confidence:` table of src/khabar/data/events/incidents.yaml, which the events
stage reads (``events.incidents.confidence_class``). Report the held-out calibration separately.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from khabar.bench import shared_root
from khabar.eval import docs
from khabar.eval.common import pipeline_for
from khabar.eval.docs_gold import combine
from khabar.events.incidents import confidence_class
from khabar.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "src" / "khabar" / "data" / "events" / "incidents.yaml"


def measure(gold: Path) -> dict[str, tuple[int, int]]:
    """(real, scored) events per evidence class on a directory of gold files."""
    settings = load_settings()
    sets = docs.gold_sets(shared_root(), gold)
    run = docs.seed_run(sets, None, settings, pipeline_for(settings).registry)
    verdicts = docs.event_verdicts(combine([g for _, g in sets]), run)
    real: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    for event in run.events():
        verdict = verdicts[event.event_id]
        if verdict == docs.OPTIONAL:
            continue
        kind = confidence_class(event)
        scored[kind] += 1
        real[kind] += verdict in (docs.MATCH, docs.DUPLICATE)
    return {k: (real[k], scored[k]) for k in sorted(scored)}


def write_table(shares: dict[str, float]) -> None:
    """Replace the confidence table (the last key) of the incident rules file."""
    lines = RULES.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("confidence:"))
    rest = [line for line in lines[start + 1 :] if not line.startswith("  ")]
    table = ["confidence:", *(f"  {k}: {v:.3f}" for k, v in shares.items())] if shares else ["confidence: {}"]
    RULES.write_text("\n".join([*lines[:start], *rest, *table]) + "\n", encoding="utf-8")


def main() -> int:
    """Measure and print the classes; write the table when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=REPO / "gold")
    parser.add_argument("--write", action="store_true", help="write the shares into incidents.yaml")
    args = parser.parse_args()
    counts = measure(args.gold)
    shares = {k: round((r + 1) / (n + 2), 3) for k, (r, n) in counts.items()}
    for kind, (r, n) in counts.items():
        print(json.dumps({"class": kind, "real": r, "events": n, "share": shares[kind]}))
    if args.write:
        write_table(shares)
    return 0


if __name__ == "__main__":
    sys.exit(main())
