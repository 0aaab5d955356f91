"""The query layer: one filtered, streaming read of the store for the CLI, reports, exports and the API.

``open_archive(db)`` (also ``khabar.open``) returns an ``Archive`` whose methods ``incidents``,
``incident``, ``incident_points``, ``actors``, ``dyads``, ``claims``, ``relations``, ``relation_summaries``,
``places`` and ``documents`` each take the same ``Filters`` and stream records as they are read.

Modules::

    filters.py   Filters (a frozen value an HTTP layer can build too) and filters_from_strings
    sql.py       filters to WHERE conditions over the store's tables; FTS5 text queries
    archive.py   Archive and open_archive: name resolution (actors, places, countries), streaming reads
    records.py   the summary records: ActorActivity, DyadActivity, PlaceActivity, RelationSummary
"""

from khabar.query.archive import Archive, open_archive
from khabar.query.filters import SORTS, STATUSES, Filters, end_of, filters_from_strings, parse_day
from khabar.query.records import (
    ActorActivity,
    ActorInfo,
    DyadActivity,
    IncidentPoint,
    PlaceActivity,
    RelationSummary,
)

__all__ = [
    "SORTS",
    "STATUSES",
    "ActorActivity",
    "ActorInfo",
    "Archive",
    "DyadActivity",
    "Filters",
    "IncidentPoint",
    "PlaceActivity",
    "RelationSummary",
    "end_of",
    "filters_from_strings",
    "open_archive",
    "parse_day",
]
