"""Output formats: plugins that each register under a name and write what a filtered query streams.

A format is an ``ExportFormat``: a name, a one-line summary, the file suffix it suggests and a
writer. Stream formats write text to a stream (``write``); folder formats (Parquet) write files
under a directory (``write_folder``). Writers take an ``Archive`` and ``Filters`` and consume
records as the archive streams them, so memory stays flat. The CLI and, later, the HTTP API only
look formats up by name, as datasette looks up its renderers: ``format_named(name, extra)`` finds a
built-in format or one of the caller's own, without touching either.

Built in: ``jsonl``, ``csv``, ``acled``, ``ucdp``, ``geojson``, ``stix``, ``graphml`` and ``parquet``
(one module each). Every text value from a source is escaped for its format: CSV cells that a
spreadsheet would run as formulas get a leading apostrophe, XML and JSON use their own escaping.
"""

from __future__ import annotations

from khabar.errors import ConfigError
from khabar.export import acled, basic, geojson, graphml, parquet, stix, ucdp
from khabar.export.basic import incident_row
from khabar.export.common import csv_cell
from khabar.export.format import ExportFormat, FolderWriter, StreamWriter, export

__all__ = ["ExportFormat", "FolderWriter", "StreamWriter", "builtin_formats", "csv_cell", "export", "format_named",
           "incident_row"]


def builtin_formats() -> dict[str, ExportFormat]:
    """The formats khabar ships, by name."""
    formats = (basic.JSONL, basic.CSV, acled.FORMAT, ucdp.FORMAT, geojson.FORMAT, stix.FORMAT, graphml.FORMAT,
               parquet.FORMAT)
    return {f.name: f for f in formats}


def format_named(name: str, extra: dict[str, ExportFormat] | None = None) -> ExportFormat:
    """The format registered under ``name`` (built-in or given in ``extra``)."""
    known = {**builtin_formats(), **(extra or {})}
    if name not in known:
        raise ConfigError(f"unknown export format {name!r}; known formats: {', '.join(sorted(known))}")
    return known[name]
