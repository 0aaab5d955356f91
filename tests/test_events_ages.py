"""Tests of the ages a report gives for an incident's people (events.ages), a merge key."""

from __future__ import annotations

from datetime import date

import pytest

from khabar import quantities
from khabar.events.ages import ages_in
from khabar.pipeline import Pipeline
from khabar.records import Document


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        ("A 4-year-old boy was shot in the arm.", (4,)),
        ("A four-year-old girl and her 31-year-old mother were hurt.", (4, 31)),
        ("The victim, Dana Reyes, 17, died at the scene.", (17,)),
        ("A man aged 45 was arrested; the boy was 12 years old.", (12, 45)),
        ("A twenty-two-year-old was wounded.", (22,)),
        ("On March 3, 2016, about 40 people gathered at 1200 Elm Street.", ()),
        ("The 2-month-old was unhurt.", ()),  # months are no ages in years
    ],
)
def test_ages_in(text: str, ages: tuple[int, ...]) -> None:
    assert ages_in(text, quantities.load_lexicon().words) == ages


def test_a_shooting_report_carries_the_ages_of_its_title_and_text(pipeline: Pipeline) -> None:
    text = ("A boy was shot and killed inside a home in Millbrook on Saturday night, police said. "
            "Officers found the child, Jordan Pike, 6, in a bedroom. His uncle, Sam Pike, 24, was questioned.")
    analysis = pipeline.analyse(Document("ages", text, title="8-year-old cousin held after boy shot",
                                         published=date(2016, 5, 2)))
    violent = [e for e in analysis.events if e.family == "violence"]
    assert violent and violent[0].ages == (6, 8, 24)
    assert all(not e.ages for e in analysis.events if e.family != "violence")
