"""Whole articles against document-level gold (the seeds format): events, merges, entities."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from khabar import places as places_mod
from khabar import time as timex
from khabar.actors import Registry
from khabar.errors import InputError
from khabar.eval import docs_entities as entities
from khabar.eval.common import (
    Metrics,
    alpha3,
    analyse,
    document_for,
    limited,
    normalise_name,
    pipeline_for,
    place_of,
    read_text,
    share,
)
from khabar.eval.docs_gold import ActorMatcher, GoldEvent, SeedGold, combine, load_seed_gold, plover_root
from khabar.eval.docs_run import SeedRun
from khabar.ingest import read_paths
from khabar.merge import merge_events
from khabar.records import HAPPENED, Document, Event, Incident, Place
from khabar.settings import Settings

log = logging.getLogger(__name__)

CONDITIONS = ("doc", "kind", "actor", "date", "place")
# What a document-level event amounts to once matched against a document's gold events.
MATCH, DUPLICATE, OPTIONAL, SPURIOUS = "match", "duplicate", "optional", "spurious"


# --- matching ----------------------------------------------------------------------------------


def event_conditions(gold: GoldEvent, event: Event, file: str, matcher: ActorMatcher) -> dict[str, bool]:
    """Which matching conditions a khabar event meets for a gold event."""
    day = event.time.start if event.time is not None else None
    wanted = gold.actor1 or ((gold.actor,) if gold.actor else ())
    return {
        "doc": file in gold.all_docs,
        "kind": kind_ok(gold, event),
        "actor": not wanted or any(matcher.matches(a, name, day=day) for name in wanted
                                   for a in (event.actor1, event.actor2, *event.associated)),
        "date": gold.window is None or (event.time is not None and event.time.start <= gold.window[1]
                                        and event.time.end >= gold.window[0]),
        "place": place_ok(gold, place_of(event)),
    }


def kind_ok(gold: GoldEvent, event: Event) -> bool:
    """Whether an event is the gold's kind: its ACLED type (or an accepted one), else its PLOVER root."""
    accepted = {normalise_name(a) for a in gold.accept_also}
    if normalise_name(event.event_type) in accepted or normalise_name(event.sub_event_type) in accepted:
        return True
    if event.plover_type and plover_root(event.plover_type).lower() in accepted:
        return True
    if gold.event_type:
        return normalise_name(event.event_type) == normalise_name(gold.event_type)
    if gold.plover:
        return plover_root(event.plover_type) == plover_root(gold.plover)
    return True


def place_ok(gold: GoldEvent, place: Place | None) -> bool:
    """Whether a place satisfies a gold event's place (point and radius, else name, else country)."""
    if gold.point is not None:
        lat, lon, radius = gold.point
        return place is not None and places_mod.km_between(place.lat, place.lon, lat, lon) <= radius
    if gold.place_name:
        return place is not None and normalise_name(place.name) == normalise_name(gold.place_name)
    if gold.country:
        return place is not None and alpha3(place.country) == alpha3(gold.country)
    return True


def matches(gold: GoldEvent, run: SeedRun, ignore: str = "", required_only: bool = False) -> list[Event]:
    """Khabar events meeting every condition of a gold event except ``ignore``."""
    docs = gold.docs if required_only else gold.all_docs
    found = []
    for event in run.events():
        file = run.file_of(event.doc_id)
        if file not in docs:
            continue
        conditions = event_conditions(gold, event, file, run.matcher)
        if all(ok for name, ok in conditions.items() if name != ignore):
            found.append(event)
    return found


def event_verdicts(gold: SeedGold, run: SeedRun) -> dict[str, str]:
    """Per khabar event: a first match, a duplicate of a match in its document, optional-only, or spurious."""
    matched_by: dict[str, list[GoldEvent]] = {}
    for item in gold.events:
        for event in matches(item, run):
            matched_by.setdefault(event.event_id, []).append(item)
    verdicts: dict[str, str] = {}
    for analysis in run.analyses.values():
        file, claimed = run.file_of(analysis.document.doc_id), set()
        for event in analysis.events:
            golds = matched_by.get(event.event_id, [])
            required = [g for g in golds if not g.optional and file in g.docs]
            fresh = [g for g in (required or golds) if g.key not in claimed]
            if fresh:
                claimed.add(fresh[0].key)
                verdicts[event.event_id] = MATCH if required else OPTIONAL
            else:
                verdicts[event.event_id] = DUPLICATE if golds else SPURIOUS
    return verdicts


def precision_metrics(verdicts: dict[str, str], n_docs: int) -> Metrics:
    """Event precision, duplicates and events per document from the per-event verdicts."""
    scored = [v for v in verdicts.values() if v != OPTIONAL]
    return {
        "event_precision": share(v in (MATCH, DUPLICATE) for v in scored) if scored else None,
        "duplicate_events": share(v == DUPLICATE for v in scored) if scored else None,
        "events_per_doc": len(verdicts) / n_docs if n_docs else 0.0,
        "spurious_events": sum(v == SPURIOUS for v in scored),
    }


# --- field accuracy ------------------------------------------------------------------------------


def field_checks(gold: GoldEvent, event: Event, matcher: ActorMatcher) -> dict[str, bool]:
    """The fields the gold gives beyond the matching conditions, each right or wrong for one event."""
    day = event.time.start if event.time is not None else None
    checks: dict[str, bool] = {}
    if gold.sub_type:
        accepted = {normalise_name(gold.sub_type), *(normalise_name(a) for a in gold.accept_also)}
        checks["sub_type"] = normalise_name(event.sub_event_type) in accepted
    if gold.actor1:
        checks["actor1"] = any(matcher.matches(event.actor1, name, day=day) for name in gold.actor1)
    if gold.actor2:
        checks["actor2"] = matcher.matches(event.actor2, gold.actor2, day=day)
    if gold.fatalities is not None:
        best = event.fatalities.best if event.fatalities is not None and event.fatalities.best is not None else 0
        checks["fatalities"] = gold.fatalities.holds(float(best))
    return checks


def best_event(gold: GoldEvent, events: Sequence[Event], matcher: ActorMatcher) -> dict[str, bool]:
    """The field checks of the matching event that gets the most fields right."""
    scored = [field_checks(gold, e, matcher) for e in events]
    return max(scored, key=lambda checks: sum(checks.values()))


def given_rest(events: Sequence[GoldEvent], run: SeedRun, condition: str) -> list[bool]:
    """Per gold event constraining ``condition`` and matched on all else: whether it holds too."""
    return [bool(matches(g, run, required_only=True)) for g in events
            if _constrains(g, condition) and matches(g, run, ignore=condition, required_only=True)]


def _constrains(gold: GoldEvent, condition: str) -> bool:
    """Whether a gold event gives the value a matching condition checks."""
    if condition == "date":
        return gold.window is not None
    if condition == "place":
        return gold.point is not None
    return bool(gold.event_type or gold.plover)


def field_metrics(events: Sequence[GoldEvent], run: SeedRun) -> Metrics:
    """Accuracy of each field over matched gold events, from the best-matching event of each."""
    best = [best_event(g, found, run.matcher) for g in events if (found := matches(g, run, required_only=True))]
    metrics: Metrics = {
        "type_acc": _share_or_none(given_rest(events, run, "kind")),
        "place_acc": _share_or_none(given_rest(events, run, "place")),
        "date_acc": _share_or_none(given_rest(events, run, "date")),
    }
    for name in ("sub_type", "actor1", "actor2", "fatalities"):
        metrics[f"{name}_acc"] = _share_or_none([checks[name] for checks in best if name in checks])
    metrics["all_fields_acc"] = _share_or_none([all(checks.values()) for checks in best])
    return metrics


def _share_or_none(values: list[bool]) -> float | None:
    """The share of true values, or None when nothing was scored."""
    return share(values) if values else None


# --- incidents -----------------------------------------------------------------------------------


def incident_precision(gold: SeedGold, run: SeedRun, incidents: Sequence[Incident]) -> float | None:
    """After merging, the share of incidents whose members all match one gold event."""
    matched: dict[str, set[str]] = {}
    for item in gold.events:
        for event in matches(item, run):
            matched.setdefault(event.event_id, set()).add(item.key)
    optional = {g.key for g in gold.events if g.optional}
    scores = []
    for incident in incidents:
        members = [matched.get(s.event_id, set()) for s in incident.sources]
        if all(m and m <= optional for m in members):
            continue
        scores.append(bool(set.intersection(*members)) if members else False)
    return _share_or_none(scores)


def merge_ok(gold: GoldEvent, run: SeedRun, incidents: Sequence[Incident]) -> bool:
    """Whether a multi-document gold event comes out as exactly one incident.

    Only events reported as having happened count: an aggregate or a threat that also matches is
    not a report of the incident (it is scored by ``event_precision`` if it is wrong).
    """
    found = [e for e in matches(gold, run, required_only=True) if e.status in HAPPENED]
    if len({e.doc_id for e in found}) < 2:
        return False
    ids = {e.event_id for e in found}
    holding = [i for i in incidents if ids & {s.event_id for s in i.sources}]
    return len(holding) == 1 and ids <= {s.event_id for s in holding[0].sources}


# --- reading the articles ---------------------------------------------------------------------------


def read_documents(path: Path, files: Sequence[str]) -> dict[str, Document]:
    """The gold's articles from a directory, a JSONL file with ``id`` fields or a GeoWebNews-style XML file."""
    if path.suffix == ".jsonl":
        found = jsonl_documents(path)
    elif path.suffix == ".xml":
        found = _from_xml(path)
    else:
        found = {}
        for item in read_paths([path]):
            if isinstance(item, InputError):
                log.warning("%s", item)
            else:
                found[Path(item.path).name] = item
    wanted = {f: found[f] for f in files if f in found}
    missing = [f for f in files if f not in found]
    if missing:
        log.warning("%s: %d gold document(s) not found, e.g. %s", path, len(missing), ", ".join(missing[:3]))
    if not wanted:
        raise InputError(str(path), "none of the gold's documents is here",
                         "give the directory or file the gold's `file` entries name")
    return wanted


def jsonl_documents(path: Path) -> dict[str, Document]:
    """Documents of a JSONL file as khabar ingests them, keyed by each line's ``id``."""
    import json  # noqa: PLC0415 - only this reader needs it

    ids: dict[int, str] = {}
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        try:
            record = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("id") is not None:
            ids[number] = str(record["id"])
    found: dict[str, Document] = {}
    for item in read_paths([path]):
        if isinstance(item, InputError):
            log.warning("%s", item)
            continue
        line = item.path.rsplit(":", maxsplit=1)[-1]
        if line.isdigit() and int(line) in ids:
            found[ids[int(line)]] = item
    return found


def _from_xml(path: Path) -> dict[str, Document]:
    """Documents of a GeoWebNews-style XML file, keyed ``gwn-<file attribute>``."""
    try:
        root = ET.fromstring(read_text(path))
    except ET.ParseError as exc:
        raise InputError(str(path), f"not valid XML ({exc})", "give a GeoWebNews XML file") from exc
    found: dict[str, Document] = {}
    dates = timex.load_lexicon()
    for node in root.iter("article"):
        text, link = node.findtext("text") or "", (node.findtext("link") or "").strip()
        if node.get("file") is None or not text.strip():
            continue
        document = document_for(text, dates=dates)
        published = timex.publication_from_url(link) if link else None
        if published is not None and document.published is None:
            document = Document(doc_id=document.doc_id, text=text, url=link, published=published,
                                published_source="url")
        found[f"gwn-{node.get('file')}"] = document
    return found


def gold_sets(path: Path, gold: Path | None) -> list[tuple[Path, SeedGold]]:
    """(articles path, gold) pairs: one gold file, or every gold file of a directory with its ``source``."""
    if gold is not None and gold.is_dir():
        files = sorted(gold.glob("*.yaml"))
        if not files:
            raise InputError(str(gold), "no .yaml gold files here", "give a gold YAML file or a directory of them")
        pairs = []
        for file in files:
            loaded = load_seed_gold(file)
            if not loaded.source:
                raise InputError(str(file), "no top-level 'source'", "name the articles' path relative to PATH")
            pairs.append((path / loaded.source, loaded))
        return pairs
    gold_path = gold or path.parent.parent / "gold" / f"{path.name}.yaml"
    if not gold_path.is_file():
        raise InputError(str(gold_path), "gold file not found", "pass the gold YAML with --gold FILE")
    return [(path, load_seed_gold(gold_path))]


def seed_run(sets: Sequence[tuple[Path, SeedGold]], limit: int | None, settings: Settings,
             registry: Registry) -> SeedRun:
    """Read each gold's articles and run the pipeline on them."""
    found: dict[str, Document] = {}
    for path, gold in sets:
        found.update(read_documents(path, gold.files))
    documents = dict(limited(sorted(found.items()), limit))
    analyses = analyse(list(documents.values()), settings)
    return SeedRun(
        documents=documents,
        analyses={f: a for f, a in zip(documents, analyses, strict=True) if a is not None},
        matcher=ActorMatcher(registry, [a for _, gold in sets for a in gold.actors]),
    )


def run(path: Path, gold: Path | None, limit: int | None, settings: Settings) -> Metrics:
    """Score whole articles against a document-level gold YAML (or a directory of them)."""
    sets = gold_sets(path, gold)
    gold_data = combine([g for _, g in sets])
    registry = pipeline_for(settings).registry
    result = seed_run(sets, limit, settings, registry)
    incidents = merge_events(result.events(), registry)
    scored = [g for g in gold_data.events if any(d in result.analyses for d in g.docs)]
    required = [g for g in scored if not g.optional]
    return {
        "event_recall": share(bool(matches(g, result, required_only=True)) for g in required),
        **precision_metrics(event_verdicts(gold_data, result), len(result.analyses)),
        **field_metrics(required, result),
        "incident_precision": incident_precision(gold_data, result, incidents),
        "merge_ok": share(merge_ok(g, result, incidents) for g in required if len(g.docs) > 1),
        **entities.entity_metrics(gold_data, result),
        "date_window_acc": share([*entities.document_date_scores(gold_data, result),
                                  *given_rest(required, result, "date")]),
        "n": len(required),
    }
