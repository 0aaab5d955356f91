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
