"""Shared helpers of the merge tests: document-level events, analyses and stores merged step by step."""

from __future__ import annotations

from datetime import date, timedelta

from khabar import corpus
from khabar.records import Analysis, Document, Event, Evidence, Place, PlaceMention, TimeSpan, Toll
from khabar.store import Store

KABUL = Place("kabul", "Kabul", 34.53, 69.17, "AF", "Kabul")
AIRPORT = Place("hkia", "Kabul airport", 34.565, 69.212, "AF", "Kabul")
KANDAHAR = Place("kandahar", "Kandahar", 31.61, 65.71, "AF", "Kandahar")
HERAT = Place("herat", "Herat", 34.34, 62.2, "AF", "Herat")
PLACES = (KABUL, AIRPORT, KANDAHAR, HERAT, None)


def event(doc: str, n: int = 1, place: Place | None = KABUL, day: int | None = 26, actor: str = "iskp",
           killed: int | None = None, kind: str = "Explosions/Remote violence",
           flags: tuple[str, ...] = ()) -> Event:
    evidence = Evidence(doc, n, 0, 5, "blast")
    when = date(2021, 8, 1) + timedelta(days=day) if day is not None else None
    return Event(f"{doc}-e{n}", doc, "violence", kind, "Suicide bomb", actor1=actor,
                 place=PlaceMention(evidence, place.name, place) if place else None,
                 time=TimeSpan(when, when, flags=flags) if when else None,
                 fatalities=Toll(killed, killed, killed, (evidence,)) if killed is not None else None,
                 evidence=(evidence,))


def analysis(doc: str, *events: Event, text: str = "") -> Analysis:
    body = text or f"Report {doc}: an attack was reported by our correspondent number {doc}."
    return Analysis(Document(doc, body, outlet=f"Outlet {doc}", published=date(2021, 8, 28), path=f"{doc}.txt"),
                    events=events)


def ingest(store: Store, *analyses: Analysis) -> None:
    store.save_analyses(list(analyses))
    corpus.merge(store)


def grouping(store: Store) -> set[frozenset[str]]:
    return {frozenset(s.event_id for s in i.sources) for i in store.incidents(rejected=True)}


def ids(store: Store) -> dict[frozenset[str], str]:
    return {frozenset(s.event_id for s in i.sources): i.incident_id for i in store.incidents(rejected=True)}
