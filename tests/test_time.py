"""Tests for khabar.time: publication dates, temporal expressions, event dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import time as timex
from khabar.datafiles import parse_yaml
from khabar.errors import DataError
from khabar.nlp import parse
from khabar.pipeline import Pipeline
from khabar.quantities import load_lexicon as load_quantities
from khabar.records import Analysis, Document, TimeMention
from khabar.time.candidates import ASCII_FOLDS, find_candidates, plausible, words_present
from khabar.time.words import SCHEMA, read_words

Analyse = Callable[..., Analysis]
LEXICON = timex.load_lexicon()  # one lexicon for every test here, as a pipeline builds one for its stages


@pytest.fixture(scope="module")
def analyse(pipeline: Pipeline) -> Analyse:
    """Parse a text with the session's spaCy model and run the time stage."""
    reader = timex.load_date_reader()

    def run(text: str, published: date | None = None, url: str = "") -> Analysis:
        document = Document("t", text, url=url, published=published,
                            published_source="metadata" if published else "unknown")
        return timex.resolve_times(parse(Analysis(document), pipeline.model), lexicon=LEXICON, reader=reader)

    return run


def _published(text: str) -> tuple[date, str, str] | None:
    """The publication date a text's header gives."""
    return timex.publication_from_text(text, LEXICON)


def _only(analysis: Analysis, surface_part: str) -> TimeMention:
    """The single time mention whose surface contains a string."""
    found = [m for m in analysis.times if surface_part in m.surface]
    assert len(found) == 1, [m.surface for m in analysis.times]
    return found[0]


@pytest.mark.parametrize(
    ("text", "published", "surface", "start", "end", "ucdp"),
    [
        ("Gunmen attacked the post yesterday.", date(2021, 10, 22), "yesterday", date(2021, 10, 21), None, 1),
        ("Gunmen attacked the post on Friday.", date(2021, 10, 24), "Friday", date(2021, 10, 22), None, 1),
        ("A blast hit the mosque earlier on Sunday.", date(2021, 10, 24), "Sunday", date(2021, 10, 24), None, 1),
        ("The office closed last week.", date(2021, 10, 22), "last week", date(2021, 10, 11), date(2021, 10, 17), 3),
        ("The summit met last October in the capital.", date(2022, 3, 1), "October",
         date(2021, 10, 1), date(2021, 10, 31), 4),
        ("The summit met last October in the capital.", date(2022, 11, 20), "October",
         date(2022, 10, 1), date(2022, 10, 31), 4),
        ("Early in March 2022 the agency warned of hunger.", None, "March 2022",
         date(2022, 3, 1), date(2022, 3, 11), 4),
        ("Talks were held between September 26-28 2019 in the city.", None, "26-28",
         date(2019, 9, 26), date(2019, 9, 28), 2),
        ("On 18-April-2019, two posts were attacked.", None, "18-April-2019", date(2019, 4, 18), None, 1),
        ("The funds run out by mid-2022, the agency said.", date(2021, 5, 1), "2022",
         date(2022, 5, 1), date(2022, 9, 2), 5),
        ("Prices rose until the end of February.", date(2022, 4, 1), "February",
         date(2022, 2, 23), date(2022, 2, 28), 2),
        ("The city fell on August 15.", date(2021, 10, 22), "August 15", date(2021, 8, 15), None, 1),
        ("The city fell on August 15.", date(2021, 3, 1), "August 15", date(2020, 8, 15), None, 1),
        ("The city fell on 15 August 2021 after a siege.", None, "15 August 2021", date(2021, 8, 15), None, 1),
        ("The bombing on Aug. 26 killed many.", date(2021, 10, 1), "Aug. 26", date(2021, 8, 26), None, 1),
        ("The group was founded in 2017.", None, "2017", date(2017, 1, 1), date(2017, 12, 31), 5),
        ("In April 2017, the spokesman surrendered.", None, "April 2017", date(2017, 4, 1), date(2017, 4, 30), 4),
        ("The convoy was hit in the past 24 hours.", date(2020, 6, 2), "24 hours",
         date(2020, 6, 1), date(2020, 6, 2), 2),
        # a count of units ago is as precise as its unit: a day, a week, a year
        ("The depot burned three days ago.", date(2016, 6, 15), "three days ago", date(2016, 6, 12), None, 1),
        ("The depot burned two weeks ago.", date(2016, 6, 15), "two weeks ago",
         date(2016, 5, 29), date(2016, 6, 4), 3),
        ("The unrest began seven years ago.", date(2016, 6, 15), "seven years ago",
         date(2008, 12, 17), date(2009, 12, 16), 5),
        # a year-less day a few days after the publication is the coming one, not last year's
        ("The council has set Aug. 31 as the deadline.", date(2021, 8, 26), "Aug. 31", date(2021, 8, 31), None, 1),
        ("The council met on Sept. 30 to vote.", date(2021, 8, 26), "Sept. 30", date(2020, 9, 30), None, 1),
        # slashed dates: a number above 12 is the day; else the order that puts the date just before
        # the publication, else the day first
        ("Deputies took the call on 09/19/2016 at noon.", None, "09/19/2016", date(2016, 9, 19), None, 1),
        ("Deputies took the call on 19/09/2016 at noon.", None, "19/09/2016", date(2016, 9, 19), None, 1),
        ("A farmer was shot late on 5/28/17 near the river.", None, "5/28/17", date(2017, 5, 28), None, 1),
        ("The depot burned on 03/08/2019, the mayor said.", date(2019, 3, 12), "03/08/2019",
         date(2019, 3, 8), None, 1),
        ("The depot burned on 03/08/2019, the mayor said.", date(2019, 8, 5), "03/08/2019",
         date(2019, 8, 3), None, 1),
        ("The depot burned on 03/08/2019, the mayor said.", None, "03/08/2019", date(2019, 8, 3), None, 1),
        # a holiday is the latest one on or before the anchor, or the one of the year given
        ("Two men were shot dead in the park on Father's Day.", date(2015, 6, 22), "Father's Day",
         date(2015, 6, 21), None, 1),
        ("The store was robbed on Christmas Eve.", date(2016, 1, 5), "Christmas Eve", date(2015, 12, 24), None, 1),
        ("A guard was killed on Memorial Day 2016 at the port.", None, "Memorial Day 2016", date(2016, 5, 30), None, 1),
        ("The shop burned on Mother\u2019s Day.", date(2016, 5, 10), "Mother", date(2016, 5, 8), None, 1),
        ("A man was shot on the Fourth of July in Akron.", date(2016, 7, 6), "Fourth of July",
         date(2016, 7, 4), None, 1),
        # the day next to a named day ("the day after Thanksgiving", "the day-after-Christmas fire")
        ("A girl was shot the day after Thanksgiving near her home.", date(2016, 11, 29), "Thanksgiving",
         date(2016, 11, 25), None, 1),
        ("Police named a suspect in the day-after-Christmas fire.", date(2016, 12, 30), "Christmas",
         date(2016, 12, 26), None, 1),
    ],
)
def test_expressions(
    analyse: Analyse, text: str, published: date | None, surface: str, start: date, end: date | None, ucdp: int
) -> None:
    span = _only(analyse(text, published), surface).span
    assert (span.start, span.end, span.ucdp_precision) == (start, end or start, ucdp)
    assert span.acled_precision == {1: 1, 2: 2, 3: 2}.get(ucdp, 3)


def test_past_months_reaches_back_from_publication(analyse: Analyse) -> None:
    span = _only(analyse("Attacks grew in the past 11 months.", date(2022, 7, 15)), "11 months").span
    assert span.end == date(2022, 7, 15)
    assert date(2021, 8, 1) <= span.start <= date(2021, 8, 31)
    assert span.ucdp_precision == 5


def test_reported_date_is_flagged_and_anchors_relative_times(analyse: Analyse) -> None:
    analysis = analyse("As reported on 18-May-2019, over the past 24 hours, 3 posts were overrun.")
    reported = _only(analysis, "18-May-2019")
    assert "reported" in reported.span.flags
    assert _only(analysis, "24 hours").span.start == date(2019, 5, 17)


def test_narrative_chain_follows_the_last_absolute_date(analyse: Analyse) -> None:
    analysis = analyse("On 21 April 2022 a mosque was bombed. One week later, a bus was hit.")
    later = _only(analysis, "One week later")
    assert later.span.start == date(2022, 4, 28)
    assert later.anchor == "narrative"


@pytest.mark.parametrize(
    "text",
    [
        "The SA delegation said we would return.",
        "About 80% of the residents left.",
        "Officials may respond to the letter.",
        "Protesters plan to march through the square.",
        "The fund paid $2019 to each family.",
        # a holiday naming a thing of its season is no day
        "She had just come back from a Halloween party when the shots rang out.",
    ],
)
def test_no_false_dates(analyse: Analyse, text: str) -> None:
    assert analyse(text, date(2021, 1, 10)).times == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 May 2020, Example Monitor Commentary 12\nAuthor Name\nText begins.",
         (date(2020, 5, 3), "Example Monitor", "header")),
        ("HERAT, Afghanistan (Feb. 3, 2012) - Police said a bomb exploded.", (date(2012, 2, 3), "", "dateline")),
        ("HERAT, Afghanistan, Feb. 3, 2012 -- Police said a bomb exploded.", (date(2012, 2, 3), "", "dateline")),
        ("Release 2011-03-A-1\nHERAT, Afghanistan (March 4) - Police said.", (date(2011, 3, 4), "", "dateline")),
        ("HERAT, Afghanistan (Feb. 3, 2012) − Police said a bomb exploded.", (date(2012, 2, 3), "", "dateline")),
        ("March 4: patrols in the west, release 2011-03-A-1\nPolice said.", (date(2011, 3, 4), "", "header")),
        ("A text that starts with no date at all, on March 4.", None),
    ],
)
def test_publication_from_text(text: str, expected: tuple[date, str, str] | None) -> None:
    assert _published(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/news/2021/10/22/story-slug", date(2021, 10, 22)),
        ("https://example.org/2019-04-07-some-title.html", date(2019, 4, 7)),
        ("https://example.org/news/story", None),
        ("https://example.org/2021/13/45/bad", None),
    ],
)
def test_publication_from_url(url: str, expected: date | None) -> None:
    assert timex.publication_from_url(url) == expected


def test_dateline_sets_publication_when_metadata_has_none(analyse: Analyse) -> None:
    analysis = analyse("HERAT, Afghanistan (Feb. 3, 2012) - Police detained two men yesterday.")
    assert analysis.document.published == date(2012, 2, 3)
    assert analysis.document.published_source == "dateline"
    assert _only(analysis, "yesterday").span.start == date(2012, 2, 2)


def test_undated_document_gets_an_inferred_window(analyse: Analyse) -> None:
    analysis = analyse("The council met on 12 March 2022. Fighting resumed last week in the north.")
    document = analysis.document
    assert document.published_source == "inferred"
    assert document.published == date(2022, 3, 13)
    assert document.published_window is not None and document.published_window[0] == date(2022, 3, 13)
    assert "inferred_publication" in _only(analysis, "last week").span.flags


def test_future_dates_do_not_bound_an_inferred_publication(analyse: Analyse) -> None:
    analysis = analyse("The council met on 12 March 2022. Aid may run out by mid-2023.")
    assert analysis.document.published == date(2022, 3, 13)


def test_document_without_any_date_stays_unknown(analyse: Analyse) -> None:
    analysis = analyse("Fighters attacked a post and withdrew.")
    assert analysis.document.published is None
    assert analysis.document.published_source == "unknown"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_header_and_url_parsers_never_crash(text: str) -> None:
    found = _published(text)
    assert found is None or isinstance(found[0], date)
    assert timex.publication_from_url(text) is None or isinstance(timex.publication_from_url(text), date)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)))
def test_any_written_date_round_trips(day: date) -> None:
    text = f"CITY, Country ({day.strftime('%B')} {day.day}, {day.year}) - Text follows."
    assert _published(text) == (day, "", "dateline")


@pytest.mark.parametrize(
    ("head", "day", "outlet", "how"),
    [
        ("Tuesday, March 7, 2023 | Valley Courier\n\nBody text.", date(2023, 3, 7), "Valley Courier", "header"),
        ("HERAT, May 2, 2022 (Plains Herald) -- Officials said", date(2022, 5, 2), "Plains Herald", "dateline"),
    ],
)
def test_weekday_headers_and_agency_datelines(head: str, day: date, outlet: str, how: str) -> None:
    assert _published(head) == (day, outlet, how)


def test_title_line_ending_with_a_full_date_gives_the_publication() -> None:
    text = "Regional Command Evening Update March 9, 2012\nA patrol detained a courier on Tuesday."
    assert _published(text) == (date(2012, 3, 9), "", "title")


def test_title_line_date_anchors_weekdays(analyse: Analyse) -> None:
    analysis = analyse("Regional Command Evening Update March 9, 2012\nA patrol detained a courier on Tuesday.")
    assert analysis.document.published == date(2012, 3, 9)
    assert _only(analysis, "Tuesday").span.start == date(2012, 3, 6)


def test_document_code_bounds_year_less_dates_and_gives_a_month_window(analyse: Analyse) -> None:
    analysis = analyse("Regional Command\n2012-01-R-041\nFor release\nA patrol detained a courier on Dec. 28.")
    assert _only(analysis, "Dec. 28").span.start == date(2011, 12, 28)
    assert analysis.document.published is None
    assert analysis.document.published_source == "document_code"
    assert analysis.document.published_window == (date(2012, 1, 1), date(2012, 1, 31))


def test_document_code_month() -> None:
    assert timex.document_code_month("Unit\n2010-07-CA-129 For release") == (date(2010, 7, 1), date(2010, 7, 31))
    assert timex.document_code_month("Order 2010-13-CA-129 was not valid") is None
    assert timex.document_code_month("Call 0093-2010-07-CA-1 now") is None


def test_a_date_that_dates_a_confirmation_is_flagged_as_a_report(analyse: Analyse) -> None:
    analysis = analyse("Officials today confirmed the arrest of a bomb maker in the valley on Saturday.",
                       date(2012, 9, 3))
    assert "reported" in _only(analysis, "today").span.flags


_VOCAB = ["two", "days", "later", "ago", "the", "past", "last", "next", "following", "week", "month", "on",
          "Monday", "MONDAY", "monday", "this", "morning", "yesterday", "Today", "over", "3", "12", "2019",
          "March", "mid", "early", "in", "of", "night", "-", ",", ".", "earlier", "\u017f", "LAST", "years",
          "May", "SEPT", "Sept.", "2019-05-03", "05.03.2019", "1999", "20190", "5th", "K"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VOCAB), max_size=30), st.lists(st.sampled_from([" ", "  ", "\n", ""]), max_size=30))
def test_lookaheads_and_word_gates_change_no_candidate(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + (gaps[i] if i < len(gaps) else " ") for i, w in enumerate(words))
    patterns = LEXICON.patterns
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in patterns.expressions:
        bare = re.compile(pattern.pattern.removeprefix(patterns.leads[kind]), pattern.flags)
        for match in bare.finditer(text):
            span = (match.start(), match.end())
            if any(span[0] < e and s < span[1] for s, e in taken) or not plausible(kind, match, text, patterns):
                continue
            taken.append(span)
            found.append((span[0], span[1], kind))
    assert [(r.start, r.end, r.kind) for r in find_candidates(text, patterns)] == sorted(found)


def test_word_gate_gives_up_on_letters_that_fold_onto_ascii() -> None:
    words = frozenset({"two", "days", "later", "the", "post", "fell"})
    assert words_present("Two days LATER, the post fell.") == words
    assert words_present("The po\u017ft fell la\u017ft week.") is None
    assert words_present("Caf\u00e9 attack two days ago") is not None


def test_the_letters_that_fold_onto_ascii_are_the_regex_engines() -> None:
    plane = "".join(map(chr, range(128, 0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    assert "".join(sorted(set(re.compile(r"[a-z]", re.IGNORECASE).findall(plane)))) == ASCII_FOLDS


def test_a_year_less_dateline_takes_the_first_such_day_after_the_last_date_the_text_names(analyse: Analyse) -> None:
    text = ("KABUL, Afghanistan (Jan. 14) - Troops searched a compound in the valley on Thursday. "
            "The commander they sought had attacked a school in June 2011.")
    analysis = analyse(text)
    assert (analysis.document.published, analysis.document.published_source) == (date(2012, 1, 14), "inferred")
    assert _only(analysis, "Thursday").span.start == date(2012, 1, 12)
    assert "dateline" in _only(analysis, "Jan. 14").span.flags


def test_a_year_less_dateline_in_a_text_without_any_year_leaves_the_publication_unknown(analyse: Analyse) -> None:
    analysis = analyse("KABUL, Afghanistan (Jan. 14) - Troops searched a compound in the valley today.")
    assert analysis.document.published is None


def _packaged_text() -> str:
    """The packaged time lexicon's text."""
    from importlib import resources

    return resources.files("khabar").joinpath("data", "lexicons", "time.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  day_parts: [morning, afternoon, evening, night]", "  day_parts: morning",
         "expressions.day_parts: expected a list"),
        ("  ago: [ago]\n", "", "expressions.ago: missing"),
        ("window_days: 62", "window_days: 62\n  window_weeks: 9", "inference.window_weeks: unknown key"),
    ],
)
def test_a_bad_lexicon_is_refused_with_the_key_path(old: str, new: str, message: str) -> None:
    text = _packaged_text()
    assert old in text
    with pytest.raises(DataError, match=re.escape(f"time.yaml: {message}")):
        parse_yaml(text.replace(old, new, 1), "time.yaml", SCHEMA)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    'on': on_or_before", "    on: on_or_before",
         "expressions.weekday_modifiers.True: a word YAML reads as bool"),
        ("    next: after", "    next: later", "unknown mode 'later'"),
        ("  overnight: [-1, 0]", "  overnight: [0, -1]", "deictic.overnight: expected an offset or [first, last]"),
        ("    days: [5, 6]", "    days: [5, 7]", "expressions.weekend.days: expected [first, last] weekdays"),
    ],
)
def test_lexicon_values_the_schema_cannot_see_are_refused(old: str, new: str, message: str) -> None:
    data = parse_yaml(_packaged_text().replace(old, new, 1), "time.yaml", SCHEMA)
    with pytest.raises(ValueError, match=re.escape(message)):
        read_words(data, load_quantities().words)


# --- clauses about the future --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "surface", "start"),
    [
        ("The suspect is due in court on Friday.", date(2021, 6, 8), "Friday", date(2021, 6, 11)),
        ("A vigil will be held at the chapel Wednesday evening.", date(2021, 6, 8), "Wednesday", date(2021, 6, 9)),
        ("The hearing is set for March 3.", date(2021, 2, 20), "March 3", date(2021, 3, 3)),
        ("The inquest is scheduled for Jan. 4.", date(2021, 12, 20), "Jan. 4", date(2022, 1, 4)),
        ("He is expected to appear in court Monday.", date(2021, 6, 8), "Monday", date(2021, 6, 14)),
        ("The clerk said the trial would open on Tuesday.", date(2021, 6, 8), "Tuesday", date(2021, 6, 8)),
        ("She will be sentenced in June.", date(2021, 6, 8), "June", date(2021, 6, 1)),
        ("The family meets the mayor tomorrow.", date(2021, 6, 8), "tomorrow", date(2021, 6, 9)),
        ("The talks resume next week.", date(2021, 6, 8), "next week", date(2021, 6, 14)),
        ("The trial was adjourned to 30 June.", date(2021, 6, 8), "30 June", date(2021, 6, 30)),
    ],
)
def test_a_time_ahead_of_the_writer_is_flagged_future(
    analyse: Analyse, text: str, published: date, surface: str, start: date
) -> None:
    span = _only(analyse(text, published), surface).span
    assert span.start == start
    assert "future" in span.flags


@pytest.mark.parametrize(
    ("text", "surface", "start"),
    [
        ("The shop was set on fire on Saturday.", "Saturday", date(2021, 6, 5)),
        ("He would have turned 18 on Friday.", "Friday", date(2021, 6, 4)),
        ("A trader was shot dead Friday after he was due to testify.", "Friday", date(2021, 6, 4)),
        ("Gunmen had set fire to the depot on Monday.", "Monday", date(2021, 6, 7)),
        ("The fall of the town would be their worst defeat since March.", "March", date(2021, 3, 1)),
    ],
)
def test_a_past_clause_is_not_flagged_future(analyse: Analyse, text: str, surface: str, start: date) -> None:
    span = _only(analyse(text, date(2021, 6, 8)), surface).span
    assert span.start == start
    assert "future" not in span.flags


def test_a_future_year_does_not_date_an_undated_text(analyse: Analyse) -> None:
    analysis = analyse("The council met on 12 March 2022. The governor will stand for office again in May 2025.")
    assert analysis.document.published == date(2022, 3, 13)


def test_a_weekday_naming_the_date_after_it_is_that_date(analyse: Analyse) -> None:
    analysis = analyse("Posted Friday, June 11, 2021. Gunmen attacked a post on Thursday.", date(2021, 6, 12))
    assert [m.surface for m in analysis.times] == ["June 11, 2021", "on Thursday"]
    assert _only(analysis, "Thursday").span.start == date(2021, 6, 10)


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("Two men were shot over the weekend.", date(2021, 6, 8), date(2021, 6, 5), date(2021, 6, 6)),
        ("Two men were shot this past weekend.", date(2021, 6, 8), date(2021, 6, 5), date(2021, 6, 6)),
        ("Two men were shot over the weekend.", date(2021, 6, 5), date(2021, 6, 5), date(2021, 6, 5)),
        ("Two men were shot last weekend.", date(2021, 6, 6), date(2021, 5, 29), date(2021, 5, 30)),
    ],
)
def test_a_weekend_is_the_latest_one_up_to_the_anchor(
    analyse: Analyse, text: str, published: date, start: date, end: date
) -> None:
    span = _only(analyse(text, published), "weekend").span
    assert (span.start, span.end, "future" in span.flags) == (start, end, False)


@pytest.mark.parametrize("text", ["A march is planned this weekend.", "A vigil will be held over the weekend.",
                                  "The fair opens next weekend."])
def test_a_weekend_still_to_come_is_the_coming_one(analyse: Analyse, text: str) -> None:
    span = _only(analyse(text, date(2021, 6, 8)), "weekend").span
    assert (span.start, span.end) == (date(2021, 6, 12), date(2021, 6, 13)) and "future" in span.flags


def test_overnight_is_the_night_into_the_anchor_day(analyse: Analyse) -> None:
    span = _only(analyse("Rockets hit the base overnight.", date(2021, 6, 8)), "overnight").span
    assert (span.start, span.end, span.ucdp_precision) == (date(2021, 6, 7), date(2021, 6, 8), 2)


# --- datelines without a year ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Release 2011-01-S-050\nKABUL, Afghanistan (Dec. 31) - Police said.", date(2010, 12, 31)),
        ("Release 2010-08-CA-043\nKABUL, Afghanistan (Sept. 4) - Police said.", date(2010, 9, 4)),
        ("Evening Update, Jan. 2, 2012\nKABUL, Afghanistan (Dec. 31) - Police said.", date(2011, 12, 31)),
    ],
)
def test_a_year_less_dateline_takes_the_year_nearest_the_header(text: str, expected: date) -> None:
    found = _published(text)
    assert found is not None and found[0] == expected


def test_a_year_less_dateline_takes_the_year_of_a_known_publication(analyse: Analyse) -> None:
    analysis = analyse("KABUL, Afghanistan (Dec. 30) - A patrol detained a courier yesterday.", date(2012, 1, 2))
    assert analysis.document.published == date(2012, 1, 2)  # the metadata stands
    dateline = _only(analysis, "Dec. 30")
    assert dateline.span.start == date(2011, 12, 30) and "dateline" in dateline.span.flags
    assert _only(analysis, "yesterday").span.start == date(2011, 12, 29)


def test_a_dateline_after_the_publication_does_not_anchor_relative_words(analyse: Analyse) -> None:
    analysis = analyse("KABUL, Afghanistan (May 16, 2012) - A patrol detained a courier yesterday.", date(2012, 5, 15))
    assert _only(analysis, "yesterday").span.start == date(2012, 5, 14)


def test_a_page_stamp_with_a_clock_time_dates_the_page_only(analyse: Analyse) -> None:
    found = _only(analyse("Posted 3:57 AM, May 26, 2015, by a staff writer\n\nA girl was shot on Monday.",
                          date(2015, 5, 26)), "May 26")
    assert timex.STAMP in found.span.flags
