"""The read routes: incidents, documents, actors, places, claims, relations, stats and exports.

Every list takes the query layer's filters as query parameters plus ``limit``/``offset``; each
request opens its own connection and reads only the page it returns (and a count, for incidents).
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from khabar import export as formats
from khabar.api.overview import BUCKETS, overview
from khabar.api.problems import ApiError
from khabar.api.service import Service
from khabar.api.views import document_view, incident_detail, incident_summary, page, stats
from khabar.export.common import Names
from khabar.query import SORTS, Archive, Filters, filters_from_strings
from khabar.records import as_dict

MAX_PAGE = 1000
DOC_ID = re.compile(r"[0-9a-f]{16}")
CODED = ("acled", "ucdp", "stix")  # formats that code actors through the registry
MEDIA = {".jsonl": "application/x-ndjson", ".csv": "text/csv; charset=utf-8", ".json": "application/json",
         ".geojson": "application/geo+json", ".graphml": "application/xml", ".zip": "application/zip"}


def service_of(request: Request) -> Service:
    """The server's Service."""
    service: Service = request.app.state.service
    return service


def check_token(request: Request, service: Service) -> None:
    """Refuse a request without the server's bearer token (401)."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), service.token.encode()):
        raise ApiError(401, "this needs the server's token: send `Authorization: Bearer <token>`, the token being "
                            "the one `khabar serve` printed at first start (kept in the --token-file)",
                       {"WWW-Authenticate": "Bearer"})


def read_access(request: Request) -> Service:
    """The Service, once the request may read: always on a loopback bind, else with the token."""
    service = service_of(request)
    if not service.open_reads:
        check_token(request, service)
    return service


Reader = Annotated[Service, Depends(read_access)]


def filters(
    since: str | None = None, until: str | None = None, country: str | None = None, admin1: str | None = None,
    place: str | None = None, within_km: Annotated[float | None, Query(ge=0)] = None, actor: str | None = None,
    type: str | None = None, status: str | None = None,
    min_sources: Annotated[int | None, Query(ge=0)] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None, text: str | None = None,
    sort: Annotated[str, Query(description=f"One of {', '.join(SORTS)}.")] = "date",
    rejected: bool = False,
) -> Filters:
    """The query layer's filters from query parameters (a bad value is a 400 naming the filter)."""
    given = {"since": since, "until": until, "country": country, "admin1": admin1, "place": place,
             "within_km": _text(within_km), "actor": actor, "type": type, "status": status,
             "min_sources": _text(min_sources), "min_confidence": _text(min_confidence), "text": text, "sort": sort,
             "rejected": "true" if rejected else None}
    return filters_from_strings(given)


def _text(value: float | None) -> str | None:
    """A number as the text ``filters_from_strings`` reads."""
    return None if value is None else str(value)


Filtered = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=0, le=MAX_PAGE, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, description="Skip this many items first.")]
router = APIRouter()


def _listing(items: list[dict[str, Any]], offset: int, limit: int, total: int | None = None) -> dict[str, Any]:
    """A page of items with where it sits."""
    more = len(items) == limit if total is None else offset + len(items) < total
    return {"items": items, "offset": offset, "limit": limit, "total": total,
            "next_offset": offset + len(items) if more else None}


def _records_page(service: Service, f: Filters, offset: int, limit: int,
                  read: Callable[[Archive, Filters], Iterable[Any]]) -> dict[str, Any]:
    """One page of the records a query-layer listing yields for the filters, as plain dicts."""
    with service.archive(bool(f.actor)) as archive:
        found = read(archive, f.replace(limit=offset + limit))
        return _listing([as_dict(record) for record in page(found, offset, limit)], offset, limit)


@router.get("/incidents", summary="Incidents matching the filters")
def list_incidents(service: Reader, f: Filtered, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """A page of incidents in the chosen order, with how many match in all."""
    with service.archive(bool(f.actor)) as archive:
        names = Names(archive)
        found = archive.incidents(f.replace(limit=offset + limit))
        items = [incident_summary(i, names) for i in page(found, offset, limit)]
        return _listing(items, offset, limit, archive.count_incidents(f))


@router.get("/incidents/{incident_id}", summary="One incident with its sources, evidence and merge notes")
def get_incident(service: Reader, incident_id: str) -> dict[str, Any]:
    """An incident by id, earlier id or unique prefix."""
    with service.archive() as archive:
        incident = archive.incident(incident_id) if incident_id.strip() else None
        if incident is None:
            raise ApiError(404, f"no single incident matches {incident_id!r}; list incident ids at /incidents")
        return incident_detail(incident, archive.store, incident_id)


@router.get("/documents/{doc_id}", summary="A document's text with its evidence spans as offsets")
def get_document(service: Reader, doc_id: str) -> dict[str, Any]:
    """A stored document by its 16-character id; anything else is a 404 (no file is ever read)."""
    with service.archive() as archive:
        document = archive.store.document(doc_id) if DOC_ID.fullmatch(doc_id) else None
        if document is None:
            raise ApiError(404, f"no document has id {doc_id!r}; document ids are the doc_id values of "
                                "/incidents/{id} sources")
        return document_view(document, archive.store)


@router.get("/actors", summary="Actors of the incidents the filters keep")
def list_actors(service: Reader, f: Filtered, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Actors, most incidents first."""
    return _records_page(service, f, offset, limit, Archive.actors)


@router.get("/places", summary="Places of the incidents the filters keep")
def list_places(service: Reader, f: Filtered, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Places, most incidents first."""
    return _records_page(service, f, offset, limit, Archive.places)


@router.get("/claims", summary="Claims in the articles the filters keep")
def list_claims(service: Reader, f: Filtered, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Claims, by document."""
    return _records_page(service, f, offset, limit, Archive.claims)


@router.get("/relations", summary="Relations between actors, one item per pair and type")
def list_relations(service: Reader, f: Filtered, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Relation summaries, by actor pair and type."""
    return _records_page(service, f, offset, limit, Archive.relation_summaries)


@router.get("/stats", summary="Counts of the incidents the filters keep")
def get_stats(service: Reader, f: Filtered) -> dict[str, Any]:
    """Incident counts by type, first-level division, ISO week and actor."""
    with service.archive(bool(f.actor)) as archive:
        return stats(archive, f)


@router.get("/overview", summary="Map points, a timeline and an actor graph of the incidents the filters keep")
def get_overview(service: Reader, f: Filtered,
                 bucket: Annotated[str, Query(description=f"One of {', '.join(BUCKETS)}.")] = "auto"
                 ) -> dict[str, Any]:
    """What the dashboard draws for these filters, in one read."""
    if bucket not in BUCKETS:
        raise ApiError(400, f"bucket must be one of {', '.join(BUCKETS)}, not {bucket!r}")
    with service.archive(bool(f.actor)) as archive:
        return overview(archive, f, bucket)


@router.get("/export", summary="Everything the filters keep, in a registered export format")
def get_export(service: Reader, f: Filtered, format: str,
               limit: Annotated[int | None, Query(ge=0)] = None) -> FileResponse:
    """The export, written to a temporary file in this thread, then streamed to the client and deleted."""
    chosen = formats.format_named(format)
    work = Path(tempfile.mkdtemp(prefix="khabar-export-"))
    try:
        target = _write_export(service, f.replace(limit=limit), chosen, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return FileResponse(target, media_type=MEDIA.get(target.suffix, "application/octet-stream"),
                        filename=f"khabar-{chosen.name}{target.suffix}",
                        background=BackgroundTask(shutil.rmtree, work, ignore_errors=True))


def _write_export(service: Service, f: Filters, chosen: formats.ExportFormat, work: Path) -> Path:
    """Write one export under ``work``; a folder format (Parquet) is zipped into one file."""
    with service.archive(chosen.name in CODED or bool(f.actor)) as archive:
        if chosen.write_folder is None:
            target = work / f"export{chosen.suffix}"
            formats.export(archive, f, chosen, target)
            return target
        formats.export(archive, f, chosen, work / "export")
    return Path(shutil.make_archive(str(work / chosen.name), "zip", root_dir=work / "export"))
