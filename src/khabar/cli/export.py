"""`khabar export`: write what the filters keep in one of the registered formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from khabar import export as formats
from khabar.cli.app import Context, guard, main, pass_context
from khabar.cli.options import archive_of, filter_options, filters_from

CODED = ("acled", "ucdp", "stix")  # formats that code actors through the registry


@main.command("export")
@filter_options
@click.option("--format", "fmt", type=click.Choice(sorted(formats.builtin_formats())), required=True,
              help="Output format (see the README's Export formats).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for parquet); standard output when left out.")
@pass_context
def export_command(ctx: Context, /, fmt: str, output: Path | None, **params: Any) -> None:
    """Export the incidents (and their actors, claims, relations, articles) that the filters keep."""
    filters = filters_from(params)
    chosen = formats.format_named(fmt)
    with archive_of(ctx, registry=fmt in CODED or bool(filters.actor)) as archive:
        guard(lambda: formats.export(archive, filters, chosen, output))
    if output is not None:
        click.echo(f"wrote {output} ({chosen.name})", err=True)
