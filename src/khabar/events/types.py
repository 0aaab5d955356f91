"""The events stage's core types: a trigger match, an event under construction and the document index.

A ``Draft`` is the one mutable record of the stage: the rules fill its fields in turn, and it is frozen
into an ``Event`` at the end. ``DocIndex`` indexes one document's tokens and actor mentions once and
carries the stage's resources; it lives as long as one ``extract_events`` call.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from khabar.events.classify import Scores
from khabar.events.lexicon import TriggerGroup
from khabar.events.resources import EventResources
from khabar.events.toll_index import TollIndex, toll_index
from khabar.events.tolls import toll_near
from khabar.events.where import EventPlaces, event_places, place_for
from khabar.records import ActorMention, Analysis, FieldEvidence, PlaceMention, Sentence, Token, Toll

COREF_WINDOW = 4  # sentences over which a later mention may refer back to an incident
AGENT_LABELS = ("ORG", "GPE", "NORP", "PERSON")  # named entities that could act
HEADLINE_ENDINGS = frozenset(".!?:;\"\u201d\u2019')")  # a line ending otherwise is a title
_LINE_ENDS = frozenset({"", "\n", "\r", "\u2028", "\u2029"})


@dataclass(slots=True, frozen=True)
class Trigger:
    """A trigger match: its group and head token."""

    group: TriggerGroup
    token: Token
    end: int


@dataclass(slots=True)
class Draft:
    """A mutable event under construction; frozen into an Event at the end."""

    trigger: Trigger
    sentence: Sentence
    code: str
    plover: str
    confidence: float
    status: str = "occurred"
    actor1: str = ""
    actor2: str = ""
    associated: tuple[str, ...] = ()
    claimed_by: str = ""
    claim_channel: str = ""
    attributed_by: str = ""
    denied_by: str = ""
    fields: tuple[FieldEvidence, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    anaphoric: bool = False
    place: PlaceMention | None = None
    seat: PlaceMention | None = None  # where a national act sits when its clause names no place
    others: tuple[Trigger, ...] = ()
    mentions: tuple[Trigger, ...] = ()
    split: bool = False  # one of several incidents a sentence counts ("two blasts")


def ends_its_line(text: str, sentence: Sentence) -> bool:
    """Whether nothing but spaces follows a sentence on its line (a line break or the text's end does)."""
    after = text[sentence.start + len(sentence.text.rstrip()) :]
    return after.lstrip(" \t")[:1] in _LINE_ENDS


def is_political(draft: Draft) -> bool:
    """Whether a draft was found by a political trigger."""
    return draft.trigger.group.family == "political"


@dataclass(slots=True, frozen=True)
class Period:
    """What a sentence says that makes a plural trigger an aggregate: a counting word, a period, a large number."""

    aggregate_word: bool
    spans: bool  # "from August to February", "since 2021", "over the past year"
    large_number: bool  # a number above 20, read only when the sentence spans a period


class DocIndex:
    """Per-document indexes over tokens and actor mentions, and facts asked of a sentence more than once."""

    def __init__(self, analysis: Analysis, resources: EventResources) -> None:
        """Index tokens by sentence, children by head and actor mentions by token."""
        self.analysis = analysis
        self.resources = resources
        self.lexicon = resources.lexicon
        self.tables = resources.tables
        self.tokens = analysis.tokens
        self.by_sentence: dict[int, list[Token]] = {}
        self.children: dict[int, list[Token]] = {}
        for token in analysis.tokens:
            self.by_sentence.setdefault(token.sentence, []).append(token)
            if token.head != token.i:
                self.children.setdefault(token.head, []).append(token)
        self.mention_at = _mentions_by_token(analysis.tokens, analysis.actors)
        self.scores: dict[int, dict[str, Scores]] = {}
        self.lemmas: dict[int, list[str]] = {}
        self.dated: dict[int, bool] = {}
        self.periods: dict[int, Period] = {}

    def kids(self, token: Token, *deps: str) -> list[Token]:
        """Children of a token, optionally only with the given dependency labels."""
        found = self.children.get(token.i, [])
        return [t for t in found if not deps or t.dep in deps]

    def head(self, token: Token) -> Token:
        """The syntactic head of a token."""
        return self.tokens[token.head]

    def subtree(self, token: Token) -> list[Token]:
        """The token and its descendants."""
        out, stack = [], [token]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current.i, []))
        return sorted(out, key=lambda t: t.i)

    def ancestors(self, token: Token, depth: int = 3) -> list[Token]:
        """Up to ``depth`` heads above a token."""
        out, current = [], token
        for _ in range(depth):
            head = self.head(current)
            if head.i == current.i:
                break
            out.append(head)
            current = head
        return out

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

    def place_at(self, start: int, end: int) -> PlaceMention | None:
        """The place of the clause of an event trigger at [start, end), read from the places stage's mentions."""
        return place_for(self.analysis, start, end, self.sites)

    def toll_at(self, start: int, end: int, kind: str) -> Toll | None:
        """The toll of a kind tied to an event trigger at [start, end), read from the quantities stage's counts."""
        return toll_near(self.tolls, start, end, kind)

    @cached_property
    def sites(self) -> EventPlaces:
        """The document's place mentions as ``where.place_for`` reads them, sorted once."""
        return event_places(self.analysis, self.resources.site_cues)

    @cached_property
    def tolls(self) -> TollIndex:
        """The document's quantities as ``tolls.toll_near`` reads them, indexed once."""
        return toll_index(self.analysis, self.resources.tolls)

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
        """The type of each resolved actor of the document, as its first mention gives it."""
        return {m.actor_id: m.type for m in reversed(self.analysis.actors)}


def _mentions_by_token(tokens: Iterable[Token], mentions: Iterable[ActorMention]) -> dict[int, ActorMention]:
    """Map each token index covered by an actor mention to that mention."""
    ordered = sorted(mentions, key=lambda m: m.evidence.start)
    starts = [m.evidence.start for m in ordered]
    out: dict[int, ActorMention] = {}
    for token in tokens:
        at = bisect.bisect_right(starts, token.start) - 1
        if at >= 0 and token.start < ordered[at].evidence.end:
            out[token.i] = ordered[at]
    return out
