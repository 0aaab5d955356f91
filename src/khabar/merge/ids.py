"""Stable incident ids: an incident keeps its id as sources join, and the older id survives a merge.

New groups are matched with the incidents their sources belonged to before. Each old id goes to
the group holding most of its sources, older ids choosing first, so when two incidents become one
the older id survives; an old id that no group keeps becomes an alias of the group holding most of
its sources, so links people keep still resolve. A group matching no old id gets a new one: the
hash of its smallest source id (as ``combine.incident_of`` makes), salted if that is taken.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Assignment:
    """Ids for a list of groups: one per group, each new id's creation number, and old ids made aliases."""

    ids: tuple[str, ...]
    created: Mapping[str, int]
    aliases: Mapping[str, str]


def assign_ids(groups: Sequence[Sequence[str]], previous: Mapping[str, str], age: Mapping[str, int],
               taken: Callable[[str], bool], next_number: int,
               claimed: Callable[[str], bool] = lambda _: False) -> Assignment:
    """Ids for groups of source ids.

    ``previous`` maps a source id to the incident it was in, ``age`` an old incident id to its
    creation number (smaller is older), ``taken`` says whether a new id would clash with one in use
    (by another incident or as an alias), ``claimed`` whether an old id went to a group elsewhere in
    the same run, and new ids are numbered from ``next_number``.
    """
    overlaps = [Counter(previous[s] for s in group if s in previous) for group in groups]
    chosen: dict[int, str] = {}
    kept: set[str] = set()
    ranked = sorted(((age.get(old, 0), -n, min(groups[g]), g, old) for g, c in enumerate(overlaps)
                     for old, n in c.items()))
    for _, _, _, g, old in ranked:
        if g not in chosen and old not in kept and not claimed(old):
            chosen[g], kept = old, kept | {old}
    created: dict[str, int] = {}
    used = set(chosen.values())
    for g in sorted(set(range(len(groups))) - set(chosen), key=lambda n: min(groups[n])):
        chosen[g] = _fresh(min(groups[g]), lambda i: i in used or taken(i))
        used.add(chosen[g])
        created[chosen[g]] = next_number + len(created)
    ids = tuple(chosen[g] for g in range(len(groups)))
    aliases = {old: ids[max(range(len(groups)), key=lambda g: (overlaps[g][old], -g))]
               for old in sorted({o for c in overlaps for o in c} - kept)}
    return Assignment(ids, created, aliases)


def _fresh(seed: str, taken: Callable[[str], bool]) -> str:
    """The first id from hashing ``seed`` (then ``seed#1``, ``seed#2``...) that is not taken."""
    salt = 0
    while True:
        ident = hashlib.sha256((seed if salt == 0 else f"{seed}#{salt}").encode()).hexdigest()[:12]
        if not taken(ident):
            return ident
        salt += 1
