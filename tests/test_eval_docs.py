"""Tests of the document-level harness (`khabar eval docs`/`seeds`) and of `khabar eval incidents`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import khabar.eval as evaluation
from khabar.errors import InputError
from khabar.eval import docs as docs_eval
from khabar.eval import docs_entities, docs_gold
from khabar.eval import incidents as incidents_eval
from khabar.eval.common import load_eval_tables
from khabar.records import (
    Actor,
    ActorMention,
    Analysis,
    Document,
    Event,
    Evidence,
    Incident,
    Place,
    PlaceMention,
    TimeSpan,
    Toll,
)
from khabar.settings import Settings

TABLES = load_eval_tables()  # one set of evaluation tables for every test here, as a run loads one

REPO = Path(__file__).resolve().parent.parent


class FakeRegistry:
    """A registry stand-in: a few actors and their ACLED names."""

    def __init__(self) -> None:
        self.actors = {
            "north-front": Actor("north-front", "Northern Front", "armed_group", aliases=("NF",)),
            "state:FRA": Actor("state:FRA", "France", "state", country="FR"),
        }
        self.acled = {"military:FRA": "Military Forces of France (2017-)", "civilians:FRA": "Civilians (the France)"}

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def acled_name(self, actor_id: str, day: date | None) -> str:
        return self.acled.get(actor_id, "")


REGISTRY: Any = FakeRegistry()
GOLD_ACTORS = [
    {"name": "Northern Front East Wing", "parent": "Northern Front", "note": "may also be coded Northern Front"},
    {"name": "Northern Front", "aliases": ["NF"]},
]
MATCHER = docs_gold.ActorMatcher(REGISTRY, GOLD_ACTORS)
EV = Evidence("d1", 0, 0, 4, "text")
JANUARY = TimeSpan(date(2021, 1, 10), date(2021, 1, 10))


def place(lat: float = 10.0, lon: float = 20.0, name: str = "Alpha", admin1: str = "North") -> PlaceMention:
    return PlaceMention(EV, name, Place(name.lower(), name, lat, lon, country="FR", admin1=admin1))


def event(event_id: str = "e1", doc_id: str = "d1", **fields: Any) -> Event:
    base: dict[str, Any] = {"family": "violence", "event_type": "Battles", "sub_event_type": "Armed clash",
                            "actor1": "north-front", "place": place(), "time": JANUARY}
    base.update(fields)
    return Event(event_id=event_id, doc_id=doc_id, **base)


def gold_event(**fields: Any) -> docs_gold.GoldEvent:
    base: dict[str, Any] = {"key": "g", "docs": ("a.txt",), "window": (date(2021, 1, 1), date(2021, 1, 31)),
                            "point": (10.0, 20.0, 50.0), "place_name": "", "country": "", "actor": "Northern Front",
                            "event_type": "Battles", "actor1": ("Northern Front",)}
    base.update(fields)
    return docs_gold.GoldEvent(**base)


def run_of(events_by_file: dict[str, list[Event]]) -> docs_eval.SeedRun:
    """A run whose documents hold the given events, document ids d1, d2, ... in file order."""
    documents, analyses = {}, {}
    for number, (file, found) in enumerate(events_by_file.items(), start=1):
        document = Document(f"d{number}", "text")
        documents[file] = document
        analyses[file] = Analysis(document, events=tuple(found))
    return docs_eval.SeedRun(documents, analyses, MATCHER)


# --- gold files ---


def test_actor_matcher_names_alternatives_and_acled_names() -> None:
    assert MATCHER.matches("north-front", "northern front")
    assert MATCHER.matches("north-front", "Northern Front East Wing")
    assert not MATCHER.matches("north-front", "Northern Front East Wing", alternatives=False)
    assert MATCHER.matches("military:FRA", "France")
    assert MATCHER.matches("state:FRA", "France (foreign ministry)")
    assert not MATCHER.matches("state:FRA", "Northern Front")
    # ACLED conventions: the year suffix and 'the' do not matter, the force does
    assert MATCHER.matches("military:FRA", "Military Forces of France (2012-2017)")
    assert MATCHER.matches("civilians:FRA", "Civilians (France)")
    assert not MATCHER.matches("military:FRA", "Police Forces of France")


def test_resolve_docs_by_prefix_name_and_number() -> None:
    files = ["000_aa.txt", "001_bb.txt", "note.txt", "isaf-0004"]
    assert docs_gold.resolve_docs([0, "001", "note.txt", "isaf-0004"], files) == tuple(files)


def test_load_gold_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(
        "source: data/x.jsonl\n"
        "documents:\n  - {file: 010_x.txt, published: 2020-05-01}\n  - {file: 008_y.txt}\n  - {file: 009_z.txt}\n"
        "events:\n  - {id: e, docs: [010, 8], optional_docs: ['009'], type: Battles, sub_type: Armed clash,\n"
        "     accept_also: [Attack], window: [2020-01-01, 2020-01-02], actor1: Northern Front,\n"
        "     actor1_alt: Ada Example, actor2: Civilians (France), fatalities: {low: 2, high: 5},\n"
        "     place: {name: Alpha, lat: 1, lon: 2, radius_km: 80}}\n"
        "  - {id: p, docs: [010], plover: CONSULT, actors: [France], optional: true, fatalities: {text: many}}\n",
        encoding="utf-8")
    gold = docs_gold.load_seed_gold(path)
    first, second = gold.events
    assert first.docs == ("010_x.txt", "008_y.txt")
    assert first.optional_docs == ("009_z.txt",)
    assert first.all_docs == ("010_x.txt", "008_y.txt", "009_z.txt")
    assert first.point == (1.0, 2.0, 80.0)
    assert first.window == (date(2020, 1, 1), date(2020, 1, 2))
    assert first.actor1 == ("Northern Front", "Ada Example")
    assert (first.sub_type, first.accept_also, first.actor2) == ("Armed clash", ("Attack",), "Civilians (France)")
    assert first.fatalities == docs_gold.Range(2.0, 5.0)
    assert (second.family, second.actor, second.optional, second.fatalities) == ("political", "France", True, None)
    assert gold.source == "data/x.jsonl"


def test_combined_gold_files_refuse_a_repeated_document(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("documents:\n  - {file: same}\nevents: []\n", encoding="utf-8")
    golds = [docs_gold.load_seed_gold(tmp_path / n) for n in ("a.yaml", "b.yaml")]
    with pytest.raises(InputError, match="listed by two gold files"):
        docs_gold.combine(golds)


def test_a_gold_directory_needs_a_source_per_file(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text("documents:\n  - {file: a}\nevents: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="no top-level 'source'"):
        docs_eval.gold_sets(tmp_path / "shared", tmp_path)


@pytest.mark.parametrize(("text", "root"), [("SEIZE/transfer of power", "SEIZE"), ("AID (promised)", "AID"),
                                            ("REDUCE relations", "REDUCE"), ("", "")])
def test_plover_root(text: str, root: str) -> None:
    assert docs_gold.plover_root(text) == root


# --- matching by kind ---


def test_event_conditions_name_each_failure() -> None:
    found = event(actor1="", actor2="north-front", time=TimeSpan(date(2021, 1, 20), date(2021, 2, 5)))
    assert all(docs_eval.event_conditions(gold_event(), found, "a.txt", MATCHER).values())
    far = event(actor1="state:FRA", event_type="Riots", place=place(lat=12.0),
                time=TimeSpan(date(2021, 3, 1), date(2021, 3, 1)))
    conditions = docs_eval.event_conditions(gold_event(), far, "b.txt", MATCHER)
    assert conditions == {"doc": False, "kind": False, "actor": False, "date": False, "place": False}


def test_kind_is_the_acled_type_whatever_the_family() -> None:
    arrests = gold_event(event_type="Strategic developments", sub_type="Arrests")
    political_detention = event(family="political", event_type="Strategic developments", sub_event_type="Arrests")
    assert docs_eval.kind_ok(arrests, political_detention)
    assert not docs_eval.kind_ok(arrests, event())


def test_kind_accepts_listed_types_sub_types_and_plover_roots() -> None:
    assert docs_eval.kind_ok(gold_event(event_type="Violence against civilians", accept_also=("Battles",)), event())
    assert docs_eval.kind_ok(gold_event(event_type="Protests", accept_also=("Armed clash",)), event())
    consult = gold_event(event_type="", plover="CONSULT (meeting)")
    assert docs_eval.kind_ok(consult, event(family="political", event_type="", plover_type="CONSULT/visit"))
    assert not docs_eval.kind_ok(consult, event(family="political", event_type="", plover_type="AID"))
    sanction = gold_event(event_type="", plover="SANCTION", accept_also=("COERCE",))
    assert docs_eval.kind_ok(sanction, event(family="political", event_type="", plover_type="COERCE"))


def test_actor1_alt_satisfies_the_actor_condition() -> None:
    gold = gold_event(actor="Ada Example", actor1=("Northern Front", "France"))
    assert docs_eval.event_conditions(gold, event(actor1="state:FRA"), "a.txt", MATCHER)["actor"]


# --- precision, duplicates, fields ---


def test_verdicts_separate_matches_duplicates_optional_and_spurious() -> None:
    raid = gold_event(key="raid")
    recalled = gold_event(key="recalled", event_type="Explosions/Remote violence", optional=True)
    run = run_of({"a.txt": [
        event("e1"),                                                 # first report of the raid
        event("e2", sub_event_type="Attack"),                        # the raid again: a duplicate
        event("e3", event_type="Explosions/Remote violence"),        # the optional recalled blast
        event("e4", event_type="Riots"),                             # nothing in the gold
    ]})
    gold = docs_gold.SeedGold((), (), (raid, recalled), (), ())
    verdicts = docs_eval.event_verdicts(gold, run)
    assert verdicts == {"e1": "match", "e2": "duplicate", "e3": "optional", "e4": "spurious"}
    metrics = docs_eval.precision_metrics(verdicts, n_docs=1)
    # the optional match counts neither way: 2 of 3 scored events match, 1 of 3 is a duplicate
    assert metrics == {"event_precision": pytest.approx(2 / 3), "duplicate_events": pytest.approx(1 / 3),
                       "events_per_doc": 4.0, "spurious_events": 1}


def test_an_optional_document_may_match_without_being_required() -> None:
    raid = gold_event(key="raid", docs=("a.txt",), optional_docs=("b.txt",))
    run = run_of({"a.txt": [], "b.txt": [event("e1", doc_id="d2")]})
    gold = docs_gold.SeedGold((), (), (raid,), (), ())
    assert docs_eval.event_verdicts(gold, run) == {"e1": "optional"}
    assert docs_eval.matches(raid, run, required_only=True) == []


def test_field_metrics_take_the_best_matching_event() -> None:
    gold = gold_event(sub_type="Armed clash", actor2="Civilians (France)", fatalities=docs_gold.Range(3, 5))
    wrong = event("e1", sub_event_type="Attack")
    right = event("e2", actor2="civilians:FRA", fatalities=Toll(4, 4, 4))
    run = run_of({"a.txt": [wrong, right]})
    metrics = docs_eval.field_metrics([gold], run)
    assert metrics == {"type_acc": 1.0, "place_acc": 1.0, "date_acc": 1.0, "sub_type_acc": 1.0, "actor1_acc": 1.0,
                       "actor2_acc": 1.0, "fatalities_acc": 1.0, "all_fields_acc": 1.0}


def test_field_metrics_score_type_over_events_right_on_place_date_and_actor() -> None:
    gold = gold_event(fatalities=docs_gold.Range(0, 0))
    run = run_of({"a.txt": [event("e1", event_type="Riots", fatalities=Toll(2, 2, 2))]})
    metrics = docs_eval.field_metrics([gold], run)
    assert metrics["type_acc"] == 0.0
    assert metrics["fatalities_acc"] is None  # no event of the right kind: nothing to take it from
    assert metrics["all_fields_acc"] is None


def test_date_fits_day_or_window() -> None:
    window = (date(2022, 1, 1), date(2022, 3, 31))
    assert docs_entities.date_fits(Document("d", "t", published=date(2022, 2, 1)), window)
    assert not docs_entities.date_fits(Document("d", "t", published=date(2021, 2, 1)), window)
    assert docs_entities.date_fits(Document("d", "t", published_window=(date(2022, 3, 1), date(2022, 5, 1))), window)
    assert not docs_entities.date_fits(Document("d", "t"), window)


def test_alias_scores_count_half_or_more_resolved() -> None:
    text = "NF said the Northern Front held. NF left."
    mention = ActorMention(Evidence("d", 0, 0, 2, "NF"), "north-front", "Northern Front", "armed_group")
    analysis = Analysis(Document("d", text), actors=(mention,))
    run = docs_eval.SeedRun({"a.txt": analysis.document}, {"a.txt": analysis}, MATCHER)
    gold = docs_gold.SeedGold((), tuple(GOLD_ACTORS), (), (), ())
    # "NF" occurs twice, one resolved: half counts as resolved
    assert docs_entities.alias_scores(gold, run) == [True]


def test_jsonl_documents_are_keyed_by_their_id(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [{"id": "one", "text": "Troops clashed with rebels in the north."}, {"text": "No id here at all."},
             {"id": "three", "text": "Police detained two men on Monday.", "published": "2020-05-04"}]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    found = docs_eval.read_documents(path, ["one", "three", "absent"])
    assert set(found) == {"one", "three"}
    assert found["three"].published == date(2020, 5, 4)
    with pytest.raises(InputError, match="none of the gold's documents"):
        docs_eval.read_documents(path, ["absent"])


# --- incidents ---


def test_b_cubed_on_a_hand_case() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    # a and b apart, c alone: precision 1; recall (1/2 + 1/2 + 1) / 3
    precision, recall, f1 = incidents_eval.b_cubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert (precision, recall) == (1.0, pytest.approx(2 / 3))
    assert f1 == pytest.approx(0.8)
    assert incidents_eval.b_cubed({"a": "x", "b": "x", "c": "x"}, gold)[:2] == (pytest.approx(5 / 9), 1.0)


def incident(incident_id: str, *sources: Event, family: str = "violence", status: str = "occurred") -> Incident:
    lead = Event(event_id=sources[0].event_id, doc_id=sources[0].doc_id, family=family, status=status,
                 place=place(), time=JANUARY)
    return Incident(incident_id, lead, sources, fatalities=Toll(1, 1, 1))


def test_main_incident_is_the_violent_occurred_one_with_most_evidence() -> None:
    two = (EV, EV)
    merged = [
        incident("small", event("e1", "d1")),
        incident("big", event("e2", "d1", evidence=two), event("e3", "d2")),
        incident("threat", event("e4", "d1", evidence=two * 3), status="planned"),
        incident("talks", event("e5", "d3", evidence=two * 3), family="political"),
    ]
    main, counts = incidents_eval.main_incidents(merged, ["d1", "d2", "d3"])
    assert main == {"d1": "big", "d2": "big"}
    assert counts == {"d1": 2, "d2": 1, "d3": 0}


def test_fact_scores_compare_date_admin1_place_and_tolls() -> None:
    gold = incidents_eval.GoldIncident("7", date(2021, 1, 10), "North", "Beta (Alpha)", 10.1, 20.0, 1, 0)
    scores = incidents_eval.fact_scores(gold, incident("i", event("e1")), TABLES)
    assert scores == {"date_acc": True, "admin1_acc": True, "place_25km": True, "killed_acc": True,
                      "injured_acc": True}
    assert not any(incidents_eval.fact_scores(gold, None, TABLES).values())


def test_load_incidents_refuses_an_article_of_an_unknown_incident(tmp_path: Path) -> None:
    (tmp_path / "docs.jsonl").write_text(json.dumps({"id": "a", "incident_id": "9", "text": "x"}) + "\n")
    (tmp_path / "incidents.jsonl").write_text(json.dumps({"incident_id": "8", "date": "2020-01-02"}) + "\n")
    with pytest.raises(InputError, match="no row for incident"):
        incidents_eval.load_incidents(tmp_path)


# --- whole runs on ../shared, read in place ---


def test_team_gold_runs_on_the_shared_articles(shared: Path) -> None:
    metrics = evaluation.run_eval("docs", shared, REPO / "gold", 6, Settings(processes=1))
    assert metrics["n"] >= 1
    assert 0.0 <= metrics["event_precision"] <= 1.0
    assert metrics["events_per_doc"] > 0


def test_team_gold_lists_at_least_eighty_articles() -> None:
    golds = [docs_gold.load_seed_gold(path) for path in sorted((REPO / "gold").glob("*.yaml"))]
    combined = docs_gold.combine(golds)
    assert len(combined.files) >= 80
    assert all(g.docs or g.optional_docs for g in combined.events)


def test_incidents_run_on_gvc_dev(shared: Path) -> None:
    metrics = evaluation.run_eval("incidents", shared / "data" / "incidents" / "gvc_dev", None, 8,
                                  Settings(processes=1))
    assert set(metrics) >= {"doc_b3_p", "doc_b3_r", "doc_b3_f1", "incidents_per_doc", "found", "date_acc",
                            "admin1_acc", "place_25km", "killed_acc", "injured_acc"}
    assert metrics["n"] >= 1
