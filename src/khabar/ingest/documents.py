"""From text and metadata to ``Document`` records: boilerplate removed, publication date and outlet found.

The publication-date cascade, highest first: explicit metadata (JSONL fields, HTML meta, a feed
entry's date), front matter or a sidecar, the URL (as given, then as finally served), a dateline or
header in the text, and last the HTTP dates of a fetched page (``Last-Modified``, then ``Date``).
When none gives a date it stays unknown and is flagged so; a file's modification time is never used.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from khabar import time as timex
from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError, InputError
from khabar.ingest.text import Limits, bounded, content_id, parts, valid_unicode
from khabar.records import Document

_BOILERPLATE_SCHEMA = Fields(required={"lines": [str], "trailers": [str]}, optional={"version": int})
_OUTLET_PREFIX = re.compile(r"\A([A-Z][A-Za-z]{2,30})\s?[-–—]\s+(?=[A-Z])")
_LONGEST_FURNITURE = 2_000  # page furniture is a short line; longer lines are never tested against the patterns
_LONGEST_META = 2_000
# A site's name after a page title: "Headline - Outlet", "Headline | Outlet | City", "Headline ~ OUTLET"
_TITLE_SEPARATOR = re.compile(r"\s+[|~\-–—•]\s+")
_SHORTEST_HEADLINE = 3  # words; a shorter title is a site or section name
_HEADLINE_WINDOW = 600  # characters of the body a headline printed with the text sits in
_WORD = re.compile(r"\w+")
# a word after a word or comma: one that does not open a sentence, so its capital means a name
_MID_SENTENCE_WORD = re.compile(r"(?<=[\w,;] )([A-Za-z][a-z]+)\b")
_TITLE_CASE_SHARE = 0.8  # of a title's words over three letters capitalised: the title is in Title Case
_SCALARS = (str, int, float, date)


@dataclass(slots=True, frozen=True)
class Meta:
    """Metadata found outside the text itself."""

    title: str = ""
    url: str = ""
    outlet: str = ""
    published: date | None = None
    source: str = "unknown"
    final_url: str = ""
    last_modified: date | None = None
    served: date | None = None


@dataclass(slots=True, frozen=True)
class ReadingAids:
    """What reading articles needs from data: boilerplate patterns and the date words of headers."""

    lines: tuple[re.Pattern[str], ...]
    trailers: tuple[re.Pattern[str], ...]
    dates: timex.TimeLexicon


def load_reading_aids() -> ReadingAids:
    """The packaged boilerplate patterns (``lexicons/boilerplate.yaml``) and time lexicon."""
    data = read_packaged_yaml("lexicons", "boilerplate.yaml", schema=_BOILERPLATE_SCHEMA)
    try:
        lines = tuple(re.compile(p, re.IGNORECASE) for p in data["lines"])
        trailers = tuple(re.compile(p, re.IGNORECASE) for p in data["trailers"])
    except re.error as exc:
        raise DataError(f"lexicons/boilerplate.yaml: invalid pattern ({exc}); fix the 'lines'/'trailers' lists"
                        ) from exc
    return ReadingAids(lines, trailers, timex.load_lexicon())


def build(where: str, text: str, meta: Meta, aids: ReadingAids, limits: Limits) -> list[Document]:
    """Documents from one text: cleaned, bounded, dated, and split into parts when over ``max_chars`` or ``max_tokens``.

    Parts share the title, URL, outlet and date of the whole and are recorded as ``WHERE#partN``.
    """
    meta = _clean(meta)
    page = strip_boilerplate(valid_unicode(text), aids).strip()
    body = bounded(with_headline(page, headline(meta.title, aids)), limits)
    if not body:
        raise InputError(where, "no text left after removing page furniture", "check the file's content")
    document = _dated(where, body, page, meta, aids)
    pieces = parts(body, limits.max_chars, limits.max_tokens)
    if len(pieces) == 1:
        return [document]
    return [replace(document, doc_id=content_id(piece), text=piece, path=f"{where}#part{n}")
            for n, piece in enumerate(pieces, start=1)]


def headline(title: str, aids: ReadingAids) -> str:
    """A page title without the site's name after it ("Man held after shooting - Outlet" keeps the first part).

    Page furniture ("Sign in", "Facebook") and titles under three words give ''.
    """
    segments = _TITLE_SEPARATOR.split(" ".join(title.split()))
    kept = segments[0]
    for part in segments[1:]:
        if len(kept.split()) >= _SHORTEST_HEADLINE:
            break
        kept = f"{kept} - {part}"
    if len(kept.split()) < _SHORTEST_HEADLINE or _furniture(kept, aids.lines):
        return ""
    return kept


def with_headline(body: str, title: str) -> str:
    """The body led by its headline when the page kept the headline apart from the text.

    Headlines name the incident an article is about, and a page may keep little else; a body that
    already opens with its headline (within its first lines) is left as it is.
    """
    if not title or _leads(body, title):
        return body
    return f"{sentence_case(title, body)}\n\n{body}" if body else title


def sentence_case(title: str, body: str) -> str:
    """A Title Case headline with its words lowered unless the body writes them as names ("Man Shot" -> "Man shot").

    Capitals in such a headline mean nothing, and read as names they make a "Man Shot" a person; the
    body tells the words that are names (written capitalised mid-sentence, more often than not) from
    those that are not. A word the body never writes capitalised is taken for a common word.
    """
    words = list(_WORD.finditer(title))
    long_words = [w.group() for w in words if len(w.group()) > 3 and w.group().isalpha()]
    if not body or not long_words or sum(w[0].isupper() for w in long_words) < _TITLE_CASE_SHARE * len(long_words):
        return title
    lower, upper = Counter[str](), Counter[str]()
    for found in _MID_SENTENCE_WORD.finditer(body):
        word = found.group(1)
        (upper if word[0].isupper() else lower)[word.lower()] += 1
    out = list(title)
    for found in words[1:]:
        word = found.group()
        if word[0].isupper() and word[1:].islower() and lower[word.lower()] >= upper[word.lower()]:
            out[found.start()] = word[0].lower()
    return "".join(out)


def _leads(body: str, title: str) -> bool:
    """Whether the body's opening already holds the headline (compared word by word, case and punctuation aside)."""
    words = " ".join(_WORD.findall(title.lower()))
    return bool(words) and words in " ".join(_WORD.findall(body[:_HEADLINE_WINDOW].lower()))


def _dated(where: str, body: str, page: str, meta: Meta, aids: ReadingAids) -> Document:
    """The document with its publication date and outlet from the best available source.

    Dates and outlets printed in the text are looked for in the page as it came, before any headline was added.
    """
    published, source, outlet = meta.published, meta.source, meta.outlet
    for url in (meta.url, meta.final_url):
        if published is None and url:
            published = timex.publication_from_url(url)
            source = "url" if published else source
    found = timex.publication_from_text(page, aids.dates)
    if found is not None:
        if published is None:
            published, source = found[0], found[2]
        outlet = outlet or found[1]
    for fallback, name in ((meta.last_modified, "http-last-modified"), (meta.served, "http-date")):
        if published is None and fallback is not None:
            published, source = fallback, name
    return Document(
        doc_id=content_id(body),
        text=body,
        title=meta.title,
        url=meta.final_url or meta.url,
        outlet=outlet or _outlet_prefix(page),
        published=published,
        published_source=source if published else "unknown",
        path=where,
    )


def _clean(meta: Meta) -> Meta:
    """Metadata whose texts are valid Unicode and of a sane length."""
    return replace(meta, title=_short(meta.title), url=_short(meta.url), outlet=_short(meta.outlet),
                   final_url=_short(meta.final_url))


def _short(value: str) -> str:
    """A metadata text as valid Unicode, at most 2,000 characters."""
    return valid_unicode(value[:_LONGEST_META])


def _outlet_prefix(text: str) -> str:
    """An outlet named as a prefix of the first line, as in 'Outlet- Text begins'."""
    match = _OUTLET_PREFIX.match(text)
    return match.group(1) if match else ""


def strip_boilerplate(text: str, aids: ReadingAids | None = None) -> str:
    """Drop comment widgets, share buttons and source trailers from a text."""
    found = aids or load_reading_aids()
    lines, trailers = found.lines, found.trailers
    kept = [line for line in text.split("\n") if not _furniture(line, lines)]
    content = [i for i, line in enumerate(kept) if line.strip()]
    for i in content[-3:]:
        if _furniture(kept[i], trailers):
            kept[i] = ""
    return "\n".join(kept)


def _furniture(line: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether a (short) line matches one of the page-furniture patterns."""
    if len(line) > _LONGEST_FURNITURE:
        return False
    stripped = line.strip()
    return any(p.match(stripped) for p in patterns)


def meta_from_mapping(data: dict[Any, Any], source: str) -> Meta:
    """Metadata from a JSON object, front matter or sidecar mapping; values that are not text are ignored."""
    published = as_date(data.get("published") or data.get("date"))
    return Meta(
        title=_text(data.get("title")),
        url=_text(data.get("url")),
        outlet=_text(data.get("outlet") or data.get("source")),
        published=published,
        source=source if published else "unknown",
    )


def _text(value: Any) -> str:
    """A metadata value as text; lists, mappings and nothing give ''."""
    return str(value) if isinstance(value, _SCALARS) and not isinstance(value, bool) else ""


def as_date(value: Any) -> date | None:
    """A date from a metadata value (date, datetime or ISO-like string), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def with_path(document: Document, path: str) -> Document:
    """The same document recorded under another path."""
    return replace(document, path=path)
