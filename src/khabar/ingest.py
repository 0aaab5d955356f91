"""The ingest stage: files in, clean ``Document`` records out.

Reads .txt, .md, .html/.htm and .jsonl files and directories of them. Each document gets a
stable content-hash ID. Publication date and outlet come from, in order: explicit metadata
(JSONL fields, HTML meta), front matter or a sidecar file (``NAME.meta.yaml`` or
``NAME.meta.json``), the URL, a dateline or header in the text; otherwise they stay unknown
and are flagged so. A file's modification time is never used.

Bad input never stops a batch: every problem becomes an ``InputError`` naming the file (and the
line, for JSONL), yielded in place of the document. Asked to, a directory read also names each file
it skips as unreadable (.docx, .pdf, ...), and the directory if it holds no article files at all;
hidden files, sidecars and README/LICENSE/CHANGELOG files are passed over without a word.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from khabar import time as timex
from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError, InputError
from khabar.records import Document

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})
_SKIPPED_NAMES = re.compile(r"^(readme|license|licence|changelog)(\.|$)", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_SIDECAR_SUFFIXES = (".meta.yaml", ".meta.json")
_BOILERPLATE_SCHEMA = Fields(required={"lines": [str], "trailers": [str]}, optional={"version": int})
_KINDS = ", ".join(sorted(SUFFIXES))
_OUTLET_PREFIX = re.compile(r"\A([A-Z][A-Za-z]{2,30})\s?[-–—]\s+(?=[A-Z])")
DEFAULT_MAX_BYTES = 20_000_000


@dataclass(slots=True, frozen=True)
class Meta:
    """Metadata found outside the text itself."""

    title: str = ""
    url: str = ""
    outlet: str = ""
    published: date | None = None
    source: str = "unknown"


def content_id(text: str) -> str:
    """A stable ID from a document's whitespace-normalised content."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


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


def read_paths(
    paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, *, name_skipped: bool = False,
    aids: ReadingAids | None = None,
) -> Iterator[Document | InputError]:
    """Documents from files and directories, with an InputError in place of each bad one.

    With ``name_skipped``, each unsupported file in a directory, and a directory with no article
    files, is an InputError too (callers that read other kinds of file themselves leave it off).
    ``aids`` are loaded once for the call when not given.
    """
    aids = aids or load_reading_aids()
    for path in paths:
        if not path.exists():
            yield InputError(str(path), "no such file or directory", "check the path")
        elif path.is_dir():
            yield from _read_directory(path, max_bytes, name_skipped, aids)
        else:
            yield from read_file(path, max_bytes, aids)


def _read_directory(directory: Path, max_bytes: int, name_skipped: bool,
                    aids: ReadingAids) -> Iterator[Document | InputError]:
    """Documents from the article files below a directory, naming the files it skips if asked to."""
    told = False
    for file in _walk(directory):
        if file.suffix.lower() in SUFFIXES:
            told = True
            yield from read_file(file, max_bytes, aids)
        elif name_skipped and not _is_hidden(file, directory):
            told = True
            yield _unsupported(file)
    if name_skipped and not told:
        yield InputError(str(directory), "no article files found", f"give {_KINDS} files or directories of them")


def _walk(directory: Path) -> Iterator[Path]:
    """Files below a directory, in a stable order, less README/LICENSE/CHANGELOG files and sidecars."""
    for file in sorted(directory.rglob("*")):
        if file.is_file() and not _SKIPPED_NAMES.match(file.name) and not _is_sidecar(file):
            yield file


def _is_sidecar(path: Path) -> bool:
    """Whether a file is a NAME.meta.yaml or NAME.meta.json metadata sidecar."""
    return path.name.lower().endswith(_SIDECAR_SUFFIXES)


def _is_hidden(path: Path, directory: Path) -> bool:
    """Whether a file below a directory is hidden (.DS_Store, .git/...), so not worth naming when skipped."""
    return any(part.startswith(".") for part in path.relative_to(directory).parts)


def _unsupported(path: Path) -> InputError:
    """The error for a file of a type khabar cannot read."""
    suffix = path.suffix.lower()
    return InputError(str(path), f"unsupported file type {suffix or '(none)'!r}, skipped",
                      f"convert it to one of {_KINDS}, or move it out of the way")


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES,
              aids: ReadingAids | None = None) -> Iterator[Document | InputError]:
    """Documents from one file (a JSONL file may hold many), or InputErrors for what is wrong."""
    aids = aids or load_reading_aids()
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield _unsupported(path)
        return
    try:
        raw = _read_text(path, max_bytes)
        if suffix == ".jsonl":
            yield from _from_jsonl(path, raw, aids)
        elif suffix in {".html", ".htm"}:
            yield _from_html(path, raw, aids)
        else:
            yield _from_plain(path, raw, aids)
    except InputError as error:
        yield error


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text, refusing files that are empty, too big, binary or not UTF-8."""
    size = path.stat().st_size
    if size == 0:
        raise InputError(str(path), "file is empty", "remove it or give it text")
    if size > max_bytes:
        raise InputError(str(path), f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
                         "split it into articles or raise KHABAR_MAX_BYTES")
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise InputError(str(path), "file is binary, not text", "give a .txt, .md, .html or .jsonl file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 (bad byte at offset {exc.start})",
                         "convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`") from exc
    if not text.strip():
        raise InputError(str(path), "file holds only whitespace", "remove it or give it text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _from_plain(path: Path, raw: str, aids: ReadingAids) -> Document:
    """A document from a .txt or .md file, with front matter or a sidecar if present."""
    meta, body = _front_matter(path, raw)
    if meta.source == "unknown":
        meta = _sidecar(path) or meta
    return _build(path, body, meta, aids)


def _from_html(path: Path, raw: str, aids: ReadingAids) -> Document:
    """A document from an HTML page: its main text via trafilatura and its metadata."""
    import trafilatura  # noqa: PLC0415 - heavy import, only for HTML input

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in the HTML", "check it is an article page")
    found = trafilatura.extract_metadata(raw)
    published = _as_date(found.date) if found is not None and found.date else None
    meta = Meta(
        title=(found.title or "") if found is not None else "",
        url=(found.url or "") if found is not None else "",
        outlet=(found.sitename or "") if found is not None else "",
        published=published,
        source="html" if published else "unknown",
    )
    return _build(path, text, meta, aids)


def _from_jsonl(path: Path, raw: str, aids: ReadingAids) -> Iterator[Document | InputError]:
    """Documents from a JSONL file, one per line; a bad line is an error naming its number."""
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg})", "fix or remove the line")
            continue
        if not isinstance(record, dict) or not str(record.get("text") or "").strip():
            yield InputError(where, "line has no 'text' field", "each line needs a JSON object with 'text'")
            continue
        try:
            document = _build(Path(where), str(record["text"]), _meta_from_mapping(record, "metadata"), aids)
        except InputError as error:
            yield error
            continue
        yield document


def _meta_from_mapping(data: dict[str, Any], source: str) -> Meta:
    """Metadata from a JSON object, front matter or sidecar mapping."""
    published = _as_date(data.get("published") or data.get("date"))
    return Meta(
        title=str(data.get("title") or ""),
        url=str(data.get("url") or ""),
        outlet=str(data.get("outlet") or data.get("source") or ""),
        published=published,
        source=source if published else "unknown",
    )


def _front_matter(path: Path, raw: str) -> tuple[Meta, str]:
    """Split YAML front matter from a text, if it has any."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return Meta(), raw
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"front matter is not valid YAML ({exc})", "fix the block between ---") from exc
    if not isinstance(data, dict):
        return Meta(), raw[match.end():]
    return _meta_from_mapping(data, "frontmatter"), raw[match.end():]


def _sidecar(path: Path) -> Meta | None:
    """Metadata from NAME.meta.yaml or NAME.meta.json beside a file."""
    for candidate in (path.with_suffix(".meta.yaml"), path.with_suffix(".meta.json")):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise InputError(str(candidate), f"sidecar is not valid YAML/JSON ({exc})") from exc
            if isinstance(data, dict):
                return _meta_from_mapping(data, "sidecar")
    return None


def _build(path: Path, text: str, meta: Meta, aids: ReadingAids) -> Document:
    """Clean the text and fill publication date and outlet from the best available source."""
    body = strip_boilerplate(text, aids).strip()
    if not body:
        raise InputError(str(path), "no text left after removing page furniture", "check the file's content")
    published, source, outlet = meta.published, meta.source, meta.outlet
    if published is None and meta.url:
        published = timex.publication_from_url(meta.url)
        source = "url" if published else source
    found = timex.publication_from_text(body, aids.dates)
    if found is not None:
        if published is None:
            published, source = found[0], found[2]
        outlet = outlet or found[1]
    outlet = outlet or _outlet_prefix(body)
    return Document(
        doc_id=content_id(body),
        text=body,
        title=meta.title,
        url=meta.url,
        outlet=outlet,
        published=published,
        published_source=source if published else "unknown",
        path=str(path),
    )


def _outlet_prefix(text: str) -> str:
    """An outlet named as a prefix of the first line, as in 'Outlet- Text begins'."""
    match = _OUTLET_PREFIX.match(text)
    return match.group(1) if match else ""


def strip_boilerplate(text: str, aids: ReadingAids | None = None) -> str:
    """Drop comment widgets, share buttons and source trailers from a text."""
    found = aids or load_reading_aids()
    lines, trailers = found.lines, found.trailers
    kept = [line for line in text.split("\n") if not any(p.match(line.strip()) for p in lines)]
    content = [i for i, line in enumerate(kept) if line.strip()]
    for i in content[-3:]:
        if any(p.match(kept[i].strip()) for p in trailers):
            kept[i] = ""
    return "\n".join(kept)


def _as_date(value: Any) -> date | None:
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
