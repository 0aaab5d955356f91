"""``create_app``: the FastAPI app over one Service, with the JSON errors, the body cap and an offline docs page.

FastAPI's own /docs and /redoc pages load their scripts from a CDN, so they are turned off: /docs
here is a plain HTML page, built from the OpenAPI schema on the server, that works offline.
The schema itself is at /openapi.json. No CORS headers are sent (browsers on other origins are
refused), and every text from a source is data in JSON, never markup.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

import khabar
from khabar import dashboard
from khabar.api import problems, reads, writes
from khabar.api.service import Service


def create_app(service: Service) -> FastAPI:
    """The API app serving one store."""
    app = FastAPI(title="khabar", version=khabar.__version__, docs_url=None, redoc_url=None,
                  summary="Sourced incidents, actors, claims and relations from conflict news.")
    app.state.service = service
    problems.install(app)
    app.include_router(reads.router)
    app.include_router(writes.router)
    app.add_api_route("/docs", lambda: HTMLResponse(docs_page(app.openapi())), include_in_schema=False)
    dashboard.install(app)
    app.add_middleware(problems.BodyLimit, limit=service.max_upload_bytes)
    return app


def docs_page(schema: dict[str, Any]) -> str:
    """A plain HTML page listing each endpoint, its parameters and what it does."""
    rows = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = ", ".join(p["name"] for p in op.get("parameters", []) if p.get("in") == "query")
            rows.append(f"<tr><td><code>{html.escape(method.upper())} {html.escape(path)}</code></td>"
                        f"<td>{html.escape(op.get('summary', ''))}</td><td>{html.escape(params)}</td></tr>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>khabar API</title></head><body>"
            "<h1>khabar API</h1><p>The machine-readable schema is at <a href='/openapi.json'>/openapi.json</a>. "
            "Writes (POST) need <code>Authorization: Bearer &lt;token&gt;</code>.</p>"
            "<table border='1' cellpadding='4'><tr><th>endpoint</th><th>what</th><th>query parameters</th></tr>"
            + "".join(rows) + "</table></body></html>")
