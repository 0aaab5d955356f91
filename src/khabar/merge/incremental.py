"""Merging into the store: new events incrementally, or everything again (``rebuild``).

An incremental merge starts from the new events (and any others it is asked to revisit), walks
the candidate index in the store to the whole component they touch, regroups that component
(``cluster.group_component``) and rewrites only the incidents in it. A rebuild sweeps every stored
event in date order (``cluster.sweep``) and regroups every component. Both group a component the
same way, and a component is the same whatever order its events arrived in, so ingesting in any
order and rebuilding give the same incidents. Ids stay stable across both (``ids``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from khabar.merge.cluster import Constraints, Group, Link, Pair, group_component, links_of, pair, sweep
from khabar.merge.combine import combine_tolls, incident_of
from khabar.merge.ids import assign_ids
from khabar.merge.index import SCHEME, Keys, keys_of
from khabar.merge.rules import Verdict, compare, weaken_shared_dates
from khabar.records import Event, Incident
from khabar.store import Store
from khabar.store.merging import Written

STAGE_BATCH = 5000


def merge_pending(store: Store, constraints: Constraints, revisit_docs: Iterable[str] = ()) -> int:
    """Merge the events not merged yet, and regroup the incidents of ``revisit_docs``; returns incidents touched.

    A store whose index was built with another key scheme (or never) is rebuilt instead.
    """
    if store.merge_state("index_scheme") != SCHEME:
        return rebuild(store, constraints)
    docs = set(store.unmerged_docs()) | set(revisit_docs)
    seeds = [e.event_id for e in store.events_of_docs(docs)]
    return remerge_sources(store, seeds, constraints) if seeds else 0


def remerge_sources(store: Store, seeds: Sequence[str], constraints: Constraints) -> int:
    """Regroup the component of these source events and rewrite its incidents; returns their number."""
    pool = _Pool(store)
    members, verdicts = _component(pool, seeds, constraints)
    previous = store.links(members)
    ordered = sorted(members)
    position = {s: n for n, s in enumerate(ordered)}
    links = {(min(position[a], position[b]), max(position[a], position[b])): v for (a, b), v in verdicts.items()}
    groups = group_component([pool.events[s] for s in ordered], links, constraints)
    old_ids = set(previous.values())
    ages = store.ages(old_ids)
    assignment = assign_ids([[m.event_id for m in g.members] for g in groups], previous, ages,
                            lambda i: i not in old_ids and store.id_taken(i), store.next_created())
    copies = store.copy_groups({pool.events[s].doc_id for s in members})
    written = [Written(assemble(g, ident, copies, constraints), assignment.created.get(ident, ages.get(ident, 0)))
               for g, ident in zip(groups, assignment.ids, strict=True)]
    keys = [(k, s) for s in sorted(pool.unfiled & members) for k in keys_of(pool.events[s]).post]
    store.write_merge(old_ids, written, assignment.aliases, keys)
    return len(written)


def rebuild(store: Store, constraints: Constraints) -> int:
    """Merge every stored event again, keeping the ids of incidents that still exist; returns their number."""
    ages = store.ages()
    run = _Rebuild(store, constraints, ages, store.copy_groups(), max(ages.values(), default=0) + 1,
                   store.all_aliases())
    store.start_rebuild()
    sweep(_sweep_events(store, run.previous), constraints, run.take)
    run.flush()
    store.finish_rebuild(run.aliases, SCHEME)
    return run.count


def assemble(group: Group, ident: str, copies: Mapping[str, str], constraints: Constraints) -> Incident:
    """The incident of a group under a stable id, with why each source joined and copies counted once.

    ``copies`` maps a document to its near-duplicate group (documents without copies are left out).
    Tolls combine one source per near-duplicate group, so a republished article does not weigh twice.
    """
    members = list(group.members)
    incident = incident_of(members)
    links = links_of(group, lambda doc: copies.get(doc, doc))
    independent = {link.copy_group for link in links}
    fatalities, injuries = incident.fatalities, incident.injuries
    if len(independent) < len(members):
        once = list({link.copy_group: m for link, m in reversed(list(zip(links, members, strict=True)))}.values())
        fatalities = combine_tolls([m.fatalities for m in once])
        injuries = combine_tolls([m.injuries for m in once])
    event = replace(incident.event, event_id=ident, fatalities=fatalities, injuries=injuries)
    return replace(incident, incident_id=ident, event=event, fatalities=fatalities, injuries=injuries, links=links,
                   independent=len(independent), review=constraints.verdict_of(m.event_id for m in members))


@dataclass(slots=True)
class _Pool:
    """Events read from the store during one incremental merge, date-weakened per document."""

    store: Store
    events: dict[str, Event] = field(default_factory=dict)
    docs: set[str] = field(default_factory=set)
    unfiled: set[str] = field(default_factory=set)
    unfiled_posts: dict[int, set[str]] = field(default_factory=dict)

    def load(self, source_ids: Iterable[str]) -> None:
        """Read the documents of these sources (all their events, for date weakening) unless read already."""
        wanted = [s for s in source_ids if s not in self.events]
        docs = self.store.docs_of_sources(wanted) - self.docs if wanted else set()
        if not docs:
            return
        self.docs |= docs
        events = weaken_shared_dates(self.store.events_of_docs(docs))
        links = self.store.links(e.event_id for e in events)
        for event in events:
            self.events[event.event_id] = event
            if event.event_id not in links:  # not merged yet, so not in the store's index
                self.unfiled.add(event.event_id)
                for k in keys_of(event).post:
                    self.unfiled_posts.setdefault(k, set()).add(event.event_id)

    def candidates(self, event: Event) -> set[str]:
        """The sources filed under the event's probe keys, in the store or among the unfiled new events."""
        probe = keys_of(event).probe
        found = self.store.filed_under(probe)
        found |= {s for k in probe for s in self.unfiled_posts.get(k, ())}
        found.discard(event.event_id)
        return found


def _component(pool: _Pool, seeds: Sequence[str], constraints: Constraints) -> tuple[set[str], dict[Pair, Verdict]]:
    """The sources linked to the seeds, directly or through others, and the verdicts that link them.

    The walk also takes in the other sources of every incident it meets, so incidents made under
    earlier rules are regrouped whole.
    """
    pool.load(seeds)
    frontier = sorted(s for s in seeds if s in pool.events)
    members, verdicts, compared = set(frontier), {}, set()
    while frontier:
        ident = frontier.pop()
        found = pool.candidates(pool.events[ident])
        bound = set(constraints.partners(ident))
        incident = pool.store.links([ident]).get(ident)
        kin = set(pool.store.sources_of([incident])) if incident is not None else set()
        pool.load(found | bound | kin)
        for other in sorted(found):
            key = pair(ident, other)
            if key in compared:
                continue
            compared.add(key)
            verdict = compare(*sorted((pool.events[ident], pool.events[other]), key=lambda e: e.event_id))
            if verdict.same:
                verdicts[key] = verdict
                bound.add(other)
        for other in sorted((bound | kin) - members):
            if other in pool.events:
                members.add(other)
                frontier.append(other)
    return members, verdicts


@dataclass(slots=True)
class _Rebuild:
    """A full re-merge in progress: components become incidents, staged in batches."""

    store: Store
    constraints: Constraints
    ages: dict[str, int]
    copies: dict[str, str]
    first_new: int
    aliased: set[str]
    previous: dict[str, str] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)
    pending: list[Written] = field(default_factory=list)
    keys: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0

    def take(self, events: list[Event], verdicts: dict[Link, Verdict], keys: list[Keys]) -> None:
        """Turn one component into incidents with stable ids."""
        groups = group_component(events, verdicts, self.constraints)
        previous = {e.event_id: self.previous.pop(e.event_id) for e in events if e.event_id in self.previous}
        assignment = assign_ids([[m.event_id for m in g.members] for g in groups], previous, self.ages,
                                self._taken, self.first_new + self.count, claimed=self.given.__contains__)
        for group, ident in zip(groups, assignment.ids, strict=True):
            self.given.add(ident)
            created = assignment.created.get(ident, self.ages.get(ident, 0))
            self.pending.append(Written(assemble(group, ident, self.copies, self.constraints), created))
        self.aliases.update(assignment.aliases)
        self.keys += [(k, e.event_id) for e, filed in zip(events, keys, strict=True) for k in filed.post]
        self.count += len(groups)
        if len(self.pending) >= STAGE_BATCH:
            self.flush()

    def _taken(self, ident: str) -> bool:
        """Whether an id is given out in this run, belonged to an incident before, or is an alias."""
        return ident in self.given or ident in self.ages or ident in self.aliased

    def flush(self) -> None:
        """Stage the incidents made so far."""
        self.store.stage_rebuilt(self.pending, self.keys)
        self.pending, self.keys = [], []


def _sweep_events(store: Store, previous: dict[str, str]) -> Iterator[Event]:
    """Every stored event in sweep order, date-weakened, noting the incident each was in before."""
    for raw, incident, crowded in store.sweep_rows():
        # an event whose sentence reports another event too is weakened as its whole document says
        event = next(e for e in weaken_shared_dates(store.events_of_docs([raw.doc_id]))
                     if e.event_id == raw.event_id) if crowded else raw
        if incident is not None:
            previous[event.event_id] = incident
        yield event
