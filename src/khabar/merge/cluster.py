"""Grouping document-level events from many articles into incidents.

Events are linked when the candidate index (``index``) pairs them and the rules say they are one
incident (``rules.compare``), or when a user merged their incidents. The linked events form
components; each component is grouped on its own, deterministically (``group_component``), so the
grouping depends only on the set of events and the users' edits, never on the order they came in.
That is what makes an incremental merge (``incremental``) give the same incidents as a full one.

Grouping is complete-link: an event joins a group only if the rules accept it with every member,
and two events of one document are never one incident (unless a user merged them), nor are two
events a user split apart.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from khabar.actors import Registry
from khabar.merge.combine import incident_of
from khabar.merge.index import Keys, earliest_bucket, keys_of
from khabar.merge.rules import Verdict, compare, precision_rank, weaken_shared_dates
from khabar.records import Event, Incident, SourceLink

Pair = tuple[str, str]
Link = tuple[int, int]
USER_MERGE = "merged by a user (see `khabar incidents edits`)"


@dataclass(slots=True, frozen=True)
class Constraints:
    """Users' decisions as the merge applies them.

    ``must`` maps a source id to its must-link group (sources a user merged stay together);
    ``cannot`` holds source pairs a user split apart; ``review`` maps a source id to the number and
    outcome ("rejected" or "accepted") of the latest review of an incident holding it.
    """

    must: Mapping[str, str] = field(default_factory=dict)
    cannot: frozenset[Pair] = frozenset()
    review: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    def partners(self, source_id: str) -> list[str]:
        """The other sources a user bound to this one."""
        group = self.must.get(source_id)
        return [] if group is None else sorted(s for s, g in self.must.items() if g == group and s != source_id)

    def verdict_of(self, sources: Iterable[str]) -> str:
        """The review outcome of an incident holding these sources: the latest decision about any of them."""
        decisions = [self.review[s] for s in sources if s in self.review]
        return max(decisions)[1] if decisions else ""


@dataclass(slots=True, frozen=True)
class Group:
    """One incident's member events, each with the reasons that joined it (empty for the first)."""

    members: tuple[Event, ...]
    reasons: tuple[tuple[str, ...], ...]


def pair(a: str, b: str) -> Pair:
    """A source pair in canonical order."""
    return (a, b) if a <= b else (b, a)


def merge_events(events: Sequence[Event], registry: Registry | None = None,
                 constraints: Constraints | None = None) -> list[Incident]:
    """Group document-level events into incidents, keeping every source (ids hash the first member)."""
    rules = constraints or Constraints()
    groups: list[Group] = []
    sweep(sorted_for_sweep(weaken_shared_dates(events)), rules,
          lambda members, verdicts, _: groups.extend(group_component(members, verdicts, rules)))
    groups.sort(key=lambda g: min(precision_rank(m) for m in g.members))
    return [incident_of(list(g.members)) for g in groups]


def sorted_for_sweep(events: Iterable[Event]) -> list[Event]:
    """Events in the order ``sweep`` takes them: undated first, then by start date, then id."""
    return sorted(events, key=lambda e: (e.time is not None, e.time.start if e.time else None, e.event_id))


def links_of(group: Group, copy_group: Callable[[str], str]) -> tuple[SourceLink, ...]:
    """The source links of a group, given each document's near-duplicate group."""
    return tuple(SourceLink(m.event_id, r, copy_group(m.doc_id)) for m, r in zip(group.members, group.reasons,
                                                                              strict=True))


def group_component(events: Sequence[Event], verdicts: Mapping[Link, Verdict],
                    constraints: Constraints) -> list[Group]:
    """Complete-link groups of one component, seeded in precision order so the result ignores input order.

    ``verdicts`` holds, by the two events' positions in ``events`` (smaller first), the rules'
    verdict for every candidate pair that is one incident; a pair missing from it may not share a
    group unless a user merged it.
    """
    clusters: list[list[int]] = []
    reasons: list[list[tuple[str, ...]]] = []
    neighbours: dict[int, list[int]] = {}
    for i, j in verdicts:
        neighbours.setdefault(i, []).append(j)
        neighbours.setdefault(j, []).append(i)
    home: dict[int, int] = {}
    for unit in _units(events, constraints):
        # only a group holding an event the first one is linked to can take it: the rest fail complete-link
        near = sorted({home[n] for n in neighbours.get(unit[0], ()) if n in home})
        target = next((c for c in near
                       if all(_allowed(events, u, m, verdicts, constraints) for u in unit for m in clusters[c])), None)
        joining = unit
        if target is None:
            clusters.append([unit[0]])
            reasons.append([()])
            home[unit[0]] = len(clusters) - 1
            joining, target = unit[1:], len(clusters) - 1
        seed = clusters[target][0]
        for n in joining:
            verdict = verdicts.get((min(n, seed), max(n, seed)))
            reasons[target].append(verdict.reasons if verdict is not None else (USER_MERGE,))
            clusters[target].append(n)
            home[n] = target
    return [Group(tuple(events[n] for n in c), tuple(r)) for c, r in zip(clusters, reasons, strict=True)]


def _units(events: Sequence[Event], constraints: Constraints) -> list[list[int]]:
    """Positions of events bound by users' merges as units, each in precision order, units by their first."""
    bound: dict[str, list[int]] = {}
    for n in sorted(range(len(events)), key=lambda n: (precision_rank(events[n]), n)):
        ident = events[n].event_id
        bound.setdefault(constraints.must.get(ident, f"{ident}#{n}"), []).append(n)
    return sorted(bound.values(), key=lambda unit: (precision_rank(events[unit[0]]), unit[0]))


def _allowed(events: Sequence[Event], i: int, j: int, verdicts: Mapping[Link, Verdict],
             constraints: Constraints) -> bool:
    """Whether two events may share an incident: the rules agree, another document, not split apart."""
    a, b = events[i], events[j]
    ids = pair(a.event_id, b.event_id)
    if ids in constraints.cannot:
        return False
    group = constraints.must.get(a.event_id)
    if group is not None and constraints.must.get(b.event_id) == group:
        return True
    return a.doc_id != b.doc_id and (min(i, j), max(i, j)) in verdicts


# a finished component: its events, the links among them (by position) and each event's index keys
ComponentSink = Callable[[list[Event], dict[Link, Verdict], list[Keys]], None]


@dataclass(slots=True)
class _Sweep:
    """The state of a sweep: live events (numbered in arrival order), postings, links and open components."""

    constraints: Constraints
    emit: ComponentSink
    arrived: int = 0
    events: dict[int, Event] = field(default_factory=dict)
    keys: dict[int, Keys] = field(default_factory=dict)
    postings: dict[int, set[int]] = field(default_factory=dict)
    bound: dict[str, list[int]] = field(default_factory=dict)
    parent: dict[int, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    last: dict[int, float] = field(default_factory=dict)
    verdicts: dict[int, list[tuple[int, Verdict]]] = field(default_factory=dict)
    closing: list[tuple[float, int]] = field(default_factory=list)
    unfiling: list[tuple[int, int]] = field(default_factory=list)


def sweep(events: Iterable[Event], constraints: Constraints, emit: ComponentSink) -> None:
    """Find every component of linked events and hand each to ``emit`` once, as soon as it is complete.

    ``events`` must come undated first, then by start date (``sorted_for_sweep``). A dated event
    can only meet events whose time window reaches its own, so events whose windows end before the
    next event's earliest possible window are unfiled, and a component is emitted once all its
    members are past. Components holding an undated event or a user-merged one stay open to the end.
    Memory holds the events of a few weeks, not the whole store.
    """
    state = _Sweep(constraints, emit)
    for event in events:
        if event.time is not None:
            _advance(state, earliest_bucket(event.time.start))
        _add(state, event)
    _advance(state, float("inf"))


def _add(state: _Sweep, event: Event) -> None:
    """Compare an event with its filed candidates, link it to those that are one incident, and file it."""
    n = state.arrived
    state.arrived += 1
    keys = keys_of(event)
    state.events[n], state.keys[n], state.parent[n], state.members[n], state.verdicts[n] = event, keys, n, [n], []
    user_bound = event.event_id in state.constraints.must
    state.last[n] = float("inf") if keys.last is None or user_bound else float(keys.last)
    for other in sorted({c for k in keys.probe for c in state.postings.get(k, ())}):
        verdict = compare(*sorted((event, state.events[other]), key=lambda e: e.event_id))
        if verdict.same:
            state.verdicts[n].append((other, verdict))
            state.verdicts[other].append((n, verdict))
            _union(state, n, other)
    if user_bound:
        for partner in state.constraints.partners(event.event_id):
            for other in state.bound.get(partner, ()):
                _union(state, n, other)
        state.bound.setdefault(event.event_id, []).append(n)
    for k in keys.post:
        state.postings.setdefault(k, set()).add(n)
    if keys.last is not None:
        heapq.heappush(state.unfiling, (keys.last, n))
    root = _find(state, n)
    heapq.heappush(state.closing, (state.last[root], root))


def _advance(state: _Sweep, threshold: float) -> None:
    """Unfile events whose windows end before ``threshold`` and emit components wholly before it."""
    while state.unfiling and state.unfiling[0][0] < threshold:
        _, n = heapq.heappop(state.unfiling)
        if n in state.keys:  # else its component was emitted already
            _unfile(state, n)
    while state.closing and state.closing[0][0] < threshold:
        last, root = heapq.heappop(state.closing)
        if state.parent.get(root) == root and state.last[root] == last:
            _emit(state, root)
    if threshold == float("inf"):
        for root in sorted(r for r, p in state.parent.items() if r == p):
            _emit(state, root)


def _unfile(state: _Sweep, n: int) -> None:
    """Take an event out of the postings, so no later event finds it."""
    for k in state.keys[n].post:
        filed = state.postings.get(k)
        if filed is not None:
            filed.discard(n)
            if not filed:
                del state.postings[k]


def _emit(state: _Sweep, root: int) -> None:
    """Hand a finished component to the sink, its links by position in its event list, and forget it."""
    numbers = sorted(state.members.pop(root))
    position = {n: i for i, n in enumerate(numbers)}
    verdicts = {(min(position[a], position[b]), max(position[a], position[b])): v
                for a in numbers for b, v in state.verdicts[a]}
    events = [state.events[n] for n in numbers]
    keys = [state.keys[n] for n in numbers]
    for n in numbers:
        _unfile(state, n)
        del state.events[n], state.keys[n], state.parent[n], state.verdicts[n]
        state.last.pop(n, None)  # only a component's root has an end
    state.emit(events, verdicts, keys)


def _find(state: _Sweep, n: int) -> int:
    """The root of an event's component, compressing the path."""
    root = n
    while state.parent[root] != root:
        root = state.parent[root]
    while state.parent[n] != root:
        state.parent[n], n = root, state.parent[n]
    return root


def _union(state: _Sweep, a: int, b: int) -> None:
    """Join two events' components, keeping the larger's root; the component ends at its latest member."""
    ra, rb = _find(state, a), _find(state, b)
    if ra == rb:
        return
    if len(state.members[ra]) < len(state.members[rb]):
        ra, rb = rb, ra
    state.parent[rb] = ra
    state.members[ra].extend(state.members.pop(rb))
    state.last[ra] = max(state.last[ra], state.last.pop(rb))
    heapq.heappush(state.closing, (state.last[ra], ra))
