"""Golden tests: the seeds in ../shared/corpus/seeds against ../shared/gold/seeds.yaml, read in place."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from khabar import corpus, report
from khabar.pipeline import Pipeline
from khabar.places import km_between
from khabar.records import Incident
from khabar.store import Store, open_store


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, Any]:
    return yaml.safe_load((shared / "gold" / "seeds.yaml").read_text())


@pytest.fixture(scope="module")
def seeded(shared: Path, pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = open_store(tmp_path_factory.mktemp("golden") / "seeds.db")
    result = corpus.ingest([shared / "corpus" / "seeds"], store, pipeline)
    assert result.stored == 5
    assert not result.errors
    return store


def _gold_event(gold: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(e for e in gold["events"] if e["id"] == ident)


def _doc_prefixes(incident: Incident, store: Store) -> set[str]:
    paths = {d.doc_id: Path(d.path).name[:3] for d in store.documents()}
    return {paths[s.doc_id] for s in incident.sources}


def _matches(incident: Incident, spec: dict[str, Any], store: Store) -> bool:
    e = incident.event
    place = e.place.place if e.place else None
    if place is None or e.time is None or e.event_type != spec["type"]:
        return False
    near = km_between(place.lat, place.lon, spec["place"]["lat"], spec["place"]["lon"]) <= 50
    lo, hi = (date.fromisoformat(str(d)) for d in spec["window"])
    in_window = lo <= e.time.start and e.time.end <= hi
    perpetrator = spec["actor1"]
    actors = {store.actor_name(a) for a in (e.actor1, e.claimed_by) if a}
    return near and in_window and perpetrator in actors


@pytest.mark.parametrize("ident", ["kabul-airport-bombing", "seh-dokan-mosque-bombing"])
def test_key_incident_is_found_with_place_date_actor_and_toll(gold: dict[str, Any], seeded: Store,
                                                             ident: str) -> None:
    spec = _gold_event(gold, ident)
    found = [i for i in seeded.incidents() if _matches(i, spec, seeded)]
    assert len(found) == 1, f"{ident}: expected exactly one matching incident, got {len(found)}"
    incident = found[0]
    assert _doc_prefixes(incident, seeded) == {f"{d:03d}" if isinstance(d, int) else str(d) for d in spec["docs"]}
    assert incident.event.claimed_by, f"{ident}: the claim of responsibility was lost"
    assert seeded.actor_name(incident.event.claimed_by) == spec["claimed_by"]
    toll = incident.fatalities
    assert toll is not None and toll.low is not None
    assert toll.low >= spec["fatalities"]["low"] or (toll.high or 0) >= spec["fatalities"]["low"]
    place = incident.event.place.place if incident.event.place else None
    assert place is not None and place.admin1 == spec["place"]["admin1"]


def test_report_lists_the_key_incidents_with_their_source_sentences(gold: dict[str, Any], seeded: Store) -> None:
    text = report.build_report(seeded)
    for ident in ("kabul-airport-bombing", "seh-dokan-mosque-bombing"):
        spec = _gold_event(gold, ident)
        incident = next(i for i in seeded.incidents() if _matches(i, spec, seeded))
        assert f"`{incident.incident_id}`" in text
        for source in incident.sources:
            sentence = " ".join(source.evidence[0].text.split())
            assert sentence in text
