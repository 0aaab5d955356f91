"""Commands that scale out: `run` (articles to Parquet, locally or on Dask) and `bench scale`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from khabar.cli.app import Context, guard, main, pass_context
from khabar.cli.measure import bench

DEFAULT_BATCH = 256  # khabar.scale.run.DEFAULT_BATCH, repeated so `--help` does not import pyarrow
BENCH_BATCH = 64  # 2,000 timed articles in 32 batches: the last batch idles a worker for seconds, not a minute


@main.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the Parquet parts and manifest; a second run into it resumes.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine's processes; dask: a Dask cluster (pip install 'khabar[dask]').")
@click.option("--scheduler", default=None,
              help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local engine or local cluster (default: --processes, 0 = all cores).")
@click.option("--batch", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Articles per batch: per Parquet part and per manifest line.")
@pass_context
def run_command(ctx: Context, inputs: tuple[Path, ...], out: Path, engine: str, scheduler: str | None,
                workers: int | None, batch: int) -> None:
    """Analyse articles (directories, JSONL or Parquet, sharded too) into Parquet under --out."""
    from khabar.scale import require  # noqa: PLC0415 - pyarrow loads only for this command

    scale = guard(lambda: require("run"))
    logging.getLogger("distributed").setLevel(logging.ERROR if ctx.quiet else logging.WARNING)
    count = workers or ctx.settings.worker_count()
    show_bar = not ctx.quiet and sys.stderr.isatty()
    bar = click.progressbar(length=0, label="batches", file=sys.stderr, hidden=not show_bar, show_pos=True)
    with bar:
        report = guard(lambda: scale.run(list(inputs), out, ctx.settings, engine, workers=count, scheduler=scheduler,
                                         batch_size=batch, on_batch=lambda _: bar.update(1)))
    click.echo(f"wrote {report.written} documents in {report.batches} batches to {out} "
               f"({report.failed} failed, {report.skipped} done before, {report.repeated} repeated, "
               f"{len(report.errors)} input errors, {len(report.lost)} batches lost) in {report.seconds:.1f} s",
               err=ctx.quiet)
    if report.lost:
        click.echo(f"khabar: {len(report.lost)} batches were not finished; run the same command again to do them",
                   err=True)
    if not report.ok:
        sys.exit(1)


@bench.command("scale")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--workers", "worker_counts", default="1,2", show_default=True,
              help="Comma-separated worker counts to time, each on a fresh local Dask cluster.")
@click.option("--articles", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Distinct articles per timed run (the texts are repeated, each copy made distinct).")
@click.option("--large", type=click.IntRange(min=0), default=0, show_default=True,
              help="Articles of one more run on the most workers, timed with its merge (0 skips it).")
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True,
              help="Runs per worker count; the report gives the median.")
@click.option("--batch", type=click.IntRange(min=1), default=BENCH_BATCH, show_default=True,
              help="Articles per batch (smaller than a run's default: a timed run has few batches, and the "
                   "last one would leave workers idle, which a long run does not).")
@click.option("--target", type=click.IntRange(min=1), default=10_000_000, show_default=True,
              help="Archive size to project the run and merge times to.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with every run's figures on stdout.")
@pass_context
def bench_scale(ctx: Context, paths: tuple[Path, ...], worker_counts: str, articles: int, large: int, runs: int,
                batch: int, target: int, as_json: bool) -> None:
    """Time `khabar run --engine dask` per worker count, its memory, a large run, and project to --target."""
    from khabar.scale import require  # noqa: PLC0415 - pyarrow loads only for this command

    benchmark = guard(lambda: require("bench"))
    counts = guard(lambda: benchmark.parse_counts(worker_counts))
    figures = guard(lambda: benchmark.run_bench(list(paths) or None, counts, articles, runs, batch, large, target,
                                                 ctx.settings))
    click.echo(json.dumps(figures) if as_json else benchmark.format_figures(figures))
