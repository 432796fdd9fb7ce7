"""Errors as JSON: ``{"error": {"type", "message"}}``, never a traceback.

The library's error tree maps onto HTTP statuses (an unknown role is a 404 naming the closest ids,
bad input a 400); request validation is a 422; a body over the size limit a 413. Anything else is a
bug: it is logged here, server-side, with its traceback, and the client gets a bare 500.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skillgauge.exceptions import (
    InputError,
    SkillgaugeError,
    TerminalSourceError,
    UnknownRole,
)

log = logging.getLogger("skillgauge.api")


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


#: Documented on every route, so clients (and schemathesis) know the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input (e.g. an unknown term or source)"},
    404: {"model": ErrorBody, "description": "Unknown role (the message names the closest ids)"},
    413: {"model": ErrorBody, "description": "Request body too large"},
    422: {"model": ErrorBody, "description": "Invalid parameters"},
    500: {"model": ErrorBody, "description": "Internal error (logged server-side)"},
}


class TooLarge(StarletteHTTPException):
    """A request body exceeded its limit while streaming. An HTTPException so that FastAPI's body
    parsing lets it through (it turns other exceptions there into a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


def error_body(kind: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"type": kind, "message": message}}


def error_response(status: int, kind: str, message: str) -> Response:
    return Response(
        json.dumps(error_body(kind, message)), status_code=status, media_type="application/json"
    )


def _status_for(exc: SkillgaugeError) -> int:
    if isinstance(exc, UnknownRole):
        return 404
    if isinstance(exc, InputError | TerminalSourceError):
        return 400
    return 500


async def _skillgauge_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SkillgaugeError)
    status = _status_for(exc)
    if status == 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_response(status, type(exc).__name__, str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    kind = {
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        405: "MethodNotAllowed",
        413: "PayloadTooLarge",
    }
    response = error_response(
        exc.status_code, kind.get(exc.status_code, "HTTPError"), str(exc.detail)
    )
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return error_response(422, "ValidationError", "; ".join(parts) or "invalid request")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SkillgaugeError, _skillgauge_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


class CatchAllMiddleware:
    """Any exception no handler took: log it with its traceback, answer a JSON 500 without one.

    A plain ASGI middleware rather than an ``Exception`` handler because Starlette re-raises after
    running such a handler (the server would print the traceback twice and test clients raise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the last line of defence: nothing may leak a traceback
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            body = json.dumps(error_body("InternalError", f"internal error ({type(exc).__name__})"))
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": body.encode()})


class BodyLimitMiddleware:
    """Refuse request bodies over a limit with a 413, before they are read into memory.

    Uploads (``upload_paths``) may be up to ``upload_bytes``; every other body (JSON) up to
    ``json_bytes``. A declared Content-Length over the limit is refused at once; a chunked body
    is counted as it streams and refused when it passes the limit."""

    def __init__(
        self, app: ASGIApp, *, upload_bytes: int, json_bytes: int, upload_paths: frozenset[str]
    ) -> None:
        self.app = app
        self.upload_bytes = upload_bytes
        self.json_bytes = json_bytes
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope.get("path") in self.upload_paths else self.json_bytes
        message = f"request body larger than {limit:,} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await error_response(413, "PayloadTooLarge", message)(scope, receive, send)
                    return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise TooLarge(message)
            return msg

        await self.app(scope, counting_receive, send)
