"""Claims, attributions and denials of responsibility, attached to the violent event they refer to.

A claim ("ISKP claimed responsibility ... on its Telegram channel") makes the claimant actor1 and
records the channel; a third party's attribution ("X said the bombing was carried out by Y", "X
blamed Y") makes the named perpetrator actor1; a denial is recorded as such. The event is the
nearest violent one in the claim's sentence, else the latest within ``COREF_WINDOW`` before it.
"""

from __future__ import annotations

from dataclasses import replace

from khabar.events.patterns import agents, resolve
from khabar.events.types import COREF_WINDOW, DocIndex, Draft
from khabar.records import Evidence, FieldEvidence, Token


def apply_claims(doc: DocIndex, drafts: list[Draft]) -> None:
    """Attach claims, attributions and denials of responsibility to the events they concern."""
    lex = doc.lexicon
    verbs = lex.cue("claim") | lex.cue("attribute") | lex.cue("deny") | lex.cue("blame")
    for sentence in doc.analysis.sentences:
        for token in doc.by_sentence.get(sentence.index, []):
            if token.pos in ("VERB", "NOUN") and token.lemma.lower() in verbs:
                target = _event_for(doc, drafts, token)
                if target:
                    _apply_claim(doc, token, target)


def _event_for(doc: DocIndex, drafts: list[Draft], verb: Token) -> Draft | None:
    """The violent event a claim verb refers to: the nearest in its sentence, else the latest before."""
    codes = doc.lexicon.codes
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
    subjects = doc.kids(verb, "nsubj")
    # "The group, Islamic State Khorasan Province, claimed ...": the name in apposition says which group
    named = [a for s in subjects if s.pos == "NOUN" for a in doc.kids(s, "appos") if a.pos == "PROPN"]
    speaker = resolve(doc, named) or resolve(doc, subjects) or resolve(doc, agents(doc, verb))
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
