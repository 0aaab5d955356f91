"""Output formats: each registers under a name and writes incidents read from the store to a stream.

An exporter is a function ``(incidents, store, stream) -> None`` that consumes the incidents as
they stream from the store (memory stays flat) and writes its format to a text stream. The CLI
and, later, the HTTP API only look exporters up by name, as datasette looks up its renderers;
``register`` adds one without touching either.

Built in: ``jsonl`` (every incident record, one JSON object a line) and ``csv`` (one flat row per
incident, ``incident_row``).
"""

from __future__ import annotations

from khabar.errors import ConfigError
from khabar.export.basic import Exporter, incident_row, write_csv, write_jsonl

__all__ = ["Exporter", "builtin_exporters", "exporter_named", "incident_row"]


def builtin_exporters() -> dict[str, Exporter]:
    """The formats khabar ships, by name."""
    return {"jsonl": write_jsonl, "csv": write_csv}


def exporter_named(name: str, extra: dict[str, Exporter] | None = None) -> Exporter:
    """The exporter registered under ``name`` (built-in or given in ``extra``)."""
    known = {**builtin_exporters(), **(extra or {})}
    if name not in known:
        raise ConfigError(f"unknown export format {name!r}; known formats: {', '.join(sorted(known))}")
    return known[name]
