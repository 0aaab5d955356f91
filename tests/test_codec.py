"""The store's fast codec gives exactly what records.as_dict and records.from_dict give."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from khabar.records import (
    Event,
    Evidence,
    FieldEvidence,
    Incident,
    Place,
    PlaceMention,
    Quantity,
    SourceLink,
    TimeSpan,
    Toll,
    as_dict,
    from_dict,
)
from khabar.store.codec import decode, encode

text = st.text(max_size=8)
ev = st.builds(Evidence, text, st.integers(-1, 5), st.integers(0, 9), st.integers(0, 9), text)
toll = st.none() | st.builds(Toll, st.none() | st.integers(0, 9), st.none() | st.integers(0, 9),
                             st.none() | st.integers(0, 9), st.lists(ev, max_size=2).map(tuple))
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1))
place = st.none() | st.builds(PlaceMention, ev, text, st.none() | st.builds(Place, text, text, st.floats(-90, 90),
                                                                           st.floats(-180, 180), text))
events = st.builds(Event, text, text, st.sampled_from(["violence", "political"]), text, actor1=text, place=place,
                   time=st.none() | st.builds(TimeSpan, days, days, flags=st.lists(text, max_size=2).map(tuple)),
                   fatalities=toll, injuries=toll, confidence=st.floats(0, 1),
                   evidence=st.lists(ev, max_size=2).map(tuple),
                   field_evidence=st.lists(st.builds(FieldEvidence, text, ev), max_size=2).map(tuple))


@given(events, st.lists(st.builds(SourceLink, text, st.lists(text, max_size=2).map(tuple), text), max_size=2))
def test_codec_matches_records_on_events_and_incidents(event: Event, links: list[SourceLink]) -> None:
    incident = Incident("i", event, (event, event), event.fatalities, None, ("x",), tuple(links), 2, "rejected")
    for record, cls in ((event, Event), (incident, Incident)):
        assert encode(record) == as_dict(record)
        data = json.loads(json.dumps(as_dict(record)))
        assert decode(cls, data) == from_dict(cls, data) == record


def test_codec_handles_nested_quantities_and_missing_fields() -> None:
    inner = Quantity(Evidence("d", 0, 0, 1, "x"), "killed", 1, 2, 3)
    outer = Quantity(Evidence("d", 0, 0, 1, "x"), "killed", None, 5, None, parts=(inner,))
    assert decode(Quantity, json.loads(json.dumps(encode(outer)))) == outer
    old = {"incident_id": "i", "event": as_dict(Event("e", "d", "violence")), "sources": []}
    assert decode(Incident, old) == from_dict(Incident, old)  # records stored before new fields had them
