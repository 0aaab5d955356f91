"""Matching registry names in text: exact aliases, spelling variants, in-document acronyms and descriptions.

Cascade steps 1-3 of the resolver: acronyms the document defines ("Long Name (LN)"), a longest-first
scan of exact aliases over the tokens (gated by the index's key prefixes), then descriptive extensions
("Afghan security forces", "Taliban fighters") from the lexicon's force nouns, also when modifiers
stand between ("Afghan-led security force", "Afghan and coalition forces").
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from khabar.actors.hits import DocState, Hit
from khabar.actors.normalise import normalise
from khabar.actors.registry import AliasEntry, Registry

MAX_NGRAM = 9
# registry types of actors that field fighters, which a force noun after an ambiguous name points to
FIGHTING_TYPES = frozenset({"armed_group", "militia", "state_forces"})
FUZZY_TOKEN = 72.0  # every token of a spelling variant is at least this close to a partner
FUZZY_SORT = 85.0  # and the whole name at least this close
# How many tokens after a demonym its force noun may come, and the marks that may stand between them
_PHRASE_REACH = 8
_PHRASE_PUNCTUATION = frozenset({"-", "\u2013", "/"})
# Word classes an acronym never is: in a sentence written in capitals, "IS", "US" or "IT" tagged so is a word
_FUNCTION_WORDS = frozenset({"AUX", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "PART", "VERB", "ADV"})
_NAMED_THINGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})
_SHOUTED_SHARE = 0.8  # of a sentence's letters in capitals: the sentence is written in capitals
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
    if not entries or (all(e.case_sensitive for e in entries) and _shouted_word(doc, start, end)):
        return None
    kind = "description" if entries[0].kind == "description" else entries[0].kind
    confidence = 0.6 if kind == "description" else 1.0
    return Hit(start, end, tuple(dict.fromkeys(e.actor_id for e in entries)), kind, confidence, surface=surface)


def _shouted_word(doc: DocState, start: int, end: int) -> bool:
    """Whether a one-word acronym match is a plain word of a sentence in capitals ("THIS IS IT": no Islamic State).

    An acronym before a noun ("IS FIGHTERS") keeps its match, whatever the tagger made of it.
    """
    tokens = doc.analysis.tokens
    token = tokens[start]
    if end - start != 1 or token.pos not in _FUNCTION_WORDS:
        return False
    if end < len(tokens) and tokens[end].sentence == token.sentence and tokens[end].pos in _NAMED_THINGS:
        return False
    letters = [c for c in doc.analysis.sentences[token.sentence].text if c.isalpha()]
    return sum(c.isupper() for c in letters) >= _SHOUTED_SHARE * len(letters)


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
    """Extend actor hits by a following force noun ("Taliban fighters", "Afghan security forces").

    A country after a force noun and "of" names that force too: "the military forces of Azerbaijan".
    """
    out: list[Hit] = []
    for hit in hits:
        extended = _with_force_noun(doc, hit)
        if extended is hit:
            extended = _force_of_country(doc, hit)
        out.append(doc.take(extended) if extended is not hit else hit)
    return _share_coordinated_roles(doc, _force_phrases(doc, out))


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
    elif len(candidates) > 1:
        # "RSF soldiers": a name several entries share is the one that has soldiers, not a press NGO
        armed = [c for c in candidates if (actor := doc.registry.get(c)) is not None and actor.type in FIGHTING_TYPES]
        candidates = (*armed, *(c for c in candidates if c not in armed))
    return replace(hit, end=end, candidates=candidates, kind="description", confidence=0.9,
                   surface=doc.text(hit.start, end))


def _force_of_country(doc: DocState, hit: Hit) -> Hit:
    """A country's hit extended back over "<force noun> of (the)": "police forces of Chile" -> police:CHL."""
    if not hit.actor_id.startswith("state:"):
        return hit
    of = hit.start - 1
    if of >= 0 and doc.norms[of] in doc.registry.lexicon.articles:
        of -= 1
    tokens = doc.analysis.tokens
    if of < 1 or doc.norms[of] != "of" or tokens[of].sentence != tokens[hit.start].sentence:
        return hit
    nouns = doc.registry.lexicon.force_nouns
    for size in (3, 2, 1):
        start = of - size
        key = " ".join(n for n in doc.norms[max(0, start) : of] if n)
        role = nouns.get(key, "self") if start >= 0 and doc.free(start, of) else "self"
        if role != "self" and tokens[start].sentence == tokens[of].sentence:
            return replace(hit, start=start, candidates=(f"{role}:{hit.actor_id.split(':', 1)[1]}",),
                           kind="description", confidence=0.9, surface=doc.text(start, hit.end))
    return hit


def _force_phrases(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """Demonyms heading a force noun a few words on: "Afghan-led security force", "Afghan and coalition forces".

    The demonym becomes the country's force (extended over the phrase when it names no partner); a
    partner conjoined to it ("and coalition") is the actor its own force phrase would name. The words
    are read in order rather than from the parse, which often makes the force a conjunct of the demonym.
    """
    out: list[Hit] = []
    starts = {h.start: h for h in hits}
    for hit in hits:
        found = _phrase_force(doc, hit, starts) if hit.actor_id.startswith("state:") else None
        if found is None:
            out.append(hit)
            continue
        end, role, partners = found
        country = hit.actor_id.split(":", 1)[1]
        named = [p for p in (_partner(doc, i, end) for i in partners) if p is not None]
        whole = not partners and doc.free(hit.end, end)
        out.append(doc.take(replace(
            hit, end=end if whole else hit.end, candidates=(f"{role}:{country}",), kind="description",
            confidence=0.8, surface=doc.text(hit.start, end if whole else hit.end),
        )))
        out.extend(doc.take(p) for p in named)
    return sorted(out, key=lambda h: h.start)


def _phrase_force(doc: DocState, hit: Hit, starts: dict[int, Hit]) -> tuple[int, str, list[int]] | None:
    """(end, role, free partner tokens) of the force noun phrase a demonym opens, if any.

    Only force modifiers ("-led", "National"), coordinators, dashes and the partners they join may stand between.
    """
    lexicon, tokens = doc.registry.lexicon, doc.analysis.tokens
    partners: list[int] = []
    joined = False  # the last word was a coordinator: a partner may follow
    i = hit.end
    while i < min(len(tokens), hit.end + _PHRASE_REACH) and tokens[i].sentence == tokens[hit.start].sentence:
        other = starts.get(i)
        if other is not None and not joined:
            return None  # another actor's name qualifies the force ("Turkish Hezbollah fighters")
        found = _force_noun_ending(doc, i, starts)
        if found is not None:
            return (found[0], found[1], partners) if found[1] != "self" else None
        word = doc.norms[i]
        if other is not None:
            i, joined = other.end, False  # a named partner ("and U.S."): its own mention
            continue
        if joined and word and doc.free(i, i + 1):
            partners.append(i)
        elif word in lexicon.coordinators or tokens[i].text == ",":
            joined = True
            i += 1
            continue
        elif word not in lexicon.force_modifiers and tokens[i].text not in _PHRASE_PUNCTUATION:
            return None
        joined = False
        i += 1
    return None


def _force_noun_ending(doc: DocState, i: int, starts: dict[int, Hit]) -> tuple[int, str] | None:
    """(end, role) of a force noun starting at token i, or of a named partner's mention ending in one."""
    other = starts.get(i)
    if other is not None:
        for size in (3, 2, 1):
            key = " ".join(n for n in doc.norms[max(other.start, other.end - size) : other.end] if n)
            if key in doc.registry.lexicon.force_nouns:
                return other.end, doc.registry.lexicon.force_nouns[key]
        return None
    for size in (3, 2, 1):
        key = " ".join(n for n in doc.norms[i : i + size] if n)
        if i + size <= len(doc.norms) and key in doc.registry.lexicon.force_nouns and doc.free(i, i + size):
            return i + size, doc.registry.lexicon.force_nouns[key]
    return None


def _partner(doc: DocState, i: int, end: int) -> Hit | None:
    """A conjoined partner word as the actor it names with the phrase's force noun ("coalition" + "security force")."""
    word = doc.analysis.tokens[i].text
    for start in range(i + 1, end):
        actor_id = lookup_name(doc.registry, f"{word} {doc.text(start, end)}")
        if actor_id:
            return Hit(i, i + 1, (actor_id,), "description", 0.7, surface=word)
    return None


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
