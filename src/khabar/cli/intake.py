"""Commands that bring articles in: `ingest` (files, URLs, feeds) and `watch` (poll feeds)."""

from __future__ import annotations

import itertools
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from khabar import corpus
from khabar.cli.app import Context, guard, main, pass_context
from khabar.errors import InputError
from khabar.ingest import Limits, load_reading_aids, read_paths
from khabar.ingest.feeds import WatchState, read_feeds, state_path
from khabar.ingest.fetch import Fetcher, FetchOptions
from khabar.ingest.web import is_url, read_urls
from khabar.records import Document

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_WEB_OPTIONS = (
    click.option("--allow-private", is_flag=True,
                 help="Allow fetching from loopback, private and link-local addresses (refused by default)."),
    click.option("--ignore-robots", is_flag=True, help="Fetch pages even where robots.txt disallows it."),
)


def _web_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the options every command that fetches takes."""
    for option in reversed(_WEB_OPTIONS):
        command = option(command)
    return command


@main.command()
@click.argument("sources", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL",
              help="An RSS/Atom feed or sitemap whose articles to ingest (repeatable).")
@_web_options
@pass_context
def ingest(ctx: Context, sources: tuple[str, ...], feeds: tuple[str, ...], allow_private: bool,
           ignore_robots: bool) -> None:
    """Ingest files, directories (.txt, .md, .html, .jsonl), article URLs and feeds into the store."""
    if not sources and not feeds:
        raise click.UsageError("give files, directories or URLs to ingest, or --feed URL")
    urls = [s for s in sources if is_url(s)]
    paths = [Path(s) for s in sources if not is_url(s)]
    fetcher = _fetcher(ctx, allow_private, ignore_robots) if urls or feeds else None
    items = _items(ctx, paths, urls, feeds, fetcher, None)
    result = _run(ctx, items)
    if fetcher is not None:
        fetcher.close()
    if not result.ok:
        sys.exit(1)


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Time between polls: 90s, 15m, 2h, 1d.")
@click.option("--once", is_flag=True, help="Poll once and stop (for scripts and tests).")
@_web_options
@pass_context
def watch(ctx: Context, feeds: tuple[str, ...], every: str, once: bool, allow_private: bool,
          ignore_robots: bool) -> None:
    """Poll feeds or sitemaps and ingest the articles not seen before (state in DB.watch.json)."""
    interval = _seconds(every)
    fetcher = _fetcher(ctx, allow_private, ignore_robots)
    state_file = state_path(ctx.settings.db)
    for poll in itertools.count():
        if poll:
            time.sleep(interval)
        state = WatchState.load(state_file)
        _run(ctx, _items(ctx, [], [], feeds, fetcher, state))
        state.save(state_file)
        if once:
            break
    fetcher.close()


def _fetcher(ctx: Context, allow_private: bool, ignore_robots: bool) -> Fetcher:
    """A fetcher configured by the settings and the flags."""
    return Fetcher(FetchOptions.from_settings(ctx.settings, allow_private=allow_private, obey_robots=not ignore_robots))


def _items(ctx: Context, paths: list[Path], urls: list[str], feeds: tuple[str, ...], fetcher: Fetcher | None,
           state: WatchState | None) -> Iterator[Document | InputError]:
    """Everything to ingest, in order: files, then article URLs, then the articles of feeds."""
    limits = Limits.from_settings(ctx.settings)
    aids = guard(load_reading_aids)
    if paths:
        yield from read_paths(paths, name_skipped=True, limits=limits, aids=aids)
    if fetcher is not None:
        yield from read_urls(urls, fetcher, aids, limits)
        yield from read_feeds(feeds, fetcher, aids, limits, state)


def _run(ctx: Context, items: Iterator[Document | InputError]) -> corpus.IngestReport:
    """Ingest the items with a progress bar, then print what was done."""
    show_bar = not ctx.quiet and sys.stderr.isatty()
    bar = click.progressbar(length=0, label="ingesting", file=sys.stderr, hidden=not show_bar, show_pos=True)
    with guard(lambda: ctx.store(create=True)) as store, bar:
        result: corpus.IngestReport = guard(
            lambda: corpus.ingest_items(items, store, ctx.pipeline(), lambda _: bar.update(1)))
    words_per_s = result.words / max(1e-9, sum(result.seconds_by_stage.values()))
    click.echo(f"stored {result.stored} new documents ({result.unchanged} unchanged, {len(result.errors)} errors); "
               f"{result.incidents} incidents; {words_per_s:,.0f} words/s", err=ctx.quiet)
    return result


def _seconds(text: str) -> float:
    """Seconds from a duration such as 90, 90s, 15m, 2h or 1d."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{text!r} is not a duration; write it as 90s, 15m, 2h or 1d", param_hint="--every")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
