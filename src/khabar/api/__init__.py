"""The HTTP API: a FastAPI app over one store, for reads, exports, ingest and curation.

``create_app(service)`` builds the app; ``Service`` holds what every request needs (the store's
path, the write token, the upload cap, the pipeline loaded on first ingest). ``khabar serve`` runs
it on uvicorn. Pydantic lives only here, at the HTTP edge; handlers call the query layer, the
export registry and ``merge.edits`` as the CLI does.

Modules::

    service.py   Service: settings, token file, loopback check, per-request store and archive
    problems.py  one JSON error shape for every error, and the request body cap (413)
    models.py    pydantic request bodies
    views.py     records to JSON: incident detail, document with evidence spans, stats
    reads.py     GET routes: incidents, documents, actors, places, claims, relations, stats, export
    writes.py    POST routes: ingest, merge, split, reject, accept (bearer token required)
    app.py       create_app: routers, error handlers, a plain offline /docs page
"""

from khabar.api.app import create_app
from khabar.api.service import Service, is_loopback, load_token

__all__ = ["Service", "create_app", "is_loopback", "load_token"]
