"""``khabar eval``: run the whole pipeline on a labelled dataset and score it.

Each dataset kind has a loader (gold rows, checked on load), a runner (documents through the
pipeline, output matched to gold) and pure metric functions. Mapping tables live in
``khabar/data/eval/`` (ACLED taxonomies, ISAF codes, CAMEO country codes, admin1 spellings).
Metrics are shares in 0..1 unless their name says otherwise; every result also has ``n``. A
metric for which no row qualifies (e.g. sub-event types on data without them) is None.

Matching rules
--------------
seeds, docs (gold YAML in the format of ``shared/gold/seeds.yaml``; the two names are one harness)
    PATH is a directory of articles, a JSONL file whose lines carry ``id`` (the gold's ``file``),
    or a GeoWebNews-style XML file (ids ``gwn-<file attribute>``); only the gold's documents run.
    ``--gold`` may be a directory of gold files, each naming its articles with a top-level
    ``source`` relative to PATH; they are scored together. Documents are read as ``khabar ingest``
    reads them (metadata, URL and dateline dates).
    *Matching by kind.* A khabar event matches a gold event when it comes from one of the gold
    event's documents (``docs`` or ``optional_docs``), is the same kind of event (gold ``type``:
    the same ACLED event type, whatever family khabar files it under; gold ``plover``: the same
    PLOVER root, so 'AID (promised)' is AID; either way ``accept_also`` may list other acceptable
    ACLED types, sub-types or PLOVER roots), its time overlaps the gold ``window`` (or ``date``)
    when one is given, its place is within ``radius_km`` (default 50) of the gold lat/lon (or has
    the gold name, or the gold country when only a country is given), and, when the gold names an
    actor (``actor1`` or ``actor1_alt``, else the first of ``actors``), that actor is khabar's
    actor1, actor2 or an associated actor. Actor names match when the gold name equals (case- and
    punctuation-insensitive) the registry name, an alias, the id's slug, or, for country-coded ids
    (``military:RUS``), the country's name; a gold name in ACLED's conventions (``Police Forces of
    Jordan``, ``Civilians (Syria)``) matches the actor whose ACLED name the registry gives at the
    event's date, ignoring ACLED's year suffix and 'the'. A gold actor whose ``note`` names its
    ``parent`` also accepts the parent (and the parent's aliases accept the child).
    Gold events with ``optional: true``, and matches from ``optional_docs``, are neither required
    nor spurious. Document references may be quoted ("010") or bare numbers (10).
    ``event_recall``: share of required gold events matched from their ``docs``.
    Each khabar event of the scored documents, in document order, is a *match* (the first to match
    a required gold event in its document), a *duplicate* (it matches only gold events already
    matched in its document), *optional* (its first match is optional; not scored) or *spurious*.
    ``event_precision``: (matches + duplicates) / scored events; ``duplicate_events``: duplicates
    / scored events; ``spurious_events``: their count; ``events_per_doc``: all events per article.
    ``type_acc``/``place_acc``/``date_acc``: among required gold events with a type/coordinates/a
    window that some event of their documents matches on every other condition, the share that
    also match on that one. ``sub_type_acc``, ``actor1_acc`` (khabar's actor1 is the gold actor1 or
    actor1_alt), ``actor2_acc``, ``fatalities_acc`` (khabar's best toll, missing = 0, inside the
    gold low..high) and ``all_fields_acc`` (all the gold gives): over matched required gold events,
    from the matching event that gets most of these fields right. ``incident_precision``: after
    ``merge.merge_events`` over every event, the share of incidents whose members all match one
    gold event (incidents matching only optional gold events are not scored). ``merge_ok``:
    required gold events with several documents whose occurred matches come from at least two of
    them and all sit in exactly one incident. ``date_window_acc`` also counts each gold document's
    ``published`` date or ``published_window`` (khabar's date must fall in it, or khabar's window
    overlap it). ``actor_alias_acc``: per (alias, document) where the alias occurs as a whole word
    (not inside a longer gold alias), the alias counts as resolved when at least half of its
    occurrences overlap an actor mention of an accepted canonical actor.
    ``person_affiliation_acc``: a gold person with an ``affiliation`` counts when some khabar
    mention of the person carries that affiliation. ``claim_recall``: some claim in the gold
    documents has the speaker (``author`` = no named speaker) and, when given, the quantity (best
    or low). ``relation_recall``: some relation in the gold documents joins the two actors (in
    order when ``directed``). A metric with nothing to score is None.
incidents
    See ``khabar.eval.incidents``: B-cubed grouping of articles by their main incident, and the
    incident facts (date, admin1, place within 25 km, killed, injured) against the gold table.
case21
    One label per snippet from ``events.document_label``. Weighted F1 weighs each gold label's F1
    by its support; labels are the gold labels present in the scored rows.
acled
    Exports load as ACLED ships them (columns found by name, extra columns ignored;
    ``sub_event_type``/``actor2`` may be absent; ``NA`` reads as empty; dates as
    ``common.parse_day`` reads them). khabar's main event per row; no publication date is given.
    Gold event types are mapped to the current taxonomy via ``acled_taxonomy.yaml`` (old types may
    accept several; old territorial types imply a sub-event type, which is then scored too). Actor
    names are compared after dropping a sub-unit that follows a closing parenthesis and splitting
    ``X and/or Y`` into alternatives. ``location_acc``: same normalised name or within 5 km.
    ``geo_km_median`` is over rows with a located event; ``geo_within_25km`` counts unlocated
    rows as misses. ``fatalities_*`` treat a missing toll as 0; ``fatalities_exact_nonzero`` is
    over rows whose gold toll is above 0 (None if none). ``events_per_doc``: document-level events
    per row, a failed row counting 0 (also for isaf).
isaf
    khabar's main event per row; the release's dateline gives the publication date. ISAF's six
    types are derived by the ordered rules in ``isaf.yaml``; a prediction is right when it is one
    of the gold types. Rows without a target group are not scored for ``target_group_acc``.
geo
    Three schemas are read, detected per file: GeoWebNews, GeoVirus/WikToR and LGL/TR-News (see
    ``khabar.eval.geo``). A gold span is moved by one character when only the moved span holds the
    name. A file (or its first ``--limit`` articles) with no toponym that has coordinates is an
    InputError. Gold toponyms are the annotations that carry coordinates. Recognition uses exact character
    spans of ``analysis.places``. End-to-end errors are over gold toponyms recognised exactly
    (an unresolved mention has the maximum error, 20,039 km). ``auc`` (lower is better) is the
    area under the sorted curve of log(1 + error km) / log(1 + 20039), with the x axis scaled to
    0..1 (Gritta et al. 2018; the +1 in the divisor keeps the maximum at exactly 1).
    ``resolution_acc_161km`` resolves every gold span with ``places.resolve_span`` (the
    document's other resolved places as context); an unresolved span is a miss.
plover
    khabar's main event per sentence: ``event_acc`` compares the PLOVER type; ``source_acc`` and
    ``target_acc`` compare the country code of the first gold source/target with khabar's actor1/
    actor2 (ISO 3166 alpha-3, CAMEO's non-ISO codes via ``plover_codes.yaml``; IGOs and NGOs by
    their type code). Rows without a gold source/target are not scored for that metric.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from khabar.errors import ConfigError, InputError
from khabar.eval import acled, case21, docs, geo, incidents, isaf, plover
from khabar.eval.common import Metrics, eval_table
from khabar.settings import Settings, load_settings

__all__ = ["KINDS", "Metrics", "eval_table", "format_table", "run_eval", "shown_value"]

Runner = Callable[[Path, Path | None, int | None, Settings], Metrics]

RUNNERS: dict[str, Runner] = {
    "seeds": docs.run,
    "docs": docs.run,
    "case21": case21.run,
    "acled": acled.run,
    "isaf": isaf.run,
    "geo": geo.run,
    "plover": plover.run,
    "incidents": incidents.run,
}
KINDS = tuple(RUNNERS)


def run_eval(
    kind: str, path: Path, gold: Path | None = None, limit: int | None = None, settings: Settings | None = None
) -> Metrics:
    """Run the pipeline on a labelled dataset of ``kind`` and return its metrics."""
    if kind not in RUNNERS:
        raise ConfigError(f"unknown dataset kind {kind!r}; known kinds: {', '.join(KINDS)}")
    if not path.exists():
        raise InputError(str(path), "no such file or directory", f"give the path of a {kind} dataset")
    return RUNNERS[kind](path, gold, limit, settings or load_settings())


# --- output ----------------------------------------------------------------------------------


def format_table(kind: str, metrics: Metrics) -> str:
    """A plain-text table of metrics, with the target where one is set."""
    targets = eval_table("targets.yaml").get("targets", {}).get(kind, {})
    lines = [f"{kind} (n={metrics.get('n', 0)})", f"{'metric':<26}{'value':>10}  target"]
    for name, value in metrics.items():
        if name in ("n", "confusion"):
            continue
        target = targets.get(name)
        mark = f"{target['op']} {target['value']}" if target else ""
        lines.append(f"{name:<26}{shown_value(value):>10}  {mark}")
    return "\n".join(lines)


def shown_value(value: Any) -> str:
    """A metric value for a table: floats to three places, None (nothing scored) as n/a."""
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
