"""Records to table rows and back: one function per table, each row a dict keyed by column name.

Rows are dicts so an INSERT names its columns (``insert_sql``) and never depends on their order in
the table. Columns named ``data`` hold the whole record as JSON (``khabar.records.as_dict``, computed by
the equivalent, faster ``codec.encode``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from khabar.records import Analysis, Claim, Document, Event, Incident, Relation
from khabar.store.codec import encode as as_dict

Row = dict[str, Any]
ACTOR_COLUMNS = ("actor_id", "name", "type", "country", "acled_name", "provisional")


def insert_sql(table: str, columns: Sequence[str], *, replace: bool = False) -> str:
    """An INSERT (or INSERT OR REPLACE) naming each column, with a named parameter per column."""
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    names = ", ".join(f'"{c}"' for c in columns)
    return f"{verb} INTO {table} ({names}) VALUES ({', '.join(f':{c}' for c in columns)})"


def now() -> str:
    """The current UTC time as ISO text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def iso(value: date | None) -> str | None:
    """A date as ISO text, or None."""
    return value.isoformat() if value is not None else None


def document_row(d: Document, ingested_at: str) -> Row:
    """A row of the documents table."""
    window = d.published_window or (None, None)
    return {"doc_id": d.doc_id, "path": d.path, "title": d.title, "url": d.url, "outlet": d.outlet,
            "published": iso(d.published), "published_source": d.published_source,
            "published_window_start": iso(window[0]), "published_window_end": iso(window[1]),
            "text": d.text, "ingested_at": ingested_at}


def document_from_row(row: Mapping[str, Any]) -> Document:
    """A Document from a documents row."""
    start, end = row["published_window_start"], row["published_window_end"]
    window = (_day(start), _day(end)) if start and end else None
    return Document(doc_id=row["doc_id"], text=row["text"], title=row["title"], url=row["url"],
                    outlet=row["outlet"], published=_day(row["published"]) if row["published"] else None,
                    published_source=row["published_source"], published_window=window, path=row["path"])


def sentence_rows(analysis: Analysis) -> list[Row]:
    """Rows of the sentences table: each sentence's span in the document text."""
    doc = analysis.document.doc_id
    return [{"doc_id": doc, "idx": s.index, "start": s.start, "end": s.end} for s in analysis.sentences]


def mention_rows(analysis: Analysis) -> Iterator[Row]:
    """Rows of the mentions table for every actor, place, time and quantity mention."""
    doc = analysis.document.doc_id
    for a in analysis.actors:
        yield _mention(doc, "actor", a.evidence.sentence, a.evidence.start, a.evidence.end, a.evidence.text,
                       a.actor_id, as_dict(a))
    for p in analysis.places:
        yield _mention(doc, "place", p.evidence.sentence, p.evidence.start, p.evidence.end, p.surface,
                       p.place.place_id if p.place else "", as_dict(p))
    for t in analysis.times:
        yield _mention(doc, "time", t.evidence.sentence, t.evidence.start, t.evidence.end, t.surface,
                       t.span.start.isoformat(), as_dict(t))
    for q in analysis.quantities:
        yield _mention(doc, "quantity", q.evidence.sentence, q.evidence.start, q.evidence.end, q.evidence.text,
                       q.kind, as_dict(q))


def _mention(doc: str, kind: str, sentence: int, start: int, end: int, surface: str, ref: str, data: Any) -> Row:
    """One mentions row."""
    return {"doc_id": doc, "kind": kind, "sentence": sentence, "start": start, "end": end, "surface": surface,
            "ref": ref, "data": json.dumps(data)}


def actor_rows(rows: Sequence[tuple[Any, ...]]) -> list[Row]:
    """Rows of the actors table from (actor_id, name, type, country, acled_name, provisional) tuples."""
    return [dict(zip(ACTOR_COLUMNS, row, strict=True)) for row in rows]


def place_rows(analysis: Analysis) -> Iterator[Row]:
    """Rows of the places table for every resolved place."""
    for mention in analysis.places:
        p = mention.place
        if p is not None:
            yield {"place_id": p.place_id, "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country,
                   "admin1": p.admin1, "admin2": p.admin2, "feature": p.feature}


def event_source_row(analysis: Analysis, event: Event) -> Row:
    """A row of event_sources: the event with the sentence that reports it, not yet linked to an incident."""
    first = event.evidence[0] if event.evidence else None
    sentences = analysis.sentences
    sentence = sentences[first.sentence] if first and 0 <= first.sentence < len(sentences) else None
    return {"source_id": event.event_id, "event_id": None, "doc_id": event.doc_id,
            "sentence": first.sentence if first else -1, "start": sentence.start if sentence else 0,
            "end": sentence.end if sentence else 0, "text": sentence.text if sentence else "",
            "day_start": iso(event.time.start) if event.time else None, "data": json.dumps(as_dict(event))}


def claim_row(c: Claim) -> Row:
    """A row of the claims table."""
    return {"claim_id": c.claim_id, "doc_id": c.doc_id, "speaker": c.speaker, "speaker_text": c.speaker_text,
            "content": c.content, "stance": c.stance, "quoted": int(c.quoted), "disputed": int(bool(c.disputed_by)),
            "sentence": c.evidence.sentence, "start": c.evidence.start, "end": c.evidence.end,
            "data": json.dumps(as_dict(c))}


def relation_row(r: Relation) -> Row:
    """A row of the relations table, located at its first evidence."""
    first = r.evidence[0] if r.evidence else None
    return {"a": r.a, "b": r.b, "type": r.type, "directed": int(r.directed), "doc_id": r.doc_id,
            "sentence": first.sentence if first else -1, "start": first.start if first else 0,
            "end": first.end if first else 0, "data": json.dumps(as_dict(r))}


def incident_row(i: Incident) -> Row:
    """A row of the events table from a merged incident, flattened for tools that read SQL."""
    e = i.event
    place = e.place.place if e.place else None
    tolls = i.fatalities or e.fatalities
    return {
        "event_id": i.incident_id, "family": e.family, "event_type": e.event_type,
        "sub_event_type": e.sub_event_type, "plover_type": e.plover_type, "actor1": e.actor1, "actor2": e.actor2,
        "place_id": place.place_id if place else None,
        "place_name": place.name if place else (e.place.surface if e.place else ""),
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "admin1": place.admin1 if place else "", "country": place.country if place else "",
        "date_start": iso(e.time.start) if e.time else None, "date_end": iso(e.time.end) if e.time else None,
        "fatalities_low": tolls.low if tolls else None, "fatalities_best": tolls.best if tolls else None,
        "fatalities_high": tolls.high if tolls else None, "status": e.status, "claimed_by": e.claimed_by,
        "attributed_by": e.attributed_by, "n_sources": len(i.sources),
        "disagreements": json.dumps(list(i.disagreements)), "data": json.dumps(as_dict(i)),
    }


def _day(text: str) -> date:
    """A date from the ISO text the store keeps."""
    return datetime.fromisoformat(text).date()
