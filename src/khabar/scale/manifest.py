"""The manifest of a run directory: one JSON line per finished batch, appended after its files are in place.

A batch is done when its line is in ``manifest.jsonl``, and only then: its Parquet parts were
renamed into place before the line was written (and the line is flushed to disk before the next
batch is recorded). A line cut short by a crash is ignored, and cut off when a run resumes; a
part no line names is a leftover, removed when a run resumes (``remove_leftovers``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError
from khabar.records import as_dict, from_dict

log = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"


@dataclass(slots=True, frozen=True)
class FailedDocument:
    """A document the pipeline could not analyse: recorded as done, so a re-run does not try it again."""

    doc_id: str
    path: str
    stage: str
    message: str


@dataclass(slots=True, frozen=True)
class BatchRecord:
    """One finished batch: the documents written, those that failed, its Parquet parts and analysis seconds."""

    key: str
    documents: tuple[str, ...]
    failures: tuple[FailedDocument, ...] = ()
    files: tuple[str, ...] = ()
    seconds: float = 0.0
    worker: str = ""


@dataclass(slots=True)
class Manifest:
    """The batches a run directory holds, read from its manifest; ``record`` appends one."""

    out: Path
    batches: list[BatchRecord]

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest of a run directory, which must exist (for readers such as ``khabar merge DIR``)."""
        path = out / MANIFEST
        if not path.is_file():
            raise InputError(str(out), f"no {MANIFEST} here, so no finished batches",
                             "give the --out directory of a `khabar run`")
        return cls(out, [record for record, _ in _lines(path)])

    @classmethod
    def open(cls, out: Path) -> Manifest:
        """The manifest of a run directory to resume (or a new one), with a line cut short by a crash cut off."""
        out.mkdir(parents=True, exist_ok=True)
        path = out / MANIFEST
        if not path.exists():
            path.touch()
        batches, good = [], 0
        for record, end in _lines(path):
            batches.append(record)
            good = end
        if good < path.stat().st_size:
            log.warning("%s: dropping an unfinished last line left by an interrupted run", path)
            os.truncate(path, good)
        return cls(out, batches)

    def done(self) -> set[str]:
        """Ids of the documents written or failed in a recorded batch."""
        return {d for b in self.batches for d in b.documents} | {f.doc_id for b in self.batches for f in b.failures}

    def files(self) -> set[str]:
        """The parts the recorded batches name, as paths inside the run directory."""
        return {f for b in self.batches for f in b.files}

    def record(self, batch: BatchRecord) -> None:
        """Append a finished batch and flush it to disk."""
        with (self.out / MANIFEST).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(as_dict(batch), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.batches.append(batch)


def _lines(path: Path) -> Iterator[tuple[BatchRecord, int]]:
    """The batches of a manifest file with the byte offset after each; stops at a line cut short."""
    offset = 0
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                return
            try:
                record = from_dict(BatchRecord, json.loads(raw))
            except (ValueError, TypeError, KeyError):
                return
            offset += len(raw)
            yield record, offset


def remove_leftovers(manifest: Manifest) -> list[Path]:
    """Delete the parts and temporary files no recorded batch names; returns what was deleted."""
    keep = manifest.files()
    removed = []
    for path in sorted(manifest.out.glob("*/*")):
        relative = path.relative_to(manifest.out).as_posix()
        if path.is_file() and relative not in keep and (path.suffix in {".parquet", ".tmp"}):
            path.unlink()
            removed.append(path)
    if removed:
        log.warning("%s: removed %d part(s) of batches an interrupted run did not record", manifest.out, len(removed))
    return removed
