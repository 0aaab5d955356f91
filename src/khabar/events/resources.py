"""What the events stage loads, as one object: lexicon, classifier, coding tables and its queries' tables.

The queries' tables are the site cues (``where.load_site_cues``) and the quantities lexicon, which
``where.place_for`` and ``tolls.toll_near`` read.
``load_event_resources()`` reads them once; the runner hands the result to ``extract_events``, and
callers of ``main_event`` and ``document_label`` pass it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from khabar import quantities
from khabar.actors import ActorLexicon
from khabar.actors import load_lexicon as load_actor_lexicon
from khabar.datafiles import Fields, read_packaged_yaml
from khabar.errors import DataError
from khabar.events.classify import EventClassifier, load_classifier
from khabar.events.incident_rules import IncidentRules, load_incident_rules
from khabar.events.lexicon import Lexicon, load_lexicon
from khabar.events.where import SiteCues, load_site_cues

CODING_SCHEMA = Fields(
    required={
        "version": int,
        "actor_types": Fields(required={"agent": [str], "victim": [str], "passive": [str], "crowd": [str]}),
        "generated_types": {str: str},
        "crowd_roles": {str: str},
        "crowd_sides": Fields(
            required={"authorities": [str], "forces": [str], "faced_in": [str], "unnamed": {str: str},
                      "mutual": {str: [str]}},
        ),
        "unnamed_victims": {str: str},
        "policing": Fields(required={"words": [str], "role": str, "sub_types": [str]}),
        "plover": Fields(required={"domestic": [str], "violent": [str], "forceful": [str]}),
        "firepower_modes": [str],
        "forceful_codes": [str],
    },
)


@dataclass(slots=True, frozen=True)
class CrowdSides:
    """The second side ACLED gives a demonstration or riot (``coding.yaml`` ``crowd_sides``)."""

    authorities: frozenset[str]
    forces: frozenset[str]
    faced_in: frozenset[str]
    unnamed: dict[str, str]
    mutual: dict[str, frozenset[str]]  # words telling of two crowds fighting each other, by sub-event type


@dataclass(slots=True, frozen=True)
class EventTables:
    """The coding tables of ``coding.yaml``, plus ISO country codes: which actor types and acts play which part."""

    agent_types: frozenset[str]
    victim_types: frozenset[str]
    passive_types: frozenset[str]
    crowd_types: frozenset[str]
    generated_types: dict[str, str]
    crowd_roles: dict[str, str]
    crowd_sides: CrowdSides
    unnamed_victims: dict[str, str]  # ACLED sub-event type -> role of its unnamed second side
    policing_words: frozenset[str]  # generic force words ("security forces") read as the police ...
    policing_role: str  # ... this role ...
    policing_sub_types: frozenset[str]  # ... in these ACLED sub-event types
    domestic_plover: frozenset[str]
    violent_plover: frozenset[str]
    forceful_plover: frozenset[str]
    firepower_modes: frozenset[str]
    forceful_codes: frozenset[str]
    alpha3: dict[str, str]  # lower-case ISO alpha-2 -> alpha-3

    def alpha3_of(self, alpha2: str) -> str:
        """ISO alpha-3 for an alpha-2 code, in any case ("" if unknown)."""
        return self.alpha3.get(alpha2.lower(), "")


@dataclass(slots=True, frozen=True)
class EventResources:
    """Everything the events stage loads, built once and passed in.

    ``site_cues`` and ``tolls`` are the tables the stage's place and toll queries (``where.place_for``,
    ``tolls.toll_near``) read.
    """

    lexicon: Lexicon
    classifier: EventClassifier
    tables: EventTables
    site_cues: SiteCues
    tolls: quantities.QuantityLexicon
    actors: ActorLexicon
    incidents: IncidentRules


def load_event_resources(model: Path | None = None) -> EventResources:
    """The packaged lexicon and tables with the classifier in ``model`` (default: $KHABAR_EVENT_MODEL or packaged)."""
    lexicon = load_lexicon()
    classifier = load_classifier(lexicon.stem_groups, model)
    return EventResources(lexicon, classifier, load_tables(lexicon), load_site_cues(), quantities.load_lexicon(),
                          load_actor_lexicon(), load_incident_rules())


def load_tables(lexicon: Lexicon) -> EventTables:
    """The packaged coding tables, checked against the lexicon's type table."""
    data = read_packaged_yaml("events", "coding.yaml", schema=CODING_SCHEMA)
    _check_codes(data, lexicon)
    kinds, plover = data["actor_types"], data["plover"]
    return EventTables(
        agent_types=frozenset(kinds["agent"]),
        victim_types=frozenset(kinds["victim"]),
        passive_types=frozenset(kinds["passive"]),
        crowd_types=frozenset(kinds["crowd"]),
        generated_types=dict(data["generated_types"]),
        crowd_roles=dict(data["crowd_roles"]),
        crowd_sides=_crowd_sides(data["crowd_sides"]),
        unnamed_victims=dict(data["unnamed_victims"]),
        policing_words=frozenset(str(w).lower() for w in data["policing"]["words"]),
        policing_role=str(data["policing"]["role"]),
        policing_sub_types=frozenset(data["policing"]["sub_types"]),
        domestic_plover=frozenset(plover["domestic"]),
        violent_plover=frozenset(plover["violent"]),
        forceful_plover=frozenset(plover["forceful"]),
        firepower_modes=frozenset(data["firepower_modes"]),
        forceful_codes=frozenset(data["forceful_codes"]),
        alpha3={str(c.alpha_2).lower(): str(c.alpha_3) for c in pycountry.countries},
    )


def _crowd_sides(data: dict[str, Any]) -> CrowdSides:
    """The ``crowd_sides`` table as a record."""
    return CrowdSides(frozenset(data["authorities"]), frozenset(data["forces"]), frozenset(data["faced_in"]),
                      dict(data["unnamed"]), {kind: frozenset(w.lower() for w in words)
                                              for kind, words in data["mutual"].items()})


def _check_codes(data: dict[str, Any], lexicon: Lexicon) -> None:
    """Fail when a table names a CASE code or an ACLED event type the type table does not have."""
    unknown = set(data["forceful_codes"]) - set(lexicon.codes)
    if unknown:
        raise DataError(f"coding.yaml: forceful_codes: unknown CASE codes {sorted(unknown)}; see types.yaml")
    event_types = {row.event_type for row in lexicon.codes.values()}
    unknown = set(data["crowd_roles"]) - event_types
    if unknown:
        raise DataError(f"coding.yaml: crowd_roles: unknown ACLED event types {sorted(unknown)}; see types.yaml")
    sides = data["crowd_sides"]
    unknown = (set(sides["faced_in"]) | set(sides["unnamed"]) | set(sides["mutual"]) | set(data["unnamed_victims"])
               | set(data["policing"]["sub_types"])) - {
        row.sub_event_type for row in lexicon.codes.values()}
    if unknown:
        raise DataError(f"coding.yaml: crowd_sides, unnamed_victims or policing: unknown ACLED sub-event types "
                        f"{sorted(unknown)}; see types.yaml")
