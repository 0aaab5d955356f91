from dataclasses import replace
from datetime import date

from khabar.merge import combine_tolls, merge_events, same_incident
from khabar.places import km_between
from khabar.records import Event, Evidence, Place, PlaceMention, TimeSpan, Toll

KABUL = Place("kabul", "Kabul", 34.53, 69.17, "AF", "Kabul")
KABUL_AIRPORT = Place("hkia", "Kabul airport", 34.565, 69.212, "AF", "Kabul")
KANDAHAR = Place("kandahar", "Kandahar", 31.61, 65.71, "AF", "Kandahar")


def _event(doc: str, place: Place | None = KABUL, day: int | None = 26, actor1: str = "iskp",
           killed: int | None = None, event_type: str = "Explosions/Remote violence", status: str = "occurred",
           flags: tuple[str, ...] = ()) -> Event:
    evidence = Evidence(doc, 0, 0, 5, "blast")
    return Event(
        f"{doc}-e", doc, "violence", event_type, "Suicide bomb", actor1=actor1,
        place=PlaceMention(evidence, place.name, place) if place else None,
        time=TimeSpan(date(2021, 8, day), date(2021, 8, day), flags=flags) if day else None,
        fatalities=Toll(killed, killed, killed, (evidence,)) if killed is not None else None,
        status=status, evidence=(evidence,),
    )


def test_reports_of_one_bombing_from_three_documents_become_one_incident() -> None:
    incidents = merge_events([_event("a", killed=60), _event("b", KABUL_AIRPORT, 27, killed=79),
                              _event("c", day=None, killed=183)])
    assert len(incidents) == 1
    incident = incidents[0]
    assert len(incident.sources) == 3
    assert incident.fatalities is not None
    assert (incident.fatalities.low, incident.fatalities.best, incident.fatalities.high) == (60, 79, 183)
    assert any("fatalities differ" in note for note in incident.disagreements)


def test_different_places_types_or_dates_stay_apart() -> None:
    assert not same_incident(_event("a"), _event("b", KANDAHAR))
    assert not same_incident(_event("a"), _event("b", event_type="Battles"))
    assert not same_incident(_event("a", day=1), _event("b", day=20))
    assert len(merge_events([_event("a"), _event("b", KANDAHAR)])) == 2


def test_events_of_one_document_are_never_merged_here() -> None:
    assert len(merge_events([_event("a"), _event("a")])) == 2


def test_aggregates_and_threats_are_not_merged_with_incidents() -> None:
    assert not same_incident(_event("a", status="aggregate"), _event("b"))
    assert not same_incident(_event("a", status="planned"), _event("b"))


def test_a_publication_date_alone_neither_blocks_nor_supports() -> None:
    assert same_incident(_event("a"), _event("b", day=2, flags=("from_publication",)))
    assert not same_incident(_event("a", actor1=""), _event("b", place=None, day=2, flags=("from_publication",)))


def test_conflicting_perpetrators_block_unless_unidentified() -> None:
    assert not same_incident(_event("a"), _event("b", actor1="taliban"))
    assert same_incident(_event("a"), _event("b", actor1="unidentified:AFG"))


def test_combine_tolls_keeps_the_range_and_its_evidence() -> None:
    ev = Evidence("d", 0, 0, 1, "x")
    toll = combine_tolls([Toll(12, None, None, (ev,)), Toll(20, 25, 30, (ev,)), None])
    assert toll is not None
    assert (toll.low, toll.best, toll.high) == (12, 18, 30)
    assert len(toll.evidence) == 2
    assert combine_tolls([None, None]) is None


def test_distance() -> None:
    assert km_between(34.53, 69.17, 34.53, 69.17) == 0
    assert 450 < km_between(KABUL.lat, KABUL.lon, KANDAHAR.lat, KANDAHAR.lon) < 500


def test_a_date_from_a_sentence_with_several_events_does_not_block_a_merge() -> None:
    crowded = [replace(_event("a", day=15), event_id="a1"),
               replace(_event("a", KANDAHAR, day=15), event_id="a2")]
    incidents = merge_events([*crowded, _event("b", day=26)])
    assert sorted(len(i.sources) for i in incidents) == [1, 2]
    merged = next(i for i in incidents if len(i.sources) == 2)
    assert merged.event.time is not None and merged.event.time.start.day == 26


def test_same_type_and_city_without_a_date_or_perpetrator_in_common_stay_apart() -> None:
    undated = _event("b", day=5, actor1="", flags=("from_publication",))
    assert not same_incident(_event("a"), undated)


def test_weakly_dated_sources_give_the_incident_the_narrower_date_they_agree_on() -> None:
    month = replace(_event("a", flags=("shared_sentence",)), confidence=0.9)
    month = replace(month, time=TimeSpan(date(2021, 8, 1), date(2021, 8, 31), precision="month",
                                         flags=("shared_sentence",)))
    day = replace(_event("b", day=26, flags=("shared_sentence",)), confidence=0.5)
    [incident] = merge_events([month, day])
    assert incident.event.time is not None
    assert (incident.event.time.start, incident.event.time.end) == (date(2021, 8, 26), date(2021, 8, 26))
    elsewhere = replace(day, event_id="c-e", doc_id="c", time=TimeSpan(date(2021, 9, 2), date(2021, 9, 2)))
    [alone] = merge_events([elsewhere])
    assert alone.event.time == elsewhere.time
