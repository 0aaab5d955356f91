"""Tests of scale-out runs on the local engine: Parquet parts, the manifest, resuming, and merging a run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from khabar import corpus
from khabar.cli import main
from khabar.errors import ConfigError, InputError
from khabar.ingest import Limits, content_id, load_reading_aids, read_paths
from khabar.pipeline import Failure, Pipeline
from khabar.records import Document
from khabar.scale import manifest, parts, run
from khabar.scale.inputs import read_inputs
from khabar.scale.load import merge_run
from khabar.settings import Settings
from khabar.store import Store, open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "corpus"
SETTINGS = Settings(processes=1)


def grouping(store: Store) -> list[list[str]]:
    """Each incident as the sorted ids of its sources, sorted: how sources are grouped, whatever the ids."""
    return sorted(sorted(s.event_id for s in incident.sources) for incident in store.incidents(rejected=True))


def documents_in_parts(out: Path) -> Counter[str]:
    """How many times each document id appears in the documents parts on disk."""
    return Counter(row["doc_id"] for part in sorted((out / "documents").glob("*.parquet"))
                   for row in pq.read_table(part).to_pylist())


def example_ids() -> set[str]:
    return {d.doc_id for d in read_paths([EXAMPLES]) if isinstance(d, Document)}


def test_run_then_merge_gives_the_incidents_ingest_gives(tmp_path: Path, pipeline: Pipeline) -> None:
    with open_store(tmp_path / "ingest.db") as store:
        corpus.ingest([EXAMPLES], store, pipeline)
        expected = grouping(store)
    report = run.run([EXAMPLES], tmp_path / "out", SETTINGS, "local", batch_size=5)
    with open_store(tmp_path / "run.db") as store:
        loaded = merge_run(tmp_path / "out", store)
        assert loaded.stored == report.written == len(example_ids())
        assert store.incident_count(rejected=True) == len(expected)
        assert grouping(store) == expected
    assert len(expected) > len(example_ids())  # several incidents per digest: the comparison has something to group


def test_parts_give_back_the_records_written(tmp_path: Path, pipeline: Pipeline) -> None:
    texts = ["Gunmen killed four police officers at a checkpoint in Kandahar on Tuesday, the governor said.",
             "The Taliban denied that its fighters attacked the convoy near Herat, a spokesman said on Friday."]
    analyses = [pipeline.analyse(Document(content_id(t), t, path=f"t{n}.txt")) for n, t in enumerate(texts)]
    rows = {a.document.doc_id: corpus.actor_rows(a, pipeline) for a in analyses}
    record = parts.write_batch(tmp_path, "k1", analyses, lambda a: rows[a.document.doc_id])
    assert record.documents == tuple(a.document.doc_id for a in analyses)
    back, actors = parts.read_batch(tmp_path, record)
    for original, rebuilt in zip(analyses, back, strict=True):
        for name in ("document", "sentences", "actors", "places", "times", "quantities", "events", "claims",
                     "relations"):
            assert getattr(rebuilt, name) == getattr(original, name), name
    assert sorted(actors) == sorted(r for a in analyses for r in rows[a.document.doc_id])
    assert any(a.events for a in back)


def test_a_second_run_skips_what_the_manifest_records(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run.run([EXAMPLES], out, SETTINGS, batch_size=4)
    files = sorted(p.name for p in out.rglob("*.parquet"))
    again = run.run([EXAMPLES], out, SETTINGS, batch_size=4)
    assert (first.written, again.written, again.skipped) == (len(example_ids()), 0, len(example_ids()))
    assert sorted(p.name for p in out.rglob("*.parquet")) == files


def test_an_interrupted_run_resumes_without_losing_or_repeating_a_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    recorded = manifest.Manifest.record
    calls = []

    def crash_on_second(self: manifest.Manifest, batch: manifest.BatchRecord) -> None:
        calls.append(batch.key)
        if len(calls) == 2:  # the second batch's parts are in place, its manifest line never written
            raise KeyboardInterrupt
        recorded(self, batch)

    monkeypatch.setattr(manifest.Manifest, "record", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        run.run([EXAMPLES], out, SETTINGS, batch_size=4)
    monkeypatch.undo()
    assert len(manifest.Manifest.read(out).batches) == 1
    assert sum(documents_in_parts(out).values()) == 8  # two batches' parts on disk, one of them unrecorded
    (out / "events" / ".part-x-1.tmp").write_bytes(b"half a part")
    with (out / manifest.MANIFEST).open("a", encoding="utf-8") as handle:
        handle.write('{"key": "cut off mid-li')
    resumed = run.run([EXAMPLES], out, SETTINGS, batch_size=4)
    assert resumed.skipped == 4
    assert resumed.leftovers == len(parts.TABLES) + 1
    assert documents_in_parts(out) == Counter(dict.fromkeys(example_ids(), 1))
    lines = (out / manifest.MANIFEST).read_text(encoding="utf-8").splitlines()
    keys = [json.loads(line)["key"] for line in lines]
    assert keys[0] == calls[0] and calls[1] in keys and len(set(keys)) == len(keys) == 3
    assert not list(out.rglob("*.tmp"))


def test_a_line_cut_short_is_ignored_by_readers_and_cut_off_on_resume(tmp_path: Path) -> None:
    good = manifest.BatchRecord("k", ("d1",), files=("documents/part-k.parquet",))
    first = manifest.Manifest.open(tmp_path)
    first.record(good)
    path = tmp_path / manifest.MANIFEST
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"key": "k2", "docum')
    assert manifest.Manifest.read(tmp_path).batches == [good]
    assert manifest.Manifest.open(tmp_path).done() == {"d1"}
    assert path.read_text(encoding="utf-8").count("\n") == 1
    assert path.read_text(encoding="utf-8").endswith("\n")


def test_a_parquet_row_reads_as_the_same_jsonl_line_does(tmp_path: Path) -> None:
    rows = [{"text": "KABUL - Two people were wounded in a blast in the city on Sunday, police said.",
             "title": "Blast", "published": "2022-03-06", "url": "https://news.example/2022/03/06/blast"},
            {"text": "Officials said a bridge was reopened after repairs.", "title": "", "published": None,
             "url": None},
            {"text": "   ", "title": "empty", "published": None, "url": None}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "shard.parquet")
    (tmp_path / "shard.jsonl").write_text("\n".join(json.dumps({k: v for k, v in r.items() if v}) for r in rows[:2]),
                                          encoding="utf-8")
    from_parquet = list(read_inputs([tmp_path / "shard.parquet"], Limits.from_settings(SETTINGS)))
    from_jsonl = list(read_paths([tmp_path / "shard.jsonl"], aids=load_reading_aids()))
    assert isinstance(from_parquet[2], InputError) and from_parquet[2].path.endswith("shard.parquet:3")
    for a, b in zip(from_parquet[:2], from_jsonl, strict=True):
        assert isinstance(a, Document) and isinstance(b, Document)
        assert (a.doc_id, a.text, a.title, a.url, a.published, a.published_source) == \
               (b.doc_id, b.text, b.title, b.url, b.published, b.published_source)
    assert from_parquet[0].published is not None  # type: ignore[union-attr]


def test_a_directory_of_shards_is_read_whole(tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    for n in range(3):
        text = f"Police said {n + 2} people were hurt when a wall fell in the market of the old town."
        pq.write_table(pa.Table.from_pylist([{"text": text}]), shards / f"part-{n}.parquet")
    (shards / "more.jsonl").write_text(json.dumps({"text": "A ferry sank in the river, officials said."}),
                                       encoding="utf-8")
    found = [d for d in read_inputs([shards], Limits.from_settings(SETTINGS)) if isinstance(d, Document)]
    assert len({d.doc_id for d in found}) == 4


def test_an_unknown_engine_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="known engines: dask, local"):
        run.run([EXAMPLES], tmp_path / "out", SETTINGS, "spark")


def test_cli_run_and_merge_a_run_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    out, db = tmp_path / "out", tmp_path / "k.db"
    done = runner.invoke(main, ["run", str(EXAMPLES), "--out", str(out), "--batch", "6", "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert f"wrote {len(example_ids())} documents in 2 batches" in done.output
    merged = runner.invoke(main, ["merge", str(out), "--db", str(db)])
    assert merged.exit_code == 0, merged.output
    again = runner.invoke(main, ["merge", str(out), "--db", str(db)])
    assert f"0 documents stored from 2 batches ({len(example_ids())} already stored" in again.output
    with open_store(db) as store:
        assert store.document_count() == len(example_ids())
        assert store.incident_count() > 0


def test_cli_merge_of_a_directory_that_is_no_run_says_what_to_give(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["merge", str(tmp_path), "--db", str(tmp_path / "k.db")])
    assert done.exit_code == 2
    assert "no manifest.jsonl" in done.output and "--out directory of a `khabar run`" in done.output


def test_failed_documents_are_recorded_as_done(tmp_path: Path) -> None:
    document = Document("bad", "Text.", path="bad.txt")
    record = parts.write_batch(tmp_path, "k", [Failure(document, "events", "ValueError: x")], lambda _: [])
    assert record.files == () and record.documents == ()
    book = manifest.Manifest.open(tmp_path)
    book.record(record)
    assert manifest.Manifest.read(tmp_path).done() == {"bad"}
    assert record.failures == (manifest.FailedDocument("bad", "bad.txt", "events", "ValueError: x"),)
