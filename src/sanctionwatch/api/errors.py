"""Error responses: every error is JSON ``{"error": {"type", "message", "field"}}`` with the status
its class declares — never a 500 for client input, never an HTML page.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionwatch.errors import SanctionwatchError

__all__ = ["BodySizeLimit", "error_body", "error_response", "install_error_handlers"]


def error_body(kind: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The JSON body of an error response."""
    return {"error": {"type": kind, "message": message, "field": field}}


def _field_of(message: str) -> str | None:
    head, sep, _ = message.partition(":")
    return head if sep and head.isidentifier() else None


def error_response(exc: SanctionwatchError) -> JSONResponse:
    """The JSON response for a sanctionwatch error, with the status its class declares."""
    message = str(exc)
    return JSONResponse(
        error_body(type(exc).__name__, message, _field_of(message)), status_code=type(exc).http_status
    )


async def _sanctionwatch_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SanctionwatchError)
    return error_response(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path")]
    field = ".".join(loc) or None
    message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
    body = error_body("ValidationError", message, field)
    body["error"]["details"] = [
        {"field": ".".join(str(x) for x in e.get("loc", ())[1:]), "message": e.get("msg")}
        for e in errors[:20]
    ]
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return JSONResponse(error_body("HTTPError", str(exc.detail)), status_code=exc.status_code)


def install_error_handlers(app: FastAPI) -> None:
    """Map sanctionwatch errors, validation errors and HTTP errors to JSON responses."""
    app.add_exception_handler(SanctionwatchError, _sanctionwatch_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


class BodySizeLimit:
    """ASGI middleware refusing request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            error_body("PayloadTooLarge", f"request body over {self.limit:,} bytes"), status_code=413
        )
        await send({"type": "http.response.start", "status": 413, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


class _TooLarge(Exception):
    pass
