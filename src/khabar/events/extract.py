"""The events stage's entry: detect, code and fill the events of one document.

Cascade, per sentence: the prefilter and trigger lexicon (``triggers``) -> the trained classifier
(``classify``) picks the code among the triggers' candidates -> drafts get their status (``status``)
and actor roles (``roles``) -> claims, attributions and denials attach to the event they refer to
(``responsibility``) -> later mentions merge into the event they repeat (``coref``) -> place, time and
tolls come from the other stages' analyses (``arguments``) as each draft is frozen into an ``Event``.
"""

from __future__ import annotations

from dataclasses import replace

from khabar import places
from khabar.actors import Registry
from khabar.events.ages import with_ages
from khabar.events.arguments import freeze, place_national_acts
from khabar.events.coref import merge_anaphora, merge_repeats, merge_title
from khabar.events.drafts import sentence_drafts
from khabar.events.incidents import Mention, code_incident, group_incidents, reports_occurrence
from khabar.events.resources import EventResources
from khabar.events.responsibility import apply_claims
from khabar.events.triggers import find_triggers, is_event_candidate
from khabar.events.types import DocIndex, Draft, Trigger
from khabar.records import Analysis, Event
from khabar.stages import Contract

CONTRACT = Contract("events", requires=frozenset({"tokens", "sentences", "entities", "actors", "places", "times",
                                                  "quantities", "document.published"}),
                    assigns=frozenset({"events"}))


def extract_events(
    analysis: Analysis,
    resources: EventResources,
    registry: Registry | None = None,
    gazetteer: places.Gazetteer | None = None,
) -> Analysis:
    """Detect and code the events of a document.

    Requires tokens, sentences, entities, actors, places, times and quantities; assigns ``events``.
    ``registry`` and ``gazetteer`` place national acts at the capital of the actor's country.
    """
    doc = DocIndex(analysis, resources)
    found = []
    for sentence in analysis.sentences:
        if is_event_candidate(sentence.text, resources.lexicon):
            triggers = find_triggers(doc, sentence.index)
            if triggers:
                found.append((sentence, triggers))
    needed = [sentence for sentence, triggers in found if any(_needs_classifier(doc, t) for t in triggers)]
    scored = resources.classifier.score_all([sentence.text for sentence in needed])
    for n, sentence in enumerate(needed):
        doc.scores[sentence.index] = {head: rows[n] for head, rows in scored.items()}
    drafts: list[Draft] = []
    for sentence, triggers in found:
        drafts.extend(sentence_drafts(doc, sentence, triggers))
    apply_claims(doc, drafts)
    drafts = merge_repeats(doc, merge_title(doc, merge_anaphora(doc, drafts)))
    if gazetteer is not None and registry is not None:
        place_national_acts(doc, drafts, registry, gazetteer)
    rules = resources.incidents
    mentions = [Mention(d, freeze(doc, d, n)) for n, d in enumerate(drafts) if reports_occurrence(doc, rules, d)]
    incidents = group_incidents(doc, rules, mentions)
    events = tuple(code_incident(doc, rules, incident, n) for n, incident in enumerate(incidents))
    return replace(analysis, events=with_ages(analysis, _without_vague_recalls(events), resources.tolls.words))


def _without_vague_recalls(events: tuple[Event, ...]) -> tuple[Event, ...]:
    """The events less the past violence recalled only to a month or a year, with no toll, beside the news.

    "He was arrested in August 2014", "protests that began seven years ago": recalled as context and not
    told closely enough to code. A recalled incident with its toll ("the bombing outside Kabul airport in
    August 2021, which killed 170 civilians") is identifiable and kept, as is an article's only incident.
    """
    news = any(e.status != "background" for e in events)
    return tuple(e for e in events if not (news and _vague_recall(e)))


def _vague_recall(event: Event) -> bool:
    """Whether an event is a background violent incident dated no closer than a month and counting no victims.

    Recalled political acts stay: a takeover, a release or a summit is named by who did it and when
    ("the Taliban took power in August 2021"), and analysts ask for them.
    """
    vague = event.time is None or event.time.ucdp_precision >= 4
    violent = event.family in ("violence", "other")
    return violent and event.status == "background" and vague and not (event.fatalities or event.injuries)


def _needs_classifier(doc: DocIndex, trigger: Trigger) -> bool:
    """Whether coding a trigger needs the classifier (a violent one, or a political one with a choice)."""
    group = trigger.group
    if group.family != "political":
        return True
    code = doc.lexicon.plover_case.get(group.plover[0] if group.plover else "", "OTHER")
    # a demonstration's sub-type (peaceful, broken up, violent) is the classifier's choice among the trigger's codes
    return len(group.plover) > 1 or len(group.cases) > 1 or bool(group.cases and code not in group.cases)
