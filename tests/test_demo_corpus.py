"""The bundled demo corpus (our own articles in examples/corpus): what the README's sample output promises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from khabar import corpus
from khabar.pipeline import Pipeline
from khabar.store import Store, open_store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


@pytest.fixture(scope="module")
def demo(pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.db")
    result = corpus.ingest([EXAMPLES], store, pipeline)
    assert not result.errors
    return store


def test_the_airport_bombing_is_one_incident_of_its_three_reports(demo: Store) -> None:
    bombings = [i for i in demo.incidents() if i.event.sub_event_type == "Suicide bomb"
                and i.event.time is not None and i.event.time.start == date(2021, 8, 26)]
    assert len(bombings) == 1
    [bombing] = bombings
    assert len({s.doc_id for s in bombing.sources}) == 3
    assert bombing.event.actor1 == "islamic-state-khorasan-province"


def test_the_retaliatory_drone_strike_is_its_own_incident(demo: Store) -> None:
    strikes = [i for i in demo.incidents() if i.event.sub_event_type == "Air/drone strike"
               and i.event.place is not None and i.event.place.place is not None
               and i.event.place.place.admin1 == "Nangarhar" and i.event.time is not None
               and i.event.time.start == date(2021, 8, 27)]
    assert len(strikes) == 1
