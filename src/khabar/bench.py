"""``khabar bench``: how fast the whole pipeline is, stage by stage, next to bare spaCy.

The default corpus is the texts of ``shared/data/isaf``, ``shared/data/geo`` and
``shared/corpus/seeds`` (``shared`` is found via ``KHABAR_SHARED`` or as a sibling of the
current directory or one of its parents), repeated until there are at least
``MIN_ARTICLES`` articles. The same texts then go through ``nlp.pipe`` of the same spaCy model,
loaded as the package ships it (none of khabar's components), with the same number of
processes; ``ratio_vs_spacy`` is khabar's wall time over spaCy's. Each side loads its models before
its clock starts (spaCy's ``nlp.pipe`` forks workers that inherit the loaded model, and so do
khabar's on Linux), so the times are of processing the text, not of start-up. The machine's speed drifts
by 10% and more between minutes, so ``khabar bench`` runs two rounds by default, alternating which
side goes first, and divides the summed times. CPU seconds (this process and its finished workers)
are reported too: they suffer less from other work on the machine.
Peak memory is the whole process tree's: ``ru_maxrss`` of the process plus its children.
"""

from __future__ import annotations

import logging
import math
import os
import resource
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar import nlp
from khabar.errors import InputError
from khabar.eval.geo import load_geo
from khabar.executors import analyse_parallel
from khabar.ingest import content_id, read_paths
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document
from khabar.settings import Settings

log = logging.getLogger(__name__)

MIN_ARTICLES = 2000
DEFAULT_SOURCES = ("data/isaf", "data/geo", "corpus/seeds")


def shared_root() -> Path:
    """The shared data directory: $KHABAR_SHARED, else a ``shared`` sibling of cwd or a parent."""
    if os.environ.get("KHABAR_SHARED"):
        return Path(os.environ["KHABAR_SHARED"])
    cwd = Path.cwd().resolve()
    for base in (cwd, *cwd.parents):
        if (base / "shared" / "data").is_dir():
            return base / "shared"
    raise InputError("shared", "cannot find the shared data directory", "set KHABAR_SHARED or give PATH")


def default_paths() -> list[Path]:
    """The files and directories of the default bench corpus."""
    root = shared_root()
    return [root / source for source in DEFAULT_SOURCES]


def load_corpus(paths: Iterable[Path]) -> list[Document]:
    """Documents from paths: article files and directories, and GeoWebNews XML files."""
    documents: list[Document] = []
    for path in paths:
        files = sorted(path.glob("*.xml")) if path.is_dir() else [path] if path.suffix == ".xml" else []
        for xml in files:
            documents += [Document(doc_id=content_id(a.text), text=a.text) for a in load_geo(xml)]
        for item in read_paths([path]):
            if isinstance(item, InputError):
                log.warning("%s", item)
            else:
                documents.append(item)
    return documents


def run_bench(
    paths: list[Path] | None, repeat: int | None, processes: int, settings: Settings, rounds: int = 1
) -> dict[str, Any]:
    """Time khabar and bare spaCy on a corpus and report throughput, memory and stage shares.

    With several rounds the two sides alternate in ABBA order (khabar first in even rounds, spaCy
    first in odd ones), so a machine that speeds up or slows down during the run favours neither;
    the ratios are of the summed times, and each round's ratio is reported too.
    """
    documents = load_corpus(paths or default_paths())
    if not documents:
        raise InputError(", ".join(map(str, paths or [])), "no documents to benchmark", "give article files")
    times = repeat if repeat is not None else math.ceil(MIN_ARTICLES / len(documents))
    corpus = documents * max(1, times)
    workers = processes if processes > 0 else settings.worker_count()
    words = sum(len(d.text.split()) for d in corpus)
    log.info("benchmarking %d articles (%d words) on %d process(es), %d round(s)", len(corpus), words, workers, rounds)
    load_seconds, spacy_load_seconds = _load_times(settings)
    runs = [_round(corpus, settings, workers, khabar_first=n % 2 == 0) for n in range(max(1, rounds))]
    seconds, spacy_seconds = sum(r.seconds for r in runs), sum(r.spacy_seconds for r in runs)
    khabar_cpu, spacy_cpu = sum(r.cpu for r in runs), sum(r.spacy_cpu for r in runs)
    totals: dict[str, float] = defaultdict(float)
    for run in runs:
        for stage, value in run.stage_seconds.items():
            totals[stage] += value
    articles = len(corpus) * len(runs)
    return {
        "articles": len(corpus),
        "words": words,
        "processes": workers,
        "rounds": len(runs),
        "failures": runs[0].failures,
        "seconds": seconds / len(runs),
        "articles_per_s": articles / seconds,
        "words_per_s": words * len(runs) / seconds,
        "peak_rss_mb": peak_rss_mb(),
        "stage_share": stage_shares(totals),
        "spacy_seconds": spacy_seconds / len(runs),
        "spacy_articles_per_s": articles / spacy_seconds,
        "ratio_vs_spacy": seconds / spacy_seconds,
        "round_ratios": [r.seconds / r.spacy_seconds for r in runs],
        "load_seconds": load_seconds,
        "spacy_load_seconds": spacy_load_seconds,
        "cpu_seconds": khabar_cpu / len(runs),
        "spacy_cpu_seconds": spacy_cpu / len(runs),
        "cpu_ratio_vs_spacy": khabar_cpu / spacy_cpu if spacy_cpu else float("nan"),
        "load_average": os.getloadavg()[0],
    }


def _load_times(settings: Settings) -> tuple[float, float]:
    """Seconds to load khabar's pipeline (all its tables) and the bare spaCy model, untimed in rounds."""
    started = time.perf_counter()
    Pipeline(settings).warm()
    middle = time.perf_counter()
    nlp.load_bare_model(settings.model)
    return middle - started, time.perf_counter() - middle


@dataclass(slots=True, frozen=True)
class Round:
    """One timed run of each side: wall and CPU seconds, khabar's stage seconds and failures."""

    seconds: float
    spacy_seconds: float
    cpu: float
    spacy_cpu: float
    stage_seconds: dict[str, float]
    failures: int


def _round(corpus: list[Document], settings: Settings, workers: int, khabar_first: bool) -> Round:
    """Time both sides once, in the given order."""
    texts = [d.text for d in corpus]
    timed: dict[str, tuple[float, float]] = {}
    stages: dict[str, float] = {}
    failures = 0
    for side in ("khabar", "spacy") if khabar_first else ("spacy", "khabar"):
        cpu_start = cpu_seconds()
        if side == "khabar":
            seconds, stages, failures = _time_khabar(corpus, settings, workers)
        else:
            seconds = _time_spacy(texts, settings, workers)
        timed[side] = (seconds, cpu_seconds() - cpu_start)
    return Round(timed["khabar"][0], timed["spacy"][0], timed["khabar"][1], timed["spacy"][1], stages, failures)


def _time_khabar(corpus: list[Document], settings: Settings, processes: int) -> tuple[float, dict[str, float], int]:
    """Seconds for the whole pipeline, each stage's summed seconds, and failures.

    The pipeline loads its models before the clock starts, as spaCy's side does in ``_time_spacy``.
    """
    pipeline = Pipeline(settings).warm()
    totals: dict[str, float] = defaultdict(float)
    failures = 0
    started = time.perf_counter()
    for done, result in enumerate(analyse_parallel(corpus, settings, processes, pipeline), start=1):
        if isinstance(result, Analysis):
            for timing in result.timings:
                totals[timing.stage] += timing.seconds
        else:
            failures += 1
        if done % 250 == 0:
            log.info("khabar: %d/%d articles", done, len(corpus))
    return time.perf_counter() - started, dict(totals), failures


def stage_shares(totals: dict[str, float]) -> dict[str, float]:
    """Each stage's share of the summed stage time."""
    whole = sum(totals.values())
    return {stage: (value / whole if whole else 0.0) for stage, value in totals.items()}


def _time_spacy(texts: list[str], settings: Settings, processes: int) -> float:
    """Seconds for bare ``nlp.pipe`` over the texts with the same model and process count."""
    model = nlp.load_bare_model(settings.model)
    started = time.perf_counter()
    for _ in model.pipe(texts, batch_size=settings.batch_size, n_process=processes):
        pass
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """User plus system CPU seconds of this process and its finished, waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus its children, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def format_bench(results: dict[str, Any]) -> str:
    """A plain-text report of bench results."""

    def cpu(key: str) -> float:
        """A CPU figure, NaN when the results predate it."""
        return float(results.get(key, float("nan")))

    several = results.get("rounds", 1) > 1
    rounds = f", mean of {results['rounds']} alternating rounds" if several else ""
    each = " (rounds " + ", ".join(f"{r:.2f}" for r in results["round_ratios"]) + ")" if several else ""
    lines = [
        f"articles          {results['articles']} ({results['words']} words, {results['processes']} processes)",
        f"seconds           {results['seconds']:.0f} (spaCy alone {results['spacy_seconds']:.0f}){rounds}",
        f"articles_per_s    {results['articles_per_s']:.1f}",
        f"words_per_s       {results['words_per_s']:.0f}",
        f"peak_rss_mb       {results['peak_rss_mb']:.0f}",
        f"load_seconds      {cpu('load_seconds'):.1f} (spaCy alone {cpu('spacy_load_seconds'):.1f}; before the clocks)",
        f"spacy_articles_per_s {results['spacy_articles_per_s']:.1f}",
        f"ratio_vs_spacy    {results['ratio_vs_spacy']:.2f}{each}",
        f"cpu_seconds       {cpu('cpu_seconds'):.0f} (spaCy alone {cpu('spacy_cpu_seconds'):.0f}, "
        f"ratio {cpu('cpu_ratio_vs_spacy'):.2f})",
        f"load_average      {results.get('load_average', float('nan')):.1f} (other work slows both runs)",
        "stage shares:",
    ]
    shares = sorted(results["stage_share"].items(), key=lambda kv: -kv[1])
    lines += [f"  {stage:<14}{value:6.1%}" for stage, value in shares]
    return "\n".join(lines)
