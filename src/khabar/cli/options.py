"""What the read commands share: the filter options, opening the archive, and tables sized to the terminal."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from khabar.cli.app import Context, guard
from khabar.query import SORTS, Archive, Filters, end_of, open_archive, parse_day

F = TypeVar("F", bound=Callable[..., Any])
MIN_COLUMN = 8
GAP = 2

OUTPUTS = ("table", "json", "csv")  # what a listing command prints


def output_options(command: F) -> F:
    """The --format (table, json, csv) and --wide options of a listing command."""
    command = click.option("--wide", is_flag=True, help="Never cut a column to fit the terminal.")(command)
    return click.option("--format", "fmt", type=click.Choice(OUTPUTS), default="table", show_default=True,
                        help="Output format.")(command)


def filter_options(command: F) -> F:
    """Add the filter options every read command takes (collected into ``filters`` by ``filters_from``)."""
    options = [
        click.option("--since", metavar="DATE", help="Only incidents ending on or after DATE (YYYY, YYYY-MM, ...)."),
        click.option("--until", metavar="DATE", help="Only incidents starting on or before DATE (YYYY-MM: all of it)."),
        click.option("--country", metavar="CC", help="ISO code (AF, AFG) or country name."),
        click.option("--admin1", metavar="NAME", help="First-level division (province, state)."),
        click.option("--place", metavar="NAME", help="A stored place name, or LAT,LON."),
        click.option("--within", "within_km", type=click.FloatRange(0), metavar="KM",
                     help="With --place: every incident this close to it."),
        click.option("--actor", metavar="NAME", help="Actor id, name or alias, on either side."),
        click.option("--type", "kind", metavar="TYPE", help="ACLED event type or sub-type, or PLOVER type."),
        click.option("--status", metavar="S[,S]", help="occurred, background, aggregate, planned, denied."),
        click.option("--min-sources", type=click.IntRange(0), default=0, help="At least N independent reports."),
        click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0,
                     help="Hide incidents whose confidence (the share of such events that are real) is below this."),
        click.option("--text", metavar="WORDS", help="Words in the source sentences (full-text search)."),
        click.option("--limit", type=click.IntRange(0), default=None, help="At most N records."),
        click.option("--sort", type=click.Choice(SORTS), default="date", show_default=True, help="Order of incidents."),
        click.option("--rejected", is_flag=True, help="Also keep incidents a user rejected as not events."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


FILTER_PARAMS = ("since", "until", "country", "admin1", "place", "within_km", "actor", "kind", "status", "min_sources",
                 "min_confidence", "text", "limit", "sort", "rejected")


def filters_from(params: dict[str, Any]) -> Filters:
    """The Filters of the options given (popping them from ``params``)."""
    given = {name: params.pop(name) for name in FILTER_PARAMS}
    since, until, kind = given.pop("since"), given.pop("until"), given.pop("kind")
    for name in ("country", "admin1", "place", "actor", "status", "text"):
        given[name] = given[name] or ""

    def build() -> Filters:
        """Filters from the option values, with dates parsed."""
        return Filters(since=parse_day(since, "--since") if since else None,
                       until=end_of(until, "--until") if until else None, type=kind or "", **given)

    result: Filters = guard(build)
    return result


def archive_of(ctx: Context, registry: bool = False) -> Archive:
    """Open the store for reading (with the actor registry when asked, for aliases and ACLED codes)."""
    path = Path(ctx.settings.db)

    def opened() -> Archive:
        """The archive, its store checked to exist first."""
        store = ctx.store()  # raises the usual message when the store does not exist
        store.close()
        return open_archive(path, _registry(ctx) if registry else None)

    result: Archive = guard(opened)
    return result


def _registry(ctx: Context) -> Any:
    """The actor registry the settings name."""
    from khabar.actors import load_registry  # noqa: PLC0415 - keeps `khabar --help` fast

    return load_registry(Path(ctx.settings.registry) if ctx.settings.registry else None)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str], wide: bool = False,
          keep: Sequence[str] = ()) -> None:
    """Print rows as an aligned table that fits the terminal; ``keep`` columns are never cut, ``wide`` cuts none.

    Output to a pipe or file is not cut either, unless COLUMNS gives a width.
    """
    if not rows:
        click.echo("(none)")
        return
    cells = [[_cell(r.get(c, "")) for c in columns] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    fixed = [n if c in keep else len(c) for n, c in zip(natural, columns, strict=True)]
    sized = sys.stdout.isatty() or "COLUMNS" in os.environ
    widths = natural if wide or not sized else fit(natural, fixed, shutil.get_terminal_size().columns)
    click.echo(_line(list(columns), widths).rstrip())
    for row in cells:
        click.echo(_line(row, widths).rstrip())


def fit(natural: list[int], headers: list[int], total: int) -> list[int]:
    """Column widths within ``total`` characters: the widest columns give way first, none below its minimum."""
    room = total - GAP * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    floors = [min(n, max(h, MIN_COLUMN)) for n, h in zip(natural, headers, strict=True)]  # headers: or kept widths
    low, high = 0, max(natural)
    while low < high:  # the largest cap at which the capped widths still fit
        cap = (low + high + 1) // 2
        if sum(max(f, min(n, cap)) for n, f in zip(natural, floors, strict=True)) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(f, min(n, low)) for n, f in zip(natural, floors, strict=True)]


def _cell(value: Any) -> str:
    """A value as one line of text."""
    return " ".join(str(value).split()) if value is not None else ""


def _line(values: list[str], widths: list[int]) -> str:
    """One table line, each value cut with an ellipsis to its column's width."""
    out = [v.ljust(w) if len(v) <= w else v[: max(w - 1, 0)] + "…" for v, w in zip(values, widths, strict=True)]
    return (" " * GAP).join(out)
