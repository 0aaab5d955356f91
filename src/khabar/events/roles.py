"""Actor roles of an event: who did what to whom, and who only tells of it.

Dependency patterns (``patterns``) give actor1 and actor2. With no target named, a party or place of
another country in the trigger's clause is the target, else a political act concerns the actor's own
country (not when its object is a party no actor resolves to: "detained two insurgents"); whoever
reports the act ("..., officials said", "X confirmed the attack") is never its target, nor, when the
reported clause names another doer or the act is its own doer ("a bomb killed five"), its author; an
actor's own troops are the means of its act, not its target; an untitled unregistered person as
target, or a private person a violent act targets ("a girl was shot"), is a civilian of the country;
the crowd of a protest or riot is the country's protesters or rioters.
"""

from __future__ import annotations

from khabar.events.parties import (
    actor_type,
    country_code,
    country_of,
    home,
    is_place,
    own_side,
    party,
    place_country,
    private_person,
)
from khabar.events.patterns import (
    bare_role_actor,
    bystander,
    conjoined_party,
    negated_mention,
    participants,
    private_national,
    resolve,
    resolve_target,
    trigger_roles,
)
from khabar.events.resources import EventResources
from khabar.events.types import DocIndex, Draft, Trigger
from khabar.records import ActorMention, Analysis, FieldEvidence, Token


def assign_roles(doc: DocIndex, draft: Draft) -> None:
    """actor1, actor2 and associated actors from dependency patterns around the trigger."""
    first = second = None
    political = draft.trigger.group.family == "political"
    for trigger in (draft.trigger, *draft.others):
        agent, target = trigger_roles(doc, trigger.token, political)
        if political and trigger.token.pos == "NOUN":
            participants(doc, trigger.token, agent, target, draft.plover in doc.tables.forceful_plover)
        first = first or resolve(doc, agent, where_is_no_one=not political)
        # a private person is a victim of violence; one arrested or charged is not coded as a party here
        harmed = trigger.group.family != "political"
        second = second or (resolve_target(doc, target) if harmed else resolve(doc, target))
        if political and first and not second:
            second = conjoined_party(doc, agent, first[0])  # "X and Y agreed to a ceasefire"
    if first:
        draft.actor1 = first[0]
        draft.fields += (FieldEvidence("actor1", first[1]),)
    if second and second[0] != draft.actor1:
        draft.actor2 = second[0]
        draft.fields += (FieldEvidence("actor2", second[1]),)
    elif second and political and (own := own_side(doc, draft.actor1)):
        draft.actor2 = own  # "Turkey will let Turkish refugees return": the country's own people
        draft.fields += (FieldEvidence("actor2", second[1]),)
    if not draft.actor1 and (role := bare_role_actor(doc, draft.trigger.token)):
        draft.actor1 = role  # the trigger names its own agent ("gunmen stormed", parsed with "gunmen" as head)
        head = draft.trigger.token
        draft.fields += (FieldEvidence("actor1", doc.analysis.evidence(head.start, head.end)),)
    if not draft.actor1 and not (political and draft.trigger.token.pos == "NOUN"):
        _fallback_actor(doc, draft)
    if draft.actor1 and not draft.actor2 and doc.lexicon.codes[draft.code].family == "violence":
        _fallback_target(doc, draft)
        if not draft.actor2:
            _unnamed_fighters(doc, draft)
    if political and (draft.actor1 or draft.actor2):
        _fallback_parties(doc, draft)  # only an interaction the patterns evidenced gets its missing party filled
    _crowd_roles(doc, draft)
    if political and _own_forces(doc, draft):
        draft.actor2 = _foreign_party(doc, draft) or draft.actor2  # "Syria offered its troops to Lebanon"
    _domestic_target(doc, draft)
    draft.actor2 = private_person(doc, draft.actor2)
    taken = {draft.actor1, draft.actor2}
    mentions = [m for m in _parties(doc) if m.evidence.sentence == draft.sentence.index]
    linked = [a for m in mentions for a in (m.actor_id, m.affiliation) if a]
    draft.associated = tuple(dict.fromkeys(a for a in linked if a not in taken))


def _fallback_actor(doc: DocIndex, draft: Draft) -> None:
    """actor1 from the first armed or state actor in the sentence before the trigger."""
    start = draft.trigger.token.start
    violent = doc.lexicon.codes[draft.code].family == "violence"
    heard = _tellers(doc, draft.trigger.token) if violent else set()
    for mention in _parties(doc):
        in_sentence = mention.evidence.sentence == draft.sentence.index and mention.evidence.start not in heard
        before = mention.evidence.start < start and mention.actor_id != draft.actor2
        agent = mention.type in doc.tables.agent_types and not bystander(doc, mention, draft.trigger.token)
        if in_sentence and before and agent and not _nationals(doc, mention):
            draft.actor1 = mention.actor_id
            draft.fields += (FieldEvidence("actor1", mention.evidence),)
            return
    if violent:
        _suspected_group(doc, draft)


def _parties(doc: DocIndex) -> list[ActorMention]:
    """The document's actor mentions that may take part in an event: not the names that are places."""
    return [m for m in doc.analysis.actors if not is_place(doc, m)]


def _nationals(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether a mention is people of a country, not its state.

    A plural demonym ("the number of Afghans killed"), or one qualifying a private person ("two Afghan males").
    """
    span = mention.evidence
    words = [t for t in doc.by_sentence.get(span.sentence, []) if span.start <= t.start < span.end]
    if len(words) != 1:
        return False
    word = words[0]
    if word.dep in ("amod", "compound") and private_national(doc, doc.head(word)):
        return True
    return word.ent_type == "NORP" and word.tag in ("NNPS", "NNS")


def _tellers(doc: DocIndex, token: Token) -> set[int]:
    """Start offsets of who reports an attack, unless the teller may be telling of its own act.

    "Officials say a man attacked", "officials said a bomb killed five" (the act is the doer) and
    "officials confirmed the attack" (the act is what is told): the teller is not the author. "X said
    they attacked" (a pronoun) and "X said 600 fighters were killed" (no doer) keep the teller as a
    likely author.
    """
    subject = _clause_subject(doc, token)
    named = subject is not None and subject.pos != "PRON"
    return _speaker_starts(doc, token) if named or _told_act(doc, token) else set()


def _told_act(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger is what a report verb tells of ("confirmed the attack") or the doer of its clause.

    "A bomb killed five", "the attack wounded three": an act that harms someone is its own doer, so a
    teller of the clause is not its author; "battles raged" names no doer and leaves the teller a party.
    """
    head = doc.head(token)
    reporting = doc.lexicon.cue("report_verbs")
    if token.dep == "dobj" and head.lemma.lower() in reporting:
        return True
    return token.dep == "nsubj" and bool(doc.kids(head, "dobj")) and head.lemma.lower() not in reporting


def _clause_subject(doc: DocIndex, token: Token) -> Token | None:
    """The first active subject on the way from a trigger up to its report verb, if any."""
    trigger = token
    while token.lemma.lower() not in doc.lexicon.cue("report_verbs") and doc.head(token).i != token.i:
        subjects = [s for s in doc.kids(token, "nsubj") if s.i != trigger.i]  # "battles raged": no doer
        if subjects:
            return subjects[0]
        token = doc.head(token)
    return None


def _suspected_group(doc: DocIndex, draft: Draft) -> None:
    """actor1 of an unattributed attack: an armed group named in the next sentence ("Al Shabaab suspected.")."""
    for mention in _parties(doc):
        armed = mention.type in ("armed_group", "militia") and mention.role != "opposed"
        armed = armed and not bystander(doc, mention, draft.trigger.token)
        if mention.evidence.sentence == draft.sentence.index + 1 and armed and mention.actor_id != draft.actor2:
            draft.actor1 = mention.actor_id
            draft.fields += (FieldEvidence("actor1", mention.evidence),)
            return


def _fallback_target(doc: DocIndex, draft: Draft) -> None:
    """actor2 of a violent event: the first other armed, state or civilian party in its sentence or the next."""
    heard = _speaker_starts(doc, draft.trigger.token)  # "..., Thai police said": the teller is no target
    for index in (draft.sentence.index, draft.sentence.index + 1):
        for mention in _parties(doc):
            other = mention.actor_id not in (draft.actor1, "") and mention.role != "opposed"
            other = other and mention.evidence.start not in heard
            if mention.evidence.sentence == index and other and mention.type in doc.tables.victim_types:
                if negated_mention(doc, mention) or _allied(doc, mention, draft.actor1, draft.trigger):
                    continue  # "the strike had not injured any civilians", "Afghan and coalition forces": no victim
                draft.actor2 = mention.actor_id
                draft.fields += (FieldEvidence("actor2", mention.evidence),)
                return


def _unnamed_fighters(doc: DocIndex, draft: Draft) -> None:
    """actor2 of violence done to unnamed fighters ("the army killed four militants"): ACLED's unidentified armed group.

    Only when no party in the sentence or the next could be them: they are no civilians either.
    """
    country = country_code(doc)
    fighters = doc.resources.actors.combatant_modifiers
    for head in (h for t in (draft.trigger, *draft.others) for h in doc.kids(t.token, "dobj", "nsubjpass")):
        if head.pos == "NOUN" and head.lemma.lower() in fighters and country:
            draft.actor2 = f"unidentified:{country}"
            draft.fields += (FieldEvidence("actor2", doc.analysis.evidence(head.start, head.end)),)
            return


def _allied(doc: DocIndex, mention: ActorMention, actor_id: str, trigger: Trigger) -> bool:
    """Whether a mention is coordinated with one of an actor ("an Afghan and coalition force"), or names it again.

    The joint subject of an act done to no object names its two sides ("Burundian and Rwandan soldiers clashed");
    the object of the trigger's own phrase ("exchanged fire") is no object.
    """
    objects = [o for o in doc.kids(trigger.token, "dobj") if o.start >= trigger.end]
    if not objects and _in_subject(doc, mention, trigger.token):
        return False
    coordinators = doc.resources.actors.coordinators
    text = doc.analysis.document.text
    for other in doc.analysis.actors:
        if other.actor_id != actor_id or other.evidence.sentence != mention.evidence.sentence:
            continue
        first, second = sorted((mention.evidence, other.evidence), key=lambda e: e.start)
        between = text[first.end : second.start]
        if between.strip(" ,").lower() in coordinators:
            return True
        if between.strip() == "," and text[second.end : second.end + 1] == ",":
            return True  # "The group, Islamic State Khorasan Province, claimed": one party named twice
    return False


def _in_subject(doc: DocIndex, mention: ActorMention, trigger: Token) -> bool:
    """Whether a mention lies in the subject of a trigger."""
    span = mention.evidence
    inside = {t.i for s in doc.kids(trigger, "nsubj") for t in doc.subtree(s)}
    return any(span.start <= t.start < span.end for t in doc.by_sentence.get(span.sentence, []) if t.i in inside)


def _fallback_parties(doc: DocIndex, draft: Draft) -> None:
    """Parties a political event's patterns missed: the first party before the trigger, then another one after it."""
    at, passive = draft.trigger.token.start, doc.tables.passive_types
    parties = [
        m for m in _parties(doc)
        if m.evidence.sentence == draft.sentence.index and m.type not in passive and m.role != "opposed"
    ]
    agentless = bool(doc.kids(draft.trigger.token, "nsubjpass", "auxpass"))  # an agentless passive names no agent
    if not draft.actor1 and not agentless:
        first = next((m for m in parties if m.evidence.start < at and m.actor_id != draft.actor2), None)
        if first is not None:
            draft.actor1 = party(doc, first)
            draft.fields += (FieldEvidence("actor1", first.evidence),)
    if draft.actor1 and not draft.actor2:
        own = home(draft.actor1)
        heard = _speaker_starts(doc, draft.trigger.token)  # "..., a Chadian official said": the teller is no target
        later = [
            m for m in parties if m.evidence.start > at and home(m.actor_id) != own and m.evidence.start not in heard
        ]
        if later:
            draft.actor2 = party(doc, later[0])
            draft.fields += (FieldEvidence("actor2", later[0].evidence),)
        elif _unnamed_party(doc, draft.trigger.token):
            return  # "detained two insurgents": the target is a party the registry does not know, not the country
        elif (spot := place_country(doc, draft.sentence.index)) and f"state:{spot[0]}" != draft.actor1:
            draft.actor2 = f"state:{spot[0]}"  # an act with no named target concerns the country where it happens
            draft.fields += (FieldEvidence("actor2", spot[1]),)


def _speaker_starts(doc: DocIndex, token: Token) -> set[int]:
    """Start offsets of the tokens naming who reports a trigger's clause ("X said", "according to X")."""
    chain = [token]
    while doc.head(chain[-1]).i != chain[-1].i and len(chain) < 8:
        chain.append(doc.head(chain[-1]))
    reporting = doc.lexicon.cue("report_verbs")
    verbs = [t for t in chain[1:] if t.lemma.lower() in reporting]
    verbs += [k for t in chain for k in doc.kids(t, "parataxis", "ccomp", "advcl") if k.lemma.lower() in reporting]
    speakers = [k for v in verbs if v not in chain[:1] for k in doc.kids(v, "nsubj", "nsubjpass", "agent")]
    speakers += [p for t in chain for prep in doc.kids(t, "prep") if prep.lemma.lower() == "according"
                 for p in doc.subtree(prep)]
    return {t.start for s in speakers for t in doc.subtree(s)}


def snippet_parties(analysis: Analysis, resources: EventResources, plover: str = "") -> tuple[str, str]:
    """actor1 and actor2 for an event coded from a whole snippet: its first party, then the next other party.

    With no other party or place, a political act of PLOVER type ``plover`` targets the first party's own country.
    """
    doc = DocIndex(analysis, resources)
    passive = doc.tables.passive_types
    parties = [m for m in analysis.actors if m.type not in passive and m.role != "opposed" and not is_place(doc, m)]
    if not parties:
        return "", ""
    first = party(doc, parties[0])
    own = home(first)
    others = [party(doc, m) for m in parties[1:]]
    other = next((o for o in others if home(o) != own), "") or next((o for o in others if o != first), "")
    spot = place_country(doc, parties[0].evidence.sentence)
    other = private_person(doc, other) or (f"state:{spot[0]}" if spot else "")
    return first, other or (own_side(doc, first) if plover in doc.tables.domestic_plover else "")


def _crowd_roles(doc: DocIndex, draft: Draft) -> None:
    """Protest and riot events: an unarmed crowd is coded as the country's protesters or rioters."""
    row = doc.lexicon.codes.get(draft.code)
    role = doc.tables.crowd_roles.get(row.event_type, "") if row is not None else ""
    country = country_code(doc) if role else ""
    if row is None or not country:
        return
    crowd = f"{role}:{country}"
    if row.code == "FORCE_AGAINST_PROTEST":
        if actor_type(doc, draft.actor2) in doc.tables.crowd_types:
            draft.actor2 = crowd
        return
    if actor_type(doc, draft.actor1) in doc.tables.crowd_types:
        if draft.actor1 and draft.actor1 not in draft.associated:
            draft.associated += (draft.actor1,)
        draft.actor1 = crowd
        if draft.actor2 == crowd or actor_type(doc, draft.actor2) == "civilians":
            draft.actor2 = ""


def _domestic_target(doc: DocIndex, draft: Draft) -> None:
    """An act with no named target: a party or place of another country in its clause, else (political) its own."""
    row = doc.lexicon.codes.get(draft.code)
    plover = draft.plover or (row.plover if row is not None else "")
    violent = plover in doc.tables.violent_plover
    if not draft.actor1 or draft.actor2 or (violent and not country_of(draft.actor1)):
        return
    if _unnamed_party(doc, draft.trigger.token):
        return  # "arrested three militants": an unknown party is the target, not the actor's own country
    if (violent or plover in doc.tables.domestic_plover) and (foreign := _foreign_party(doc, draft)):
        draft.actor2 = foreign  # "Israel will evacuate settlements in Gaza", "Israeli tanks fired at Jericho"
    elif plover in doc.tables.domestic_plover:
        draft.actor2 = own_side(doc, draft.actor1)


def _unnamed_party(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger's object is a party no actor resolves to ("detained two insurgents", "held suspects")."""
    objects = doc.kids(token, "dobj", "nsubjpass")
    return any(o.lemma.lower() in doc.lexicon.cue("agent_nouns") and doc.mention_at.get(o.i) is None for o in objects)


def _own_forces(doc: DocIndex, draft: Draft) -> bool:
    """Whether a draft's target is its agent's own forces, the means of its act rather than its object."""
    own = country_of(draft.actor1)
    return bool(own) and country_of(draft.actor2) == own and actor_type(doc, draft.actor2) == "state_forces"


def _foreign_party(doc: DocIndex, draft: Draft) -> str:
    """A party of another country in the trigger's clause after the trigger: a named actor, else a place's state."""
    own = country_of(draft.actor1)
    heard = _speaker_starts(doc, draft.trigger.token)
    anchor = draft.trigger.token
    for _ in range(3):  # a noun trigger ("fired shells at X") takes its verb's clause
        if anchor.pos in ("VERB", "AUX") or doc.head(anchor).i == anchor.i:
            break
        anchor = doc.head(anchor)
    clause = [t for t in doc.subtree(anchor) if t.i > draft.trigger.token.i and t.start not in heard]
    starts = {t.start for t in clause}
    for mention in (m for m in _mentions_in_order(doc, clause) if not is_place(doc, m)):
        side = party(doc, mention)
        named = not side.startswith("provisional:") and mention.type not in doc.tables.passive_types
        if named and mention.role != "opposed" and home(side) not in (own, ""):
            return side
    for place in doc.analysis.places:
        code = doc.tables.alpha3_of(place.place.country) if place.place is not None and place.place.country else ""
        if place.evidence.start in starts and code and code != own:
            return f"state:{code}"
    return ""


def _mentions_in_order(doc: DocIndex, tokens: list[Token]) -> list[ActorMention]:
    """The distinct actor mentions covering some of the given tokens, in text order."""
    found = (doc.mention_at.get(t.i) for t in tokens)
    return list(dict.fromkeys(m for m in found if m is not None))
