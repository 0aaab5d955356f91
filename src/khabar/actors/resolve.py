"""The actors stage: resolve a document's actor mentions against the registry.

Resolution cascade, per document:
  1. in-document acronym definitions ("Long Name (LN)");
  2. exact alias scan over tokens (an index keyed by normalised text, gated by first token);
  3. descriptive phrases from the lexicon ("Afghan security forces", "unidentified gunmen");
  4. NER spans not yet covered: transliteration skeleton, then fuzzy over a small candidate
     set, then surname coreference, then provisional persons (never a pronoun, a name with
     digits, or one ending in or followed by a place word: "Riverland Drive", "Sokoto State");
     then lone surnames the tagger missed;
  5. context: a parent named in a document about a branch's region resolves to the branch;
     places that are no parties are dropped: a dateline's town ("KABUL, Afghanistan (AP) --")
     and a person's home town ("Smith, 29, of Columbia");
  6. titles and appositions give a person's role and affiliation;
  7. coreference of "the group" and subject pronouns.
Steps 1-3 live in ``match.py``, 6-7 in ``coref.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from khabar.actors.coref import apposition, coref_hits, surname_match
from khabar.actors.hits import DocState, Hit, new_doc
from khabar.actors.match import acronym_definitions, extend_descriptions, fuzzy_match, lookup_name, scan_aliases
from khabar.actors.normalise import normalise, slug
from khabar.actors.registry import Registry
from khabar.records import ActorMention, Analysis, Entity, Token
from khabar.stages import Contract

CONTRACT = Contract("actors", requires=frozenset({"tokens", "sentences", "entities", "document.published"}),
                    assigns=frozenset({"actors"}))

ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC"})  # NER labels that may name an actor
# A wire dateline opening a line: "BISHKEK, Sept. 18, 2022 (Outlet) --"; the bracketed outlet reports, it does not act
_DATELINE_OUTLET = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(?:,[^()\n]{1,40})?\s*\(([^()\n]{2,40})\)\s*(?:--|[-\u2013\u2014:])", re.MULTILINE
)
# The town a dateline is filed from, at the start of a line (also one a Unicode line separator opens): "HEMPSTEAD,
# N.Y. (AP) --", "KABUL, Afghanistan (Feb. 17)", "KUNDUZ --". It says where the reporter was, not who took part.
_DATELINE_PLACE = re.compile(
    r"(?:^|(?<=[\u2028\u2029]))[^\S\n]*([A-Z][A-Z.'\- ]{2,40}(?:,[^()\n\u2028\u2029]{1,40}?)?)[^\S\n]*"
    r"(?:\([^()\n]{2,40}\)[^\S\n]*(?:--|[-\u2013\u2014:]|[\u2028\u2029]|$)|--|[\u2013\u2014])",
    re.MULTILINE,
)
# A header line of a date and the outlet: "16 October 2021, Outlet Name", "Monday, June 6, 2022 | Outlet"
_HEADER_OUTLET = re.compile(r"\A\s*[^\n]{0,40}\b(?:19|20)\d\d\s*[,|\u2013\u2014-]\s*([^\n,|]{2,40}?)\s*$", re.MULTILINE)


def resolve_actors(analysis: Analysis, registry: Registry) -> Analysis:
    """Fill ``analysis.actors`` with the actor mentions of the document."""
    if not analysis.tokens:
        return replace(analysis, actors=())
    doc = new_doc(analysis, registry)
    acronym_definitions(doc)
    hits = extend_descriptions(doc, scan_aliases(doc))
    hits += _capital_hits(doc)
    hits += _entity_hits(doc, hits)
    hits += _surname_hits(doc, hits)
    hits = _surnames_over_names(doc, hits)
    hits = [h for h in hits if not _is_currency(doc, h)]  # "US dollar" names no party, nor where the story is
    focus = _focus_country(registry, hits)  # a dateline's country still tells what the document is about
    datelines = _dateline_places(analysis.document.text)
    hits = [h for h in hits if not _in_dateline(doc, h, datelines) and not _home_town(doc, h, hits)]
    hits += _bare_noun_hits(doc, focus, hits)
    hits = [_choose(doc, h, focus) for h in sorted(hits, key=lambda h: h.start)]
    hits = _localise_branches(doc, hits, focus)
    hits = [apposition(doc, h, hits) for h in hits]
    hits = sorted([*hits, *coref_hits(doc, hits)], key=lambda h: h.start)
    names = _person_names(hits)
    return replace(analysis, actors=tuple(_mention(doc, h, names) for h in hits))


def _is_currency(doc: DocState, hit: Hit) -> bool:
    """Whether a country name only qualifies money ("US$50 million", "US dollars"): no actor takes part."""
    tokens = doc.analysis.tokens
    after = tokens[hit.end] if hit.end < len(tokens) else None
    if after is None or after.sentence != tokens[hit.start].sentence:
        return False
    return after.tag == "$" or after.text.lower() in doc.registry.lexicon.currency_words


# --- named entities ------------------------------------------------------------------------


def _entity_hits(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """Resolve NER spans the alias scan missed: skeleton, fuzzy, surname, provisional."""
    out: list[Hit] = []
    outlets = _dateline_outlets(doc.analysis.document.text)
    for entity in doc.analysis.entities:
        if entity.label not in ACTOR_LABELS or not doc.free(entity.token_start, entity.token_end):
            continue
        if any(start <= entity.start and entity.start + len(entity.text.rstrip()) <= end for start, end in outlets):
            continue
        hit = _resolve_entity(doc, entity, [h for h in [*hits, *out] if h.start < entity.token_start])
        if hit is not None:
            out.append(doc.take(hit))
    return out


def _surname_hits(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """A lone capitalised surname the tagger left unlabelled ("Doe, 30, shot the clerk"): the person named before.

    The tagger may take a surname for a common noun ("Morrow"); the exact match with a name just read decides.
    """
    out: list[Hit] = []
    people, surnames = _people_and_surnames(doc, hits)
    for token in doc.analysis.tokens:
        named = token.pos in ("PROPN", "NOUN") and token.text[:1].isupper()
        if doc.norms[token.i] not in surnames or not named or not doc.free(token.i, token.i + 1):
            continue
        if _after_place_word(doc, token.i):
            continue  # "a vigil in Washington": the place, whoever shares its name
        earlier = surname_match(doc, doc.norms[token.i], [h for h in people if h.end <= token.i])
        if earlier:
            out.append(doc.take(Hit(token.i, token.i + 1, (earlier,), "coref", 0.7, surface=token.text)))
    return out


def _surnames_over_names(doc: DocState, hits: list[Hit]) -> list[Hit]:
    """A one-word registry name that is the surname of a person named before stands for that person.

    "Barry Washington, 56, was killed ... Washington's death": the man, not the US government. After a
    place word ("in Washington") the name keeps its registry reading.
    """
    people, surnames = _people_and_surnames(doc, hits)
    if not people:
        return hits
    out = []
    for hit in hits:
        word = doc.norms[hit.start]
        earlier = ""
        if hit.kind in ("name", "alias", "metonym") and hit.end - hit.start == 1 and word in surnames \
                and not doc.is_person(hit) and not _after_place_word(doc, hit.start):
            earlier = surname_match(doc, word, [h for h in people if h.end <= hit.start])
        out.append(Hit(hit.start, hit.end, (earlier,), "coref", 0.7, surface=hit.surface) if earlier else hit)
    return out


def _people_and_surnames(doc: DocState, hits: list[Hit]) -> tuple[list[Hit], set[str]]:
    """The person hits in text order and the normalised last words of their names."""
    people = sorted((h for h in hits if doc.is_person(h)), key=lambda h: h.start)
    return people, {normalise(_person_name_of(doc, h)).rpartition(" ")[2] for h in people}


def _after_place_word(doc: DocState, index: int) -> bool:
    """Whether the token before a position is a word that makes the next name a place ("in Washington")."""
    tokens = doc.analysis.tokens
    return index > 0 and tokens[index - 1].text.lower() in doc.registry.lexicon.place_prepositions


def _person_name_of(doc: DocState, hit: Hit) -> str:
    """A person hit's name: the registry's, else as written."""
    actor = doc.registry.get(hit.actor_id)
    return actor.name if actor else hit.surface


def _dateline_outlets(text: str) -> list[tuple[int, int]]:
    """Character spans of the news outlets a dateline brackets or a date header line ends with."""
    header = _HEADER_OUTLET.match(text)
    found = [match.span(1) for match in _DATELINE_OUTLET.finditer(text)]
    return [*found, header.span(1)] if header else found


def _dateline_places(text: str) -> list[tuple[int, int]]:
    """Character spans of the towns datelines are filed from ("HEMPSTEAD, N.Y. (AP) --", "KUNDUZ --")."""
    return [match.span(1) for match in _DATELINE_PLACE.finditer(text)]


def _in_dateline(doc: DocState, hit: Hit, datelines: list[tuple[int, int]]) -> bool:
    """Whether a hit lies in a dateline's place ("KABUL, Afghanistan (date) --"): where the news was filed from."""
    tokens = doc.analysis.tokens
    start, end = tokens[hit.start].start, tokens[hit.end - 1].end
    return any(s <= start and end <= e for s, e in datelines)


def _home_town(doc: DocState, hit: Hit, hits: list[Hit]) -> bool:
    """Whether a country's name is a person's home town: "Smith, 29, of Georgia", "a man from Chad".

    A home town says nothing about who acts, and a US state or town may share a country's name; a title
    makes it the country the person serves ("King Hassan of Morocco"), which stays an actor. (A country
    after a town, "Macon, Georgia", may be either: the events stage asks the places stage.)
    """
    tokens = doc.analysis.tokens
    token = tokens[hit.end - 1]
    preposition = tokens[token.head]
    lexicon = doc.registry.lexicon
    if not hit.actor_id.startswith("state:") or token.dep != "pobj" or preposition.dep != "prep":
        return False
    if doc.norms[preposition.i] not in lexicon.origin_words:
        return False
    owner = tokens[preposition.head]
    person = next((h for h in hits if h.start <= owner.i < h.end and doc.is_person(h)), None)
    if person is not None:
        return person.start == 0 or doc.norms[person.start - 1] not in lexicon.titles
    aged = any(t.head == owner.i and t.dep == "appos" and t.pos == "NUM" for t in tokens[owner.i : preposition.i])
    return aged or lexicon.is_person_noun(owner.lemma)


def _capital_hits(doc: DocState) -> list[Hit]:
    """A capital city acting as the subject of a verb, or owning that subject, stands for its government.

    "Washington pledged", "Ankara's administration refused": the city names the state's authorities.
    """
    out: list[Hit] = []
    tokens = doc.analysis.tokens
    for entity in doc.analysis.entities:
        government = doc.registry.capitals.get(normalise(entity.text))
        if government is None or entity.label != "GPE" or not doc.free(entity.token_start, entity.token_end):
            continue
        root = tokens[entity.token_end - 1]
        if root.dep == "poss":  # "Ankara's district administration denied ...": the possessor's subject acts
            root = tokens[root.head]
        if root.dep in {"nsubj", "nsubjpass"} and tokens[root.head].pos in {"VERB", "AUX"}:
            out.append(doc.take(Hit(entity.token_start, entity.token_end, (government,), "metonym", 0.7,
                                    surface=entity.text)))
    return out


def _trim(doc: DocState, start: int, end: int) -> tuple[int, int, bool]:
    """Drop leading titles/articles and a trailing possessive; say whether a title was dropped."""
    lexicon = doc.registry.lexicon
    titled = False
    while start < end and (doc.norms[start] in lexicon.titles or doc.norms[start] in lexicon.articles
                           or doc.norms[start] == ""):
        titled = titled or doc.norms[start] in lexicon.titles
        start += 1
    while end > start and doc.norms[end - 1] in {"s", ""}:  # "s": a possessive "'s" once normalised
        end -= 1
    return start, end, titled


def _resolve_entity(doc: DocState, entity: Entity, hits: list[Hit]) -> Hit | None:
    """One NER span as a hit, or None."""
    start, end, titled = _trim(doc, entity.token_start, entity.token_end)
    if start >= end or all(t.pos == "PRON" for t in doc.analysis.tokens[start:end]):
        return None  # "He", "They": a pronoun the tagger took for a name is coreference's business
    for first in dict.fromkeys((entity.token_start, start)):
        actor_id = lookup_name(doc.registry, doc.text(first, end))
        if actor_id:
            return Hit(first, end, (actor_id,), "alias", 0.9, surface=doc.text(first, end))
    surface = doc.text(start, end)
    key = normalise(surface)
    fuzzy = fuzzy_match(doc.registry, key)
    if fuzzy:
        return Hit(start, end, (fuzzy,), "fuzzy", 0.8, surface=surface)
    if entity.label != "PERSON" or not _person_name(doc, start, end):
        return None
    earlier = surname_match(doc, key, hits)
    if earlier:
        return Hit(start, end, (earlier,), "coref", 0.8, surface=surface)
    if len(key.split()) >= 2 or titled:
        return Hit(start, end, (f"provisional:{slug(surface)}",), "provisional", 0.6, surface=surface)
    return None


def _person_name(doc: DocState, start: int, end: int) -> bool:
    """Whether a span the tagger calls a person can be one: no digits, no place word at or after its end.

    "Riverland Drive", "Sokoto State", "Sayed Abad district": a street, a state or a district; "Doe, 30": an age.
    """
    tokens = doc.analysis.tokens
    if any(c.isdigit() for t in tokens[start:end] for c in t.text):
        return False
    after = doc.norms[end] if end < len(tokens) and tokens[end].sentence == tokens[start].sentence else ""
    return doc.norms[end - 1] not in doc.registry.place_words and after not in doc.registry.place_words


# --- the document's focus country ----------------------------------------------------------


def _focus_country(registry: Registry, hits: list[Hit]) -> str:
    """The alpha-2 country the document is mostly about, from its country-bound actors."""
    counts: Counter[str] = Counter()
    for hit in hits:
        country = registry.country_of(hit.actor_id)
        if country:
            counts[country] += 1.0 if ":" in hit.actor_id else 0.5  # type: ignore[assignment]
    return counts.most_common(1)[0][0] if counts else ""


def _bare_noun_hits(doc: DocState, focus: str, named: list[Hit]) -> list[Hit]:
    """Bare descriptive nouns ("police", "worshippers") as the focus country's role actors.

    "Tajik officials say their troops ...": a noun a pronoun possesses belongs to the country of the
    clause subject the pronoun stands for.
    """
    if not focus:
        return []
    hits: list[Hit] = []
    nouns, starts = doc.registry.lexicon.bare_nouns, doc.registry.lexicon.bare_noun_starts
    tokens = doc.analysis.tokens
    for i in range(len(tokens)):
        if doc.norms[i] not in starts:
            continue  # a key of one or two tokens is the first token's form or begins with it and a space
        for size in (2, 1):
            end = i + size
            key = " ".join(doc.norms[i:end])
            if end <= len(tokens) and key in nouns and doc.free(i, end) and tokens[end - 1].dep != "compound":
                country = _possessor_country(doc, tokens[end - 1], named) or doc.registry.alpha3.get(focus, "")
                hits.append(doc.take(Hit(i, end, (f"{nouns[key]}:{country}",), "bare", 0.7,
                                         surface=doc.text(i, end))))
                break
    return hits


def _possessor_country(doc: DocState, noun: Token, named: list[Hit]) -> str:
    """The alpha-3 country of the clause subject a possessive pronoun on a noun refers to ("" if none)."""
    tokens = doc.analysis.tokens
    if not any(t.dep == "poss" and t.pos == "PRON" and t.head == noun.i for t in tokens[max(0, noun.i - 3) : noun.i]):
        return ""
    token = noun
    for _ in range(6):
        head = tokens[token.head]
        nearby = tokens[max(0, head.i - 40) : head.i + 40]
        subject = next((t for t in nearby if t.head == head.i and t.dep == "nsubj" and t.i != token.i), None)
        if subject is not None and subject.i != noun.i:  # at the root the noun itself may be the subject
            hit = next((h for h in named if h.start <= subject.i < h.end), None)
            _, _, country = (hit.actor_id if hit else "").rpartition(":")
            return country if len(country) == 3 and country.isupper() else ""
        if head.i == token.i:
            return ""
        token = head
    return ""


def _choose(doc: DocState, hit: Hit, focus: str) -> Hit:
    """Order an ambiguous hit's candidates: the focus country's first, then registry order."""
    if len(hit.candidates) < 2:
        return hit
    ranked = sorted(hit.candidates, key=lambda c: doc.registry.country_of(c) != focus)
    return replace(hit, candidates=tuple(ranked))


def _localise_branches(doc: DocState, hits: list[Hit], focus: str) -> list[Hit]:
    """A parent named in a document about a branch's region means the branch (parent kept)."""
    out: list[Hit] = []
    for hit in hits:
        branch = next((b for b, regions in doc.registry.branches.get(hit.actor_id, []) if focus in regions), "")
        if branch and hit.kind != "acronym" and len(hit.surface.split()) <= 2 and not _near(doc, hit, branch, hits):
            out.append(replace(hit, candidates=(branch,), affiliation=hit.actor_id, confidence=hit.confidence * 0.9))
        else:
            out.append(hit)
    return out


def _near(doc: DocState, hit: Hit, actor_id: str, hits: list[Hit]) -> bool:
    """Whether the same sentence names another actor close by (then both are meant)."""
    sentence = doc.analysis.tokens[hit.start].sentence
    return any(
        h.actor_id == actor_id and doc.analysis.tokens[h.start].sentence == sentence and abs(h.start - hit.start) < 15
        for h in hits
    )


def _person_names(hits: list[Hit]) -> dict[str, str]:
    """The full name of each unregistered person, as first written, for the mentions that refer back to them."""
    names: dict[str, str] = {}
    for hit in hits:
        if hit.kind == "provisional":
            names.setdefault(hit.actor_id, hit.surface)
    return names


def _mention(doc: DocState, hit: Hit, names: dict[str, str]) -> ActorMention:
    """A hit as an ActorMention record; a pronoun or surname standing for an unregistered person takes their name."""
    tokens = doc.analysis.tokens
    actor = doc.registry.get(hit.actor_id)
    return ActorMention(
        evidence=doc.analysis.evidence(tokens[hit.start].start, tokens[hit.end - 1].end),
        actor_id=hit.actor_id,
        name=actor.name if actor else names.get(hit.actor_id, hit.surface),
        type=doc.registry.phase_at(hit.actor_id, doc.day).type if actor else "person",
        kind=hit.kind,
        role=hit.role,
        affiliation=hit.affiliation,
        confidence=round(hit.confidence, 3),
    )
