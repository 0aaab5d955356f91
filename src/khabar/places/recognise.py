"""Recognition: find the place phrases of a document and read their feature words and relations.

SpaCy's GPE/LOC/FAC entities are merged with a gazetteer matcher over capitalised token runs, names
before a unit word ("Deh Rahwod district") and border phrases ("the Tajik border"); each phrase then
gets the feature word after it ("Balkh province") and the relative phrase before it ("north of").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from khabar.places.gazetteer import Gazetteer
from khabar.places.lexicon import SEPARATORS, Lexicon, fold, is_major, is_strong, opens_line
from khabar.records import Analysis, Place, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_LABELS = frozenset({"ORG", "PERSON", "NORP"})
MAX_TOKENS = 6


@dataclass(slots=True)
class Span:
    """A candidate place phrase before resolution."""

    start: int
    end: int
    name_end: int
    source: str
    hint: tuple[str, ...] = ()
    relation: str = ""
    border: str = ""
    key: str = ""
    # its container follows in brackets ("Kandi (Kandi, Alibori)"): a note's convention, never a list
    enclosed: bool = False
    # it follows another name as that name's container ("Kandi, Alibori", "Kandi (Kandi)")
    container: bool = False


def token_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[Span]:
    """Capitalised token runs whose text names a place strongly enough to trust without NER."""
    text = analysis.document.text
    tokens = analysis.tokens
    found: list[Span] = []
    resume = 0  # the first token after the last match
    for i, token in enumerate(tokens):
        if i < resume or not token.text[:1].isupper():
            continue
        span = _longest_match(text, tokens, i, gazetteer)
        if span is not None:
            found.append(span)
            resume = next((k for k in range(i, len(tokens)) if tokens[k].start >= span.end), len(tokens))
    return found


def _longest_match(text: str, tokens: Sequence[Token], i: int, gazetteer: Gazetteer) -> Span | None:
    """The longest gazetteer name of up to ``MAX_TOKENS`` tokens starting at token ``i``.

    Runs grow a token at a time and stop once their folded text, ending at a word break, begins no
    indexed name: every longer run would fold to that text plus more words.
    """
    if not tokens[i].text[:1].isupper():
        return None
    first = tokens[i]
    index, not_places = gazetteer.index, gazetteer.lexicon.not_places
    best = None
    for j in range(i + 1, min(len(tokens), i + MAX_TOKENS) + 1):
        last = tokens[j - 1]
        if last.sentence != first.sentence:
            break  # sentences only grow along the tokens
        if not last.text[:1].isalnum():
            continue
        key = fold(text[first.start : last.end])
        if key in index and key not in not_places:
            best = last.end
        at_break = last.end == len(text) or SEPARATORS.match(text, last.end) is not None
        if at_break and not gazetteer.starts_name(key):
            break
    return Span(first.start, best, best, "gazetteer") if best is not None else None


def _entity_spans(analysis: Analysis) -> list[Span]:
    """SpaCy place entities, without a leading "the" or a trailing possessive, split at commas and brackets.

    NER may run a name on over its container ("Savalou, Collines", "Kandi (Kandi, Alibori"): each
    part is read as a name of its own, and the container pattern between them is read again.
    """
    spans = []
    for entity in analysis.entities:
        if entity.label not in PLACE_LABELS:
            continue
        surface = entity.text.rstrip()  # NER may take a title line's trailing line breaks
        for part in _PARTS.finditer(surface):
            start, end = entity.start + part.start(), entity.start + part.end()
            piece = part.group()
            if piece.lower().startswith("the "):
                start += 4
            if piece.endswith(("'s", "’s")):
                end -= 2
            first = analysis.document.text[start : start + 1]
            if end > start and first.isalnum() and not first.islower():
                spans.append(Span(start, end, end, "ner"))
    return spans


# the parts of an entity between commas and brackets, without the spaces around them
_PARTS = re.compile(r"[^\s,()][^,()]*(?<=[^\s,()])")


def _merge(ner: list[Span], matched: list[Span], text: str, lexicon: Lexicon) -> list[Span]:
    """NER spans plus gazetteer spans that NER missed or cut short.

    A match swallows the NER spans inside it, and one that runs on past it only by a feature word
    ("Qala" + "Naw city" for "Qala i Naw city"; the feature word is read again after the match) or
    by a unit word and the next name ("Khumri district Baghlan province": the next name is matched
    on its own).
    """
    kept = list(ner)
    for span in matched:
        overlapping = [s for s in kept if s.start < span.end and span.start < s.end]
        if all(span.start <= s.start and (s.end <= span.end or _runs_on(text[span.end : s.end], lexicon))
               for s in overlapping):
            kept = [s for s in kept if s not in overlapping] + [span]
    return sorted(kept, key=lambda s: s.start)


def _runs_on(tail: str, lexicon: Lexicon) -> bool:
    """Whether the text an NER span adds after a match is a feature word, or a unit word and another name."""
    if _feature_tail(tail, lexicon):
        return True
    words = tail.split()
    unit = lexicon.feature_words.get(fold(words[0]), ()) if words and tail[:1].isspace() else ()
    return bool({"admin1", "admin2"} & set(unit)) and len(words) > 1 and words[1][:1].isupper()


def _feature_tail(tail: str, lexicon: Lexicon) -> bool:
    """Whether the text after a name is a single feature word (" city", " district")."""
    return tail[:1].isspace() and fold(tail) in lexicon.feature_words


def extend(span: Span, text: str, gazetteer: Gazetteer) -> None:
    """Read a feature word after the name and a relative phrase before it."""
    lexicon = gazetteer.lexicon
    words = fold(text[span.start : span.end]).split()
    if len(words) > 1 and words[-1] in lexicon.feature_words:
        span.hint = lexicon.feature_words[words[-1]]
    after = _AFTER_NAME.match(text[span.end : span.end + 60])
    if after:
        for phrase in (after.group(1), after.group(1).split()[0]):
            if fold(phrase) in lexicon.feature_words:
                span.hint = lexicon.feature_words[fold(phrase)]
                span.end += after.start(1) + len(phrase)
                break
    span.relation = relation_before(fold(text[max(0, span.start - 40) : span.start]), lexicon) or span.relation


_AFTER_NAME = re.compile(r"(?:\s*\([^()]{1,30}\))?\s+([A-Za-z]+(?:\s+[a-z]+)?)")


def relation_before(before: str, lexicon: Lexicon) -> str:
    """The relation of the longest relative phrase ending the folded text before a name ("12 km north of")."""
    before = lexicon.grammar.trailing_article.sub("", " " + before).strip()
    for phrase in lexicon.relation_order:
        if not before.endswith(phrase):
            continue  # each test below needs the text to end with the phrase
        if before == phrase or before.endswith(" " + phrase) or _digit_before(before, phrase):
            return lexicon.relations[phrase]
    return ""


@lru_cache(maxsize=4096)
def _digit_before(before: str, phrase: str) -> bool:
    """Whether the phrase follows a number ("12km from")."""
    return re.search(rf"\d\s*{re.escape(phrase)}$", before) is not None


def _border_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[Span]:
    """Phrases like "the Tajik border": a demonym followed by a border word."""
    lexicon = gazetteer.lexicon
    tokens = analysis.tokens
    spans = []
    for a, b in pairwise(tokens):
        if fold(b.text) not in lexicon.border_words:
            continue
        iso2 = lexicon.demonyms.get(fold(a.text))
        if iso2:
            spans.append(Span(a.start, b.end, b.end, "border", border=iso2))
    return spans


def _unit_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[Span]:
    """Capitalised names before a unit word ("Deh Rahwod district", "Khash Rod (Delaram) district").

    Such a name is a unit of a known kind, spelled in one of many transliterations: it is read
    with the fuzzy matcher of admin units. An alternate name in brackets before the unit word is
    skipped.
    """
    tokens = analysis.tokens
    unit_words = gazetteer.lexicon.unit_words
    particles = gazetteer.lexicon.grammar.name_particles
    spans = []
    for k, token in enumerate(tokens):
        if k == 0 or not _is_unit_word(token.text, unit_words):
            continue
        last = _before_brackets(tokens, k)
        first = last + 1
        while first > 0 and last + 1 - first < MAX_TOKENS and _name_token(tokens[first - 1], particles):
            first -= 1
        while first <= last and (tokens[first].pos in _NOT_NAME_POS or not tokens[first].text[:1].isupper()):
            first += 1
        if first <= last:
            spans.append(Span(tokens[first].start, tokens[k - 1].end, tokens[k - 1].end, "unit"))
    return spans


@lru_cache(maxsize=8192)
def _is_unit_word(word: str, unit_words: frozenset[str]) -> bool:
    """Whether a token is a lowercase word for an admin unit ("district", "provinces")."""
    return word.islower() and fold(word) in unit_words


_UNIT_TAIL = re.compile(r"^\s*(\([^()]{0,40}\))?\s*[a-z]*$")


def _swallows(unit: Span, span: Span, text: str) -> bool:
    """Whether a name read before a unit word replaces a shorter span inside it ("Menjan" in "Karen wa Menjan").

    The shorter span may run on over a bracketed alternate name and the unit word itself.
    """
    if span.start < unit.start or (span.start, span.end) == (unit.start, unit.end):
        return span.start >= unit.start and span.source != "gazetteer"
    return span.end <= unit.end or bool(_UNIT_TAIL.match(text[unit.end : span.end]))


_NOT_NAME_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON", "AUX", "VERB", "ADV", "PART", "NUM", "PUNCT"})


def _before_brackets(tokens: Sequence[Token], k: int) -> int:
    """The index of the last name token before token ``k``, skipping one bracketed alternate name."""
    last = k - 1
    if tokens[last].text == ")":
        opening = next((n for n in range(last - 1, max(-1, last - 8), -1) if tokens[n].text == "("), None)
        if opening is not None:
            last = opening - 1
    return last


def _name_token(token: Token, particles: frozenset[str]) -> bool:
    """Whether a token can belong to a place name before a unit word (a capitalised word or a particle).

    The parser's sentence breaks inside transliterated names are ignored: a real break ends with
    punctuation, which stops the name.
    """
    return token.text[:1].isupper() or token.text in particles


def find_spans(analysis: Analysis, gazetteer: Gazetteer) -> list[Span]:
    """Every place phrase in a document, with hints and relations read."""
    text = analysis.document.text
    surnames = _surnames(analysis)
    matched = [s for s in token_spans(analysis, gazetteer) if _ok_match(s, text, analysis, gazetteer, surnames)]
    spans = _merge(_entity_spans(analysis), matched, text, gazetteer.lexicon)
    for unit in _unit_spans(analysis, gazetteer):
        overlapping = [s for s in spans if s.start < unit.end and unit.start < s.end]
        if all(_swallows(unit, s, text) for s in overlapping):
            spans = [s for s in spans if s not in overlapping] + [unit]
    for bracketed in _bracket_spans(text, gazetteer):
        if not any(s.start < bracketed.end and bracketed.start < s.end and s.source == "unit" for s in spans):
            spans = [s for s in spans if not (s.start < bracketed.end and bracketed.start < s.end)] + [bracketed]
    for end in _road_end_spans(text, gazetteer):
        spans = [s for s in spans if not (s.start < end.end and end.start < s.end)] + [end]
    lexicon = gazetteer.lexicon
    not_names = lexicon.not_places.union(lexicon.demonyms)
    spans = [s for s in spans if fold(text[s.start : s.end]) not in not_names]
    borders = _border_spans(analysis, gazetteer)
    spans = [s for s in spans if not any(b.start <= s.start < b.end for b in borders)] + borders
    for span in spans:
        extend(span, text, gazetteer)
    persons = _person_spans(analysis)
    named_again = _surname_spans(analysis, lexicon)
    spans = [s for s in spans if (s.start, s.name_end) not in named_again or s.hint or s.border]
    spans = [s for s in spans if not _names_person(s, persons, text, gazetteer)]
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


_ROAD = re.compile(r"\b([A-Z][\w'’]+(?: [A-Z][\w'’]+)?)-([A-Z][\w'’]+(?: [A-Z][\w'’]+)?)\s+(\w+)")


def _road_end_spans(text: str, gazetteer: Gazetteer) -> list[Span]:
    """The two towns a road is named after ("the Kaduna-Abuja highway"), when both are places.

    NER reads such a compound as one name that no gazetteer holds; its ends say at least where the road runs.
    """
    found: list[Span] = []
    for match in _ROAD.finditer(text):
        if fold(match.group(3)) not in gazetteer.lexicon.street_words:
            continue
        ends = [(match.start(k), match.end(k)) for k in (1, 2)]
        if all(gazetteer.names(fold(text[a:b])) for a, b in ends):
            found.extend(Span(a, b, b, "gazetteer") for a, b in ends)
    return found


# "Kandi (Kandi, Alibori)", "Rupganj upazila (Narayanganj, Dhaka)", "Seik Khun village (Shwebo township, Shwebo
# district, Sagaing region)": a name, then in brackets the two or three units it lies in, the last a province or
# country; a feature word may follow each name
_NAME = r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}"


def _bracket_spans(text: str, gazetteer: Gazetteer) -> list[Span]:
    """The names of a "town (district, province)" phrase whose last name is a province or country.

    Such a phrase says what its names are whatever NER reads them as ("Porto-Novo" as a person, "Narayanganj,
    Dhaka" as an organisation).
    """
    phrase, name = _bracket_patterns(frozenset(gazetteer.lexicon.feature_words))
    spans = []
    for found in phrase.finditer(text):
        inner = [(found.start(2) + m.start(1), found.start(2) + m.end(1)) for m in name.finditer(found.group(2))]
        last = fold(text[inner[-1][0] : inner[-1][1]]) if inner else ""
        if any(p.feature in ("admin1", "country") for p in gazetteer.names(last)):
            spans += [Span(start, end, end, "bracket") for start, end in ((found.start(1), found.end(1)), *inner)]
    return spans


@lru_cache(maxsize=4)
def _bracket_patterns(feature_words: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The "town (district, province)" phrase and one name inside its brackets, each name maybe with a feature word."""
    words = "|".join(re.escape(w) for w in sorted(feature_words, key=len, reverse=True))
    unit = rf"(?: (?:{words}))?"
    phrase = re.compile(rf"({_NAME}){unit} \(((?:{_NAME}{unit}, ){{1,2}}{_NAME}{unit})\)")
    return phrase, re.compile(rf"({_NAME}){unit}(?:, |$)")


def _surnames(analysis: Analysis) -> frozenset[str]:
    """The last words of the full names NER finds ("McKinney" of "April McKinney", not of "KTVU McKinney")."""
    names = [e.text.split() for e in analysis.entities if e.label == "PERSON"]
    return frozenset(fold(words[-1]) for words in names if len(words) > 1 and _name_words(words))


def _name_words(words: list[str]) -> bool:
    """Whether the words of a name are written as a person's are ("April McKinney", not "KCRA Stockton")."""
    return all(w[:1].isupper() and not w.isupper() for w in words)


def _ok_match(span: Span, text: str, analysis: Analysis, gazetteer: Gazetteer, surnames: frozenset[str]) -> bool:
    """Filter gazetteer-only matches: inside other entities, or weak without a feature word."""
    overlapping = [e for e in analysis.entities if e.start < span.end and span.start < e.end]
    agency = names_agency(span, text, gazetteer.lexicon)
    for entity in overlapping:
        end = _trimmed_end(text, entity.start, entity.end)  # "Abomey-Calavi," tagged ORG with its comma
        if entity.label in OTHER_LABELS and (entity.start, end) != (span.start, span.end):
            inside = entity.start >= span.start and end <= span.end
            if not inside and not (agency and entity.label == "ORG" and entity.start <= span.start) \
                    and not _after_site_word(text, entity.start, span.start) \
                    and not _place_in_container(text[entity.start:end], gazetteer):
                return False
    if any(e.label in PLACE_LABELS for e in overlapping):
        return True
    surface = text[span.start : span.end]
    places = gazetteer.names(fold(surface))
    if agency and _agency_place(surface, places, gazetteer.lexicon):
        return True  # "the Fort Worth Police Department": a town's own police names the town
    if any(e.label == "PERSON" for e in overlapping) and (
            not _person_may_be_place(places, gazetteer.lexicon) or fold(surface) in surnames):
        return False  # "the Bibi Fatima mosque": a saint's name, not Fatima in Brazil; "McKinney" after "Ann McKinney"
    dateline = surface.isupper() and _opens_dateline(text, span)
    if (len(surface) < 4 and not dateline) or (surface.isupper() and " " not in surface and not dateline):
        return any(p.feature in ("country", "admin1") for p in places)
    tokens = analysis.tokens
    first = bisect_left(tokens, span.start, key=lambda t: t.start)
    last = bisect_left(tokens, span.end, key=lambda t: t.start)
    words = [t for t in tokens[first:last] if t.text[:1].isupper()]
    if any(t.pos != "PROPN" for t in words):
        return False  # "Most", "Since", "From": capitalised common words, not names
    if _inside_name(analysis, first, last, gazetteer.lexicon) and not _person_may_be_place(places, gazetteer.lexicon):
        return False  # "Doreen Walker", "Officer Stacey Cooper": part of a person's name or title
    probe = Span(span.start, span.end, span.end, "probe")
    extend(probe, text, gazetteer)
    focus = gazetteer.lexicon.focus
    return is_strong(places, gazetteer.lexicon) or (bool(probe.hint) and any(p.country in focus for p in places))


def _trimmed_end(text: str, start: int, end: int) -> int:
    """Where an entity ends without the punctuation NER sometimes runs on to (a comma after the name)."""
    return start + len(text[start:end].rstrip(",.;:"))


_NEXT_WORD = re.compile(r"\s+([\w'’]+)")
_SITE_WORD = re.compile(r"\s(?:in|near)\s+$")


def _after_site_word(text: str, entity_start: int, start: int) -> bool:
    """Whether a name follows "in" or "near" inside an entity NER ran on past it ("Saraqab in Idleb" as one ORG)."""
    return entity_start < start and bool(_SITE_WORD.search(text[entity_start:start]))


def _place_in_container(phrase: str, gazetteer: Gazetteer) -> bool:
    """Whether an entity NER ran over a place and its province is that ("Tame, Arauca" tagged as one ORG)."""
    parts = [part.strip() for part in phrase.split(",")]
    if len(parts) != 2 or not all(parts):
        return False
    inner, outer = (gazetteer.names(fold(part)) for part in parts)
    provinces = {fold(p.name) for p in outer if p.feature == "admin1"}
    return any(fold(p.admin1) in provinces for p in inner if p.admin1)


def names_agency(span: Span, text: str, lexicon: Lexicon, any_case: bool = False) -> bool:
    """Whether a name is followed by a word naming its local agency ("Fort Worth Police", "Pasco County Sheriff's").

    ``any_case`` also takes the word in lower case ("Dayton police said"), where it is no part of a name.
    """
    found = _NEXT_WORD.match(text, span.end)
    word = found.group(1) if found is not None else ""
    return (any_case or word[:1].isupper()) and fold(word) in lexicon.agency_words


def _agency_place(surface: str, places: list[Place], lexicon: Lexicon) -> bool:
    """Whether a name before an agency word is a place by its own name, not a kind of agency ("Park Police")."""
    key = fold(surface)
    if not surface[:1].isupper() or surface.isupper() or key in lexicon.generic_words:
        return False
    return any(fold(p.name) == key for p in places)


def _inside_name(analysis: Analysis, first: int, last: int, lexicon: Lexicon) -> bool:
    """Whether matched tokens end a person's name ("Doreen Walker") or title one ("Officer Stacey Cooper").

    A capitalised proper noun right before the match makes it a surname, unless it is a word the
    lexicon knows as no name ("North Lawndale"); a person's name right after makes it a title.
    """
    tokens = analysis.tokens
    before = tokens[first - 1] if first > 0 else None
    sentence = tokens[first].sentence
    if (before is not None and before.sentence == sentence and before.pos == "PROPN" and before.text[:1].isupper()
            and fold(before.text) not in lexicon.not_places):
        return True
    after = tokens[last].start if last < len(tokens) else -1
    return any(e.label == "PERSON" and e.start == after for e in analysis.entities) or _before_surname(
        analysis, last, lexicon)


def _before_surname(analysis: Analysis, last: int, lexicon: Lexicon) -> bool:
    """Whether matched tokens are a first name: one more proper noun follows that names no kind of place.

    "Kendal Pinkerton was hurt": a name NER missed. The next word must end the capitalised run and be
    no feature, street, site or agency word ("Toledo Police", "Kabul Province" and "Herat Airport"
    keep their place).
    """
    tokens = analysis.tokens
    if last >= len(tokens) or last == 0:
        return False
    word, previous = tokens[last], tokens[last - 1]
    if word.sentence != previous.sentence or word.pos != "PROPN" or not word.text[:1].isupper() or word.text.isupper():
        return False
    if analysis.document.text[previous.end : word.start] != " ":
        return False
    key = fold(word.text)
    kinds = (lexicon.not_places, lexicon.generic_words, lexicon.street_words, lexicon.agency_words)
    if any(key in words for words in kinds) or key in lexicon.feature_words:
        return False
    following = tokens[last + 1] if last + 1 < len(tokens) else None
    return following is None or following.sentence != word.sentence or not following.text[:1].isupper()


# after a dateline's town and the outlet it may bracket ("KENT (AP)"): its state ("KENT, Ohio", "KENT, OH"),
# or a dash ("KENT —")
_DATELINE_CONTAINER = re.compile(r"(?:\s*\([^()\n]{1,40}\))?(?:,\s*[A-Z](?:[a-z]|[A-Z]\b)|\s+(?:[—–]|--?\s))")


def _opens_dateline(text: str, span: Span) -> bool:
    """Whether a capitalised name opens a line and its state or a dash follows: a dateline ("KENT, Ohio —")."""
    return opens_line(text, span.start) and _DATELINE_CONTAINER.match(text, span.end) is not None


def _person_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """The character spans the actors stage read as people (names, and surnames standing for them)."""
    return sorted((m.evidence.start, m.evidence.end) for m in analysis.actors if m.type == "person")


def _surname_spans(analysis: Analysis, lexicon: Lexicon) -> set[tuple[int, int]]:
    """The one-word mentions of a person the story named in full before ("Washington" after "Barry Washington").

    The person is surer than any place of that name, however large ("Washington's death"), unless the full
    name holds a place's feature word ("Village Malakal" is a village the tagger took for a person).
    """
    first_full: dict[str, int] = {}
    for mention in analysis.actors:
        words = mention.evidence.text.split()
        if mention.type == "person" and len(words) > 1 and not any(fold(w) in lexicon.feature_words for w in words):
            first_full.setdefault(mention.actor_id, mention.evidence.start)
    text = analysis.document.text
    return {(m.evidence.start, m.evidence.end) for m in analysis.actors
            if m.type == "person" and " " not in m.evidence.text.strip()
            and first_full.get(m.actor_id, m.evidence.start) < m.evidence.start
            and not _after_capitalised(text, m.evidence.start)}


def _after_capitalised(text: str, start: int) -> bool:
    """Whether a capitalised word ends right before a position ("Brands Hatch": part of a longer name)."""
    before = text[max(0, start - 40) : start]
    words = before.split()
    return bool(words) and before.endswith((" ", "\t")) and not before.endswith(("\n", "  ")) \
        and words[-1][:1].isupper() and words[-1][-1:].isalpha()


def _names_person(span: Span, persons: list[tuple[int, int]], text: str, gazetteer: Gazetteer) -> bool:
    """Whether a phrase is (part of) a person's name ("Walker" for Jonathon Walker), not a place named the same.

    A name with a feature word ("Walker County", "Tani (Ismail Khail) district") or before a unit word
    is a place whoever it is named after.
    """
    if span.hint or span.border or span.source in ("unit", "bracket"):
        return False
    at = bisect_left(persons, (span.start, span.start))
    # a person mention running into the phrase, or one right after it ("Doreen" of Doreen Walker, "Officer")
    before = at > 0 and persons[at - 1][1] > span.start
    after = at < len(persons) and (persons[at][0] < span.end or _adjacent(text, span.end, persons[at][0]))
    if not before and not after:
        return False
    places = gazetteer.names(fold(text[span.start : span.name_end]))
    return not _person_may_be_place(places, gazetteer.lexicon)


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether only a space separates a phrase's end from the start of the next name."""
    return 0 < start - end <= 2 and text[end:start].isspace()


def _person_may_be_place(places: list[Place], lexicon: Lexicon) -> bool:
    """Whether a name NER calls a person may still be a place: a focus-region place, a province or a big town.

    Countries and regions count too. NER often tags Afghan provinces as persons ("Panjshir"), but a
    foreign town or municipality named like a person is rarely what the text means.
    """
    return any(
        p.country in lexicon.focus
        or p.feature in ("country", "admin1", "region")
        or (p.feature in ("city", "village") and is_major(p, lexicon))
        for p in places
    )


# ---------------------------------------------------------------- resolution
