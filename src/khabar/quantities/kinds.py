"""The toll kind of a count: read from the verb or noun that governs it in the dependency parse.

"170 civilians ... were killed", "killing 5", "12 injured", "the arrest of a leader"; perpetrators ("3 blasts
killed 40"), hypotheticals ("could die"), purposes ("an operation to arrest") and counts that only describe a
person ("a father of two was killed") are no toll.
"""

from __future__ import annotations

from dataclasses import replace

from khabar.quantities.counts import is_person, of_act
from khabar.quantities.lexicon import QuantityLexicon
from khabar.quantities.numbers import Number, is_number
from khabar.records import Analysis, Token

_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "obj", "attr", "oprd", "dative"})


def words_after(analysis: Analysis, number: Number, n: int = 1) -> str:
    """The lowercased text of the n tokens after a number."""
    return " ".join(t.text.lower() for t in analysis.tokens[number.last + 1 : number.last + 1 + n])


def toll_kind(analysis: Analysis, number: Number, noun: Token, lex: QuantityLexicon) -> tuple[str, bool]:
    """The toll kind governing a counted noun, and whether it is only a part ("including 3 children")."""
    nxt = words_after(analysis, number)
    if noun.i != number.last and noun.text.lower() in lex.objects:
        return "", False
    if noun.text.lower() in lex.nouns and noun.i != number.last:
        return lex.nouns[noun.text.lower()], False
    if nxt in lex.nouns and not _active_with_object(analysis, number.last + 1):
        return lex.nouns[nxt], False
    phrased = "killed" if _after_toll_word(analysis, number, lex) else _number_of_victims(analysis, number, lex)
    if phrased:
        return phrased, False
    predicate = analysis.tokens[noun.i + 1] if noun.i + 1 < len(analysis.tokens) else None
    if predicate is not None and predicate.head == noun.i and predicate.text.lower() in lex.nouns:
        return lex.nouns[predicate.text.lower()], False
    relative = _relative_kind(analysis, noun, lex)
    if relative:
        return relative, False
    current, part, with_verb = noun, False, False
    for _ in range(8):
        head = analysis.tokens[current.head]
        act = of_act(analysis.tokens, current, lex)
        if act is not None:
            return act, part
        if current.dep == "pobj" and _of_a_person(analysis.tokens, head, lex):
            return "", part  # "a father of two children was killed": the count only describes the person
        if current.head == current.i or (current.dep == "pobj" and head.text.lower() not in lex.through_preps):
            break
        if current.dep in _ARG_DEPS or (with_verb and head.pos == "VERB"):
            return _argument_kind(analysis, number, _reduced_relative(analysis, current, head, lex), lex), part
        if current.dep not in {"conj", "appos", "pobj", "prep", "acl", "npadvmod", "advmod", "quantmod", "nummod"}:
            break
        part = part or (current.dep == "pobj" and head.text.lower() in lex.part_preps)
        with_verb = with_verb or (current.dep == "pobj" and head.text.lower() in lex.company_preps)
        current = head
    return ("" if number.singular else _window_kind(analysis, number, lex)), part


def _relative_kind(analysis: Analysis, noun: Token, lex: QuantityLexicon) -> str:
    """The toll kind of a relative clause whose subject is the counted noun ("the girl who died Sunday").

    The noun may be the object of an unrelated verb ("police named the girl who died"); the clause
    on it tells what happened to it.
    """
    tokens = analysis.tokens
    window = tokens[noun.i + 1 : noun.i + 12]
    for verb in window:
        if verb.head != noun.i or verb.dep != "relcl" or verb.pos not in ("VERB", "AUX"):
            continue
        subject = next((k for k in tokens[noun.i + 1 : verb.i] if k.head == verb.i
                        and k.dep in ("nsubj", "nsubjpass") and k.text.lower() in lex.relative_pronouns), None)
        # "the man who killed two people" is the killer: only a passive or a dying verb tells the noun's fate
        if subject is not None and (subject.dep == "nsubjpass" or verb.lemma.lower() in lex.victim_subject_verbs):
            return _verb_kind(analysis, verb, lex)
    return ""


def _of_a_person(tokens: tuple[Token, ...], of: Token, lex: QuantityLexicon) -> bool:
    """True for an "of" that hangs on a singular person noun ("a father of two", "a leader of 30 fighters")."""
    return of.text.lower() == "of" and 0 <= of.head < len(tokens) and of.head != of.i \
        and is_person(tokens[of.head], lex)


def _active_with_object(analysis: Analysis, i: int) -> bool:
    """True when token i is a verb with a direct object ("officials arrested the man"): its subject is no victim."""
    tokens = analysis.tokens
    if i >= len(tokens) or tokens[i].pos != "VERB":
        return False
    return any(t.head == i and t.dep in {"dobj", "obj"} for t in tokens[i + 1 : i + 12])


def _after_toll_word(analysis: Analysis, number: Number, lex: QuantityLexicon) -> bool:
    """True for a number a few words after 'toll' in its sentence ("the death toll rose to 25")."""
    tokens = analysis.tokens
    before = tokens[max(0, number.first - 8) : number.first]
    return any(t.text.lower() in lex.toll_words and t.sentence == tokens[number.first].sentence for t in before)


def _number_of_victims(analysis: Analysis, number: Number, lex: QuantityLexicon) -> str:
    """The toll kind of "the number of Afghans killed ... has risen to 79": a count of victims that grew to a figure.

    "number of" with a toll word a few words on, and a verb of growth ("rise", "reach", "stand") between
    it and the figure.
    """
    tokens = analysis.tokens
    sentence = tokens[number.first].sentence
    before = [t for t in tokens[max(0, number.first - 25) : number.first] if t.sentence == sentence]
    for i, token in enumerate(before):
        if token.lemma.lower() != "number" or i + 1 >= len(before) or before[i + 1].text.lower() != "of":
            continue
        kind = next((lex.nouns.get(t.text.lower()) or lex.verbs.get(t.lemma.lower(), "")
                     for t in before[i + 2 : i + 9] if t.text.lower() in lex.nouns or t.lemma.lower() in lex.verbs), "")
        # the figure completes the verb of growth: "has risen to at least 79", "stood at 79"
        grows = any(t.lemma.lower() in lex.growth_verbs for t in before[-4:])
        if kind and grows and not any(t.text in ",;" for t in before[-3:]):
            return kind
    return ""


def _reduced_relative(analysis: Analysis, argument: Token, verb: Token, lex: QuantityLexicon) -> tuple[Token, Token]:
    """A counted noun and its verb, repairing a misparsed reduced relative to the object of the main verb.

    In "detained a leader linked to the attack" the parser may make "leader" the subject of a clausal
    complement "linked"; when that clause has no auxiliary and the main verb has no object of its own,
    the noun is the main verb's object.
    """
    if argument.dep != "nsubj" or verb.dep != "ccomp" or verb.tag not in {"VBD", "VBN"}:
        return argument, verb
    tokens = analysis.tokens
    main = tokens[verb.head]
    if main.i > argument.i or main.lemma.lower() not in lex.verbs:
        return argument, verb
    between = tokens[main.i + 1 : verb.i]
    if any(t.head == verb.i and t.dep in {"aux", "auxpass"} for t in between):
        return argument, verb
    if any(t.head == main.i and t.dep in {"dobj", "obj"} for t in tokens[main.i + 1 : main.i + 12]):
        return argument, verb
    return replace(argument, dep="dobj", head=main.i), main


def _argument_kind(analysis: Analysis, number: Number, pair: tuple[Token, Token], lex: QuantityLexicon) -> str:
    """The toll kind of the verb a counted noun is an argument of ("" for perpetrators and hypotheticals)."""
    argument, verb = pair
    if _is_perpetrator(analysis, argument, verb, lex) or _is_hypothetical(analysis, verb, lex):
        return ""
    fallback = _window_kind(analysis, number, lex) if verb.pos != "VERB" and not number.singular else ""
    return _verb_kind(analysis, verb, lex) or _joined_fate(analysis, argument, verb, lex) or fallback


def _joined_fate(analysis: Analysis, argument: Token, verb: Token, lex: QuantityLexicon) -> str:
    """The toll kind of a dying verb joined to the one a subject goes with ("suffered a wound and later died")."""
    if argument.dep not in ("nsubj", "nsubjpass"):
        return ""
    joined = [t for t in analysis.tokens[verb.i + 1 : verb.i + 25] if t.head == verb.i and t.dep == "conj"]
    return next((lex.verbs[t.lemma.lower()] for t in joined
                 if t.lemma.lower() in lex.victim_subject_verbs and t.lemma.lower() in lex.verbs), "")


def _verb_kind(analysis: Analysis, verb: Token, lex: QuantityLexicon) -> str:
    """The toll kind of a verb, or of a predicate it carries ("left 5 dead", "shot dead", "beaten to death")."""
    if _is_purpose(analysis, verb):
        return ""
    near = [t for t in analysis.tokens[max(0, verb.i - 3) : verb.i + 8] if t.head == verb.i and t.i != verb.i]
    fatal = next((lex.nouns[t.text.lower()] for t in near if t.dep == "advmod" and t.text.lower() in lex.nouns), "")
    if fatal:
        return fatal  # "fatally shot", "mortally wounded"
    if verb.lemma.lower() in lex.verbs:
        return lex.verbs[verb.lemma.lower()]
    if verb.text.lower() in lex.nouns:
        return lex.nouns[verb.text.lower()]
    for child in analysis.tokens[max(0, verb.i - 3) : verb.i + 8]:
        if child.head != verb.i:
            continue
        word = child.text.lower()
        if child.dep in {"oprd", "acomp", "ccomp", "xcomp", "advmod"} and word in lex.nouns:
            return lex.nouns[word]
        if child.dep == "prep" and word in lex.result_preps and _object_of(analysis, child) in lex.result_nouns:
            return lex.result_nouns[_object_of(analysis, child)]
    # "was shot and killed": a harming verb that is no toll by itself, with no object of its own ("destroying
    # 4 tanks and killing 8 soldiers" would count tanks), takes the kind of the toll verb joined to it
    if verb.lemma.lower() not in lex.harm_verbs or any(t.dep in {"dobj", "obj"} for t in near):
        return ""
    # the joined verb may come after a long adjunct: "was shot in the face at his home ... and died"
    joined = [t for t in analysis.tokens[verb.i + 1 : verb.i + 25] if t.head == verb.i and t.dep == "conj"]
    return next((lex.verbs[t.lemma.lower()] for t in joined if t.lemma.lower() in lex.verbs), "")


def _object_of(analysis: Analysis, preposition: Token) -> str:
    """The lowercased object of a preposition ("death" in "to death"), else ''."""
    window = analysis.tokens[preposition.i + 1 : preposition.i + 4]
    return next((t.text.lower() for t in window if t.head == preposition.i and t.dep == "pobj"), "")


def _is_perpetrator(analysis: Analysis, argument: Token, verb: Token, lex: QuantityLexicon) -> bool:
    """True for the subject of a toll verb that has its own object ("3 blasts killed 40 people").

    Without an object the subject is read as the victim of an elliptical passive ("several others detained").
    """
    lemma = verb.lemma.lower()
    if argument.dep != "nsubj" or lemma in lex.victim_subject_verbs or (lemma not in lex.verbs
                                                                        and lemma not in lex.harm_verbs):
        return False
    after = analysis.tokens[verb.i + 1 : verb.i + 12]
    # "he shot and killed his girlfriend": the object of the joined toll verb makes the subject the shooter
    acting = {verb.i, *(t.i for t in after if t.head == verb.i and t.dep == "conj")}
    return any(t.head in acting and t.dep in {"dobj", "obj"} for t in after)


def _is_hypothetical(analysis: Analysis, verb: Token, lex: QuantityLexicon) -> bool:
    """True when a modal governs the verb ("could die"), so the count is not a toll that happened."""
    before = analysis.tokens[max(0, verb.i - 3) : verb.i]
    return any(t.head == verb.i and t.dep == "aux" and t.text.lower() in lex.modals for t in before)


def _is_purpose(analysis: Analysis, verb: Token) -> bool:
    """True for an infinitive of purpose ("an operation to arrest a leader"): not a toll that happened."""
    before = analysis.tokens[max(0, verb.i - 2) : verb.i]
    return verb.tag == "VB" and any(t.head == verb.i and t.tag == "TO" for t in before)


def _window_kind(analysis: Analysis, number: Number, lex: QuantityLexicon) -> str:
    """The kind of a toll verb right after a number in the same clause ("5 ... were killed")."""
    tokens = analysis.tokens
    for token in tokens[number.last + 1 : number.last + 9]:
        if token.sentence != tokens[number.last].sentence or token.text in {",", ";", "("} \
                or is_number(token, lex.words):
            break
        if token.lemma.lower() in lex.verbs:
            return lex.verbs[token.lemma.lower()]
        if token.text.lower() in lex.nouns:
            return lex.nouns[token.text.lower()]
    return ""
