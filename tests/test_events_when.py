"""Tests of events.when: the date of an event trigger (its clause's time, the narrative time or the publication)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from khabar import time as timex
from khabar.events.when import event_time, first_time_after
from khabar.nlp import parse
from khabar.pipeline import Pipeline
from khabar.records import Analysis, Document

Analyse = Callable[..., Analysis]
LEXICON = timex.load_lexicon()  # one lexicon for every test here, as a pipeline builds one for its stages


@pytest.fixture(scope="module")
def analyse(pipeline: Pipeline) -> Analyse:
    """Parse a text with the session's spaCy model and run the time stage."""
    reader = timex.load_date_reader()

    def run(text: str, published: date | None = None) -> Analysis:
        document = Document("t", text, published=published, published_source="metadata" if published else "unknown")
        return timex.resolve_times(parse(Analysis(document), pipeline.model), lexicon=LEXICON, reader=reader)

    return run


def _trigger(analysis: Analysis, word: str) -> tuple[int, int]:
    """The character span of a trigger word."""
    start = analysis.document.text.index(word)
    return start, start + len(word)


def test_event_time_prefers_the_clause_expression(analyse: Analyse) -> None:
    analysis = analyse("Officials said on Tuesday that a bomb exploded on Sunday in the market.", date(2021, 6, 10))
    span = event_time(analysis, *_trigger(analysis, "exploded"))
    assert span is not None and span.start == date(2021, 6, 6)


def test_event_time_falls_back_to_narrative_time(analyse: Analyse) -> None:
    analysis = analyse("On 3 May 2020, gunmen stormed a clinic. Two guards were killed.", date(2020, 5, 9))
    span = event_time(analysis, *_trigger(analysis, "killed"))
    assert span is not None and span.start == date(2020, 5, 3)
    assert "narrative" in span.flags


def test_event_time_flags_the_publication_fallback(analyse: Analyse) -> None:
    analysis = analyse("Gunmen stormed a clinic and killed two guards.", date(2020, 5, 9))
    span = event_time(analysis, *_trigger(analysis, "killed"))
    assert span is not None and span.start == date(2020, 5, 9)
    assert span.flags == ("from_publication",)


def test_event_time_is_none_without_any_date(analyse: Analyse) -> None:
    analysis = analyse("Gunmen stormed a clinic and killed two guards.")
    assert event_time(analysis, *_trigger(analysis, "killed")) is None


def test_headline_trigger_takes_the_lead_date(analyse: Analyse) -> None:
    text = "Police Detain Two Smugglers\nHERAT, Afghanistan (Feb. 3, 2012) - Police detained two smugglers on Monday."
    analysis = analyse(text)
    span = event_time(analysis, *_trigger(analysis, "Detain"))
    assert span is not None and span.start == date(2012, 1, 30)


def test_headline_trigger_without_a_lead_date_takes_the_publication(analyse: Analyse) -> None:
    text = "Police Detain Two Smugglers\nHERAT, Afghanistan (Feb. 3, 2012) - Police detained two smugglers."
    analysis = analyse(text)
    span = event_time(analysis, *_trigger(analysis, "Detain"))
    assert span is not None and span.start == date(2012, 2, 3) and "from_publication" in span.flags


def test_unfinished_sentence_reaches_into_the_next_for_its_date(analyse: Analyse) -> None:
    analysis = analyse("A patrol came under fire near the river\n\nbank on Sunday. Nobody was hurt.", date(2021, 6, 10))
    sentence = analysis.sentence_of(analysis.document.text.index("fire"))
    assert sentence is not None and "Sunday" not in sentence.text
    span = event_time(analysis, *_trigger(analysis, "fire"))
    assert span is not None and span.start == date(2021, 6, 6)


def test_a_date_that_dates_a_confirmation_does_not_date_the_event(analyse: Analyse) -> None:
    analysis = analyse("Officials today confirmed the arrest of a bomb maker in the valley on Saturday.",
                       date(2012, 9, 3))
    span = event_time(analysis, *_trigger(analysis, "arrest"))
    assert span is not None and span.start == date(2012, 9, 1)


def test_a_headline_event_before_every_date_takes_the_first_one(analyse: Analyse) -> None:
    analysis = analyse("Rebel Courier Detained\nUnit news 2010-07-CA-129\nA patrol detained a courier in the city "
                       "July 16 at noon.")
    assert analysis.document.published is None
    span = first_time_after(analysis, analysis.document.text.index("Detained"))
    assert span is not None and span.start == date(2010, 7, 16) and "narrative" in span.flags
    assert first_time_after(analysis, analysis.document.text.index("noon")) is None


def test_a_sentence_final_date_dates_every_place_of_a_split_event(pipeline: Pipeline) -> None:
    text = ("HERAT, Afghanistan (Nov. 5, 2012)\nAfghan commandos killed four gunmen carrying explosives "
            "during separate operations in Herat and Badghis provinces Sunday.")
    analysis = pipeline.analyse(Document("t", text, published=date(2012, 11, 5), published_source="metadata"))
    violent = [e for e in analysis.events if e.fatalities is not None]
    assert violent
    assert all(e.time is not None and e.time.start == date(2012, 11, 4) for e in violent)


# --- an event that occurred is never dated after the text, nor by a date still to come ---------------------------


def test_a_court_date_ahead_does_not_date_a_shooting(analyse: Analyse) -> None:
    analysis = analyse("The suspect is due in court on Friday. A man was shot dead near the market, police said.",
                       date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "shot"))
    assert span is not None and span.start == date(2021, 6, 8) and span.flags == ("from_publication",)


def test_a_hearing_set_for_a_later_day_does_not_date_a_shooting(analyse: Analyse) -> None:
    analysis = analyse("The hearing is set for March 3. Police said a cook was shot outside the bakery.",
                       date(2021, 2, 20))
    span = event_time(analysis, *_trigger(analysis, "shot"))
    assert span is not None and span.start == date(2021, 2, 20)


def test_a_date_after_the_publication_does_not_date_an_event(analyse: Analyse) -> None:
    analysis = analyse("The photo gallery was updated on June 12, 2021. A guard was killed near the depot.",
                       date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "killed"))
    assert span is not None and span.start == date(2021, 6, 8) and "from_publication" in span.flags


def test_a_weekday_in_a_past_clause_is_the_latest_such_day(analyse: Analyse) -> None:
    analysis = analyse("A ferry guard was shot Friday on the pier. He will appear before a judge on Friday.",
                       date(2021, 6, 8))  # a Tuesday
    span = event_time(analysis, *_trigger(analysis, "shot"))
    assert span is not None and span.start == date(2021, 6, 4)


# --- a recalled event keeps its own date -------------------------------------------------------------------------


def test_a_recalled_arrest_keeps_its_month(analyse: Analyse) -> None:
    analysis = analyse("A driver was shot on Sunday. Police said the suspect was arrested in August 2014 after a "
                       "robbery.", date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "arrested"))
    assert span is not None and (span.start, span.end) == (date(2014, 8, 1), date(2014, 8, 31))


def test_a_recalled_attack_keeps_its_year_over_the_narrative_date(analyse: Analyse) -> None:
    analysis = analyse("Gunmen ambushed a bus on the highway on Monday. The same band was blamed for a 2011 attack "
                       "on the road.", date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "attack"))
    assert span is not None and (span.start, span.end) == (date(2011, 1, 1), date(2011, 12, 31))


def test_a_time_modifying_a_noun_trigger_beats_the_clause_time(analyse: Analyse) -> None:
    analysis = analyse("Two men were charged on Tuesday over last week's shooting of a teenager.", date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "shooting"))
    assert span is not None and (span.start, span.end) == (date(2021, 5, 31), date(2021, 6, 6))
    charged = event_time(analysis, *_trigger(analysis, "charged"))
    assert charged is not None and charged.start == date(2021, 6, 8)


def test_a_sentence_with_its_own_date_does_not_inherit_an_earlier_one(analyse: Analyse) -> None:
    analysis = analyse("On 3 May 2020, gunmen stormed a clinic. A second clinic was raided on 7 May 2020.",
                       date(2020, 5, 9))
    span = event_time(analysis, *_trigger(analysis, "raided"))
    assert span is not None and span.start == date(2020, 5, 7) and "narrative" not in span.flags


# --- texts dated only to a month, and datelines without a year ----------------------------------------------------


def test_a_release_code_alone_dates_events_to_its_month(analyse: Analyse) -> None:
    analysis = analyse("Joint Command\n2012-05-S-027\nFor release\nA patrol detained two couriers in the valley "
                       "yesterday.")
    span = event_time(analysis, *_trigger(analysis, "detained"))
    assert span is not None and (span.start, span.end) == (date(2012, 5, 1), date(2012, 5, 31))
    assert span.flags == ("from_publication",)


def test_a_year_less_dateline_takes_the_year_of_the_release_code(analyse: Analyse) -> None:
    analysis = analyse("Joint Command\n2012-05-S-027\nKABUL, Afghanistan (May 15) - A patrol detained two "
                       "couriers in the valley yesterday.")
    span = event_time(analysis, *_trigger(analysis, "detained"))
    assert span is not None and span.start == date(2012, 5, 14)


def test_relative_words_count_from_a_year_less_dateline_not_a_later_publication(analyse: Analyse) -> None:
    analysis = analyse("KABUL, Afghanistan (May 15) - A patrol detained two couriers in the valley Saturday. "
                       "Another patrol found a cache today.", date(2012, 5, 20))
    detained = event_time(analysis, *_trigger(analysis, "detained"))
    found = event_time(analysis, *_trigger(analysis, "found"))
    assert detained is not None and detained.start == date(2012, 5, 12)  # the Saturday before Tuesday 15 May
    assert found is not None and found.start == date(2012, 5, 15)


# --- nights and parts of days ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("overnight", date(2021, 6, 7), date(2021, 6, 8)),
        ("last night", date(2021, 6, 7), date(2021, 6, 7)),
        ("early Monday", date(2021, 6, 7), date(2021, 6, 7)),
        ("late on Sunday", date(2021, 6, 6), date(2021, 6, 6)),
        ("over the weekend", date(2021, 6, 5), date(2021, 6, 6)),
    ],
)
def test_nights_and_parts_of_days(analyse: Analyse, words: str, start: date, end: date) -> None:
    analysis = analyse(f"Gunmen attacked a police post {words} in the north, officials said.", date(2021, 6, 8))
    span = event_time(analysis, *_trigger(analysis, "attacked"))
    assert span is not None and (span.start, span.end) == (start, end)


def test_the_day_a_source_said_something_does_not_date_what_it_said(pipeline: Pipeline) -> None:
    text = ("KABUL, Aug. 28 - A suicide bomber killed dozens of people outside Kabul airport on Thursday. "
            "The Pentagon said on Friday that a single bomber carried out the attack.")
    found = pipeline.analyse(Document(doc_id="t", text=text, published=date(2021, 8, 28))).events
    assert {e.time.start for e in found if e.time is not None} == {date(2021, 8, 26)}


def test_a_later_step_s_day_does_not_date_the_act_it_speaks_of(analyse: Analyse) -> None:
    # published Saturday 12 June 2021: Friday dates the charge, Tuesday the stabbing told before it
    text = ("A man was stabbed outside a bakery on Tuesday evening. "
            "His neighbour was charged on Friday in the stabbing of the baker.")
    analysis = analyse(text, date(2021, 6, 12))
    span = event_time(analysis, *_trigger(analysis, "stabbing of"))
    assert span is not None and span.start == date(2021, 6, 8)
    # the charge itself is dated by its own day
    charge = event_time(analysis, *_trigger(analysis, "charged"))
    assert charge is not None and charge.start == date(2021, 6, 11) and "reported" not in charge.flags


def test_a_later_step_s_day_alone_bounds_the_act_from_above(analyse: Analyse) -> None:
    analysis = analyse("Two brothers were arraigned on Friday in the killing of a cashier.", date(2021, 6, 12))
    span = event_time(analysis, *_trigger(analysis, "killing"))
    assert span is not None and span.start == date(2021, 6, 11) and "reported" in span.flags


def test_a_day_told_of_the_act_itself_dates_it_whatever_verb_follows(analyse: Analyse) -> None:
    analysis = analyse("The shooting of a courier in Elmdale on Thursday is being investigated by state police.",
                       date(2021, 6, 12))
    span = event_time(analysis, *_trigger(analysis, "shooting"))
    assert span is not None and span.start == date(2021, 6, 10) and "reported" not in span.flags


def test_a_later_step_s_day_never_yields_to_a_later_narrative_day(analyse: Analyse) -> None:
    text = ("The court heard the appeal on Monday. "
            "In 2005, his driver was convicted for the bombing of a depot in the port.")
    analysis = analyse(text, date(2021, 6, 12))
    span = event_time(analysis, *_trigger(analysis, "bombing"))
    assert span is not None and span.end <= date(2005, 12, 31)
