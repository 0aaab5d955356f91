"""The incident rules' word lists and thresholds (``data/events/incidents.yaml``), loaded once and passed in."""

from __future__ import annotations

from dataclasses import dataclass

from khabar.datafiles import Fields, read_packaged_yaml

RULES_SCHEMA = Fields(
    required={
        "version": int,
        "kept_statuses": [str],
        "operational_codes": [str],
        "tactical_plover": [str],
        "weak_triggers": [str],
        "evidence": {str: [str]},
        "escalation": [str],
        "armed_types": [str],
        "unarmed_party_types": [str],
        "brawl": Fields(required={"cues": [str], "arms": [str], "communal": [str], "justice": [str],
                                  "groups": [str]}),
        "unarmed_target_codes": [str],
        "ruled_out": {str: [str]},
        "record_heads": [str],
        "role_heads": [str],
        "generic_determiners": [str],
        "communication_objects": [str],
        "routine_plover": [str],
        "sequel_words": [str],
        "interactive_plover": [str],
        "private_roles": [str],
        "routine_authorities": [str],
        "clause_plover": [str],
        "asserting_deps": [str],
        "act_noun_deps": [str],
        "event_noun_plover": [str],
        "background_days": int,
        "place_reach_km": float,
        "confidence": {str: float},
    },
)

@dataclass(slots=True, frozen=True)
class IncidentRules:
    """The word lists and thresholds of ``incidents.yaml``."""

    kept_statuses: frozenset[str]
    operational_codes: frozenset[str]
    tactical_plover: frozenset[str]
    weak_triggers: frozenset[str]
    evidence: dict[str, tuple[str, ...]]  # cue phrases, lower case, single-spaced
    escalation: tuple[str, ...]  # demonstration codes, least escalated first
    armed_types: frozenset[str]
    unarmed_party_types: frozenset[str]  # actor types of a clash's sides that make it a brawl, not a battle
    brawl_cues: tuple[str, ...]  # words of a brawl: its cause (a dispute) or its weapons (sticks, machetes)
    brawl_arms: tuple[str, ...]  # words of firearms, explosives or fighters that make a clash no brawl
    brawl_communal: tuple[str, ...]  # words of communities whose clashes ACLED codes as militias' battles
    mob_justice: tuple[str, ...]  # words of a crowd punishing a suspect (a thief, a witch): mob violence
    armed_groups: frozenset[str]  # actor types of organised armed groups, whose violence is never a mob's
    unarmed_target_codes: frozenset[str]
    ruled_out: dict[str, frozenset[str]]
    record_heads: frozenset[str]
    role_heads: frozenset[str]
    generic_determiners: frozenset[str]
    communication_objects: frozenset[str]
    routine_plover: frozenset[str]
    sequel_words: frozenset[str]
    interactive_plover: frozenset[str]
    private_roles: frozenset[str]
    routine_authorities: frozenset[str]
    clause_plover: frozenset[str]
    asserting_deps: frozenset[str]
    act_noun_deps: frozenset[str]
    event_noun_plover: frozenset[str]
    background_days: int
    place_reach_km: float
    confidence: dict[str, float]  # evidence class -> share of such events that are real, on the team gold


def load_incident_rules() -> IncidentRules:
    """The packaged incident rules."""
    data = read_packaged_yaml("events", "incidents.yaml", schema=RULES_SCHEMA)
    return IncidentRules(
        kept_statuses=frozenset(data["kept_statuses"]),
        operational_codes=frozenset(data["operational_codes"]),
        tactical_plover=frozenset(data["tactical_plover"]),
        weak_triggers=frozenset(data["weak_triggers"]),
        evidence={code: tuple(_phrase(w) for w in words) for code, words in data["evidence"].items()},
        escalation=tuple(data["escalation"]),
        armed_types=frozenset(data["armed_types"]),
        unarmed_party_types=frozenset(data["unarmed_party_types"]),
        brawl_cues=tuple(_phrase(w) for w in data["brawl"]["cues"]),
        brawl_arms=tuple(_phrase(w) for w in data["brawl"]["arms"]),
        brawl_communal=tuple(_phrase(w) for w in data["brawl"]["communal"]),
        mob_justice=tuple(_phrase(w) for w in data["brawl"]["justice"]),
        armed_groups=frozenset(data["brawl"]["groups"]),
        unarmed_target_codes=frozenset(data["unarmed_target_codes"]),
        ruled_out={str(code): frozenset(_phrase(w) for w in words) for code, words in data["ruled_out"].items()},
        record_heads=frozenset(data["record_heads"]),
        role_heads=frozenset(data["role_heads"]),
        generic_determiners=frozenset(data["generic_determiners"]),
        communication_objects=frozenset(data["communication_objects"]),
        routine_plover=frozenset(data["routine_plover"]),
        sequel_words=frozenset(data["sequel_words"]),
        interactive_plover=frozenset(data["interactive_plover"]),
        private_roles=frozenset(data["private_roles"]),
        routine_authorities=frozenset(data["routine_authorities"]),
        clause_plover=frozenset(data["clause_plover"]),
        asserting_deps=frozenset(data["asserting_deps"]),
        act_noun_deps=frozenset(data["act_noun_deps"]),
        event_noun_plover=frozenset(data["event_noun_plover"]),
        background_days=int(data["background_days"]),
        place_reach_km=float(data["place_reach_km"]),
        confidence={k: float(v) for k, v in data["confidence"].items()},
    )


def _phrase(words: str) -> str:
    """A cue phrase as the incident's words are matched: lower case, single-spaced."""
    return " ".join(words.lower().split())
