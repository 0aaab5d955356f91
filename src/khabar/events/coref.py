"""Coreference of event mentions: later mentions of one incident merge into the event that first told it.

A definite mention ("the blast") merges into the latest violent event within ``COREF_WINDOW``
sentences of its latest mention, or a political one into the last event of its type; a detail with no
date, place or attacker of its own continues the incident told just before; a title line folds into
the body's lead incident; repeated mentions of a once-only act ("seized power") by one actor are one.
"""

from __future__ import annotations

from khabar.events.arguments import object_site
from khabar.events.drafts import local_places
from khabar.events.patterns import names_attacker
from khabar.events.status import separate_count
from khabar.events.types import COREF_WINDOW, HEADLINE_ENDINGS, DocIndex, Draft, ends_its_line, is_political
from khabar.events.when import event_time
from khabar.records import Sentence, Token

LATER_TELLING_DAYS = 7  # a definite "the attack" told this long after an incident still names it


def merge_anaphora(doc: DocIndex, drafts: list[Draft]) -> list[Draft]:
    """Merge a back-referring mention ("the blast"), or a detail of the incident just told, into that event."""
    kept: list[Draft] = []
    for draft in drafts:
        earlier = _antecedent(doc, kept, draft) if draft.anaphoric else None
        if earlier is None and kept and _continues(doc, kept[-1], draft):
            earlier = kept[-1]
        if earlier is not None and _title_line(doc, earlier.sentence) and not _title_line(doc, draft.sentence):
            # the body leads: a title line names the act, the body tells when, where and who (a terse
            # title's parties may belong to another of its clauses: "toll climbs as US strikes back")
            _absorb(draft, earlier, roles=False)
            kept[kept.index(earlier)] = draft
        elif earlier is not None:
            _absorb(earlier, draft)
        elif not (is_political(draft) and draft.anaphoric) or draft.actor1 or draft.actor2:
            kept.append(draft)
    return kept


def merge_repeats(doc: DocIndex, drafts: list[Draft]) -> list[Draft]:
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
            lead = next((d for d in chain if doc.is_dated(d.sentence.index)), chain[0])
            for other in chain:
                if other is not lead:
                    _absorb(lead, other)
                    dropped.add(id(other))
    return [d for d in drafts if id(d) not in dropped]


def _same_site(doc: DocIndex, first: Draft, second: Draft) -> bool:
    """Whether two drafts can be one act: they do not name different sub-national places as their object."""
    sites = [site for d in (first, second) if (site := object_site(doc, d))]
    return len(sites) < 2 or sites[0] == sites[1]


def merge_title(doc: DocIndex, drafts: list[Draft]) -> list[Draft]:
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


def _title_line(doc: DocIndex, sentence: Sentence) -> bool:
    """Whether a sentence is a title line near the top of a document: a whole line without closing punctuation."""
    text = sentence.text.strip()
    if sentence.index > 2 or not text or text[-1] in HEADLINE_ENDINGS:
        return False
    return ends_its_line(doc.analysis.document.text, sentence)


def _same_area(doc: DocIndex, one: Draft, other: Draft) -> bool:
    """Whether two drafts' places agree on province (or either has none)."""
    spots = [doc.place_at(d.trigger.token.start, d.trigger.end) for d in (one, other)]
    found = [s.place for s in spots if s is not None and s.place is not None]
    if len(found) < 2:
        return True
    first, second = found
    return first.country == second.country and (not first.admin1 or not second.admin1 or first.admin1 == second.admin1)


def _continues(doc: DocIndex, earlier: Draft, draft: Draft) -> bool:
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
    if separate_count(doc, draft.trigger.token) > 1 or _another(doc, draft.trigger.token):
        return False
    if names_attacker(doc, draft.trigger.token) and draft.actor1 != earlier.actor1:
        return False
    return all(p.place is None for p in local_places(doc, draft.sentence.index))


def _another(doc: DocIndex, token: Token) -> bool:
    """Whether a trigger is marked as a further incident ("another blast", "a second attack")."""
    return any(k.lemma.lower() in doc.lexicon.cue("separate") for k in doc.kids(token, "amod", "det"))


def _antecedent(doc: DocIndex, kept: list[Draft], draft: Draft) -> Draft | None:
    """The latest earlier violent event within the coreference window; for a political mention, of its type.

    A definite political noun ("the summit") keeps referring to the same meeting or deal across
    a whole article, so political mentions look back over the document.
    """
    codes = doc.lexicon.codes
    if is_political(draft):
        index = draft.sentence.index
        same = [d for d in kept if is_political(d) and d.plover == draft.plover and d.sentence.index < index]
        return same[-1] if same else None
    if codes[draft.code].family not in ("violence", "other") and draft.trigger.group.family != "violence":
        return None  # a violent word refers back whatever its first coding ("the airport bombing" read as a seizure)
    # a violent word names the incident whatever the classifier first coded it ("bombing" read as an accident)
    violent = [d for d in kept if (codes[d.code].family == "violence" or d.trigger.group.family == "violence")
               and _same_reality(d, draft) and d.sentence.index < draft.sentence.index]
    for earlier in reversed(violent):
        # the window runs from the incident's latest mention: a chain of references carries it forward
        latest = max(s.index for s in earlier.sentences)
        # the anaphor's own coding does not matter ("the blast" may read as an accident), but its word
        # must fit the act: "the blast" is no town's takeover told in between
        close = draft.sentence.index - latest <= COREF_WINDOW
        if close and _fits_word(earlier, draft) and _named_alike(doc, earlier, draft):
            return earlier
    # "within hours of the blast", paragraphs on: a definite word names the article's incident of that kind
    fitting = [d for d in violent if _fits_word(d, draft) and _named_alike(doc, earlier=d, anaphor=draft)]
    if not fitting:
        return None
    # far from any mention, "the blast" names the article's main incident: the one told most, then the latest
    main = max(reversed(fitting), key=lambda d: len(d.sentences))
    return main if _told_later(doc, main, draft) else None


def _same_reality(earlier: Draft, anaphor: Draft) -> bool:
    """Whether an anaphor can name an earlier mention's act: a told act is no plan, threat or count of acts.

    "He was accused of threatening to shoot two women" before "the shooting erupted at a party": the
    shooting that erupted is not the threat; a negated mention names nothing to refer back to.
    """
    if earlier.status == "negated":
        return False
    told = ("occurred", "denied")
    return anaphor.status not in told or earlier.status in told


def _told_later(doc: DocIndex, earlier: Draft, anaphor: Draft) -> bool:
    """Whether an anaphor's time, if its sentence gives one, can be the incident's or a later telling of it.

    "At a briefing on Friday, officials said the attack was the work of one bomber" tells Thursday's
    attack a day on; a time before the incident, or weeks after it, names another one.
    """
    if not any(_in_clause(doc, m.evidence.start, anaphor.trigger.token) for m in doc.analysis.times
               if m.evidence.sentence == anaphor.sentence.index):
        return True  # "the attack left them critical, but on Friday the hospital said...": that day is the hospital's
    told = event_time(doc.analysis, anaphor.trigger.token.start, anaphor.trigger.end)
    then = event_time(doc.analysis, earlier.trigger.token.start, earlier.trigger.end)
    if told is None or then is None:
        return told is None
    return then.start <= told.end and (told.start - then.end).days <= LATER_TELLING_DAYS


def _in_clause(doc: DocIndex, start: int, trigger: Token) -> bool:
    """Whether the word at a character offset belongs to the clause of a trigger (the same nearest verb above both)."""
    word = next((t for t in doc.by_sentence.get(trigger.sentence, []) if t.start <= start < t.end), None)
    return word is None or _clause_verb(doc, word) == _clause_verb(doc, trigger)


def _clause_verb(doc: DocIndex, token: Token) -> int:
    """The index of the nearest verb at or above a token, else of its sentence's root."""
    chain = (token, *doc.ancestors(token, 50))
    return next((t.i for t in chain if t.pos in ("VERB", "AUX")), chain[-1].i)


def _named_alike(doc: DocIndex, earlier: Draft, anaphor: Draft) -> bool:
    """Whether the words an anaphor is qualified by occur where the incident is told ("the airport bombing").

    "The airport bombing" after a drone strike told in Nangarhar names the bombing at the airport, not the
    strike; an anaphor with no such word ("the attack") may name either.
    """
    token = anaphor.trigger.token
    words = {k.lemma.lower() for k in doc.kids(token, "compound", "nmod")
             if k.pos in ("NOUN", "PROPN") and k.ent_type not in ("DATE", "TIME")
             and not doc.lexicon.index.get(k.lemma.lower())}
    if not words:
        return True
    told = {t.lemma.lower() for s in earlier.sentences for t in doc.by_sentence.get(s.index, [])}
    return bool(words & told)


def _fits_word(earlier: Draft, anaphor: Draft) -> bool:
    """Whether an incident's act is one the anaphor's word can name (its trigger group's codes).

    An incident told by a general word ("attacked", "killed") may be any kind of violence, so any
    violent anaphor may name it.
    """
    group, told = anaphor.trigger.group, earlier.trigger.group.name
    return told in (group.name, "attack") or earlier.code in group.cases


def _absorb(target: Draft, other: Draft, roles: bool = True) -> None:
    """Fill a draft's empty fields from a coreferent mention and keep its evidence (its actors only if ``roles``)."""
    for name in ("actor1", "actor2", "claimed_by", "claim_channel", "attributed_by", "denied_by"):
        if (other.status == "negated" or not roles) and name in ("actor1", "actor2"):
            continue  # "no civilians were harmed" names no victim of the incident
        if not getattr(target, name) and getattr(other, name):
            setattr(target, name, getattr(other, name))
    if (other.claimed_by or other.attributed_by) and other.actor1:
        target.actor1 = other.actor1
    negated = other.status == "negated" or not roles
    target.fields += tuple(f for f in other.fields if not (negated and f.field in ("actor1", "actor2")))
    target.sentences += other.sentences
    target.mentions += (other.trigger, *other.mentions)
    target.confidence = max(target.confidence, other.confidence)
