"""Text as the pipeline sees it: valid Unicode, hostile shapes bounded, long documents split into parts.

Work the later stages do grows with the length of a document, of its sentences and of its words
(spaCy's tokenizer strips punctuation one character at a time, so a run of punctuation costs the
square of its length). ``bounded`` breaks only what is over a limit; ``parts`` splits a document
over ``max_chars`` at paragraph breaks. A text under every limit comes back unchanged, so normal
articles are analysed exactly as before. Every pass is a single linear scan.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from khabar.safeload import ParseLimits
from khabar.settings import Settings

DEFAULT_MAX_BYTES = 20_000_000
_CUTS = ("\n\n", "\n", ". ", " ")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOKENISH = re.compile(r"\w+|[^\w\s]")


@dataclass(slots=True, frozen=True)
class Limits:
    """How much of one input khabar reads and analyses (the ``max_*`` settings)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = 50_000
    max_tokens: int = 20_000
    max_sentence_chars: int = 2_000
    max_token_chars: int = 200
    max_punctuation_run: int = 64
    max_meta_bytes: int = 65_536
    max_record_bytes: int = 5_000_000
    max_depth: int = 64
    max_yaml_nodes: int = 100_000
    max_digits: int = 100

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits the settings ask for."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})

    def meta(self) -> ParseLimits:
        """Parsing limits for front matter and sidecars."""
        return ParseLimits(self.max_meta_bytes, self.max_depth, self.max_yaml_nodes, self.max_digits)

    def record(self) -> ParseLimits:
        """Parsing limits for one JSONL line."""
        return ParseLimits(self.max_record_bytes, self.max_depth, self.max_yaml_nodes, self.max_digits)


def content_id(text: str) -> str:
    """A stable ID from a document's whitespace-normalised content."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def valid_unicode(text: str) -> str:
    """The text with any lone surrogate (from a JSON escape or a file name) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def shown(path: Path | str) -> str:
    """A path as text that can be printed and stored: bytes that are not UTF-8 become backslash escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def bounded(text: str, limits: Limits) -> str:
    """The text with over-long punctuation runs, words and sentences broken; unchanged when under the limits."""
    punct, word, sentence = limits.max_punctuation_run, limits.max_token_chars, limits.max_sentence_chars
    text = _rewrite(text, re.compile(rf"(?<![^\w\s])[^\w\s]{{{punct + 1},}}"), lambda run: _spaced(run, punct))
    text = _rewrite(text, re.compile(rf"(?<!\S)\S{{{word + 1},}}"), lambda run: _spaced(run, word))
    return _rewrite(text, re.compile(rf"(?<![.!?\n])[^.!?\n]{{{sentence + 1},}}"),
                    lambda run: _broken_lines(run, sentence))


def _rewrite(text: str, pattern: re.Pattern[str], change: Callable[[str], str]) -> str:
    """The text with every match of a pattern changed; the text itself when nothing matches."""
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda match: change(match.group()), text)


def _spaced(run: str, size: int) -> str:
    """A run of characters with a space after every ``size`` of them."""
    return " ".join(run[i : i + size] for i in range(0, len(run), size))


def _broken_lines(run: str, size: int) -> str:
    """A stretch without sentence ends, with a space turned into a line break at least every ``size`` characters."""
    chars = list(run)
    start = 0
    while len(run) - start > size:
        cut = run.rfind(" ", start + 1, start + size + 1)
        if cut < 0:
            cut = next((i for i in range(start + size, len(run)) if run[i].isspace()), len(run))
            if cut == len(run):
                break
        chars[cut] = "\n"
        start = cut + 1
    return "".join(chars)


def estimated_tokens(text: str) -> int:
    """About how many tokens spaCy makes of a text: its words and its punctuation marks."""
    return len(_TOKENISH.findall(text))


def parts(text: str, max_chars: int, max_tokens: int = 20_000) -> list[str]:
    """The text in pieces of at most ``max_chars`` characters and about ``max_tokens`` tokens.

    Each piece is cut at a paragraph break, else a line, sentence or word end, in its second half.
    """
    if len(text) <= max_chars and estimated_tokens(text) <= max_tokens:
        return [text]
    pieces = []
    start = 0
    while True:
        limit = _limit(text, start, max_chars, max_tokens)
        if limit >= len(text):
            break
        end = _cut(text, start, limit)
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _limit(text: str, start: int, max_chars: int, max_tokens: int) -> int:
    """Where a piece starting at ``start`` must end at the latest: ``max_chars`` on, or sooner at ``max_tokens``."""
    window = text[start : start + max_chars]
    for number, match in enumerate(_TOKENISH.finditer(window)):
        if number == max_tokens:
            return start + max(1, match.start())
    return start + len(window)


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece that starts at ``start``: after the last good break before ``limit``."""
    floor = start + (limit - start) // 2
    for mark in _CUTS:
        found = text.rfind(mark, floor, limit)
        if found >= 0:
            return found + len(mark)
    return limit
