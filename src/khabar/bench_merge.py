"""``khabar bench merge``: how merging scales, on synthetic document-level events in a real store.

The events imitate a conflict archive: incidents over ``YEARS`` years, at ``PLACES`` places
spread over about 3,000 1-degree cells (busy cities take more of the activity: the busiest place
about 1% of it, two incidents a day at a million events), of
several types and families; ``MULTI_SHARE`` of the incidents are reported by two to five articles
(with their own slight differences in date, place or toll), a share of reports carry only a
publication date, and a few have no place. Each measurement runs in a fresh process, so its wall
time and peak memory (``ru_maxrss``) are the whole process's, and it reports the seconds spent
merging apart from those spent building the store it merges.

- ``full``: store N events, then merge them all (``khabar merge --rebuild``).
- ``incremental``: store the events of S articles and merge them, then store M new articles and
  time merging them (``khabar ingest`` does this after analysing the new articles).
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from khabar import corpus
from khabar.errors import ConfigError
from khabar.merge import edits, incremental, neardup
from khabar.records import Analysis, Document, Event, Evidence, Place, PlaceMention, TimeSpan, Toll
from khabar.store import Store, open_store

YEARS = 10
FIRST_DAY = date(2015, 1, 1)
PLACES = 20000
MULTI_SHARE = 0.3
TYPES = (("violence", "Battles"), ("violence", "Explosions/Remote violence"),
         ("violence", "Violence against civilians"), ("violence", "Riots"), ("violence", "Protests"),
         ("political", ""), ("other", ""))
ACTORS = tuple(f"group-{n}:SYN" for n in range(40)) + ("unidentified:SYN",) * 20
BATCH = 5000


def parse_sizes(text: str) -> list[int]:
    """Event counts from comma-separated text such as "10000,100000"."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"--sizes {text!r} is not a list of whole numbers; give e.g. 10000,100000") from exc
    if not sizes or min(sizes) < 1:
        raise ConfigError(f"--sizes {text!r} needs at least one positive number; give e.g. 10000,100000")
    return sizes


def places(seed: int) -> list[Place]:
    """Synthetic places over a region of 40 by 75 degrees, so over about 3,000 cells."""
    rng = random.Random(seed)
    return [Place(f"syn-{n}", f"Place {n}", round(rng.uniform(10, 50), 4), round(rng.uniform(20, 95), 4), "SY",
                  f"Province {n % 60}", feature="village" if n > 100 else "city") for n in range(PLACES)]


def articles(count_events: int, seed: int, start: int = 0) -> Iterator[Analysis]:
    """Synthetic analysed articles holding ``count_events`` events in all, numbered from ``start``."""
    rng = random.Random(seed)
    where = places(0)
    weights = [1.0 / (n + 1) ** 0.6 for n in range(PLACES)]  # a few busy cities, a long tail of villages
    made, article = 0, start
    while made < count_events:
        day = FIRST_DAY + timedelta(days=rng.randrange(365 * YEARS))
        place = rng.choices(where, weights)[0]
        family, kind = rng.choice(TYPES)
        actor = rng.choice(ACTORS)
        killed = rng.choice((None, 0, 1, 2, 3, 5, 8, 12, 20))
        reports = rng.randint(2, 5) if rng.random() < MULTI_SHARE else 1
        for _ in range(min(reports, count_events - made)):
            yield _article(rng, article, day, place, family, kind, actor, killed)
            made, article = made + 1, article + 1


def _article(rng: random.Random, n: int, day: date, place: Place, family: str, kind: str, actor: str,
             killed: int | None) -> Analysis:
    """One synthetic article reporting one event, with a report's own slight differences."""
    doc_id = f"syn{n:010d}"
    text = f"Report {n}: {kind or family} at {place.name} on {day}, by {actor}; {killed} killed."
    published = day + timedelta(days=rng.choice((0, 1, 1, 2, 3)))
    ev = Evidence(doc_id, 0, 0, len(text), text)
    roll = rng.random()
    time_span = (TimeSpan(published, published, flags=("from_publication",)) if roll < 0.15
                 else TimeSpan(day.replace(day=1), day.replace(day=28), precision="month") if roll < 0.2
                 else TimeSpan(day, day))
    mention = None if rng.random() < 0.05 else PlaceMention(ev, place.name, place)
    toll = None if killed is None else max(0, killed + rng.choice((0, 0, 0, 1, -1)))
    event = Event(f"{doc_id}-e1", doc_id, family, kind, plover_type="" if family == "violence" else "CONSULT",
                  actor1=actor if rng.random() < 0.8 else "", place=mention, time=time_span,
                  fatalities=Toll(toll, toll, toll, (ev,)) if toll is not None else None, evidence=(ev,))
    document = Document(doc_id, text, outlet=f"Outlet {n % 50}", published=published, published_source="metadata",
                        path=f"synthetic/{doc_id}.txt")
    return Analysis(document, events=(event,))


def fill(store: Store, count_events: int, seed: int, start: int = 0) -> int:
    """Store synthetic articles holding ``count_events`` events, in batches; returns the articles stored."""
    batch: list[Analysis] = []
    stored = 0
    for analysis in articles(count_events, seed, start):
        batch.append(analysis)
        if len(batch) >= BATCH:
            store.save_analyses(batch)
            stored, batch = stored + len(batch), []
    if batch:
        store.save_analyses(batch)
    return stored + len(batch)


def measure_full(count: int, seed: int, folder: Path) -> dict[str, Any]:
    """Store ``count`` events and time merging them all (in this process)."""
    started = time.perf_counter()
    with open_store(folder / "full.db") as store:
        fill(store, count, seed)
        built, cpu = time.perf_counter(), time.process_time()
        incidents = incremental.rebuild(store, edits.constraints_of(store.edits()))
        merged, cpu = time.perf_counter(), time.process_time() - cpu
    return {"mode": "full", "events": count, "incidents": incidents, "setup_seconds": built - started,
            "merge_seconds": merged - built, "merge_cpu_seconds": cpu, **_process_figures()}


def measure_incremental(store_articles: int, new_articles: int, seed: int, folder: Path) -> dict[str, Any]:
    """Build and merge a store of ``store_articles`` articles, then time merging ``new_articles`` more."""
    started = time.perf_counter()
    with open_store(folder / "incremental.db") as store:
        fill(store, store_articles, seed)
        neardup.group_copies(store)
        corpus.merge(store, rebuild=True)
        fresh = list(articles(new_articles, seed + 1, start=store_articles))
        # some new articles report incidents already stored: give them a stored event's date, place and actor
        stored = store.events_of_docs([f"syn{n:010d}" for n in range(0, store_articles, max(1, store_articles // 50))])
        fresh = [_echo(a, stored[i % len(stored)]) if i % 3 == 0 and stored else a for i, a in enumerate(fresh)]
        store.save_analyses(fresh)
        built, cpu = time.perf_counter(), time.process_time()
        touched = corpus.merge(store)
        merged, cpu = time.perf_counter(), time.process_time() - cpu
        total = store.incident_count()
    return {"mode": "incremental", "store_articles": store_articles, "new_articles": new_articles,
            "incidents_touched": touched, "incidents": total, "setup_seconds": built - started,
            "merge_seconds": merged - built, "merge_cpu_seconds": cpu, **_process_figures()}


def _echo(analysis: Analysis, stored: Event) -> Analysis:
    """A new article re-telling a stored event (same date, place, type and actor)."""
    event = replace(analysis.events[0], family=stored.family, event_type=stored.event_type,
                    plover_type=stored.plover_type, actor1=stored.actor1, place=stored.place, time=stored.time)
    return replace(analysis, events=(event,))


def _process_figures() -> dict[str, float]:
    """The peak resident memory of the current process in MB (Linux reports KB)."""
    return {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(sizes: list[int], runs: int, store_articles: int, new_articles: int) -> dict[str, Any]:
    """Every measurement, each run in a fresh process, with medians per size."""
    results: list[dict[str, Any]] = []
    for size in sizes:
        results += [_child(["full", str(size), str(seed)]) for seed in range(runs)]
    if store_articles:
        results += [_child(["incremental", str(store_articles), str(new_articles), str(seed)])
                    for seed in range(runs)]
    return {"runs": results, "summary": summarise(results), "load_average": os.getloadavg()[0]}


def _child(args: list[str]) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and add its whole wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "khabar.bench_merge", *args], check=True, capture_output=True,
                          text=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - started
    return figures


def summarise(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The median figures of the runs of each measurement."""
    keys: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in results:
        keys.setdefault((r["mode"], r.get("events", r.get("store_articles", 0))), []).append(r)
    return [{"mode": mode, "size": size, "runs": len(rs),
             **{k: statistics.median(r[k] for r in rs)
                for k in ("merge_seconds", "merge_cpu_seconds", "setup_seconds", "process_seconds", "peak_rss_mb")}}
            for (mode, size), rs in keys.items()]


def format_figures(figures: dict[str, Any]) -> str:
    """A plain-text table of the median figures."""
    lines = [f"{'mode':<12}{'size':>10}{'runs':>6}{'merge_s':>10}{'merge_cpu_s':>12}{'setup_s':>10}"
             f"{'process_s':>11}{'peak_mb':>9}"]
    for s in figures["summary"]:
        lines.append(f"{s['mode']:<12}{s['size']:>10}{s['runs']:>6}{s['merge_seconds']:>10.1f}"
                     f"{s['merge_cpu_seconds']:>12.1f}{s['setup_seconds']:>10.1f}{s['process_seconds']:>11.1f}"
                     f"{s['peak_rss_mb']:>9.0f}")
    lines.append(f"load_average {figures['load_average']:.1f} (other work on the machine slows every run)")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    """Run one measurement in this process and print its figures as JSON (used by ``run``)."""
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as folder:
        if argv[0] == "full":
            figures = measure_full(int(argv[1]), int(argv[2]), Path(folder))
        else:
            figures = measure_incremental(int(argv[1]), int(argv[2]), int(argv[3]), Path(folder))
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
