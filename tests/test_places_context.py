"""Places in a document's context: people's names, datelines, state containers and the story's country."""

from __future__ import annotations

from khabar.pipeline import Pipeline
from khabar.records import Document, PlaceMention


def _places(pipeline: Pipeline, text: str) -> dict[str, PlaceMention]:
    """The place mentions of a text run through the whole pipeline (the actors stage reads people first)."""
    return {m.surface: m for m in pipeline.analyse(Document("t", text)).places}


def test_a_surname_standing_for_a_person_is_no_town(pipeline: Pipeline) -> None:
    text = ("Deputies said Marcia Walker, 41, was wounded in the leg. Walker told deputies she had not seen "
            "the gunman before.")
    found = _places(pipeline, text)
    assert "Walker" not in found or found["Walker"].place is None


def test_a_title_before_a_name_is_no_town(pipeline: Pipeline) -> None:
    found = _places(pipeline, "The shooting was confirmed by Officer Dana Kline of the city police.")
    assert "Officer" not in found or found["Officer"].place is None


def test_a_state_after_a_town_decides_where_it_is(pipeline: Pipeline) -> None:
    found = _places(pipeline, "A man was wounded outside a bar in Hastings, Fla., late Monday.")
    hastings = found["Hastings"].place
    assert hastings is None or hastings.admin1 == "Florida"  # never the Hastings of another state
    assert found["Fla."].place is not None and found["Fla."].place.admin1 == "Florida"


def test_the_state_of_a_dateline_is_part_of_it(pipeline: Pipeline) -> None:
    found = _places(pipeline, "NASHVILLE, Tenn. — A teenager was shot on a porch on Friday night, police said.")
    assert found["NASHVILLE"].relation == "dateline"
    assert found["Tenn."].relation == "dateline"


def test_an_upper_case_dateline_town_is_read(pipeline: Pipeline) -> None:
    found = _places(pipeline, "KENT, Ohio — Police are looking for a gunman who fired at a car on Main Street.")
    kent = found["KENT"].place
    assert kent is not None and (kent.name, kent.admin1, kent.country) == ("Kent", "Ohio", "US")


def test_a_foreign_reading_against_the_story_is_left_unresolved(pipeline: Pipeline) -> None:
    text = ("NASHVILLE, Tenn. — Metro police said a teenager was shot on a porch in Madison on Friday. "
            "He was taken to a hospital in Nashville.")
    found = _places(pipeline, text)
    metro = found.get("Metro")
    assert metro is None or metro.place is None or metro.place.country == "US"
    nashville = found["NASHVILLE"].place
    assert nashville is not None and nashville.country == "US"
