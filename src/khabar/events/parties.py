"""Who an actor mention stands for in an event: its party, its type and its country.

An unregistered person acts for the organisation their tie or title names (a minister for the
government, a general for the military, of the country the sentence is set in); an untitled one, as a
target, is a civilian of that country. A name the places stage resolved is a place, not a party, and
so is a country's name it put in another country ("Columbia", South Carolina). Generated country
actors ("military:SYR") carry their country in their id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from khabar.events.types import DocIndex
from khabar.records import ActorMention, Event, Evidence

CIVILIANS = "civilians"  # the role part of a country's civilians ("civilians:AFG")
VICTIM_TYPES = frozenset({"Violence against civilians"})  # ACLED types whose unnamed victims are civilians
REMOTE_TYPES = frozenset({"Explosions/Remote violence"})  # their unnamed victims are civilians when someone was hurt
FORCE_CODE = "FORCE_AGAINST_PROTEST"  # its first side is the force used, not the crowd
ARMED_TYPES = frozenset({"Violence against civilians", "Explosions/Remote violence", "Battles"})


def party(doc: DocIndex, mention: ActorMention) -> str:
    """The actor a mention brings to an event: an unregistered person acts for the organisation their title names."""
    if not mention.actor_id.startswith("provisional:"):
        return mention.actor_id
    same = [m for m in (mention, *doc.analysis.actors) if m.actor_id == mention.actor_id]
    ties = [m.affiliation for m in same if m.affiliation]
    if ties:
        return ties[0]
    titles = {word for m in same for word in m.role.split()}
    military, state = doc.lexicon.cue("military_offices"), doc.lexicon.cue("state_offices")
    role = "military" if titles & military else "government" if titles & state else ""
    if not role:
        return mention.actor_id
    spot = place_country(doc, mention.evidence.sentence)
    country = spot[0] if spot else country_code(doc)
    return f"{role}:{country}" if country else mention.actor_id


def located(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether a country's name places a thing ("a compound in northwest Pakistan"): a place preposition's object.

    Only a preposition on a noun: on a verb the country may be the host of an act ("gathered in Uzbekistan").
    """
    if not mention.actor_id.startswith("state:"):
        return False
    tokens = [t for t in doc.by_sentence.get(mention.evidence.sentence, [])
              if mention.evidence.start <= t.start < mention.evidence.end]
    head = next((t for t in tokens if t.dep == "pobj"), None)
    if head is None:
        return False
    preposition = doc.head(head)
    return (preposition.lemma.lower() in doc.lexicon.cue("locative_preps")
            and doc.head(preposition).pos in ("NOUN", "PROPN"))


def is_place(doc: DocIndex, mention: ActorMention) -> bool:
    """Whether a mention is really a place the places stage resolved, not a party.

    An unregistered name ("Nad Ali district"), a country's name the places stage put in another
    country: "Columbia" (a US city spelt near Colombia), "Georgia" (a US state), or a country's name that
    contains the place before it ("Nikki, Benin").
    """
    own = country_of(mention.actor_id) if mention.actor_id.startswith("state:") else ""
    if not own and not mention.actor_id.startswith("provisional:"):
        return False
    if own and _contains_place_before(doc, mention, own):
        return True
    span = mention.evidence
    for place in doc.analysis.places:
        spot = place.place
        if spot is None or not (place.evidence.start < span.end and span.start < place.evidence.end):
            continue
        if not own or (spot.country and doc.tables.alpha3_of(spot.country) != own):
            return True
    return False


def _contains_place_before(doc: DocIndex, mention: ActorMention, own: str) -> bool:
    """Whether a country's name follows a place of that country after a comma ("in Nikki, Benin"): its container."""
    text, start = doc.analysis.document.text, mention.evidence.start
    for place in doc.analysis.places:
        spot = place.place
        if (spot is not None and place.evidence.end < start and text[place.evidence.end:start].strip() == ","
                and doc.tables.alpha3_of(spot.country) == own):
            return True
    return False


def private_person(doc: DocIndex, actor_id: str) -> str:
    """An unregistered person with no title or tie, as a target: the civilians of the sentence's country (as ACLED)."""
    if not actor_id.startswith("provisional:"):
        return actor_id
    same = [m for m in doc.analysis.actors if m.actor_id == actor_id]
    if not same or any(m.type != "person" or m.role or m.affiliation for m in same):
        return actor_id
    spot = place_country(doc, same[0].evidence.sentence)
    country = spot[0] if spot else country_code(doc)
    return f"civilians:{country}" if country else actor_id


def own_side(doc: DocIndex, actor1: str) -> str:
    """The domestic target of an actor's act: its country's government, or the state itself for the government.

    Never its civilians: the act's real object is unnamed, and a civilian target would read as violence on them.
    """
    country = country_of(actor1) or country_code(doc)
    if not country:
        return ""
    return f"state:{country}" if actor1 == f"government:{country}" else f"government:{country}"


def actor_type(doc: DocIndex, actor_id: str) -> str:
    """The type of an actor: as the document's mentions give it, else from a generated id's role ("" if unknown)."""
    found = doc.actor_types.get(actor_id, "")
    generated = doc.tables.generated_types
    return found or generated.get(actor_id.split(":", 1)[0], "") if ":" in actor_id else found


def place_country(doc: DocIndex, sentence: int) -> tuple[str, Evidence] | None:
    """The ISO alpha-3 country of the first resolved place in a sentence, with its evidence."""
    for place in doc.analysis.places:
        if place.evidence.sentence == sentence and place.place is not None and place.place.country:
            code = doc.tables.alpha3_of(place.place.country)
            if code:
                return code, place.evidence
    return None


def country_code(doc: DocIndex) -> str:
    """The ISO alpha-3 country a document is about: most of its resolved places, else its country-bound actors."""
    counts = Counter(p.place.country for p in doc.analysis.places if p.place is not None and p.place.country)
    if counts:
        return doc.tables.alpha3_of(counts.most_common(1)[0][0])
    for mention in doc.analysis.actors:
        code = mention.actor_id.split(":", 1)[1] if ":" in mention.actor_id else ""
        if len(code) == 3 and code.isupper():
            return code
    return ""


def event_country(doc: DocIndex, event: Event) -> str:
    """The ISO alpha-3 country an event happened in: its place's, else its sides', else the document's.

    A note that names no place it can resolve ("police fired tear gas at traders") still tells whose
    police or whose militia acted, and the crowd and victims ACLED codes beside them are of that country.
    """
    if event.place is not None and event.place.place is not None:
        return doc.tables.alpha3_of(event.place.place.country)
    for actor_id in (event.actor1, event.actor2):
        code = country_of(actor_id)
        if code:
            return code
    return country_code(doc)


def home(actor_id: str) -> str:
    """The country part of a generated country actor id ("state:RUS" -> RUS), else the id itself."""
    return actor_id.split(":", 1)[1] if ":" in actor_id else actor_id


def country_of(actor_id: str) -> str:
    """The ISO alpha-3 country of a generated country actor id ("military:SYR" -> SYR), else ""."""
    code = actor_id.split(":", 1)[1] if ":" in actor_id and not actor_id.startswith("provisional:") else ""
    return code if len(code) == 3 and code.isupper() else ""


def _crowd_parties(doc: DocIndex, event: Event) -> Event:
    """ACLED's crowd at a demonstration or riot: the country's protesters or rioters act, unless a named side does.

    Unnamed assailants at a riot are its rioters, not an armed group.
    """
    role = doc.tables.crowd_roles.get(event.event_type)
    if role is None or event.case_label == FORCE_CODE:
        return event
    country = event_country(doc, event)
    if not country:
        return event
    actor1, actor2 = event.actor1, event.actor2
    if _is_force(doc, actor1, country) and event.sub_event_type in doc.tables.crowd_sides.faced_in:
        actor1, actor2 = "", actor2 or actor1  # the police breaking up a protest are the side it faced
    crowds = tuple(f"{other}:" for other in doc.tables.crowd_roles.values())
    actor1, associated = _crowd_member(doc, actor1, event.associated, crowds)
    if not actor1 or actor1.startswith(("unidentified:", *crowds)):
        actor1 = f"{role}:{country}"  # demonstrators who riot are rioters, as ACLED codes them
    if actor2.startswith(crowds) and not actor2.startswith(f"{role}:"):
        actor2 = ""  # a crowd read as another kind (protesters at a riot) is the crowd faced, coded below
    actor2 = _crowd_side(doc, event, actor2, country)
    if actor2 == actor1 and not _mutual(doc, event):
        actor2 = ""
    return replace(event, actor1=actor1, actor2=actor2, associated=associated)


def _crowd_member(doc: DocIndex, actor1: str, associated: tuple[str, ...],
                  crowds: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A crowd's first side cleared of who leads or was read into it, and its associated actors.

    A party, union or person at the head of a crowd is its associated actor, as ACLED codes them; a
    country or its government read as the crowd's side is the authority it faces, not one of its members.
    """
    if not actor1 or actor1.startswith(crowds):
        return actor1, associated
    kind = actor_type(doc, actor1)
    authority = kind in doc.tables.crowd_sides.authorities
    if not authority and kind not in doc.tables.crowd_types:
        return actor1, associated
    return "", associated if authority or actor1 in associated else (*associated, actor1)


def _sentences(event: Event) -> set[int]:
    """The indexes of the sentences an event's evidence comes from."""
    return {e.sentence for e in event.evidence}


def _crowd_side(doc: DocIndex, event: Event, actor2: str, country: str) -> str:
    """The side a crowd faced or harmed, as ACLED codes it, in place of the authority it protests against.

    The authority stays where the crowd faced and harmed no one: it is the protest's PLOVER target. A force
    named in the incident's sentences is the side at a dispersed protest, a violent demonstration or a
    mob's attack; with none named, a dispersed protest faced the police and a mob harmed civilians.
    """
    sides = doc.tables.crowd_sides
    authority = _country_role(actor2, sides.authorities, country)
    if (actor2 and not authority) or event.sub_event_type not in sides.faced_in:
        return actor2
    sentences = _sentences(event)
    for mention in doc.analysis.actors:
        side = party(doc, mention) if mention.evidence.sentence in sentences else ""
        if _is_force(doc, side, country):
            return side
    if _mutual(doc, event):
        return f"{doc.tables.crowd_roles[event.event_type]}:{country}"  # two crowds fought each other
    role = sides.unnamed.get(event.sub_event_type, "")
    return f"{role}:{country}" if role else actor2


def _mutual(doc: DocIndex, event: Event) -> bool:
    """Whether the incident's sentences tell of crowds fighting each other ("villagers of two towns fought")."""
    words = doc.tables.crowd_sides.mutual.get(event.sub_event_type)
    if not words:
        return False
    sentences = _sentences(event)
    return any(t.text.lower() in words for i in sentences for t in doc.by_sentence.get(i, []))


def _is_force(doc: DocIndex, actor_id: str, country: str) -> bool:
    """Whether an actor is one of a country's forces that face crowds (its police or military)."""
    return _country_role(actor_id, doc.tables.crowd_sides.forces, country)


def _country_role(actor_id: str, roles: frozenset[str], country: str) -> bool:
    """Whether an actor is a generated actor of one of these roles of a country ("police:KEN")."""
    return actor_id.split(":", 1)[0] in roles and country_of(actor_id) == country


def default_parties(doc: DocIndex, event: Event) -> Event:
    """ACLED's parties where the text names none: an unidentified armed group attacked, civilians were the victims."""
    event = _policing(doc, event)
    event = _crowd_parties(doc, event)
    event = _unnamed_victims(doc, event)
    if event.family == "political" or not event.event_type:
        return event
    country = event_country(doc, event)
    if not country:
        return event
    actor1, actor2 = (_at_home(doc, a, country) for a in (event.actor1, event.actor2))
    if event.event_type not in doc.tables.crowd_roles:  # a crowd is coded as protesters only at a demonstration
        crowds = tuple(f"{role}:" for role in doc.tables.crowd_roles.values())
        actor1 = "" if actor1.startswith(crowds) else actor1
        actor2 = f"{CIVILIANS}:{country}" if actor2.startswith(crowds) else actor2
    if actor1.startswith(f"{CIVILIANS}:") and event.event_type in ARMED_TYPES:
        actor1, actor2 = "", actor2 or actor1  # ACLED never codes civilians as the side that uses force
    if not actor1 and event.event_type in ARMED_TYPES:
        actor1 = f"unidentified:{country}"
    harmed = any(t is not None and (t.best or t.high) for t in (event.fatalities, event.injuries))
    if not actor2 and (event.event_type in VICTIM_TYPES or (event.event_type in REMOTE_TYPES and harmed)):
        actor2 = f"{CIVILIANS}:{country}"
    if actor2 == actor1 and not (event.event_type in doc.tables.crowd_roles and _mutual(doc, event)):
        actor2 = ""
    return replace(event, actor1=actor1, actor2=actor2)


def _policing(doc: DocIndex, event: Event) -> Event:
    """A country's forces named only by a generic word ("security forces") at a crowd or an arrest: its police."""
    tables = doc.tables
    if event.sub_event_type not in tables.policing_sub_types:
        return event
    sentences = _sentences(event)
    text = doc.analysis.document.text

    def generic(actor_id: str) -> bool:
        """Whether every mention of a side in the event's sentences is a generic force word."""
        found = [m for m in doc.analysis.actors if m.actor_id == actor_id and m.evidence.sentence in sentences]
        return bool(found) and all(text[m.evidence.start : m.evidence.end].lower() in tables.policing_words
                                   for m in found)

    sides = [f"{tables.policing_role}:{home(a)}" if _is_force(doc, a, country_of(a)) and generic(a) else a
             for a in (event.actor1, event.actor2)]
    return replace(event, actor1=sides[0], actor2=sides[1])


def _at_home(doc: DocIndex, actor_id: str, country: str) -> str:
    """A country's forces named only by a common noun ("a policeman") as the forces of the event's country.

    The actors stage gives a bare noun (a mention of kind "bare") the country its named actors point to
    ("JNIM ... killed a policeman" would read Mali's police); the place says where the act was, and so
    whose police they were. A force named with its country ("Malian police", "Kenya Police") keeps it.
    """
    own = country_of(actor_id)
    if not own or own == country or actor_id.startswith("state:"):
        return actor_id
    mentions = [m for m in doc.analysis.actors if m.actor_id == actor_id]
    bare = all(m.kind == "bare" for m in mentions)
    return f"{actor_id.split(':', 1)[0]}:{country}" if mentions and bare else actor_id


def _tells_of_fighters(doc: DocIndex, event: Event) -> bool:
    """Whether an event's sentences name fighters by a common word ("suspected insurgents"), not its first side's.

    "Taliban militants looted an office": the militants are who acted, and the office's owners are civilians.
    """
    fighters = doc.resources.actors.combatant_modifiers
    sentences = _sentences(event)
    own = [m.evidence for m in doc.analysis.actors if m.actor_id == event.actor1 and m.evidence.sentence in sentences]
    return any(t.lemma.lower() in fighters and not any(e.start <= t.start < e.end for e in own)
               for i in sentences for t in doc.by_sentence.get(i, []))


def _unnamed_victims(doc: DocIndex, event: Event) -> Event:
    """The second side ACLED gives a non-violent act that names none: looted property's owners are civilians."""
    role = doc.tables.unnamed_victims.get(event.sub_event_type)
    if role is None or (event.actor2 and event.actor2.split(":", 1)[0] not in doc.tables.crowd_sides.authorities):
        return event  # a named second side stays; the country or government read as the target does not
    if _tells_of_fighters(doc, event):
        return event  # "detained several suspected insurgents": no civilians
    taken = event.arrests is not None and bool(event.arrests.best or event.arrests.low or event.arrests.high)
    if event.actor2 and event.family == "political" and not taken:
        return event  # "Russia banned opposition newspapers": a political act on the country, nobody taken
    country = event_country(doc, event)
    return replace(event, actor2=f"{role}:{country}") if country and event.actor1 != f"{role}:{country}" else event
