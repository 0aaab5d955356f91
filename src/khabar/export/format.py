"""The one interface every export format registers behind, and the call that runs one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from khabar.errors import ConfigError
from khabar.query import Archive, Filters

StreamWriter = Callable[[Archive, Filters, TextIO], None]
FolderWriter = Callable[[Archive, Filters, Path], None]


@dataclass(slots=True, frozen=True)
class ExportFormat:
    """An output format: its name, what it is, the suffix it suggests, and exactly one writer."""

    name: str
    summary: str
    suffix: str
    write: StreamWriter | None = None
    write_folder: FolderWriter | None = None

    def __post_init__(self) -> None:
        """A format writes either a stream or a folder."""
        if (self.write is None) == (self.write_folder is None):
            raise ConfigError(f"export format {self.name!r} must give exactly one of write and write_folder")


def export(archive: Archive, filters: Filters, fmt: ExportFormat, output: Path | None,
           stream: TextIO | None = None) -> None:
    """Write the filtered records in a format to a file, a folder, or a stream (standard output by default)."""
    if fmt.write_folder is not None:
        if output is None:
            raise ConfigError(f"format {fmt.name} writes a folder of files; give one with -o DIR")
        if output.exists() and not output.is_dir():
            raise ConfigError(f"{output} is a file; format {fmt.name} writes a folder, so give -o a folder path")
        output.mkdir(parents=True, exist_ok=True)
        fmt.write_folder(archive, filters, output)
        return
    assert fmt.write is not None  # checked when the format was made
    if output is None:
        fmt.write(archive, filters, stream or sys.stdout)
        return
    if output.is_dir():
        raise ConfigError(f"{output} is a folder; format {fmt.name} writes one file, so give -o a file path")
    with output.open("w", encoding="utf-8", newline="") as handle:
        fmt.write(archive, filters, handle)
