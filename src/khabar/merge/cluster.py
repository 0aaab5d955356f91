"""Grouping document-level events from many articles into incidents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from khabar.actors import Registry
from khabar.merge.combine import incident_of
from khabar.merge.rules import MERGEABLE, precision_rank, same_incident, weaken_shared_dates
from khabar.records import Event, Incident


@dataclass(slots=True)
class _Cluster:
    """Events gathered as one incident while merging."""

    members: list[Event] = field(default_factory=list)


def merge_events(events: Sequence[Event], registry: Registry | None = None) -> list[Incident]:
    """Group document-level events into incidents, keeping every source.

    An event is compared only with the clusters of its block (``_block``): a cluster outside it
    holds an event of another family or ACLED type, which ``same_incident`` always refuses, so the
    first cluster that fits is the same as in a scan of every cluster.
    """
    clusters: list[_Cluster] = []
    blocks: dict[tuple[str, str], list[_Cluster]] = {}
    for event in sorted(weaken_shared_dates(events), key=precision_rank):
        candidates = blocks.get(_block(event), [])
        target = next((c for c in candidates if _fits(event, c)), None) if event.status in MERGEABLE else None
        if target is None:
            target = _Cluster([event])
            clusters.append(target)
            blocks.setdefault(_block(event), []).append(target)
        else:
            target.members.append(event)
    return [incident_of(c.members) for c in clusters]


def _block(event: Event) -> tuple[str, str]:
    """The clusters an event may join: violence of the same ACLED type, or any of the same other family."""
    return (event.family, event.event_type if event.family == "violence" else "")


def _fits(event: Event, cluster: _Cluster) -> bool:
    """Whether an event can join a cluster: compatible with every member, from a new document."""
    if any(m.doc_id == event.doc_id for m in cluster.members):
        return False
    return all(same_incident(event, m) for m in cluster.members)
