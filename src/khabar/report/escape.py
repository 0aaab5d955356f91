"""Escaping for text that comes from sources (outlets, titles, sentences, names) before it enters a report.

A source can hold anything: ``<script>``, a ``javascript:`` link, a Markdown heading in an outlet's
name, an already-escaped ``&lt;img onerror&gt;`` that must stay text. Markdown escaping writes every
character a renderer could act on as an entity or a backslash escape, on one line; HTML escaping
goes through ``html.escape``; links are only made for http(s) URLs.
"""

from __future__ import annotations

import html
import re

MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
SAFE_SCHEMES = ("http://", "https://")


def md(text: str) -> str:
    """Source text safe inline in Markdown: one line, HTML characters as entities, Markdown syntax escaped."""
    flat = " ".join(str(text).split())
    entities = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MD_SPECIAL.sub(r"\\\1", entities)


def md_cell(text: str) -> str:
    """Source text safe in a Markdown table cell."""
    return md(text)


def h(text: object) -> str:
    """Source text safe in HTML text or a quoted attribute."""
    return html.escape(" ".join(str(text).split()), quote=True)


def safe_url(url: str) -> str:
    """The URL when it is http(s), else "" (no javascript:, data: or relative links from sources)."""
    clean = url.strip()
    return clean if clean.lower().startswith(SAFE_SCHEMES) and not any(c in clean for c in '"<> \n\t') else ""
