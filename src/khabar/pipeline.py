"""The runner: builds the stage list, times every stage and isolates failing documents.

Stages run in this order: nlp -> actors -> places -> time -> quantities -> events -> claims.
``merge`` then joins the same incident across documents (see ``khabar.merge``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path

from khabar import actors, claims, events, nlp, places, quantities
from khabar import time as timex
from khabar.ingest import content_id
from khabar.records import Analysis, Document, StageTiming
from khabar.settings import Settings, load_settings

log = logging.getLogger(__name__)

StageFn = Callable[[Analysis], Analysis]


@dataclass(slots=True, frozen=True)
class Stage:
    """A named pipeline stage."""

    name: str
    run: StageFn


@dataclass(slots=True, frozen=True)
class Failure:
    """A document the pipeline could not process, with the reason."""

    document: Document
    stage: str
    message: str


class Pipeline:
    """khabar's pipeline with its resources loaded once."""

    def __init__(self, settings: Settings | None = None) -> None:
        """Prepare a pipeline; models and data load on first use."""
        self.settings = settings or load_settings()

    @cached_property
    def model(self) -> nlp.Language:
        """The spaCy pipeline."""
        return nlp.load_model(self.settings.model)

    @cached_property
    def registry(self) -> actors.Registry:
        """The actor registry, with the user's extension file if set."""
        return actors.load_registry(Path(self.settings.registry) if self.settings.registry else None)

    @cached_property
    def gazetteer(self) -> places.Gazetteer:
        """The gazetteer, with the user's extension file if set."""
        return places.load_gazetteer(Path(self.settings.gazetteer) if self.settings.gazetteer else None)

    @cached_property
    def stages(self) -> tuple[Stage, ...]:
        """The stages after nlp, bound to their resources."""
        return (
            Stage("actors", partial(actors.resolve_actors, registry=self.registry)),
            Stage("places", partial(places.resolve_places, gazetteer=self.gazetteer)),
            Stage("time", timex.resolve_times),
            Stage("quantities", quantities.extract_quantities),
            Stage("events", partial(events.extract_events, registry=self.registry, gazetteer=self.gazetteer)),
            Stage("claims", partial(claims.extract_claims, registry=self.registry)),
        )

    def warm(self) -> Pipeline:
        """Load every model and table now, so that forked workers share them instead of loading each.

        Some tables load on first use inside the stages, so a short sample text runs through them all.
        """
        sample = "On Monday two soldiers were killed and 3 people wounded in an attack near Kabul, police said."
        self.analyse(Document(doc_id=content_id(sample), text=sample))
        return self

    def analyse(self, document: Document) -> Analysis:
        """Run every stage on one document; errors propagate."""
        started = time.perf_counter()
        analysis = nlp.parse(Analysis(document), self.model)
        analysis = _timed(analysis, "nlp", started)
        for stage in self.stages:
            analysis = _run_stage(stage, analysis)
        return analysis

    def analyse_many(self, documents: Iterable[Document]) -> Iterator[Analysis | Failure]:
        """Run every stage on many documents, batching spaCy and isolating failures."""
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= self.settings.batch_size:
                yield from self._analyse_batch(batch)
                batch = []
        if batch:
            yield from self._analyse_batch(batch)

    def _analyse_batch(self, batch: list[Document]) -> Iterator[Analysis | Failure]:
        """Parse a batch with spaCy's pipe, then run the other stages per document."""
        started = time.perf_counter()
        try:
            parsed = list(nlp.parse_many((Analysis(d) for d in batch), self.model, self.settings.batch_size))
        except Exception:
            yield from (self._isolated(d) for d in batch)
            return
        share = (time.perf_counter() - started) / max(1, len(batch))
        for analysis in parsed:
            yield self._rest_isolated(replace(analysis, timings=(StageTiming("nlp", share),)))

    def _isolated(self, document: Document) -> Analysis | Failure:
        """Analyse one document, turning any crash into a Failure."""
        try:
            return self.analyse(document)
        except Exception as exc:
            log.exception("%s: analysis failed", document.path or document.doc_id)
            return Failure(document, "pipeline", f"{type(exc).__name__}: {exc}")

    def _rest_isolated(self, analysis: Analysis) -> Analysis | Failure:
        """Run the stages after nlp, turning any crash into a Failure naming the stage."""
        for stage in self.stages:
            try:
                analysis = _run_stage(stage, analysis)
            except Exception as exc:
                doc = analysis.document
                log.exception("%s: stage %s failed", doc.path or doc.doc_id, stage.name)
                return Failure(doc, stage.name, f"{type(exc).__name__}: {exc}")
        return analysis


def _run_stage(stage: Stage, analysis: Analysis) -> Analysis:
    """Run one stage and record its time."""
    started = time.perf_counter()
    return _timed(stage.run(analysis), stage.name, started)


def _timed(analysis: Analysis, name: str, started: float) -> Analysis:
    """Append a stage timing to an analysis."""
    return replace(analysis, timings=(*analysis.timings, StageTiming(name, time.perf_counter() - started)))


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """A process-wide pipeline with settings from the file and environment."""
    global _default  # noqa: PLW0603 - one lazily built pipeline per process is the point
    if _default is None:
        _default = Pipeline()
    return _default


def process(
    text: str, published: date | None = None, title: str = "", outlet: str = "", url: str = ""
) -> Analysis:
    """Analyse one text with the default pipeline."""
    document = Document(
        doc_id=content_id(text),
        text=text,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        published_source="metadata" if published else "unknown",
    )
    return default_pipeline().analyse(document)
