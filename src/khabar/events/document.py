"""Whole-document labels: the main event of a short text and the one CASE code of a snippet.

The evaluation harnesses score one answer per labelled row; these read it off a finished analysis,
with the events stage's resources (``Pipeline.event_resources``) passed in.
"""

from __future__ import annotations

from khabar.events.parties import default_parties
from khabar.events.resources import EventResources
from khabar.events.roles import snippet_parties
from khabar.events.types import HEADLINE_ENDINGS, DocIndex, ends_its_line
from khabar.events.when import event_time, first_time_after
from khabar.events.where import finer_fallback
from khabar.records import Analysis, Event, TimeSpan, Token


def main_event(analysis: Analysis, resources: EventResources) -> Event | None:
    """The main event of a short text: in its first event sentence, the one whose trigger heads the clause."""
    events = [e for e in analysis.events if e.status != "negated"] or list(analysis.events)
    if not events:
        return fallback_event(analysis, resources)
    told = {e.event_id: [i for i in _sentences_of(e) if not is_headline(analysis, i)] for e in events}
    body = [e for e in events if told[e.event_id]] or events
    first = min(min(told[e.event_id] or [_sentence_of(e)]) for e in body)
    lead = [e for e in body if first in told[e.event_id] or _sentence_of(e) == first]
    text = analysis.document.text
    scored = resources.classifier.score_all([text])
    case, plover = scored["case"][0], scored["plover"][0]
    prob = {**dict(zip(case.labels, case.probs, strict=True))}
    pprob = dict(zip(plover.labels, plover.probs, strict=True))
    by_start = {t.start: t for t in analysis.tokens}

    def rank(event: Event) -> tuple[int, float]:
        """Shallower trigger first, then the classifiers' belief in the event's codes."""
        score = prob.get(event.case_label, 0.0) + pprob.get(event.plover_type, 0.0)
        return _depth(analysis, by_start.get(_trigger_start(event))), -score

    return min(lead, key=rank)


def is_headline(analysis: Analysis, index: int) -> bool:
    """Whether a sentence is a title line: no closing punctuation; mostly capitalised words, or the first line alone.

    A headline names the incident but its verb ("Forces Target Leaders") is a poor anchor for
    the date and toll, which the body's lead sentence states.
    """
    if index >= len(analysis.sentences):
        return False
    sentence = analysis.sentences[index]
    text = sentence.text.strip()
    if not text or text[-1] in HEADLINE_ENDINGS:
        return False
    words = [w for w in text.split() if w[:1].isalpha()]
    capitalised = [w for w in words if w[0].isupper()]
    if len(words) >= 2 and len(capitalised) >= 0.6 * len(words):
        return True
    whole = analysis.document.text  # the text's first line, standing alone above the body
    return index == 0 and len(words) >= 2 and ends_its_line(whole, sentence) and bool(whole[sentence.end :].strip())


def _sentence_of(event: Event) -> int:
    """The sentence of the mention an event is coded from (its trigger's), else the first it is told in."""
    trigger = next((f.evidence.sentence for f in event.field_evidence if f.field == "type"), None)
    if trigger is not None:
        return trigger
    return event.evidence[0].sentence if event.evidence else 0


def _sentences_of(event: Event) -> list[int]:
    """The sentences an event is told in."""
    return [e.sentence for e in event.evidence]


def _trigger_start(event: Event) -> int:
    """The start offset of an event's trigger."""
    return next((f.evidence.start for f in event.field_evidence if f.field == "type"), -1)


def _depth(analysis: Analysis, token: Token | None) -> int:
    """How many arcs separate a token from its sentence root (large when unknown)."""
    if token is None:
        return 99
    depth = 0
    while token.head != token.i and depth < 50:
        token = analysis.tokens[token.head]
        depth += 1
    return depth


def fallback_event(analysis: Analysis, resources: EventResources) -> Event | None:
    """An event coded from the whole text when no trigger fired (short snippets only)."""
    text = analysis.document.text
    if not text.strip():
        return None
    code = document_label(analysis, resources)
    row = resources.lexicon.codes[code]
    plover, _ = resources.classifier.scores([text], "plover")[0].best()
    actor1, actor2 = snippet_parties(analysis, resources, plover)
    event = Event(
        event_id=f"{analysis.document.doc_id}:doc",
        doc_id=analysis.document.doc_id,
        family=row.family,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        plover_type=plover,
        case_label=code,
        actor1=actor1,
        actor2=actor2,
        time=_snippet_time(analysis),
        place=finer_fallback(analysis),  # the snippet's main place below country level, at a coarse precision
        confidence=0.3,
        evidence=(analysis.evidence(0, len(text)),),
    )
    # the parties ACLED gives an event whose text names none: the riot's rioters, an attack's civilians
    return default_parties(DocIndex(analysis, resources), event)


def _snippet_time(analysis: Analysis) -> TimeSpan | None:
    """The time of a snippet coded as a whole: its lead's time, else its first dated expression."""
    span = event_time(analysis, 0, 0)
    if span is None or "from_publication" in span.flags:
        return first_time_after(analysis, 0) or span
    return span


def document_label(analysis: Analysis, resources: EventResources) -> str:
    """The one CASE-2021 code of a whole snippet."""
    classifier = resources.classifier
    label, _ = classifier.scores([analysis.document.text], "case")[0].best()
    return label
