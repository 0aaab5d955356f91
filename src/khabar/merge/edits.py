"""Curation: users merge, split, reject and accept incidents; the decisions stay through every re-merge.

A decision is stored as an edit naming the source events it binds (not incident ids, which a
re-merge may change): a merge binds the two incidents' sources together (must-link), a split keeps
one document's sources apart from the rest (cannot-link), and a review marks the incident's
sources rejected (not an event) or accepted. Every merge replays the edits in order as
``cluster.Constraints``, so a later decision about the same sources wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from khabar.errors import CurationError
from khabar.merge.cluster import Constraints, pair
from khabar.merge.incremental import remerge_sources
from khabar.records import Incident
from khabar.store import Store
from khabar.store.merging import Edit
from khabar.store.tables import now

REVIEWS = {"reject": "rejected", "accept": "accepted"}


def constraints_of(edits: Sequence[Edit]) -> Constraints:
    """The constraints a list of edits adds up to, replayed oldest first."""
    must: set[tuple[str, str]] = set()
    cannot: set[tuple[str, str]] = set()
    review: dict[str, tuple[int, str]] = {}
    for edit in edits:
        crossing = {pair(a, b) for a in edit.sources for b in edit.other_sources if a != b}
        if edit.action == "merge":
            must |= crossing
            cannot -= crossing
        elif edit.action == "split":
            cannot |= crossing
            must -= crossing
        elif edit.action in REVIEWS:
            review.update(dict.fromkeys(edit.sources, (edit.edit_id, REVIEWS[edit.action])))
    return Constraints(_groups(must), frozenset(cannot), review)


def _groups(links: set[tuple[str, str]]) -> dict[str, str]:
    """Each linked source's group (its group's smallest source id), joining links that share a source."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        """The representative of a node's set."""
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in sorted(links):
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    return {node: root(node) for node in parent}


def find(store: Store, ref: str) -> Incident:
    """The incident an id, alias or unique prefix names; a CurationError says what to do otherwise."""
    incident = store.incident(ref) if ref else None
    if incident is None:
        raise CurationError(f"no single incident matches {ref!r}; list incident ids with `khabar events` "
                            "(rejected ones with `khabar events --rejected`) and give one, or a longer prefix")
    return incident


def merge(store: Store, first: str, second: str, user: str) -> Incident:
    """Merge two incidents into one (the older id survives); returns the merged incident."""
    a, b = find(store, first), find(store, second)
    if a.incident_id == b.incident_id:
        raise CurationError(f"{first!r} and {second!r} are the same incident ({a.incident_id}); "
                            "give two different incidents to merge")
    edit = Edit(0, now(), user, "merge", a.incident_id, b.incident_id, _sources(a), _sources(b))
    return _apply(store, edit, a.incident_id)


def split(store: Store, ref: str, doc: str, user: str) -> Incident:
    """Split one document's report off an incident; returns what is left of the incident."""
    incident = find(store, ref)
    docs = sorted({s.doc_id for s in incident.sources if s.doc_id.lower().startswith(doc.lower())}) if doc else []
    if len(docs) != 1:
        listed = ", ".join(sorted({s.doc_id[:12] for s in incident.sources}))
        raise CurationError(f"{doc!r} names {'no' if not docs else 'more than one'} document of incident "
                            f"{incident.incident_id} (its documents: {listed}); give one of them, or a longer prefix")
    if len({s.doc_id for s in incident.sources}) == 1:
        raise CurationError(f"incident {incident.incident_id} has only document {docs[0][:12]}; nothing to split off")
    off = tuple(sorted(s.event_id for s in incident.sources if s.doc_id == docs[0]))
    rest = tuple(sorted(s.event_id for s in incident.sources if s.doc_id != docs[0]))
    return _apply(store, Edit(0, now(), user, "split", incident.incident_id, docs[0], off, rest), incident.incident_id)


def review(store: Store, ref: str, action: str, user: str) -> Incident:
    """Reject an incident as not an event, or accept it; returns the incident."""
    incident = find(store, ref)
    edit = Edit(0, now(), user, action, incident.incident_id, "", _sources(incident))
    return _apply(store, edit, incident.incident_id)


def _sources(incident: Incident) -> tuple[str, ...]:
    """An incident's source ids."""
    return tuple(sorted(s.event_id for s in incident.sources))


def _apply(store: Store, edit: Edit, survivor: str) -> Incident:
    """Record an edit and regroup what it touches under every edit so far; returns the incident it left."""
    store.add_edit(edit)
    remerge_sources(store, [*edit.sources, *edit.other_sources], constraints_of(store.edits()))
    return find(store, survivor)
