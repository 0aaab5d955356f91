"""Near-duplicate articles: wire copies and lightly edited republications, grouped by MinHash.

Each document's text becomes a set of word shingles (``SHINGLE_WORDS`` words in a row, lower
case) and a MinHash signature (``datasketch``). Signatures are cut into bands whose hashes are
stored, so a new document is compared only with documents sharing a band; two documents are copies
when their estimated Jaccard similarity is at least ``THRESHOLD``. A copy group is a connected set
of copies, named by its smallest doc_id, so the groups do not depend on the order documents came in.
The threshold is set on made-up pairs in ``tests/test_neardup.py``: a republication with a new
headline, a trimmed ending or a few words changed stays above it, and two outlets' own reports of
one incident stay well below it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

from khabar.store import Store

SHINGLE_WORDS = 3
PERMUTATIONS = 128
BAND_ROWS = 4  # 32 bands of 4: a pair at similarity 0.5 shares a band with probability 0.87, at 0.6 with 0.99
THRESHOLD = 0.5
SEED = 19
SLICE = 2000
WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    """The word shingles of a text (the whole text as one shingle when it is shorter than one)."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles, as unsigned 64-bit integers."""
    sketch = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    sketch.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return np.asarray(sketch.hashvalues, dtype="<u8")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.mean(a == b))


def bands(sig: np.ndarray) -> list[int]:
    """One hash per band of a signature, as signed 64-bit integers for SQLite."""
    out = []
    for n in range(PERMUTATIONS // BAND_ROWS):
        chunk = n.to_bytes(2, "big") + sig[n * BAND_ROWS:(n + 1) * BAND_ROWS].tobytes()
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True))
    return out


def group_copies(store: Store) -> set[str]:
    """Sign every document not signed yet and join copy groups; returns the documents whose group is new.

    Documents are signed in slices of ``SLICE`` (each stored before the next is read), so signing
    a whole upgraded store holds one slice in memory at a time.
    """
    fresh = store.unsigned_docs()
    changed: set[str] = set()
    for start in range(0, len(fresh), SLICE):
        changed |= _group_slice(store, fresh[start:start + SLICE])
    return changed


def _group_slice(store: Store, fresh: Sequence[str]) -> set[str]:
    """Sign some documents and join them to the copy groups stored so far."""
    signed = {d.doc_id: signature(d.text) for d in store.documents(fresh)}
    banded = {doc: bands(sig) for doc, sig in signed.items()}
    by_band: dict[int, list[str]] = {}
    for doc, own in banded.items():
        for band in own:
            by_band.setdefault(band, []).append(doc)
    links = {doc: _copies_of(store, doc, signed, banded[doc], by_band) for doc in signed}
    groups, regrouped = _regroup(store, links)
    store.save_copies([(doc, groups[doc], signed[doc].tobytes(), banded[doc]) for doc in sorted(signed)],
                      regrouped)
    return set(signed) | set(regrouped)


def _copies_of(store: Store, doc: str, signed: dict[str, np.ndarray], own: list[int],
               by_band: dict[int, list[str]]) -> set[str]:
    """The documents (stored, or new in this batch) this one is a copy of."""
    sig = signed[doc]
    stored = store.signatures(store.docs_in_bands(own))
    near = {other for other, (_, theirs) in stored.items()
            if similarity(sig, np.frombuffer(theirs, dtype="<u8")) >= THRESHOLD}
    batch = {other for band in own for other in by_band[band] if other != doc}
    return near | {other for other in batch if similarity(sig, signed[other]) >= THRESHOLD}


def _regroup(store: Store, links: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Groups for the new documents, and stored documents whose group changes, as connected sets of copies."""
    stored = store.signatures({o for others in links.values() for o in others} - set(links))
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        """The representative of a node's set."""
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for doc, others in links.items():
        for other in others:
            node = "group:" + stored[other][0] if other in stored else other
            parent[root(node)] = root(doc)
        root(doc)
    old_groups = {n.removeprefix("group:") for n in parent if n.startswith("group:")}
    members = store.members_of_groups(old_groups)
    sets: dict[str, set[str]] = {}
    for node in parent:
        names = {d for d, g in members.items() if g == node.removeprefix("group:")} if node.startswith("group:") \
            else {node}
        sets.setdefault(root(node), set()).update(names)
    groups: dict[str, str] = {}
    regrouped: dict[str, str] = {}
    for docs in sets.values():
        label = min(docs)
        for doc in docs:
            if doc in links:
                groups[doc] = label
            elif members.get(doc) != label:
                regrouped[doc] = label
    return groups, regrouped
