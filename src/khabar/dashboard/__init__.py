"""The web dashboard: static files served by the API process at ``/``, drawing from the API's own endpoints.

``static/`` holds the page (``index.html``, ``app.js``, ``app.css``), the vendored front-end libraries
(``vendor/``, rebuilt from the npm registry by ``scripts/vendor_frontend.sh``, each with its licence)
and the page loads the simplified Natural Earth boundaries khabar bundles (``data/boundaries/``, also
drawn by the HTML report) from ``/static/geo/``. Nothing is fetched from the network: the page runs
offline, and its Content-Security-Policy allows scripts from this server only, so text from an article
can never run as code even if it reached the page as markup.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

STATIC = Path(__file__).parent / "static"
BOUNDARIES = Path(__file__).parent.parent / "data" / "boundaries"
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders(BaseHTTPMiddleware):
    """Send a strict Content-Security-Policy and no-sniff header with every response."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Add the headers to the response."""
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def install(app: FastAPI) -> None:
    """Serve the dashboard at ``/`` and its files under ``/static``."""
    app.mount("/static/geo", StaticFiles(directory=BOUNDARIES), name="boundaries")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/", index, include_in_schema=False)
    app.add_middleware(SecurityHeaders)


def index() -> FileResponse:
    """The dashboard page."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})
