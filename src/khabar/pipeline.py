"""The runner: loads the resources once, checks the stage order, times every stage, isolates failures.

Stages run in this order, each declaring what it requires and assigns (``khabar.stages``):

    nlp -> time -> actors -> places -> quantities -> events -> claims

``time`` runs right after ``nlp`` because it completes the publication-date cascade (header,
URL, dateline, inference) that ``actors`` needs for date-bounded roles. ``merge`` then joins the
same incident across documents (see ``khabar.merge``). Every loaded model and table lives in one
``Resources`` object, built once per pipeline and handed to the stages; nothing is loaded or
cached at module level, so one pipeline is safe in a process pool and across threads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property, partial
from pathlib import Path

from khabar import actors, claims, events, nlp, places, quantities
from khabar import time as timex
from khabar.ingest import content_id, estimated_tokens
from khabar.records import Analysis, Document, StageTiming
from khabar.settings import Settings, load_settings
from khabar.stages import Stage, check_order

log = logging.getLogger(__name__)

__all__ = ["Failure", "Pipeline", "Resources", "Stage", "build_stages", "process"]


@dataclass(slots=True, frozen=True)
class Failure:
    """A document the pipeline could not process, with the reason."""

    document: Document
    stage: str
    message: str


@dataclass(slots=True, frozen=True)
class Resources:
    """Every model and table the stages read: loaded once, shared read-only."""

    model: nlp.Language
    registry: actors.Registry
    gazetteer: places.Gazetteer
    time: timex.TimeLexicon
    dates: timex.DateReader
    quantities: quantities.QuantityLexicon
    events: events.EventResources
    claims: claims.Cues


def build_stages(resources: Resources) -> tuple[Stage, ...]:
    """The stages after nlp, in order, bound to their resources; the order is checked."""
    stages = (
        Stage(timex.CONTRACT, partial(timex.resolve_times, lexicon=resources.time, reader=resources.dates)),
        Stage(actors.CONTRACT, partial(actors.resolve_actors, registry=resources.registry)),
        Stage(places.CONTRACT, partial(places.resolve_places, gazetteer=resources.gazetteer)),
        Stage(quantities.CONTRACT, partial(quantities.extract_quantities, lexicon=resources.quantities)),
        Stage(events.CONTRACT, partial(events.extract_events, resources=resources.events,
                                       registry=resources.registry, gazetteer=resources.gazetteer)),
        Stage(claims.CONTRACT, partial(claims.extract_claims, registry=resources.registry, cues=resources.claims)),
    )
    check_order([nlp.CONTRACT, *(s.contract for s in stages)])
    return stages


class Pipeline:
    """khabar's pipeline: settings, resources loaded on first use, and the checked stages."""

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
    def event_resources(self) -> events.EventResources:
        """The events stage's lexicon, classifier and tables."""
        return events.load_event_resources()

    @cached_property
    def resources(self) -> Resources:
        """Every model and table, loaded once."""
        return Resources(
            model=self.model, registry=self.registry, gazetteer=self.gazetteer, time=timex.load_lexicon(),
            dates=timex.load_date_reader(), quantities=self.event_resources.tolls, events=self.event_resources,
            claims=claims.load_cues(),
        )

    @cached_property
    def stages(self) -> tuple[Stage, ...]:
        """The stages after nlp, bound to the resources, their order checked."""
        return build_stages(self.resources)

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
        """Run every stage on many documents, batching spaCy and isolating failures.

        A batch holds up to ``batch_size`` documents and no more than ``max_chars`` characters and
        ``max_tokens`` tokens (estimated) unless one document alone has more, so that the parts of one
        long document are not all parsed (and held) at once.
        """
        batch: list[Document] = []
        chars = tokens = 0
        for document in documents:
            size, count = len(document.text), estimated_tokens(document.text)
            if batch and (chars + size > self.settings.max_chars or tokens + count > self.settings.max_tokens):
                yield from self._analyse_batch(batch)
                batch, chars, tokens = [], 0, 0
            batch.append(document)
            chars, tokens = chars + size, tokens + count
            if len(batch) >= self.settings.batch_size:
                yield from self._analyse_batch(batch)
                batch, chars, tokens = [], 0, 0
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
            log.debug("%s: analysis failed", document.path or document.doc_id, exc_info=True)
            return Failure(document, "pipeline", f"{type(exc).__name__}: {exc}")

    def _rest_isolated(self, analysis: Analysis) -> Analysis | Failure:
        """Run the stages after nlp, turning any crash into a Failure naming the stage."""
        for stage in self.stages:
            try:
                analysis = _run_stage(stage, analysis)
            except Exception as exc:
                doc = analysis.document
                log.debug("%s: stage %s failed", doc.path or doc.doc_id, stage.name, exc_info=True)
                return Failure(doc, stage.name, f"{type(exc).__name__}: {exc}")
        return analysis


def _run_stage(stage: Stage, analysis: Analysis) -> Analysis:
    """Run one stage and record its time."""
    started = time.perf_counter()
    return _timed(stage.run(analysis), stage.name, started)


def _timed(analysis: Analysis, name: str, started: float) -> Analysis:
    """Append a stage timing to an analysis."""
    return replace(analysis, timings=(*analysis.timings, StageTiming(name, time.perf_counter() - started)))


def process(
    text: str, published: date | None = None, title: str = "", outlet: str = "", url: str = "",
    pipeline: Pipeline | None = None,
) -> Analysis:
    """Analyse one text; pass a ``pipeline`` to reuse its loaded resources across calls (else one is built)."""
    document = Document(
        doc_id=content_id(text),
        text=text,
        title=title,
        outlet=outlet,
        url=url,
        published=published,
        published_source="metadata" if published else "unknown",
    )
    return (pipeline or Pipeline()).analyse(document)
