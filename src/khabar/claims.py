"""The claims stage: who asserted what, who disputes it, and the relations between actors.

Claims come from reporting verbs ("said", "denied", "disputed") and "according to" phrases, with
the speaker found on the verb's subject side and the content in its complement. A sentence with
a number and no reporting verb is the author's own claim. A dispute cue marks the earlier claims
of the same document that it answers. Relations come from four sources: hostile or cooperative
events, persons' stated affiliations, cue words between two actors in a sentence, and registry
parentage of actors mentioned together.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby
from operator import attrgetter
from typing import TypeVar

from khabar.actors import Registry
from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError
from khabar.records import HAPPENED, ActorMention, Analysis, Claim, Evidence, Quantity, Relation, Token
from khabar.stages import Contract

CONTRACT = Contract("claims", requires=frozenset({"tokens", "sentences", "actors", "quantities", "events"}),
                    assigns=frozenset({"claims", "relations"}))
_Evidenced = TypeVar("_Evidenced", ActorMention, Quantity)
_SCHEMA = Fields(
    required={"reporting": {str: [str]}, "according_to": [str], "source_after": Fields(required={
        "verbs": [str], "nouns": [str]}), "author_quantity_kinds": [str], "relations": {str: [str]},
        "leader_roles": [str], "cooperative_plover": [str], "hostile_families": [str], "non_parties": [str],
        "neuter_pronouns": [str], "plain_reporting": [str]},
    optional={"version": int},
)


@dataclass(slots=True, frozen=True)
class Cues:
    """The claims lexicon and coding tables, loaded from data once and passed to the stage."""

    stance_of_lemma: dict[str, str]
    according_to: tuple[str, ...]
    author_kinds: frozenset[str]
    relation_of_lemma: dict[str, str]
    leader_roles: frozenset[str]
    source_after_verbs: frozenset[str]
    source_after_nouns: frozenset[str]
    cooperative_plover: frozenset[str]
    hostile_families: frozenset[str]
    non_parties: frozenset[str]
    neuter_pronouns: frozenset[str]


def load_cues() -> Cues:
    """The packaged claims lexicon (``lexicons/claims.yaml``), validated."""
    data = read_packaged_yaml("lexicons", "claims.yaml", schema=_SCHEMA)
    stray = set(data["plain_reporting"]) - set(data["reporting"]["asserts"])
    if stray:
        raise DataError(f"lexicons/claims.yaml: plain_reporting: {sorted(stray)} are not in reporting.asserts; "
                        "list them there too")
    stance = {lemma: kind for kind, lemmas in data["reporting"].items() for lemma in lemmas}
    relations = {lemma: kind for kind, lemmas in data["relations"].items() for lemma in lemmas}
    later = data["source_after"]
    return Cues(stance, tuple(data["according_to"]), frozenset(data["author_quantity_kinds"]), relations,
                frozenset(data["leader_roles"]), frozenset(later["verbs"]), frozenset(later["nouns"]),
                frozenset(data["cooperative_plover"]), frozenset(data["hostile_families"]),
                frozenset(data["non_parties"]), frozenset(data["neuter_pronouns"]))


def extract_claims(analysis: Analysis, registry: Registry, cues: Cues) -> Analysis:
    """Extract claims and relations from one analysed document."""
    sentences = _by_sentence(analysis.tokens)
    found = list(_claims(analysis, sentences, cues))
    claims = _with_disputes(_sourced_afterwards(analysis, sentences, found, cues))
    relations = list(_relations(analysis, sentences, registry, cues))
    return replace(analysis, claims=tuple(claims), relations=tuple(relations))


def _by_sentence(tokens: tuple[Token, ...]) -> dict[int, list[Token]]:
    """Tokens grouped by sentence index."""
    grouped: dict[int, list[Token]] = {}
    for index, run in groupby(tokens, key=attrgetter("sentence")):  # tokens come in runs, one per sentence
        grouped.setdefault(index, []).extend(run)
    return grouped


def _by_sentence_of_evidence(items: Iterable[_Evidenced]) -> dict[int, list[_Evidenced]]:
    """Actor mentions or quantities grouped by the sentence of their evidence, in order."""
    grouped: dict[int, list[_Evidenced]] = {}
    for item in items:
        grouped.setdefault(item.evidence.sentence, []).append(item)
    return grouped


def _claims(analysis: Analysis, sentences: dict[int, list[Token]], table: Cues) -> Iterator[Claim]:
    """Claims, at most one per sentence: attributed ones first, else the author's numbers."""
    numbers = _by_sentence_of_evidence(q for q in analysis.quantities if q.kind in table.author_kinds)
    for index, tokens in sentences.items():
        verb = next((t for t in tokens if t.pos in {"VERB", "AUX"} and t.lemma.lower() in table.stance_of_lemma
                     and t.dep in {"ROOT", "conj", "ccomp", "parataxis", "advcl", "relcl"}), None)
        claim = _attributed(analysis, tokens, verb, table) if verb else _according_to(analysis, tokens, table)
        yield from ([claim] if claim else _author_claim(analysis, index, numbers.get(index, [])))


def _attributed(analysis: Analysis, tokens: list[Token], verb: Token, table: Cues) -> Claim | None:
    """A claim introduced by a reporting verb, with its speaker on the subject side."""
    # a passive reporting verb ("X is estimated at N") has its speaker, if any, in its agent ("by Y")
    agent = [t for t in tokens if t.head == verb.i and t.dep == "agent"]
    subject = [t for t in tokens if t.head == verb.i and t.dep == "nsubj"] or agent
    if not subject:
        return None
    span = _subtree_span(tokens, subject[0])
    speaker = _actor_in(analysis, *span)
    speaker_text = analysis.document.text[span[0]:span[1]]
    if speaker is None and subject[0].text.lower() in table.neuter_pronouns:
        speaker = _previous_subject(analysis, verb.sentence)
    if speaker is None and subject[0].pos not in {"PROPN", "NOUN"}:
        return None
    return _claim(analysis, tokens, speaker, speaker_text, table.stance_of_lemma[verb.lemma.lower()], span)


def _previous_subject(analysis: Analysis, index: int) -> ActorMention | None:
    """The organisation heading the previous sentence of the paragraph: "The UN issued a report. It said ..."."""
    if index <= 0 or index >= len(analysis.sentences) or _new_paragraph(analysis, index):
        return None
    tokens = [t for t in analysis.tokens if t.sentence == index - 1]
    root = next((t for t in tokens if t.dep == "ROOT"), None)
    subject = next((t for t in tokens if root is not None and t.head == root.i and t.dep == "nsubj"), None)
    if subject is None:
        return None
    speaker = _actor_in(analysis, *_subtree_span(tokens, subject))
    return speaker if speaker is not None and speaker.type != "person" else None


def _new_paragraph(analysis: Analysis, index: int) -> bool:
    """Whether sentence ``index`` starts a new paragraph (a line break since the previous sentence)."""
    before, this = analysis.sentences[index - 1], analysis.sentences[index]
    return "\n" in analysis.document.text[before.end:this.start]


def _sourced_afterwards(analysis: Analysis, sentences: dict[int, list[Token]], claims: list[Claim],
                        table: Cues) -> list[Claim]:
    """Give the author's claims just before "Such data was provided by X" to X, in the same paragraph."""
    by_start = {c.evidence.start: n for n, c in enumerate(claims)}
    result = list(claims)
    for index, tokens in sentences.items():
        source = _later_source(analysis, tokens, table)
        for back in range(index - 1, max(-1, index - 4), -1):
            if source is None or _new_paragraph(analysis, back + 1):
                break
            n = by_start.get(analysis.sentences[back].start)
            if n is not None and result[n].speaker == "author":
                result[n] = replace(result[n], speaker=source.actor_id, speaker_text=source.evidence.text)
    return result


def _later_source(analysis: Analysis, tokens: list[Token], table: Cues) -> ActorMention | None:
    """X in "Such data was provided by X" / "These figures were given by X", else None."""
    root = next((t for t in tokens if t.dep == "ROOT"), None)
    if root is None or root.lemma.lower() not in table.source_after_verbs:
        return None
    subject = next((t for t in tokens if t.head == root.i and t.dep == "nsubjpass"), None)
    if subject is None or subject.lemma.lower() not in table.source_after_nouns:
        return None
    if not any(t.head == subject.i and t.dep in {"det", "amod"} and t.text.lower() in {"such", "these", "this", "those"}
               for t in tokens):
        return None
    agent = next((t for t in tokens if t.head == root.i and t.dep == "agent"), None)
    return _actor_in(analysis, *_subtree_span(tokens, agent)) if agent is not None else None


def _according_to(analysis: Analysis, tokens: list[Token], table: Cues) -> Claim | None:
    """A claim whose source is given by 'according to X'."""
    text = analysis.document.text
    start, end = tokens[0].start, tokens[-1].end
    lowered = text[start:end].lower()
    for phrase in table.according_to:
        at = lowered.find(phrase)
        if at >= 0:
            span = (start + at + len(phrase), min(end, start + at + len(phrase) + 80))
            speaker = _actor_in(analysis, *span)
            if speaker is not None:
                return _claim(analysis, tokens, speaker, speaker.evidence.text, "asserts", (speaker.evidence.start,
                                                                                           speaker.evidence.end))
    return None


def _author_claim(analysis: Analysis, index: int, numbers: list[Quantity]) -> Iterator[Claim]:
    """The author's own claim for a sentence that states numbers (the quantities of the author's kinds in it)."""
    if numbers and 0 <= index < len(analysis.sentences):
        sentence = analysis.sentences[index]
        evidence = analysis.evidence(sentence.start, sentence.end)
        subject = next((a.actor_id for a in analysis.actors if a.evidence.sentence == index), "")
        yield Claim(_claim_id(analysis, sentence.start), analysis.document.doc_id, "author", "author",
                    sentence.text, evidence, quoted=False, subject=subject, quantities=tuple(numbers),
                    day=analysis.document.published)


def _claim(analysis: Analysis, tokens: list[Token], speaker: ActorMention | None, speaker_text: str, stance: str,
           speaker_span: tuple[int, int]) -> Claim:
    """A claim for a sentence, its content being the sentence without the speaker."""
    start, end = tokens[0].start, tokens[-1].end
    text = analysis.document.text
    content = (text[start:speaker_span[0]] + text[speaker_span[1]:end]).strip(" ,.")
    numbers = tuple(q for q in analysis.quantities if start <= q.evidence.start < end)
    subject = next((a.actor_id for a in analysis.actors if start <= a.evidence.start < end
                    and not speaker_span[0] <= a.evidence.start < speaker_span[1]), "")
    quoted = any(mark in text[start:end] for mark in ('"', "“", "”"))
    return Claim(_claim_id(analysis, start), analysis.document.doc_id, speaker.actor_id if speaker else "",
                 speaker_text.strip(), content, analysis.evidence(start, end), quoted=quoted, subject=subject,
                 quantities=numbers, stance=stance, day=analysis.document.published)


def _subtree_span(tokens: list[Token], root: Token) -> tuple[int, int]:
    """The character span of a token's subtree within its sentence."""
    children: dict[int, list[Token]] = {}
    for t in tokens:
        if t.i != t.head:
            children.setdefault(t.head, []).append(t)
    stack, members = [root], [root]
    while stack:
        for child in children.get(stack.pop().i, []):
            members.append(child)
            stack.append(child)
    return min(t.start for t in members), max(t.end for t in members)


def _actor_in(analysis: Analysis, start: int, end: int) -> ActorMention | None:
    """The first actor mention inside a span, persons preferred as speakers."""
    inside = [a for a in analysis.actors if start <= a.evidence.start and a.evidence.end <= end]
    persons = [a for a in inside if a.type == "person"]
    ranked = persons or inside
    return ranked[0] if ranked else None


def _claim_id(analysis: Analysis, start: int) -> str:
    """A stable claim id from the document and the sentence offset."""
    return hashlib.sha256(f"{analysis.document.doc_id}:{start}".encode()).hexdigest()[:12]


def _with_disputes(claims: list[Claim]) -> list[Claim]:
    """Mark claims answered by a later denial or dispute in the same document."""
    result = list(claims)
    for later_index, later in enumerate(claims):
        disputer = later.speaker or later.speaker_text
        if later.stance == "asserts" or not disputer:
            continue
        for i in range(later_index - 1, max(-1, later_index - 4), -1):
            earlier = result[i]
            answers = earlier.quantities or earlier.subject == later.subject
            if _speaker_key(earlier) != _speaker_key(later) and answers:
                result[i] = replace(earlier, disputed_by=(*earlier.disputed_by, disputer))
                break
    return result


def _speaker_key(claim: Claim) -> str:
    """Who made a claim: the actor id, else the speaker's words."""
    return claim.speaker or claim.speaker_text.lower()


def _relations(analysis: Analysis, sentences: dict[int, list[Token]], registry: Registry,
               table: Cues) -> Iterator[Relation]:
    """Relations from events, affiliations, cue words and registry parentage, once per pair and type."""
    seen: set[tuple[str, str, str]] = set()
    for relation in (*_event_relations(analysis, table), *_affiliation_relations(analysis, table),
                     *_cue_relations(analysis, sentences, table), *_parent_relations(analysis, registry)):
        key = (relation.a, relation.b, relation.type)
        if key not in seen:
            seen.add(key)
            yield relation


def _relation(analysis: Analysis, a: str, b: str, kind: str, evidence: Evidence, directed: bool = False) -> Relation:
    """A relation dated by the document's publication date."""
    day = analysis.document.published
    return Relation(a, b, kind, analysis.document.doc_id, directed, day, day, (evidence,))


def _event_relations(analysis: Analysis, table: Cues) -> Iterator[Relation]:
    """Hostile relations from violence between two parties, cooperative ones from cooperation."""
    types = {a.actor_id: a.type for a in analysis.actors}
    for e in analysis.events:
        if not e.actor1 or not e.actor2 or e.actor1 == e.actor2 or not e.evidence:
            continue
        if types.get(e.actor2) in table.non_parties or types.get(e.actor1) in table.non_parties:
            continue
        if e.family in table.hostile_families and e.status in HAPPENED | {"aggregate"}:
            yield _relation(analysis, e.actor1, e.actor2, "hostile", e.evidence[0])
        elif e.plover_type in table.cooperative_plover:
            yield _relation(analysis, e.actor1, e.actor2, "cooperative", e.evidence[0])


def _affiliation_relations(analysis: Analysis, table: Cues) -> Iterator[Relation]:
    """Stated ties: a person leads or belongs to an organisation; an organisation is a branch of another."""
    leaders = table.leader_roles
    seen: set[tuple[str, str]] = set()
    for m in analysis.actors:
        if m.affiliation and m.affiliation != m.actor_id and (m.actor_id, m.affiliation) not in seen:
            seen.add((m.actor_id, m.affiliation))
            if m.type != "person":
                kind = "affiliate_of"
            else:
                kind = "leads" if any(word in m.role.lower().split() for word in leaders) else "member_of"
            yield _relation(analysis, m.actor_id, m.affiliation, kind, m.evidence, directed=True)


def _cue_relations(analysis: Analysis, sentences: dict[int, list[Token]], cues: Cues) -> Iterator[Relation]:
    """Relations signalled by a cue word tying two different actors in one sentence."""
    table = cues.relation_of_lemma
    mentions = _by_sentence_of_evidence(analysis.actors)
    for index, tokens in sentences.items():
        parties = _distinct_parties(mentions.get(index, []), cues.non_parties)
        if len(parties) < 2:
            continue
        evidence = analysis.evidence(tokens[0].start, tokens[-1].end)
        for cue in (t for t in tokens if t.lemma.lower() in table):
            kind = table[cue.lemma.lower()]
            listed = _listed_after(analysis, cue, parties) if kind in {"cooperative", "allied"} else []
            for other in listed[1:]:  # "an exercise involving X, Y and Z": X with each of the others
                yield _relation(analysis, listed[0].actor_id, other.actor_id, kind, evidence)
            pair = None if listed else _parties_of(cue, tokens, parties)
            if pair is not None:
                yield _relation(analysis, pair[0], pair[1], kind, evidence, kind in {"affiliate_of", "breakaway_of"})
        for anti in (t for t in tokens if t.text.lower() == "anti"):
            pair = _opposed(analysis, tokens, anti, parties)
            if pair is not None:
                yield _relation(analysis, pair[0], pair[1], "hostile", evidence)


def _listed_after(analysis: Analysis, cue: Token, parties: list[ActorMention]) -> list[ActorMention]:
    """Parties listed right after a cue noun within a few words ("involving X, Y and Z"); empty if fewer than two."""
    text = analysis.document.text
    after = [m for m in parties if cue.end <= m.evidence.start <= cue.end + 40]
    if not after:
        return []
    run = [after[0]]
    for mention in (m for m in parties if m.evidence.start > after[0].evidence.start):
        gap = text[run[-1].evidence.end:mention.evidence.start]
        if not _LIST_JOINER.fullmatch(gap):
            break
        run.append(mention)
    return run if len(run) > 1 else []


_LIST_JOINER = re.compile(r"\s*(?:,|and|&|,\s*and)\s*")


def _opposed(
    analysis: Analysis, tokens: list[Token], anti: Token, parties: list[ActorMention]
) -> tuple[str, str] | None:
    """The pair an "anti-X" word opposes: X, and the party the "anti-X" noun names ("anti-Taliban groups such as Y").

    The party is the noun itself, or one tied to it as subject, attribute, apposition or compound
    ("One anti-Taliban group is the NRF", "anti-Taliban commander Abdul Raziq").
    """
    text, every = analysis.document.text, analysis.tokens  # heads are document token indexes
    target = next(
        (m for m in parties if m.evidence.start >= anti.end and not text[anti.end : m.evidence.start].strip(" -")), None
    )
    if target is None:
        return None
    inside = [t for t in tokens if target.evidence.start <= t.start < target.evidence.end]
    noun = every[inside[-1].head] if inside else None
    if noun is None:
        return None
    if noun.dep == "pobj" and every[noun.head].text.lower() == "of":  # "one of the anti-X groups is Y"
        noun = every[every[noun.head].head]
    tied = {noun.i, *(t.i for t in tokens if t.head == noun.i and t.dep in _TIED)}
    if noun.dep in {"nsubj", "attr"}:
        tied |= {t.i for t in tokens if t.head == noun.head and t.dep in {"nsubj", "attr"}}
    for mention in parties:
        if mention is target:
            continue
        if any(t.i in tied for t in tokens if mention.evidence.start <= t.start < mention.evidence.end):
            return mention.actor_id, target.actor_id
    return None


_TIED = frozenset({"appos", "compound", "attr", "nsubj"})


def _parties_of(cue: Token, tokens: list[Token], parties: list[ActorMention]) -> tuple[str, str] | None:
    """The two actors a cue ties: a verb's subject and object, or a noun's neighbours ("X, an ally of Y")."""
    before = [m for m in parties if m.evidence.end <= cue.start]
    after = [m for m in parties if m.evidence.start >= cue.end]
    if cue.pos == "VERB":
        subjects = [t for t in tokens if t.head == cue.i and t.dep in {"nsubj", "nsubjpass"}]
        left = _party_at(parties, _subtree_span(tokens, subjects[0])) if subjects else None
        left = left or (before[-1] if before else None)
        right = after[0] if after else None
    else:
        left = before[-1] if before else None
        right = after[0] if after else None
    if left is None or right is None or left.actor_id == right.actor_id:
        return None
    return left.actor_id, right.actor_id


def _party_at(parties: list[ActorMention], span: tuple[int, int]) -> ActorMention | None:
    """The first party mentioned inside a span."""
    return next((m for m in parties if span[0] <= m.evidence.start and m.evidence.end <= span[1]), None)


def _distinct_parties(mentions: list[ActorMention], non_parties: frozenset[str]) -> list[ActorMention]:
    """The actor mentions of one sentence that can be parties to a relation, one per actor, in order."""
    seen: set[str] = set()
    parties = []
    for m in mentions:
        if m.type not in non_parties and m.actor_id not in seen:
            seen.add(m.actor_id)
            parties.append(m)
    return parties


def _parent_relations(analysis: Analysis, registry: Registry) -> Iterator[Relation]:
    """Registry parentage between organisations the document mentions together."""
    mentioned = {m.actor_id: m for m in analysis.actors}
    for actor_id, mention in mentioned.items():
        actor = registry.get(actor_id)
        if actor is None or actor.type == "person":
            continue
        for tie in actor.affiliations:
            if tie.actor_id in mentioned and tie.relation in {"parent", "branch_of", "affiliate_of"}:
                yield _relation(analysis, actor_id, tie.actor_id, "affiliate_of", mention.evidence, directed=True)
            elif tie.actor_id in mentioned and tie.relation in {"breakaway_of", "faction_of"}:
                yield _relation(analysis, actor_id, tie.actor_id, tie.relation, mention.evidence, directed=True)


def quantities_of(claims: list[Claim]) -> list[Quantity]:
    """Every number stated in a list of claims."""
    return [q for c in claims for q in c.quantities]
