"""Tests of the query layer: every filter on a small hand-built store, full-text search, and the FTS index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import khabar
from export_support import HOSTILE_PLACE, analyses, build
from khabar.errors import ConfigError, StoreError
from khabar.query import Archive, Filters, filters_from_strings
from khabar.store.tables import event_source_row


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    build(tmp_path / "k.db").close()
    return khabar.open(tmp_path / "k.db")


def _places(archive: Archive, **given: object) -> list[str]:
    return [i.event.place.surface if i.event.place else "" for i in archive.incidents(**given)]


def test_every_incident_oldest_first(archive: Archive) -> None:
    assert _places(archive) == ["Herat", HOSTILE_PLACE, "Kabul"]
    assert archive.count_incidents() == 3


@pytest.mark.parametrize(("given", "expected"), [
    ({"since": date(2023, 5, 2)}, [HOSTILE_PLACE, "Kabul"]),
    ({"until": date(2023, 5, 31)}, ["Herat", HOSTILE_PLACE]),
    ({"since": date(2023, 6, 15), "until": date(2023, 6, 20)}, ["Kabul"]),  # a month-precise date overlaps
    ({"country": "AF"}, ["Herat", "Kabul"]),
    ({"country": "Afghanistan"}, ["Herat", "Kabul"]),
    ({"country": "AFG"}, ["Herat", "Kabul"]),
    ({"admin1": "herat"}, ["Herat"]),
    ({"place": "Kabul"}, ["Kabul"]),
    ({"place": "Herat", "within_km": 50}, ["Herat"]),
    ({"place": "Herat", "within_km": 700}, ["Herat", "Kabul"]),  # Herat to Kabul is about 640 km
    ({"place": "34.5,69.2", "within_km": 10}, ["Kabul"]),
    ({"actor": "Taliban"}, ["Herat", "Kabul"]),
    ({"actor": "Civilians (Afghanistan)"}, ["Herat"]),  # the ACLED name, second side
    ({"type": "attack"}, ["Herat"]),
    ({"type": "Battles"}, ["Kabul"]),
    ({"type": "FIGHT"}, ["Kabul"]),
    ({"status": "occurred"}, ["Herat", HOSTILE_PLACE, "Kabul"]),
    ({"status": "background,planned"}, []),
    ({"min_sources": 2}, ["Herat"]),
    ({"min_confidence": 0.5}, ["Herat"]),
    ({"text": "checkpoint"}, ["Herat"]),
    ({"text": "clash"}, ["Kabul"]),  # stemmed: "clashed"
    ({"text": '"ten dead"'}, ["Kabul"]),
    ({"text": "guards OR fighters"}, ["Herat", "Kabul"]),
    ({"text": "onerror"}, [HOSTILE_PLACE]),
    ({"limit": 1}, ["Herat"]),
    ({"sort": "deaths"}, ["Kabul", "Herat", HOSTILE_PLACE]),
    ({"sort": "-date"}, ["Kabul", HOSTILE_PLACE, "Herat"]),
    ({"sort": "confidence", "limit": 2}, ["Herat", "Kabul"]),
])
def test_each_filter_keeps_the_right_incidents(archive: Archive, given: dict[str, object],
                                               expected: list[str]) -> None:
    assert _places(archive, **given) == expected


def test_an_alias_the_texts_used_finds_the_actor(archive: Archive) -> None:
    # d3 named islamic-state "Islamic State": that surface resolves through the stored mentions
    assert _places(archive, actor="islamic state") == ["Kabul"]


def test_unknown_names_say_how_to_list_the_known_ones(archive: Archive) -> None:
    with pytest.raises(ConfigError, match="khabar actors"):
        list(archive.incidents(actor="Nobody"))
    with pytest.raises(ConfigError, match="khabar places"):
        list(archive.incidents(place="Atlantis"))
    with pytest.raises(ConfigError, match="ISO 3166"):
        list(archive.incidents(country="Narnia"))


def test_claims_relations_and_documents_take_the_same_filters(archive: Archive) -> None:
    assert [c.claim_id for c in archive.claims()] == ["d2-c1"]
    assert [c.claim_id for c in archive.claims(actor="Taliban")] == ["d2-c1"]
    assert [c.claim_id for c in archive.claims(text="guards")] == ["d2-c1"]
    assert list(archive.claims(text="clashed")) == []
    assert list(archive.claims(place="Kabul")) == []  # d2 reports no Kabul incident
    assert [(r.a, r.b) for r in archive.relations(since=date(2023, 6, 1))] == [("taliban", "islamic-state")]
    assert list(archive.relations(until=date(2023, 5, 31))) == []
    assert [d.doc_id for d in archive.documents(min_sources=2)] == ["d1", "d2"]
    assert [d.doc_id for d in archive.documents(text="clash")] == ["d3"]
    assert [d.doc_id for d in archive.documents(actor="Islamic State")] == ["d3"]


def test_actors_places_dyads_and_relation_summaries(archive: Archive) -> None:
    actors = {a.actor.actor_id: (a.incidents, a.deaths) for a in archive.actors()}
    assert actors == {"taliban": (2, 15), "civilians:AFG": (1, 5), "islamic-state": (1, 10)}
    assert [(p.name, p.incidents, p.deaths) for p in archive.places()] == [("Kabul", 1, 10), ("Herat", 1, 5)]
    assert [(d.actor1, d.actor2, d.incidents) for d in archive.dyads(country="AF")] == [
        ("taliban", "islamic-state", 1), ("taliban", "civilians:AFG", 1)]
    [summary] = archive.relation_summaries()
    assert (summary.type, summary.doc_ids, summary.evidence_count, summary.start) == (
        "hostile", ("d3",), 1, date(2023, 6, 12))
    docs = {d.doc_id: ids for d, ids in archive.document_incidents(country="AF")}
    assert set(docs) == {"d1", "d2", "d3"} and len(docs["d2"]) == 1


def test_filters_from_text_values_as_an_http_layer_gets_them() -> None:
    f = filters_from_strings({"since": "2023-05", "until": "2023-06", "within_km": "25", "place": "Kabul",
                              "min_sources": "2", "limit": "", "rejected": "true"})
    assert (f.since, f.until, f.within_km, f.min_sources, f.limit, f.rejected) == (
        date(2023, 5, 1), date(2023, 6, 30), 25.0, 2, None, True)
    with pytest.raises(ConfigError, match="unknown filter 'colour'"):
        filters_from_strings({"colour": "red"})
    with pytest.raises(ConfigError, match="needs a number"):
        filters_from_strings({"limit": "many"})
    with pytest.raises(ConfigError, match="not a date"):
        filters_from_strings({"since": "last week"})


@pytest.mark.parametrize(("given", "message"), [
    ({"sort": "colour"}, "sort 'colour'"), ({"status": "rumoured"}, "status 'rumoured'"),
    ({"within_km": 5.0}, "within needs a place"), ({"since": date(2023, 2, 1), "until": date(2023, 1, 1)}, "swap"),
])
def test_filters_refuse_values_no_query_can_use(given: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Filters(**given)  # type: ignore[arg-type]


def test_the_search_index_follows_replaced_and_deleted_rows(tmp_path: Path) -> None:
    store = build(tmp_path / "k.db")
    archive = Archive(store)
    [d1] = [a for a in analyses() if a.document.doc_id == "d1"]
    rows = [event_source_row(d1, e) for e in d1.events]
    with store.db:  # storing d1's events again replaces their rows (INSERT OR REPLACE), twice
        store._insert("event_sources", rows, replace=True)
        store._insert("event_sources", rows, replace=True)
    hits = store.db.execute("SELECT count(*) FROM source_search WHERE source_search MATCH 'checkpoint'").fetchone()
    assert hits == (2,)  # d1 once (replaced twice) and d2
    store.db.execute("PRAGMA foreign_keys=ON")
    with store.db:
        store.db.execute("DELETE FROM documents WHERE doc_id = 'd1'")
    store.db.execute("INSERT INTO source_search(source_search) VALUES ('integrity-check')")  # raises if out of step
    assert [d.doc_id for d in archive.documents(text="checkpoint")] == ["d2"]
    store.close()


def test_open_refuses_a_store_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="khabar ingest"):
        khabar.open(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()
