"""Tests of the report: scope, summary, chronological key incidents, stated truncation, claims, escaping."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from export_support import HOSTILE_OUTLET, T1, build
from khabar.errors import ConfigError
from khabar.places.boundaries import load_outlines
from khabar.query import Archive, Filters, open_archive
from khabar.report import build_report


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    path = tmp_path_factory.mktemp("report") / "k.db"
    build(path).close()
    return open_archive(path)


def test_scope_and_summary_state_what_the_report_covers(archive: Archive) -> None:
    text = build_report(archive)
    assert ("**Scope:** 2023-05-01 to 2023-06-30; Afghanistan (2); 3 incidents from 3 articles by 3 outlets."
            in text)
    assert "3 incidents; deaths 15 (range 14-16)." in text
    assert "| Violence against civilians | 1 | 5 | 4 | 6 |" in text
    assert "| Herat, Afghanistan | 1 | 5 | 4 | 6 |" in text
    assert "| 2023-05-01 | 2 | 5 | 4 | 6 |" in text  # weeks: the period is under half a year
    assert "| Taliban | 2 | 15 | 2023-05-01 | 2023-06-30 |" in text


def test_key_incidents_are_chronological_cite_their_sentence_and_say_what_is_left_out(archive: Archive) -> None:
    text = build_report(archive, per_section=2)
    headings = [line for line in text.splitlines() if line.startswith("### 2023")]
    assert [h.split(":")[0] for h in headings] == ["### 2023-05-01", "### 2023-06"]  # month precision shown
    assert "Key incidents in date order: 2 of 3; 1 more incidents; use --limit to show more." in text
    assert f'"{T1}" (Test Wire, 2023-05-02; d1@0-61)' in text
    assert "- Confidence: 0.80; 2 independent of 2 reports" in text
    assert "- Sources disagree: fatalities differ" in text


def test_filters_narrow_the_report(archive: Archive) -> None:
    text = build_report(archive, Filters(type="Battles"))
    assert "1 incidents from 1 articles by 1 outlets; filters: type=Battles." in text
    assert "Herat" not in text.split("## Violence", 1)[1]


def test_claims_need_a_named_speaker_and_disputes_sit_side_by_side(archive: Archive) -> None:
    section = build_report(archive).split("## Claims", 1)[1]
    assert "### Taliban" in section
    assert "- disputed: " in section
    assert "| Taliban: \"The Taliban said 6 guards died.\"" in section and "| The Governor |" in section


def test_hostile_source_values_stay_inert_in_markdown(archive: Archive) -> None:
    text = build_report(archive)
    assert "<script>" not in text
    rendered = MarkdownIt("commonmark").render(text)
    assert "<script" not in rendered and "<img" not in rendered
    assert "&amp;lt;img onerror&amp;gt;" in rendered  # already-escaped text shows as text
    headings = [line for line in rendered.splitlines() if line.startswith("<h1")]
    assert headings == ["<h1>Situation report</h1>"]  # the outlet's "# Heading" made none
    assert 'href="javascript' not in rendered
    assert HOSTILE_OUTLET.split(" #")[0].replace('"', "&quot;") in rendered


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_html_has_a_timeline_a_map_print_css_and_no_active_content(archive: Archive) -> None:
    page = build_report(archive, fmt="html")
    parser = _Tags()
    parser.feed(page)
    names = [t for t, _ in parser.tags]
    assert names.count("svg") == 2 and "script" not in names and "img" not in names
    assert names.count("circle") == 2  # Herat and Kabul; the riot has no coordinates
    attributes = [(name, value or "") for _, attrs in parser.tags for name, value in attrs]
    assert not [a for a in attributes if a[0].startswith("on")]
    assert [v for n, v in attributes if n == "href"] == ["https://wire.example/herat", "https://times.example/kabul"]
    assert "@media print" in page
    assert "&amp;lt;img onerror&amp;gt;" in page  # already-escaped text shows as text


def test_an_unknown_report_format_is_refused(archive: Archive) -> None:
    with pytest.raises(ConfigError, match="md, html"):
        build_report(archive, fmt="pdf")


def test_an_empty_selection_says_so(tmp_path: Path, archive: Archive) -> None:
    assert "No incident matches." in build_report(archive, Filters(country="FR"))


def test_html_map_draws_the_countries_around_its_incidents_and_the_timeline_every_week(archive: Archive) -> None:
    page = build_report(archive, fmt="html")
    parser = _Tags()
    parser.feed(page)
    names = [t for t, _ in parser.tags]
    assert "<title>Afghanistan</title>" in page and "<title>Iran</title>" in page
    assert "<title>Brazil</title>" not in page  # only outlines that reach into the map's box
    timeline = page.split("<h3>Map</h3>")[0]
    # incidents in the weeks of 2023-05-01 and 2023-06-01 (a month-precision date): every week between is a bar
    assert timeline.count("<rect") == 5
    assert names.count("clippath") == 1


def test_outlines_decode_the_bundled_topojson() -> None:
    outlines = {o.name: o for o in load_outlines()}
    assert len(outlines) > 200
    afghanistan = outlines["Afghanistan"]
    assert 60 < afghanistan.west < 61.5 and 74 < afghanistan.east < 75.5
    assert 29 < afghanistan.south < 30 and 38 < afghanistan.north < 39
    assert afghanistan.meets(69, 34, 70, 35) and not afghanistan.meets(-50, -10, -40, 0)
    ring = afghanistan.rings[0]
    assert len(ring) > 50 and ring[0] == pytest.approx(ring[-1], abs=1e-6)  # closed
