"""Commands that read the store: `events`, `actors`, `show`, `report`, `claims`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from khabar import export, report
from khabar.cli.app import Context, guard, main, pass_context, table
from khabar.merge import explain
from khabar.records import as_dict


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per incident.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with one row per incident.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Hide incidents whose confidence (the share of such events that are real) is below this.")
@click.option("--rejected", is_flag=True, help="Also list incidents a user rejected as not events.")
@pass_context
def events(ctx: Context, as_json: bool, as_csv: bool, min_confidence: float, rejected: bool) -> None:
    """List merged incidents."""
    with guard(ctx.store) as store:
        shown = (i for i in store.incidents(rejected=rejected) if i.event.confidence >= min_confidence)
        if as_json or as_csv:
            export.exporter_named("jsonl" if as_json else "csv")(shown, store, sys.stdout)
            return
        rows = [export.incident_row(i, store) for i in shown]
    table(rows, ("event_id", "date", "type", "place", "actor1", "actor2", "killed", "status", "sources"))


@main.group(invoke_without_command=True)
@click.option("--unknown", is_flag=True, help="Names not in the registry, most frequent first.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.pass_context
def actors(click_ctx: click.Context, unknown: bool, as_json: bool) -> None:
    """List actors in the store (subcommand `add` extends the registry)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: Context = click_ctx.obj
    with guard(ctx.store) as store:
        rows = list(store.actor_rows(provisional=True if unknown else None))
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        table(rows, ("actor_id", "name", "type", "country", "events", "mentions"))


@actors.command("add")
@click.argument("name")
@click.option("--type", "kind", required=True, help="Actor type, e.g. armed_group, person, state_forces.")
@click.option("--alias", "aliases", multiple=True, help="An alias; repeat for several.")
@click.option("--country", default="", help="ISO 3166 alpha-2 country code.")
@click.option("--acled-name", default="", help="The actor's ACLED name.")
@click.option("--file", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="User registry file to write (default: the --registry setting, else ./khabar-actors.yaml).")
@pass_context
def actors_add(ctx: Context, name: str, kind: str, aliases: tuple[str, ...], country: str, acled_name: str,
               target: Path | None) -> None:
    """Add an actor to a user registry file, without editing the package."""
    from khabar.actors import add_user_actor  # noqa: PLC0415 - keeps `khabar --help` fast

    path = target or Path(ctx.settings.registry or "khabar-actors.yaml")
    actor = guard(lambda: add_user_actor(path, name, kind, list(aliases), country, acled_name))
    click.echo(f"added {actor.actor_id} to {path}; use it with --registry {path} or KHABAR_REGISTRY")


@main.command()
@click.argument("event_id")
@pass_context
def show(ctx: Context, event_id: str) -> None:
    """Show one incident with every source sentence."""
    with guard(ctx.store) as store:
        incident = store.incident(event_id)
        if incident is None:
            click.echo(f"khabar: error: no single incident matches {event_id!r}; list them with `khabar events`",
                       err=True)
            sys.exit(2)
        cited = {s.doc_id for s in incident.sources} | {s.evidence[0].doc_id for s in incident.sources if s.evidence}
        docs = {d.doc_id: d for d in store.documents(cited, with_text=False)}
        click.echo("\n".join(report._incident_lines(incident, store, docs)))
        click.echo("\n".join(explain.explain(incident, store, docs, event_id)))
        click.echo(json.dumps(as_dict(incident.event), indent=2, ensure_ascii=False))


@main.command("report")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--title", default="Situation report", help="Report title.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Leave out incidents whose confidence is below this.")
@pass_context
def report_command(ctx: Context, output: Path | None, title: str, min_confidence: float) -> None:
    """Write a Markdown situation report citing every source sentence."""
    with guard(ctx.store) as store:
        text = report.build_report(store, title, min_confidence)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim.")
@pass_context
def claims(ctx: Context, as_json: bool) -> None:
    """List claims: who asserted what, and who disputes it."""
    with guard(ctx.store) as store:
        items = list(store.claims())
        rows = [{"speaker": store.actor_name(c.speaker) if c.speaker else c.speaker_text, "stance": c.stance,
                 "content": c.content, "disputed_by": ",".join(c.disputed_by)} for c in items]
    if as_json:
        for claim in items:
            click.echo(json.dumps(as_dict(claim), ensure_ascii=False))
    else:
        table(rows, ("speaker", "stance", "content", "disputed_by"))
