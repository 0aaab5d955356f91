from dataclasses import replace

from khabar.pipeline import Failure, Pipeline, Stage
from khabar.records import Analysis, Document
from khabar.settings import Settings


def _broken_on(marker: str) -> Stage:
    def run(analysis: Analysis) -> Analysis:
        if marker in analysis.document.text:
            raise ValueError("stage broke on purpose")
        return analysis
    return Stage("breaker", run)


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
    assert [t.stage for t in analysis.timings] == ["nlp", "actors", "places", "time", "quantities", "events",
                                                   "claims"]
    assert all(t.seconds >= 0 for t in analysis.timings)
    assert replace(analysis, timings=()).document.doc_id == "t"
