"""The records that flow between khabar's pipeline stages.

Every record is a frozen, slotted dataclass. Offsets are character offsets into
``Document.text``; sentence numbers index ``Analysis.sentences``. Actors are referred to
by ``actor_id`` (a registry id, or ``provisional:<slug>`` for names not in the registry).
``as_dict``/``from_dict`` give a JSON-ready form of any record.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

R = TypeVar("R")


@dataclass(slots=True, frozen=True)
class Evidence:
    """Where a value came from: a document, a sentence and a character span."""

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Document:
    """One ingested article, its text already cleaned of boilerplate."""

    doc_id: str
    text: str
    title: str = ""
    url: str = ""
    outlet: str = ""
    published: date | None = None
    # metadata | frontmatter | sidecar | html | url | dateline | header | inferred | unknown
    published_source: str = "unknown"
    published_window: tuple[date, date] | None = None
    path: str = ""
    language: str = "en"


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of a document."""

    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Token:
    """One token with its tags and dependency arc; ``head`` is a document token index."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    sentence: int
    ent_type: str = ""
    ent_iob: str = "O"


@dataclass(slots=True, frozen=True)
class Entity:
    """A named-entity span as the NER model labelled it (the label may be wrong)."""

    start: int
    end: int
    token_start: int
    token_end: int
    label: str
    text: str
    sentence: int


@dataclass(slots=True, frozen=True)
class ActorPhase:
    """How an actor is coded during a period (e.g. the Taliban before and after 2021-08-15)."""

    type: str
    acled_name: str = ""
    inter: int | None = None
    plover_sector: str = ""
    label: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(slots=True, frozen=True)
class Affiliation:
    """A date-bounded tie of an actor to another: parent, branch, member, office holder."""

    actor_id: str
    relation: str
    title: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(slots=True, frozen=True)
class Actor:
    """A registry actor: organisation, state, force or person."""

    actor_id: str
    name: str
    type: str
    country: str = ""
    aliases: tuple[str, ...] = ()
    acled_name: str = ""
    inter: int | None = None
    plover_sector: str = ""
    wikidata: str = ""
    affiliations: tuple[Affiliation, ...] = ()
    phases: tuple[ActorPhase, ...] = ()
    source: str = ""
    provisional: bool = False


@dataclass(slots=True, frozen=True)
class ActorMention:
    """A span of text resolved to an actor."""

    evidence: Evidence
    actor_id: str
    name: str
    type: str
    # name | alias | acronym | fuzzy | description | bare (a common noun: "police", its country the document's)
    # | coref | provisional
    kind: str = "name"
    role: str = ""
    affiliation: str = ""
    confidence: float = 1.0


@dataclass(slots=True, frozen=True)
class Place:
    """A gazetteer place."""

    place_id: str
    name: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    # country | admin1 | admin2 | city | village | landmark | region | crossing
    feature: str = "city"
    population: int = 0


@dataclass(slots=True, frozen=True)
class PlaceMention:
    """A place name in the text, resolved (``place``) or kept as unresolved (``place is None``)."""

    evidence: Evidence
    surface: str
    place: Place | None
    precision: int = 3
    ucdp_precision: int = 7
    relation: str = ""
    confidence: float = 1.0


@dataclass(slots=True, frozen=True)
class TimeSpan:
    """A resolved date range with its precision in ACLED (1-3) and UCDP (1-5) terms."""

    start: date
    end: date
    precision: str = "day"
    acled_precision: int = 1
    ucdp_precision: int = 1
    flags: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class TimeMention:
    """A temporal expression and what it resolves to."""

    evidence: Evidence
    surface: str
    span: TimeSpan
    anchor: str = "absolute"


@dataclass(slots=True, frozen=True)
class Quantity:
    """A number in the text: a toll, a count, money, a strength or a share, as low/best/high."""

    evidence: Evidence
    kind: str
    low: float | None
    best: float | None
    high: float | None
    unit: str = ""
    group: str = ""
    qualifier: str = ""
    parts: tuple[Quantity, ...] = ()


@dataclass(slots=True, frozen=True)
class Toll:
    """A casualty or arrest count as low/best/high with the spans that support it."""

    low: int | None
    best: int | None
    high: int | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(slots=True, frozen=True)
class FieldEvidence:
    """The span that supports one field of an event."""

    field: str
    evidence: Evidence


# Statuses of an event told as having taken place: reported now, recalled as background, or with responsibility denied.
HAPPENED = frozenset({"occurred", "background", "denied"})


@dataclass(slots=True, frozen=True)
class Event:
    """One incident or political interaction as one document reports it."""

    event_id: str
    doc_id: str
    # violence | political | other
    family: str
    event_type: str = ""
    sub_event_type: str = ""
    plover_type: str = ""
    plover_mode: str = ""
    case_label: str = ""
    actor1: str = ""
    actor2: str = ""
    associated: tuple[str, ...] = ()
    place: PlaceMention | None = None
    time: TimeSpan | None = None
    fatalities: Toll | None = None
    injuries: Toll | None = None
    arrests: Toll | None = None
    claimed_by: str = ""
    claim_channel: str = ""
    attributed_by: str = ""
    denied_by: str = ""
    # occurred | background (recalled, dated well before publication) | aggregate | planned | denied
    status: str = "occurred"
    confidence: float = 0.5
    evidence: tuple[Evidence, ...] = ()
    field_evidence: tuple[FieldEvidence, ...] = ()
    # ages in years the report gives for the incident's people ("a 4-year-old", "Joe Smith, 29,"): a merge key
    ages: tuple[int, ...] = ()


@dataclass(slots=True, frozen=True)
class Claim:
    """Who asserted what, with any numbers in it, and who disputes it."""

    claim_id: str
    doc_id: str
    speaker: str
    speaker_text: str
    content: str
    evidence: Evidence
    quoted: bool = False
    subject: str = ""
    quantities: tuple[Quantity, ...] = ()
    # asserts | denies | disputes
    stance: str = "asserts"
    disputed_by: tuple[str, ...] = ()
    day: date | None = None


@dataclass(slots=True, frozen=True)
class Relation:
    """A typed tie between two actors, seen in one document."""

    a: str
    b: str
    type: str
    doc_id: str
    directed: bool = False
    start: date | None = None
    end: date | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(slots=True, frozen=True)
class StageTiming:
    """Seconds one stage took on one document."""

    stage: str
    seconds: float


@dataclass(slots=True, frozen=True)
class Analysis:
    """A document and everything the stages extracted from it so far."""

    document: Document
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    relations: tuple[Relation, ...] = ()
    timings: tuple[StageTiming, ...] = ()

    def sentence_of(self, offset: int) -> Sentence | None:
        """The sentence that contains a character offset."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for a character span of this document."""
        sentence = self.sentence_of(start)
        return Evidence(
            doc_id=self.document.doc_id,
            sentence=sentence.index if sentence else -1,
            start=start,
            end=end,
            text=self.document.text[start:end],
        )


def as_dict(record: Any) -> Any:
    """A JSON-ready form of a record (dates as ISO strings, tuples as lists)."""
    if isinstance(record, str | int | float | bool) or record is None:
        return record
    if isinstance(record, tuple | list):
        return [as_dict(item) for item in record]
    if isinstance(record, date):
        return record.isoformat()
    names = _field_names(type(record))  # type: ignore[arg-type]  # record classes are hashable
    if names is not None:
        return {name: as_dict(getattr(record, name)) for name in names}
    return record


@cache  # a pure function of a class: holds no loaded data, and the record classes are fixed
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass, in order; None for any other class."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None


def from_dict(cls: type[R], data: dict[str, Any]) -> R:
    """Rebuild a record of type ``cls`` from its ``as_dict`` form."""
    hints = _hints(cls)  # type: ignore[arg-type]  # record classes are hashable
    kwargs = {name: _decode(hints[name], value) for name, value in data.items() if name in hints}
    return cls(**kwargs)


@cache  # a pure function of a record class: holds no loaded data, and the classes are fixed
def _hints(cls: type) -> dict[str, Any]:
    """Resolved type hints of a record class."""
    return typing.get_type_hints(cls)


def _decode(hint: Any, value: Any) -> Any:
    """Decode one value of an ``as_dict`` form according to its type hint."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))
    if hint is date:
        return date.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_dict(hint, value)
    return value


@dataclass(slots=True, frozen=True)
class SourceLink:
    """Why one source event is part of an incident, and the near-duplicate group of its document."""

    source_id: str
    # the merge rules' reasons against the incident's first source; empty for that first source
    reasons: tuple[str, ...] = ()
    # the document's near-duplicate group (the smallest doc_id among its copies); its own doc_id when unique
    copy_group: str = ""


@dataclass(slots=True, frozen=True)
class Incident:
    """One real-world incident: the merged coding of every document's report of it."""

    incident_id: str
    event: Event
    sources: tuple[Event, ...]
    fatalities: Toll | None = None
    injuries: Toll | None = None
    disagreements: tuple[str, ...] = ()
    # one per source, in the order of ``sources`` (empty for incidents merged before links were kept)
    links: tuple[SourceLink, ...] = ()
    # independent reports: sources whose documents are near-duplicate copies count once (0: not counted)
    independent: int = 0
    # a user's decision: "" (none), "rejected" (not an event) or "accepted"
    review: str = ""
