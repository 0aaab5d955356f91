"""Commands that merge and curate incidents: `merge` and `incidents ...`."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from khabar import corpus
from khabar.cli.app import Context, guard, main, pass_context, table
from khabar.merge import edits, explain


@main.command("merge")
@click.argument("run_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rebuild", is_flag=True, help="Merge every stored event again (ids that still fit are kept).")
@pass_context
def merge_command(ctx: Context, run_dir: Path | None, rebuild: bool) -> None:
    """Merge stored events not merged yet into incidents (`--rebuild`: all of them again).

    With RUN_DIR (the --out of `khabar run`), its documents are stored first (those not stored yet).
    """
    if run_dir is not None:
        _load_run(ctx, run_dir)
    with guard(ctx.store) as store:
        written = guard(lambda: corpus.merge(store, rebuild=rebuild))
        total = store.incident_count()
    click.echo(f"{'rebuilt' if rebuild else 'merged'}: {written} incidents written; {total} incidents in the store")


def _load_run(ctx: Context, run_dir: Path) -> None:
    """Store the documents of a `khabar run` directory that the store does not hold yet."""
    from khabar.scale import require  # noqa: PLC0415 - pyarrow loads only for a run directory

    load = guard(lambda: require("load"))
    with guard(lambda: ctx.store(create=True)) as store:
        loaded = guard(lambda: load.load_run(run_dir, store))
    click.echo(f"loaded {run_dir}: {loaded.stored} documents stored from {loaded.batches} batches "
               f"({loaded.present} already stored, {loaded.failures} failed in the run)")


@main.group("incidents")
def incidents_group() -> None:
    """Curate incidents: merge, split, reject or accept them; list the edits made."""


def _user_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --user option: who makes a decision (the OS login name by default)."""
    return click.option("--user", default=getpass.getuser, show_default="your login name",
                        help="Who makes this decision, as the edit log records it.")


@incidents_group.command("merge")
@click.argument("first")
@click.argument("second")
@_user_option()
@pass_context
def incidents_merge(ctx: Context, first: str, second: str, user: str) -> None:
    """Merge incident SECOND into FIRST (the older id survives; the other still resolves to it)."""
    with guard(ctx.store) as store:
        merged = guard(lambda: edits.merge(store, first, second, user))
    click.echo(f"merged into {merged.incident_id}: {len(merged.sources)} sources")


@incidents_group.command("split")
@click.argument("incident")
@click.option("--doc", required=True, help="The document (id or unique prefix) whose report to split off.")
@_user_option()
@pass_context
def incidents_split(ctx: Context, incident: str, doc: str, user: str) -> None:
    """Split one document's report off an incident."""
    with guard(ctx.store) as store:
        left = guard(lambda: edits.split(store, incident, doc, user))
    click.echo(f"split {doc} off; {left.incident_id} keeps {len(left.sources)} sources")


@incidents_group.command("reject")
@click.argument("incident")
@_user_option()
@pass_context
def incidents_reject(ctx: Context, incident: str, user: str) -> None:
    """Mark an incident as not an event: hidden from `events` and `report`, kept in the store."""
    with guard(ctx.store) as store:
        done = guard(lambda: edits.review(store, incident, "reject", user))
    click.echo(f"rejected {done.incident_id}; `khabar incidents accept {done.incident_id}` undoes it")


@incidents_group.command("accept")
@click.argument("incident")
@_user_option()
@pass_context
def incidents_accept(ctx: Context, incident: str, user: str) -> None:
    """Mark an incident as a real event (undoes a rejection)."""
    with guard(ctx.store) as store:
        done = guard(lambda: edits.review(store, incident, "accept", user))
    click.echo(f"accepted {done.incident_id}")


@incidents_group.command("edits")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per edit.")
@pass_context
def incidents_edits(ctx: Context, as_json: bool) -> None:
    """List curation decisions: who, when, what."""
    with guard(ctx.store) as store:
        rows = [explain.edit_row(e) for e in store.edits()]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        table(rows, ("edit", "at", "user", "action", "incident", "other", "sources"))
