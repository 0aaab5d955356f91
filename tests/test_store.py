import sqlite3
from datetime import date
from pathlib import Path

import pytest

from khabar.errors import StoreError
from khabar.merge import merge_events
from khabar.records import (
    ActorMention,
    Analysis,
    Claim,
    Document,
    Event,
    Evidence,
    Relation,
    Sentence,
)
from khabar.store import SCHEMA_VERSION, open_store

TEXT = "Gunmen attacked a post. Police said two died."


def _analysis(doc_id: str = "d1") -> Analysis:
    ev = Evidence(doc_id, 0, 0, 6, "Gunmen")
    doc = Document(doc_id, TEXT, outlet="Wire", published=date(2022, 1, 2), published_source="metadata",
                   published_window=(date(2022, 1, 1), date(2022, 1, 3)), path="a.txt")
    return Analysis(
        doc,
        sentences=(Sentence(0, 0, 23, TEXT[:23]), Sentence(1, 24, 45, TEXT[24:])),
        actors=(ActorMention(ev, "unidentified:AFG", "Unidentified", "unidentified"),),
        events=(Event(f"{doc_id}-e1", doc_id, "violence", "Violence against civilians", "Attack", evidence=(ev,)),),
        claims=(Claim(f"{doc_id}-c1", doc_id, "police:AFG", "Police", "two died", Evidence(doc_id, 1, 24, 45, "x")),),
        relations=(Relation("a", "b", "hostile", doc_id, evidence=(ev,)),),
    )


def test_schema_is_versioned_and_wal(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_round_trip_of_a_document_and_its_extractions(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        store.save_analysis(_analysis(), [("unidentified:AFG", "Unidentified", "unidentified", "AF", "", 0)])
        store.replace_incidents(merge_events(store.source_events()))
        assert store.has_document("d1")
        [doc] = store.documents()
        assert doc == _analysis().document
        [incident] = store.incidents()
        assert incident.sources[0].event_id == "d1-e1"
        assert store.incident(incident.incident_id[:6]) == incident
        assert store.claims()[0].speaker == "police:AFG"
        assert store.relations()[0].type == "hostile"
        assert store.actor_rows()[0]["mentions"] == 1
        linked = store.db.execute("SELECT event_id FROM event_sources").fetchone()[0]
        assert linked == incident.incident_id


def test_saving_a_document_is_all_or_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        store.save_analysis(_analysis("d1"), [])
        with pytest.raises(sqlite3.IntegrityError):
            store.save_analysis(_analysis("d1"), [])  # same id again: the whole second write rolls back
        assert store.document_count() == 1
        assert store.db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 2


def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(StoreError, match="upgrade khabar"):
        open_store(path)


def test_a_directory_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)


def test_a_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(path)
