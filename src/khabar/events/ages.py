"""The ages a report gives for an incident's people ("a 4-year-old boy", "Kendal Pinkerton, 2,"), a merge key.

Two local reports of one shooting rarely agree on much else that is written the same way, but both give
the victim's age, and most give it in the headline. An event's ages are those told in its own sentences
and in the sentences no other event of the document tells; the lead event (the one with the most
evidence) also takes the title's. Only violent events get ages: the merge reads them for incidents.
"""

from __future__ import annotations

import re
from dataclasses import replace

from khabar.quantities import NumberWords
from khabar.quantities.numbers import number_value
from khabar.records import Analysis, Event

MAX_AGE = 110
# "a 4-year-old", "four-year-old", "22 years old", "aged 45", and an age set off after a name: "Joe Smith, 29,"
_AGE = re.compile(
    r"\b(?P<years>[A-Za-z]+(?:-[a-z]+)?|\d{1,3})[- ](?:years?|yrs?)[- ]old\b"
    r"|\b(?:aged|age)\s+(?P<aged>\d{1,3})\b"
    r"|\b[A-Z][\w'’-]+,\s(?P<set_off>\d{1,2}),"
)


def with_ages(analysis: Analysis, events: tuple[Event, ...], words: NumberWords) -> tuple[Event, ...]:
    """The events, each violent one with the ages its report gives for its people."""
    violent = [e for e in events if e.family == "violence"]
    if not violent:
        return events
    told = {id(e): {ev.sentence for ev in e.evidence} for e in violent}
    claimed = set().union(*told.values())
    free = [s.text for s in analysis.sentences if s.index not in claimed]
    lead = max(violent, key=lambda e: len(e.evidence))
    by_index = {s.index: s.text for s in analysis.sentences}
    found = []
    for event in events:
        if event.family != "violence":
            found.append(event)
            continue
        texts = [by_index.get(i, "") for i in sorted(told[id(event)])] + free
        if event is lead:
            texts.append(analysis.document.title)
        found.append(replace(event, ages=ages_in(" \n ".join(texts), words)))
    return tuple(found)


def ages_in(text: str, words: NumberWords) -> tuple[int, ...]:
    """The distinct ages in years a text gives, sorted."""
    found: set[int] = set()
    for match in _AGE.finditer(text):
        written = match.group("years") or match.group("aged") or match.group("set_off")
        value = number_value(written, words)
        if value is not None and value == int(value) and 0 < value <= MAX_AGE:
            found.add(int(value))
    return tuple(sorted(found))
