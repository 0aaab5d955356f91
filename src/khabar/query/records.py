"""The summary records queries yield beside the pipeline's own (incidents, claims, relations, documents)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from khabar.records import Evidence


@dataclass(slots=True, frozen=True)
class ActorInfo:
    """A stored actor: its id, display name and coding."""

    actor_id: str
    name: str
    type: str = ""
    country: str = ""
    acled_name: str = ""
    provisional: bool = False


@dataclass(slots=True, frozen=True)
class ActorActivity:
    """An actor and what it did in the incidents a query kept."""

    actor: ActorInfo
    incidents: int
    mentions: int
    deaths: int
    first: date | None
    last: date | None


@dataclass(slots=True, frozen=True)
class PlaceActivity:
    """A place and the incidents a query kept there."""

    place_id: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    incidents: int
    deaths: int
    first: date | None
    last: date | None


@dataclass(slots=True, frozen=True)
class RelationSummary:
    """One actor pair's relation of one type across documents: how often it is seen, and when."""

    a: str
    b: str
    type: str
    directed: bool
    doc_ids: tuple[str, ...]
    evidence_count: int
    start: date | None
    end: date | None
    example: Evidence | None


@dataclass(slots=True, frozen=True)
class DyadActivity:
    """Two actors on opposite sides of incidents a query kept: how often, how deadly, and when."""

    actor1: str
    actor2: str
    incidents: int
    deaths: int
    first: date | None
    last: date | None


@dataclass(slots=True, frozen=True)
class IncidentPoint:
    """The few columns of an incident a map, a timeline or a graph draws, read without decoding the record."""

    incident_id: str
    event_type: str
    kind: str
    start: date | None
    lat: float | None
    lon: float | None
    place: str
    deaths: int | None
    actor1: str
    actor2: str
    sources: int
