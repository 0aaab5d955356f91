"""The events stage: find event triggers, code them (CASE/ACLED and PLOVER), fill their arguments.

Cascade, per sentence: trigger lexicon (``data/events/lexicon.yaml``) -> the learned classifier
(``khabar.eventclf``) picks the code among the trigger's candidates -> dependency patterns give
actor1 (agent side) and actor2 (target side), the status (negated, planned, hypothetical,
aggregate) and counted incidents ("two blasts") -> places, dates and tolls come from the other
stages' helpers -> claims, attributions and denials attach to the event they refer to -> anaphoric
mentions ("the blast") merge into the earlier event they repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from khabar import places, quantities
from khabar import time as timex
from khabar.actors import Registry
from khabar.eventargs import (
    COREF_WINDOW,
    VIOLENT_PLOVER,
    DocIndex,
    Draft,
    Trigger,
    apply_claims,
    assign_roles,
    names_attacker,
    snippet_parties,
)
from khabar.eventclf import load_classifier
from khabar.eventlex import CodeRow, Lexicon, Phrase, TriggerGroup, is_event_candidate, load_lexicon
from khabar.records import (
    Analysis,
    Event,
    FieldEvidence,
    PlaceMention,
    Sentence,
    TimeSpan,
    Token,
    Toll,
)

__all__ = ["document_label", "extract_events", "is_event_candidate", "main_event"]

MAX_SEPARATE = 3
NUMBER_WORDS = {"two": 2, "three": 3, "twin": 2, "double": 2, "both": 2}
FORCEFUL_PLOVER = VIOLENT_PLOVER | {"COERCE"}  # acts of force, which may have a toll
NAME_ENTITIES = frozenset({"ORG", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"})
HEADLINE_ENDINGS = frozenset(".!?:;\"\u201d\u2019')")
AGENT_LABELS = ("ORG", "GPE", "NORP", "PERSON")  # named entities that could act


@dataclass(slots=True, frozen=True)
class Period:
    """What a sentence says that makes a plural trigger an aggregate: a counting word, a period, a large number."""

    aggregate_word: bool
    spans: bool  # "from August to February", "since 2021", "over the past year"
    large_number: bool  # a number above 20, read only when the sentence spans a period


class EventIndex(DocIndex):
    """The events stage's document index: DocIndex plus facts asked of a sentence more than once, each built once."""

    def __init__(self, analysis: Analysis, lexicon: Lexicon) -> None:
        """Index the document; per-sentence facts are filled in as sentences are asked about."""
        super().__init__(analysis, lexicon)
        self.lemmas: dict[int, list[str]] = {}
        self.dated: dict[int, bool] = {}
        self.periods: dict[int, Period] = {}

    def sentence_lemmas(self, index: int) -> list[str]:
        """The lower-cased lemmas of a sentence's tokens."""
        lemmas = self.lemmas.get(index)
        if lemmas is None:
            lemmas = self.lemmas[index] = [t.lemma.lower() for t in self.by_sentence.get(index, [])]
        return lemmas

    def is_dated(self, index: int) -> bool:
        """Whether a sentence carries a date or time expression."""
        dated = self.dated.get(index)
        if dated is None:
            dated = self.dated[index] = any(t.ent_type in ("DATE", "TIME") for t in self.by_sentence.get(index, []))
        return dated

    def period(self, index: int) -> Period:
        """A sentence's aggregate cues."""
        period = self.periods.get(index)
        if period is None:
            period = self.periods[index] = _read_period(self, index)
        return period

    @cached_property
    def places_by_sentence(self) -> dict[int, list[PlaceMention]]:
        """The place mentions of each sentence, in document order."""
        grouped: dict[int, list[PlaceMention]] = {}
        for mention in self.analysis.places:
            grouped.setdefault(mention.evidence.sentence, []).append(mention)
        return grouped

    @cached_property
    def agent_sentences(self) -> frozenset[int]:
        """The sentences that name someone who could act: an actor mention or a named entity."""
        named = {e.sentence for e in self.analysis.entities if e.label in AGENT_LABELS}
        return frozenset({m.evidence.sentence for m in self.analysis.actors} | named)

    @cached_property
    def actor_types(self) -> dict[str, str]:
        """The type of each resolved actor of the document."""
        return {m.actor_id: m.type for m in self.analysis.actors}


def extract_events(analysis: Analysis, registry: Registry, gazetteer: places.Gazetteer | None = None) -> Analysis:
    """Detect and code the events of a document (``gazetteer`` knows capitals, the seats of national acts)."""
    lexicon = load_lexicon()
    doc = EventIndex(analysis, lexicon)
    found = []
    for sentence in analysis.sentences:
        if is_event_candidate(sentence.text):
            triggers = _find_triggers(doc, sentence.index)
            if triggers:
                found.append((sentence, triggers))
    needed = [sentence for sentence, triggers in found if any(_needs_classifier(doc, t) for t in triggers)]
    scored = load_classifier().score_all([sentence.text for sentence in needed])
    for n, sentence in enumerate(needed):
        doc.scores[sentence.index] = {head: rows[n] for head, rows in scored.items()}
    drafts: list[Draft] = []
    for sentence, triggers in found:
        drafts.extend(_sentence_drafts(doc, sentence, triggers))
    apply_claims(doc, drafts)
    drafts = _merge_repeats(doc, _merge_title(doc, _merge_anaphora(doc, drafts)))
    if gazetteer is not None and registry is not None:
        _place_national_acts(doc, drafts, registry, gazetteer)
    events = tuple(_freeze(doc, draft, n) for n, draft in enumerate(drafts))
    return replace(analysis, events=events)


def _needs_classifier(doc: EventIndex, trigger: Trigger) -> bool:
    """Whether coding a trigger needs the classifier (a violent one, or a political one with a choice)."""
    group = trigger.group
    if group.family != "political":
        return True
    code = doc.lexicon.plover_case.get(group.plover[0] if group.plover else "", "OTHER")
    return len(group.plover) > 1 or bool(group.cases and code not in group.cases)


def _find_triggers(doc: EventIndex, sentence: int) -> list[Trigger]:
    """Trigger matches in a sentence's tokens, looked up by each token's lemma and word."""
    tokens = doc.by_sentence.get(sentence, [])
    lemmas = doc.sentence_lemmas(sentence)
    words = [t.text.lower() for t in tokens]
    found: list[Trigger] = []
    index = doc.lexicon.index
    for i, (lemma, word) in enumerate(zip(lemmas, words, strict=True)):
        by_lemma, by_word = index.get(lemma, ()), index.get(word, ()) if word != lemma else ()
        if not by_lemma and not by_word:
            continue
        for group, phrase in dict.fromkeys((*by_lemma, *by_word)):
            if group.objects and group.objects.isdisjoint(lemmas) and group.objects.isdisjoint(words):
                continue  # the group needs one of its object words somewhere in the sentence
            hit = _phrase_hit(group, phrase, tokens, i, lemmas, words)
            if hit:
                found.append(hit)
    return sorted(_drop_covered(found), key=lambda t: (t.token.i, t.group.name))


def _drop_covered(found: list[Trigger]) -> list[Trigger]:
    """Drop a one-word match lying inside a longer phrase match ("seize" inside "seize power")."""
    spans = [(t.token.start, t.end, t) for t in found]
    return [
        t for start, end, t in spans
        if not any(o is not t and o.group.name != t.group.name and s <= start and end <= e and e - s > end - start
                   for s, e, o in spans)
    ]


def _phrase_hit(
    group: TriggerGroup, phrase: Phrase, tokens: list[Token], i: int, lemmas: list[str], words: list[str]
) -> Trigger | None:
    """The trigger when a phrase matches at position i on lemmas or words and passes the POS filters."""
    size, target = len(phrase.words), phrase.words
    if tuple(lemmas[i : i + size]) != target and tuple(words[i : i + size]) != target:
        return None
    token = _phrase_head(tokens[i : i + size])
    if (group.pos and token.pos not in group.pos) or (phrase.pos and token.pos != phrase.pos):
        return None
    return Trigger(group, token, tokens[i + size - 1].end)


def _phrase_head(span: list[Token]) -> Token:
    """The token of a matched phrase whose head lies outside it ("bomber" of "suicide bomber")."""
    inside = {t.i for t in span}
    return next((t for t in span if t.head not in inside or t.head == t.i), span[0])


def _sentence_drafts(doc: EventIndex, sentence: Sentence, triggers: list[Trigger]) -> list[Draft]:
    """The draft events of one sentence: one per violent incident, one per political type."""
    drafts: list[Draft] = []
    triggers = [t for t in triggers if not _is_generic(doc, sentence, t) and not _names_a_role(doc, t)]
    vehicles = _purpose_vehicles(doc, triggers)
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
        if not agent and not _is_anaphoric(doc, trigger) and not _agent_subject(doc, trigger.token):
            continue
        if _circumstantial(doc, trigger, bool(violent)):
            continue
        draft = _political_draft(doc, sentence, trigger)
        if draft and draft.plover not in seen and _reportable(doc, draft):
            seen.add(draft.plover)
            drafts.append(draft)
    return drafts


def _names_a_role(doc: EventIndex, trigger: Trigger) -> bool:
    """Whether a trigger noun only qualifies a person's role ("a bomb maker", "an attack planner").

    The head is an agent noun: a listed party noun or an -er/-or/-ist derivation. "Bomber" and
    "gunman" are triggers in their own right and are matched on the head itself.
    """
    token = trigger.token
    if token.dep != "compound" or token.pos not in ("NOUN", "PROPN"):
        return False
    head = doc.head(token)
    lemma = head.lemma.lower()
    if head.pos != "NOUN" or doc.lexicon.index.get(lemma):
        return False
    return lemma in doc.lexicon.cue("agent_nouns") or lemma.endswith(("er", "or", "ist"))


def _purpose_vehicles(doc: EventIndex, triggers: list[Trigger]) -> set[int]:
    """Token indexes of operation nouns that only carry another trigger's purpose ("an operation to arrest X").

    The infinitive names what the operation, raid or mission was: its type is the event's type, and
    the carrier noun adds no incident of its own. The infinitive hangs either on the noun ("a raid to
    free hostages") or on the verb whose object the noun is ("conducted an operation to detain X").
    """
    vehicles: set[int] = set()
    for carrier in triggers:
        token = carrier.token
        if token.pos != "NOUN" or token.lemma.lower() not in doc.lexicon.cue("purpose_carriers"):
            continue  # a protest "to demand" or an ultimatum "to halt" stays what it is
        for purpose in triggers:
            verb = purpose.token
            if purpose.group.name == carrier.group.name or verb.pos != "VERB" or not _infinitive(doc, verb):
                continue
            on_noun = verb.head == token.i and verb.dep == "acl"
            on_verb = verb.dep in ("advcl", "xcomp") and token.dep == "dobj" and verb.head == token.head
            if on_noun or on_verb:
                vehicles.add(token.i)
    return vehicles


def _infinitive(doc: EventIndex, verb: Token) -> bool:
    """Whether a verb is a to-infinitive."""
    return any(t.tag == "TO" for t in doc.kids(verb, "aux"))


def _circumstantial(doc: EventIndex, trigger: Trigger, violent: bool) -> bool:
    """Whether a political trigger is no act of its own: a word of a name, or a participle describing a party.

    "International Security Assistance Force" holds no aid; in "forces, supported by aircraft, killed
    five" or "soldiers, trained and supported by advisers, killed five", the support only describes
    the party of the violent event beside it.
    """
    token = trigger.token
    if token.ent_type in NAME_ENTITIES:
        return True
    dep = doc.head(token).dep if token.dep == "conj" else token.dep
    return violent and dep in ("acl", "amod", "compound") and token.tag == "VBN"


def _reportable(doc: EventIndex, draft: Draft) -> bool:
    """Whether a political draft is a reportable interaction: it happened and someone took part in it.

    A participant is a resolved actor, or a named or agent-like subject of a verb trigger ("Police
    arrested..."). A definite mention without participants ("the meeting") is kept so it can merge
    into the event it repeats; it is dropped later if it finds none.
    """
    if draft.status != "occurred":
        return False
    return bool(draft.actor1 or draft.actor2 or draft.anaphoric or _agent_subject(doc, draft.trigger.token))


def _agent_subject(doc: EventIndex, token: Token) -> bool:
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


def _is_generic(doc: EventIndex, sentence: Sentence, trigger: Trigger) -> bool:
    """Whether a trigger sits in a habitual or generic clause (simple present or a bare verb, undated).

    Commentary states tendencies ("the group rejects nationalism", "let them fight terrorism");
    reports date or narrate incidents in past, perfect or progressive forms. A text's first
    sentence is exempt: headlines use the simple present for past events.
    """
    if sentence.index == 0 or _dated(doc, sentence):
        return False
    if trigger.group.family == "political" and _is_anaphoric(doc, trigger):
        return False  # "the summit" refers to an event reported elsewhere, whatever its clause's tense
    verb = _clause_verb(doc, trigger.token)
    if verb is None or doc.kids(verb, "aux", "auxpass"):
        return False
    return verb.tag in ("VBZ", "VBP") or (verb.tag == "VB" and verb.dep != "xcomp")


def _clause_verb(doc: EventIndex, token: Token) -> Token | None:
    """The verb of the clause a token belongs to (itself when it is a verb)."""
    for candidate in (token, *_ancestors(doc, token, 4)):
        if candidate.pos in ("VERB", "AUX"):
            return candidate
    return None


def _dated(doc: EventIndex, sentence: Sentence) -> bool:
    """Whether a sentence carries a date or time expression."""
    return doc.is_dated(sentence.index)


def _has_agent(doc: EventIndex, sentence: Sentence) -> bool:
    """Whether a sentence names someone who could act: an actor mention or a named entity."""
    return sentence.index in doc.agent_sentences


def _violent_drafts(doc: EventIndex, sentence: Sentence, triggers: list[Trigger]) -> list[Draft]:
    """One violent or other event for a sentence, or several when it counts or places separate incidents."""
    main = _main_trigger(doc, triggers)
    allowed = frozenset().union(*(t.group.cases for t in triggers))
    code, prob = doc.scores[sentence.index]["case"].best(allowed)
    row = doc.lexicon.codes[code]
    others = tuple(t for t in triggers if t is not main)
    draft = Draft(main, sentence, code, row.plover, prob, sentences=(sentence,), others=others)
    draft.status = _status(doc, main)
    draft.anaphoric = _is_anaphoric(doc, main) or _claims_responsibility(doc, sentence) or _told_of(doc, main, triggers)
    assign_roles(doc, draft)
    draft.anaphoric = draft.anaphoric or _casualty_report(doc, draft)
    if draft.status != "occurred":
        return [draft]
    spots = _incident_places(doc, sentence, triggers)
    copies = max(_separate_count(doc, main.token), len(spots) if len(spots) > 1 else 1)
    if copies == 1:
        return [draft]
    anchors = spots if len(spots) >= copies else []
    return [replace(draft, place=anchors[n] if anchors else None, anaphoric=False) for n in range(copies)]


def _told_of(doc: EventIndex, main: Trigger, triggers: list[Trigger]) -> bool:
    """Whether a verb trigger's subject is a back-referring event noun: "The blast went off at the gate"."""
    if main.token.pos != "VERB":
        return False
    subjects = doc.kids(main.token, "nsubj", "nsubjpass")
    if any(_definite_perpetrators(doc, s) for s in subjects):
        return True  # "The attackers struck the mosque": the people of an incident already told
    indices = {t.i for t in subjects}
    return any(t.token.i in indices and _is_anaphoric(doc, t) for t in triggers)


def _definite_perpetrators(doc: EventIndex, token: Token) -> bool:
    """Whether a noun names the perpetrators of a known incident: "the attackers", "the gunmen"."""
    if token.lemma.lower() not in doc.lexicon.cue("perpetrator_nouns"):
        return False
    return any(d.lemma.lower() in doc.lexicon.cue("anaphora_det") for d in doc.kids(token, "det"))


def _casualty_report(doc: EventIndex, draft: Draft) -> bool:
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
    return not _local_places(doc, draft.sentence.index)


def _local_places(doc: EventIndex, index: int) -> list[PlaceMention]:
    """A sentence's place mentions that could site an incident of its own: unresolved or finer than a country."""
    return [p for p in doc.places_by_sentence.get(index, []) if p.place is None or p.place.feature != "country"]


def _claims_responsibility(doc: EventIndex, sentence: Sentence) -> bool:
    """Whether a sentence claims or denies responsibility (its event nouns then refer back)."""
    lemmas = set(doc.sentence_lemmas(sentence.index))
    acts = doc.lexicon.cue("claim") | doc.lexicon.cue("deny")
    return bool(lemmas & acts and lemmas & doc.lexicon.cue("responsibility"))


def _incident_places(doc: EventIndex, sentence: Sentence, triggers: list[Trigger]) -> list[PlaceMention]:
    """Distinct sub-national places of a sentence when its violent triggers sit in different places."""
    spots = [p for p in doc.places_by_sentence.get(sentence.index, []) if p.place is not None]
    fine = [p for p in spots if p.place is not None and p.place.feature != "country"]
    distinct = list({p.place.place_id: p for p in fine if p.place is not None}.values())
    if len(distinct) < 2:
        return []
    anchored = {
        found.place.place_id
        for t in triggers
        if (found := places.place_for(doc.analysis, t.token.start, t.end)) is not None and found.place is not None
    }
    return distinct if len(anchored) > 1 or _separate_count_any(doc, triggers) > 1 else []


def _separate_count_any(doc: EventIndex, triggers: list[Trigger]) -> int:
    """The largest separate-incident count over a sentence's triggers."""
    return max(_separate_count(doc, t.token) for t in triggers)


def _main_trigger(doc: EventIndex, triggers: list[Trigger]) -> Trigger:
    """The trigger naming a new incident if any, then the most specific (fewest codes), then the earliest."""
    return min(triggers, key=lambda t: (_is_anaphoric(doc, t), len(t.group.cases), t.token.i))


def _political_draft(doc: EventIndex, sentence: Sentence, trigger: Trigger) -> Draft | None:
    """A political event for one trigger, unless its status rules it out."""
    plover = trigger.group.plover[0] if trigger.group.plover else ""
    if len(trigger.group.plover) > 1:
        plover, _ = doc.scores[sentence.index]["plover"].best(frozenset(trigger.group.plover))
    code = doc.lexicon.plover_case.get(plover, "OTHER")
    if trigger.group.cases and code not in trigger.group.cases:
        code, _ = doc.scores[sentence.index]["case"].best(trigger.group.cases)
    draft = Draft(trigger, sentence, code, plover, 0.6, sentences=(sentence,))
    draft.status = _status(doc, trigger)
    if draft.status == "planned" and _is_intent(doc, draft):
        draft.status = "occurred"
    draft.anaphoric = _is_anaphoric(doc, trigger)
    assign_roles(doc, draft)
    return draft


def _ancestors(doc: EventIndex, token: Token, depth: int = 3) -> list[Token]:
    """Up to ``depth`` heads above a token."""
    out, current = [], token
    for _ in range(depth):
        head = doc.head(current)
        if head.i == current.i:
            break
        out.append(head)
        current = head
    return out


def _status(doc: EventIndex, token_trigger: Trigger) -> str:
    """occurred, negated, planned, hypothetical or aggregate, from dependency cues.

    Negation, plans and conditions govern the noun phrase a trigger word modifies ("planning a rocket
    attack"); counting is read on the trigger itself.
    """
    lex, token = doc.lexicon, token_trigger.token
    base = _modified_noun(doc, token)
    chain = [base, *_ancestors(doc, base, 2)]
    near = [k for t in chain[:2] for k in doc.kids(t)]
    if any(k.dep == "neg" or (k.dep == "det" and k.lemma.lower() == "no") for k in near):
        return "negated"
    planned, hypothetical, modal = lex.cue("planned"), lex.cue("hypothetical"), lex.cue("hypothetical_mod")
    if any(t.lemma.lower() in planned for t in chain[1:]) or _unrealised_infinitive(doc, token):
        return "planned"
    if any(k.dep in ("aux", "mark") and k.lemma.lower() in hypothetical for k in near):
        return "hypothetical"
    if any(t.lemma.lower() in modal for t in chain[1:] + near):
        return "hypothetical"
    if _is_aggregate(doc, token):
        return "aggregate"
    return "occurred"


def _modified_noun(doc: EventIndex, token: Token) -> Token:
    """The noun a trigger word modifies ("rocket" in "a rocket-propelled grenade attack" -> "attack"), else itself.

    Status cues govern the whole noun phrase: "planning a rocket attack" plans the rocket too.
    """
    current = token
    for _ in range(3):
        head = doc.head(current)
        if current.dep not in ("compound", "amod", "nmod", "npadvmod") or head.i == current.i:
            break
        current = head
    return current


def _unrealised_infinitive(doc: EventIndex, token: Token) -> bool:
    """Whether a trigger is a to-infinitive whose governor does not assert it ("announced to fight").

    Implicative governors ("managed to", "began to") assert the act; intents ("pledged to") are
    coded as promises elsewhere.
    """
    if not _infinitive(doc, token):
        return False
    head = doc.head(token)
    governor = head.lemma.lower()
    if token.dep not in ("xcomp", "ccomp") and governor not in doc.lexicon.cue("purpose_heads"):
        return False  # "conducted an operation to capture X" names the operation's aim and, in reports, its outcome
    return governor not in doc.lexicon.cue("implicative") | doc.lexicon.cue("intent")


def _count_of(doc: EventIndex, token: Token) -> int | None:
    """The number counting a noun ("31 attacks", "two blasts"), if any."""
    for kid in doc.kids(token, "nummod", "amod"):
        text = kid.text.lower().replace(",", "")
        if text.isdigit():
            return int(text)
        if text in NUMBER_WORDS:
            return NUMBER_WORDS[text]
    return None


def _is_aggregate(doc: EventIndex, token: Token) -> bool:
    """Whether a trigger counts many incidents or casualties over a period."""
    count = _count_of(doc, token)
    plural = token.tag in ("NNS", "NNPS")
    if count is not None and count > MAX_SEPARATE and plural:
        return True
    period = doc.period(token.sentence)
    if plural and (period.aggregate_word or period.spans):
        return True
    if token.pos == "VERB" and any(k.lemma.lower() in doc.lexicon.cue("habitual") for k in doc.kids(token, "advmod")):
        return True
    return period.spans and period.large_number


def _read_period(doc: EventIndex, index: int) -> Period:
    """A sentence's aggregate cues, read once for all its triggers."""
    sentence, lemmas = doc.by_sentence.get(index, []), doc.sentence_lemmas(index)
    spans = _spans_period(sentence, lemmas, doc.lexicon)
    aggregate_word = not doc.lexicon.cue("aggregate").isdisjoint(lemmas)
    return Period(aggregate_word, spans, spans and any(_number(t) > 20 for t in sentence))


def _spans_period(sentence: list[Token], lemmas: list[str], lex: Lexicon) -> bool:
    """Whether a sentence (tokens and their lower-cased lemmas) has a period ("since 2021", "over the past year")."""
    openers, instants = lex.cue("aggregate_span") | {"since"}, lex.cue("instants")
    for i, lemma in enumerate(lemmas):
        if lemma not in openers:
            continue
        window = sentence[i + 1 : i + 5]
        if any(t.ent_type == "DATE" and t.lemma.lower() not in instants for t in window):
            return True
    return False


def _number(token: Token) -> float:
    """The numeric value of a token, or 0."""
    text = token.text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return 0.0


def _separate_count(doc: EventIndex, token: Token) -> int:
    """How many separate incidents a counted trigger names (1 unless "two blasts" and the like)."""
    count = _count_of(doc, token)
    if count is None:
        separate = any(k.lemma.lower() in doc.lexicon.cue("separate") for k in doc.kids(token, "amod"))
        count = 2 if separate and token.tag == "NNS" else 1
    return count if 1 < count <= MAX_SEPARATE else 1


def _is_anaphoric(doc: EventIndex, trigger: Trigger) -> bool:
    """Whether a noun trigger refers back ("the attack", "this blast")."""
    token = trigger.token
    if token.pos != "NOUN" or _count_of(doc, token) is not None:
        return False
    dets = doc.kids(token, "det", "poss")
    return any(d.lemma.lower() in doc.lexicon.cue("anaphora_det") for d in dets)


def _merge_anaphora(doc: EventIndex, drafts: list[Draft]) -> list[Draft]:
    """Merge a back-referring mention ("the blast"), or a detail of the incident just told, into that event."""
    kept: list[Draft] = []
    for draft in drafts:
        earlier = _antecedent(kept, draft) if draft.anaphoric else None
        if earlier is None and kept and _continues(doc, kept[-1], draft):
            earlier = kept[-1]
        if earlier is not None:
            _absorb(earlier, draft)
        elif not (_political(draft) and draft.anaphoric) or draft.actor1 or draft.actor2:
            kept.append(draft)
    return kept


def _merge_repeats(doc: EventIndex, drafts: list[Draft]) -> list[Draft]:
    """Merge repeated mentions of a once-only act ("seized power") by one actor at compatible places.

    The mention whose sentence is dated leads, so the merged event keeps the date the text gives.
    """
    codes = doc.lexicon.cue("repeated_codes")  # cues are lower-cased
    groups: dict[tuple[str, str], list[list[Draft]]] = {}
    for draft in drafts:
        if draft.code.lower() in codes and draft.actor1 and draft.status == "occurred":
            chains = groups.setdefault((draft.code, draft.actor1), [])
            chain = next((c for c in chains if _same_site(doc, c[0], draft)), None)
            if chain is None:
                chains.append([draft])
            else:
                chain.append(draft)
    dropped: set[int] = set()
    for chains in groups.values():
        for chain in (c for c in chains if len(c) > 1):
            lead = next((d for d in chain if _dated(doc, d.sentence)), chain[0])
            for other in chain:
                if other is not lead:
                    _absorb(lead, other)
                    dropped.add(id(other))
    return [d for d in drafts if id(d) not in dropped]


def _place_national_acts(doc: EventIndex, drafts: list[Draft], registry: Registry, gazetteer: places.Gazetteer) -> None:
    """Place a seizure of power at the capital of the actor's country (as coups are coded), unless it names a place.

    Otherwise such a clause takes whatever place its sentence mentions ("after the US withdrawal").
    """
    national = doc.lexicon.cue("national_groups")
    for draft in drafts:
        if draft.trigger.group.name in national and not _object_site(doc, draft):
            country = registry.country_of(draft.actor1) if draft.actor1 else ""
            draft.seat = places.capital_mention(doc.analysis, country, gazetteer) if country else None


def _same_site(doc: EventIndex, first: Draft, second: Draft) -> bool:
    """Whether two drafts can be one act: they do not name different sub-national places as their object."""
    sites = [site for d in (first, second) if (site := _object_site(doc, d))]
    return len(sites) < 2 or sites[0] == sites[1]


def _object_site(doc: EventIndex, draft: Draft) -> str:
    """The sub-national place a draft's trigger acts on ("took over Kunduz", "the capture of Kabul"), if any."""
    end = draft.trigger.end
    for mention in doc.analysis.places:
        spot = mention.place
        if spot is not None and spot.feature != "country" and 0 <= mention.evidence.start - end <= _OBJECT_REACH:
            return spot.place_id
    return ""


_OBJECT_REACH = 24  # characters from a trigger's end to the place it governs: "over", "of the city of"


def _political(draft: Draft) -> bool:
    """Whether a draft was found by a political trigger."""
    return draft.trigger.group.family == "political"


def _merge_title(doc: EventIndex, drafts: list[Draft]) -> list[Draft]:
    """Fold a title line's incident into the body's first incident, which tells it with date and detail.

    "Second attack on worshippers leaves 47 dead in Kandahar" over "Suicide bombers attacked a mosque
    in Kandahar ..." is one event; a title whose place lies in another province is kept apart.
    """
    violent = [d for d in drafts if doc.lexicon.codes[d.code].family == "violence" and d.status == "occurred"]
    if len(violent) < 2 or violent[0] is not drafts[0] or not _title_line(doc, drafts[0].sentence):
        return drafts
    title, body = violent[0], next((d for d in violent[1:] if not _title_line(doc, d.sentence)), None)
    if body is None or body.sentence.index - title.sentence.index > COREF_WINDOW or not _same_area(doc, title, body):
        return drafts
    _absorb(body, title)
    return drafts[1:]


def _title_line(doc: EventIndex, sentence: Sentence) -> bool:
    """Whether a sentence is a title line near the top of a document: a whole line without closing punctuation."""
    text = sentence.text.strip()
    if sentence.index > 2 or not text or text[-1] in HEADLINE_ENDINGS:
        return False
    after = doc.analysis.document.text[sentence.start + len(sentence.text.rstrip()) :]
    return after.lstrip(" \t")[:1] in ("", "\n", "\r", "\u2028", "\u2029")


def _same_area(doc: EventIndex, one: Draft, other: Draft) -> bool:
    """Whether two drafts' places agree on province (or either has none)."""
    spots = [places.place_for(doc.analysis, d.trigger.token.start, d.trigger.end) for d in (one, other)]
    found = [s.place for s in spots if s is not None and s.place is not None]
    if len(found) < 2:
        return True
    first, second = found
    return first.country == second.country and (not first.admin1 or not second.admin1 or first.admin1 == second.admin1)


def _continues(doc: EventIndex, earlier: Draft, draft: Draft) -> bool:
    """Whether a violent mention only adds detail to the incident told just before it.

    "Witnesses said guards were shot before one explosion went off at the gate": no date, no place
    and no attacker of its own, close after an incident, is that incident, not a new one.
    """
    codes = doc.lexicon.codes
    if codes[earlier.code].family != "violence" or codes[draft.code].family not in ("violence", "other"):
        return False
    if earlier.status != "occurred" or draft.status != "occurred" or doc.is_dated(draft.sentence.index):
        return False
    if draft.claimed_by or draft.attributed_by or draft.denied_by:
        return False  # a statement about responsibility is merged only when it refers back itself
    if not 0 < draft.sentence.index - max(s.index for s in earlier.sentences) <= COREF_WINDOW:
        return False
    if _separate_count(doc, draft.trigger.token) > 1 or _another(doc, draft.trigger.token):
        return False
    if names_attacker(doc, draft.trigger.token) and draft.actor1 != earlier.actor1:
        return False
    return all(p.place is None for p in _local_places(doc, draft.sentence.index))


def _another(doc: EventIndex, token: Token) -> bool:
    """Whether a trigger is marked as a further incident ("another blast", "a second attack")."""
    return any(k.lemma.lower() in doc.lexicon.cue("separate") for k in doc.kids(token, "amod", "det"))


def _antecedent(kept: list[Draft], draft: Draft) -> Draft | None:
    """The latest earlier violent event within the coreference window; for a political mention, of its type.

    A definite political noun ("the summit") keeps referring to the same meeting or deal across
    a whole article, so political mentions look back over the document.
    """
    codes = load_lexicon().codes
    if _political(draft):
        index = draft.sentence.index
        same = [d for d in kept if _political(d) and d.plover == draft.plover and d.sentence.index < index]
        return same[-1] if same else None
    for earlier in reversed(kept):
        # the window runs from the incident's latest mention: a chain of references carries it forward
        latest = max(s.index for s in earlier.sentences)
        close = draft.sentence.index > earlier.sentence.index and draft.sentence.index - latest <= COREF_WINDOW
        # the anaphor's own coding does not matter ("the blast" may read as an accident): it names the incident
        if close and codes[earlier.code].family == "violence" and codes[draft.code].family in ("violence", "other"):
            return earlier
    return None


def _absorb(target: Draft, other: Draft) -> None:
    """Fill a draft's empty fields from a coreferent mention and keep its evidence."""
    for name in ("actor1", "actor2", "claimed_by", "claim_channel", "attributed_by", "denied_by"):
        if other.status == "negated" and name in ("actor1", "actor2"):
            continue  # "no civilians were harmed" names no victim of the incident
        if not getattr(target, name) and getattr(other, name):
            setattr(target, name, getattr(other, name))
    if (other.claimed_by or other.attributed_by) and other.actor1:
        target.actor1 = other.actor1
    negated = other.status == "negated"
    target.fields += tuple(f for f in other.fields if not (negated and f.field in ("actor1", "actor2")))
    target.sentences += other.sentences
    target.mentions += (other.trigger, *other.mentions)
    target.confidence = max(target.confidence, other.confidence)


def _freeze(doc: EventIndex, draft: Draft, number: int) -> Event:
    """Turn a draft into an Event with place, time, tolls and evidence."""
    analysis = doc.analysis
    row = doc.lexicon.codes[draft.code]
    start, end = draft.trigger.token.start, draft.trigger.end
    place = draft.place or draft.seat or _refined_place(doc, draft, places.place_for(analysis, start, end))
    tolls = {kind: _toll_for(doc, draft, kind) for kind in ("killed", "wounded", "captured")}
    fields = [FieldEvidence("type", analysis.evidence(start, end)), *draft.fields]
    fields += [FieldEvidence("place", place.evidence)] if place else []
    fields += [FieldEvidence(_TOLL_FIELD[k], e) for k, t in tolls.items() if t for e in t.evidence]
    return Event(
        event_id=f"{analysis.document.doc_id}:e{number}",
        doc_id=analysis.document.doc_id,
        family="political" if draft.trigger.group.family == "political" else row.family,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        plover_type=_plover(doc, draft, row),
        plover_mode=_mode(doc, draft, row),
        case_label=draft.code,
        actor1=draft.actor1,
        actor2=draft.actor2,
        associated=draft.associated,
        place=place,
        time=_time_for(analysis, draft, place, start, end),
        fatalities=tolls["killed"],
        injuries=tolls["wounded"],
        arrests=_arrests(draft, tolls["captured"]),
        claimed_by=draft.claimed_by,
        claim_channel=draft.claim_channel,
        attributed_by=draft.attributed_by,
        denied_by=draft.denied_by,
        status=draft.status,
        confidence=round(_confidence(draft), 3),
        evidence=tuple(analysis.evidence(s.start, s.end) for s in draft.sentences),
        field_evidence=tuple(fields),
    )


def _refined_place(doc: EventIndex, draft: Draft, place: PlaceMention | None) -> PlaceMention | None:
    """A finer place from a coreferent mention when the first mention gives only a country (or none)."""
    if place is not None and place.place is not None and place.place.feature != "country":
        return place
    country = place.place.country if place is not None and place.place is not None else ""
    for trigger in draft.mentions:
        found = places.place_for(doc.analysis, trigger.token.start, trigger.end)
        spot = found.place if found is not None else None
        if spot is not None and spot.feature != "country" and spot.country in ("", country or spot.country):
            return found
    if _peaceful(draft) and draft.plover != "PROTEST":
        return place  # a takeover or a withdrawal is national; the document's main province is no guess for it
    return places.finer_fallback(doc.analysis, country) or place


_TOLL_FIELD = {"killed": "fatalities", "wounded": "injuries", "captured": "arrests"}


def _toll_for(doc: EventIndex, draft: Draft, kind: str) -> Toll | None:
    """The event's toll: near its trigger, else stated in a relative clause on one of its own triggers."""
    if kind != "captured" and _peaceful(draft):
        return None
    start, end = draft.trigger.token.start, draft.trigger.end
    toll = quantities.toll_near(doc.analysis, start, end, kind)
    if toll is not None or draft.status != "occurred":
        return toll
    own = {t.token.i for t in (draft.trigger, *draft.others)}
    found = [q for q in doc.analysis.quantities if q.kind == kind and q.evidence.sentence == draft.sentence.index
             and _relative_clause_head(doc, q.evidence.start) in own]
    if not found:
        return None
    q = found[0]
    return Toll(_as_int(q.low), _as_int(q.best), _as_int(q.high), (q.evidence,))


def _peaceful(draft: Draft) -> bool:
    """Whether a political draft is a non-violent act (a meeting, a withdrawal), which has no killed or wounded."""
    return _political(draft) and draft.plover not in FORCEFUL_PLOVER and draft.code not in {"ARREST", "DISR_WEAP"}


def _relative_clause_head(doc: EventIndex, offset: int) -> int | None:
    """The token a relative clause containing an offset modifies, if the offset is in one."""
    token = next((t for t in doc.tokens if t.start <= offset < t.end), None)
    for _ in range(8):
        if token is None or token.head == token.i:
            return None
        if token.dep == "relcl":
            return token.head
        token = doc.head(token)
    return None


def _as_int(value: float | None) -> int | None:
    """A count as an integer, keeping unknown as None."""
    return None if value is None else round(value)


def _time_for(analysis: Analysis, draft: Draft, place: PlaceMention | None, start: int, end: int) -> TimeSpan | None:
    """The event's time; in a sentence split by place, a date belongs to the event whose place is nearest it.

    A sentence's only date, written after all its places ("in X and Y provinces Sunday"), dates every place. A
    trigger with no time of its own that comes before every date of the text (a headline) takes the first one.
    """
    span = timex.event_time(analysis, start, end) or timex.first_time_after(analysis, start)
    if draft.place is None or place is None or place.place is None or span is None:
        return span
    index = draft.sentence.index
    own = [m for m in analysis.times if m.evidence.sentence == index and "dateline" not in m.span.flags]
    dated = next((m for m in own if m.span == span), None)
    spots = [p for p in analysis.places if p.evidence.sentence == index and p.place is not None]
    if dated is None or not spots or (len(own) == 1 and dated.evidence.start > max(p.evidence.start for p in spots)):
        return span
    nearest = min(spots, key=lambda p: abs(p.evidence.start - dated.evidence.start))
    if nearest.place is not None and nearest.place.place_id == place.place.place_id:
        return span
    return timex.narrative_time(analysis, draft.sentence.start) or span


def _plover(doc: EventIndex, draft: Draft, row: CodeRow) -> str:
    """The PLOVER type: intents are AGREE; violence on civilians ASSAULT; state forces' firepower FIGHT."""
    if draft.trigger.group.family == "political" or not row.plover:
        return "AGREE" if _is_intent(doc, draft) else draft.plover
    if draft.actor2.startswith("civilians"):
        return "ASSAULT"
    if row.mode in ("small-arms", "aerial", "heavy-weapons", "firearms", "occupy") and _conventional(doc, draft):
        return "FIGHT"
    return row.plover


def _mode(doc: EventIndex, draft: Draft, row: CodeRow) -> str:
    """The PLOVER mode: the promised type for an intent, else the code's default mode."""
    if draft.trigger.group.family == "political" and _is_intent(doc, draft):
        return f"{draft.plover.lower()} (promised)"
    return row.mode if draft.plover == row.plover else ""


def _is_intent(doc: EventIndex, draft: Draft) -> bool:
    """Whether a political trigger is promised or offered rather than done ("will release", "pledged to aid")."""
    if draft.plover.lower() in doc.lexicon.cue("intent_keeps") or not draft.plover:
        return False
    token = draft.trigger.token
    cues = doc.lexicon.cue("intent")
    if any(k.lemma.lower() in cues for k in doc.kids(token, "aux")):
        return True
    return any(head.lemma.lower() in cues for head in _ancestors(doc, token, 2))


def _conventional(doc: EventIndex, draft: Draft) -> bool:
    """Whether the agent of a violent event is a state force (conventional fighting in PLOVER terms)."""
    return doc.actor_types.get(draft.actor1, "") in doc.lexicon.cue("conventional_forces")


def _arrests(draft: Draft, toll: Toll | None) -> Toll | None:
    """Arrest counts tied to the event: arrest-like events, and operations or clashes that also detained people."""
    if draft.plover == "COERCE" or draft.code == "ARREST":
        return toll
    operational = draft.status in {"occurred", "aggregate"} and draft.trigger.group.family != "political"
    return toll if operational else None


def _confidence(draft: Draft) -> float:
    """Classifier probability, lowered for anything but a plainly occurred event."""
    return draft.confidence * (1.0 if draft.status == "occurred" else 0.8)


def main_event(analysis: Analysis) -> Event | None:
    """The main event of a short text: in its first event sentence, the one whose trigger heads the clause."""
    events = [e for e in analysis.events if e.status != "negated"] or list(analysis.events)
    if not events:
        return _fallback_event(analysis)
    body = [e for e in events if not _is_headline(analysis, _sentence_of(e))] or events
    first = min(_sentence_of(e) for e in body)
    lead = [e for e in body if _sentence_of(e) == first]
    text = analysis.document.text
    scored = load_classifier().score_all([text])
    case, plover = scored["case"][0], scored["plover"][0]
    prob = {**dict(zip(case.labels, case.probs, strict=True))}
    pprob = dict(zip(plover.labels, plover.probs, strict=True))
    by_start = {t.start: t for t in analysis.tokens}

    def rank(event: Event) -> tuple[int, float]:
        """Shallower trigger first, then the classifiers' belief in the event's codes."""
        score = prob.get(event.case_label, 0.0) + pprob.get(event.plover_type, 0.0)
        return _depth(analysis, by_start.get(_trigger_start(event))), -score

    return min(lead, key=rank)


def _is_headline(analysis: Analysis, index: int) -> bool:
    """Whether a sentence is a title line: no closing punctuation and mostly capitalised words.

    A headline names the incident but its verb ("Forces Target Leaders") is a poor anchor for
    the date and toll, which the body's lead sentence states.
    """
    if index >= len(analysis.sentences):
        return False
    text = analysis.sentences[index].text.strip()
    if not text or text[-1] in HEADLINE_ENDINGS:
        return False
    words = [w for w in text.split() if w[:1].isalpha()]
    capitalised = [w for w in words if w[0].isupper()]
    return len(words) >= 2 and len(capitalised) >= 0.6 * len(words)


def _sentence_of(event: Event) -> int:
    """The sentence an event is first mentioned in."""
    return event.evidence[0].sentence if event.evidence else 0


def _trigger_start(event: Event) -> int:
    """The start offset of an event's trigger."""
    return next((f.evidence.start for f in event.field_evidence if f.field == "type"), -1)


def _depth(analysis: Analysis, token: Token | None) -> int:
    """How many arcs separate a token from its sentence root (large when unknown)."""
    if token is None:
        return 99
    depth = 0
    while token.head != token.i and depth < 50:
        token = analysis.tokens[token.head]
        depth += 1
    return depth


def _fallback_event(analysis: Analysis) -> Event | None:
    """An event coded from the whole text when no trigger fired (short snippets only)."""
    text = analysis.document.text
    if not text.strip():
        return None
    code = document_label(analysis)
    lexicon = load_lexicon()
    row = lexicon.codes[code]
    plover, _ = load_classifier().scores([text], "plover")[0].best()
    actor1, actor2 = snippet_parties(analysis, lexicon, plover)
    return Event(
        event_id=f"{analysis.document.doc_id}:doc",
        doc_id=analysis.document.doc_id,
        family=row.family,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        plover_type=plover,
        case_label=code,
        actor1=actor1,
        actor2=actor2,
        time=_snippet_time(analysis),
        confidence=0.3,
        evidence=(analysis.evidence(0, len(text)),),
    )


def _snippet_time(analysis: Analysis) -> TimeSpan | None:
    """The time of a snippet coded as a whole: its lead's time, else its first dated expression."""
    span = timex.event_time(analysis, 0, 0)
    if span is None or "from_publication" in span.flags:
        return timex.first_time_after(analysis, 0) or span
    return span


def document_label(analysis: Analysis) -> str:
    """The one CASE-2021 code of a whole snippet."""
    label, _ = load_classifier().scores([analysis.document.text], "case")[0].best()
    return label
