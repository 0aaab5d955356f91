from khabar import nlp
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document


def _parse(pipeline: Pipeline, text: str) -> Analysis:
    return nlp.parse(Analysis(Document("n", text)), pipeline.model)


def test_records_keep_offsets_tags_and_arcs(pipeline: Pipeline) -> None:
    text = "Gunmen attacked a checkpoint in Herat. Two guards died."
    a = _parse(pipeline, text)
    assert [s.text for s in a.sentences] == ["Gunmen attacked a checkpoint in Herat.", "Two guards died."]
    for token in a.tokens:
        assert text[token.start:token.end] == token.text
        assert 0 <= token.head < len(a.tokens)
    attacked = next(t for t in a.tokens if t.text == "attacked")
    assert attacked.dep == "ROOT"
    assert a.tokens[1].sentence == 0 and a.tokens[-1].sentence == 1
    assert any(e.text == "Herat" and text[e.start:e.end] == "Herat" for e in a.entities)


def test_a_line_break_starts_a_sentence(pipeline: Pipeline) -> None:
    a = _parse(pipeline, "Three police officers killed in ambush\u2028KANDAHAR -- Gunmen ambushed a patrol on Monday.")
    assert len(a.sentences) >= 2
    assert a.sentences[0].text.startswith("Three police officers killed in ambush")
    assert "Gunmen" not in a.sentences[0].text


def test_batched_parse_matches_single_parse(pipeline: Pipeline) -> None:
    texts = ["A blast hit the market.", "Talks resumed in Doha on Tuesday."]
    batched = list(nlp.parse_many((Analysis(Document(str(i), t)) for i, t in enumerate(texts)), pipeline.model))
    assert [b.tokens for b in batched] == [_parse(pipeline, t).tokens for t in texts]


BUSY_TEXT = (
    "Ain't nobody gonna stop us, y'all said.\nThere is a curfew in the old town; it gets worse at night.\n\n"
    "Let's see: the militia got its weapons back and fired them at 3 convoys near the river."
)


def _annotations(doc: object) -> list[tuple[str, ...]]:
    return [(t.text, t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph)) for t in doc]  # type: ignore[attr-defined]


def test_khabar_attributes_match_the_ruler_and_lemmatizer(pipeline: Pipeline) -> None:
    bare = nlp.load_bare_model(pipeline.settings.model)
    bare.add_pipe("khabar_line_breaks", before="parser")
    assert _annotations(pipeline.model(BUSY_TEXT)) == _annotations(bare(BUSY_TEXT))


def test_khabar_attributes_set_lemmas_and_parts_of_speech(pipeline: Pipeline) -> None:
    a = _parse(pipeline, "The rebels were attacking two villages.")
    by_text = {t.text: t for t in a.tokens}
    assert (by_text["were"].lemma, by_text["attacking"].lemma, by_text["villages"].lemma) == ("be", "attack",
                                                                                              "village")
    assert by_text["villages"].pos == "NOUN" and by_text["attacking"].pos == "VERB"


def test_model_replaces_the_slow_components_and_bare_model_does_not(pipeline: Pipeline) -> None:
    names = pipeline.model.pipe_names
    assert "khabar_attributes" in names and "attribute_ruler" not in names and "lemmatizer" not in names
    assert names.index("parser") < names.index("khabar_attributes")
    bare = nlp.load_bare_model(pipeline.settings.model)
    assert not any(name.startswith("khabar_") for name in bare.pipe_names)
    assert "attribute_ruler" in bare.pipe_names


def test_mark_line_breaks_starts_sentences_only_after_breaks(pipeline: Pipeline) -> None:
    doc = pipeline.model.make_doc("Floods hit\nthe valley and\u2028roads closed. Calm")
    nlp.mark_line_breaks(doc)
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Floods", "the", "roads"]
    plain = nlp.mark_line_breaks(pipeline.model.make_doc("No breaks here at all."))
    assert [t.is_sent_start for t in plain][1:] == [None] * (len(plain) - 1)


def test_empty_and_one_word_texts_parse(pipeline: Pipeline) -> None:
    assert _parse(pipeline, "").tokens == ()
    (only,) = _parse(pipeline, "Ceasefire").tokens
    assert (only.text, only.head, only.sentence) == ("Ceasefire", 0, 0)
