"""The ingest stage: files, URLs and feeds in, clean ``Document`` records out.

Reads .txt, .md, .html/.htm and .jsonl files and directories of them (``files``), web pages
fetched over HTTP(S) (``fetch``, guarded by ``ssrf``) and the articles that RSS/Atom feeds and
sitemaps list (``feeds``). Each document gets a stable content-hash ID; the publication-date
cascade is described in ``documents``. Hostile input is bounded (``text``, ``khabar.safeload``):
sizes, depths, aliases, numbers, words, sentences and document length all have limits, and a
document over ``max_chars`` is analysed in parts.

Bad input never stops a batch: every problem becomes an ``InputError`` naming the file (and the
line, for JSONL), yielded in place of the document.
"""

from khabar.ingest.documents import Meta, ReadingAids, build, load_reading_aids, strip_boilerplate, with_path
from khabar.ingest.files import SUFFIXES, contained, read_file, read_paths
from khabar.ingest.text import (
    DEFAULT_MAX_BYTES,
    Limits,
    bounded,
    content_id,
    estimated_tokens,
    parts,
    shown,
    valid_unicode,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUFFIXES",
    "Limits",
    "Meta",
    "ReadingAids",
    "bounded",
    "build",
    "contained",
    "content_id",
    "estimated_tokens",
    "load_reading_aids",
    "parts",
    "read_file",
    "read_paths",
    "shown",
    "strip_boilerplate",
    "valid_unicode",
    "with_path",
]
