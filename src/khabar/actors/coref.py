"""Who a person is and what refers back: surnames, titles and appositions, "the group" and pronouns.

Cascade steps 6-7 of the resolver: titles and appositions give a person's role and affiliation
("Taliban spokesman X", "X, the head of Y"); "the group" resolves to the latest armed group within a few
sentences, and a subject pronoun to the only person named in this or the previous sentence.
"""

from __future__ import annotations

from dataclasses import replace

from khabar.actors.hits import DocState, Hit
from khabar.actors.normalise import normalise
from khabar.records import Token

COREF_WINDOW = 3  # sentences back that "the group" may reach


def surname_match(doc: DocState, key: str, hits: list[Hit]) -> str:
    """The latest earlier person whose name ends with this single normalised word, or ""."""
    if len(key.split()) != 1:
        return ""
    for hit in reversed(hits):
        actor = doc.registry.get(hit.actor_id)
        name = actor.name if actor else hit.surface
        is_person = (actor is not None and actor.type == "person") or hit.kind == "provisional"
        if is_person and normalise(name).split()[-1:] == [key]:
            return hit.actor_id
    return ""


def apposition(doc: DocState, hit: Hit, hits: list[Hit]) -> Hit:
    """A person's role and affiliation from nearby titles ("Taliban spokesman X", "X, the head of Y")."""
    if not doc.is_person(hit):
        parent = doc.registry.affiliation_at(hit.actor_id, doc.day)
        return replace(hit, affiliation=hit.affiliation or (parent.actor_id if parent else ""))
    if hit.kind == "coref":
        return hit
    organisations = [h for h in hits if not doc.is_person(h) and h.role != "opposed"]
    ends = {h.end: h for h in organisations}
    starts = {h.start: h for h in organisations}
    role, affiliation = _scan_titles(doc, hit.start - 1, -1, ends)
    if not role and not affiliation and hit.end < len(doc.norms) and doc.analysis.tokens[hit.end].text == ",":
        role, affiliation = _scan_titles(doc, hit.end + 1, 1, starts)
    tie = doc.registry.affiliation_at(hit.actor_id, doc.day) if hit.kind != "provisional" else None
    if tie is not None and affiliation in ("", tie.actor_id):
        affiliation, role = tie.actor_id, role or tie.title
    return replace(hit, role=role or hit.role, affiliation=affiliation or hit.affiliation)


def _scan_titles(doc: DocState, i: int, step: int, actor_at: dict[int, Hit]) -> tuple[str, str]:
    """Walk from a person over titles, glue words and one actor; return (role, affiliation id)."""
    lexicon = doc.registry.lexicon
    sentence = doc.analysis.tokens[i - step].sentence if 0 <= i - step < len(doc.norms) else -1
    titles: list[str] = []
    affiliation = ""
    while 0 <= i < len(doc.norms) and doc.analysis.tokens[i].sentence == sentence:
        other = actor_at.get(i + 1 if step < 0 else i)
        if other is not None and not affiliation:
            affiliation = other.actor_id
            i = other.start - 1 if step < 0 else other.end
            continue
        word = doc.norms[i]
        if word in lexicon.titles:
            titles.append(doc.analysis.tokens[i].text.lower())
        elif word not in lexicon.apposition_glue and not (word == "" and doc.analysis.tokens[i].text in "-,[]()"):
            break
        if word == "" and doc.analysis.tokens[i].text == "," and (titles or affiliation) and step > 0:
            break
        i += step
    ordered = titles[::-1] if step < 0 else titles
    return " ".join(ordered), affiliation


def coref_hits(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """"The group"/"the militants" and subject pronouns resolved to a clear antecedent."""
    out: list[Hit] = []
    lexicon = doc.registry.lexicon
    for token in doc.analysis.tokens:
        article = doc.norms[token.i] in lexicon.articles
        pronoun = not article and token.dep.startswith("nsubj") and token.text.lower() in lexicon.person_pronouns
        if not (article or pronoun) or not doc.free(token.i, token.i + 1):
            continue
        hit = _group_coref(doc, token, hits, lexicon.coref_nouns) if article else _pronoun_coref(doc, token, hits)
        if hit is not None:
            out.append(doc.take(hit))
    return out


def _group_coref(doc: DocState, token: Token, hits: list[Hit], nouns: frozenset[str]) -> Hit | None:
    """"the group" -> the latest armed group mentioned within a few sentences."""
    for size in (3, 2):
        end = token.i + size
        key = " ".join(w for w in doc.norms[token.i : end] if w)
        if end <= len(doc.norms) and key in nouns and doc.free(token.i, end):
            antecedent = _latest(doc, hits, token, {"armed_group", "militia"}, COREF_WINDOW)
            if antecedent:
                return Hit(token.i, end, (antecedent,), "coref", 0.7, surface=doc.text(token.i, end))
    return None


def _pronoun_coref(doc: DocState, token: Token, hits: list[Hit]) -> Hit | None:
    """A subject pronoun -> the only person named in this or the previous sentence."""
    people = {
        h.actor_id
        for h in hits
        if h.start < token.i and token.sentence - doc.analysis.tokens[h.start].sentence <= 1 and doc.is_person(h)
    }
    if len(people) != 1:
        return None
    return Hit(token.i, token.i + 1, (people.pop(),), "coref", 0.6, surface=token.text)


def _latest(doc: DocState, hits: list[Hit], token: Token, types: set[str], window: int) -> str:
    """The latest earlier hit of one of these types within a sentence window, or ""."""
    for hit in reversed(hits):
        first = doc.analysis.tokens[hit.start]
        if hit.start >= token.i or token.sentence - first.sentence > window:
            continue
        if doc.registry.phase_at(hit.actor_id, doc.day).type in types:
            return hit.actor_id
    return ""
