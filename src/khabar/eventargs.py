"""Argument roles, claims and attributions of the events stage.

Dependency patterns give actor1 (the agent: nsubj, "by" agents, possessors and compounds of a noun
trigger) and actor2 (the target: dobj, nsubjpass, "on"/"against" objects, "targeting X"); civilian
targets come from the civilian lexicon. Claims of responsibility, third-party attributions and
denials attach to the violent event they refer to (in the sentence, else the latest before it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace

from khabar.eventclf import Scores
from khabar.eventlex import Lexicon, TriggerGroup, load_lexicon
from khabar.records import ActorMention, Analysis, Evidence, FieldEvidence, PlaceMention, Sentence, Token

COREF_WINDOW = 4
AGENT_TYPES = frozenset({"state_forces", "armed_group", "militia", "unidentified", "state", "government"})


@dataclass(slots=True, frozen=True)
class Trigger:
    """A trigger match: its group and head token."""

    group: TriggerGroup
    token: Token
    end: int


@dataclass(slots=True)
class Draft:
    """A mutable event under construction; frozen into an Event at the end."""

    trigger: Trigger
    sentence: Sentence
    code: str
    plover: str
    confidence: float
    status: str = "occurred"
    actor1: str = ""
    actor2: str = ""
    associated: tuple[str, ...] = ()
    claimed_by: str = ""
    claim_channel: str = ""
    attributed_by: str = ""
    denied_by: str = ""
    fields: tuple[FieldEvidence, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    anaphoric: bool = False
    place: PlaceMention | None = None
    others: tuple[Trigger, ...] = ()
    mentions: tuple[Trigger, ...] = ()


class DocIndex:
    """Per-document indexes over tokens and actor mentions, built once."""

    def __init__(self, analysis: Analysis, lexicon: Lexicon) -> None:
        """Index tokens by sentence, children by head and actor mentions by token."""
        self.analysis = analysis
        self.lexicon = lexicon
        self.tokens = analysis.tokens
        self.by_sentence: dict[int, list[Token]] = {}
        self.children: dict[int, list[Token]] = {}
        for token in analysis.tokens:
            self.by_sentence.setdefault(token.sentence, []).append(token)
            if token.head != token.i:
                self.children.setdefault(token.head, []).append(token)
        self.mention_at = _mentions_by_token(analysis.tokens, analysis.actors)
        self.scores: dict[int, dict[str, Scores]] = {}

    def kids(self, token: Token, *deps: str) -> list[Token]:
        """Children of a token, optionally only with the given dependency labels."""
        found = self.children.get(token.i, [])
        return [t for t in found if not deps or t.dep in deps]

    def head(self, token: Token) -> Token:
        """The syntactic head of a token."""
        return self.tokens[token.head]

    def subtree(self, token: Token) -> list[Token]:
        """The token and its descendants."""
        out, stack = [], [token]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current.i, []))
        return sorted(out, key=lambda t: t.i)

    def actor_in(self, token: Token) -> ActorMention | None:
        """The first actor mention inside a token's subtree."""
        for t in self.subtree(token):
            if t.i in self.mention_at:
                return self.mention_at[t.i]
        return None


def _mentions_by_token(tokens: Iterable[Token], mentions: Iterable[ActorMention]) -> dict[int, ActorMention]:
    """Map each token index covered by an actor mention to that mention."""
    ordered = sorted(mentions, key=lambda m: m.evidence.start)
    starts = [m.evidence.start for m in ordered]
    out: dict[int, ActorMention] = {}
    for token in tokens:
        at = bisect.bisect_right(starts, token.start) - 1
        if at >= 0 and token.start < ordered[at].evidence.end:
            out[token.i] = ordered[at]
    return out


def assign_roles(doc: DocIndex, draft: Draft) -> None:
    """actor1, actor2 and associated actors from dependency patterns around the trigger."""
    first = second = None
    political = draft.trigger.group.family == "political"
    for trigger in (draft.trigger, *draft.others):
        agent, target = _role_tokens(doc, trigger.token)
        if political and trigger.token.pos == "NOUN":
            _participants(doc, trigger.token, agent, target)
        first = first or resolve(doc, agent)
        second = second or resolve(doc, target)
    if first:
        draft.actor1 = first[0]
        draft.fields += (FieldEvidence("actor1", first[1]),)
    if second and second[0] != draft.actor1:
        draft.actor2 = second[0]
        draft.fields += (FieldEvidence("actor2", second[1]),)
    if not draft.actor1 and not (political and draft.trigger.token.pos == "NOUN"):
        _fallback_actor(doc, draft)
    taken = {draft.actor1, draft.actor2}
    mentions = [m for m in doc.analysis.actors if m.evidence.sentence == draft.sentence.index]
    linked = [a for m in mentions for a in (m.actor_id, m.affiliation) if a]
    draft.associated = tuple(dict.fromkeys(a for a in linked if a not in taken))


def _role_tokens(doc: DocIndex, token: Token) -> tuple[list[Token], list[Token]]:
    """Tokens heading the agent side and the target side of a trigger."""
    agent: list[Token] = []
    target: list[Token] = []
    for kid in doc.kids(token):
        _classify_arg(doc, kid, agent, target)
    if token.pos not in ("NOUN", "PROPN"):
        return agent, target
    agent.extend(doc.kids(token, "poss", "compound", "amod"))
    verb = doc.head(token)
    if token.dep == "pobj" and verb.pos == "ADP":
        verb = doc.head(verb)
    if token.dep in ("dobj", "pobj", "attr") and verb.pos in ("VERB", "AUX"):
        for kid in doc.kids(verb):
            if (kid.i != token.i and kid.dep != "prep") or kid.lemma.lower() == "by":
                _classify_arg(doc, kid, agent, target)
    elif token.dep == "nsubj":
        target.extend(doc.kids(verb, "dobj"))
        for prep in doc.kids(verb, "prep"):
            target.extend(doc.kids(prep, "pobj"))
    return agent, target


def _participants(doc: DocIndex, noun: Token, agent: list[Token], target: list[Token]) -> None:
    """Participants of a political noun: "meeting of X with Y", "talks between X and Y", "drills involving X"."""
    lex = doc.lexicon
    for prep in doc.kids(noun, "prep"):
        objects = doc.kids(prep, "pobj")
        if prep.lemma.lower() in lex.cue("participant_prep"):
            agent.extend(objects)
        elif prep.lemma.lower() in lex.cue("partner_prep"):
            target.extend(objects)
    agent.extend(doc.kids(noun, "acl"))


def _classify_arg(doc: DocIndex, kid: Token, agent: list[Token], target: list[Token]) -> None:
    """Sort one dependent of a trigger into the agent or target side."""
    if kid.dep == "nsubj":
        agent.append(kid)
    elif kid.dep in ("dobj", "nsubjpass"):
        target.append(kid)
    elif kid.dep == "agent":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep == "prep" and kid.lemma.lower() in ("on", "against", "at", "in"):
        target.extend(doc.kids(kid, "pobj") if kid.lemma.lower() != "in" else [])
    elif kid.dep == "prep" and kid.lemma.lower() == "by":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep in ("advcl", "xcomp") and kid.pos == "VERB":
        target.extend(doc.kids(kid, "dobj"))


def resolve(doc: DocIndex, heads: list[Token]) -> tuple[str, Evidence] | None:
    """The actor of the first argument head that names one, or civilians by lexicon."""
    for head in heads:
        mention = doc.actor_in(head)
        if mention:
            return mention.actor_id, mention.evidence
    for head in heads:
        if head.lemma.lower() in doc.lexicon.civilians or _civilian_modifier(doc, head):
            return _civilians(doc), doc.analysis.evidence(head.start, head.end)
    return None


def _civilian_modifier(doc: DocIndex, token: Token) -> bool:
    """Whether a noun is modified by a civilian word ("Shia worshippers" is caught by its head)."""
    return any(k.lemma.lower() in doc.lexicon.civilians for k in doc.kids(token, "compound", "amod"))


def _civilians(doc: DocIndex) -> str:
    """The civilians actor of the document's country, as the actors stage names it."""
    for mention in doc.analysis.actors:
        if mention.type == "civilians":
            return mention.actor_id
    return "civilians"


def _fallback_actor(doc: DocIndex, draft: Draft) -> None:
    """actor1 from the first armed or state actor in the sentence before the trigger."""
    start = draft.trigger.token.start
    for mention in doc.analysis.actors:
        in_sentence = mention.evidence.sentence == draft.sentence.index
        before = mention.evidence.start < start and mention.actor_id != draft.actor2
        if in_sentence and before and mention.type in AGENT_TYPES:
            draft.actor1 = mention.actor_id
            draft.fields += (FieldEvidence("actor1", mention.evidence),)
            return


def apply_claims(doc: DocIndex, drafts: list[Draft]) -> None:
    """Attach claims, attributions and denials of responsibility to the events they concern."""
    lex = doc.lexicon
    verbs = lex.cue("claim") | lex.cue("attribute") | lex.cue("deny") | lex.cue("blame")
    for sentence in doc.analysis.sentences:
        for token in doc.by_sentence.get(sentence.index, []):
            if token.pos in ("VERB", "NOUN") and token.lemma.lower() in verbs:
                target = _event_for(drafts, token)
                if target:
                    _apply_claim(doc, token, target)


def _event_for(drafts: list[Draft], verb: Token) -> Draft | None:
    """The violent event a claim verb refers to: the nearest in its sentence, else the latest before."""
    codes = load_lexicon().codes
    violent = [d for d in drafts if codes[d.code].family == "violence" and d.trigger.group.family != "political"]
    same = [d for d in violent if d.sentence.index == verb.sentence]
    if same:
        return min(same, key=lambda d: abs(d.trigger.token.i - verb.i))
    before = [d for d in violent if 0 < verb.sentence - d.sentence.index <= COREF_WINDOW]
    return before[-1] if before else None


def _apply_claim(doc: DocIndex, verb: Token, draft: Draft) -> None:
    """Read one claim/attribution/denial verb and set the draft's fields."""
    lex = doc.lexicon
    lemma = verb.lemma.lower()
    speaker = resolve(doc, doc.kids(verb, "nsubj")) or resolve(doc, _agents(doc, verb))
    if not speaker:
        return
    words = {t.lemma.lower() for t in doc.subtree(verb)}
    evidence = FieldEvidence("claim", doc.analysis.evidence(verb.start, verb.end))
    about_event = bool(words & (lex.cue("event_nouns") | lex.cue("claim_object")))
    if lemma in lex.cue("deny") and words & lex.cue("responsibility"):
        draft.denied_by = speaker[0]
        draft.fields += (replace(evidence, field="denied_by"),)
    elif lemma in lex.cue("blame") and (blamed := resolve(doc, doc.kids(verb, "dobj"))):
        _attribute(draft, speaker[0], blamed, evidence)
    elif lemma in lex.cue("attribute") and about_event and (perpetrator := _perpetrator(doc, verb)):
        _attribute(draft, speaker[0], perpetrator, evidence)
    elif lemma in lex.cue("claim") and words & lex.cue("responsibility") | {"credit"}:
        draft.claimed_by, draft.actor1 = speaker[0], speaker[0]
        draft.claim_channel = _channel(doc, verb)
        draft.fields += (replace(evidence, field="claimed_by"), FieldEvidence("actor1", speaker[1]))


def _agents(doc: DocIndex, verb: Token) -> list[Token]:
    """The "by" objects of a passive verb."""
    return [pobj for agent in doc.kids(verb, "agent") for pobj in doc.kids(agent, "pobj")]


def _attribute(draft: Draft, speaker: str, perpetrator: tuple[str, Evidence], evidence: FieldEvidence) -> None:
    """Record a third party's attribution: the speaker attributes, the named perpetrator is actor1."""
    if perpetrator[0] == speaker:
        return
    draft.attributed_by, draft.actor1 = speaker, perpetrator[0]
    draft.fields += (replace(evidence, field="attributed_by"), FieldEvidence("actor1", perpetrator[1]))


def _perpetrator(doc: DocIndex, verb: Token) -> tuple[str, Evidence] | None:
    """The agent named in the clause a speaker reports ("... was conducted by X", "X was behind it")."""
    for clause in doc.kids(verb, "ccomp"):
        for token in doc.subtree(clause):
            if token.dep == "agent" or token.lemma.lower() in doc.lexicon.cue("attribute_agent"):
                found = resolve(doc, doc.kids(token, "pobj"))
                if found:
                    return found
    return None


def _channel(doc: DocIndex, verb: Token) -> str:
    """The channel a claim was made on ("on its Telegram account" -> Telegram)."""
    for token in doc.by_sentence.get(verb.sentence, []):
        if token.i > verb.i and token.text.lower() in doc.lexicon.channels:
            return doc.lexicon.channels[token.text.lower()]
    return ""
