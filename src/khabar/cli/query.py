"""Commands that read the store: `events`, `actors`, `show`, `report`, `claims`, `relations`, `places`."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from khabar import export
from khabar.cli.app import Context, guard, main, pass_context
from khabar.cli.app import table as plain_table
from khabar.cli.options import archive_of, filter_options, filters_from, output_options, table
from khabar.export.basic import incident_row
from khabar.export.common import Names, SourceDoc, csv_row
from khabar.merge import explain
from khabar.records import Claim, Incident, as_dict
from khabar.report import FORMATS, PER_SECTION, build_report, markdown

EVENT_COLUMNS = ("event_id", "when", "type", "place", "actor1", "actor2", "killed", "status", "sources", "conf")



@main.command()
@filter_options
@output_options
@click.option("--json", "as_json", is_flag=True, help="Same as --format json: one JSON object per incident.")
@click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv.")
@pass_context
def events(ctx: Context, /, fmt: str, as_json: bool, as_csv: bool, wide: bool, **params: Any) -> None:
    """List merged incidents matching the filters, oldest first."""
    filters = filters_from(params)
    fmt = "json" if as_json else "csv" if as_csv else fmt
    with archive_of(ctx, registry=bool(filters.actor)) as archive:
        if fmt != "table":
            chosen = export.format_named("jsonl" if fmt == "json" else "csv")
            guard(lambda: export.export(archive, filters, chosen, None))
            return
        names = Names(archive)
        rows = guard(lambda: [_event_row(i, names) for i in archive.incidents(filters)])
    table(rows, EVENT_COLUMNS, wide, keep=("event_id", "when", "killed", "status", "sources", "conf"))


def _event_row(incident: Incident, names: Names) -> dict[str, Any]:
    """A terminal row for an incident: the date to its precision, sources and confidence."""
    row = incident_row(incident, names)
    return {**row, "when": row["shown_date"], "conf": f"{row['confidence']:.2f}"}


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
        plain_table(rows, ("actor_id", "name", "type", "country", "events", "mentions"))


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
        e = incident.event
        cited = {s.doc_id for s in incident.sources} | {s.evidence[0].doc_id for s in incident.sources if s.evidence}
        docs = {d.doc_id: d for d in store.documents(cited, with_text=False)}
        names = {a: store.actor_name(a) for a in (e.actor1, e.actor2, e.claimed_by, e.attributed_by, e.denied_by,
                                                    *e.associated) if a}
        cites = {d.doc_id: SourceDoc(d.doc_id, d.outlet, d.title, d.url, d.published, d.path, "")
                 for d in docs.values()}
        click.echo("\n".join(markdown.incident_lines(incident, names, cites)))
        click.echo("\n".join(explain.explain(incident, store, docs, event_id)))
        click.echo(json.dumps(as_dict(incident.event), indent=2, ensure_ascii=False))


@main.command("report")
@filter_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="md or html (default: from the -o suffix, else md).")
@click.option("--title", default="Situation report", help="Report title.")
@pass_context
def report_command(ctx: Context, /, output: Path | None, fmt: str | None, title: str, **params: Any) -> None:
    """Write a situation report (Markdown or HTML) of the incidents matching the filters.

    --limit caps the key incidents shown in each section (default 25); the report says how many more match.
    """
    filters = filters_from(params)
    chosen = fmt or ("html" if output is not None and output.suffix.lower() in (".html", ".htm") else "md")
    per_section = PER_SECTION if filters.limit is None else filters.limit
    with archive_of(ctx, registry=bool(filters.actor)) as archive:
        text = guard(lambda: build_report(archive, filters.replace(limit=None), title, chosen, per_section))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@filter_options
@output_options
@click.option("--json", "as_json", is_flag=True, help="Same as --format json: one JSON object per claim.")
@pass_context
def claims(ctx: Context, /, fmt: str, as_json: bool, wide: bool, **params: Any) -> None:
    """List claims (who asserted what, who disputes it) from the articles the filters keep.

    Date filters apply to the claim's day (else its article's publication date), --actor to the
    speaker or subject, --text to the claim's words; the other filters keep the articles that
    report a matching incident.
    """
    filters = filters_from(params)
    with archive_of(ctx, registry=bool(filters.actor)) as archive:
        names = Names(archive)
        items = guard(lambda: list(archive.claims(filters)))
    if as_json or fmt == "json":
        for claim in items:
            click.echo(json.dumps(as_dict(claim), ensure_ascii=False))
        return
    rows = [{"speaker": names.name(c.speaker) or c.speaker_text, "stance": c.stance, "figures": _figures(c),
             "content": c.content, "disputed_by": ", ".join(names.name(d) for d in c.disputed_by),
             "doc": c.doc_id[:12]} for c in items]
    _rows_out(rows, ("speaker", "stance", "figures", "content", "disputed_by", "doc"), fmt, wide)


def _figures(claim: Claim) -> str:
    """The numbers a claim gives, as text."""
    return ", ".join(f"{q.best:g} {q.kind}" for q in claim.quantities if q.best is not None)


@main.command()
@filter_options
@output_options
@pass_context
def relations(ctx: Context, /, fmt: str, wide: bool, **params: Any) -> None:
    """List relations between actors, one line per pair and type, with evidence counts and the span seen."""
    filters = filters_from(params)
    with archive_of(ctx, registry=bool(filters.actor)) as archive:
        names = Names(archive)
        rows = guard(lambda: [{"actor": names.name(r.a), "relation": r.type, "other": names.name(r.b),
                               "evidence": r.evidence_count, "documents": len(r.doc_ids), "first": r.start or "",
                               "last": r.end or "", "a": r.a, "b": r.b}
                              for r in archive.relation_summaries(filters)])
    _rows_out(rows, ("actor", "relation", "other", "evidence", "documents", "first", "last"), fmt, wide)


@main.command()
@filter_options
@output_options
@pass_context
def places(ctx: Context, /, fmt: str, wide: bool, **params: Any) -> None:
    """List the places of the incidents the filters keep, most incidents first."""
    filters = filters_from(params)
    with archive_of(ctx, registry=bool(filters.actor)) as archive:
        rows = guard(lambda: [{"place": p.name, "admin1": p.admin1, "country": p.country, "incidents": p.incidents,
                               "deaths": p.deaths, "first": p.first or "", "last": p.last or "", "lat": p.lat,
                               "lon": p.lon, "place_id": p.place_id} for p in archive.places(filters)])
    _rows_out(rows, ("place", "admin1", "country", "incidents", "deaths", "first", "last", "lat", "lon"), fmt, wide)


def _rows_out(rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str, wide: bool) -> None:
    """Rows as a table, JSON lines or CSV (formula-safe) on standard output."""
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, default=str))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else list(columns))
        writer.writeheader()
        writer.writerows(csv_row({k: str(v) if hasattr(v, "isoformat") else v for k, v in r.items()}) for r in rows)
    else:
        table(rows, columns, wide, keep=("first", "last", "lat", "lon", "evidence", "documents", "incidents", "deaths",
                                         "stance", "doc"))
