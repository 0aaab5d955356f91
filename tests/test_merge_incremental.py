"""Incremental merging, full re-merges, stable ids, reasons, copies and the candidate index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar import corpus, export
from khabar.merge import edits, index, merge_events, rules
from khabar.records import Event, Place
from khabar.store import open_store
from merge_support import AIRPORT, HERAT, KANDAHAR, PLACES, analysis, event, grouping, ids, ingest

# an invented province whose centre lies far (about 400 km, beyond the cells a town reaches) from Herat, a town in it
HERAT_PROVINCE = Place("herat-province", "Herat Province", 36.6, 65.5, "AF", "Herat", feature="admin1")
# invented people: a victim one report names as a party and another only mentions
VICTIM = "provisional:tamsin-oduya"
SPOKESMAN = "provisional:lorcan-breeve"

# grouping: incremental, full and in memory agree, whatever the order


event_specs = st.tuples(st.sampled_from((*PLACES, HERAT_PROVINCE)), st.one_of(st.none(), st.integers(0, 40)),
                        st.sampled_from(["iskp", "taliban", ""]),
                        st.sampled_from(["Battles", "Explosions/Remote violence"]), st.booleans(),
                        st.sampled_from(["", "party", "named"]))


def _person(one: Event, role: str) -> Event:
    """An event naming the invented victim as a party, only in passing, or not at all."""
    if role == "party":
        return replace(one, actor2=VICTIM)
    return replace(one, associated=(VICTIM,)) if role == "named" else one


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(st.lists(event_specs, min_size=1, max_size=2), min_size=2, max_size=9),
       order=st.randoms(use_true_random=False), cuts=st.lists(st.integers(1, 8), max_size=4))
def test_any_ingest_order_gives_the_grouping_a_rebuild_gives(specs: list[list[tuple[Place | None, int | None,
                                                                                    str, str, bool, str]]],
                                                              order: object, cuts: list[int], tmp_path: Path) -> None:
    analyses = [analysis(f"d{d}", *(_person(event(f"d{d}", n, place, day, actor, kind=kind,
                                                  flags=("from_publication",) if weak else ()), role)
                                     for n, (place, day, actor, kind, weak, role) in enumerate(doc)))
                for d, doc in enumerate(specs)]
    order.shuffle(analyses)  # type: ignore[attr-defined]
    bounds = sorted({c for c in cuts if c < len(analyses)})
    batches = [analyses[a:b] for a, b in zip([0, *bounds], [*bounds, len(analyses)], strict=True)]
    with open_store(":memory:") as store:
        for batch in batches:
            ingest(store, *batch)
        incremental = grouping(store)
        ids_before = ids(store)
        corpus.merge(store, rebuild=True)
        assert grouping(store) == incremental
        assert ids(store) == ids_before  # a rebuild keeps every id whose incident still exists
    merged = merge_events([e for a in analyses for e in a.events])
    in_memory = {frozenset(s.event_id for s in i.sources) for i in merged}
    assert in_memory == incremental
    assert sum(len(g) for g in incremental) == sum(len(a.events) for a in analyses)


def test_events_of_one_document_stay_apart_and_a_group_is_complete_link() -> None:
    # b agrees with a (same day), c with b (next day) but c is two days from a: c may not join a's group
    a, b, c = event("a", day=10), event("b", day=11), event("c", day=12)
    groups = {frozenset(s.event_id for s in i.sources) for i in merge_events([c, b, a])}
    assert groups == {frozenset({"a-e1", "b-e1"}), frozenset({"c-e1"})}
    assert len(merge_events([event("a", 1), event("a", 2)])) == 2


# stable ids, aliases and reasons


def test_an_incident_keeps_its_id_as_sources_join(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        ingest(store, analysis("b", event("b", killed=5)))
        [first] = store.incidents()
        # "a" sorts first, so an id hashed from the smallest member (as before) would change
        ingest(store, analysis("a", event("a", place=AIRPORT, killed=7)))
        [joined] = store.incidents()
        assert joined.incident_id == first.incident_id
        assert {s.doc_id for s in joined.sources} == {"a", "b"}
        reasons = {link.source_id: link.reasons for link in joined.links}
        # regrouped in precision order, "a" comes first; "b" joined it for these reasons
        assert reasons["b-e1"] == ("same type", "Kabul airport and Kabul are 5 km apart", "same date",
                                   "same actors: iskp")
        assert reasons["a-e1"] == ()


def test_when_two_incidents_merge_the_older_id_survives_and_the_other_still_resolves(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        ingest(store, analysis("y", event("y", day=10, place=None)))
        ingest(store, analysis("x", event("x", day=10, actor="")))  # no place in y, no actor in x: apart
        older = store.links(["y-e1"])["y-e1"]
        younger = store.links(["x-e1"])["x-e1"]
        assert store.ages([older])[older] < store.ages([younger])[younger]
        merged = edits.merge(store, younger, older, "ana")  # the order given does not matter: the older id wins
        assert merged.incident_id == older
        assert {s.event_id for s in merged.sources} == {"x-e1", "y-e1"}
        assert store.incident(younger) == store.incident(younger[:7]) == merged
        assert store.aliases_of(older) == [younger]
        corpus.merge(store, rebuild=True)
        assert store.incident(younger) == store.incident(older) == next(store.incidents())
        assert store.incident(older).incident_id == older  # type: ignore[union-attr]


def test_an_old_store_is_reindexed_and_keeps_its_ids(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        store.save_analyses([analysis("a", event("a")), analysis("k", event("k", place=KANDAHAR))])
        store.replace_incidents(merge_events(store.events_of_docs(["a", "k"])))  # as khabar did before
        before = ids(store)
        ingest(store, analysis("b", event("b", place=AIRPORT)))
        after = ids(store)
        assert after[frozenset({"k-e1"})] == before[frozenset({"k-e1"})]
        assert after[frozenset({"a-e1", "b-e1"})] == before[frozenset({"a-e1"})]


# near-duplicate copies count once


WIRE = ("KABUL, Aug 26 (Wire) - A suicide bomber struck crowds outside Kabul airport on Thursday, killing at "
        "least ten people including children, officials said, as thousands tried to flee the country after the "
        "Taliban takeover. The Islamic State group claimed the attack in a statement on its channels.")


def test_a_wire_copy_counts_once_and_does_not_weigh_twice_in_the_toll(tmp_path: Path) -> None:
    with open_store(tmp_path / "k.db") as store:
        ingest(store,
                analysis("wire", event("wire", killed=10), text=WIRE),
                analysis("copy", event("copy", killed=10), text="Republished: " + WIRE + " More follows."),
                analysis("own", event("own", place=AIRPORT, killed=2)))
        [incident] = store.incidents()
        assert len(incident.sources) == 3 and incident.independent == 2
        assert {link.copy_group for link in incident.links} == {"copy", "own"}
        assert incident.fatalities is not None
        # the copy is left out of the median: (10, 2) -> 6, where (10, 10, 2) would give 10
        assert (incident.fatalities.low, incident.fatalities.best, incident.fatalities.high) == (2, 6, 10)
        assert incident.event.fatalities == incident.fatalities
        assert export.incident_row(incident, store)["sources"] == 2  # `khabar events` counts independent reports


# the candidate index


def test_the_index_reaches_at_least_as_far_as_the_rules() -> None:
    assert index.NEAR_KM >= rules.PLACE_KM
    assert index.FIRM_SLACK_DAYS >= rules.DATE_SLACK_DAYS


def _candidates(a: Event, b: Event) -> bool:
    ka, kb = index.keys_of(a), index.keys_of(b)
    return bool(set(ka.probe) & set(kb.post))


SPEC_PLACES = (*PLACES, HERAT_PROVINCE)
ROLES = ("", "party", "named")


@given(st.sampled_from(SPEC_PLACES), st.sampled_from(SPEC_PLACES), st.none() | st.integers(0, 30),
       st.none() | st.integers(0, 30), st.booleans(), st.booleans(), st.floats(-80, 80), st.floats(-179.9, 179.9),
       st.sampled_from(ROLES), st.sampled_from(ROLES), st.sampled_from(["iskp", ""]), st.sampled_from([None, 4]))
def test_candidacy_is_symmetric_and_finds_every_pair_the_rules_merge(pa: Place | None, pb: Place | None,
                                                                      da: int | None, db: int | None, wa: bool,
                                                                      wb: bool, lat: float, lon: float,
                                                                      ra: str, rb: str, actor: str,
                                                                      killed: int | None) -> None:
    shift = Place("far", "Far", lat, lon)  # anywhere on earth below 74 degrees, with a neighbour 40 km north
    for first, second in ((pa, pb), (shift, Place("near", "Near", lat + 0.36, lon))):
        a = _person(event("a", place=first, day=da, actor=actor, killed=killed,
                          flags=("from_publication",) if wa else ()), ra)
        b = _person(event("b", place=second, day=db, actor=actor, killed=killed,
                          flags=("from_publication",) if wb else ()), rb)
        assert _candidates(a, b) == _candidates(b, a)
        if rules.same_incident(a, b):
            assert _candidates(a, b)


def test_a_province_and_a_town_in_it_need_more_than_the_day_and_a_perpetrator() -> None:
    town, province = event("a", place=HERAT, day=0), event("b", place=HERAT_PROVINCE, day=0)
    assert not _candidates(town, province) and not rules.same_incident(town, province)
    assert rules.same_incident(replace(town, place=None), province)  # unplaced, the perpetrator stands in


def test_a_province_meets_the_towns_in_it_however_far_from_its_centre() -> None:
    town, province = event("a", place=HERAT, killed=4), event("b", place=HERAT_PROVINCE, killed=4)
    assert _candidates(town, province) and _candidates(province, town)
    assert len(merge_events([town, province])) == 1  # the day and the toll agree besides the province
    # a town elsewhere is no candidate by the province, nor a town dated only by its publication
    assert not _candidates(event("c", place=KANDAHAR, killed=4), province)
    assert not _candidates(event("d", place=HERAT, killed=4, flags=("from_publication",)), province)


def test_a_shared_person_pairs_an_unplaced_report_but_never_two_placed_ones() -> None:
    placed = _person(event("a", actor=""), "party")
    unplaced = _person(event("b", place=None, actor=""), "named")
    assert _candidates(placed, unplaced) and _candidates(unplaced, placed)
    assert len(merge_events([placed, unplaced])) == 1
    # placed reports meet by their cells; a name alone (a spokesman's) pairs no two placed reports
    elsewhere = replace(event("c", place=KANDAHAR, actor=""), associated=(SPOKESMAN,))
    assert not _candidates(replace(placed, associated=(SPOKESMAN,)), elsewhere)


def test_an_event_with_neither_place_nor_date_meets_only_its_kind() -> None:
    loose = event("a", place=None, day=None, actor="military:AFG")
    assert _candidates(loose, event("b", place=None, day=None, actor="police:AFG"))
    assert not _candidates(loose, event("c", place=None, day=None, actor="police:PAK"))
    assert not _candidates(loose, event("d"))
