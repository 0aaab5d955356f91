"""Commands that bring articles in: `ingest`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from khabar import corpus
from khabar.cli.app import Context, guard, main, pass_context


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
def ingest(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Ingest .txt, .md, .html and .jsonl files or directories into the store."""
    show_bar = not ctx.quiet and sys.stderr.isatty()
    bar = click.progressbar(length=0, label="ingesting", file=sys.stderr, hidden=not show_bar, show_pos=True)
    with guard(lambda: ctx.store(create=True)) as store, bar:
        result = guard(lambda: corpus.ingest(list(paths), store, ctx.pipeline(), lambda _: bar.update(1)))
    words_per_s = result.words / max(1e-9, sum(result.seconds_by_stage.values()))
    click.echo(f"stored {result.stored} new documents ({result.unchanged} unchanged, {len(result.errors)} errors); "
               f"{result.incidents} incidents; {words_per_s:,.0f} words/s", err=ctx.quiet)
    if not result.ok:
        sys.exit(1)
