"""Scale-out runs: analyse an archive on one machine or a Dask cluster into Parquet, then merge it.

``khabar run INPUT... --out DIR`` analyses articles in batches and writes each batch's
document-level records as Parquet under ``DIR``; ``khabar merge DIR --db PATH`` loads them into a
store and merges their events into incidents with the store's incremental merge. Layout of ``DIR``::

    manifest.jsonl              one line per finished batch: its documents, failures and files
    documents/part-KEY.parquet  the store's columns for each table (``khabar/store/README.md``)
    sentences/ mentions/ events/ claims/ relations/ actors/

Each part is written under a hidden temporary name and renamed into place before its batch is
appended to the manifest, so the manifest is the truth: a part it does not name is a leftover of an
interrupted run, removed when the next run starts. ``KEY`` is a hash of the batch's document ids,
so a batch retried after a worker died rewrites the same files instead of adding copies.

Modules::

    inputs.py    articles from directories, JSONL and Parquet files (and shards of them)
    parts.py     records to Parquet tables and back; the atomic batch writer
    manifest.py  the manifest: what is done, what is a leftover
    run.py       the run: batches, engines (``local`` here; ``dask`` in ``cluster.py``), resume
    cluster.py   the Dask engine and executor (imports Dask; loaded only when asked for)
    load.py      Parquet into a store, then the merge
    bench.py     ``khabar bench scale``: throughput per worker count, memory, projection

Only ``cluster.py`` imports Dask, and only ``run``, ``load`` and ``bench`` pull in pyarrow: the
default ``khabar ingest`` path needs neither (``pip install 'khabar[dask]'`` adds both).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from khabar.errors import ConfigError


def require(module: str) -> ModuleType:
    """A module of this package (``run``, ``load``, ``cluster``...), or a ConfigError that says how to get it."""
    try:
        return importlib.import_module(f"khabar.scale.{module}")
    except ImportError as exc:
        raise ConfigError(f"this needs khabar's dask extra ({exc}); install it with `pip install 'khabar[dask]'`"
                          ) from exc


def require_cluster() -> ModuleType:
    """The Dask engine module, or a ConfigError that says how to install Dask."""
    return require("cluster")
