"""One JSON error shape, ``{"error": {"code": ..., "message": ...}}``, for every error the API returns.

khabar's own errors keep their messages (they say what to do); validation errors name the field;
anything unexpected is logged and answered with a 500 that names no internals, so no traceback or
file path ever reaches a client. ``BodyLimit`` answers 413 before a too-large body is read.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar.errors import ConfigError, CurationError, InputError, KhabarError, StoreError

log = logging.getLogger("khabar.api")
STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                422: "invalid", 500: "internal", 503: "unavailable"}


class ApiError(Exception):
    """An error with an HTTP status and a message saying what to do."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        """Remember the status, message and any headers to send."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON error body for a status and message."""
    body = {"error": {"code": STATUS_CODES.get(status, f"http_{status}"), "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def khabar_status(exc: KhabarError) -> int:
    """The HTTP status a khabar error stands for."""
    if isinstance(exc, ConfigError | InputError):
        return 400
    if isinstance(exc, CurationError):
        return 409
    if isinstance(exc, StoreError):
        return 503
    return 500


def install(app: FastAPI) -> None:
    """Answer every error the app can raise in the one JSON shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(KhabarError, _khabar_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    """An ApiError as it was raised."""
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, exc.headers)


async def _khabar_error(_: Request, exc: Exception) -> JSONResponse:
    """A khabar error with its own message, which says what to do."""
    assert isinstance(exc, KhabarError)
    status = khabar_status(exc)
    if status == 500:
        log.error("request failed: %s", exc)
        return error_response(500, "the server could not complete the request; see its log")
    return error_response(status, str(exc))


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    """A request that fails validation: each problem named by where it is."""
    assert isinstance(exc, RequestValidationError)
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in exc.errors()]
    return error_response(422, "; ".join(problems) or "the request is not valid")


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors (unknown route, wrong method) in the JSON shape."""
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request refused"
    if exc.status_code == 404 and message == "Not Found":
        message = "no such endpoint; the endpoints are listed at /docs and /openapi.json"
    return error_response(exc.status_code, message, dict(exc.headers) if exc.headers else None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Any other failure: logged with its traceback here, never sent to the client."""
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "the server could not complete the request; see its log")


class BodyLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with a 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        """Wrap an app."""
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request through, or answer 413 when its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(self, send: Send) -> None:
        """Send the 413 error."""
        megabytes = self.limit / (1024 * 1024)
        payload: dict[str, Any] = {"error": {"code": "too_large", "message": (
            f"the request body is larger than {megabytes:g} MB; send less at a time, or start the server with "
            "a larger --max-upload-mb")}}
        data = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that gives the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        """The body first, then whatever the client sends next (a disconnect)."""
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
