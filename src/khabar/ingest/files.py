"""Reading article files and directories, one contained input at a time.

Whatever goes wrong with one file (an unreadable file or sidecar, a name that is not UTF-8 or too
long, malformed or hostile YAML or JSON, a bug) becomes an ``InputError`` naming it, yielded in
place of its documents, and the next file is read. Asked to, a directory read also names what it
passes over: files of other types, FIFOs and devices, broken links, links to directories,
directories it cannot list, and the directory itself when it holds no article files. Hidden files,
sidecars and README/LICENSE/CHANGELOG files are passed over without a word.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from khabar.errors import InputError, ParseError
from khabar.ingest.documents import Meta, ReadingAids, as_date, build, load_reading_aids, meta_from_mapping
from khabar.ingest.text import DEFAULT_MAX_BYTES, Limits, shown
from khabar.records import Document
from khabar.safeload import load_json, load_yaml

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})
_SKIPPED_NAMES = re.compile(r"^(readme|license|licence|changelog)(\.|$)", re.IGNORECASE)
_SIDECAR_SUFFIXES = (".meta.yaml", ".meta.json")
_KINDS = ", ".join(sorted(SUFFIXES))
_BUG = "this is a khabar bug: please report it with the file; run with --debug for the traceback"


def read_paths(
    paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, *, name_skipped: bool = False,
    aids: ReadingAids | None = None, limits: Limits | None = None,
) -> Iterator[Document | InputError]:
    """Documents from files and directories, with an InputError in place of each bad one.

    With ``name_skipped``, each file in a directory that is passed over, and a directory with no
    article files, is an InputError too (callers that read other kinds of file themselves leave it
    off). ``aids`` are loaded once for the call when not given; ``limits`` default to
    ``Limits(max_bytes=max_bytes)``.
    """
    aids = aids or load_reading_aids()
    limits = limits or Limits(max_bytes=max_bytes)
    for path in paths:
        try:
            kind = _kind(path)
        except OSError as error:
            yield _os_problem(path, error)
            continue
        if kind == "directory":
            yield from _read_directory(path, name_skipped, aids, limits)
        elif kind == "file":
            yield from read_file(path, limits.max_bytes, aids, limits)
        else:
            yield _odd_entry(path, kind)


def _kind(path: Path) -> str:
    """What a path is: file, directory, missing, broken link, link to a directory, or another kind of entry."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        try:
            info = path.stat()
        except FileNotFoundError:
            return "broken link"
    if stat.S_ISDIR(info.st_mode):
        return "directory"
    return "file" if stat.S_ISREG(info.st_mode) else _special(info.st_mode)


def _special(mode: int) -> str:
    """The name of a kind of entry that is neither a file nor a directory."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


def _odd_entry(path: Path, kind: str) -> InputError:
    """The error for a path that is not a file or directory khabar can read."""
    if kind == "missing":
        return InputError(shown(path), "no such file or directory", "check the path")
    if kind == "broken link":
        return InputError(shown(path), "broken symbolic link, skipped", "fix the link or remove it")
    if kind == "link to directory":
        return InputError(shown(path), "symbolic link to a directory, not followed",
                          "give the directory itself if you want it read")
    if kind == "unlistable":
        return InputError(shown(path), "directory cannot be listed, skipped", "check its permissions")
    if kind == "unreadable":
        return InputError(shown(path), "cannot be examined, skipped", "check its permissions and its name")
    return InputError(shown(path), f"not a regular file but a {kind}, skipped", "give regular files")


def _os_problem(path: Path, error: OSError) -> InputError:
    """The error for a path the system refused to read."""
    reason = error.strerror or str(error)
    if isinstance(error, PermissionError):
        return InputError(shown(path), f"cannot be read ({reason})", "check its permissions")
    return InputError(shown(path), f"cannot be read ({reason})", "check the path, its name and the disk")


def _read_directory(directory: Path, name_skipped: bool, aids: ReadingAids,
                    limits: Limits) -> Iterator[Document | InputError]:
    """Documents from the article files below a directory, naming the entries it passes over if asked to."""
    told = False
    for path, kind in _walk(directory):
        if kind == "file" and path.suffix.lower() in SUFFIXES:
            told = True
            yield from read_file(path, limits.max_bytes, aids, limits)
        elif name_skipped and not _is_hidden(path, directory):
            told = True
            yield _unsupported(path) if kind == "file" else _odd_entry(path, kind)
    if name_skipped and not told:
        yield InputError(shown(directory), "no article files found", f"give {_KINDS} files or directories of them")


def _walk(directory: Path) -> list[tuple[Path, str]]:
    """Every entry below a directory with its kind, in a stable order, less README-like files and sidecars.

    Links to directories are not followed (a link may loop); directories that cannot be listed are
    entries of their own, kind ``unlistable``.
    """
    found: list[tuple[Path, str]] = []
    pending = [directory]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [Path(entry.path) for entry in entries]
        except OSError:
            found.append((folder, "unlistable"))
            continue
        for path in listed:
            kind = _entry_kind(path)
            if kind == "directory":
                pending.append(path)
            elif not _SKIPPED_NAMES.match(path.name) and not _is_sidecar(path):
                found.append((path, kind))
    return sorted(found, key=lambda item: item[0].parts)


def _entry_kind(path: Path) -> str:
    """An entry's kind, where a link to a directory is a kind of its own and a system error is ``unreadable``."""
    try:
        if path.is_symlink() and path.is_dir():
            return "link to directory"
        return _kind(path)
    except OSError:
        return "unreadable"


def _is_sidecar(path: Path) -> bool:
    """Whether a file is a NAME.meta.yaml or NAME.meta.json metadata sidecar."""
    return path.name.lower().endswith(_SIDECAR_SUFFIXES)


def _is_hidden(path: Path, directory: Path) -> bool:
    """Whether a file below a directory is hidden (.DS_Store, .git/...), so not worth naming when skipped."""
    return any(part.startswith(".") for part in path.relative_to(directory).parts)


def _unsupported(path: Path) -> InputError:
    """The error for a file of a type khabar cannot read."""
    suffix = shown(path.suffix.lower())
    return InputError(shown(path), f"unsupported file type {suffix or '(none)'!r}, skipped",
                      f"convert it to one of {_KINDS}, or move it out of the way")


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, aids: ReadingAids | None = None,
              limits: Limits | None = None) -> Iterator[Document | InputError]:
    """Documents from one file (a JSONL file may hold many), or InputErrors for what is wrong; never raises."""
    aids = aids or load_reading_aids()
    limits = limits or Limits(max_bytes=max_bytes)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield _unsupported(path)
        return
    try:
        raw = _read_text(path, limits.max_bytes)
        if suffix == ".jsonl":
            yield from _from_jsonl(path, raw, aids, limits)
        elif suffix in {".html", ".htm"}:
            yield from from_html(shown(path), raw, Meta(), aids, limits)
        else:
            yield from _from_plain(path, raw, aids, limits)
    except InputError as error:
        yield error
    except OSError as error:
        yield _os_problem(path, error)
    except Exception as error:  # one input's failure must never stop the batch
        yield contained(shown(path), error)


def contained(where: str, error: Exception) -> InputError:
    """An unexpected failure on one input as an InputError that asks for a bug report."""
    return InputError(where, f"could not be read ({type(error).__name__}: {_brief(error)})", _BUG)


def _brief(error: Exception) -> str:
    """An exception's message on one short line."""
    return " ".join(str(error).split())[:200]


def _read_text(path: Path, max_bytes: int) -> str:
    """The file's text, refusing files that are not regular, empty, too big, binary or not UTF-8."""
    where = shown(path)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the batch
    with open(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _odd_entry(path, _special(info.st_mode))
        if info.st_size > max_bytes:
            raise _too_big(where, info.st_size, max_bytes)
        data = stream.read(max_bytes + 1)
    if not data:
        raise InputError(where, "file is empty", "remove it or give it text")
    if len(data) > max_bytes:
        raise _too_big(where, len(data), max_bytes)
    if b"\x00" in data[:65536]:
        raise InputError(where, "file is binary, not text", "give a .txt, .md, .html or .jsonl file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not valid UTF-8 (bad byte at offset {exc.start})",
                         "convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`") from exc
    if not text.strip():
        raise InputError(where, "file holds only whitespace", "remove it or give it text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_big(where: str, size: int, max_bytes: int) -> InputError:
    """The error for a file over the size limit."""
    return InputError(where, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
                      "split it into articles or raise KHABAR_MAX_BYTES")


def _from_plain(path: Path, raw: str, aids: ReadingAids, limits: Limits) -> list[Document]:
    """Documents from a .txt or .md file, with front matter or a sidecar if present."""
    meta, body = front_matter(shown(path), raw, limits)
    if meta.source == "unknown":
        meta = _sidecar(path, limits) or meta
    return build(shown(path), body, meta, aids, limits)


def from_html(where: str, raw: str, meta: Meta, aids: ReadingAids, limits: Limits) -> list[Document]:
    """Documents from an HTML page: its main text via trafilatura, its metadata over what ``meta`` says."""
    import trafilatura  # noqa: PLC0415 - heavy import, only for HTML input

    text = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(where, "no article text found in the HTML", "check it is an article page")
    found = trafilatura.extract_metadata(raw)
    published = as_date(found.date) if found is not None and found.date else None
    if found is not None:
        meta = Meta(title=found.title or meta.title, url=found.url or meta.url, outlet=found.sitename or meta.outlet,
                    published=published or meta.published, source="html" if published else meta.source,
                    final_url=meta.final_url, last_modified=meta.last_modified, served=meta.served)
    return build(where, text, meta, aids, limits)


def _from_jsonl(path: Path, raw: str, aids: ReadingAids, limits: Limits) -> Iterator[Document | InputError]:
    """Documents from a JSONL file, one per line; a bad line is an error naming its number."""
    for number, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{shown(path)}:{number}"
        try:
            yield from _from_json_line(where, line, aids, limits)
        except InputError as error:
            yield error
        except Exception as error:  # one line's failure must never stop the file
            yield contained(where, error)


def _from_json_line(where: str, line: str, aids: ReadingAids, limits: Limits) -> list[Document]:
    """The documents of one JSONL line."""
    try:
        record = load_json(line, limits.record())
    except ParseError as error:
        raise InputError(where, error.problem, error.fix) from error
    text = record.get("text") if isinstance(record, dict) else None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "line has no 'text' field", "each line needs a JSON object with 'text'")
    return build(where, text, meta_from_mapping(record, "metadata"), aids, limits)


def front_matter(where: str, raw: str, limits: Limits) -> tuple[Meta, str]:
    """Split YAML front matter (a block fenced by ``---`` lines at the very start) from a text."""
    split = _fenced(raw)
    if split is None:
        return Meta(), raw
    block, body = split
    try:
        data = load_yaml(block, limits.meta())
    except ParseError as error:
        raise InputError(where, f"front matter: {error.problem}", f"{error.fix} between the --- lines") from error
    if not isinstance(data, dict):
        return Meta(), body
    return meta_from_mapping(data, "frontmatter"), body


def _fenced(raw: str) -> tuple[str, str] | None:
    """The block between an opening ``---`` line and the next ``---`` line, and the text after it."""
    first = raw.find("\n")
    if not raw.startswith("---") or first < 0 or raw[3:first].strip():
        return None
    search = first
    while (found := raw.find("\n---", search)) >= 0:
        end = raw.find("\n", found + 4)
        rest = raw[found + 4 : end if end >= 0 else len(raw)]
        if not rest.strip():
            return raw[first + 1 : found], raw[end + 1 :] if end >= 0 else ""
        search = found + 1
    return None


def _sidecar(path: Path, limits: Limits) -> Meta | None:
    """Metadata from NAME.meta.yaml or NAME.meta.json beside a file."""
    for candidate in _sidecar_names(path):
        if _kind(candidate) != "file":
            continue
        where = shown(candidate)
        size = candidate.stat().st_size
        if size > limits.max_meta_bytes:
            raise InputError(where, f"sidecar is {size:,} bytes, over the limit of {limits.max_meta_bytes:,}",
                             "shorten it or raise KHABAR_MAX_META_BYTES")
        try:
            data = load_yaml(candidate.read_bytes().decode("utf-8"), limits.meta())
        except UnicodeDecodeError as error:
            raise InputError(where, "sidecar is not valid UTF-8", "convert it to UTF-8") from error
        except ParseError as error:
            raise InputError(where, f"sidecar: {error.problem}", error.fix) from error
        except OSError as error:
            raise InputError(where, f"sidecar cannot be read ({error.strerror or error})",
                             "check its permissions, or remove it") from error
        if isinstance(data, dict):
            return meta_from_mapping(data, "sidecar")
    return None


def _sidecar_names(path: Path) -> list[Path]:
    """Where a file's sidecars would be; none when the name is too long to have one."""
    try:
        names = [path.with_suffix(".meta.yaml"), path.with_suffix(".meta.json")]
    except ValueError:
        return []
    return [name for name in names if len(os.fsencode(name.name)) <= 255]
