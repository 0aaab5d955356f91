"""Dependency patterns of actor roles: who is the agent and who the target of a trigger.

actor1 (the agent side): nsubj, "by" agents, possessors and compounds of a noun trigger, the subject
a coordinated verb shares; actor2 (the target side): dobj, nsubjpass, "on"/"against" objects,
"targeting X", the other side of "clashed with X", what a noun trigger's verb aims it at ("threw a grenade
at X"). A side's head resolves to the actor mention inside
it, else a bare role noun of the document's country ("a soldier"), else civilians by the lexicon; a
target may also be a private person ("a girl was shot"), a civilian. A verb that only tells of an act
("X confirmed the attack", "X said") gives the act no party.
"""

from __future__ import annotations

from khabar.events.parties import CIVILIANS, country_code, country_of, is_place, located, party
from khabar.events.status import negated_clause
from khabar.events.types import DocIndex
from khabar.records import ActorMention, Evidence, Token

AIMED_AT = ("at", "on")  # prepositions of a verb that aim the act its object names ("fired rockets at X")
TIME_ENTITIES = frozenset({"DATE", "TIME"})  # spaCy labels of a preposition's object that only says when


def trigger_roles(doc: DocIndex, token: Token, political: bool) -> tuple[list[Token], list[Token]]:
    """A trigger's agent and target heads, with a stance's passive subject and a shared subject of an attack."""
    agent, target = _role_tokens(doc, token, political)
    if political and _stative_passive(doc, token):
        return doc.kids(token, "nsubjpass"), _prep_objects(doc, token, "to")
    if not political:
        agent += _shared_subjects(doc, token, agent)
    return agent, target


def conjoined_party(doc: DocIndex, heads: list[Token], actor1: str) -> tuple[str, Evidence] | None:
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


def _role_tokens(doc: DocIndex, token: Token, political: bool = False) -> tuple[list[Token], list[Token]]:
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
        target[:0] = _found_victims(doc, token)  # before "to death", which names no one
        return agent, target
    agent.extend(doc.kids(token, "poss", "compound", "amod", "nmod"))
    agent.extend(p for acl in doc.kids(token, "acl") for p in agents(doc, acl))  # "a strike conducted by X"
    verb = doc.head(token)
    if token.dep == "pobj" and verb.pos == "ADP":
        verb = doc.head(verb)
    if _bystanding(doc, verb, political) or negated_clause(doc, verb) or _reacting_to(doc, token, verb):
        agent.extend(partners)  # "no civilians were harmed during the operation" names no party of it
        return agent, target
    if token.dep in ("dobj", "pobj", "attr") and verb.pos in ("VERB", "AUX"):
        for kid in doc.kids(verb):
            if (kid.i != token.i and kid.dep != "prep") or kid.lemma.lower() == "by":
                _classify_arg(doc, kid, agent, target)
        if token.dep == "dobj":
            target.extend(_prep_objects(doc, verb, "with"))  # "exchanged fire with X": the other side
            for aim in AIMED_AT:  # "threw a grenade at a police station", "fired rockets on the base", not "on Sunday"
                target.extend(p for p in _prep_objects(doc, verb, aim) if p.ent_type not in TIME_ENTITIES)
    elif token.dep == "nsubj":
        target.extend(doc.kids(verb, "dobj"))
        for prep in doc.kids(verb, "prep"):
            target.extend(doc.kids(prep, "pobj"))
    agent.extend(partners)  # "killed in clashes with X": the side the victims fought
    return agent, target


def _found_victims(doc: DocIndex, token: Token) -> list[Token]:
    """Who a violent participle tells the state of under a verb of discovery ("two men were found shot dead")."""
    head = doc.head(token)
    if token.dep not in ("xcomp", "oprd", "ccomp") or head.lemma.lower() not in doc.lexicon.cue("discovery_verbs"):
        return []
    return doc.kids(head, "nsubjpass") or doc.kids(head, "dobj")


def _bystanding(doc: DocIndex, verb: Token, political: bool) -> bool:
    """Whether a verb's subject only tells of or judges an act it governs ("the military confirmed the attack").

    The relaying verbs are the claims stage's plain reporting verbs: one list for who tells of an act. A
    political act announced is done by the announcing ("Russia announced a suspension of flights").
    """
    lemma = verb.lemma.lower()
    relaying = not political and lemma in doc.lexicon.cue("report_verbs")
    return relaying or lemma in doc.lexicon.cue("bystander_verbs")


def _reacting_to(doc: DocIndex, token: Token, verb: Token) -> bool:
    """Whether a noun is what a verb of reacting answers ("police responded to a shooting"), not its means."""
    preposition = doc.head(token)
    return (token.dep == "pobj" and preposition.lemma.lower() == "to"
            and verb.lemma.lower() in doc.lexicon.cue("reaction_verbs"))


def _shared_subjects(doc: DocIndex, verb: Token, agent: list[Token]) -> list[Token]:
    """The subject a verb shares with the verb it is coordinated with ("troops moved in and attacked villages")."""
    own = agent or doc.kids(verb, "nsubjpass", "auxpass")
    head = doc.head(verb)
    if own or verb.pos != "VERB" or verb.dep != "conj" or head.pos not in ("VERB", "AUX") or doc.kids(head, "auxpass"):
        return []
    return doc.kids(head, "nsubj")


def negated_mention(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether a mention sits in a negated clause ("no civilians were hurt", "did not injure any civilians")."""
    head = _mention_head(doc, mention)
    if head is None:
        return False
    if any(d.lemma.lower() == "no" for d in doc.kids(head, "det")):
        return True
    verb = head
    while verb.pos not in ("VERB", "AUX") and verb.head != verb.i:
        verb = doc.head(verb)
    return negated_clause(doc, verb)


def _mention_head(doc: DocIndex, mention: ActorMention) -> Token | None:
    """The token of a mention whose head lies outside it."""
    span = mention.evidence
    inside = [t for t in doc.by_sentence.get(span.sentence, []) if span.start <= t.start < span.end]
    return next((t for t in inside if not span.start <= doc.head(t).start < span.end or t.head == t.i), None)


def bystander(doc: DocIndex, mention: ActorMention, trigger: Token) -> bool:
    """Whether a mention is the subject of a judging verb, or of a verb reacting to the trigger.

    "The Taliban condemned the bombing", "police responded to a shooting" (not "troops responded with air
    strikes"). A trigger inside the subject's own relative clause ("The Taliban, who took Kabul, condemned
    ...") is its act.
    """
    head = _mention_head(doc, mention)
    if head is None or head.dep != "nsubj":
        return False
    verb = doc.head(head)
    if verb.lemma.lower() in doc.lexicon.cue("reaction_verbs"):  # "police responded to a shooting"
        answered = [p for prep in doc.kids(verb, "prep") if prep.lemma.lower() == "to" for p in doc.subtree(prep)]
        return any(t.i == trigger.i for t in answered)
    if verb.lemma.lower() not in doc.lexicon.cue("judging_verbs"):
        return False
    return all(t.i != trigger.i for t in doc.subtree(head))


def participants(doc: DocIndex, noun: Token, agent: list[Token], target: list[Token], forceful: bool = False) -> None:
    """Participants of a political noun: "meeting of X with Y", "talks between X and Y", "drills involving X".

    An act of force done to someone names its object with "of": "the arrest of X" is done to X, not by X.
    """
    lex = doc.lexicon
    for prep in doc.kids(noun, "prep"):
        objects = doc.kids(prep, "pobj")
        if forceful and prep.lemma.lower() == "of":
            target.extend(objects)
        elif prep.lemma.lower() in lex.cue("participant_prep"):
            agent.extend(objects)
        elif prep.lemma.lower() in lex.cue("partner_prep"):
            target.extend(objects)
    agent.extend(doc.kids(noun, "acl"))


def _classify_arg(doc: DocIndex, kid: Token, agent: list[Token], target: list[Token]) -> None:
    """Sort one dependent of a trigger into the agent or target side."""
    if kid.dep == "nsubj":
        agent.append(_antecedent(doc, kid))
    elif kid.dep in ("dobj", "nsubjpass", "dative"):
        target.append(_antecedent(doc, kid))
    elif kid.dep == "agent":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep == "prep" and kid.lemma.lower() in ("on", "against", "at", "in", "to", "over", "about"):
        target.extend(doc.kids(kid, "pobj") if kid.lemma.lower() != "in" else [])
    elif kid.dep == "prep" and kid.lemma.lower() == "by":
        agent.extend(doc.kids(kid, "pobj"))
    elif kid.dep in ("advcl", "xcomp") and kid.pos == "VERB":
        target.extend(doc.kids(kid, "dobj"))


def _antecedent(doc: DocIndex, token: Token) -> Token:
    """The actor a relative pronoun stands for ("Dale Morrow, who shot two clerks": Morrow), else the token.

    Only an antecedent that is itself an actor mention: its subtree holds the relative clause, whose own
    parties ("explosions that killed 170 civilians") are not the antecedent.
    """
    clause = doc.head(token)
    antecedent = doc.head(clause)
    relative = token.tag in ("WP", "WDT") and clause.dep == "relcl"
    return antecedent if relative and doc.mention_at.get(antecedent.i) is not None else token


def resolve(doc: DocIndex, heads: list[Token], where_is_no_one: bool = False) -> tuple[str, Evidence] | None:
    """The actor of the first argument head that names one, or civilians by lexicon.

    With ``where_is_no_one`` (the doer of violence), a country named only as where a thing is ("a bomber who
    slipped into a compound in northwest Pakistan") is no candidate.
    """
    for head in heads:
        mention = next((m for m in _mentions_in(doc, head)
                        if not is_place(doc, m) and not (where_is_no_one and located(doc, m))), None)
        if mention:
            return party(doc, mention), mention.evidence
    for head in heads:
        role = bare_role_actor(doc, head)
        if role:
            return role, doc.analysis.evidence(head.start, head.end)
    for head in heads:
        if head.lemma.lower() in doc.lexicon.civilians or _civilian_modifier(doc, head):
            return _civilians(doc), doc.analysis.evidence(head.start, head.end)
    return None


def resolve_target(doc: DocIndex, heads: list[Token]) -> tuple[str, Evidence] | None:
    """The actor of the first target head that names one; else a private person ("a girl was shot") is a civilian.

    Only on the target side: "a man opened fire" names nobody ACLED would code, "shot a man" names a civilian;
    "an armed man" is a fighter, not a private person.
    """
    lexicon = doc.resources.actors
    named = next((h for h in heads if _mentions_in(doc, h)), None)  # the head whose actor ``resolve`` would take
    country = private_national(doc, named) if named is not None else ""
    if named is not None and country:  # "shot dead a Palestinian man": a civilian of that country, not its state
        return f"{CIVILIANS}:{country}", doc.analysis.evidence(named.start, named.end)
    found = resolve(doc, heads)
    if found is not None:
        return found
    for head in heads:
        if head.pos in ("NOUN", "PROPN") and lexicon.is_person_noun(head.lemma) and not _armed_noun(doc, head):
            return _civilians(doc), doc.analysis.evidence(head.start, head.end)
    return None


def _armed_noun(doc: DocIndex, head: Token) -> bool:
    """Whether a person noun is qualified as a fighter ("an armed man")."""
    modifiers = doc.resources.actors.combatant_modifiers
    return any(k.lemma.lower() in modifiers for k in doc.kids(head, "amod", "compound"))


def private_national(doc: DocIndex, head: Token) -> str:
    """The country whose demonym alone qualifies a private person's noun ("a Palestinian man": PSE), else ""."""
    private = doc.resources.actors.is_person_noun(head.lemma) or head.lemma.lower() in doc.lexicon.civilians
    if head.pos != "NOUN" or doc.mention_at.get(head.i) is not None or not private or _armed_noun(doc, head):
        return ""
    modifiers = {m.actor_id for k in doc.kids(head, "amod", "compound") if (m := doc.mention_at.get(k.i)) is not None}
    inside = {m.actor_id for m in _mentions_in(doc, head)}
    if len(modifiers) != 1 or inside != modifiers or not next(iter(modifiers)).startswith("state:"):
        return ""
    return next(iter(modifiers))[len("state:"):]


def _mentions_in(doc: DocIndex, head: Token) -> list[ActorMention]:
    """The actor mentions inside a token's subtree in text order, a force before the demonym that says whose it is.

    "Iranian Revolutionary Guards shot": the Guards act, the demonym before them only says whose they are.
    """
    found = list(dict.fromkeys(m for t in doc.subtree(head) if (m := doc.mention_at.get(t.i)) is not None))
    own = doc.mention_at.get(head.i)
    if own is not None and found and found[0] is not own and _whose(found[0], own):
        found.remove(own)
        found.insert(0, own)
    return found


def _whose(demonym: ActorMention, force: ActorMention) -> bool:
    """Whether a country's name only says whose a force of that country is ("Iranian Revolutionary Guards")."""
    return demonym.actor_id.startswith("state:") and country_of(force.actor_id) == demonym.actor_id[len("state:"):]


def bare_role_actor(doc: DocIndex, head: Token) -> str:
    """The country role actor a bare noun names ("a soldier", "a police convoy"), if the country is known."""
    modifiers = [k for k in doc.kids(head, "compound", "amod") if k.i < head.i]
    words = [k.text for k in modifiers]
    phrases = ([*words[-1:], head.text], [head.text], *([w] for w in words))
    for phrase in phrases:
        role = doc.resources.actors.bare_role(phrase) or doc.resources.actors.installation_role(phrase)
        if role:
            country = country_code(doc)
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
    country = country_code(doc)
    return f"civilians:{country}" if country else "civilians"


def agents(doc: DocIndex, verb: Token) -> list[Token]:
    """The "by" objects of a passive verb."""
    return [pobj for agent in doc.kids(verb, "agent") for pobj in doc.kids(agent, "pobj")]
