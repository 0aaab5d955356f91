"""Fetching pages, feeds and sitemaps over HTTP(S), within bounds and with manners.

``Fetcher.get`` follows redirects itself, so that every hop is checked like the first request:
scheme (http or https only), the SSRF guard on every address the host resolves to (``ssrf``),
and robots.txt for the hop's origin (unless told to ignore it). A response is refused when its
status is an error, its type is not one asked for, or its body grows past ``max_bytes``; the
whole fetch must end within ``timeout`` seconds. Every request names khabar in its User-Agent.
Conditional requests (``If-None-Match``, ``If-Modified-Since``) are for ``watch``: a 304 answer
comes back as a ``Fetched`` with ``status == 304`` and no body.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from khabar.errors import FetchError
from khabar.ingest.ssrf import Resolver, checked_addresses, system_resolver
from khabar.settings import Settings

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/x-rss+xml", "application/feed+json", "text/plain")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_BYTES = 500_000


@dataclass(slots=True, frozen=True)
class FetchOptions:
    """How a fetcher behaves (from the settings and the command's flags)."""

    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = "khabar/0.1 (conflict-news ingest)"
    allow_private: bool = False
    obey_robots: bool = True

    @classmethod
    def from_settings(cls, settings: Settings, *, allow_private: bool = False, obey_robots: bool = True
                      ) -> FetchOptions:
        """Options from the settings and the flags."""
        return cls(settings.fetch_timeout, settings.fetch_max_bytes, settings.max_redirects, settings.user_agent,
                   allow_private, obey_robots)


@dataclass(slots=True, frozen=True)
class Fetched:
    """One response: the URL asked for, where it ended after redirects, and what came back."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    served: str = ""

    def text(self) -> str:
        """The body as text, in its declared charset, else UTF-8, else Windows-1252."""
        for encoding in (self.charset, "utf-8"):
            if encoding:
                try:
                    return self.body.decode(encoding)
                except (LookupError, UnicodeDecodeError):
                    continue
        return self.body.decode("cp1252", "replace")


@dataclass(slots=True)
class Fetcher:
    """Fetches URLs with one HTTP client, a resolver and options; remembers robots.txt rules per origin."""

    options: FetchOptions = field(default_factory=FetchOptions)
    client: httpx.Client | None = None
    resolver: Resolver = system_resolver
    robots: dict[str, urllib.robotparser.RobotFileParser] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Build an HTTP client when none is given (one that never follows redirects by itself)."""
        if self.client is None:
            self.client = httpx.Client(follow_redirects=False, timeout=self.options.timeout, trust_env=False)

    def close(self) -> None:
        """Close the HTTP client."""
        if self.client is not None:
            self.client.close()

    def get(self, url: str, kinds: tuple[str, ...], conditions: Mapping[str, str] | None = None) -> Fetched:
        """Fetch a URL whose response must be one of ``kinds``, following and checking each redirect."""
        deadline = time.monotonic() + self.options.timeout
        return self._follow(url, kinds, dict(conditions or {}), deadline, self.options.max_bytes,
                            robots=self.options.obey_robots)

    def _follow(self, url: str, kinds: tuple[str, ...], conditions: dict[str, str], deadline: float, limit: int,
                *, robots: bool) -> Fetched:
        """Requests from ``url`` on, one hop at a time, until an answer that is not a redirect."""
        current = url
        for _ in range(self.options.max_redirects + 1):
            if robots:
                parts = _checked_url(url, current)
                checked_addresses(url, parts.hostname or "", parts.port or 0, self.resolver, self.options.allow_private)
                self._check_robots(url, current, deadline)
            fetched = self._request(url, current, kinds, conditions, (deadline, limit))
            if fetched.status not in _REDIRECTS:
                return fetched
            current = fetched.final_url
        raise FetchError(url, f"more than {self.options.max_redirects} redirects", "give the final URL instead")

    def _request(self, url: str, current: str, kinds: tuple[str, ...], conditions: dict[str, str],
                 bounds: tuple[float, int]) -> Fetched:
        """One request to the checked address of ``current``; a redirect comes back with its target as final_url."""
        parts = _checked_url(url, current)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname or ""
        address = checked_addresses(url, host, port, self.resolver, self.options.allow_private)[0]
        target = httpx.URL(current).copy_with(host=address)
        headers = {"User-Agent": self.options.user_agent, "Host": parts.netloc.rpartition("@")[2],
                   "Accept": ", ".join(kinds) + ", */*;q=0.1", **conditions}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        assert self.client is not None
        try:
            request = self.client.build_request("GET", target, headers=headers, extensions=extensions)
            response = self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request to {current} failed ({type(exc).__name__}: {exc})",
                             "check the URL, or try again later") from exc
        try:
            return self._answer(url, current, response, kinds, bounds)
        finally:
            response.close()

    def _answer(self, url: str, current: str, response: httpx.Response, kinds: tuple[str, ...],
                bounds: tuple[float, int]) -> Fetched:
        """What a response says: a redirect's target, a 304, or a checked body."""
        status = response.status_code
        if status in _REDIRECTS:
            location = response.headers.get("location", "")
            if not location:
                raise FetchError(url, f"HTTP {status} redirect without a Location", "report it to the site")
            return Fetched(url, urljoin(current, location), status)
        meta = {"etag": response.headers.get("etag", ""), "last_modified": response.headers.get("last-modified", ""),
                "served": response.headers.get("date", "")}
        if status == 304:
            return Fetched(url, current, status, **meta)
        if status >= 400:
            raise FetchError(url, f"HTTP {status} from {current}", "check the URL, or try again later", status)
        content_type, charset = _content_type(response.headers.get("content-type", ""))
        if content_type not in kinds:
            raise FetchError(url, f"content type {content_type or '(none)'!r} is not one of {', '.join(kinds)}",
                             "give the URL of an article page, feed or sitemap")
        body = self._body(url, response, bounds)
        return Fetched(url, current, status, content_type, charset, body, **meta)

    def _body(self, url: str, response: httpx.Response, bounds: tuple[float, int]) -> bytes:
        """The response body, refused when it grows past the size limit or the fetch outlasts the deadline."""
        deadline, limit = bounds
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response is {int(declared):,} bytes, over the limit of {limit:,}",
                             "raise KHABAR_FETCH_MAX_BYTES if the page is genuine")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, f"response is over the limit of {limit:,} bytes",
                                     "raise KHABAR_FETCH_MAX_BYTES if the page is genuine")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"fetch took over {self.options.timeout:g} s",
                                     "try again later or raise KHABAR_FETCH_TIMEOUT")
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise FetchError(url, f"reading the response failed ({type(exc).__name__}: {exc})",
                             "try again later") from exc
        return b"".join(chunks)

    def _check_robots(self, url: str, current: str, deadline: float) -> None:
        """Refuse a URL the site's robots.txt disallows for khabar's User-Agent."""
        parts = urlsplit(current)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = self._robots_of(url, origin, deadline)
        if not self.robots[origin].can_fetch(self.options.user_agent, current):
            raise FetchError(url, f"robots.txt of {origin} disallows {current}",
                             "respect it, or pass --ignore-robots if you have the site's permission")

    def _robots_of(self, url: str, origin: str, deadline: float) -> urllib.robotparser.RobotFileParser:
        """The robots.txt rules of an origin: none when it has none, all-forbidding when it cannot be read."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            found = self._follow(f"{origin}/robots.txt", ("text/plain",), {}, deadline, _ROBOTS_BYTES, robots=False)
            rules.parse(found.text().splitlines())
        except FetchError as error:
            if error.status in (401, 403):
                rules.parse(["User-agent: *", "Disallow: /"])
            elif 400 <= error.status < 500 or error.problem.startswith("content type"):
                rules.parse([])
            else:
                raise FetchError(url, f"cannot read {origin}/robots.txt ({error.problem})",
                                 "try again later, or pass --ignore-robots") from error
        return rules


def _checked_url(url: str, current: str) -> SplitResult:
    """The parts of a URL khabar may request: http or https, with a host."""
    try:
        parts = urlsplit(current)
        parts.port  # noqa: B018 - parsing the port raises ValueError when it is not a number
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL: {current!r} ({exc})", "check the URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, f"only http and https URLs with a host are fetched, not {current!r}", "check the URL")
    return parts


def _content_type(header: str) -> tuple[str, str]:
    """The media type and charset of a Content-Type header."""
    media, _, rest = header.partition(";")
    charset = ""
    for parameter in rest.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def http_date(value: str) -> date | None:
    """The date of an HTTP date header, or None when it is absent or unreadable."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
