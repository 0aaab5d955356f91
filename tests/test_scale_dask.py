"""Tests of the Dask engine on a real two-worker LocalCluster: same output as the local engine, and faults."""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from khabar.cli import main
from khabar.executors import LocalExecutor, executor_named
from khabar.ingest import content_id, read_paths
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document
from khabar.scale import run
from khabar.scale.load import merge_run
from khabar.settings import Settings
from khabar.store import Store, open_store

distributed = pytest.importorskip("distributed")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"
SETTINGS = Settings(processes=1, batch_size=2)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster of two single-threaded worker processes, shared by this module's tests."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=40) as cluster:
        yield cluster.scheduler_address


def example_ids() -> set[str]:
    return {d.doc_id for d in read_paths([EXAMPLES]) if isinstance(d, Document)}


def rows_by_doc(out: Path, table: str) -> dict[str, list[str]]:
    """The ``data`` of a table's rows on disk, per document."""
    found: dict[str, list[str]] = {}
    for part in sorted((out / table).glob("*.parquet")):
        for row in pq.read_table(part).to_pylist():
            found.setdefault(row["doc_id"], []).append(row["data"])
    return found


def grouping(store: Store) -> list[list[str]]:
    return sorted(sorted(s.event_id for s in incident.sources) for incident in store.incidents(rejected=True))


def test_the_dask_engine_writes_and_merges_what_the_local_engine_does(tmp_path: Path, scheduler: str) -> None:
    local = run.run([EXAMPLES], tmp_path / "local", SETTINGS, "local", batch_size=3)
    dask = run.run([EXAMPLES], tmp_path / "dask", SETTINGS, "dask", scheduler=scheduler, batch_size=3)
    assert dask.written == local.written == len(example_ids())
    for table in ("events", "mentions", "claims"):
        assert rows_by_doc(tmp_path / "dask", table) == rows_by_doc(tmp_path / "local", table), table
    workers = {line.split('"worker": ')[1] for line in (tmp_path / "dask" / "manifest.jsonl").read_text().splitlines()}
    assert len(workers) == 2  # both workers took batches
    groupings = []
    for name in ("local", "dask"):
        with open_store(tmp_path / f"{name}.db") as store:
            merge_run(tmp_path / name, store)
            groupings.append(grouping(store))
    assert groupings[0] == groupings[1] and groupings[0]


def test_a_killed_worker_loses_and_repeats_no_document(tmp_path: Path, scheduler: str) -> None:
    with distributed.Client(scheduler, set_as_default=False) as client:
        before = client.run(os.getpid)
        killed: list[int] = []

        def kill_one_worker(_: object) -> None:
            if not killed:  # after the first batch is recorded, while the others are queued or running
                killed.append(next(iter(before.values())))
                os.kill(killed[0], signal.SIGKILL)

        report = run.run([EXAMPLES], tmp_path / "out", SETTINGS, "dask", scheduler=scheduler, batch_size=1,
                         on_batch=kill_one_worker)
        client.wait_for_workers(2, timeout=60)
        after = client.run(os.getpid)
    assert killed and killed[0] not in after.values()
    assert report.lost == [] and report.written == len(example_ids())
    on_disk = Counter(row["doc_id"] for part in (tmp_path / "out" / "documents").glob("*.parquet")
                      for row in pq.read_table(part).to_pylist())
    assert on_disk == Counter(dict.fromkeys(example_ids(), 1))


def test_the_dask_executor_gives_the_local_results_in_input_order(scheduler: str) -> None:
    from khabar.scale.cluster import DaskExecutor

    texts = [f"On Monday {n} soldiers were killed in an attack near Kandahar, officials said." for n in range(2, 8)]
    documents = [Document(doc_id=content_id(t), text=t) for t in texts]
    pipeline = Pipeline(SETTINGS)
    remote = list(DaskExecutor(SETTINGS, workers=2, scheduler=scheduler).run(documents))
    local = list(LocalExecutor(pipeline).run(documents))
    assert [r.document.doc_id for r in remote] == [d.doc_id for d in documents]
    assert all(isinstance(r, Analysis) for r in remote)
    assert [(r.tokens, r.events) for r in remote] == [(r.tokens, r.events) for r in local]  # type: ignore[union-attr]
    assert type(executor_named("dask", pipeline, 2)).__name__ == "DaskExecutor"


def test_cli_run_on_a_local_cluster_of_its_own(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for n in range(3):
        (articles / f"{n}.txt").write_text(f"Police said {n + 2} people were hurt in a blast in the market.",
                                           encoding="utf-8")
    done = CliRunner().invoke(main, ["run", str(articles), "--out", str(tmp_path / "out"), "--engine", "dask",
                                     "--workers", "1", "--batch", "2"])
    assert done.exit_code == 0, done.output
    assert "wrote 3 documents in 2 batches" in done.output
