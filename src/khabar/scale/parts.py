"""Records to Parquet tables and back: one part per table per batch, written atomically.

The columns are the store's (``store/tables.py`` builds the rows), so a Parquet part and a store
table read alike; ``data`` columns hold each record as JSON (``records.as_dict``). Sentences keep
their text and every table keeps ``doc_id``, so one document's records can be found in any part.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.errors import InputError
from khabar.pipeline import Failure
from khabar.records import (
    ActorMention,
    Analysis,
    Claim,
    Document,
    Event,
    PlaceMention,
    Quantity,
    Relation,
    Sentence,
    TimeMention,
)
from khabar.scale.manifest import BatchRecord, FailedDocument
from khabar.store import tables
from khabar.store.codec import decode

ActorRow = tuple[Any, ...]
ActorRows = Callable[[Analysis], Sequence[ActorRow]]
TEXT, INT = pa.string(), pa.int64()
SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([("doc_id", TEXT), ("path", TEXT), ("title", TEXT), ("url", TEXT), ("outlet", TEXT),
                            ("published", TEXT), ("published_source", TEXT), ("published_window_start", TEXT),
                            ("published_window_end", TEXT), ("text", TEXT), ("ingested_at", TEXT)]),
    "sentences": pa.schema([("doc_id", TEXT), ("idx", INT), ("start", INT), ("end", INT), ("text", TEXT)]),
    "mentions": pa.schema([("doc_id", TEXT), ("kind", TEXT), ("sentence", INT), ("start", INT), ("end", INT),
                           ("surface", TEXT), ("ref", TEXT), ("data", TEXT)]),
    "events": pa.schema([("source_id", TEXT), ("doc_id", TEXT), ("sentence", INT), ("start", INT), ("end", INT),
                         ("text", TEXT), ("day_start", TEXT), ("data", TEXT)]),
    "claims": pa.schema([("claim_id", TEXT), ("doc_id", TEXT), ("speaker", TEXT), ("speaker_text", TEXT),
                         ("content", TEXT), ("stance", TEXT), ("quoted", INT), ("disputed", INT), ("sentence", INT),
                         ("start", INT), ("end", INT), ("data", TEXT)]),
    "relations": pa.schema([("a", TEXT), ("b", TEXT), ("type", TEXT), ("directed", INT), ("doc_id", TEXT),
                            ("sentence", INT), ("start", INT), ("end", INT), ("data", TEXT)]),
    "actors": pa.schema([("doc_id", TEXT), *((c, INT if c == "provisional" else TEXT) for c in tables.ACTOR_COLUMNS)]),
}
TABLES = tuple(SCHEMAS)
MENTION_KINDS: dict[str, type] = {"actor": ActorMention, "place": PlaceMention, "time": TimeMention,
                                  "quantity": Quantity}


@dataclass(slots=True, frozen=True)
class Batch:
    """Documents analysed and written together, under a key made from their ids."""

    key: str
    documents: tuple[Document, ...]


def batch_key(doc_ids: Iterable[str]) -> str:
    """A key for a batch: the same documents always give the same key (so a retry overwrites its files)."""
    return hashlib.sha256("\n".join(doc_ids).encode("utf-8")).hexdigest()[:20]


def rows_of(analysis: Analysis, actor_rows: Sequence[ActorRow], stamp: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table for one analysed document."""
    doc = analysis.document.doc_id
    return {
        "documents": [tables.document_row(analysis.document, stamp)],
        "sentences": [{"doc_id": doc, "idx": s.index, "start": s.start, "end": s.end, "text": s.text}
                      for s in analysis.sentences],
        "mentions": list(tables.mention_rows(analysis)),
        "events": [tables.event_source_row(analysis, e) for e in analysis.events],
        "claims": [tables.claim_row(c) for c in analysis.claims],
        "relations": [tables.relation_row(r) for r in analysis.relations],
        "actors": [{"doc_id": doc, **row} for row in tables.actor_rows(actor_rows)],
    }


def write_batch(out: Path, key: str, results: Sequence[Analysis | Failure], actor_rows: ActorRows,
                worker: str = "") -> BatchRecord:
    """Write one batch's tables under ``out`` (each to a temporary name, then renamed); returns its record."""
    stamp = tables.now()
    collected: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    written, failed, seconds = [], [], 0.0
    for result in results:
        if isinstance(result, Failure):
            failed.append(FailedDocument(result.document.doc_id, result.document.path, result.stage, result.message))
            continue
        for name, rows in rows_of(result, actor_rows(result), stamp).items():
            collected[name].extend(rows)
        written.append(result.document.doc_id)
        seconds += sum(t.seconds for t in result.timings)
    files = tuple(_write_part(out, name, key, collected[name]) for name in TABLES) if written else ()
    return BatchRecord(key, tuple(written), tuple(failed), files, seconds, worker)


def _write_part(out: Path, table: str, key: str, rows: list[dict[str, Any]]) -> str:
    """Write one table's part under a hidden name and rename it into place; returns its path in ``out``."""
    relative = f"{table}/part-{key}.parquet"
    final = out / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = final.parent / f".part-{key}-{uuid.uuid4().hex}.tmp"
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), scratch, compression="zstd")
    os.replace(scratch, final)
    return relative


def read_part(out: Path, relative: str) -> list[dict[str, Any]]:
    """The rows of one part, as dicts."""
    path = out / relative
    try:
        return list(pq.read_table(path).to_pylist())
    except (OSError, pa.ArrowInvalid) as exc:
        raise InputError(str(path), f"cannot read this Parquet part ({exc})",
                         "run `khabar run` again on the same inputs and --out to rewrite it") from exc


def read_batch(out: Path, record: BatchRecord) -> tuple[list[Analysis], list[ActorRow]]:
    """A recorded batch's analyses (without tokens and entities) and its actor rows."""
    parts = {Path(relative).parent.name: read_part(out, relative) for relative in record.files}
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table in TABLES[1:]:
        for row in parts.get(table, []):
            by_doc.setdefault(row["doc_id"], {}).setdefault(table, []).append(row)
    analyses = [_analysis(row, by_doc.get(row["doc_id"], {})) for row in parts.get("documents", [])]
    actors = [tuple(row[c] for c in tables.ACTOR_COLUMNS) for row in parts.get("actors", [])]
    return analyses, actors


def _analysis(document: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> Analysis:
    """One document's analysis rebuilt from its rows."""
    mentions: dict[str, list[Any]] = {kind: [] for kind in MENTION_KINDS}
    for row in rows.get("mentions", []):
        mentions[row["kind"]].append(decode(MENTION_KINDS[row["kind"]], json.loads(row["data"])))
    return Analysis(
        document=tables.document_from_row(document),
        sentences=tuple(Sentence(r["idx"], r["start"], r["end"], r["text"]) for r in rows.get("sentences", [])),
        actors=tuple(mentions["actor"]), places=tuple(mentions["place"]), times=tuple(mentions["time"]),
        quantities=tuple(mentions["quantity"]),
        events=tuple(decode(Event, json.loads(r["data"])) for r in rows.get("events", [])),
        claims=tuple(decode(Claim, json.loads(r["data"])) for r in rows.get("claims", [])),
        relations=tuple(decode(Relation, json.loads(r["data"])) for r in rows.get("relations", [])),
    )
