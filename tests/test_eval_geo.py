"""Tests of the geoparsing evaluation: the three gold schemas, offset repair and empty files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import main
from khabar.errors import InputError
from khabar.eval import geo as geo_eval
from khabar.settings import Settings

Toponym = geo_eval.Toponym

NAIROBI_TEXT = ("Heavy rain flooded streets in Nairobi on Monday, and officials in Mombasa warned of more storms. "
                "A bridge near Riverbend was closed.")
KABUL_TEXT = "Talks in Kabul ended without agreement, a spokesman said from Geneva."

# LGL/TR-News: Mombasa's offsets are one past and Kabul's one before; Riverbend has no gaztag.
LGL = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="101">
    <title>Floods close roads</title>
    <text><![CDATA[{NAIROBI_TEXT}]]></text>
    <toponyms>
      <toponym><start>30</start><end>37</end><phrase>Nairobi</phrase>
        <gaztag geonameid="184745"><name>Nairobi</name><fclass>P</fclass><lat>-1.2833</lat><lon>36.8167</lon></gaztag>
      </toponym>
      <toponym><start>67</start><end>74</end><phrase>Mombasa</phrase>
        <gaztag geonameid="186301"><name>Mombasa</name><lat>-4.0547</lat><lon>39.6636</lon></gaztag>
      </toponym>
      <toponym><start>111</start><end>120</end><phrase>Riverbend</phrase></toponym>
    </toponyms>
  </article>
  <article docid="102">
    <title>Talks end</title>
    <text>{KABUL_TEXT}</text>
    <toponyms>
      <toponym><start>8</start><end>13</end><phrase>Kabul</phrase>
        <gaztag geonameid="1138958"><name>Kabul</name><lat>34.5281</lat><lon>69.1723</lon></gaztag>
      </toponym>
      <toponym><start>62</start><end>68</end><phrase>Geneva</phrase>
        <gaztag geonameid="2660646"><name>Geneva</name><lat>46.2022</lat><lon>6.1457</lon></gaztag>
      </toponym>
    </toponyms>
  </article>
</articles>
"""

# GeoVirus/WikToR: every offset one past, as in the published GeoVirus file.
GEOVIRUS = f"""<articles>
  <article>
    <source>https://example.org/kabul-talks</source>
    <text>{KABUL_TEXT}</text>
    <locations>
      <location><name>Kabul</name><start>10</start><end>15</end><lat>34.5281</lat><lon>69.1723</lon>
        <page>https://example.org/Kabul</page></location>
      <location><name>Geneva</name><start>63</start><end>69</end><lat>46.2022</lat><lon>6.1457</lon></location>
    </locations>
  </article>
</articles>
"""

GWN = f"""<articles>
  <article file="0">
    <title>Talks end</title>
    <text>{KABUL_TEXT}</text>
    <toponyms>
      <toponym><extractedName>Kabul</extractedName><start>9</start><end>14</end>
        <latitude>34.5281</latitude><longitude>69.1723</longitude></toponym>
      <toponym><extractedName>spokesman</extractedName><start>42</start><end>51</end>
        <latitude/><longitude/></toponym>
    </toponyms>
  </article>
</articles>
"""

KABUL = Toponym(9, 14, "Kabul", 34.5281, 69.1723)
GENEVA = Toponym(62, 68, "Geneva", 46.2022, 6.1457)


def write(tmp_path: Path, text: str, name: str = "gold.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_lgl_reads_gaztags_and_repairs_offsets(tmp_path: Path) -> None:
    first, second = geo_eval.load_geo(write(tmp_path, LGL))
    assert first.text == NAIROBI_TEXT
    assert first.toponyms == (
        Toponym(30, 37, "Nairobi", -1.2833, 36.8167),
        Toponym(66, 73, "Mombasa", -4.0547, 39.6636),
    )
    assert second.toponyms == (KABUL, GENEVA)
    assert all(a.text[t.start:t.end] == t.name for a in (first, second) for t in a.toponyms)


def test_load_geovirus_reads_locations(tmp_path: Path) -> None:
    [article] = geo_eval.load_geo(write(tmp_path, GEOVIRUS))
    assert article.toponyms == (KABUL, GENEVA)


def test_load_gwn_still_reads_toponyms(tmp_path: Path) -> None:
    [article] = geo_eval.load_geo(write(tmp_path, GWN))
    assert article.toponyms == (KABUL,)


@pytest.mark.parametrize(("text", "schema"), [(LGL, "LGL/TR-News"), (GEOVIRUS, "GeoVirus/WikToR"),
                                              (GWN, "GeoWebNews"), ("<articles><article/></articles>", None)])
def test_detect_schema(text: str, schema: str | None) -> None:
    found = geo_eval.detect_schema(geo_eval.ET.fromstring(text))
    assert (found.name if found else None) == schema


@pytest.mark.parametrize(
    ("start", "end", "span"),
    [
        (9, 14, (9, 14)),  # right as given
        (10, 15, (9, 14)),  # one past
        (8, 13, (9, 14)),  # one before
        (20, 25, (20, 25)),  # elsewhere: kept as given
    ],
)
def test_aligned_span(start: int, end: int, span: tuple[int, int]) -> None:
    assert geo_eval.aligned_span(KABUL_TEXT, start, end, "Kabul") == span


def test_aligned_span_does_not_wrap_before_the_text() -> None:
    assert geo_eval.aligned_span("Kabul.", 0, 5, "Kabul") == (0, 5)
    assert geo_eval.aligned_span("abc Kabul", 0, 4, "c Ka") == (0, 4)


NO_SCORABLE = [
    # an LGL file whose only toponym has no gaztag
    '<articles><article docid="1"><title>t</title><text>Rain in Riverbend.</text><toponyms>'
    "<toponym><start>8</start><end>17</end><phrase>Riverbend</phrase></toponym></toponyms></article></articles>",
    # a GeoWebNews file whose toponyms have empty coordinates
    "<articles><article><text>Rain in Riverbend.</text><toponyms><toponym><extractedName>Riverbend</extractedName>"
    "<start>8</start><end>17</end><latitude/><longitude/></toponym></toponyms></article></articles>",
    # no annotations at all
    "<articles><article><text>Rain again.</text><locations/></article></articles>",
]


@pytest.mark.parametrize("text", NO_SCORABLE)
def test_file_without_scorable_toponyms_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    [article] = geo_eval.load_geo(path)
    assert article.toponyms == ()
    with pytest.raises(InputError) as caught:
        geo_eval.scorable_geo(path, None)
    assert caught.value.path == str(path)
    assert caught.value.problem == "no toponym with coordinates in its 1 articles"
    with pytest.raises(InputError, match="no toponym with coordinates"):
        geo_eval.run(path, None, None, Settings(processes=1))


def test_file_without_articles_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no <article> elements"):
        geo_eval.load_geo(write(tmp_path, "<articles></articles>"))


def test_load_geo_bad_offset_names_the_article(tmp_path: Path) -> None:
    path = write(tmp_path, GEOVIRUS.replace("<start>63</start>", "<start>sixty</start>"))
    with pytest.raises(InputError, match=r"article 1: toponym 'Geneva' has a bad offset"):
        geo_eval.load_geo(path)


def test_run_with_a_limit_that_leaves_nothing_to_score(tmp_path: Path) -> None:
    riverbend_only = LGL.replace(LGL[LGL.index("<toponym><start>30"):LGL.index("<toponym><start>111")], "")
    path = write(tmp_path, riverbend_only)
    assert [len(a.toponyms) for a in geo_eval.scorable_geo(path, None)] == [0, 2]
    with pytest.raises(InputError, match="no toponym with coordinates in its first 1 articles"):
        geo_eval.run(path, None, 1, Settings(processes=1))


def test_cli_reports_an_empty_file_as_one_error_line(tmp_path: Path) -> None:
    path = write(tmp_path, NO_SCORABLE[0])
    result = CliRunner().invoke(main, ["eval", "geo", str(path)])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"khabar: error: {path}: no toponym with coordinates in its 1 articles")


@pytest.mark.parametrize(("text", "n"), [(LGL, 4), (GEOVIRUS, 2)])
def test_run_scores_repaired_spans(tmp_path: Path, text: str, n: int) -> None:
    metrics = geo_eval.run(write(tmp_path, text), None, None, Settings(processes=1))
    # the repaired gold spans are the spans khabar finds, so recognition is exact
    assert metrics["n"] == n
    assert metrics["toponym_r"] == 1.0
    assert metrics["acc_161km"] == 1.0
    assert metrics["resolution_acc_161km"] == 1.0
