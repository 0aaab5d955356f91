"""URL, feed and sitemap ingest, the SSRF guard and watch (issue #22), against a server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from khabar.errors import FetchError, InputError
from khabar.ingest import Limits, load_reading_aids
from khabar.ingest.feeds import WatchState, entries_of, read_feeds
from khabar.ingest.fetch import PAGE_TYPES, Fetched, Fetcher, FetchOptions
from khabar.ingest.ssrf import refusal
from khabar.ingest.web import read_url
from khabar.records import Document

ARTICLE = ("Gunmen killed {n} police officers at a checkpoint in Kandahar province on Monday, officials said. "
           "The attack came a week after a similar raid in the same district.")


def _page(n: int) -> bytes:
    paragraphs = "".join(f"<p>{ARTICLE.format(n=n)} Paragraph {i} adds what the governor said.</p>" for i in range(4))
    return f"<html><head><title>Raid {n}</title></head><body><article>{paragraphs}</article></body></html>".encode()


def _rss(items: list[int], base: str) -> bytes:
    entries = "".join(f"<item><title>Raid {n}</title><link>{base}/a{n}.html</link>"
                      f"<pubDate>Mon, 0{n} Mar 2022 10:00:00 GMT</pubDate></item>" for n in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{entries}</channel></rss>'.encode()


@dataclass
class Site:
    """What the test server serves, and what it was asked."""

    base: str = ""
    feed_items: list[int] = field(default_factory=lambda: [1, 2])
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def route(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a path."""
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"
        if path.startswith(("/a", "/private/")) and path.endswith(".html"):
            n = int("".join(c for c in path if c.isdigit()) or 0)
            return 200, {**html, "Last-Modified": "Tue, 01 Feb 2022 08:00:00 GMT"}, _page(n)
        if path == "/feed.xml":
            etag = f'"v{len(self.feed_items)}"'
            if headers.get("if-none-match") == etag:
                return 304, {"ETag": etag}, b""
            return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, _rss(self.feed_items, self.base)
        if path == "/sitemap.xml":
            body = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{self.base}/a7.html</loc>'
                    "<lastmod>2022-04-05</lastmod></url></urlset>")
            return 200, {"Content-Type": "application/xml"}, body.encode()
        if path == "/entities.xml":
            body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss version="2.0"><channel/></rss>'
            return 200, {"Content-Type": "application/rss+xml"}, body
        if path == "/hop":
            return 302, {"Location": "/a3.html"}, b""
        if path == "/loop":
            return 302, {"Location": "/loop"}, b""
        if path == "/big.html":
            return 200, html, b"<p>" + b"x" * 200_000 + b"</p>"
        if path == "/image.png":
            return 200, {"Content-Type": "image/png"}, b"\x89PNG"
        return 404, {"Content-Type": "text/plain"}, b"not here"


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.requests.append((self.path, headers))
            status, extra, body = state.route(self.path, headers)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _stub(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"unknown host {host}")
        return table[host]
    return resolve


def _fetcher(allow_private: bool = True, resolver: dict[str, list[str]] | None = None, **options: object) -> Fetcher:
    return Fetcher(FetchOptions(allow_private=allow_private, **options),  # type: ignore[arg-type]
                   resolver=_stub(resolver or {}))


def _read(url: str, fetcher: Fetcher) -> list[Document | InputError]:
    return list(read_url(url, fetcher, load_reading_aids(), Limits()))


def test_an_article_url_becomes_a_document_with_its_urls_outlet_and_http_date(site: Site) -> None:
    port = site.base.rsplit(":", 1)[1]
    fetcher = _fetcher(resolver={"news.test": ["127.0.0.1"]})
    [doc] = _read(f"http://news.test:{port}/hop", fetcher)
    assert isinstance(doc, Document), doc
    assert "Kandahar" in doc.text
    assert doc.path == f"http://news.test:{port}/hop" and doc.url == f"http://news.test:{port}/a3.html"
    assert doc.outlet == "news.test"
    assert (doc.published, doc.published_source) == (date(2022, 2, 1), "http-last-modified")
    agents = {headers.get("user-agent") for _, headers in site.requests}
    assert agents == {FetchOptions().user_agent}
    assert {headers.get("host") for _, headers in site.requests} == {f"news.test:{port}"}  # pinned to the checked IP


@pytest.mark.parametrize("addresses", [["127.0.0.1"], ["93.184.216.34", "10.1.2.3"], ["169.254.169.254"],
                                       ["::1"], ["::ffff:127.0.0.1"], ["fe80::1"], ["224.0.0.1"], ["100.64.0.1"]])
def test_names_that_resolve_to_private_addresses_are_refused(site: Site, addresses: list[str]) -> None:
    port = site.base.rsplit(":", 1)[1]
    fetcher = _fetcher(allow_private=False, resolver={"public-looking.example": addresses})
    [error] = _read(f"http://public-looking.example:{port}/a1.html", fetcher)
    assert isinstance(error, FetchError) and "refused" in error.problem and "--allow-private" in str(error)
    assert site.requests == []


def test_a_redirect_to_a_private_address_is_refused_at_that_hop() -> None:
    asked: list[str] = []

    def public_server(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.url.host} {request.headers['host']}")
        targets = {"/to-loopback": "http://127.0.0.1/admin", "/to-metadata": "http://internal.example/latest/"}
        return httpx.Response(302, headers={"Location": targets[request.url.path]})

    client = httpx.Client(transport=httpx.MockTransport(public_server))
    fetcher = Fetcher(FetchOptions(obey_robots=False), client=client,
                      resolver=_stub({"news.example": ["93.184.216.34"], "internal.example": ["169.254.169.254"]}))
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a loopback address; refused"):
        fetcher.get("http://news.example/to-loopback", PAGE_TYPES)
    with pytest.raises(FetchError, match="cloud metadata address; refused"):
        fetcher.get("http://news.example/to-metadata", PAGE_TYPES)
    assert asked == ["93.184.216.34 news.example", "93.184.216.34 news.example"]


def test_the_address_checks() -> None:
    import ipaddress

    assert refusal(ipaddress.ip_address("93.184.216.34")) == ""
    assert refusal(ipaddress.ip_address("2606:2800:220:1:248:1893:25c8:1946")) == ""
    assert refusal(ipaddress.ip_address("192.168.1.1")) == "private"
    assert refusal(ipaddress.ip_address("0.0.0.0")) == "unspecified"


@pytest.mark.parametrize(("path", "options", "words"), [
    ("/private/a1.html", {}, "robots.txt"),
    ("/loop", {}, "more than 5 redirects"),
    ("/big.html", {"max_bytes": 100_000}, "over the limit"),
    ("/image.png", {}, "content type 'image/png'"),
    ("/missing.html", {}, "HTTP 404"),
])
def test_fetches_are_bounded_and_polite(site: Site, path: str, options: dict[str, object], words: str) -> None:
    [error] = _read(site.base + path, _fetcher(**options))
    assert isinstance(error, FetchError) and words in str(error), error


def test_robots_can_be_ignored(site: Site) -> None:
    [doc] = _read(site.base + "/private/a1.html", _fetcher(obey_robots=False))
    assert isinstance(doc, Document)


def test_feeds_and_sitemaps_list_their_articles(site: Site) -> None:
    fetcher = _fetcher()
    items = list(read_feeds([site.base + "/feed.xml", site.base + "/sitemap.xml", site.base + "/entities.xml"],
                            fetcher, load_reading_aids(), Limits()))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.path for d in docs] == [site.base + "/a1.html", site.base + "/a2.html", site.base + "/a7.html"]
    assert [(d.published, d.published_source) for d in docs][:2] == [(date(2022, 3, 1), "feed"),
                                                                     (date(2022, 3, 2), "feed")]
    [error] = [i for i in items if isinstance(i, InputError)]
    assert "entities.xml" in str(error) and "entities" in error.problem


def test_a_feed_given_as_bytes_is_never_opened_as_a_file_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(_rss([5], "http://x.example"))
    fetched = Fetched("http://f.example/feed", "http://f.example/feed", 200, body=str(secret).encode())
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        entries_of(fetched)


def test_watch_state_sends_validators_and_skips_seen_articles(site: Site, tmp_path: Path) -> None:
    fetcher, aids, limits = _fetcher(), load_reading_aids(), Limits()
    state = WatchState()
    first = [i for i in read_feeds([site.base + "/feed.xml"], fetcher, aids, limits, state) if isinstance(i, Document)]
    assert len(first) == 2
    state.save(tmp_path / "w.json")
    state = WatchState.load(tmp_path / "w.json")
    assert list(read_feeds([site.base + "/feed.xml"], fetcher, aids, limits, state)) == []
    assert site.requests[-1][1].get("if-none-match") == '"v2"'
    site.feed_items.append(3)
    third = [i for i in read_feeds([site.base + "/feed.xml"], fetcher, aids, limits, state) if isinstance(i, Document)]
    assert [d.path for d in third] == [site.base + "/a3.html"]


def test_the_cli_ingests_urls_and_feeds_and_watch_polls_once(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def khabar(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "khabar", "--db", str(db), "--processes", "1", *args],
                              capture_output=True, text=True, timeout=300, env=env, check=False)

    run = khabar("ingest", "--allow-private", site.base + "/a1.html", site.base + "/private/a9.html",
                 "--feed", site.base + "/feed.xml")
    assert run.returncode == 0, run.stderr
    assert "stored 2 new documents (1 unchanged, 1 errors)" in run.stdout
    assert f"khabar: {site.base}/private/a9.html: robots.txt of {site.base} disallows" in run.stderr
    assert "Traceback" not in run.stderr
    watched = khabar("watch", "--allow-private", "--once", site.base + "/feed.xml")
    assert "stored 0 new documents (2 unchanged, 0 errors)" in watched.stdout, watched.stderr
    assert Path(f"{db}.watch.json").is_file()
