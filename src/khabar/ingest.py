"""The ingest stage (being written)."""

from __future__ import annotations

import hashlib


def content_id(text: str) -> str:
    """A stable ID from a document's normalised content."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
