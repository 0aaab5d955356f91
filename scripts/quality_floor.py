"""Measure the quick dev-set subset of tests/quality_floor.yaml, and with --pin raise its floors.

Usage: python scripts/quality_floor.py [--pin]
Floors only rise: --pin never lowers one. The shared data directory is found as for `khabar bench`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from khabar.bench import shared_root
from khabar.eval.floors import breaches, load_floors, measure, pinned

REPO = Path(__file__).resolve().parent.parent
FLOOR_FILE = REPO / "tests" / "quality_floor.yaml"
HEADER = """# Quality floors: a quick subset of the dev sets, checked by tests/test_quality_floor.py in `make test`.
# Each pinned figure may only rise: `python scripts/quality_floor.py --pin` raises floors (and lowers
# ceilings) to today's figures less 0.01, never the other way. `data`/`gold` paths are relative to
# the shared directory, or to the repository with a `repo:` prefix. Schema: khabar/eval/floors.py.
"""


def main() -> int:
    """Measure, report breaches, and pin when asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pin", action="store_true", help="raise the floors to today's figures")
    args = parser.parse_args()
    sets = load_floors(FLOOR_FILE)
    measured = measure(sets, shared_root(), REPO)
    for problem in breaches(sets, measured):
        print(problem)
    if args.pin:
        text = yaml.safe_dump({"sets": pinned(sets, measured)}, sort_keys=False, default_flow_style=None, width=110)
        FLOOR_FILE.write_text(HEADER + text, encoding="utf-8")
        print(f"pinned {FLOOR_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
