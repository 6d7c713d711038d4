"""The server's logs: readable text by default, one JSON object per line with
``SANCTIONWATCH_LOG_FORMAT=json``, and one line per HTTP request (:class:`RequestLogMiddleware`).

Every record logged while a request is served carries its request id: the client's
``X-Request-ID`` when it sends a sane one (letters, digits, ``.``, ``_``, ``-``; at most 128), else a
new one; the response returns it in ``X-Request-ID``. The request line names the route template,
status, duration, client address and who asked (the API key's name or the UI user's; never the key,
never a password). Screened names are personal data: bodies are never logged, and the raw path with
its query string (``GET /search/default?q=...``) only with ``SANCTIONWATCH_LOG_QUERIES=true``.
uvicorn's own access log, which prints the raw path, is switched off in favour of this line.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionwatch.service import state_of
from sanctionwatch.settings import Settings

__all__ = [
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "RequestLogMiddleware",
    "TextFormatter",
    "logging_config",
    "request_id",
]

REQUEST_ID_HEADER = "x-request-id"
REQUEST_LOGGER = "sanctionwatch.request"
_FIELDS = ("request_id", "method", "route", "path", "status", "duration_ms", "client", "key", "user")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_VIEWER_KEY = "sanctionwatch_viewer"
"""Where the UI keeps the signed-in viewer on ``request.state`` (``web.refusals.VIEWER_KEY``)."""

_request_id: ContextVar[str | None] = ContextVar("sanctionwatch_request_id", default=None)


def request_id() -> str | None:
    """The id of the request being served in this context, or None."""
    return _request_id.get()


class _RequestIdFilter(logging.Filter):
    """Stamps every record with the current request id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            found = getattr(record, name, None)
            if found is not None:
                out[name] = found
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message [request id]``, readable on a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        line = f"{when} {record.levelname:<7} {record.name}: {record.getMessage()}"
        rid = getattr(record, "request_id", None)
        if rid is not None and record.name != REQUEST_LOGGER:
            line += f" [request {rid}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def logging_config(settings: Settings, access_log: bool = True) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server (uvicorn's ``log_config``): everything to
    stderr in the ``log_format`` of ``settings``; uvicorn's access log off, ours on unless
    ``access_log`` is false."""
    formatter = JsonFormatter if settings.log_format == "json" else TextFormatter
    handler = {"class": "logging.StreamHandler", "formatter": "main", "filters": ["request_id"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": _RequestIdFilter}},
        "formatters": {"main": {"()": formatter}},
        "handlers": {"default": handler | {"stream": "ext://sys.stderr"}},
        "root": {"handlers": ["default"], "level": "WARNING"},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "sanctionwatch": {"handlers": ["default"], "level": "INFO", "propagate": False},
            REQUEST_LOGGER: {"level": "INFO" if access_log else "WARNING"},
        },
    }


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _presented_key(scope: Scope) -> str | None:
    scheme, _, value = (_header(scope, b"authorization") or "").partition(" ")
    if scheme.lower() in ("apikey", "bearer") and value.strip():
        return value.strip()
    return (_header(scope, b"x-api-key") or "").strip() or None


def _key_name(scope: Scope) -> str | None:
    """The name of the valid API key the request presented, else None (the key is never kept)."""
    key = _presented_key(scope)
    app = scope.get("app")
    if key is None or app is None:
        return None
    checker = state_of(app).auth
    if checker is None:
        return None
    try:
        found: object = checker.check(key)
    except Exception:  # a key table that cannot be read is the request's own error, not the log's
        return None
    if found is None or isinstance(found, str):
        return found
    name = getattr(found, "name", None)
    return name if isinstance(name, str) else None


class RequestLogMiddleware:
    """ASGI middleware: a request id for each request, and one log line when it is answered."""

    def __init__(self, app: ASGIApp, log_queries: bool = False) -> None:
        self.app = app
        self.log_queries = log_queries
        self.log = logging.getLogger(REQUEST_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, REQUEST_ID_HEADER.encode())
        rid = given if given is not None and _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._line(scope, rid, status, time.perf_counter() - started)
            _request_id.reset(token)

    def _line(self, scope: Scope, rid: str, status: int, seconds: float) -> None:
        if not self.log.isEnabledFor(logging.INFO):
            return
        route = getattr(scope.get("route"), "path", None) or "<unmatched>"
        client = scope.get("client")
        viewer = (scope.get("state") or {}).get(_VIEWER_KEY)
        fields: dict[str, Any] = {
            "request_id": rid,
            "method": scope.get("method"),
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "client": client[0] if client else None,
            "key": _key_name(scope),
            "user": getattr(viewer, "name", None),
        }
        if self.log_queries:
            query = scope.get("query_string", b"").decode("latin-1")
            fields["path"] = scope.get("path", "") + (f"?{query}" if query else "")
        self.log.info(
            "%s %s %s %.1f ms", fields["method"], route, status, fields["duration_ms"], extra=fields
        )
