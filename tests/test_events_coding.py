"""Tests of how the events stage codes an incident's ACLED sub-type from all that its sentences tell."""

from __future__ import annotations

from datetime import date

import pytest

from khabar import events
from khabar.pipeline import Pipeline
from khabar.records import Document

PUBLISHED = date(2024, 5, 10)


def _sub_types(pipeline: Pipeline, text: str) -> list[str]:
    """The ACLED sub-event types of the events the whole pipeline finds in a text."""
    analysis = pipeline.analyse(Document(doc_id="t", text=text, published=PUBLISHED))
    return [e.sub_event_type for e in analysis.events]


@pytest.mark.parametrize(("text", "expected"), [
    # a protest is coded by its most escalated moment: stones thrown make it violent
    ("On Friday, students demonstrated outside the education ministry in Nairobi and hurled stones at riot police.",
     "Violent demonstration"),
    # the authorities breaking it up, told in the next sentence, make it a protest with intervention
    ("Taxi drivers protested in Lusaka on Monday against fuel prices. Police dispersed the protest and arrested "
     "nine drivers.", "Protest with intervention"),
    # nothing beyond the march: it stays peaceful
    ("Hundreds of traders marched through the market square of Dodoma on Tuesday to protest against new taxes.",
     "Peaceful protest"),
    # residents turning on suspected thieves are a mob, not an armed group
    ("Residents of Kano set upon two men accused of stealing a motorbike and injured them badly on Monday.",
     "Mob violence"),
])
def test_sub_type_follows_what_the_incident_tells(pipeline: Pipeline, text: str, expected: str) -> None:
    assert _sub_types(pipeline, text) == [expected]


def test_a_riot_told_without_its_crowd_is_the_countrys_rioters(pipeline: Pipeline) -> None:
    # no trigger word fires: the snippet is coded as a whole, and a riot's unnamed side is its rioters
    text = "On Sunday a group beat a suspected burglar before handing him to the police in Nakuru."
    analysis = pipeline.analyse(Document(doc_id="t", text=text, published=PUBLISHED))
    event = events.main_event(analysis, pipeline.event_resources)
    assert event is not None
    assert (event.event_type, event.actor1) == ("Riots", "rioters:KEN")
