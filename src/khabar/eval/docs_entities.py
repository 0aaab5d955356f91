"""Document-level gold beyond events: aliases, affiliations, claims, relations and document dates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from khabar.eval.common import Metrics, normalise_name, share
from khabar.eval.docs_gold import ActorMatcher, SeedGold, gold_window
from khabar.eval.docs_run import SeedRun
from khabar.records import Analysis, Document


def entity_metrics(gold: SeedGold, run: SeedRun) -> Metrics:
    """Alias, affiliation, claim and relation recall of a run."""
    scores = {
        "actor_alias_acc": alias_scores(gold, run),
        "person_affiliation_acc": _affiliation_scores(gold, run),
        "claim_recall": _claim_scores(gold, run),
        "relation_recall": _relation_scores(gold, run),
    }
    return {name: share(values) if values else None for name, values in scores.items()}


def alias_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per (alias, document) where it occurs: whether it resolves to its canonical actor."""
    aliases = [(str(alias), str(a["name"])) for a in gold.actors for alias in (a.get("aliases") or [])]
    scores = []
    for analysis in run.analyses.values():
        text = analysis.document.text
        spans = {alias: _occurrences(text, alias) for alias, _ in aliases}
        every = [s for spans_of in spans.values() for s in spans_of]
        for alias, name in aliases:
            own = [s for s in spans[alias] if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in every)]
            if own:
                good = [_resolved(analysis, s, name, run.matcher) for s in own]
                scores.append(sum(good) * 2 >= len(good))
    return scores


def _occurrences(text: str, alias: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of an alias in a text."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _resolved(analysis: Analysis, span: tuple[int, int], name: str, matcher: ActorMatcher) -> bool:
    """Whether an actor mention overlapping a span resolves to the gold name."""
    mentions = [m for m in analysis.actors if m.evidence.start < span[1] and span[0] < m.evidence.end]
    return any(matcher.matches(m.actor_id, name) for m in mentions)


def _affiliation_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold person with an affiliation: whether a mention of them carries it."""
    scores = []
    for person in gold.actors:
        if person.get("type") != "person" or not person.get("affiliation"):
            continue
        names = [person["name"], *(person.get("aliases") or [])]
        mentions = [m for a in run.analyses.values() for m in a.actors
                    if any(run.matcher.matches(m.actor_id, n, alternatives=False)
                           or normalise_name(m.name) == normalise_name(n) for n in names)]
        scores.append(any(run.matcher.matches(m.affiliation, str(person["affiliation"])) for m in mentions))
    return scores


def _claim_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold claim: whether a claim in its documents has its speaker and quantity."""
    scores = []
    for item in gold.claims:
        claims = [c for f in item["docs"] if f in run.analyses for c in run.analyses[f].claims]
        scores.append(any(_claim_ok(item, c, run.matcher) for c in claims))
    return scores


def _claim_ok(item: dict[str, Any], claim: Any, matcher: ActorMatcher) -> bool:
    """Whether a khabar claim has a gold claim's speaker and quantity."""
    speaker = str(item.get("speaker") or "")
    if speaker == "author":
        speaker_ok = claim.speaker in ("", "author")
    else:
        speaker_ok = matcher.matches(claim.speaker, speaker) or (
            normalise_name(re.sub(r"\(.*?\)", "", speaker)) in normalise_name(claim.speaker_text))
    wanted = item.get("quantity")
    quantity_ok = wanted is None or any(float(wanted) in (q.best, q.low) for q in claim.quantities)
    return bool(speaker_ok and quantity_ok)


def _relation_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold relation: whether a relation in its documents joins the two actors."""
    scores = []
    for item in gold.relations:
        relations = [r for f in item["docs"] if f in run.analyses for r in run.analyses[f].relations]
        pairs = [(r.a, r.b) for r in relations] + ([] if item.get("directed") else [(r.b, r.a) for r in relations])
        scores.append(any(run.matcher.matches(a, str(item["a"])) and run.matcher.matches(b, str(item["b"]))
                          for a, b in pairs))
    return scores


def document_date_scores(gold: SeedGold, run: SeedRun) -> list[bool]:
    """Per gold document with a date or window: whether khabar's date fits it."""
    scores = []
    for entry in gold.documents:
        window = gold_window(entry)
        analysed = run.analyses.get(str(entry["file"]))
        # the time stage may infer a publication window, so prefer the analysed document
        document = analysed.document if analysed is not None else run.documents.get(str(entry["file"]))
        if window is None or document is None:
            continue
        scores.append(date_fits(document, window))
    return scores


def date_fits(document: Document, window: tuple[date, date]) -> bool:
    """Whether a document's publication date falls in a window, or its window overlaps it."""
    if document.published is not None:
        return window[0] <= document.published <= window[1]
    found = document.published_window
    return found is not None and found[0] <= window[1] and found[1] >= window[0]
