"""Shared helpers of the events stage's tests: our own test actors and a text -> events runner."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import replace

from khabar import events, nlp
from khabar.records import ActorMention, Analysis, Document, Event, Place, PlaceMention

# Our own test actors: surface -> (actor id, registry type).
ACTORS = {
    "Taliban": ("taliban", "armed_group"),
    "Islamic State": ("islamic-state", "armed_group"),
    "ISKP": ("islamic-state-khorasan-province", "armed_group"),
    "Afghan army": ("military:AFG", "state_forces"),
    "soldiers": ("military:AFG", "state_forces"),
    "police": ("police:AFG", "state_forces"),
    "Russia": ("state:RUS", "state"),
    "Tajikistan": ("state:TJK", "state"),
    "Uzbekistan": ("state:UZB", "state"),
}

Analyse = Callable[..., Analysis]


def events_runner(model: nlp.Language, resources: events.EventResources) -> Analyse:
    """A function that parses a text, marks the test actors (and ``sites`` as places) and runs the events stage."""

    def run(text: str, sites: tuple[str, ...] = ()) -> Analysis:
        analysis = nlp.parse(Analysis(Document(doc_id="t", text=text)), model)
        spots = [
            PlaceMention(analysis.evidence(m.start(), m.end()), name,
                         Place(f"p:{name}", name, *apart(name), country="AF"))
            for name in sites
            for m in re.finditer(name, text)
        ]
        analysis = replace(analysis, places=tuple(sorted(spots, key=lambda p: p.evidence.start)))
        mentions = []
        for surface, (actor_id, kind) in ACTORS.items():
            for match in re.finditer(rf"\b{re.escape(surface)}\b", text):
                evidence = analysis.evidence(match.start(), match.end())
                mentions.append(ActorMention(evidence, actor_id, surface, kind))
        analysis = replace(analysis, actors=tuple(sorted(mentions, key=lambda m: m.evidence.start)))
        return events.extract_events(analysis, resources)

    return run


def violent(analysis: Analysis) -> list[Event]:
    """The violent events of an analysis."""
    return [e for e in analysis.events if e.family == "violence"]


def apart(name: str) -> tuple[float, float]:
    """Made-up coordinates for a test place, a degree or more from any other name's (incidents tell places apart)."""
    code = zlib.crc32(name.encode())
    return 30.0 + code % 97, 60.0 + code // 97 % 89


def with_place(analysis: Analysis, surface: str, country: str) -> Analysis:
    """An analysis with one more resolved place, in ``country``, and its events cleared."""
    start = analysis.document.text.index(surface)
    evidence = analysis.evidence(start, start + len(surface))
    place = PlaceMention(evidence, surface, Place(f"p:{surface}", surface, *apart(surface), country=country))
    return replace(analysis, places=(*analysis.places, place), events=())


def with_person(analysis: Analysis, surface: str, role: str) -> Analysis:
    """An analysis with one more unregistered person holding ``role``, and its events cleared."""
    start = analysis.document.text.index(surface)
    evidence = analysis.evidence(start, start + len(surface))
    person = ActorMention(evidence, "provisional:x", surface, "person", kind="provisional", role=role)
    actors = tuple(sorted((*analysis.actors, person), key=lambda m: m.evidence.start))
    return replace(analysis, actors=actors, events=())
