"""The write routes: ingest articles and curate incidents. Each needs the server's bearer token.

Writes run one at a time (``Service.write_lock``), each on its own store connection, so the
pipeline's model is never shared between threads and SQLite sees one writer.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from khabar import corpus
from khabar.api.models import Article, MergeBody, ReviewBody, SplitBody
from khabar.api.problems import ApiError
from khabar.api.reads import check_token, service_of
from khabar.api.service import Service
from khabar.api.views import incident_detail
from khabar.errors import InputError
from khabar.ingest import SUFFIXES, read_paths, with_path
from khabar.merge import edits
from khabar.records import Document
from khabar.store import Store


def write_access(request: Request) -> Service:
    """The Service, once the request carries the token."""
    service = service_of(request)
    check_token(request, service)
    return service


Writer = Annotated[Service, Depends(write_access)]
router = APIRouter()


@dataclass(slots=True)
class Upload:
    """What an ingest request sent: named files' contents."""

    files: list[tuple[str, bytes]] = field(default_factory=list)


@router.post("/ingest", summary="Ingest articles: a JSON article, or files in a multipart upload (field `files`)",
             openapi_extra={"requestBody": {"content": {
                 "application/json": {"schema": Article.model_json_schema()},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {"files": {
                     "type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
async def ingest(request: Request, service: Writer) -> dict[str, Any]:
    """Read, analyse, store and merge the articles sent, as `khabar ingest` does for files."""
    upload = await _upload(request)
    return await run_in_threadpool(_ingest, service, upload)


async def _upload(request: Request) -> Upload:
    """The articles in a JSON or multipart body; anything else is a 415, a bad body a 422."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            article = Article.model_validate_json(await request.body())
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
            raise ApiError(422, problems) from exc
        line = {**article.model_dump(exclude_none=True), "published": _iso(article)}
        return Upload([("article.jsonl", json.dumps(line).encode())])
    if kind == "multipart/form-data":
        form = await request.form()
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not files:
            raise ApiError(422, "the upload has no files; send them in the form field `files`")
        return Upload([(_safe_name(f.filename or ""), await f.read()) for f in files])
    raise ApiError(415, "send an article as application/json ({\"text\": ...}) or files as multipart/form-data")


def _iso(article: Article) -> str | None:
    """The article's publication date as ISO text."""
    return article.published.isoformat() if article.published else None


def _safe_name(name: str) -> str:
    """An uploaded file's base name, which must have a suffix `khabar ingest` reads."""
    base = PurePath(name.replace("\\", "/")).name
    if not base or base.startswith(".") or PurePath(base).suffix.lower() not in SUFFIXES:
        raise ApiError(422, f"cannot ingest a file named {name!r}; send {', '.join(sorted(SUFFIXES))} files")
    return base


def _ingest(service: Service, upload: Upload) -> dict[str, Any]:
    """Store and merge the uploaded articles; 422 when none of them could be read."""
    with tempfile.TemporaryDirectory(prefix="khabar-upload-") as work:
        documents, errors = _read(Path(work), upload, service.settings.max_bytes)
    if not documents:
        raise ApiError(422, "; ".join(errors) or "nothing to ingest")
    with service.write_lock, service.store() as store:
        stored, unchanged, failed = _analyse(service, store, documents)
        corpus.merge(store)
        incidents = store.incident_count()
    return {"stored": stored, "unchanged": unchanged, "errors": [*errors, *failed], "incidents": incidents}


def _read(work: Path, upload: Upload, max_bytes: int) -> tuple[list[Document], list[str]]:
    """Documents from the uploaded files, recorded under ``upload/NAME``; problems as messages."""
    paths = []
    for n, (name, data) in enumerate(upload.files):
        folder = work / str(n)
        folder.mkdir()
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    documents, errors = [], []
    for item in read_paths(paths, max_bytes):
        if isinstance(item, InputError):
            errors.append(_public(str(item), work))
        else:
            documents.append(with_path(item, _public(item.path, work)))
    return documents, errors


def _public(text: str, work: Path) -> str:
    """A path or message with the server's temporary folder replaced by ``upload``."""
    return re.sub(re.escape(str(work)) + r"/\d+/", "upload/", text).replace(str(work), "upload")


def _analyse(service: Service, store: Store, documents: list[Document]) -> tuple[int, int, list[str]]:
    """Analyse and store the documents not stored yet: how many stored, already there, and failures."""
    stored, unchanged, failed = 0, 0, []
    pipeline = service.pipeline()
    for document in documents:
        if store.has_document(document.doc_id):
            unchanged += 1
            continue
        try:
            analysis = pipeline.analyse(document)
        except Exception as exc:  # one bad article must not stop the others, as in `khabar ingest`
            failed.append(f"{document.path}: analysis failed ({type(exc).__name__})")
            continue
        store.save_analysis(analysis, corpus.actor_rows(analysis, pipeline))
        stored += 1
    return stored, unchanged, failed


def _curate(service: Service, ref: str, action: Any) -> dict[str, Any]:
    """Run one curation edit on an existing incident and return the incident it leaves."""
    with service.write_lock, service.store() as store:
        if not ref.strip() or store.incident(ref) is None:
            raise ApiError(404, f"no single incident matches {ref!r}; list incident ids at /incidents")
        incident = action(store)
        return incident_detail(incident, store)


@router.post("/incidents/{incident_id}/merge", summary="Merge another incident into this one")
def merge(service: Writer, incident_id: str, body: MergeBody) -> dict[str, Any]:
    """Merge ``other`` into the incident (the older id survives)."""
    user = body.user or service.user
    return _curate(service, incident_id, lambda store: edits.merge(store, incident_id, body.other, user))


@router.post("/incidents/{incident_id}/split", summary="Split one document's report off this incident")
def split(service: Writer, incident_id: str, body: SplitBody) -> dict[str, Any]:
    """Split ``doc``'s report off the incident."""
    user = body.user or service.user
    return _curate(service, incident_id, lambda store: edits.split(store, incident_id, body.doc, user))


@router.post("/incidents/{incident_id}/reject", summary="Mark this incident as not an event")
def reject(service: Writer, incident_id: str, body: Annotated[ReviewBody | None, Body()] = None) -> dict[str, Any]:
    """Reject the incident: hidden from lists unless `rejected=true`, kept in the store."""
    user = (body.user if body else "") or service.user
    return _curate(service, incident_id, lambda store: edits.review(store, incident_id, "reject", user))


@router.post("/incidents/{incident_id}/accept", summary="Mark this incident as a real event")
def accept(service: Writer, incident_id: str, body: Annotated[ReviewBody | None, Body()] = None) -> dict[str, Any]:
    """Accept the incident (undoes a rejection)."""
    user = (body.user if body else "") or service.user
    return _curate(service, incident_id, lambda store: edits.review(store, incident_id, "accept", user))
