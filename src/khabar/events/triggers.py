"""Trigger candidates: which sentences may report an event, which words of them trigger one, and which count.

``is_event_candidate`` is a fast, high-recall look at a sentence's words (no parse); ``find_triggers``
matches the lexicon's trigger phrases on token lemmas and words; the filters below drop matches that
are no act of their own (a role noun, a name, the carrier of another trigger's purpose, a generic clause).
"""

from __future__ import annotations

from khabar.events.lexicon import Lexicon, Phrase, TriggerGroup, word_and_stem
from khabar.events.status import infinitive, is_anaphoric
from khabar.events.types import DocIndex, Trigger
from khabar.records import Sentence, Token

NAME_ENTITIES = frozenset({"ORG", "FAC", "LAW", "WORK_OF_ART", "PRODUCT"})  # spaCy labels of names, not acts
PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})  # spaCy labels of what ground can be named by
SPLIT_REACH = 8  # the most tokens an object may take between a phrase's verb and its rest ("to death")


def is_event_candidate(sentence_text: str, lexicon: Lexicon) -> bool:
    """A fast, high-recall check that a sentence may report an event (no parsing needed)."""
    stems = lexicon.prefilter
    return any(_may_trigger(raw, stems) for raw in sentence_text.lower().split())


def _may_trigger(raw: str, stems: frozenset[str]) -> bool:
    """Whether a lower-case whitespace token may be a trigger word."""
    word, stem = word_and_stem(raw)
    return stem in stems or word in stems or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in stems)


def find_triggers(doc: DocIndex, sentence: int) -> list[Trigger]:
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
            if hit and _object_fits(doc, hit):
                found.append(hit)
    return sorted(_drop_covered(found), key=lambda t: (t.token.i, t.group.name))


def _object_fits(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether what a trigger acts on, when its clause names it, is one of its group's objects.

    "captured the district centre" takes ground; "captured a facilitator and two insurgents" in
    the same district takes people, which is an arrest, not territory.
    """
    group = trigger.group
    if not group.objects or group.family != "violence":
        return True  # "provide Dushanbe with a grant": a political verb's object may be its recipient
    taken = doc.kids(trigger.token, "dobj", "nsubjpass")
    if not taken:
        return True  # "the town fell to", "overran": the sentence-wide check above decides
    named = [*taken, *(k for t in taken for k in doc.kids(t, "compound", "amod"))]  # "the district centre"
    return any(t.lemma.lower() in group.objects or t.text.lower() in group.objects
               or t.ent_type in PLACE_ENTITIES for t in named)


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
        return _split_hit(group, phrase, tokens, i, lemmas, words)
    token = _phrase_head(tokens[i : i + size])
    if (group.pos and token.pos not in group.pos) or (phrase.pos and token.pos != phrase.pos):
        return None
    return Trigger(group, token, tokens[i + size - 1].end)


def _split_hit(
    group: TriggerGroup, phrase: Phrase, tokens: list[Token], i: int, lemmas: list[str], words: list[str]
) -> Trigger | None:
    """A verb phrase split by its object ("beat a suspected thief to death"): the verb, then the rest on it.

    The rest must follow within ``SPLIT_REACH`` tokens and hang on the verb in the parse, so "beat"
    in one clause and "to death" in another do not meet.
    """
    verb, rest = phrase.words[0], phrase.words[1:]
    token = tokens[i]
    if not rest or token.pos != "VERB" or (lemmas[i] != verb and words[i] != verb):
        return None
    if (group.pos and token.pos not in group.pos) or (phrase.pos and token.pos != phrase.pos):
        return None
    for j in range(i + 2, min(i + 2 + SPLIT_REACH, len(tokens) - len(rest) + 1)):
        part = slice(j, j + len(rest))
        if (tuple(lemmas[part]) == rest or tuple(words[part]) == rest) and tokens[j].head == token.i:
            return Trigger(group, token, tokens[j + len(rest) - 1].end)
    return None


def _phrase_head(span: list[Token]) -> Token:
    """The token of a matched phrase whose head lies outside it ("bomber" of "suicide bomber")."""
    inside = {t.i for t in span}
    return next((t for t in span if t.head not in inside or t.head == t.i), span[0])


def names_a_role(doc: DocIndex, trigger: Trigger) -> bool:
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


def peaceful_sense(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether a violent word is used in a peaceful sense ("a photo shooting", "a shooting range")."""
    token = trigger.token
    if trigger.group.family != "violence":
        return False  # the parser may tag "shooting" in "a photo shooting" a verb: the modifier decides
    senses = doc.lexicon.cue("peaceful_senses")
    if any(k.lemma.lower() in senses for k in doc.kids(token, "compound", "amod")):
        return True
    # "a two-handed shooting stance", "a shooting range": the word only qualifies a thing or a pastime
    return token.dep in ("compound", "amod") and doc.head(token).lemma.lower() in doc.lexicon.cue("peaceful_heads")


def struggle_sense(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether a fighting word names a struggle, not combat ("fighting for his life", "fighting hard")."""
    token = trigger.token
    if token.lemma.lower() not in doc.lexicon.cue("struggle_verbs"):
        return False
    objects = doc.lexicon.cue("struggle_objects")
    kids = doc.kids(token, "advmod", "dobj", "prep", "npadvmod")
    words = [k for k in kids if k.dep != "prep"] + [o for k in kids if k.dep == "prep" for o in doc.kids(k, "pobj")]
    return any(w.lemma.lower() in objects for w in words)


def passive_sense(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether a trigger verb is passive in a sense that names no act ("the point was demonstrated by the vote")."""
    token = trigger.token
    if token.pos != "VERB" or token.lemma.lower() not in doc.lexicon.cue("passive_senses"):
        return False
    return bool(doc.kids(token, "auxpass", "nsubjpass"))


def is_weapon_as_goods(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether a weapon noun names goods or equipment, not an attack ("approved the sale of 200 artillery pieces").

    A word of trade or holding above the noun, within three steps, or as the subject of the verb it
    hangs on ("the package includes 50 missiles"), makes the weapon a thing; so does a modifier
    position on a piece of kit ("missile defence systems", "rocket-firing vehicles"). Act nouns
    ("strike", "attack") are left alone: "delivered a strike" is violence.
    """
    token = trigger.token
    if token.pos not in ("NOUN", "PROPN") or token.lemma.lower() not in doc.lexicon.cue("weapon_nouns"):
        return False
    trade = doc.lexicon.cue("arms_trade")
    above = doc.ancestors(token, 3)
    if any(t.lemma.lower() in trade for t in above) or _modifies_kit(doc, token):
        return True
    verb = next((t for t in above if t.pos in ("VERB", "AUX")), None)
    return verb is not None and any(k.lemma.lower() in trade for k in doc.kids(verb, "nsubj", "nsubjpass"))


def _modifies_kit(doc: DocIndex, token: Token) -> bool:
    """Whether a noun only modifies, through compounds and modifiers, a listed piece of kit."""
    current = token
    for _ in range(3):
        if current.dep not in ("compound", "npadvmod", "amod"):
            return False
        current = doc.head(current)
        if current.pos == "NOUN" and current.lemma.lower() in doc.lexicon.cue("weapon_kit"):
            return True
    return False


def purpose_vehicles(doc: DocIndex, triggers: list[Trigger]) -> set[int]:
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
            if purpose.group.name == carrier.group.name or verb.pos != "VERB" or not infinitive(doc, verb):
                continue
            on_noun = verb.head == token.i and verb.dep == "acl"
            on_verb = verb.dep in ("advcl", "xcomp") and token.dep == "dobj" and verb.head == token.head
            if on_noun or on_verb:
                vehicles.add(token.i)
    return vehicles


def circumstantial(doc: DocIndex, trigger: Trigger, violent: bool) -> bool:
    """Whether a political trigger is no act of its own: a word of a name, or a participle describing a party.

    "International Security Assistance Force" holds no aid; in "forces, supported by aircraft, killed
    five" or "soldiers, trained and supported by advisers, killed five", the support only describes
    the party of the violent event beside it.
    """
    token = trigger.token
    mention = doc.mention_at.get(token.i)
    if token.ent_type in NAME_ENTITIES or (mention is not None and mention.evidence.text.lower() != token.text.lower()):
        return True  # a word of a name ("International Security Assistance Force" holds no aid)
    dep = doc.head(token).dep if token.dep == "conj" else token.dep
    return violent and dep in ("acl", "amod", "compound") and token.tag == "VBN"


def is_generic(doc: DocIndex, sentence: Sentence, trigger: Trigger) -> bool:
    """Whether a trigger sits in a habitual or generic clause (simple present or a bare verb, undated).

    Commentary states tendencies ("the group rejects nationalism", "let them fight terrorism");
    reports date or narrate incidents in past, perfect or progressive forms. A text's first
    sentence is exempt: headlines use the simple present for past events.
    """
    verb = _clause_verb(doc, trigger.token)
    if trigger.group.family == "political" and verb is not None and any(
            k.lemma.lower() in doc.lexicon.cue("habitual_adverbs") for k in doc.kids(verb, "advmod")):
        return True  # "has long accused him of corruption": a stance held over time, not one act
    if _acts_as_a_kind(doc, trigger.token):
        return True  # "attacking mosques went against the group's policy": a kind of act, not one
    if sentence.index == 0 or doc.is_dated(sentence.index):
        return False
    if trigger.group.family == "political" and is_anaphoric(doc, trigger):
        return False  # "the summit" refers to an event reported elsewhere, whatever its clause's tense
    if verb is None or doc.kids(verb, "aux", "auxpass"):
        return False
    return verb.tag in ("VBZ", "VBP") or (verb.tag == "VB" and verb.dep != "xcomp")


def _acts_as_a_kind(doc: DocIndex, token: Token) -> bool:
    """Whether a gerund subject names a kind of act by its bare plural object ("attacking mosques is wrong")."""
    if token.tag != "VBG" or token.dep not in ("csubj", "nsubj", "csubjpass"):
        return False
    objects = doc.kids(token, "dobj")
    return bool(objects) and all(o.tag == "NNS" and not doc.kids(o, "det", "nummod", "poss") for o in objects)


def _clause_verb(doc: DocIndex, token: Token) -> Token | None:
    """The verb of the clause a token belongs to (itself when it is a verb)."""
    for candidate in (token, *doc.ancestors(token, 4)):
        if candidate.pos in ("VERB", "AUX"):
            return candidate
    return None
