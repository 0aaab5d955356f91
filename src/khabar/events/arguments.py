"""An event's arguments besides its actors: place, time, tolls and PLOVER coding; a draft frozen into an Event.

These read the other stages' analyses through the events stage's own queries: ``where.place_for`` (the
place of a trigger, refined from a coreferent mention when only a country is known), ``when.event_time``
(with a date in a sentence split by place belonging to the nearest place) and ``tolls.toll_near`` (or a
toll in a relative clause on the event's own trigger). A seizure of power sits at the capital of the
actor's country unless it names the place it took.
"""

from __future__ import annotations

from khabar import places
from khabar.actors import Registry
from khabar.events.lexicon import CodeRow
from khabar.events.status import is_intent
from khabar.events.types import DocIndex, Draft, is_political
from khabar.events.when import act_time, event_time, first_time_after, narrative_time
from khabar.events.where import capital_mention, finer_fallback
from khabar.records import Analysis, Event, FieldEvidence, PlaceMention, TimeSpan, Toll

TOLL_FIELDS = {"killed": "fatalities", "wounded": "injuries", "captured": "arrests"}  # toll kind -> Event field
OBJECT_REACH = 24  # characters from a trigger's end to the place it governs: "over", "of the city of"


def freeze(doc: DocIndex, draft: Draft, number: int) -> Event:
    """Turn a draft into an Event with place, time, tolls and evidence."""
    analysis = doc.analysis
    row = doc.lexicon.codes[draft.code]
    start, end = draft.trigger.token.start, draft.trigger.end
    place = draft.place or draft.seat or _refined_place(doc, draft, doc.place_at(start, end))
    tolls = {kind: _toll_for(doc, draft, kind) for kind in ("killed", "wounded", "captured")}
    fields = [FieldEvidence("type", analysis.evidence(start, end)), *draft.fields]
    fields += [FieldEvidence("place", place.evidence)] if place else []
    fields += [FieldEvidence(TOLL_FIELDS[k], e) for k, t in tolls.items() if t for e in t.evidence]
    return Event(
        event_id=f"{analysis.document.doc_id}:e{number}",
        doc_id=analysis.document.doc_id,
        family="political" if draft.trigger.group.family == "political" else row.family,
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        plover_type=_plover(doc, draft, row),
        plover_mode=_mode(doc, draft, row),
        case_label=draft.code,
        actor1=draft.actor1,
        actor2=draft.actor2,
        associated=draft.associated,
        place=place,
        time=_time_for(analysis, draft, place, start, end),
        fatalities=tolls["killed"],
        injuries=tolls["wounded"],
        arrests=arrests(draft, tolls["captured"]),
        claimed_by=draft.claimed_by,
        claim_channel=draft.claim_channel,
        attributed_by=draft.attributed_by,
        denied_by=draft.denied_by,
        status=draft.status,
        confidence=round(_confidence(draft), 3),
        evidence=tuple(analysis.evidence(s.start, s.end) for s in draft.sentences),
        field_evidence=tuple(fields),
    )


def _refined_place(doc: DocIndex, draft: Draft, place: PlaceMention | None) -> PlaceMention | None:
    """A finer place from a coreferent mention when the first mention gives only a country (or none)."""
    if place is not None and place.place is not None and place.place.feature != "country":
        return place
    country = place.place.country if place is not None and place.place is not None else ""
    for trigger in draft.mentions:
        found = doc.place_at(trigger.token.start, trigger.end)
        spot = found.place if found is not None else None
        if spot is not None and spot.feature != "country" and spot.country in ("", country or spot.country):
            return found
    if _peaceful(doc, draft) and draft.plover != "PROTEST":
        return place  # a takeover or a withdrawal is national; the document's main province is no guess for it
    return finer_fallback(doc.analysis, country) or place


def _toll_for(doc: DocIndex, draft: Draft, kind: str) -> Toll | None:
    """The event's toll: near its trigger, else stated in a relative clause on one of its own triggers."""
    if kind != "captured" and _peaceful(doc, draft):
        return None
    start, end = draft.trigger.token.start, draft.trigger.end
    toll = doc.toll_at(start, end, kind)
    if toll is not None or draft.status != "occurred":
        return toll
    own = {t.token.i for t in (draft.trigger, *draft.others)}
    found = [q for q in doc.analysis.quantities if q.kind == kind and q.evidence.sentence == draft.sentence.index
             and _relative_clause_head(doc, q.evidence.start) in own]
    if not found:
        return None
    q = found[0]
    return Toll(_as_int(q.low), _as_int(q.best), _as_int(q.high), (q.evidence,))


def _peaceful(doc: DocIndex, draft: Draft) -> bool:
    """Whether a political draft is a non-violent act (a meeting, a withdrawal), which has no killed or wounded."""
    forceful = draft.plover in doc.tables.forceful_plover or draft.code in doc.tables.forceful_codes
    return is_political(draft) and not forceful


def _relative_clause_head(doc: DocIndex, offset: int) -> int | None:
    """The token a relative clause containing an offset modifies, if the offset is in one."""
    token = next((t for t in doc.tokens if t.start <= offset < t.end), None)
    for _ in range(8):
        if token is None or token.head == token.i:
            return None
        if token.dep == "relcl":
            return token.head
        token = doc.head(token)
    return None


def _as_int(value: float | None) -> int | None:
    """A count as an integer, keeping unknown as None."""
    return None if value is None else round(value)


def _time_for(analysis: Analysis, draft: Draft, place: PlaceMention | None, start: int, end: int) -> TimeSpan | None:
    """The event's time; in a sentence split by place, a date belongs to the event whose place is nearest it.

    A sentence's only date, written after all its places ("in X and Y provinces Sunday"), dates every place. A
    trigger with no time of its own that comes before every date of the text (a headline) takes the first one.
    """
    span = event_time(analysis, start, end) or first_time_after(analysis, start)
    if span is not None:
        span = act_time(analysis, span, ((t.token.start, t.end) for t in draft.mentions))
    if draft.place is None or place is None or place.place is None or span is None:
        return span
    index = draft.sentence.index
    own = [m for m in analysis.times if m.evidence.sentence == index and "dateline" not in m.span.flags]
    dated = next((m for m in own if m.span == span), None)
    spots = [p for p in analysis.places if p.evidence.sentence == index and p.place is not None]
    if dated is None or not spots or (len(own) == 1 and dated.evidence.start > max(p.evidence.start for p in spots)):
        return span
    nearest = min(spots, key=lambda p: abs(p.evidence.start - dated.evidence.start))
    if nearest.place is not None and nearest.place.place_id == place.place.place_id:
        return span
    return narrative_time(analysis, draft.sentence.start) or span


def _plover(doc: DocIndex, draft: Draft, row: CodeRow) -> str:
    """The PLOVER type: intents are AGREE; violence on civilians ASSAULT; state forces' firepower FIGHT."""
    if draft.trigger.group.family == "political" or not row.plover:
        return "AGREE" if is_intent(doc, draft) else draft.plover
    if draft.actor2.startswith("civilians"):
        return "ASSAULT"
    if row.mode in doc.tables.firepower_modes and _conventional(doc, draft):
        return "FIGHT"
    return row.plover


def _mode(doc: DocIndex, draft: Draft, row: CodeRow) -> str:
    """The PLOVER mode: the promised type for an intent, else the code's default mode."""
    if draft.trigger.group.family == "political" and is_intent(doc, draft):
        return f"{draft.plover.lower()} (promised)"
    return row.mode if draft.plover == row.plover else ""


def _conventional(doc: DocIndex, draft: Draft) -> bool:
    """Whether the agent of a violent event is a state force (conventional fighting in PLOVER terms)."""
    return doc.actor_types.get(draft.actor1, "") in doc.lexicon.cue("conventional_forces")


def arrests(draft: Draft, toll: Toll | None) -> Toll | None:
    """Arrest counts tied to the event: arrest-like events, and operations or clashes that also detained people."""
    if draft.plover == "COERCE" or draft.code == "ARREST":
        return toll
    operational = draft.status in {"occurred", "aggregate"} and draft.trigger.group.family != "political"
    return toll if operational else None


def _confidence(draft: Draft) -> float:
    """Classifier probability, lowered for anything but a plainly occurred event."""
    return draft.confidence * (1.0 if draft.status == "occurred" else 0.8)


def place_national_acts(doc: DocIndex, drafts: list[Draft], registry: Registry, gazetteer: places.Gazetteer) -> None:
    """Place a seizure of power at the capital of the actor's country (as coups are coded), unless it names a place.

    Otherwise such a clause takes whatever place its sentence mentions ("after the US withdrawal").
    """
    national = doc.lexicon.cue("national_groups")
    for draft in drafts:
        if draft.trigger.group.name in national and not object_site(doc, draft):
            country = registry.country_of(draft.actor1) if draft.actor1 else ""
            draft.seat = capital_mention(doc.analysis, country, gazetteer) if country else None


def object_site(doc: DocIndex, draft: Draft) -> str:
    """The sub-national place a draft's trigger acts on ("took over Kunduz", "the capture of Kabul"), if any."""
    end = draft.trigger.end
    for mention in doc.analysis.places:
        spot = mention.place
        if spot is not None and spot.feature != "country" and 0 <= mention.evidence.start - end <= OBJECT_REACH:
            return spot.place_id
    return ""
