"""The events stage: find event triggers, code them (CASE/ACLED and PLOVER), fill their arguments.

Cascade, per sentence: trigger lexicon (``data/events/lexicon.yaml``, ``triggers``) -> the trained
classifier (``classify``) picks the code among the trigger's candidates -> dependency patterns give
actor1 (agent side) and actor2 (target side) (``patterns``, ``roles``), the status (negated, planned,
hypothetical, aggregate) and counted incidents ("two blasts") (``status``) -> claims, attributions
and denials attach to the event they refer to (``responsibility``) -> anaphoric mentions ("the
blast") merge into the earlier event they repeat (``coref``) -> where, when and how many for each
trigger, read from the places, time and quantities stages' analyses (``where``, ``when``, ``tolls``),
put together in ``arguments``.

Modules: ``types`` (Trigger, Draft, DocIndex), ``lexicon`` (trigger lexicon and type table),
``resources`` (``EventResources``: lexicon, classifier, coding tables and the queries' tables, loaded
once and passed in), ``extract`` (the stage function), ``drafts`` (a sentence's draft events),
``parties`` (whom a mention stands for), ``document`` (whole-document labels), ``where`` (which place
mention is an event's site), ``when`` (the date of a trigger), ``toll_index`` and ``tolls`` (the toll
of a trigger), ``arguments`` (a draft's place, time and tolls, frozen into an Event).
"""

from khabar.events.document import document_label, main_event
from khabar.events.extract import CONTRACT, extract_events
from khabar.events.resources import EventResources, load_event_resources
from khabar.events.triggers import is_event_candidate

__all__ = [
    "CONTRACT",
    "EventResources",
    "document_label",
    "extract_events",
    "is_event_candidate",
    "load_event_resources",
    "main_event",
]
