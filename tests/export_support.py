"""A small hand-built store for the query, export and report tests: three articles, one of them hostile.

- ``d1`` (Test Wire, 2023-05-02): gunmen kill four guards at a Herat checkpoint on 2023-05-01.
- ``d2`` (an outlet named like a spreadsheet formula and a Markdown heading, a ``<script>`` title,
  a ``javascript:`` URL): the same Herat attack with six dead, and a sentence holding
  ``&lt;img onerror&gt;`` text; it also has a claim by the Taliban, disputed by the governor.
- ``d3`` (Kabul Times, 2023-06-12): Taliban forces clash with Islamic State fighters in Kabul in
  June 2023 (month precision), ten dead; a hostile relation between the two groups.

``d2`` also reports a riot at an unresolved place whose name is a spreadsheet formula.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
    Quantity,
    Relation,
    Sentence,
    TimeSpan,
    Toll,
)
from khabar.store import Store, open_store

HOSTILE_OUTLET = '=HYPERLINK("javascript:alert(1)") # Heading'
HOSTILE_TITLE = "<script>alert('title')</script>"
HOSTILE_URL = "javascript:alert('url')"
HOSTILE_PLACE = "=SUM(1+1)*cmd|' /C calc'!A0"
HERAT = Place("herat", "Herat", 34.35, 62.2, "AF", "Herat", feature="city")
KABUL = Place("kabul", "Kabul", 34.53, 69.17, "AF", "Kabul", feature="city")
ACTORS = [("taliban", "Taliban", "armed_group", "AF", "Taliban", 0),
          ("islamic-state", "Islamic State", "armed_group", "", "Islamic State", 0),
          ("civilians:AFG", "Civilians of Afghanistan", "civilians", "AF", "Civilians (Afghanistan)", 0),
          ("governor", "The Governor", "person", "AF", "", 0)]

T1 = "Gunmen killed four guards at a checkpoint in Herat on Monday."
T2 = ("+Gunmen killed six guards at a Herat checkpoint, a <script>alert(1)</script> report said. "
      "The page showed &lt;img onerror&gt; text. The Taliban said 6 guards died.")
T3 = "Taliban forces clashed with Islamic State fighters in Kabul in June, leaving ten dead."


def _sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences split at '. ' (enough for these texts)."""
    out, start = [], 0
    for n, part in enumerate(text.split(". ")):
        end = start + len(part) + (1 if not part.endswith(".") else 0)
        end = min(end, len(text))
        out.append(Sentence(n, start, end, text[start:end]))
        start = end + 1
    return tuple(out)


def _ev(doc: str, text: str, sentence: Sentence) -> Evidence:
    """Evidence for a whole sentence."""
    return Evidence(doc, sentence.index, sentence.start, sentence.end, text[sentence.start:sentence.end])


def analyses() -> list[Analysis]:
    """The three analysed articles."""
    s1, s2, s3 = _sentences(T1), _sentences(T2), _sentences(T3)
    e1, e2, e3 = _ev("d1", T1, s1[0]), _ev("d2", T2, s2[0]), _ev("d3", T3, s3[0])
    day = TimeSpan(date(2023, 5, 1), date(2023, 5, 1))
    attack = {"family": "violence", "event_type": "Violence against civilians", "sub_event_type": "Attack",
              "plover_type": "ASSAULT", "actor1": "taliban", "actor2": "civilians:AFG", "time": day, "confidence": 0.8}
    first = Event("d1-e1", "d1", place=PlaceMention(e1, "Herat", HERAT), fatalities=Toll(4, 4, 4, (e1,)),
                  evidence=(e1,), **attack)  # type: ignore[arg-type]
    second = Event("d2-e1", "d2", place=PlaceMention(e2, "Herat", HERAT), fatalities=Toll(6, 6, 6, (e2,)),
                   evidence=(e2,), **attack)  # type: ignore[arg-type]
    clash = Event("d3-e1", "d3", "violence", "Battles", "Armed clash", "FIGHT", actor1="taliban",
                  actor2="islamic-state", place=PlaceMention(e3, "Kabul", KABUL),
                  time=TimeSpan(date(2023, 6, 1), date(2023, 6, 30), "month", 3, 4), fatalities=Toll(10, 10, 10, (e3,)),
                  confidence=0.4, evidence=(e3,))
    riot = Event("d2-e2", "d2", "violence", "Riots", "Mob violence", place=PlaceMention(e2, HOSTILE_PLACE, None),
                 time=TimeSpan(date(2023, 5, 3), date(2023, 5, 3)), confidence=0.3, evidence=(_ev("d2", T2, s2[1]),))
    said = _ev("d2", T2, s2[2])
    claim = Claim("d2-c1", "d2", "taliban", "The Taliban", "6 guards died", said, subject="civilians:AFG",
                  quantities=(Quantity(said, "killed", 6, 6, 6),), disputed_by=("governor",))
    hostile = Relation("taliban", "islamic-state", "hostile", "d3", evidence=(e3,))
    mention = ActorMention(Evidence("d3", 0, 0, 7, "Taliban"), "taliban", "Taliban", "armed_group")
    alias = ActorMention(Evidence("d3", 0, 29, 43, "Islamic State"), "islamic-state", "Islamic State", "armed_group")
    return [
        Analysis(Document("d1", T1, "Herat checkpoint attack", "https://wire.example/herat", "Test Wire",
                          date(2023, 5, 2), "metadata", path="d1.txt"), sentences=s1, events=(first,)),
        Analysis(Document("d2", T2, HOSTILE_TITLE, HOSTILE_URL, HOSTILE_OUTLET, date(2023, 5, 3), "metadata",
                          path="d2.txt"), sentences=s2, events=(second, riot), claims=(claim,)),
        Analysis(Document("d3", T3, "Kabul clash", "https://times.example/kabul", "Kabul Times", date(2023, 6, 12),
                          "metadata", path="d3.txt"), sentences=s3, events=(clash,), relations=(hostile,),
                 actors=(mention, alias)),
    ]


def build(path: Path) -> Store:
    """A merged store of the three articles at ``path``."""
    store = open_store(path)
    for analysis in analyses():
        store.save_analysis(analysis, ACTORS)
    store.replace_incidents(merge_events(store.source_events()))
    return store
