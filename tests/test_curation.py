"""Curation: merge, split, reject and accept incidents; edits survive re-merges and show up in the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar import bench_merge, corpus
from khabar.cli import main
from khabar.errors import CurationError
from khabar.merge import edits, neardup
from khabar.store import open_store
from merge_support import AIRPORT, KANDAHAR, analysis, event, grouping, ingest


def _store(path: Path) -> None:
    """Three reports of one Kabul bombing (a, b, c) and one Kandahar attack (k)."""
    with open_store(path) as store:
        ingest(store, analysis("a", event("a", killed=10)), analysis("b", event("b", place=AIRPORT, killed=12)),
                analysis("c", event("c", killed=11)), analysis("k", event("k", place=KANDAHAR)))


def test_split_merge_reject_and_accept_survive_rebuild_and_reingest(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    _store(db)
    with open_store(db) as store:
        kabul = store.links(["a-e1"])["a-e1"]
        kandahar = store.links(["k-e1"])["k-e1"]
        left = edits.split(store, kabul, "b", "ana")
        assert left.incident_id == kabul and {s.doc_id for s in left.sources} == {"a", "c"}
        merged = edits.merge(store, kandahar, kabul, "ben")
        assert {s.doc_id for s in merged.sources} == {"a", "c", "k"}
        edits.review(store, kabul, "reject", "ana")
        assert {frozenset(s.doc_id for s in i.sources) for i in store.incidents()} == {frozenset({"b"})}
        # a new report of the Kabul bombing arrives, then everything is merged again: the edits still hold
        # (it cannot join the user's merge with Kandahar, so it joins the report split off)
        ingest(store, analysis("d", event("d", killed=10)))
        corpus.merge(store, rebuild=True)
        groups = grouping(store)
        assert groups == {frozenset({"a-e1", "c-e1", "k-e1"}), frozenset({"b-e1", "d-e1"})}
        assert store.incident(kabul).review == "rejected"  # type: ignore[union-attr]
        edits.review(store, kabul, "accept", "ben")
        assert store.incident_count() == len(groups)
        assert [(e.user, e.action) for e in store.edits()] == [("ana", "split"), ("ben", "merge"), ("ana", "reject"),
                                                               ("ben", "accept")]


def test_bad_ids_raise_one_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    _store(db)
    with open_store(db) as store:
        kabul = store.links(["a-e1"])["a-e1"]
        with pytest.raises(CurationError, match=r"no single incident matches 'nope'.*khabar events"):
            edits.review(store, "nope", "reject", "ana")
        with pytest.raises(CurationError, match="same incident"):
            edits.merge(store, kabul, kabul[:6], "ana")
        with pytest.raises(CurationError, match="names no document of incident"):
            edits.split(store, kabul, "zzz", "ana")
        assert store.edits() == []


def test_curation_commands_show_and_edits_in_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    _store(db)
    with open_store(db) as store:
        kabul = store.links(["a-e1"])["a-e1"]
        kandahar = store.links(["k-e1"])["k-e1"]
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    shown = run("show", kabul[:8])
    assert "3 sources, each an independent report" in shown
    assert "joined: same type, Kabul and Kabul airport are 5 km apart, same date, same actors: iskp" in shown
    assert "first report" in shown
    assert "killed 12" in shown and "place Kabul airport" in shown
    assert "fatalities differ" in shown
    assert "merged into" in run("incidents", "merge", kabul, kandahar, "--user", "ana")
    assert "Earlier ids: " + kandahar in run("show", kandahar)  # the absorbed id resolves to the survivor
    assert "rejected" in run("incidents", "reject", kabul, "--user", "ana")
    assert "(none)" in run("events")
    assert kabul in run("events", "--rejected")
    assert "Rejected by ana" in run("show", kabul)
    listed = [json.loads(line) for line in run("incidents", "edits", "--json").splitlines()]
    assert [(e["user"], e["action"]) for e in listed] == [("ana", "merge"), ("ana", "reject")]
    assert "merge" in run("incidents", "edits")
    bad = runner.invoke(main, ["--db", str(db), "incidents", "split", "nosuch", "--doc", "a"])
    assert bad.exit_code == 2 and "no single incident matches 'nosuch'" in bad.output
    assert "Traceback" not in bad.output
    assert "merged:" in run("merge") and "rebuilt:" in run("merge", "--rebuild")


# near-duplicate calibration: made-up pairs, never shared data


STORY = ("Gunmen on motorcycles opened fire on a police checkpoint in the eastern city of Jalalabad late on "
         "Tuesday, killing three officers and wounding two passers-by, a provincial spokesman said. No group "
         "claimed the attack, the third on security forces in the province this month. Police sealed off the area "
         "and began a search of nearby houses, and the wounded were taken to the regional hospital.")
LIGHT_EDITS = (
    "Gunmen opened fire on a police checkpoint in the eastern city of Jalalabad late on Tuesday, killing three "
    "officers and wounding two passers-by, a provincial spokesman said. No group claimed the attack, the third on "
    "security forces in the province this month. Police sealed off the area and began a search of nearby houses.")
NEW_HEADLINE = "Three police killed in Jalalabad checkpoint attack\n\n" + STORY + " (Reporting by staff; editing)"
OWN_REPORT = ("Three policemen died when attackers riding motorbikes shot at a checkpoint in Jalalabad on Tuesday "
              "night. Two civilians were hurt. The governor's office blamed insurgents but nobody has claimed "
              "responsibility. It was the third assault on the security forces in Nangarhar in October.")
OTHER_DAY = STORY.replace("Tuesday", "Friday").replace("three officers", "a guard").replace("Jalalabad", "Kunduz")


@pytest.mark.parametrize(("copy", "same"), [(LIGHT_EDITS, True), (NEW_HEADLINE, True), (OWN_REPORT, False)])
def test_the_copy_threshold_separates_republications_from_independent_reports(copy: str, same: bool) -> None:
    score = neardup.similarity(neardup.signature(STORY), neardup.signature(copy))
    assert (score >= neardup.THRESHOLD) is same, score


def test_a_template_story_about_another_attack_is_not_a_copy_of_a_short_one() -> None:
    short = "Two killed in blast."
    assert neardup.similarity(neardup.signature(short), neardup.signature("Two killed in blast")) == 1.0
    assert neardup.similarity(neardup.signature(short), neardup.signature("Five hurt in clash.")) < neardup.THRESHOLD
    assert neardup.similarity(neardup.signature(STORY), neardup.signature(OTHER_DAY)) < 0.9


def test_copy_groups_do_not_depend_on_ingest_order(tmp_path: Path) -> None:
    texts = {"m1": STORY, "m2": NEW_HEADLINE, "m3": LIGHT_EDITS, "m4": OWN_REPORT}
    groupings = []
    for order in (["m1", "m2", "m3", "m4"], ["m4", "m3"], ["m2", "m4", "m1", "m3"]):
        with open_store(tmp_path / f"{'-'.join(order)}.db") as store:
            for doc in order:
                ingest(store, analysis(doc, text=texts[doc]))
            for doc in sorted(set(texts) - set(order)):
                ingest(store, analysis(doc, text=texts[doc]))
            groupings.append(store.copy_groups())
    assert groupings[0] == groupings[1] == groupings[2] == {"m2": "m1", "m3": "m1"}


# the merge bench, tiny


def test_the_merge_bench_reports_its_figures_at_a_tiny_size(tmp_path: Path) -> None:
    full = bench_merge.measure_full(300, 0, tmp_path)
    assert full["events"] == 300 and 0 < full["incidents"] <= 300
    assert full["merge_seconds"] > 0 and full["peak_rss_mb"] > 10
    step = bench_merge.measure_incremental(400, 10, 1, tmp_path)
    assert step["store_articles"] == 400 and step["new_articles"] == 10 and 1 <= step["incidents_touched"] <= 10
    assert step["incidents"] >= step["incidents_touched"]
    summary = bench_merge.summarise([{**full, "process_seconds": 1.0}, {**full, "process_seconds": 3.0}])
    assert summary == [{"mode": "full", "size": 300, "runs": 2, "merge_seconds": full["merge_seconds"],
                        "merge_cpu_seconds": full["merge_cpu_seconds"], "setup_seconds": full["setup_seconds"],
                        "process_seconds": 2.0, "peak_rss_mb": full["peak_rss_mb"]}]
    assert "incremental" in bench_merge.format_figures({"summary": bench_merge.summarise([{**step,
                                                                                        "process_seconds": 1.0}]),
                                                        "load_average": 1.0})


def test_bench_merge_from_the_cli_runs_each_measurement_in_its_own_process() -> None:
    result = CliRunner().invoke(main, ["bench", "merge", "--sizes", "200", "--runs", "1", "--store-articles", "200",
                                       "--new-articles", "5", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert [r["mode"] for r in figures["runs"]] == ["full", "incremental"]
    assert all(r["process_seconds"] >= r["merge_seconds"] for r in figures["runs"])
    bad = CliRunner().invoke(main, ["bench", "merge", "--sizes", "ten"])
    assert bad.exit_code == 2 and "--sizes 'ten'" in bad.output


def test_signing_in_slices_groups_as_signing_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {"m1": STORY, "m2": NEW_HEADLINE, "m3": LIGHT_EDITS, "m4": OWN_REPORT}
    monkeypatch.setattr(neardup, "SLICE", 1)
    with open_store(tmp_path / "k.db") as store:
        store.save_analyses([analysis(doc, text=text) for doc, text in sorted(texts.items(), reverse=True)])
        assert neardup.group_copies(store) == set(texts)
        assert store.copy_groups() == {"m2": "m1", "m3": "m1"}
        assert neardup.group_copies(store) == set()
