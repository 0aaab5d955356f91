"""Draft events of a sentence: one per violent incident (several when counted or placed apart), one per political type.

A violent draft takes the classifier's CASE code among its triggers' candidates; a political draft
takes its PLOVER type (the classifier chooses when a trigger allows several) and the CASE code that
type carries. Both get their status and actor roles here; commentary, unreported political acts and
mentions that only refer back to an incident told before are marked or dropped.
"""

from __future__ import annotations

from dataclasses import replace

from khabar.events.patterns import names_attacker
from khabar.events.roles import assign_roles
from khabar.events.status import (
    is_anaphoric,
    is_intent,
    modified_noun,
    read_status,
    reported_wrong,
    separate_count,
)
from khabar.events.triggers import (
    circumstantial,
    is_generic,
    is_weapon_as_goods,
    names_a_role,
    passive_sense,
    peaceful_sense,
    purpose_vehicles,
    struggle_sense,
)
from khabar.events.types import DocIndex, Draft, Trigger
from khabar.records import PlaceMention, Sentence, Token


def sentence_drafts(doc: DocIndex, sentence: Sentence, triggers: list[Trigger]) -> list[Draft]:
    """The draft events of one sentence: one per violent incident, one per political type."""
    drafts: list[Draft] = []
    triggers = [t for t in triggers
                if not is_generic(doc, sentence, t) and not names_a_role(doc, t) and not is_weapon_as_goods(doc, t)
                and not peaceful_sense(doc, t) and not passive_sense(doc, t)
                and not struggle_sense(doc, t)]
    triggers = _violence_over_crime(doc, _shooting_over_accident(doc, triggers))
    # a retracted report ("reports of a second blast were false") adds nothing, the words of its noun phrase included
    triggers = [t for t in triggers if not reported_wrong(doc, modified_noun(doc, t.token))]
    vehicles = purpose_vehicles(doc, triggers)
    triggers = [t for t in triggers if t.token.i not in vehicles]
    violent = [t for t in triggers if t.group.family in ("violence", "other")]
    if violent:
        drafts.extend(_violent_drafts(doc, sentence, violent))
    seen: set[str] = {d.plover for d in drafts}
    # a word shared by a violent event backed by another violent word names that violence only:
    # "raided ... and killed" is not also a coercion, while a lone "strike" may still be a protest
    taken = {t.token.i for d in drafts if d.others for t in (d.trigger, *d.others)}
    agent = _has_agent(doc, sentence)
    for trigger in sorted((t for t in triggers if t.group.family == "political"), key=lambda t: t.token.i):
        if trigger.token.i in taken:
            continue
        if not agent and not is_anaphoric(doc, trigger) and not _agent_subject(doc, trigger.token):
            continue
        if circumstantial(doc, trigger, bool(violent)):
            continue
        draft = _political_draft(doc, sentence, trigger)
        if draft and draft.plover not in seen and _reportable(doc, draft):
            seen.add(draft.plover)
            drafts.append(draft)
    return drafts


def _shooting_over_accident(doc: DocIndex, triggers: list[Trigger]) -> list[Trigger]:
    """Drop accident words beside a shooting: "shot himself by accident" is a shooting, told as accidental.

    A gun that wounds or kills is a shooting whatever the intent; the accident word only qualifies it
    (a crash or a collapse with deaths stays an accident: only firearm words take over).
    """
    firearms = doc.lexicon.cue("firearm_acts")
    violent = [t for t in triggers if t.group.family == "violence"]
    # a violent phrase on the accident word itself ("a hunting accident") reads it as a shooting
    heads = {t.token.i for t in violent}
    if not any(t.token.lemma.lower() in firearms for t in violent) and not any(
            t.group.family == "other" and t.token.i in heads for t in triggers):
        return triggers
    return [t for t in triggers if not (t.group.family == "other" and "MAN_MADE_DISASTER" in t.group.cases)]


def _violence_over_crime(doc: DocIndex, triggers: list[Trigger]) -> list[Trigger]:
    """Drop crime words beside violence a verb tells: "police shot dead two drug traffickers" is a killing."""
    if not any(t.group.family == "violence" and t.token.pos == "VERB" for t in triggers):
        return triggers
    crimes = {c.upper() for c in doc.lexicon.cue("crime_codes")}
    return [t for t in triggers if not (t.group.family == "other" and set(t.group.cases) <= crimes)]


def _reportable(doc: DocIndex, draft: Draft) -> bool:
    """Whether a political draft is a reportable interaction: it happened and someone took part in it.

    A participant is a resolved actor, or a named or agent-like subject of a verb trigger ("Police
    arrested..."). A definite mention without participants ("the meeting") is kept so it can merge
    into the event it repeats; it is dropped later if it finds none.
    """
    if draft.status != "occurred":
        return False
    return bool(draft.actor1 or draft.actor2 or draft.anaphoric or _agent_subject(doc, draft.trigger.token))


def _agent_subject(doc: DocIndex, token: Token) -> bool:
    """Whether a verb trigger's subject or object names someone: a proper noun or a party noun ("police")."""
    if token.pos != "VERB":
        return False
    parties = doc.lexicon.cue("agent_nouns") | doc.lexicon.civilians
    args = doc.kids(token, "nsubj", "nsubjpass", "dobj")
    args += [p for a in doc.kids(token, "agent") for p in doc.kids(a, "pobj")]
    if token.dep == "acl":
        args.append(doc.head(token))  # "suspects detained in Khost": the participle modifies its party
    words = [w for a in args for w in (a, *doc.kids(a, "compound", "amod"))]
    return any(w.pos == "PROPN" or w.lemma.lower() in parties for w in words)


def _has_agent(doc: DocIndex, sentence: Sentence) -> bool:
    """Whether a sentence names someone who could act: an actor mention or a named entity."""
    return sentence.index in doc.agent_sentences


def _violent_drafts(doc: DocIndex, sentence: Sentence, triggers: list[Trigger]) -> list[Draft]:
    """One violent or other event for a sentence, or several when it counts or places separate incidents."""
    main = _main_trigger(doc, triggers)
    allowed = frozenset().union(*(t.group.cases for t in triggers))
    code, prob = doc.scores[sentence.index]["case"].best(allowed)
    row = doc.lexicon.codes[code]
    others = tuple(t for t in triggers if t is not main)
    draft = Draft(main, sentence, code, row.plover, prob, sentences=(sentence,), others=others)
    draft.status = read_status(doc, main)
    draft.anaphoric = (is_anaphoric(doc, main) or _claims_responsibility(doc, sentence) or _told_of(doc, main, triggers)
                       or _describes_the_attacker(doc, main, triggers))
    assign_roles(doc, draft)
    draft.anaphoric = draft.anaphoric or _casualty_report(doc, draft)
    if draft.status != "occurred":
        return [draft]
    spots = _incident_places(doc, sentence, triggers)
    copies = max(separate_count(doc, main.token), len(spots) if len(spots) > 1 else 1)
    if copies == 1:
        return [draft]
    if any(d.lemma.lower() in doc.lexicon.cue("anaphora_det") for d in doc.kids(main.token, "det")):
        draft.anaphoric = True  # "the two shootings" names incidents told before, not new ones
        return [draft]
    anchors = spots if len(spots) >= copies else []
    return [replace(draft, place=anchors[n] if anchors else None, anaphoric=False, split=True) for n in range(copies)]


def _describes_the_attacker(doc: DocIndex, main: Trigger, triggers: list[Trigger]) -> bool:
    """Whether a sentence only describes who carried out an incident it refers back to.

    "Officials said the attack was the work of a single bomber": the bomber is the attack's author,
    and the attack is one already told.
    """
    if main.token.lemma.lower() not in doc.lexicon.cue("attacker_nouns"):
        return False
    return any(t is not main and is_anaphoric(doc, t) for t in triggers)


def _told_of(doc: DocIndex, main: Trigger, triggers: list[Trigger]) -> bool:
    """Whether a verb trigger's subject is a back-referring event noun: "The blast went off at the gate"."""
    if main.token.pos != "VERB":
        return False
    subjects = doc.kids(main.token, "nsubj", "nsubjpass")
    if any(_definite_perpetrators(doc, s) for s in subjects):
        return True  # "The attackers struck the mosque": the people of an incident already told
    indices = {t.i for t in subjects}
    return any(t.token.i in indices and is_anaphoric(doc, t) for t in triggers)


def _definite_perpetrators(doc: DocIndex, token: Token) -> bool:
    """Whether a noun names the perpetrators of a known incident: "the attackers", "the gunmen"."""
    if token.lemma.lower() not in doc.lexicon.cue("perpetrator_nouns"):
        return False
    return any(d.lemma.lower() in doc.lexicon.cue("anaphora_det") for d in doc.kids(token, "det"))


def _casualty_report(doc: DocIndex, draft: Draft) -> bool:
    """Whether a sentence only counts the victims of an incident told before ("More than 150 people were wounded.").

    Its triggers are casualty verbs ("killed or injured"), its own agent side names no attacker, and it
    names no place of its own finer than a country ("the UN mission in Afghanistan said"), so it refers back.
    """
    casualty = doc.lexicon.cue("casualty")
    if draft.trigger.token.pos != "VERB" or any(t.token.lemma.lower() not in casualty
                                                 for t in (draft.trigger, *draft.others)):
        return False
    if names_attacker(doc, draft.trigger.token):
        return False
    return not local_places(doc, draft.sentence.index)


def local_places(doc: DocIndex, index: int) -> list[PlaceMention]:
    """A sentence's place mentions that could site an incident of its own: unresolved or finer than a country."""
    return [p for p in doc.places_by_sentence.get(index, []) if p.place is None or p.place.feature != "country"]


def _claims_responsibility(doc: DocIndex, sentence: Sentence) -> bool:
    """Whether a sentence claims or denies responsibility (its event nouns then refer back)."""
    lemmas = set(doc.sentence_lemmas(sentence.index))
    acts = doc.lexicon.cue("claim") | doc.lexicon.cue("deny")
    return bool(lemmas & acts and lemmas & doc.lexicon.cue("responsibility"))


def _incident_places(doc: DocIndex, sentence: Sentence, triggers: list[Trigger]) -> list[PlaceMention]:
    """Distinct sub-national places of a sentence when its violent triggers sit in different places."""
    here = doc.places_by_sentence.get(sentence.index, [])
    spots = [p for p in here if p.place is not None and p.relation != "dateline"]  # a dateline is where it was filed
    fine = [p for p in spots if p.place is not None and p.place.feature != "country"]
    distinct = list({p.place.place_id: p for p in fine if p.place is not None}.values())
    if len(distinct) < 2:
        return []
    anchored = {
        found.place.place_id
        for t in triggers
        if (found := doc.place_at(t.token.start, t.end)) is not None and found.place is not None
    }
    return distinct if len(anchored) > 1 or _separate_count_any(doc, triggers) > 1 else []


def _separate_count_any(doc: DocIndex, triggers: list[Trigger]) -> int:
    """The largest separate-incident count over a sentence's triggers."""
    return max(separate_count(doc, t.token) for t in triggers)


def _main_trigger(doc: DocIndex, triggers: list[Trigger]) -> Trigger:
    """The trigger naming a new incident if any, then the most specific (fewest codes), then the earliest."""
    return min(triggers, key=lambda t: (is_anaphoric(doc, t), len(t.group.cases), t.token.i))


def _political_draft(doc: DocIndex, sentence: Sentence, trigger: Trigger) -> Draft | None:
    """A political event for one trigger, unless its status rules it out."""
    plover = trigger.group.plover[0] if trigger.group.plover else ""
    if len(trigger.group.plover) > 1:
        plover, _ = doc.scores[sentence.index]["plover"].best(frozenset(trigger.group.plover))
    code = doc.lexicon.plover_case.get(plover, "OTHER")
    if trigger.group.cases and code not in trigger.group.cases:
        code, _ = doc.scores[sentence.index]["case"].best(trigger.group.cases)
    draft = Draft(trigger, sentence, code, plover, 0.6, sentences=(sentence,))
    draft.status = read_status(doc, trigger)
    if draft.status == "planned" and is_intent(doc, draft):
        draft.status = "occurred"
    draft.anaphoric = is_anaphoric(doc, trigger)
    assign_roles(doc, draft)
    return draft
