"""Property tests of every reader and the store (issue #22): any input gives documents or errors, never a crash."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.errors import FetchError, InputError
from khabar.ingest import Limits, Meta, bounded, content_id, load_reading_aids, parts, read_paths
from khabar.ingest.feeds import entries_of
from khabar.ingest.fetch import Fetched
from khabar.ingest.web import page_documents
from khabar.records import Analysis, Document
from khabar.safeload import ParseLimits, load_json, load_yaml
from khabar.store import open_store

AIDS = load_reading_aids()
LIMITS = Limits(max_chars=2_000, max_sentence_chars=300, max_token_chars=40, max_punctuation_run=16)
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIECES = st.sampled_from(["---", "\n", " ", "!", "...", "<p>", "</p>", "&amp;", "\ufeff", "\u2028", "\x00", "é",
                          "\ud7ff", "[", "{", "*a", "&a", ": ", "- ", "2021-02-30", "9" * 50, '"', "\\u", "Kabul",
                          "killed"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)
YAML_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates(),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=12)


@contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _check(items: list[Document | InputError], *where: Path) -> None:
    """Only documents and errors come back, each naming the input, and documents are whole and storable."""
    assert items, "an input gave neither a document nor an error"
    for item in items:
        assert isinstance(item, (Document, InputError))
        assert any(path.name in item.path for path in where), (item.path, where)
        if isinstance(item, Document):
            assert item.text.strip() and item.doc_id == content_id(item.text)
            assert len(item.text) <= LIMITS.max_chars
            item.text.encode("utf-8")
            item.title.encode("utf-8")


def _read_one(folder: Path, name: str, data: bytes) -> list[Document | InputError]:
    (folder / name).write_bytes(data)
    return list(read_paths([folder / name], limits=LIMITS, aids=AIDS))


@FUZZ
@given(data=st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_any_bytes_in_any_article_file_give_documents_or_errors(data: bytes, suffix: str) -> None:
    with _folder() as folder:
        _check(_read_one(folder, "in" + suffix, data), folder / ("in" + suffix))


@FUZZ
@given(front=YAML_VALUES, raw=TEXT, body=TEXT)
def test_markdown_with_any_front_matter_gives_documents_or_errors(front: object, raw: str, body: str) -> None:
    block = json.dumps(front, default=str) + "\n" + raw
    with _folder() as folder:
        data = f"---\n{block}\n---\nGunmen killed two in Kabul. {body}".encode("utf-8", "surrogatepass")
        _check(_read_one(folder, "a.md", data), folder / "a.md")


@FUZZ
@given(side=TEXT, kind=st.sampled_from([".meta.yaml", ".meta.json"]))
def test_any_sidecar_gives_documents_or_errors(side: str, kind: str) -> None:
    with _folder() as folder:
        (folder / ("a" + kind)).write_bytes(side.encode("utf-8", "surrogatepass"))
        items = _read_one(folder, "a.txt", b"Gunmen killed two police officers in Kabul.")
        _check(items, folder / "a.txt", folder / ("a" + kind))


@FUZZ
@given(records=st.lists(st.dictionaries(st.sampled_from(["text", "title", "published", "url", "outlet", "x"]),
                                        YAML_VALUES, max_size=5) | YAML_VALUES, max_size=5), noise=TEXT)
def test_any_jsonl_gives_one_document_or_error_per_line(records: list[object], noise: str) -> None:
    lines = [json.dumps(r, default=str) for r in records] + [noise.replace("\n", " ")]
    with _folder() as folder:
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        items = _read_one(folder, "f.jsonl", data)
        if any(line.strip() for line in "\n".join(lines).split("\n")):
            _check(items, folder / "f.jsonl")


@FUZZ
@given(body=TEXT, tags=st.lists(st.sampled_from(["<html>", "<body>", "<article>", "<p>", "</p>", "<script>",
                                                 "<meta name='date' content='2021-02-30'>", "<title>"]), max_size=8))
def test_any_html_gives_documents_or_errors(body: str, tags: list[str]) -> None:
    with _folder() as folder:
        data = ("".join(tags) + body + "<p>Gunmen killed two police officers in Kabul on Monday.</p>")
        _check(_read_one(folder, "p.html", data.encode("utf-8", "surrogatepass")), folder / "p.html")


@FUZZ
@given(body=st.binary(max_size=400) | TEXT.map(lambda t: f'<rss version="2.0"><channel><item><link>{t}</link>'
                                             f"<pubDate>{t}</pubDate></item></channel></rss>".encode(
                                                 "utf-8", "surrogatepass")),
       sitemap=st.booleans())
def test_any_feed_or_sitemap_body_gives_entries_or_an_error(body: bytes, sitemap: bool) -> None:
    if sitemap:
        body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>' + body + b"</loc></url>"
    try:
        entries, children = entries_of(Fetched("http://f.example/feed", "http://f.example/feed", 200, body=body))
    except FetchError:
        return
    assert all(e.url.startswith(("http://", "https://")) for e in entries)
    assert all(c.startswith(("http://", "https://")) for c in children)


@FUZZ
@given(body=st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       kind=st.sampled_from(["text/html", "text/plain"]), charset=st.sampled_from(["", "utf-8", "latin-1", "bogus"]),
       modified=st.sampled_from(["", "Tue, 01 Feb 2022 08:00:00 GMT", "yesterday", "Tue, 31 Feb 2022 08:00:00 GMT"]))
def test_any_fetched_page_gives_documents_or_an_error(body: bytes, kind: str, charset: str, modified: str) -> None:
    fetched = Fetched("http://n.example/a", "http://n.example/b", 200, kind, charset, body, last_modified=modified)
    try:
        documents = page_documents(fetched, AIDS, LIMITS, Meta())
    except InputError as error:
        assert error.path == "http://n.example/a"
        return
    assert all(d.path.startswith("http://n.example/a") and d.outlet == "n.example" for d in documents)


@FUZZ
@given(text=TEXT)
def test_bounded_parts_keep_every_character_and_respect_the_limits(text: str) -> None:
    out = bounded(text, LIMITS)
    assert "".join(out.split()) == "".join(text.split())
    assert all(len(word) <= LIMITS.max_token_chars for word in out.split())
    pieces = parts(out, LIMITS.max_chars)
    assert all(len(p) <= LIMITS.max_chars for p in pieces)
    assert len(pieces) == 1 or all(p.strip() for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(out.split())


@FUZZ
@given(text=TEXT)
def test_yaml_and_json_loaders_return_or_raise_their_own_error(text: str) -> None:
    for load in (load_yaml, load_json):
        try:
            load(text, ParseLimits(max_bytes=2_000, max_nodes=500))
        except InputError:
            raise
        except Exception as error:  # the point is which exception type comes out
            assert type(error).__name__ == "ParseError", repr(error)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), suffix=st.sampled_from([".txt", ".jsonl"]))
def test_whatever_is_read_stores_and_reads_back_unchanged(data: bytes, suffix: str) -> None:
    with _folder() as folder:
        documents = [i for i in _read_one(folder, "s" + suffix, data) if isinstance(i, Document)]
        with open_store(folder / "k.db") as store:
            for document in documents:
                store.save_analysis(Analysis(document), [])
                assert store.document(document.doc_id) == document
