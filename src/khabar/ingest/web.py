"""Articles from the web: a fetched page becomes documents, each failure one error naming its URL.

A page's URL (as given) is its path; the URL it was finally served from, its host (as outlet, when
the page names none) and its HTTP ``Last-Modified`` and ``Date`` headers join the publication-date
cascade described in ``documents``, the HTTP dates last.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from urllib.parse import urlsplit

from khabar.errors import InputError
from khabar.ingest.documents import Meta, ReadingAids, build
from khabar.ingest.fetch import PAGE_TYPES, Fetched, Fetcher, http_date
from khabar.ingest.files import contained, from_html
from khabar.ingest.text import Limits
from khabar.records import Document


def is_url(text: str) -> bool:
    """Whether a command-line source is a URL rather than a path."""
    return text.lower().startswith(("http://", "https://"))


def read_urls(urls: Iterable[str], fetcher: Fetcher, aids: ReadingAids, limits: Limits,
              known: Meta | None = None) -> Iterator[Document | InputError]:
    """Documents from article URLs, with an InputError in place of each one that fails."""
    for url in urls:
        yield from read_url(url, fetcher, aids, limits, known)


def read_url(url: str, fetcher: Fetcher, aids: ReadingAids, limits: Limits,
             known: Meta | None = None) -> Iterator[Document | InputError]:
    """The documents of one article URL (``known`` holds what a feed said about it), or its error."""
    try:
        fetched = fetcher.get(url, PAGE_TYPES)
        yield from page_documents(fetched, aids, limits, known or Meta())
    except InputError as error:
        yield error
    except Exception as error:  # one URL's failure must never stop the batch
        yield contained(url, error)


def page_documents(fetched: Fetched, aids: ReadingAids, limits: Limits, known: Meta) -> list[Document]:
    """Documents from a fetched page (HTML or plain text), dated and placed by what the fetch tells."""
    meta = replace(known, url=known.url or fetched.url, final_url=fetched.final_url,
                   outlet=known.outlet, last_modified=http_date(fetched.last_modified),
                   served=http_date(fetched.served))
    if fetched.content_type == "text/plain":
        documents = build(fetched.url, fetched.text(), meta, aids, limits)
    else:
        documents = from_html(fetched.url, fetched.text(), meta, aids, limits)
    host = outlet_of(fetched.final_url)
    return [d if d.outlet else replace(d, outlet=host) for d in documents]


def outlet_of(url: str) -> str:
    """A URL's host without a leading www., as the outlet of last resort."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
