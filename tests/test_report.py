from datetime import date
from pathlib import Path

from khabar.merge import merge_events
from khabar.records import (
    Analysis,
    Claim,
    Document,
    Event,
    Evidence,
    Place,
    PlaceMention,
    Sentence,
    TimeSpan,
    Toll,
)
from khabar.report import build_report
from khabar.store import open_store

TEXT = ("Gunmen killed four guards at a checkpoint in Herat on Monday. "
        "Attacks have killed thousands across the country over the years. "
        "The governor said 4 guards died.")
S0, S1, S2 = (0, 61), (62, 127), (128, 160)


def _store(tmp_path: Path):  # type: ignore[no-untyped-def]
    doc = Document("d1", TEXT, outlet="Test Wire", published=date(2023, 5, 2), published_source="metadata")
    ev = [Evidence("d1", i, a, b, TEXT[a:b]) for i, (a, b) in enumerate((S0, S1, S2))]
    herat = PlaceMention(ev[0], "Herat", Place("herat", "Herat", 34.35, 62.2, "AF", "Herat", feature="city"))
    country = PlaceMention(ev[1], "the country", Place("af", "Afghanistan", 33.9, 67.7, "AF", feature="country"))
    specific = Event("d1:e0", "d1", "violence", "Violence against civilians", "Attack", place=herat,
                     time=TimeSpan(date(2023, 5, 1), date(2023, 5, 1)), fatalities=Toll(4, 4, 4, (ev[0],)),
                     evidence=(ev[0],))
    vague = Event("d1:e1", "d1", "violence", "Violence against civilians", "Attack", place=country,
                  time=TimeSpan(date(2015, 1, 1), date(2023, 5, 2)), fatalities=Toll(1000, 1000, 1000, (ev[1],)),
                  evidence=(ev[1],))
    claim = Claim("c1", "d1", "", "The governor", "4 guards died", ev[2], stance="asserts", disputed_by=("x",))
    analysis = Analysis(doc, sentences=tuple(Sentence(i, a, b, TEXT[a:b]) for i, (a, b) in enumerate((S0, S1, S2))),
                        events=(specific, vague), claims=(claim,))
    store = open_store(tmp_path / "r.db")
    store.save_analysis(analysis, [])
    store.replace_incidents(merge_events(store.source_events()))
    return store


def test_specific_incidents_come_before_vague_ones_and_cite_their_sentence(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        text = build_report(store)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert "Herat" in headings[0]
    assert "Afghanistan" in headings[1]
    assert f'"{TEXT[S0[0]:S0[1]]}" (Test Wire, 2023-05-02; d1@{S0[0]}-{S0[1]})' in text
    assert "killed 4;" in text


def test_disputed_claims_are_listed_with_their_source(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        text = build_report(store)
    section = text.split("## Open and disputed claims", 1)[1]
    assert "The governor (asserts)" in section
    assert "Disputed by x." in section
