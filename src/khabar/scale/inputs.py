"""Articles for a run: directories, JSONL and Parquet files, and directories of shards of either.

Text, JSONL and HTML files are read as ``khabar ingest`` reads them (``ingest.read_paths``). A
Parquet file holds one article per row with the JSONL fields: ``text`` (required), and optionally
``title``, ``url``, ``outlet`` (or ``source``) and ``published`` (or ``date``); a row is cleaned and
dated exactly as a JSONL line is. Parquet files are read a row group at a time, so a shard of any
size streams. A directory is read for article files and for ``*.parquet`` shards below it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from khabar import ingest
from khabar.errors import InputError
from khabar.ingest.documents import meta_from_mapping
from khabar.records import Document

FIELDS = ("text", "title", "url", "outlet", "source", "published", "date")
ROWS_PER_READ = 1024


def read_inputs(paths: Iterable[Path], limits: ingest.Limits) -> Iterator[Document | InputError]:
    """Documents from every input path, with an InputError in place of each bad file or row."""
    aids = ingest.load_reading_aids()
    for path in paths:
        if path.is_dir():
            yield from ingest.read_paths([path], limits.max_bytes, aids=aids, limits=limits)
            for shard in sorted(path.rglob("*.parquet")):
                yield from read_parquet(shard, aids, limits)
        elif path.suffix.lower() == ".parquet":
            yield from read_parquet(path, aids, limits)
        else:
            yield from ingest.read_paths([path], limits.max_bytes, aids=aids, limits=limits)


def read_parquet(path: Path, aids: ingest.ReadingAids, limits: ingest.Limits) -> Iterator[Document | InputError]:
    """Documents from the rows of one Parquet file; a row without text is an error naming its number."""
    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as exc:
        yield InputError(str(path), f"not a readable Parquet file ({exc})", "check the file or leave it out")
        return
    columns = [c for c in FIELDS if c in source.schema_arrow.names]
    if "text" not in columns:
        yield InputError(str(path), "has no 'text' column", "give one article per row with its text in 'text'")
        return
    number = 0
    for chunk in source.iter_batches(batch_size=ROWS_PER_READ, columns=columns):
        for row in chunk.to_pylist():
            number += 1
            yield from _documents(f"{path}:{number}", row, aids, limits)


def _documents(where: str, row: dict[str, object], aids: ingest.ReadingAids,
               limits: ingest.Limits) -> list[Document | InputError]:
    """The documents of one row (parts of a long one), cleaned and dated as a JSONL line is; else its error."""
    text = str(row.get("text") or "")
    if not text.strip():
        return [InputError(where, "row has no text", "each row needs the article's text in 'text'")]
    try:
        # the same builder as a JSONL line, so a Parquet row and a JSONL line give the same Documents
        return list(ingest.build(where, text, meta_from_mapping(row, "metadata"), aids, limits))
    except InputError as error:
        return [error]
