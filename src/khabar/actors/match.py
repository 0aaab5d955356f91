"""Matching registry names in text: exact aliases, spelling variants, in-document acronyms and descriptions.

Cascade steps 1-3 of the resolver: acronyms the document defines ("Long Name (LN)"), a longest-first
scan of exact aliases over the tokens (gated by the index's key prefixes), then descriptive extensions
("Afghan security forces", "Taliban fighters") from the lexicon's force nouns.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from khabar.actors.hits import DocState, Hit
from khabar.actors.normalise import normalise
from khabar.actors.registry import AliasEntry, Registry

MAX_NGRAM = 9
FUZZY_TOKEN = 72.0  # every token of a spelling variant is at least this close to a partner
FUZZY_SORT = 85.0  # and the whole name at least this close
_BRACKETED_ACRONYM = re.compile(r"[(\[]\s*[A-Z][A-Za-z-]{1,9}\s*[)\]]")  # the tail of a definition


def lookup_name(registry: Registry, text: str) -> str:
    """An actor id for a whole name by exact key or skeleton, or ""."""
    key = normalise(text)
    entries = registry.lookup(key)
    if entries:
        return entries[0].actor_id
    ids = registry.names.skeletons.get(registry.lexicon.skeleton(key), [])
    return ids[0] if len(ids) == 1 else ""


def fuzzy_match(registry: Registry, key: str) -> str:
    """A unique actor whose name is a close spelling variant of a normalised key (same token count), or ""."""
    skel = registry.lexicon.skeleton(key)
    tokens = skel.split()
    if len(tokens) < 2:
        return ""
    by_token = registry.names.by_token
    candidates = by_token.get(tokens[0], set()) | by_token.get(tokens[-1], set())
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        other = candidate.split()
        if len(other) != len(tokens) or fuzz.token_sort_ratio(skel, candidate) < FUZZY_SORT:
            continue
        if _tokens_align(tokens, other):
            scored.append((fuzz.token_sort_ratio(skel, candidate), candidate))
    best = max((s for s, _ in scored), default=0.0)
    ids = {i for score, c in scored if score == best for i in registry.names.skeletons[c]}
    return next(iter(ids)) if len(ids) == 1 else ""


def _tokens_align(tokens: list[str], other: list[str]) -> bool:
    """Whether every token has a close partner in the other name (order free)."""
    unused = list(other)
    for token in tokens:
        best = max(unused, key=lambda o: fuzz.ratio(token, o))
        if fuzz.ratio(token, best) < FUZZY_TOKEN:
            return False
        unused.remove(best)
    return True


def acronym_definitions(doc: DocState) -> None:
    """Learn "Long Name (LN)" acronyms whose long form is a known actor."""
    text = doc.analysis.document.text
    if not _BRACKETED_ACRONYM.search(text):
        return  # every definition ends with one; most texts hold none, and the full pattern is slow to rule out
    for match in doc.registry.lexicon.definition_pattern.finditer(text):
        words = match.group(1).split()
        for cut in range(len(words) - 1):
            actor_id = lookup_name(doc.registry, " ".join(words[cut:]))
            if actor_id:
                doc.local[normalise(match.group(2))] = actor_id
                break


def scan_aliases(doc: DocState) -> list[Hit]:
    """Longest-first exact alias matches over the token sequence."""
    hits: list[Hit] = []
    norms, prefixes = doc.norms, doc.registry.names.prefixes
    i = 0
    while i < len(norms):
        hit = _match_at(doc, i) if norms[i] in prefixes or norms[i] in doc.local else None
        if hit is None:
            i += 1
            continue
        if _negated(doc, i):
            # "anti-Taliban groups" names the Taliban as the party opposed, not as the actor
            hit = replace(hit, kind="description", role="opposed", confidence=0.5)
        hits.append(doc.take(hit))
        i = hit.end
    return hits


def _match_at(doc: DocState, i: int) -> Hit | None:
    """The longest alias match starting at token i, if any."""
    keys: list[tuple[int, str]] = []
    key, size = "", 0
    tokens, norms, prefixes = doc.analysis.tokens, doc.norms, doc.registry.names.prefixes
    sentence = tokens[i].sentence
    for j in range(i, min(len(norms), i + MAX_NGRAM + 4)):
        if tokens[j].sentence != sentence:
            break
        if norms[j]:
            key, size = f"{key} {norms[j]}" if size else norms[j], size + 1
            if key not in prefixes and not (doc.local and any(local.startswith(key) for local in doc.local)):
                break
            keys.append((j + 1, key))
        if size >= MAX_NGRAM:
            break
    for end, key in reversed(keys):
        if key not in doc.registry.names.entries and key not in doc.local:
            continue
        hit = _hit_for_key(doc, i, end, key)
        if hit:
            return hit
    return None


def _hit_for_key(doc: DocState, start: int, end: int, key: str) -> Hit | None:
    """A hit if the key is an alias whose case fits the surface."""
    surface = doc.text(start, end)
    if key in doc.local and _same_letters(surface, key.upper()):
        return Hit(start, end, (doc.local[key],), "acronym", 0.95, surface=surface)
    entries = [e for e in doc.registry.lookup(key) if _case_fits(surface, e)]
    if not entries:
        return None
    kind = "description" if entries[0].kind == "description" else entries[0].kind
    confidence = 0.6 if kind == "description" else 1.0
    return Hit(start, end, tuple(dict.fromkeys(e.actor_id for e in entries)), kind, confidence, surface=surface)


def _same_letters(surface: str, alias: str) -> bool:
    """Whether two forms have the same letters and digits, case included."""
    return re.sub(r"\W", "", surface) == re.sub(r"\W", "", alias)


def _case_fits(surface: str, entry: AliasEntry) -> bool:
    """Acronyms match case-sensitively; names need a capital unless the alias has none."""
    if entry.case_sensitive:
        return _same_letters(surface, entry.surface)
    return surface[:1].isupper() or surface[:1] == entry.surface[:1]


def _negated(doc: DocState, i: int) -> bool:
    """Whether a match carries a prefix like "anti-" (an anti-Taliban group is not the Taliban)."""
    tokens = doc.analysis.tokens
    if i >= 2 and tokens[i - 1].text == "-" and tokens[i - 1].start == tokens[i - 2].end:
        return doc.norms[i - 2] in doc.registry.lexicon.negating_prefixes
    return False


# --- descriptions --------------------------------------------------------------------------


def extend_descriptions(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """Extend actor hits by a following force noun ("Taliban fighters", "Afghan security forces")."""
    out: list[Hit] = []
    for hit in hits:
        extended = _with_force_noun(doc, hit)
        out.append(doc.take(extended) if extended is not hit else hit)
    return _share_coordinated_roles(doc, out)


def _force_noun_at(doc: DocState, i: int) -> tuple[int, str] | None:
    """The longest lexicon force noun starting at token i: (end token, role)."""
    nouns = doc.registry.lexicon.force_nouns
    for size in (3, 2, 1):
        end = i + size
        if end <= len(doc.norms) and doc.free(i, end):
            key = " ".join(n for n in doc.norms[i:end] if n)
            if key in nouns:
                return end, nouns[key]
    return None


def _with_force_noun(doc: DocState, hit: Hit) -> Hit:
    """The hit extended over a force noun, re-pointed at the country's role actor."""
    found = _force_noun_at(doc, hit.end)
    if found is None:
        return hit
    end, role = found
    candidates = hit.candidates
    if hit.actor_id.startswith("state:") and role != "self":
        candidates = (f"{role}:{hit.actor_id.split(':', 1)[1]}",)
    return replace(hit, end=end, candidates=candidates, kind="description", confidence=0.9,
                   surface=doc.text(hit.start, end))


def _share_coordinated_roles(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """"Hungarian and Romanian officials": the first state takes the second's role."""
    out = list(hits)
    coordinators, roles = doc.registry.lexicon.coordinators, doc.registry.coding.coordinated_roles
    for n in range(len(out) - 1):
        left, right = out[n], out[n + 1]
        between = [w for w in doc.norms[left.end : right.start] if w]
        if not (left.actor_id.startswith("state:") and left.kind == "description"):
            continue
        joined = len(between) <= 1 and all(w in coordinators for w in between)
        if joined and ":" in right.actor_id and right.kind == "description":
            role = right.actor_id.split(":", 1)[0]
            if role in roles:
                out[n] = replace(left, candidates=(f"{role}:{left.actor_id.split(':', 1)[1]}",), confidence=0.8)
    return out
