"""The merge stage: the same incident reported by several documents becomes one Incident.

``rules`` decides whether two document-level events are one incident (and says why),
``combine`` codes an incident from its member events, and ``cluster`` groups events into
components and complete-link groups. ``index`` gives the keys that find an event's candidates,
``incremental`` merges into the store (new events only, or ``rebuild``), ``ids`` keeps incident
ids stable, ``neardup`` groups near-duplicate articles, ``edits`` applies users' curation and
``explain`` says why an incident was merged.
"""

from khabar.merge.cluster import merge_events
from khabar.merge.combine import combine_tolls, incident_of
from khabar.merge.rules import Verdict, compare, same_incident

__all__ = ["Verdict", "combine_tolls", "compare", "incident_of", "merge_events", "same_incident"]
