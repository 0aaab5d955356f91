"""Feeds and sitemaps: the article URLs they list, fetched and read; and what ``watch`` remembers between polls.

RSS and Atom are parsed by feedparser, given the bytes as a stream (a bytes argument it may take
for a file name). Sitemaps (``<urlset>``, and ``<sitemapindex>`` one level deep) are parsed with
``xml.etree``, after the size cap of the fetch. Neither kind of document needs a DTD, so any text
that declares entities is refused before parsing: no entity expansion, internal or external.

``WatchState`` keeps, per feed, its ETag and Last-Modified (for conditional requests) and the
article URLs already taken, in a JSON file beside the store, written atomically.
"""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser  # type: ignore[import-untyped]

from khabar.errors import FetchError, InputError
from khabar.ingest.documents import Meta, ReadingAids, as_date
from khabar.ingest.fetch import FEED_TYPES, Fetched, Fetcher
from khabar.ingest.files import contained
from khabar.ingest.text import Limits
from khabar.ingest.web import read_url
from khabar.records import Document

MAX_ENTRIES = 1_000  # article URLs taken from one feed or sitemap
MAX_SITEMAPS = 20  # child sitemaps read from one sitemap index
SEEN_PER_FEED = 5_000  # article URLs remembered per watched feed
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SITEMAP_ROOT = re.compile(rb"<(?:\w+:)?(urlset|sitemapindex)[\s>]")


@dataclass(slots=True, frozen=True)
class Entry:
    """One article a feed or sitemap lists."""

    url: str
    published: date | None = None
    title: str = ""


def entries_of(fetched: Fetched) -> tuple[list[Entry], list[str]]:
    """The articles a fetched feed or sitemap lists, and the child sitemaps a sitemap index names."""
    body = fetched.body
    if _ENTITY.search(body):
        raise FetchError(fetched.url, "feed declares XML entities; refused", "give a feed without a DTD")
    root = _SITEMAP_ROOT.search(body[:4096])
    if root is not None:
        return _sitemap(fetched, root.group(1) == b"sitemapindex")
    return _feed(fetched), []


def _feed(fetched: Fetched) -> list[Entry]:
    """The entries of an RSS or Atom feed, with links made absolute and only http(s) kept.

    Fields are read with ``dict.get``: feedparser's own lookups map missing keys to others, with warnings.
    """
    parsed = feedparser.parse(io.BytesIO(fetched.body), response_headers={"content-location": fetched.final_url})
    items = dict.get(parsed, "entries") or []
    if not items and (dict.get(parsed, "bozo") or not dict.get(parsed, "version")):
        raise FetchError(fetched.url, "not an RSS or Atom feed, nor a sitemap", "give the URL of a feed or sitemap")
    entries = []
    for item in items[:MAX_ENTRIES]:
        link = urljoin(fetched.final_url, str(dict.get(item, "link") or ""))
        if link.lower().startswith(("http://", "https://")):
            stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
            entries.append(Entry(link, _struct_date(stamp), str(dict.get(item, "title") or "")[:2_000]))
    return entries


def _struct_date(stamp: Any) -> date | None:
    """A date from feedparser's time tuple, or None."""
    try:
        return date(stamp[0], stamp[1], stamp[2]) if stamp else None
    except (TypeError, ValueError, IndexError):
        return None


def _sitemap(fetched: Fetched, index: bool) -> tuple[list[Entry], list[str]]:
    """The pages of a sitemap, or the child sitemaps of a sitemap index."""
    try:
        root = ET.fromstring(fetched.body)
    except ET.ParseError as exc:
        raise FetchError(fetched.url, f"sitemap is not well-formed XML ({exc})", "check the sitemap URL") from exc
    found: list[Entry] = []
    for item in root:
        fields = {child.tag.rpartition("}")[2]: (child.text or "").strip() for child in item}
        loc = urljoin(fetched.final_url, fields.get("loc", ""))
        if loc.lower().startswith(("http://", "https://")):
            found.append(Entry(loc, as_date(fields.get("lastmod", ""))))
        if len(found) >= (MAX_SITEMAPS if index else MAX_ENTRIES):
            break
    return ([], [e.url for e in found]) if index else (found, [])


def feed_entries(url: str, fetcher: Fetcher, conditions: dict[str, str] | None = None) -> tuple[Fetched, list[Entry]]:
    """A feed's response and its entries; a sitemap index's children are fetched and their pages listed."""
    fetched = fetcher.get(url, FEED_TYPES, conditions)
    if fetched.status == 304:
        return fetched, []
    entries, children = entries_of(fetched)
    for child in children:
        child_entries, _ = entries_of(fetcher.get(child, FEED_TYPES))
        entries.extend(child_entries)
    return fetched, entries[:MAX_ENTRIES]


def read_feeds(urls: Iterable[str], fetcher: Fetcher, aids: ReadingAids, limits: Limits,
               state: WatchState | None = None) -> Iterator[Document | InputError]:
    """Documents from the articles feeds list (only those not seen before, given a watch state)."""
    for url in urls:
        try:
            fetched, entries = feed_entries(url, fetcher, state.conditions(url) if state else None)
        except InputError as error:
            yield error
            continue
        except Exception as error:  # one feed's failure must never stop the others
            yield contained(url, error)
            continue
        taken = []
        for entry in (e for e in entries if state is None or not state.seen(url, e.url)):
            read = False
            for item in read_url(entry.url, fetcher, aids, limits, _entry_meta(entry)):
                read = read or isinstance(item, Document)
                yield item
            if read:  # an article that failed is tried again at the next poll
                taken.append(entry.url)
        if state is not None:
            state.update(url, fetched, taken)


def _entry_meta(entry: Entry) -> Meta:
    """What a feed says about one of its articles, as metadata for the page."""
    return Meta(title=entry.title, url=entry.url, published=entry.published,
                source="feed" if entry.published else "unknown")


@dataclass(slots=True)
class WatchState:
    """What ``watch`` remembers per feed: validators for conditional requests and the article URLs taken."""

    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> WatchState:
        """The state saved at a path (empty when there is none, or it cannot be read)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        feeds = data.get("feeds") if isinstance(data, dict) else None
        return cls({k: v for k, v in feeds.items() if isinstance(v, dict)} if isinstance(feeds, dict) else {})

    def save(self, path: Path) -> None:
        """Write the state atomically (a temporary file renamed over the old one)."""
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"version": 1, "feeds": self.feeds}, indent=1, sort_keys=True),
                             encoding="utf-8")
        os.replace(temporary, path)

    def conditions(self, url: str) -> dict[str, str]:
        """The conditional-request headers for a feed, from its last answer."""
        known = self.feeds.get(url, {})
        headers = {"If-None-Match": str(known.get("etag") or ""),
                   "If-Modified-Since": str(known.get("last_modified") or "")}
        return {name: value for name, value in headers.items() if value}

    def seen(self, url: str, article: str) -> bool:
        """Whether an article of a feed was taken before."""
        return article in self.feeds.get(url, {}).get("seen", ())

    def update(self, url: str, fetched: Fetched, taken: list[str]) -> None:
        """Remember a feed's new validators and the articles just taken (the most recent ones, bounded)."""
        known = self.feeds.setdefault(url, {})
        if fetched.status != 304:
            known["etag"], known["last_modified"] = fetched.etag, fetched.last_modified
        seen = [s for s in known.get("seen", []) if isinstance(s, str)] + taken
        known["seen"] = seen[-SEEN_PER_FEED:]


def state_path(db: str) -> Path:
    """Where ``watch`` keeps its state for a store: beside it, as ``DB.watch.json``."""
    return Path(f"{db}.watch.json")
