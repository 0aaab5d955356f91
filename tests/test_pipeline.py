from dataclasses import replace
from datetime import date

import pytest

import khabar
from khabar import nlp
from khabar.errors import ConfigError
from khabar.pipeline import Failure, Pipeline, Stage, build_stages
from khabar.records import Analysis, Document
from khabar.settings import Settings
from khabar.stages import Contract, check_order


def _broken_on(marker: str) -> Stage:
    def run(analysis: Analysis) -> Analysis:
        if marker in analysis.document.text:
            raise ValueError("stage broke on purpose")
        return analysis
    return Stage(Contract("breaker", frozenset({"document"}), frozenset()), run)


def test_a_failing_document_is_isolated_and_the_rest_goes_on(pipeline: Pipeline) -> None:
    runner = Pipeline(Settings(processes=1, batch_size=2))
    runner.__dict__["model"] = pipeline.model
    runner.__dict__["stages"] = (*pipeline.stages, _broken_on("POISON"))
    docs = [Document(str(i), text) for i, text in enumerate(["A blast hit the market.", "POISON text.",
                                                             "Talks resumed in Doha."])]
    results = list(runner.analyse_many(docs))
    assert [type(r).__name__ for r in results] == ["Analysis", "Failure", "Analysis"]
    failure = results[1]
    assert isinstance(failure, Failure)
    assert failure.stage == "breaker"
    assert "broke on purpose" in failure.message


def test_every_stage_is_timed(pipeline: Pipeline) -> None:
    analysis = pipeline.analyse(Document("t", "Gunmen attacked a checkpoint in Herat on Monday."))
    assert [t.stage for t in analysis.timings] == ["nlp", "time", "actors", "places", "quantities", "events",
                                                   "claims"]
    assert all(t.seconds >= 0 for t in analysis.timings)
    assert replace(analysis, timings=()).document.doc_id == "t"


def test_the_publication_date_in_a_header_reaches_date_bounded_roles(pipeline: Pipeline) -> None:
    # the Taliban were an armed group in 2019; the actors stage ran before the header was read and
    # took the latest role (the de facto government since 2021) when no date was passed in
    text = ("16 October 2019, Valley Gazette\n"
            "Taliban fighters attacked a police checkpoint in Ghazni province on Tuesday, killing three policemen.")
    for given in (None, date(2019, 10, 16)):
        analysis = khabar.process(text, published=given, pipeline=pipeline)
        assert analysis.document.published == date(2019, 10, 16)
        taliban = [m for m in analysis.actors if m.actor_id == "taliban"]
        assert taliban and all(m.type == "armed_group" for m in taliban)


def test_the_runner_refuses_actors_before_the_publication_date(pipeline: Pipeline) -> None:
    contracts = [nlp.CONTRACT, *(s.contract for s in build_stages(pipeline.resources))]
    assert [c.name for c in contracts] == ["nlp", "time", "actors", "places", "quantities", "events", "claims"]
    check_order(contracts)
    swapped = [contracts[0], contracts[2], contracts[1], *contracts[3:]]
    with pytest.raises(ConfigError, match=r"stage 'actors' requires document\.published \(assigned by time"):
        check_order(swapped)
