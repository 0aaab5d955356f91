import json
from datetime import date
from pathlib import Path

import pytest

from khabar.errors import InputError
from khabar.ingest import content_id, read_paths, strip_boilerplate
from khabar.ingest.documents import sentence_case
from khabar.records import Document

ARTICLE = "Officials said a roadside bomb struck a police vehicle in the district on Monday.\n"


def _read(*paths: Path) -> list[Document | InputError]:
    return list(read_paths(list(paths)))


def test_plain_text_with_front_matter(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text(f"---\ntitle: Blast\noutlet: Test Wire\npublished: 2022-03-04\nurl: https://x.test/a\n---\n{ARTICLE}")
    [doc] = _read(f)
    assert isinstance(doc, Document)
    assert (doc.title, doc.outlet, doc.published, doc.published_source) == (
        "Blast", "Test Wire", date(2022, 3, 4), "frontmatter")
    assert doc.text == ARTICLE.strip()


def test_sidecar_metadata(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "b.meta.yaml").write_text("outlet: Side Post\npublished: 2021-09-01\n")
    [doc] = _read(tmp_path / "b.txt")
    assert isinstance(doc, Document)
    assert (doc.outlet, doc.published, doc.published_source) == ("Side Post", date(2021, 9, 1), "sidecar")


def test_unknown_date_is_flagged_not_taken_from_mtime(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text(ARTICLE)
    [doc] = _read(tmp_path / "c.txt")
    assert isinstance(doc, Document)
    assert doc.published is None
    assert doc.published_source == "unknown"


def test_jsonl_lines_become_documents_and_a_bad_line_is_named(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    good = {"text": ARTICLE, "title": "T", "outlet": "O", "published": "2023-01-30", "url": "https://x.test/1"}
    f.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n")
    items = _read(f)
    docs = [i for i in items if isinstance(i, Document)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert len(docs) == 1
    assert docs[0].published == date(2023, 1, 30)
    assert docs[0].published_source == "metadata"
    assert any("feed.jsonl:2" in e and "malformed JSON" in e for e in errors)
    assert any("feed.jsonl:3" in e and "text" in e for e in errors)


def test_html_main_text_without_page_furniture(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>Attack on convoy</title>"
        '<meta property="article:published_time" content="2022-09-05T10:00:00Z"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Attack on convoy</h1>"
        + "".join(f"<p>{ARTICLE.strip()} Paragraph {i} adds detail about the response of the authorities.</p>"
                  for i in range(4))
        + "</article><footer><p>No comments:</p><p>Post a Comment</p></footer></body></html>"
    )
    f = tmp_path / "page.html"
    f.write_text(page)
    [doc] = _read(f)
    assert isinstance(doc, Document)
    assert "roadside bomb" in doc.text
    assert "Post a Comment" not in doc.text
    assert "Home" not in doc.text
    assert doc.published == date(2022, 9, 5)


def test_boilerplate_lines_and_trailers_are_removed() -> None:
    text = "Line one of the story.\nNo comments:\nPost a Comment\nLine two.\nsource: ng\n"
    assert strip_boilerplate(text).split() == ["Line", "one", "of", "the", "story.", "Line", "two."]
    assert "source: ng" in strip_boilerplate("source: ng\n" + "more text\n" * 5)


def test_a_line_of_links_to_other_stories_is_furniture() -> None:
    text = ("A man was shot on Elm Street on Sunday.\n"
            "RELATED STORIES: Mayor opens new bridge | Teen charged in garage fire\n"
            "More: Council votes on the budget\n"
            "More details came on Monday: the man is in stable condition.\n"
            "Crowds Gather at the Bridge A reporter spoke to people at the scene. (Published Sunday, June 2, 2019)\n")
    kept = strip_boilerplate(text)
    assert "bridge" not in kept and "budget" not in kept and "Crowds" not in kept
    assert "Elm Street" in kept and "stable condition" in kept


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n", "whitespace"),
        ("binary.txt", b"\x00\x01\x02PNG" * 10, "binary"),
        ("latin.txt", "caf\u00e9 attack".encode("latin-1"), "UTF-8"),
        ("broken.html", b"<html><body><div>", "no article text"),
        ("notes.pdf", b"%PDF-1.4", "unsupported"),
    ],
)
def test_bad_files_get_one_clear_message_naming_them(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    [error] = _read(f)
    assert isinstance(error, InputError)
    assert name in str(error)
    assert message in str(error)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(50_000_000)
    [error] = list(read_paths([f], max_bytes=20_000_000))
    assert isinstance(error, InputError)
    assert "50.0 MB" in str(error)


def test_missing_path_and_the_rest_of_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    items = _read(tmp_path / "missing.txt", tmp_path)
    assert isinstance(items[0], InputError)
    assert "no such file" in str(items[0])
    assert sum(isinstance(i, Document) for i in items) == 1


def test_directory_walk_skips_readme_and_other_types(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About this folder\n")
    (tmp_path / "story.txt").write_text(ARTICLE)
    (tmp_path / "data.csv").write_text("a,b\n")
    docs = _read(tmp_path)
    assert [Path(d.path).name for d in docs if isinstance(d, Document)] == ["story.txt"]


def test_content_id_is_stable_and_ignores_whitespace() -> None:
    assert content_id("a  b\nc") == content_id("a b c")
    assert content_id("a b c") != content_id("a b d")


def test_furniture_only_jsonl_line_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    stories = [f"{ARTICLE.strip()} Report {i}." for i in range(3)]
    furniture = "No comments:\nPost a Comment\n"
    lines = [stories[0], furniture, stories[1], furniture, stories[2]]
    f.write_text("".join(json.dumps({"text": text}) + "\n" for text in lines))
    items = _read(f)
    assert [d.text for d in items if isinstance(d, Document)] == stories
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [e.split(": ", 1)[0] for e in errors] == [f"{f}:2", f"{f}:4"]
    assert all("page furniture" in e for e in errors)


def test_directory_names_each_unsupported_file_when_asked(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE)
    (tmp_path / "story.meta.yaml").write_text("outlet: Side Post\n")
    (tmp_path / "README.md").write_text("# About this folder\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "scan.pdf").write_bytes(b"%PDF-1.4")
    items = list(read_paths([tmp_path], name_skipped=True))
    assert [Path(d.path).name for d in items if isinstance(d, Document)] == ["story.txt"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [Path(e.path).name for e in errors] == ["notes.docx", "scan.pdf"]
    assert all("unsupported file type" in str(e) for e in errors)


def test_directory_without_article_files_is_named_when_asked(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About this folder\n")
    [error] = list(read_paths([tmp_path], name_skipped=True))
    assert isinstance(error, InputError)
    assert error.path == str(tmp_path)
    assert "no article files" in str(error)


def test_a_headline_kept_apart_from_the_text_leads_it_without_the_site_name(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    records = [
        {"text": ARTICLE, "title": "Bomb hits police vehicle in district - Daily Outlet | Home"},
        {"text": "Bomb hits police vehicle in district\n\n" + ARTICLE, "title": "Bomb hits police vehicle in district"},
        {"text": ARTICLE, "title": "Daily Outlet"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in records))
    docs = [d for d in _read(f) if isinstance(d, Document)]
    assert [d.text for d in docs] == [
        "Bomb hits police vehicle in district\n\n" + ARTICLE.strip(),
        "Bomb hits police vehicle in district\n\n" + ARTICLE.strip(),
        ARTICLE.strip(),
    ]
    assert docs[0].title == "Bomb hits police vehicle in district - Daily Outlet | Home"


def test_a_page_that_kept_only_furniture_is_read_from_its_headline(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    record = {"text": "No comments:\nPost a Comment\n", "title": "Gunman wounds two at a market"}
    f.write_text(json.dumps(record) + "\n")
    [doc] = _read(f)
    assert isinstance(doc, Document)
    assert doc.text == "Gunman wounds two at a market"


def test_a_title_case_headline_keeps_capitals_only_on_the_names_its_body_writes_so() -> None:
    body = ("A man sitting in his parked car was shot and killed on Thursday, the Fort Worth police said. "
            "Officers found the man in the car.")
    assert sentence_case("Man Shot, Killed In Parked Car In Fort Worth", body) == (
        "Man shot, killed in parked car in Fort Worth")
    assert sentence_case("Gunman kills two in Fort Worth", body) == "Gunman kills two in Fort Worth"
    assert sentence_case("Man Shot, Killed In Parked Car", "") == "Man Shot, Killed In Parked Car"
