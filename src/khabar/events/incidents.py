"""One real incident, one event: a document's event mentions grouped into incidents and coded once.

The sentence rules give one mention per act a sentence tells; an article tells its incident many
times (headline, lead, recap, a quoted official). Here, per document:

1. *eventhood*: a mention makes an event only when it reports a specific occurrence: negated and
   hypothetical mentions, generalisations ("many attacks"), a person's or group's record ("responsible
   for attacks"), remarks about the news ("declined to comment") and political acts nobody took part
   in are dropped;
2. *grouping*: violent mentions (and the detentions and seizures of an operation) join the latest
   incident whose place, date and parties they agree with; a tactical political step by a party of an
   incident at its place and date ("called on the occupants to come out") is part of that incident;
3. *coding*: each incident is coded once from all its mentions: the type its mentions vote for (a
   mention of a bare operation counts little, and a code stands only with the words that justify it),
   the best-supported place and date, the actors of the clauses that tell the act, and the toll range
   over its mentions; ACLED's default parties fill what the text leaves open (an unnamed attacker is an
   unidentified armed group, an ordinary victim a civilian of the country), and an incident dated well
   before the article is marked ``background``.

The rules' word lists and thresholds are in ``data/events/incidents.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from khabar.events.document import is_headline
from khabar.events.incident_rules import IncidentRules
from khabar.events.parties import actor_type, country_of, default_parties
from khabar.events.status import modified_noun
from khabar.events.types import DocIndex, Draft, is_political
from khabar.events.when import within_report
from khabar.places import km_between
from khabar.records import HAPPENED, Event, Place, PlaceMention, TimeSpan, Token, Toll
from khabar.time import PROCESS, REPORTED, STAMP

T = TypeVar("T")
OPERATIONAL = frozenset({"ARREST", "DISR_WEAP"})  # classes of confidence: an operation's outcome
WEAK_TIER = 2  # the tier of a mention that names a bare operation
VIOLENT_FAMILIES = frozenset({"violence", "other"})
_CAUSE_MARKS = frozenset({"after", "for", "because"})  # a clause a detention follows: "arrested after he shot"
BATTLE_CODES = frozenset({"ARMED_CLASH"})  # codes that need an armed side or words of fighting
PARTY_TYPE = "political_party"
MOB_CODE = "MOB_VIOL"  # what a brawl between unorganised sides is coded as
UNIDENTIFIED_TYPE = "unidentified"  # the type of a side read only as someone unnamed
ATTACK_CODE = "ATTACK"  # what a one-sided shooting or stabbing of people is coded as
ONE_DAY = timedelta(days=1)
CAUSE_DEPTH = 4  # how far above a violent word the detention it led to may be told
# ACLED types whose unnamed perpetrator is an unidentified armed group


@dataclass(slots=True)
class Mention:
    """One event mention: the draft the sentence rules built and the event frozen from it."""

    draft: Draft
    event: Event


@dataclass(slots=True)
class Incident:
    """The mentions of one real incident in one document."""

    members: list[Mention]

    @property
    def events(self) -> list[Event]:
        """The members' events."""
        return [m.event for m in self.members]


# --- eventhood ---------------------------------------------------------------------------------------


def reports_occurrence(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a mention reports a specific occurrence worth an event of its own."""
    if draft.status not in rules.kept_statuses:
        return False
    if _weak(rules, draft) and draft.status not in HAPPENED:
        return False  # "told everyone to hit the floor", "planned an operation": no act, no incident
    if draft.code in rules.operational_codes:
        return True  # detentions and seizures are coded whoever made them
    if is_political(draft):
        return (bool(draft.actor1) and _asserted(doc, rules, draft) and _cued(doc, rules, draft)
                and not _remark(doc, rules, draft)
                and not _routine(doc, rules, draft) and not _inward(doc, rules, draft))
    return not (_generalisation(doc, rules, draft) or _record(doc, rules, draft) or _planned_record(doc, rules, draft))


def _generalisation(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a plural event noun speaks of such acts in general ("many attacks", "such bombings")."""
    token = modified_noun(doc, draft.trigger.token)
    if token.pos != "NOUN" or token.tag not in ("NNS", "NNPS") or draft.others:
        return False
    if doc.kids(token, "nummod"):
        return False  # "two blasts", "31 attacks": counted, so told as incidents or an aggregate
    quantifiers = {k.lemma.lower() for k in doc.kids(token, "amod", "det", "predet")}
    return bool(quantifiers & rules.generic_determiners)


def _record(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a bare plural event noun states someone's record ("responsible for attacks", "organised bombings")."""
    token = modified_noun(doc, draft.trigger.token)
    if token.pos != "NOUN" or token.tag not in ("NNS", "NNPS"):
        return False
    definite = doc.lexicon.cue("anaphora_det")
    if doc.kids(token, "nummod") or any(d.lemma.lower() in definite for d in doc.kids(token, "det")):
        return False
    return any(a.lemma.lower() in rules.record_heads for a in doc.ancestors(token, 6))


def _asserted(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a diplomatic or verbal act is told as what a sentence asserts, not as context around it.

    "Russia expelled 60 diplomats", "announced a suspension of flights" and "declared its readiness
    to invest" tell acts; "in response to the decision to expel", "countries that expelled
    diplomats" and "calls for reform" mention one to explain something else.
    """
    if draft.plover not in rules.clause_plover:
        return True
    token = draft.trigger.token
    if token.pos not in ("VERB", "AUX") and draft.plover in rules.event_noun_plover:
        return True  # a summit, an agreement, an exercise: the noun names the occasion itself
    for _ in range(8):
        if token.dep == "ROOT":
            return True
        if token.pos not in ("VERB", "AUX") or token.dep == "acl":
            # an act noun, or a verb describing one ("readiness to invest"), counts when a verb holds the noun
            noun = doc.head(token) if token.dep == "acl" else token
            if noun.dep not in rules.act_noun_deps:
                return False
            token = doc.head(noun)
            continue
        if token.dep not in rules.asserting_deps:
            return False
        token = doc.head(token)
    return False


def _cued(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a political act's sentences hold a word its kind needs ("demonstrated that" shows, it protests not)."""
    cues = rules.evidence.get(draft.code)
    if cues is None:
        return True
    words = _words(doc, {s.index for s in (draft.sentence, *draft.sentences)})
    return any(cue in words for cue in cues)


def _planned_record(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a planned attack only describes someone's role ("responsible for planning an attack on the city").

    A threat made or a plot foiled ("suspected of plotting an assault on the stadium") is a planned
    incident; an attack under a word for someone's role or expertise says what they do.
    """
    if draft.status != "planned":
        return False
    token = modified_noun(doc, draft.trigger.token)
    return any(a.lemma.lower() in rules.role_heads for a in doc.ancestors(token, 6))


def _routine(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a political act is a routine step between authorities and private people (charging a suspect, an appeal).

    Political event coding (PLOVER, ACLED's strategic developments) leaves out ordinary criminal justice and
    private life; arrests stay, as ACLED codes them.
    """
    if draft.code in rules.operational_codes or draft.plover not in rules.routine_plover:
        return False
    if _role(draft.actor1) in rules.routine_authorities:
        return True
    ids = (draft.actor1, draft.actor2)
    private = {_role(a) for a in ids} & rules.private_roles
    types = {doc.actor_types.get(a, "") for a in ids if a}
    countries = {c for a in ids if (c := country_of(a))}
    return bool(private or types & rules.private_roles) and len(countries) < 2  # abroad, it is diplomacy


def _inward(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a political act names no party but its author, its target only read as the author's own state.

    "Police are investigating", "soldiers called on the occupants to come out": an organ of a state
    acting within its own remit, with nobody the text names on the other side, is no interaction.
    """
    if draft.plover not in rules.interactive_plover or any(f.field == "actor2" for f in draft.fields):
        return False
    objects = doc.kids(draft.trigger.token, "dobj", "nsubjpass")
    if any(not doc.lexicon.index.get(o.lemma.lower()) for o in objects):
        return False  # "promised to release the detained fighters": someone is acted on, named or not
    home, target = country_of(draft.actor1), country_of(draft.actor2)
    roles = {_role(draft.actor1), _role(draft.actor2)}
    return bool(home) and home == target and len(roles) == 2 and bool(roles & {"state", "government"})


def _role(actor_id: str) -> str:
    """The role part of a generated actor id ("police" of "police:USA"), else the whole id."""
    return actor_id.split(":", maxsplit=1)[0]


def _remark(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a political verb only remarks on the news ("declined to comment", "asked anyone to call")."""
    token = draft.trigger.token
    words = list(doc.kids(token, "dobj", "xcomp", "ccomp"))
    words += [p for k in doc.kids(token, "prep") for p in doc.kids(k, "pobj")]
    return any(w.lemma.lower() in rules.communication_objects or w.text.lower() in rules.communication_objects
               for w in words)


# --- grouping ------------------------------------------------------------------------------------------


def group_incidents(doc: DocIndex, rules: IncidentRules, mentions: list[Mention]) -> list[Incident]:
    """Group a document's mentions into incidents, in document order of their first mention."""
    incidents: list[Incident] = []
    political: list[Mention] = []
    for mention in mentions:
        if not _operational(rules, mention):
            political.append(mention)
            continue
        home = _home(doc, rules, incidents, mention)
        if home is None:
            incidents.append(Incident([mention]))
        else:
            home.members.append(mention)
    operations = list(incidents)
    for mention in political:
        home = next((i for i in operations if _tactical_step(rules, i, mention)), None)
        if home is None:
            incidents.append(Incident([mention]))
        else:
            home.members.append(mention)
    told = [i for i in incidents if not _only_a_headline_aim(doc, rules, i)] or incidents
    folded = _headlines_folded(doc, rules, told)
    return sorted(folded, key=lambda i: min(m.draft.trigger.token.start for m in i.members))


def _headlines_folded(doc: DocIndex, rules: IncidentRules, incidents: list[Incident]) -> list[Incident]:
    """Incidents told only by the headline folded into the body's first incident of their family that they fit.

    A headline sums up what the body tells ("Gunman kills two at market"); its terse clauses join the
    body's account of the act as evidence. A headline incident the body tells no fitting act for (a
    family it never tells, another day) stays an incident of its own.
    """
    body = [i for i in incidents if not _headline_only(doc, i)]
    kept = list(body)
    for incident in incidents:
        if incident in body:
            continue
        family = incident.members[0].event.family
        home = next((i for i in body if i.members[0].event.family == family
                     and all(_headline_fits(doc, rules, i, m) for m in incident.members)), None)
        if home is None:
            kept.append(incident)
        else:
            home.members.extend(incident.members)
    return kept


def _headline_fits(doc: DocIndex, rules: IncidentRules, incident: Incident, mention: Mention) -> bool:
    """Whether a headline mention fits a body incident on the place and date the headline itself names.

    A headline's place and date are otherwise read from the lines below it, which may tell another act.
    """
    time = mention.event.time if doc.is_dated(mention.draft.sentence.index) else None
    return _fits(doc, rules, incident, mention, _told_site(mention), time)


def _headline_only(doc: DocIndex, incident: Incident) -> bool:
    """Whether every mention of an incident is in the headline."""
    return all(is_headline(doc.analysis, m.draft.sentence.index) for m in incident.members)


def _only_a_headline_aim(doc: DocIndex, rules: IncidentRules, incident: Incident) -> bool:
    """Whether an incident is only a headline naming an operation's aim ("Forces Target Leaders in Two Provinces").

    The body tells what the operations did; a headline verb that only targets adds no incident of its own.
    """
    return _headline_only(doc, incident) and all(_weak(rules, m.draft) for m in incident.members)


def _operational(rules: IncidentRules, mention: Mention) -> bool:
    """Whether a mention tells violence, or a detention or seizure that belongs to an operation."""
    return mention.event.family in VIOLENT_FAMILIES or mention.draft.code in rules.operational_codes


def _home(doc: DocIndex, rules: IncidentRules, incidents: list[Incident], mention: Mention) -> Incident | None:
    """The latest incident a mention fits: as told, else with its inherited place, else its inherited date, set aside.

    A mention's place read from the sentences before it, or its date carried on from the narrative, is
    context that may belong to another incident ("the suspect had planted bombs in another province",
    "at Thursday's hearing"); it only decides when it fits an incident as it is.
    """
    full = (_site_of(mention), mention.event.time)
    home = next((i for i in reversed(incidents) if _fits(doc, rules, i, mention, *full)), None)
    if home is not None:
        return home
    own_time = _told_time(mention)
    # an inherited place is set aside only for a mention that tells no date of its own either
    loose = [(_told_site(mention), full[1])] if own_time is None or "from_publication" in own_time.flags else []
    for site, time in (*loose, (full[0], own_time)):
        home = next((i for i in reversed(incidents) if _fits(doc, rules, i, mention, site, time)
                     and not _names_others(doc, i, mention)), None)
        if home is not None:
            return home
    return None


def _names_others(doc: DocIndex, incident: Incident, mention: Mention) -> bool:
    """Whether a mention's sentences name a person the incident's sentences do not ("Stephon Clark was shot")."""
    def people(sentences: set[int]) -> set[str]:
        """The lower-cased words of person names in some sentences."""
        return {t.text.lower() for i in sentences for t in doc.by_sentence.get(i, []) if t.ent_type == "PERSON"}

    told = {s.index for m in incident.members for s in m.draft.sentences}
    return bool(people({s.index for s in mention.draft.sentences}) - people(told))


def _fits(doc: DocIndex, rules: IncidentRules, incident: Incident, mention: Mention, site: Place | None,
          time: TimeSpan | None) -> bool:
    """Whether a mention, told at a site and time, can be a further mention of an incident: nothing contradicts it."""
    if _marked_separate(doc, rules, mention.draft):
        return False
    if _reality(mention.event.status) != _reality(incident.members[0].event.status):
        return False  # a plan or a count is not the incident that happened, nor the other way round
    events = incident.events
    return (all(_same_time(m.event.time, time) or _next_day_there(m, site, time) for m in incident.members)
            and all(_same_site(rules, _site_of(m), site) for m in incident.members)
            and _same_parties(events, mention.event))


def _next_day_there(mention: Mention, site: Place | None, time: TimeSpan | None) -> bool:
    """Whether a time falls on the day next to a mention's, at the very site the mention names.

    "Shot on Friday night ... died on Saturday at the home": one incident told across midnight.
    """
    own, spot = mention.event.time, _site_of(mention)
    if own is None or time is None or spot is None or site is None or spot.place_id != site.place_id:
        return False
    days = own.end - own.start <= ONE_DAY and time.end - time.start <= ONE_DAY
    return days and abs((own.start - time.start).days) <= 1


def _reality(status: str) -> str:
    """What kind of reality a status tells: that it happened (reported, recalled or denied), or the status itself."""
    return "happened" if status in HAPPENED else status


def _marked_separate(doc: DocIndex, rules: IncidentRules, draft: Draft) -> bool:
    """Whether a mention is marked as a further incident ("another blast", "later arrested", split by place)."""
    if draft.place is not None or draft.split:
        return True  # the sentence rules split it off as one of several incidents ("two blasts", two places)
    kids = doc.kids(draft.trigger.token, "amod", "det")
    if any(k.lemma.lower() in doc.lexicon.cue("separate") for k in kids) or _in_another_incident(doc, draft):
        return True
    return any(k.lemma.lower() in rules.sequel_words for k in doc.kids(draft.trigger.token, "advmod", "npadvmod"))


def _in_another_incident(doc: DocIndex, draft: Draft) -> bool:
    """Whether a trigger's clause is set "in a separate incident" ("In an unrelated incident, a man was shot")."""
    separate, nouns = doc.lexicon.cue("separate"), doc.lexicon.cue("event_nouns")
    token = draft.trigger.token
    for prep in doc.kids(token, "prep"):
        for noun in doc.kids(prep, "pobj"):
            if noun.lemma.lower() in nouns and any(k.lemma.lower() in separate for k in doc.kids(noun, "amod", "det")):
                return True
    return False


def _same_time(one: TimeSpan | None, other: TimeSpan | None) -> bool:
    """Whether two times can be the same incident's: either unknown or from the publication, or overlapping.

    A day that only dates a report ("the sheriff said Thursday") bounds the act from above: it
    happened that day or in the week before.
    """
    if one is None or other is None or "from_publication" in one.flags or "from_publication" in other.flags:
        return True
    if REPORTED in one.flags or REPORTED in other.flags:
        report, act = (one, other) if REPORTED in one.flags else (other, one)
        return within_report(act, report)
    return one.start <= other.end and other.start <= one.end


def _site(event: Event) -> Place | None:
    """The resolved place of an event, if any."""
    return event.place.place if event.place is not None else None


def _site_of(mention: Mention) -> Place | None:
    """The place a mention is at, unless that is only the dateline the article was filed from."""
    spot = mention.event.place
    return None if spot is None or spot.relation == "dateline" else spot.place


def _told_site(mention: Mention) -> Place | None:
    """The place a later mention itself tells: none when it only inherits one from the sentences before it.

    "Two suspects were detained at the scene", after a raid told in one district and a suspect's record
    in another: the district it inherits is context, and cannot set the detention apart from the raid.
    """
    spot = mention.event.place
    told = {s.index for s in mention.draft.sentences}
    return _site_of(mention) if spot is not None and spot.evidence.sentence in told else None


def _told_time(mention: Mention) -> TimeSpan | None:
    """The time a later mention itself tells: none when it only carries on the narrative's last date."""
    time = mention.event.time
    return None if time is None or "narrative" in time.flags else time


def _same_site(rules: IncidentRules, one: Place | None, other: Place | None) -> bool:
    """Whether two places can be one incident's site: one unknown, the same, one inside the other, or close."""
    if one is None or other is None:
        return True
    if one.country and other.country and one.country != other.country:
        return False
    if one.place_id == other.place_id or "country" in (one.feature, other.feature):
        return True
    if one.feature == "admin1" or other.feature == "admin1":
        first, second = _province(one), _province(other)
        return not first or not second or first == second
    return km_between(one.lat, one.lon, other.lat, other.lon) <= rules.place_reach_km


def _province(place: Place) -> str:
    """The province a place lies in, or is."""
    return place.admin1 or (place.name if place.feature == "admin1" else "")


def _same_parties(events: list[Event], event: Event) -> bool:
    """Whether a mention's named parties can be the incident's: when both name two sides, they share one."""
    mine = {event.actor1, event.actor2} - {""}
    if len(mine) < 2:
        return True
    theirs = {a for e in events for a in (e.actor1, e.actor2) if a}
    return len(theirs) < 2 or bool(mine & theirs)


def _tactical_step(rules: IncidentRules, incident: Incident, mention: Mention) -> bool:
    """Whether a political mention is a step of an incident by one of its parties, at its place and date."""
    if mention.event.plover_type not in rules.tactical_plover or mention.draft.code in rules.operational_codes:
        return False
    if mention.draft.sentence.index in {m.draft.sentence.index for m in incident.members}:
        return False  # a sentence telling a political act beside violence ("demanded that X stop shelling") tells both
    parties = {a for e in incident.events for a in (e.actor1, e.actor2, *e.associated) if a}
    if mention.event.actor1 and mention.event.actor1 not in parties:
        return False
    return all(_same_time(e.time, mention.event.time) and _same_site(rules, _site(e), _site(mention.event))
               for e in incident.events)


# --- coding ----------------------------------------------------------------------------------------------

FINENESS = {"landmark": 0, "village": 0, "crossing": 0, "city": 1, "admin2": 2, "region": 3, "admin1": 3, "country": 5}


def code_incident(doc: DocIndex, rules: IncidentRules, incident: Incident, number: int) -> Event:
    """One event for an incident: coded from its lead mention, filled from the others, ACLED's default parties added."""
    members = incident.members
    lead_mention = lead_of(doc, rules, incident)
    words = _incident_words(doc, incident)
    target = lead_mention.event.actor2 or _first(m.event.actor2 for m in members if m is not lead_mention)
    code = _justified_code(doc, rules, lead_mention, replace(lead_mention.event, actor2=target), words)
    lead, political = lead_mention.event, is_political(lead_mention.draft)
    if political and code in rules.escalation:
        code = _escalated(doc, rules, lead_mention, incident, words)
        political = code == lead.case_label
    row = doc.lexicon.codes[code]
    others = [m for m in members if m is not lead_mention]
    # the force that detained someone for an attack is no party to it ("arrested after he shot his brother",
    # "police arrested a man in connection with the shooting"); a raid's detentions and killings are one force's
    parties = [m for m in others if m.draft.code not in rules.operational_codes
               or (code not in rules.unarmed_target_codes and not _follows(doc, rules, m, [lead_mention]))]
    event = replace(
        lead,
        event_id=f"{doc.analysis.document.doc_id}:e{number}",
        family=lead.family if political else row.family,
        event_type=lead.event_type if political else row.event_type,
        sub_event_type=lead.sub_event_type if political else row.sub_event_type,
        case_label=lead.case_label if political else code,
        plover_type=lead.plover_type if political or code == lead.case_label else row.plover or lead.plover_type,
        actor1=lead.actor1 or _first(m.event.actor1 for m in parties),
        actor2=lead.actor2 or _first(m.event.actor2 for m in parties),
        associated=_unique(a for m in members for a in m.event.associated),
        place=_best_place(lead_mention, others),
        time=_document_day(doc, _best_time(lead, others)),
        fatalities=_toll_range(lead.fatalities, [m.event.fatalities for m in others]),
        injuries=_toll_range(lead.injuries, [m.event.injuries for m in others]),
        arrests=_toll_range(lead.arrests, [m.event.arrests for m in others]),
        claimed_by=lead.claimed_by or _first(m.event.claimed_by for m in others),
        claim_channel=lead.claim_channel or _first(m.event.claim_channel for m in others),
        attributed_by=lead.attributed_by or _first(m.event.attributed_by for m in others),
        denied_by=lead.denied_by or _first(m.event.denied_by for m in others),
        status=_status(members),
        confidence=lead.confidence,
        evidence=_unique(e for m in sorted(members, key=_start) for e in m.event.evidence),
        field_evidence=_unique(f for m in (lead_mention, *others) for f in m.event.field_evidence),
    )
    if event.actor1 and event.actor1 == event.actor2:
        event = replace(event, actor2="")
    if event.actor2 and _affiliated(doc, event.actor2, event.actor1):
        # "the group, Islamic State Khorasan Province": a branch named beside its parent is one side, the branch
        event = replace(event, actor1=event.actor2, actor2="")
    event = _background(doc, rules, default_parties(doc, event))
    return replace(event, confidence=rules.confidence.get(confidence_class(event), event.confidence))


def _affiliated(doc: DocIndex, branch: str, parent: str) -> bool:
    """Whether the document names an actor as a branch or member of another ("ISKP, the Islamic State's branch")."""
    return bool(parent) and any(m.actor_id == branch and m.affiliation == parent for m in doc.analysis.actors)


def confidence_class(event: Event) -> str:
    """The evidence class an event's calibrated confidence is measured for (``scripts/calibrate_confidence.py``).

    What kind of act it is, whether the article tells it more than once, and whether it names who acted.
    """
    kind = "operation" if event.case_label in OPERATIONAL else "political"
    kind = "violence" if event.family in VIOLENT_FAMILIES else kind
    told = "several" if len({e.sentence for e in event.evidence}) > 1 else "once"
    named = "named" if event.actor1 and not event.actor1.startswith("unidentified:") else "unnamed"
    return f"{kind}/{event.status}/{told}/{named}"


def lead_of(doc: DocIndex, rules: IncidentRules, incident: Incident) -> Mention:
    """The mention that tells an incident best: in the body's first plain telling of it, the main clause's.

    A headline names the incident but the lead below it gives its date, place and toll; a bare
    operation ("conducted an operation") tells less than what happened in it ("detained three").
    """
    plain = [m for m in incident.members if _tier(rules, m) < WEAK_TIER] or incident.members
    body = [m for m in plain if not is_headline(doc.analysis, m.draft.sentence.index)] or plain
    first = min(m.draft.sentence.index for m in body)
    lead = [m for m in body if m.draft.sentence.index == first]
    return min(lead, key=lambda m: (_follows(doc, rules, m, lead), len(doc.ancestors(m.draft.trigger.token, 50)),
                                    _tier(rules, m), -m.draft.confidence))


def _follows(doc: DocIndex, rules: IncidentRules, mention: Mention, others: list[Mention]) -> bool:
    """Whether a detention is told as following violence it names ("arrested in connection with the shooting").

    The violence is the incident; the arrest it led to is told beside it, not the other way round.
    """
    if mention.draft.code not in rules.operational_codes:
        return False
    token = mention.draft.trigger.token
    return any(m.event.family in VIOLENT_FAMILIES and _cause_of(doc, m.draft.trigger.token, token) for m in others)


def _cause_of(doc: DocIndex, violence: Token, detention: Token) -> bool:
    """Whether a violent word is told inside a detention's clause as what it was for or came after.

    The violence may sit deeper than the clause that marks it: "made an arrest after a mother and son
    were found shot", where "found" carries the "after".
    """
    # a detention told as a noun is done by its verb ("made an arrest after ...")
    clause = {detention.i, doc.head(detention).i} if detention.pos == "NOUN" else {detention.i}
    path: list[Token] = []
    for token in (violence, *doc.ancestors(violence, CAUSE_DEPTH)):
        if token.i in clause:
            return _told_as_cause(doc, violence) or any(_cause_clause(doc, step) for step in path)
        path.append(token)
    return False


def _told_as_cause(doc: DocIndex, token: Token) -> bool:
    """Whether a violent word is what a detention is for or came after ("arrested after he shot his brother")."""
    if token.dep in ("pobj", "pcomp"):
        return True
    clause = doc.head(token) if token.dep == "ccomp" else token  # "after they say he shot": the saying is the clause
    return _cause_clause(doc, clause)


def _cause_clause(doc: DocIndex, clause: Token) -> bool:
    """Whether a clause is marked as a cause or what came before ("after they were found", "because he shot")."""
    return clause.dep == "advcl" and any(k.lemma.lower() in _CAUSE_MARKS for k in doc.kids(clause, "mark"))


def _tier(rules: IncidentRules, mention: Mention) -> int:
    """How plainly a mention tells what happened: violence told outright, an operation's outcome, a bare operation."""
    draft = mention.draft
    weak = _weak(rules, draft)
    if draft.code in rules.operational_codes:
        return WEAK_TIER + 1 if weak else 1  # "raided a hideout" detains nobody
    if mention.event.family not in VIOLENT_FAMILIES:
        return WEAK_TIER + 2
    return WEAK_TIER if weak else 0


def _weak(rules: IncidentRules, draft: Draft) -> bool:
    """Whether every trigger of a mention only names an operation ("conducted an operation", "targeted")."""
    return all(t.token.lemma.lower() in rules.weak_triggers for t in (draft.trigger, *draft.others))


def _justified_code(doc: DocIndex, rules: IncidentRules, mention: Mention, event: Event, words: frozenset[str]) -> str:
    """A mention's code if the incident's words and parties (``event``) justify it, else its best code that they do."""
    draft = mention.draft
    if draft.code in BATTLE_CODES and _brawl(doc, rules, event, words):
        return MOB_CODE
    if draft.code == ATTACK_CODE and _mob_justice(doc, rules, event, words):
        return MOB_CODE
    if _justified(doc, rules, draft.code, event, words):
        return draft.code
    allowed = frozenset().union(*(t.group.cases for t in (draft.trigger, *draft.others)))
    fair = frozenset(c for c in allowed if _justified(doc, rules, c, event, words))
    family = doc.lexicon.codes[draft.code].family
    fair = frozenset(c for c in fair if doc.lexicon.codes[c].family == family) or fair  # a bombing stays violence
    scores = doc.scores.get(draft.sentence.index, {}).get("case")
    if scores is not None and fair:
        return scores.best(fair)[0]
    return ATTACK_CODE if ATTACK_CODE in allowed or not fair else sorted(fair)[0]


def _escalated(doc: DocIndex, rules: IncidentRules, mention: Mention, incident: Incident, words: frozenset[str]) -> str:
    """A demonstration's code: the most escalated one that a sentence telling it favours and its words justify.

    ACLED codes a protest by what happened at it: "police dispersed the crowd" in the next sentence makes a
    protest with intervention, stones thrown make a violent demonstration.
    """
    draft = mention.draft
    allowed = frozenset(c for c in draft.trigger.group.cases
                        if c in rules.escalation and _justified(doc, rules, c, mention.event, words))
    if not allowed:
        return draft.code
    sentences = sorted({s.index for m in incident.members for s in m.draft.sentences})
    picks = [scores.best(allowed)[0] for i in sentences if (scores := doc.scores.get(i, {}).get("case")) is not None]
    return max(picks, key=rules.escalation.index, default=draft.code)


def _justified(doc: DocIndex, rules: IncidentRules, code: str, event: Event, words: frozenset[str]) -> bool:
    """Whether a code stands: its cue words occur in the incident, or (a battle) one of its sides is armed.

    Violence against civilians never has an organised armed side as its target: that is a battle; and a
    code is out when the incident's words rule it out (``ruled_out``).
    """
    if code in rules.unarmed_target_codes and event.actor2 and _armed(doc, rules, event.actor2):
        return False
    if any(word in words for word in rules.ruled_out.get(code, ())):
        return False  # an attack told with a bomb is a bombing
    if code in BATTLE_CODES and _parties_only(doc, rules, event):
        return False  # party members brawling are a mob, not a battle
    if code == MOB_CODE and event.actor1 and actor_type(doc, event.actor1) in rules.armed_groups:
        return False  # "Maoists killed a villager": a rebel group's violence, not a mob's
    if code == MOB_CODE and (_brawl(doc, rules, event, words) or _mob_justice(doc, rules, event, words)):
        return True  # rival students fighting over a dispute need no crowd word
    cues = rules.evidence.get(code)
    if cues is None or any(cue in words for cue in cues):
        return True
    if code in BATTLE_CODES:
        return any(_armed(doc, rules, a) for a in _sides(event))
    return False


def _parties_only(doc: DocIndex, rules: IncidentRules, event: Event) -> bool:
    """Whether the incident's sides are political parties' people and no organised armed side.

    ACLED codes a clash between parties' members or supporters as mob violence by rioters: a battle is
    fought by state forces, rebels or militias.
    """
    types = {actor_type(doc, a) for a in _sides(event)}
    return rules.unarmed_party_types.issuperset(types) and PARTY_TYPE in types


def _brawl(doc: DocIndex, rules: IncidentRules, event: Event, words: frozenset[str]) -> bool:
    """Whether a clash is a brawl: no organised armed side named, a brawl's words told, no arms or communities.

    ACLED codes rival students, families or workers fighting with sticks over a dispute as mob violence by
    rioters; a side only read as "unidentified" is no organised armed side.
    """
    if not _unorganised(doc, rules, event):
        return False
    if not any(cue in words for cue in rules.brawl_cues):
        return False
    return not any(cue in words for cue in (*rules.brawl_arms, *rules.brawl_communal))


def _mob_justice(doc: DocIndex, rules: IncidentRules, event: Event, words: frozenset[str]) -> bool:
    """Whether an attack is a crowd punishing a suspect: no organised armed side, no arms, a thief or a witch harmed.

    The suspect is who suffers it, never the doer: "suspected robbers killed a trader" is a robbery.
    """
    if not _unorganised(doc, rules, event) or any(cue in words for cue in rules.brawl_arms):
        return False
    sentences = {e.sentence for e in event.evidence}
    return any(_suffers(doc, t) for i in sentences for t in doc.by_sentence.get(i, [])
               if t.lemma.lower() in rules.mob_justice or t.text.lower() in rules.mob_justice)


def _suffers(doc: DocIndex, token: Token) -> bool:
    """Whether a noun is on the receiving end of its clause: not its subject nor a subject's modifier."""
    while token.dep in ("compound", "amod", "conj", "appos") and doc.head(token) is not token:
        token = doc.head(token)
    return token.dep not in ("nsubj", "ROOT")


def _unorganised(doc: DocIndex, rules: IncidentRules, event: Event) -> bool:
    """Whether no side of an incident is an organised armed one (a side only read as "unidentified" is none)."""
    return not any(_armed(doc, rules, a) and actor_type(doc, a) != UNIDENTIFIED_TYPE for a in _sides(event))


def _sides(event: Event) -> list[str]:
    """The actors an incident names on either side or beside them."""
    return [a for a in (event.actor1, event.actor2, *event.associated) if a]


def _armed(doc: DocIndex, rules: IncidentRules, actor_id: str) -> bool:
    """Whether an actor is an organised armed side: state forces, a rebel group, a militia."""
    return actor_type(doc, actor_id) in rules.armed_types


def _incident_words(doc: DocIndex, incident: Incident) -> frozenset[str]:
    """The lemmas and words, and their two- and three-word runs, of the sentences an incident is told in."""
    return _words(doc, {s.index for m in incident.members for s in m.draft.sentences})


def _words(doc: DocIndex, sentences: set[int]) -> frozenset[str]:
    """The lemmas and words, and their two- and three-word runs, of some sentences."""
    found: set[str] = set()
    for index in sentences:
        tokens = doc.by_sentence.get(index, [])
        for seq in ([t.lemma.lower() for t in tokens], [t.text.lower() for t in tokens]):
            for size in (1, 2, 3):
                found.update(" ".join(seq[i : i + size]) for i in range(len(seq) - size + 1))
    return frozenset(found)


def _first(values: Iterable[str]) -> str:
    """The first non-empty string of an iterable."""
    return next((v for v in values if v), "")


def _start(mention: Mention) -> int:
    """Where a mention's trigger starts."""
    return mention.draft.trigger.token.start


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    """Items in first-seen order without repeats."""
    return tuple(dict.fromkeys(items))


def _best_place(lead_mention: Mention, others: list[Mention]) -> PlaceMention | None:
    """The lead's place, or a finer one inside it that another mention gives when the lead's is a province or less.

    A lead that only inherits its place from the sentences before it takes the first place another mention tells.
    """
    lead = lead_mention.event
    mine = lead.place.place if lead.place is not None else None
    if mine is not None and _told_site(lead_mention) is None:
        told = [m.event.place for m in sorted(others, key=_start) if (spot := _told_site(m)) is not None
                and FINENESS.get(spot.feature, 4) <= FINENESS.get(mine.feature, 4)]
        if told:
            return told[0]
    rank = FINENESS.get(mine.feature, 4) if mine is not None else 9
    if rank < FINENESS["admin1"]:
        return lead.place
    finer = [m.event.place for m in sorted(others, key=_start) if m.event.place is not None
             and (spot := m.event.place.place) is not None and FINENESS.get(spot.feature, 4) < rank
             and _within(spot, mine)]
    return finer[0] if finer else lead.place


def _within(place: Place, area: Place | None) -> bool:
    """Whether a place lies inside an area (a province or a country), or the area is unknown."""
    if area is None:
        return True
    if area.country and place.country != area.country:
        return False
    return area.feature == "country" or not _province(area) or _province(place) == _province(area)


def _best_time(lead: Event, others: list[Mention]) -> TimeSpan | None:
    """The lead's time, or the first time another mention states when the lead's only dates a report.

    The lead's time is made precise by a day another mention tells inside it; a publication date
    counts as a report's.

    "The boy shot his brother, a sheriff said Thursday ... the argument Wednesday night": the act's
    day is Wednesday.
    """
    stated = [m.event.time for m in sorted(others, key=_start)
              if m.event.time is not None and not {"from_publication", REPORTED} & set(m.event.time.flags)]
    if lead.time is not None and not {"from_publication", REPORTED} & set(lead.time.flags):
        return _finest_within(lead.time, stated)
    return stated[0] if stated else lead.time


def _finest_within(time: TimeSpan, stated: list[TimeSpan]) -> TimeSpan:
    """A coarse time made precise by the first day another mention tells inside it, else the time itself.

    "Killed earlier this week ... the shooting on Tuesday night": Tuesday. A day carried on from the
    narrative is context, not a telling of this act, and does not count.
    """
    if time.end - time.start <= ONE_DAY:
        return time
    inside = [t for t in stated if t.end - t.start <= ONE_DAY and "narrative" not in t.flags
              and time.start <= t.start and t.end <= time.end]
    return inside[0] if inside else time


def _document_day(doc: DocIndex, time: TimeSpan | None) -> TimeSpan | None:
    """For a date that only repeats the publication, the article's first day in the week before it.

    Local news tells a shooting's day once ("on Saturday night") and goes on in sentences that carry
    none; the day the article names is a better guess than the day it was printed.
    """
    published = doc.analysis.document.published
    if time is None or "from_publication" not in time.flags or published is None:
        return time
    days = [m for m in doc.analysis.times
            if m.span.end - m.span.start <= timedelta(days=1) and published - timedelta(days=7) <= m.span.start
            and m.span.end <= published and not {"future", REPORTED, PROCESS, STAMP} & set(m.span.flags)]
    first = min(days, key=lambda m: m.evidence.start, default=None)
    return replace(first.span, flags=(*first.span.flags, "document_day")) if first is not None else time


def _toll_range(lead: Toll | None, others: list[Toll | None]) -> Toll | None:
    """One kind of toll over an incident's mentions: the lead's figure (else the lowest), and the range of all.

    Two sources' figures for one incident ("14 killed", "another agency said 12") are its low and high, never a sum.
    """
    found = [t for t in (lead, *others) if t is not None]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    lows = [v for t in found for v in (t.low, t.best) if v is not None]
    highs = [v for t in found for v in (t.high, t.best) if v is not None]
    bests = [t.best for t in found if t.best is not None]
    best = lead.best if lead is not None and lead.best is not None else min(bests, default=None)
    return Toll(
        low=min(lows) if lows else None,
        best=best,
        high=max(highs) if highs else None,
        evidence=_unique(e for t in found for e in t.evidence),
    )


def _status(members: list[Mention]) -> str:
    """The status: occurred when any mention tells it as having happened, else the first mention's."""
    statuses = [m.event.status for m in members]
    return "occurred" if "occurred" in statuses else statuses[0]


def _background(doc: DocIndex, rules: IncidentRules, event: Event) -> Event:
    """An occurred incident dated well before the article's publication is background the article recalls."""
    published: date | None = doc.analysis.document.published
    if event.status != "occurred" or event.time is None or published is None or "from_publication" in event.time.flags:
        return event
    if event.time.end <= published - timedelta(days=rules.background_days):
        return replace(event, status="background")
    return event
