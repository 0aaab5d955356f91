"""An event's status: occurred, aggregate, planned, hypothetical, negated; and counted incidents.

Negation, plans and conditions are read from dependency cues around the noun phrase a trigger
heads; an aggregate counts many incidents over a period ("45 attacks since January"); a counted
trigger ("two blasts") names up to ``MAX_SEPARATE`` separate incidents; a definite noun ("the blast")
refers back to one told before. Denials of responsibility are read with claims (``responsibility``).
"""

from __future__ import annotations

from khabar.events.lexicon import Lexicon
from khabar.events.types import DocIndex, Draft, Period, Trigger
from khabar.records import Token

MODAL_REACH = 6  # words climbed from a trigger to the verb of its clause when looking for a modal
MAX_SEPARATE = 3  # "two blasts", "three attacks" are separate incidents; more are an aggregate


def read_status(doc: DocIndex, token_trigger: Trigger) -> str:
    """occurred, negated, planned, hypothetical or aggregate, from dependency cues.

    Negation, plans and conditions govern the noun phrase a trigger word modifies ("planning a rocket
    attack"); counting is read on the trigger itself.
    """
    lex, token = doc.lexicon, token_trigger.token
    base = modified_noun(doc, token)
    chain = [base, *doc.ancestors(base, 2)]
    near = [k for t in chain[:2] for k in doc.kids(t)]
    if any(k.dep == "neg" or (k.dep == "det" and k.lemma.lower() == "no") for k in near):
        return "negated"
    if base.pos in ("VERB", "AUX") and negated_clause(doc, base):
        return "negated"  # "no women or children were injured or detained"
    planned, hypothetical, modal = lex.cue("planned"), lex.cue("hypothetical"), lex.cue("hypothetical_mod")
    if any(t.lemma.lower() in planned for t in _governors(doc, base, chain)) or _unrealised_infinitive(doc, token):
        return "planned"
    if any(k.dep in ("aux", "mark") and k.lemma.lower() in hypothetical for k in near):
        return "hypothetical"
    if any(t.lemma.lower() in modal for t in chain[1:] + near) or _modal_clause(doc, base, hypothetical):
        return "hypothetical"
    if _is_aggregate(doc, token):
        return "aggregate"
    return "occurred"


def _modal_clause(doc: DocIndex, base: Token, modals: frozenset[str]) -> bool:
    """Whether the clause a trigger lies in is under a modal ("would help them cooperate", "should send marchers").

    The walk climbs from the trigger to the verb of its clause, and on through a clause that completes a verb
    ("help the Saudis modernize"), but not past a verb of reporting ("officials said gunmen killed two"): a
    modal there belongs to the telling.
    """
    token, reporting = base, doc.lexicon.cue("report_verbs")
    for _ in range(MODAL_REACH):
        if any(k.dep == "aux" and k.lemma.lower() in modals for k in doc.kids(token)):
            return True
        head = doc.head(token)
        if head.i == token.i:
            return False
        own_clause = token.pos in ("VERB", "AUX") and bool(doc.kids(token, "nsubj", "nsubjpass", "expl"))
        if own_clause and (token.dep not in ("ccomp", "xcomp") or head.lemma.lower() in reporting):
            return False
        token = head
    return False


def _governors(doc: DocIndex, base: Token, chain: list[Token]) -> list[Token]:
    """The words above a trigger that can make it a plan; a past-tense verb joined to an infinitive has none.

    In "was trying to take a selfie and accidentally shot himself" the shooting is told as done:
    "shot" is coordinated with "take", and the attempt governs only the infinitive.
    """
    if base.dep == "conj" and base.tag == "VBD" and doc.head(base).tag == "VB":
        return []
    if legal_cause(doc, base):
        return []  # "may stand trial for the killing": the trial is to come, the killing is done
    return chain[1:]


def legal_cause(doc: DocIndex, noun: Token) -> bool:
    """Whether a noun is what a legal proceeding is about ("tried for the shooting", "charged over the attack")."""
    prep = doc.head(noun)
    if noun.dep != "pobj" or prep.dep != "prep":
        return False
    return doc.head(prep).lemma.lower() in doc.lexicon.cue("legal_proceedings")


def reported_wrong(doc: DocIndex, noun: Token) -> bool:
    """Whether a noun is what reports told that are now called wrong ("reports of a second blast were false")."""
    of = doc.head(noun)
    report = doc.head(of)
    if noun.dep != "pobj" or of.lemma.lower() != "of" or report.lemma.lower() not in doc.lexicon.cue("report_nouns"):
        return False
    if report.dep not in ("nsubj", "nsubjpass"):
        return False
    verdict = doc.head(report)
    wrong = doc.lexicon.cue("wrong_words")
    return verdict.lemma.lower() in wrong or any(k.lemma.lower() in wrong for k in doc.kids(verdict, "acomp", "attr"))


def negated_clause(doc: DocIndex, verb: Token) -> bool:
    """Whether a verb is negated outright or through its subject or object ("no civilians were harmed")."""
    for kid in doc.kids(verb):
        if kid.dep == "neg":
            return True
        if kid.dep in ("nsubj", "nsubjpass", "dobj") and any(d.lemma.lower() == "no" for d in doc.kids(kid, "det")):
            return True
    # "had not injured anyone or damaged property": the negation spans the coordinated verbs
    return verb.dep == "conj" and doc.head(verb).pos in ("VERB", "AUX") and negated_clause(doc, doc.head(verb))


def modified_noun(doc: DocIndex, token: Token) -> Token:
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


def _unrealised_infinitive(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger is a to-infinitive whose governor does not assert it ("announced to fight").

    Implicative governors ("managed to", "began to") assert the act, and so does a perfect infinitive
    ("is believed to have fired"); intents ("pledged to") are coded as promises elsewhere.
    """
    if not infinitive(doc, token):
        return False
    if any(k.lemma.lower() == "have" for k in doc.kids(token, "aux")):
        return False  # a perfect infinitive tells a past act: "she appeared to have been shot first"
    head = doc.head(token)
    governor = head.lemma.lower()
    if token.dep not in ("xcomp", "ccomp") and governor not in doc.lexicon.cue("purpose_heads"):
        return False  # "conducted an operation to capture X" names the operation's aim and, in reports, its outcome
    return governor not in doc.lexicon.cue("implicative") | doc.lexicon.cue("intent")


def infinitive(doc: DocIndex, verb: Token) -> bool:
    """Whether a verb is a to-infinitive."""
    return any(t.tag == "TO" for t in doc.kids(verb, "aux"))


def is_intent(doc: DocIndex, draft: Draft) -> bool:
    """Whether a political trigger is promised or offered rather than done ("will release", "pledged to aid")."""
    if draft.plover.lower() in doc.lexicon.cue("intent_keeps") or not draft.plover:
        return False
    token = draft.trigger.token
    cues = doc.lexicon.cue("intent")
    # "will close the consulate and expel diplomats": a joined verb shares its first verb's auxiliary
    verbs = (token, doc.head(token)) if token.dep == "conj" else (token,)
    if any(k.lemma.lower() in cues for verb in verbs for k in doc.kids(verb, "aux")):
        return True
    return any(head.lemma.lower() in cues for head in doc.ancestors(token, 2))


def _count_of(doc: DocIndex, token: Token) -> int | None:
    """The number counting a noun ("31 attacks", "two blasts"), if any."""
    for kid in doc.kids(token, "nummod", "amod"):
        text = kid.text.lower().replace(",", "")
        if text.isdigit():
            return int(text)
        if text in doc.lexicon.number_words:
            return doc.lexicon.number_words[text]
    return None


def _is_aggregate(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger counts many incidents or casualties over a period."""
    count = _count_of(doc, token)
    plural = token.tag in ("NNS", "NNPS")
    if count is not None and count > MAX_SEPARATE and plural:
        return True
    period = _period(doc, token.sentence)
    if plural and (period.aggregate_word or period.spans):
        return True
    if token.pos == "VERB" and any(k.lemma.lower() in doc.lexicon.cue("habitual") for k in doc.kids(token, "advmod")):
        return True
    return period.spans and period.large_number


def _period(doc: DocIndex, index: int) -> Period:
    """A sentence's aggregate cues, read once per document index."""
    period = doc.periods.get(index)
    if period is None:
        period = doc.periods[index] = _read_period(doc, index)
    return period


def _read_period(doc: DocIndex, index: int) -> Period:
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


def separate_count(doc: DocIndex, token: Token) -> int:
    """How many separate incidents a counted trigger names (1 unless "two blasts" and the like).

    Only an event noun counts incidents: "three mortar rounds" are weapons, not three events.
    """
    if token.pos == "NOUN" and token.lemma.lower() not in doc.lexicon.cue("event_nouns"):
        return 1
    count = _count_of(doc, token)
    if count is None:
        separate = any(k.lemma.lower() in doc.lexicon.cue("separate") for k in doc.kids(token, "amod"))
        count = 2 if separate and token.tag == "NNS" else 1
    return count if 1 < count <= MAX_SEPARATE else 1


def is_anaphoric(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether a noun trigger refers back ("the attack", "this blast")."""
    token = trigger.token
    if token.pos != "NOUN" or _count_of(doc, token) is not None:
        return False
    dets = doc.kids(token, "det", "poss")
    # "Sunday's shooting", "last week's attack": a dated possessive names an incident already told
    return any(d.lemma.lower() in doc.lexicon.cue("anaphora_det") or (d.dep == "poss" and d.ent_type == "DATE")
               for d in dets)
