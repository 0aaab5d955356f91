"""Argument roles, claims and attributions of the events stage.

Dependency patterns give actor1 (the agent: nsubj, "by" agents, possessors and compounds of a noun
trigger) and actor2 (the target: dobj, nsubjpass, "on"/"against" objects, "targeting X"); civilian
targets come from the civilian lexicon. With no target named, a party or place of another country in
the trigger's clause is the target, else a political act concerns the actor's own country; whoever
reports the act ("..., officials said") is never its target; an actor's own troops are the means of
its act, not its target; an untitled unregistered person as target is a civilian of the country.
Claims of responsibility, third-party attributions and denials attach to the violent event they refer
to (in the sentence, else the latest before it).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

import pycountry

from khabar.actors import bare_role, installation_role
from khabar.eventclf import Scores
from khabar.eventlex import Lexicon, TriggerGroup, load_lexicon
from khabar.records import ActorMention, Analysis, Evidence, FieldEvidence, PlaceMention, Sentence, Token

COREF_WINDOW = 4
AGENT_TYPES = frozenset({"state_forces", "armed_group", "militia", "unidentified", "state", "government"})
VICTIM_TYPES = frozenset({"state_forces", "armed_group", "militia", "unidentified", "civilians", "government"})
# titles of state office: an unregistered holder acts for the government of the country the sentence is set in
STATE_OFFICES = frozenset({
    "president", "minister", "premier", "prime", "governor", "king", "queen", "sultan", "emir", "judge", "chancellor",
})
# military ranks: an unregistered holder acts for that country's armed forces
MILITARY_OFFICES = frozenset({"general", "gen.", "colonel", "col.", "brigadier", "admiral"})
PASSIVE_TYPES = frozenset({"media"})  # outlets report events; they are not parties to them
# who may be the crowd of a demonstration ("" = nobody named; "state" = a demonym, "Uzbek students")
CROWD_TYPES = frozenset({"", "state", "civilians", "person", "political_party", "ngo", "protesters", "rioters"})
GENERATED_TYPES = {
    "state": "state", "government": "government", "military": "state_forces", "police": "state_forces",
    "civilians": "civilians", "unidentified": "unidentified", "protesters": "protesters", "rioters": "rioters",
}
# verbs of reporting: their subject tells of an event but takes no part in it
REPORT_VERBS = frozenset({"say", "report", "tell", "announce", "add", "confirm", "state", "quote", "write"})
# PLOVER acts that, with no party named as their target, are aimed at the actor's own country
DOMESTIC_PLOVER = frozenset({
    "AGREE", "AID", "CONCEDE", "COERCE", "DEMAND", "DISAPPROVE", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT",
    "RETREAT", "SANCTION", "SUPPORT", "THREATEN",
})
# PLOVER uses of force: with no target named, only a party or place abroad is taken as the target
VIOLENT_PLOVER = frozenset({"ASSAULT", "FIGHT"})
# ACLED codes the crowd of a demonstration by its country: event type -> the generated crowd role
CROWD_ROLES = {"Protests": "protesters", "Riots": "rioters"}


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
    seat: PlaceMention | None = None  # where a national act sits when its clause names no place
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
        agent, target = _trigger_roles(doc, trigger.token, political)
        if political and trigger.token.pos == "NOUN":
            _participants(doc, trigger.token, agent, target)
        first = first or resolve(doc, agent)
        second = second or resolve(doc, target)
        if political and first and not second:
            second = _conjoined_party(doc, agent, first[0])  # "X and Y agreed to a ceasefire"
    if first:
        draft.actor1 = first[0]
        draft.fields += (FieldEvidence("actor1", first[1]),)
    if second and second[0] != draft.actor1:
        draft.actor2 = second[0]
        draft.fields += (FieldEvidence("actor2", second[1]),)
    elif second and political and (own := _own_side(doc, draft.actor1)):
        draft.actor2 = own  # "Turkey will let Turkish refugees return": the country's own people
        draft.fields += (FieldEvidence("actor2", second[1]),)
    if not draft.actor1 and (role := _bare_role(doc, draft.trigger.token)):
        draft.actor1 = role  # the trigger names its own agent ("gunmen stormed", parsed with "gunmen" as head)
        head = draft.trigger.token
        draft.fields += (FieldEvidence("actor1", doc.analysis.evidence(head.start, head.end)),)
    if not draft.actor1 and not (political and draft.trigger.token.pos == "NOUN"):
        _fallback_actor(doc, draft)
    if draft.actor1 and not draft.actor2 and doc.lexicon.codes[draft.code].family == "violence":
        _fallback_target(doc, draft)
    if political and (draft.actor1 or draft.actor2):
        _fallback_parties(doc, draft)  # only an interaction the patterns evidenced gets its missing party filled
    _crowd_roles(doc, draft)
    if political and _own_forces(doc, draft):
        draft.actor2 = _foreign_party(doc, draft) or draft.actor2  # "Syria offered its troops to Lebanon"
    _domestic_target(doc, draft)
    draft.actor2 = _private_person(doc, draft.actor2)
    taken = {draft.actor1, draft.actor2}
    mentions = [m for m in doc.analysis.actors if m.evidence.sentence == draft.sentence.index]
    linked = [a for m in mentions for a in (m.actor_id, m.affiliation) if a]
    draft.associated = tuple(dict.fromkeys(a for a in linked if a not in taken))


def _trigger_roles(doc: DocIndex, token: Token, political: bool) -> tuple[list[Token], list[Token]]:
    """A trigger's agent and target heads, with a stance's passive subject and a shared subject of an attack."""
    agent, target = _role_tokens(doc, token)
    if political and _stative_passive(doc, token):
        return doc.kids(token, "nsubjpass"), _prep_objects(doc, token, "to")
    if not political:
        agent += _shared_subjects(doc, token, agent)
    return agent, target


def _conjoined_party(doc: DocIndex, heads: list[Token], actor1: str) -> tuple[str, Evidence] | None:
    """The other party of a coordinated subject ("X and Y agreed"): a conjunct naming another actor."""
    for head in (h for h in heads if h.dep == "nsubj"):
        for conj in doc.kids(head, "conj"):
            found = resolve(doc, [conj])
            if found and found[0] != actor1:
                return found
    return None


def names_attacker(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger's own agent side names an actor ("killed by the Taliban"), not one found elsewhere."""
    return resolve(doc, _role_tokens(doc, token)[0]) is not None


def _stative_passive(doc: DocIndex, token: Token) -> bool:
    """Whether a participle states its subject's stance ("X is opposed to Y"): present "be", a "to" object, no agent."""
    aux = doc.kids(token, "auxpass")
    present = bool(aux) and all(a.tag in ("VBZ", "VBP") for a in aux) and not doc.kids(token, "aux")
    return present and bool(doc.kids(token, "nsubjpass")) and not doc.kids(token, "agent") and bool(
        _prep_objects(doc, token, "to")
    )


def _prep_objects(doc: DocIndex, token: Token, preposition: str) -> list[Token]:
    """The objects of a token's prepositions of one kind ("to X", "with X")."""
    return [p for prep in doc.kids(token, "prep") if prep.lemma.lower() == preposition for p in doc.kids(prep, "pobj")]


def _role_tokens(doc: DocIndex, token: Token) -> tuple[list[Token], list[Token]]:
    """Tokens heading the agent side and the target side of a trigger."""
    agent: list[Token] = []
    target: list[Token] = []
    for kid in doc.kids(token):
        _classify_arg(doc, kid, agent, target)
    # "complained to the UN over the raids": the addressee of "to" is the target only when nothing else is
    target.sort(key=lambda t: doc.head(t).lemma.lower() == "to")
    partners = _prep_objects(doc, token, "with")
    if token.pos not in ("NOUN", "PROPN"):
        target.extend(partners)  # "clashed with X": the other side
        return agent, target
    agent.extend(doc.kids(token, "poss", "compound", "amod", "nmod"))
    agent.extend(p for acl in doc.kids(token, "acl") for p in _agents(doc, acl))  # "a strike conducted by X"
    verb = doc.head(token)
    if token.dep == "pobj" and verb.pos == "ADP":
        verb = doc.head(verb)
    if verb.lemma.lower() in doc.lexicon.cue("bystander_verbs") or _negated_clause(doc, verb):
        agent.extend(partners)  # "no civilians were harmed during the operation" names no party of it
        return agent, target
    if token.dep in ("dobj", "pobj", "attr") and verb.pos in ("VERB", "AUX"):
        for kid in doc.kids(verb):
            if (kid.i != token.i and kid.dep != "prep") or kid.lemma.lower() == "by":
                _classify_arg(doc, kid, agent, target)
    elif token.dep == "nsubj":
        target.extend(doc.kids(verb, "dobj"))
        for prep in doc.kids(verb, "prep"):
            target.extend(doc.kids(prep, "pobj"))
    agent.extend(partners)  # "killed in clashes with X": the side the victims fought
    return agent, target


def _shared_subjects(doc: DocIndex, verb: Token, agent: list[Token]) -> list[Token]:
    """The subject a verb shares with the verb it is coordinated with ("troops moved in and attacked villages")."""
    own = agent or doc.kids(verb, "nsubjpass", "auxpass")
    head = doc.head(verb)
    if own or verb.pos != "VERB" or verb.dep != "conj" or head.pos not in ("VERB", "AUX") or doc.kids(head, "auxpass"):
        return []
    return doc.kids(head, "nsubj")


def _negated_clause(doc: DocIndex, verb: Token) -> bool:
    """Whether a verb is negated outright or through its subject or object ("no civilians were harmed")."""
    for kid in doc.kids(verb):
        if kid.dep == "neg":
            return True
        if kid.dep in ("nsubj", "nsubjpass", "dobj") and any(d.lemma.lower() == "no" for d in doc.kids(kid, "det")):
            return True
    # "had not injured anyone or damaged property": the negation spans the coordinated verbs
    return verb.dep == "conj" and doc.head(verb).pos in ("VERB", "AUX") and _negated_clause(doc, doc.head(verb))


def _negated_mention(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether a mention sits in a negated clause ("no civilians were hurt", "did not injure any civilians")."""
    head = _mention_head(doc, mention)
    if head is None:
        return False
    if any(d.lemma.lower() == "no" for d in doc.kids(head, "det")):
        return True
    verb = head
    while verb.pos not in ("VERB", "AUX") and verb.head != verb.i:
        verb = doc.head(verb)
    return _negated_clause(doc, verb)


def _mention_head(doc: DocIndex, mention: ActorMention) -> Token | None:
    """The token of a mention whose head lies outside it."""
    span = mention.evidence
    inside = [t for t in doc.by_sentence.get(span.sentence, []) if span.start <= t.start < span.end]
    return next((t for t in inside if not span.start <= doc.head(t).start < span.end or t.head == t.i), None)


def _bystander(doc: DocIndex, mention: ActorMention, trigger: Token) -> bool:
    """Whether a mention is the subject of a judging verb ("The Taliban condemned the bombing").

    A trigger inside the subject's own relative clause ("The Taliban, who took Kabul, condemned ...") is its act.
    """
    head = _mention_head(doc, mention)
    if head is None or head.dep != "nsubj" or doc.head(head).lemma.lower() not in doc.lexicon.cue("judging_verbs"):
        return False
    return all(t.i != trigger.i for t in doc.subtree(head))


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
    elif kid.dep in ("dobj", "nsubjpass", "dative"):
        target.append(kid)
    elif kid.dep == "agent":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep == "prep" and kid.lemma.lower() in ("on", "against", "at", "in", "to", "over", "about"):
        target.extend(doc.kids(kid, "pobj") if kid.lemma.lower() != "in" else [])
    elif kid.dep == "prep" and kid.lemma.lower() == "by":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep in ("advcl", "xcomp") and kid.pos == "VERB":
        target.extend(doc.kids(kid, "dobj"))


def resolve(doc: DocIndex, heads: list[Token]) -> tuple[str, Evidence] | None:
    """The actor of the first argument head that names one, or civilians by lexicon."""
    for head in heads:
        mention = next((m for m in _mentions_in(doc, head) if not _is_place(doc, m)), None)
        if mention:
            return _party(doc, mention), mention.evidence
    for head in heads:
        role = _bare_role(doc, head)
        if role:
            return role, doc.analysis.evidence(head.start, head.end)
    for head in heads:
        if head.lemma.lower() in doc.lexicon.civilians or _civilian_modifier(doc, head):
            return _civilians(doc), doc.analysis.evidence(head.start, head.end)
    return None


def _mentions_in(doc: DocIndex, head: Token) -> list[ActorMention]:
    """The actor mentions inside a token's subtree, in text order."""
    found = (doc.mention_at.get(t.i) for t in doc.subtree(head))
    return list(dict.fromkeys(m for m in found if m is not None))


def _is_place(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether an unregistered name is really a place the places stage resolved ("Nad Ali district")."""
    if not mention.actor_id.startswith("provisional:"):
        return False
    span = mention.evidence
    return any(
        p.place is not None and p.evidence.start < span.end and span.start < p.evidence.end for p in doc.analysis.places
    )


def _party(doc: DocIndex, mention: ActorMention) -> str:
    """The actor a mention brings to an event: an unregistered person acts for the organisation their title names."""
    if not mention.actor_id.startswith("provisional:"):
        return mention.actor_id
    same = [m for m in (mention, *doc.analysis.actors) if m.actor_id == mention.actor_id]
    ties = [m.affiliation for m in same if m.affiliation]
    if ties:
        return ties[0]
    titles = {word for m in same for word in m.role.split()}
    role = "military" if titles & MILITARY_OFFICES else "government" if titles & STATE_OFFICES else ""
    if not role:
        return mention.actor_id
    spot = _place_country(doc, mention.evidence.sentence)
    country = spot[0] if spot else _country_code(doc)
    return f"{role}:{country}" if country else mention.actor_id


def _bare_role(doc: DocIndex, head: Token) -> str:
    """The country role actor a bare noun names ("a soldier", "a police convoy"), if the country is known."""
    modifiers = [k for k in doc.kids(head, "compound", "amod") if k.i < head.i]
    words = [k.text for k in modifiers]
    phrases = ([*words[-1:], head.text], [head.text], *([w] for w in words))
    for phrase in phrases:
        role = bare_role(phrase) or installation_role(phrase)
        if role:
            country = _country_code(doc)
            return f"{role}:{country}" if country else ""
    return ""


def _civilian_modifier(doc: DocIndex, token: Token) -> bool:
    """Whether a noun is modified by a civilian word ("Shia worshippers" is caught by its head)."""
    return any(k.lemma.lower() in doc.lexicon.civilians for k in doc.kids(token, "compound", "amod"))


def _civilians(doc: DocIndex) -> str:
    """The civilians actor of the document's country, as the actors stage names it."""
    for mention in doc.analysis.actors:
        if mention.type == "civilians":
            return mention.actor_id
    country = _country_code(doc)
    return f"civilians:{country}" if country else "civilians"


def _fallback_actor(doc: DocIndex, draft: Draft) -> None:
    """actor1 from the first armed or state actor in the sentence before the trigger."""
    start = draft.trigger.token.start
    violent = doc.lexicon.codes[draft.code].family == "violence"
    heard = _tellers(doc, draft.trigger.token) if violent else set()
    for mention in doc.analysis.actors:
        in_sentence = mention.evidence.sentence == draft.sentence.index and mention.evidence.start not in heard
        before = mention.evidence.start < start and mention.actor_id != draft.actor2
        if in_sentence and before and mention.type in AGENT_TYPES and not _bystander(doc, mention, draft.trigger.token):
            draft.actor1 = mention.actor_id
            draft.fields += (FieldEvidence("actor1", mention.evidence),)
            return
    if violent:
        _suspected_group(doc, draft)


def _tellers(doc: DocIndex, token: Token) -> set[int]:
    """Start offsets of who reports an attack, when the reported clause names another doer.

    "Officials say a man attacked": the teller is not the author. "X said they attacked" (a
    pronoun) and "X said 600 fighters were killed" (no doer) keep the teller as a likely author.
    """
    subject = _clause_subject(doc, token)
    return _speaker_starts(doc, token) if subject is not None and subject.pos != "PRON" else set()


def _clause_subject(doc: DocIndex, token: Token) -> Token | None:
    """The first active subject on the way from a trigger up to its report verb, if any."""
    trigger = token
    while token.lemma.lower() not in REPORT_VERBS and doc.head(token).i != token.i:
        subjects = [s for s in doc.kids(token, "nsubj") if s.i != trigger.i]  # "battles raged": no doer
        if subjects:
            return subjects[0]
        token = doc.head(token)
    return None


def _suspected_group(doc: DocIndex, draft: Draft) -> None:
    """actor1 of an unattributed attack: an armed group named in the next sentence ("Al Shabaab suspected.")."""
    for mention in doc.analysis.actors:
        armed = mention.type in ("armed_group", "militia") and mention.role != "opposed"
        armed = armed and not _bystander(doc, mention, draft.trigger.token)
        if mention.evidence.sentence == draft.sentence.index + 1 and armed and mention.actor_id != draft.actor2:
            draft.actor1 = mention.actor_id
            draft.fields += (FieldEvidence("actor1", mention.evidence),)
            return


def _fallback_target(doc: DocIndex, draft: Draft) -> None:
    """actor2 of a violent event: the first other armed, state or civilian party in its sentence or the next."""
    heard = _speaker_starts(doc, draft.trigger.token)  # "..., Thai police said": the teller is no target
    for index in (draft.sentence.index, draft.sentence.index + 1):
        for mention in doc.analysis.actors:
            other = mention.actor_id not in (draft.actor1, "") and mention.role != "opposed"
            other = other and mention.evidence.start not in heard
            if mention.evidence.sentence == index and other and mention.type in VICTIM_TYPES:
                if _negated_mention(doc, mention):
                    continue  # "the strike had not injured any civilians": no victim
                draft.actor2 = mention.actor_id
                draft.fields += (FieldEvidence("actor2", mention.evidence),)
                return


def _fallback_parties(doc: DocIndex, draft: Draft) -> None:
    """Parties a political event's patterns missed: the first party before the trigger, then another one after it."""
    at = draft.trigger.token.start
    parties = [
        m for m in doc.analysis.actors
        if m.evidence.sentence == draft.sentence.index and m.type not in PASSIVE_TYPES and m.role != "opposed"
    ]
    passive = bool(doc.kids(draft.trigger.token, "nsubjpass", "auxpass"))  # an agentless passive names no agent
    if not draft.actor1 and not passive:
        first = next((m for m in parties if m.evidence.start < at and m.actor_id != draft.actor2), None)
        if first is not None:
            draft.actor1 = _party(doc, first)
            draft.fields += (FieldEvidence("actor1", first.evidence),)
    if draft.actor1 and not draft.actor2:
        home = _home(draft.actor1)
        heard = _speaker_starts(doc, draft.trigger.token)  # "..., a Chadian official said": the teller is no target
        later = [
            m for m in parties if m.evidence.start > at and _home(m.actor_id) != home and m.evidence.start not in heard
        ]
        if later:
            draft.actor2 = _party(doc, later[0])
            draft.fields += (FieldEvidence("actor2", later[0].evidence),)
        elif (spot := _place_country(doc, draft.sentence.index)) and f"state:{spot[0]}" != draft.actor1:
            draft.actor2 = f"state:{spot[0]}"  # an act with no named target concerns the country where it happens
            draft.fields += (FieldEvidence("actor2", spot[1]),)


def _speaker_starts(doc: DocIndex, token: Token) -> set[int]:
    """Start offsets of the tokens naming who reports a trigger's clause ("X said", "according to X")."""
    chain = [token]
    while doc.head(chain[-1]).i != chain[-1].i and len(chain) < 8:
        chain.append(doc.head(chain[-1]))
    verbs = [t for t in chain[1:] if t.lemma.lower() in REPORT_VERBS]
    verbs += [k for t in chain for k in doc.kids(t, "parataxis", "ccomp", "advcl") if k.lemma.lower() in REPORT_VERBS]
    speakers = [k for v in verbs if v not in chain[:1] for k in doc.kids(v, "nsubj", "nsubjpass", "agent")]
    speakers += [p for t in chain for prep in doc.kids(t, "prep") if prep.lemma.lower() == "according"
                 for p in doc.subtree(prep)]
    return {t.start for s in speakers for t in doc.subtree(s)}


def snippet_parties(analysis: Analysis, lexicon: Lexicon, plover: str = "") -> tuple[str, str]:
    """actor1 and actor2 for an event coded from a whole snippet: its first party, then the next other party.

    With no other party or place, a political act of PLOVER type ``plover`` targets the first party's own country.
    """
    doc = DocIndex(analysis, lexicon)
    parties = [
        m for m in analysis.actors if m.type not in PASSIVE_TYPES and m.role != "opposed" and not _is_place(doc, m)
    ]
    if not parties:
        return "", ""
    first = _party(doc, parties[0])
    home = _home(first)
    others = [_party(doc, m) for m in parties[1:]]
    other = next((o for o in others if _home(o) != home), "") or next((o for o in others if o != first), "")
    spot = _place_country(doc, parties[0].evidence.sentence)
    other = _private_person(doc, other) or (f"state:{spot[0]}" if spot else "")
    return first, other or (_own_side(doc, first) if plover in DOMESTIC_PLOVER else "")


def _place_country(doc: DocIndex, sentence: int) -> tuple[str, Evidence] | None:
    """The ISO alpha-3 country of the first resolved place in a sentence, with its evidence."""
    for place in doc.analysis.places:
        if place.evidence.sentence == sentence and place.place is not None and place.place.country:
            code = _alpha3(place.place.country)
            if code:
                return code, place.evidence
    return None


def _home(actor_id: str) -> str:
    """The country part of a generated country actor id ("state:RUS" -> RUS), else the id itself."""
    return actor_id.split(":", 1)[1] if ":" in actor_id else actor_id


def _crowd_roles(doc: DocIndex, draft: Draft) -> None:
    """Protest and riot events: an unarmed crowd is coded as the country's protesters or rioters."""
    row = doc.lexicon.codes.get(draft.code)
    role = CROWD_ROLES.get(row.event_type, "") if row is not None else ""
    country = _country_code(doc) if role else ""
    if row is None or not country:
        return
    crowd = f"{role}:{country}"
    if row.code == "FORCE_AGAINST_PROTEST":
        if _kind(doc, draft.actor2) in CROWD_TYPES:
            draft.actor2 = crowd
        return
    if _kind(doc, draft.actor1) in CROWD_TYPES:
        if draft.actor1 and draft.actor1 not in draft.associated:
            draft.associated += (draft.actor1,)
        draft.actor1 = crowd
        if draft.actor2 == crowd or _kind(doc, draft.actor2) == "civilians":
            draft.actor2 = ""


def _domestic_target(doc: DocIndex, draft: Draft) -> None:
    """An act with no named target: a party or place of another country in its clause, else (political) its own."""
    row = doc.lexicon.codes.get(draft.code)
    plover = draft.plover or (row.plover if row is not None else "")
    violent = plover in VIOLENT_PLOVER
    if not draft.actor1 or draft.actor2 or (violent and not _country_of(draft.actor1)):
        return
    if (violent or plover in DOMESTIC_PLOVER) and (foreign := _foreign_party(doc, draft)):
        draft.actor2 = foreign  # "Israel will evacuate settlements in Gaza", "Israeli tanks fired at Jericho"
    elif plover in DOMESTIC_PLOVER:
        draft.actor2 = _own_side(doc, draft.actor1)


def _own_forces(doc: DocIndex, draft: Draft) -> bool:
    """Whether a draft's target is its agent's own forces, the means of its act rather than its object."""
    home = _country_of(draft.actor1)
    return bool(home) and _country_of(draft.actor2) == home and _kind(doc, draft.actor2) == "state_forces"


def _private_person(doc: DocIndex, actor_id: str) -> str:
    """An unregistered person with no title or tie, as a target: the civilians of the sentence's country (as ACLED)."""
    if not actor_id.startswith("provisional:"):
        return actor_id
    same = [m for m in doc.analysis.actors if m.actor_id == actor_id]
    if not same or any(m.type != "person" or m.role or m.affiliation for m in same):
        return actor_id
    spot = _place_country(doc, same[0].evidence.sentence)
    country = spot[0] if spot else _country_code(doc)
    return f"civilians:{country}" if country else actor_id


def _own_side(doc: DocIndex, actor1: str) -> str:
    """The domestic target of an actor's act: its country's government, or the state itself for the government.

    Never its civilians: the act's real object is unnamed, and a civilian target would read as violence on them.
    """
    country = _country_of(actor1) or _country_code(doc)
    if not country:
        return ""
    return f"state:{country}" if actor1 == f"government:{country}" else f"government:{country}"


def _country_of(actor_id: str) -> str:
    """The ISO alpha-3 country of a generated country actor id ("military:SYR" -> SYR), else ""."""
    code = actor_id.split(":", 1)[1] if ":" in actor_id and not actor_id.startswith("provisional:") else ""
    return code if len(code) == 3 and code.isupper() else ""


def _foreign_party(doc: DocIndex, draft: Draft) -> str:
    """A party of another country in the trigger's clause after the trigger: a named actor, else a place's state."""
    home = _country_of(draft.actor1)
    heard = _speaker_starts(doc, draft.trigger.token)
    anchor = draft.trigger.token
    for _ in range(3):  # a noun trigger ("fired shells at X") takes its verb's clause
        if anchor.pos in ("VERB", "AUX") or doc.head(anchor).i == anchor.i:
            break
        anchor = doc.head(anchor)
    clause = [t for t in doc.subtree(anchor) if t.i > draft.trigger.token.i and t.start not in heard]
    starts = {t.start for t in clause}
    for mention in _mentions_in_order(doc, clause):
        party = _party(doc, mention)
        named = not party.startswith("provisional:") and mention.type not in PASSIVE_TYPES
        if named and mention.role != "opposed" and _home(party) not in (home, ""):
            return party
    for place in doc.analysis.places:
        code = _alpha3(place.place.country) if place.place is not None and place.place.country else ""
        if place.evidence.start in starts and code and code != home:
            return f"state:{code}"
    return ""


def _mentions_in_order(doc: DocIndex, tokens: list[Token]) -> list[ActorMention]:
    """The distinct actor mentions covering some of the given tokens, in text order."""
    found = (doc.mention_at.get(t.i) for t in tokens)
    return list(dict.fromkeys(m for m in found if m is not None))


def _kind(doc: DocIndex, actor_id: str) -> str:
    """The type of an actor: as the document's mentions give it, else from a generated id's role ("" if unknown)."""
    found = next((m.type for m in doc.analysis.actors if m.actor_id == actor_id), "")
    return found or GENERATED_TYPES.get(actor_id.split(":", 1)[0], "") if ":" in actor_id else found


def _country_code(doc: DocIndex) -> str:
    """The ISO alpha-3 country a document is about: most of its resolved places, else its country-bound actors."""
    counts = Counter(p.place.country for p in doc.analysis.places if p.place is not None and p.place.country)
    if counts:
        return _alpha3(counts.most_common(1)[0][0])
    for mention in doc.analysis.actors:
        code = mention.actor_id.split(":", 1)[1] if ":" in mention.actor_id else ""
        if len(code) == 3 and code.isupper():
            return code
    return ""


@cache
def _alpha3(alpha2: str) -> str:
    """ISO alpha-3 for an alpha-2 code ("" if unknown)."""
    country = pycountry.countries.get(alpha_2=alpha2)
    return str(country.alpha_3) if country is not None else ""


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
