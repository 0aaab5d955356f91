from datetime import date

from khabar.records import (
    Analysis,
    Document,
    Event,
    Evidence,
    Incident,
    Place,
    PlaceMention,
    Quantity,
    Sentence,
    TimeSpan,
    Toll,
    as_dict,
    from_dict,
)

EV = Evidence("d1", 0, 4, 9, "Kabul")


def test_event_round_trips_through_its_dict_form() -> None:
    event = Event(
        "e1", "d1", "violence", "Battles", "Armed clash", actor1="taliban", associated=("x", "y"),
        place=PlaceMention(EV, "Kabul", Place("p1", "Kabul", 34.5, 69.2, "AF", "Kabul")),
        time=TimeSpan(date(2021, 8, 26), date(2021, 8, 26), flags=("from_publication",)),
        fatalities=Toll(3, 4, None, (EV,)), evidence=(EV,),
    )
    data = as_dict(event)
    assert data["time"]["start"] == "2021-08-26"
    assert data["associated"] == ["x", "y"]
    assert from_dict(Event, data) == event


def test_nested_quantities_and_incidents_round_trip() -> None:
    part = Quantity(EV, "killed", 13, 13, 13, group="US service members")
    total = Quantity(EV, "killed", 183, 183, 183, parts=(part, part))
    incident = Incident("i1", Event("e1", "d1", "violence"), (Event("e1", "d1", "violence"),), disagreements=("x",))
    assert from_dict(Quantity, as_dict(total)) == total
    assert from_dict(Incident, as_dict(incident)) == incident


def test_evidence_finds_the_sentence_of_a_span() -> None:
    text = "First one. Second one here."
    analysis = Analysis(Document("d", text), sentences=(Sentence(0, 0, 10, "First one."),
                                                         Sentence(1, 11, 27, "Second one here.")))
    evidence = analysis.evidence(18, 21)
    assert (evidence.sentence, evidence.text) == (1, "one")
    assert analysis.sentence_of(100) is None
