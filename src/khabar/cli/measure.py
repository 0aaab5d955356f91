"""Commands that measure: `eval` and `bench`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from khabar.cli.app import Context, Group, guard, main, pass_context


@main.command("eval")
@click.argument("kind")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--gold", type=click.Path(path_type=Path), default=None,
              help="Gold YAML, or a directory of them (for seeds/docs).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the metrics on stdout.")
@click.option("--limit", type=int, default=None, help="Score only the first N rows.")
@pass_context
def eval_command(ctx: Context, kind: str, path: Path, gold: Path | None, as_json: bool, limit: int | None) -> None:
    """Measure quality on a labelled dataset: seeds (alias docs), case21, acled, isaf, geo, plover, incidents."""
    from khabar import eval as evaluate  # noqa: PLC0415 - the harness is only needed here

    metrics = guard(lambda: evaluate.run_eval(kind, path, gold, limit, ctx.settings))
    click.echo(json.dumps(metrics) if as_json else evaluate.format_table(kind, metrics))


class BenchGroup(Group):
    """``khabar bench [PATH...]`` times the pipeline; ``khabar bench merge`` times merging."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Send anything that is not a subcommand's name to the pipeline bench."""
        if not args or args[0] not in self.commands:
            args = ["pipeline", *args]
        return super().parse_args(ctx, args)


@main.group(cls=BenchGroup)
def bench() -> None:
    """Measure speed and memory: `khabar bench [PATH...]` (the pipeline) or `khabar bench merge`."""


@bench.command("pipeline", hidden=True)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the figures on stdout.")
@click.option("--repeat", type=int, default=None, help="Repeat the texts this many times.")
@click.option("--rounds", type=click.IntRange(min=1), default=2, show_default=True,
              help="Timed rounds of each side, alternating which goes first.")
@pass_context
def bench_pipeline(ctx: Context, paths: tuple[Path, ...], as_json: bool, repeat: int | None, rounds: int) -> None:
    """Measure speed and memory against bare spaCy on the same texts (`khabar bench merge` times merging)."""
    from khabar import bench as benchmark  # noqa: PLC0415 - only needed here

    figures = guard(lambda: benchmark.run_bench(list(paths) or None, repeat, ctx.settings.worker_count(),
                                                 ctx.settings, rounds))
    click.echo(json.dumps(figures) if as_json else benchmark.format_bench(figures))


@bench.command("merge")
@click.option("--sizes", default="10000,100000", show_default=True,
              help="Comma-separated numbers of synthetic events to merge in full, each in a fresh process.")
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True,
              help="Runs per size; the report gives the median.")
@click.option("--store-articles", type=click.IntRange(min=0), default=100_000, show_default=True,
              help="Articles in the store that new articles are merged into (0 skips that measurement).")
@click.option("--new-articles", type=click.IntRange(min=1), default=100, show_default=True,
              help="New articles merged incrementally into that store.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with every run's figures on stdout.")
def bench_merge(sizes: str, runs: int, store_articles: int, new_articles: int, as_json: bool) -> None:
    """Time merging synthetic events: a full re-merge per size, and an incremental merge into a big store."""
    from khabar import bench_merge as benchmark  # noqa: PLC0415 - only needed here

    counts = guard(lambda: benchmark.parse_sizes(sizes))
    figures = guard(lambda: benchmark.run(counts, runs, store_articles, new_articles))
    click.echo(json.dumps(figures) if as_json else benchmark.format_figures(figures))
