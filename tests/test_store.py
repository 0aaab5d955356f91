import hashlib
import json
import sqlite3
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.errors import StoreError
from khabar.merge import merge_events
from khabar.records import (
    ActorMention,
    Analysis,
    Claim,
    Document,
    Event,
    Evidence,
    Place,
    PlaceMention,
    Relation,
    Sentence,
    TimeSpan,
    as_dict,
)
from khabar.store import SCHEMA_VERSION, Store, open_store, tables
from khabar.store.migrations import Migration, apply_migration, load_migrations, migrate
from khabar.store.tables import insert_sql

TEXT = "Gunmen attacked a post. Police said two died."
ACTOR_ROW = ("unidentified:AFG", "Unidentified", "unidentified", "AF", "", 0)
# A released migration never changes (a database at its version has already run it); schema changes
# are new files. 0001 is byte for byte the schema.sql that khabar shipped as schema version 1.
SEARCH_TABLES = ("source_search", "claim_search")  # version 4's FTS5 index and its shadow tables
RELEASED = {
    "0001_initial.sql": "9fdd17118519ad499221882319da644f345967a8f84375344c997de34d779c2e",
    "0002_lookup_indexes.sql": "af596d1d984b7981bd34f2fcf438d258cdef780074f7eab8accd218a67b004a8",
    "0003_incremental_merge.sql": "26d58cf41369e998140f9e009edf83b93bcf2470b82ddc45db9bb468430a3fe8",
}


def _analysis(doc_id: str = "d1", country: str = "AF", day: date = date(2022, 1, 2), family: str = "violence",
              actor: str = "unidentified:AFG") -> Analysis:
    ev = Evidence(doc_id, 0, 0, 6, "Gunmen")
    doc = Document(doc_id, TEXT, outlet="Wire", published=day, published_source="metadata",
                   published_window=(day, day), path=f"{doc_id}.txt")
    place = PlaceMention(ev, "Herat", Place(f"p-{country}", "Herat", 34.3, 62.2, country, "Herat", feature="city"))
    event = Event(f"{doc_id}-e1", doc_id, family, "Violence against civilians", "Attack", actor1=actor,
                  place=place, time=TimeSpan(day, day), evidence=(ev,))
    return Analysis(
        doc,
        sentences=(Sentence(0, 0, 23, TEXT[:23]), Sentence(1, 24, 45, TEXT[24:])),
        actors=(ActorMention(ev, actor, "Unidentified", "unidentified"),),
        places=(place,),
        events=(event,),
        claims=(Claim(f"{doc_id}-c1", doc_id, "police:AFG", "Police", "two died", Evidence(doc_id, 1, 24, 45, "x")),),
        relations=(Relation(actor, "b", "hostile", doc_id, evidence=(ev,)),),
    )


def _filled(path: Path) -> Store:
    """A store holding two documents: violence in AF (2022) and a political event in PK (2023)."""
    store = open_store(path)
    store.save_analysis(_analysis(), [ACTOR_ROW])
    store.save_analysis(_analysis("d2", "PK", date(2023, 6, 1), "political", "police:PAK"),
                        [("police:PAK", "Police of Pakistan", "state_forces", "PK", "", 1)])
    store.replace_incidents(merge_events(store.source_events()))
    return store


# schema and opening


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(StoreError, match=r"schema version 99, newer than this khabar's .*upgrade khabar"):
        open_store(path)


def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_a_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(path)


def test_a_path_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        open_store(tmp_path / "no" / "such" / "k.db")


# migrations


def test_migrations_are_numbered_from_one_to_the_schema_version() -> None:
    assert [m.version for m in load_migrations()] == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize(("name", "digest"), RELEASED.items())
def test_a_released_migration_never_changes(name: str, digest: str) -> None:
    text = (resources.files("khabar.store") / "migrations" / name).read_bytes()
    assert hashlib.sha256(text).hexdigest() == digest, f"{name} changed: add a new numbered migration instead"


def _v1_database(path: Path) -> None:
    """A database as khabar with schema version 1 wrote it: its schema.sql, then a row or two per table."""
    schema = (resources.files("khabar.store") / "migrations" / "0001_initial.sql").read_text(encoding="utf-8")
    db = sqlite3.connect(path)
    db.executescript(schema)
    db.execute("PRAGMA user_version = 1")
    analysis = _analysis()
    [incident] = merge_events(list(analysis.events))
    event, claim, relation, mention = analysis.events[0], analysis.claims[0], analysis.relations[0], analysis.actors[0]
    rows: dict[str, list[dict[str, Any]]] = {
        "documents": [{"doc_id": "d1", "path": "d1.txt", "title": "", "url": "", "outlet": "Wire",
                       "published": "2022-01-02", "published_source": "metadata",
                       "published_window_start": "2022-01-02", "published_window_end": "2022-01-02",
                       "text": TEXT, "ingested_at": "2024-01-01T00:00:00+00:00"}],
        "sentences": [{"doc_id": "d1", "idx": 0, "start": 0, "end": 23}, {"doc_id": "d1", "idx": 1, "start": 24,
                                                                           "end": 45}],
        "mentions": [{"doc_id": "d1", "kind": "actor", "sentence": 0, "start": 0, "end": 6, "surface": "Gunmen",
                      "ref": mention.actor_id, "data": json.dumps(as_dict(mention))}],
        "actors": [dict(zip(("actor_id", "name", "type", "country", "acled_name", "provisional"), ACTOR_ROW,
                            strict=True))],
        "places": [{"place_id": "p-AF", "name": "Herat", "lat": 34.3, "lon": 62.2, "country": "AF",
                    "admin1": "Herat", "admin2": "", "feature": "city"}],
        "events": [{"event_id": incident.incident_id, "family": "violence", "actor1": event.actor1,
                    "place_id": "p-AF", "place_name": "Herat", "lat": 34.3, "lon": 62.2, "admin1": "Herat",
                    "country": "AF", "date_start": "2022-01-02", "date_end": "2022-01-02", "status": "occurred",
                    "n_sources": 1, "data": json.dumps(as_dict(incident))}],
        "event_sources": [{"source_id": event.event_id, "event_id": incident.incident_id, "doc_id": "d1",
                           "sentence": 0, "start": 0, "end": 23, "text": TEXT[:23],
                           "data": json.dumps(as_dict(event))}],
        "claims": [{"claim_id": claim.claim_id, "doc_id": "d1", "speaker": claim.speaker, "speaker_text": "Police",
                    "content": claim.content, "stance": "asserts", "quoted": 0, "sentence": 1, "start": 24,
                    "end": 45, "data": json.dumps(as_dict(claim))}],
        "relations": [{"a": relation.a, "b": "b", "type": "hostile", "directed": 0, "doc_id": "d1", "sentence": 0,
                       "start": 0, "end": 6, "data": json.dumps(as_dict(relation))}],
        "ingest_errors": [{"path": "bad.txt", "message": "bad.txt: empty", "at": "2024-01-01T00:00:00+00:00"}],
    }
    for table, values in rows.items():
        columns = ", ".join(f'"{c}"' for c in values[0])
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values[0])})", values)
    db.commit()
    db.close()


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by table name (not the text-search index's tables: see the search test)."""
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
              if not r[0].startswith(SEARCH_TABLES)]
    dump = {t: db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    db.close()
    return dump


def test_upgrading_indexes_the_stored_sentences_for_text_search(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _v1_database(path)
    with open_store(path) as store:
        found = store.db.execute("SELECT s.source_id FROM event_sources s WHERE s.rowid IN "
                                 "(SELECT rowid FROM source_search WHERE source_search MATCH 'attacked')").fetchall()
        assert found == store.db.execute("SELECT source_id FROM event_sources").fetchall() != []


def test_a_version_1_database_upgrades_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    _v1_database(path)
    before = _dump(path)
    assert all(before.values())
    with open_store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert list(store.documents()) == [_analysis().document]
        [incident] = store.incidents(doc_id="d1")
        assert incident.sources == _analysis().events
        assert [c.claim_id for c in store.claims()] == ["d1-c1"]
        assert [r.type for r in store.relations()] == ["hostile"]
        assert [(r["mentions"], r["events"]) for r in store.actor_rows()] == [(1, 1)]
        assert list(store.errors()) == [("bad.txt", "bad.txt: empty")]
    after = _dump(path)
    # no row is lost or changed: later schema versions only add columns (at the end) and tables
    assert {t: [row[:len(rows[0])] for row in after[t]] for t, rows in before.items()} == before
    assert all(not rows for t, rows in after.items() if t not in before)
    # the columns version 3 adds are filled from what was there
    assert after["events"][0][len(before["events"][0]):] == (1, "", 1)
    assert after["event_sources"][0][len(before["event_sources"][0]):] == ("[]", "2022-01-02")


def test_migrating_a_new_database_step_by_step_matches_migrating_it_at_once(tmp_path: Path) -> None:
    stepwise = sqlite3.connect(tmp_path / "a.db")
    for count in range(1, SCHEMA_VERSION + 1):
        migrate(stepwise, tmp_path / "a.db", load_migrations()[:count])
    open_store(tmp_path / "b.db").close()
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert stepwise.execute(schema).fetchall() == sqlite3.connect(tmp_path / "b.db").execute(schema).fetchall()


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    open_store(path).close()
    db = sqlite3.connect(path)
    broken = Migration(SCHEMA_VERSION + 1, "broken", "CREATE TABLE extra (x INTEGER);\nSELECT * FROM missing;\n")
    with pytest.raises(StoreError, match=r"migration \d{4}_broken failed .*unchanged"):
        apply_migration(db, broken, path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0


def test_a_migration_is_split_into_statements_ignoring_comments() -> None:
    sql = "-- header; with a semicolon\nCREATE TABLE t (a TEXT -- a; note\n);\nCREATE INDEX i ON t(a);\n-- end\n"
    assert [s.splitlines()[-1] for s in Migration(9, "x", sql).statements()] == [");", "CREATE INDEX i ON t(a);"]


# writes


def test_inserts_name_their_columns() -> None:
    assert insert_sql("t", ["a", "end"], replace=True) == 'INSERT OR REPLACE INTO t ("a", "end") VALUES (:a, :end)'


def test_round_trip_of_a_document_and_its_extractions(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        store.save_analysis(_analysis(), [ACTOR_ROW])
        store.replace_incidents(merge_events(store.source_events()))
        assert store.has_document("d1")
        [doc] = store.documents()
        assert doc == _analysis().document
        [incident] = store.incidents()
        assert incident.sources[0].event_id == "d1-e1"
        assert store.incident(incident.incident_id[:6]) == incident
        assert next(store.claims()).speaker == "police:AFG"
        assert next(store.relations()).type == "hostile"
        assert next(store.actor_rows())["mentions"] == 1
        linked = store.db.execute("SELECT event_id FROM event_sources").fetchone()[0]
        assert linked == incident.incident_id


def test_saving_a_document_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(tmp_path / "k.db") as store:
        assert store.save_analysis(_analysis("d1"), [])
        assert not store.save_analysis(_analysis("d1"), [])  # stored already (here or by another process): no error

        def broken(*_: object) -> dict[str, object]:
            raise sqlite3.IntegrityError("a write that fails after the document row went in")

        monkeypatch.setattr(tables, "relation_row", broken)
        with pytest.raises(sqlite3.IntegrityError):
            store.save_analysis(_analysis("d2"), [])  # the whole write rolls back
        assert store.document_count() == 1
        assert store.db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 2


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(text=st.text(min_size=1), title=st.text(), outlet=st.text(), published=st.none() | dates,
       window=st.none() | st.tuples(dates, dates))
def test_any_document_reads_back_as_it_was_written(text: str, title: str, outlet: str, published: date | None,
                                                   window: tuple[date, date] | None) -> None:
    doc = Document("h", text, title=title, outlet=outlet, published=published, published_window=window, path="p")
    with open_store(":memory:") as store:
        store.save_analysis(Analysis(doc), [])
        assert store.document("h") == doc


# queries


def test_incidents_are_filtered_in_sql(tmp_path: Path) -> None:
    with _filled(tmp_path / "k.db") as store:
        def docs(**filters: Any) -> list[str]:
            return [i.sources[0].doc_id for i in store.incidents(**filters)]

        assert docs() == ["d1", "d2"]
        assert docs(family="political") == ["d2"]
        assert docs(country="AF") == ["d1"]
        assert docs(actor="police:PAK") == ["d2"]
        assert docs(doc_id="d2") == ["d2"]
        assert docs(since=date(2023, 1, 1)) == ["d2"]
        assert docs(until=date(2022, 12, 31)) == ["d1"]
        assert docs(since=date(2022, 1, 2), until=date(2022, 1, 2)) == ["d1"]
        assert docs(limit=1) == ["d1"]
        assert docs(family="violence", country="PK") == []


def test_one_incident_by_a_unique_prefix_in_any_case(tmp_path: Path) -> None:
    with _filled(tmp_path / "k.db") as store:
        for incident in store.incidents():
            assert store.incident(incident.incident_id.upper()) == incident
        assert store.incident("") is None  # ambiguous
        assert store.incident("%") is None  # a LIKE wildcard is taken literally
        assert store.incident("zz") is None


def test_documents_by_id_without_their_text(tmp_path: Path) -> None:
    with _filled(tmp_path / "k.db") as store:
        assert [d.doc_id for d in store.documents(["d2", "missing"])] == ["d2"]
        [light] = store.documents(["d1"], with_text=False)
        assert light.text == "" and light.outlet == "Wire" and light.published == date(2022, 1, 2)
        assert store.document("d1") == _analysis().document
        assert store.document("missing") is None
        assert list(store.documents([])) == []


def test_claims_relations_mentions_and_actors_take_filters(tmp_path: Path) -> None:
    with _filled(tmp_path / "k.db") as store:
        assert [c.doc_id for c in store.claims()] == ["d1", "d2"]
        assert [c.doc_id for c in store.claims(doc_id="d2")] == ["d2"]
        assert [c.doc_id for c in store.claims(speaker="nobody")] == []
        assert [r.doc_id for r in store.relations(actor="police:PAK")] == ["d2"]
        assert [r.doc_id for r in store.relations(doc_id="d1")] == ["d1"]
        assert [m.actor_id for m in store.actor_mentions("police:PAK")] == ["police:PAK"]
        assert store.actor_mention_counts() == {"unidentified:AFG": 1, "police:PAK": 1}
        assert [r["actor_id"] for r in store.actor_rows(provisional=True)] == ["police:PAK"]
        assert store.actor_name("police:PAK") == "Police of Pakistan"
        assert store.actor_name("unknown:X") == "unknown:X"


def test_errors_are_kept_in_order(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        store.record_error("a.txt", "first")
        store.record_error("b.txt", "second")
        assert list(store.errors()) == [("a.txt", "first"), ("b.txt", "second")]
