"""``POST /payments/screen``: one payment message (or an RJE batch) in, its verdicts out.

The body is the raw message (``application/xml`` for ISO 20022, ``text/plain`` for SWIFT MT) or
JSON ``{"message": "...", "format": "auto", "jurisdictions": "+syria"}``. The answer holds one
result per message, shaped like a ``payments screen`` JSON line. A body none of whose messages
can be read is a 422 naming why; a batch with some unreadable messages answers 200 with their
``error`` records.
"""

from __future__ import annotations

import copy
import weakref
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from sanctionwatch.api.auth import require_api_key
from sanctionwatch.api.models import error_responses, json_response
from sanctionwatch.errors import ConfigError, InputError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.messages.jurisdictions import Jurisdictions
from sanctionwatch.messages.model import MAX_MESSAGE_BYTES, MessageError
from sanctionwatch.messages.reader import MessageFormat, read_bytes
from sanctionwatch.messages.screen import MessageScreener
from sanctionwatch.service import state_of

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_api_key)], responses=error_responses())

_screeners: weakref.WeakKeyDictionary[Screener, MessageScreener] = weakref.WeakKeyDictionary()

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {
                        "message": {"type": "string"},
                        "format": {"type": "string", "enum": ["auto", "iso20022", "mt"]},
                        "jurisdictions": {"type": "string"},
                    },
                }
            },
        },
    }
}


def _message_screener(screener: Screener, jurisdictions: str | None) -> MessageScreener:
    """The message screener of a snapshot's screener (built once), with the jurisdictions asked for."""
    base = _screeners.get(screener)
    if base is None:
        base = MessageScreener(screener)
        _screeners[screener] = base
    if jurisdictions is None:
        return base
    out = copy.copy(base)
    try:
        out.jurisdictions = Jurisdictions.select(jurisdictions)
    except ConfigError as exc:  # the caller's switch, not the server's configuration
        raise InputError(f"jurisdictions: {exc}") from None
    return out


def _format(value: Any) -> MessageFormat:
    if value in (None, "auto"):
        return "auto"
    if value == "iso20022":
        return "iso20022"
    if value == "mt":
        return "mt"
    raise InputError(f"format: {value!r} is not auto, iso20022 or mt")


def _unpack(body: bytes, content_type: str) -> tuple[bytes, MessageFormat, str | None]:
    """The message bytes, format and jurisdiction switch of a request body."""
    if not content_type.startswith("application/json"):
        return body, "auto", None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InputError(f"body: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        raise InputError('message: a JSON body must be an object with a "message" string')
    switch = data.get("jurisdictions")
    if switch is not None and not isinstance(switch, str):
        raise InputError("jurisdictions: must be a string such as '+syria' or 'north-korea,iran'")
    return data["message"].encode("utf-8"), _format(data.get("format")), switch


@router.post(
    "/payments/screen",
    tags=["Payments"],
    summary="Screen a payment message",
    openapi_extra=_BODY,
)
async def screen_payment(
    request: Request,
    jurisdictions: str | None = Query(
        None, description="Jurisdictions: keys (north-korea,iran) or +key/-key on the defaults."
    ),
) -> Response:
    """Screen an ISO 20022 (pacs.008, pacs.009, pain.001) or SWIFT MT (103, 202, 202COV) message.

    Every party name, BIC, country, address and free-text field is screened; each result says
    ``hold`` or ``pass`` with its reasons (kind, role, field, value, span, entity id, score,
    explanation or jurisdiction and legal basis).
    """
    body = await request.body()
    if len(body) > MAX_MESSAGE_BYTES:
        raise InputError(f"body: {len(body):,} bytes, more than the {MAX_MESSAGE_BYTES:,} a message may have")
    data, fmt, switch = _unpack(body, request.headers.get("content-type", "").lower())
    snapshot = state_of(request.app).service.current()
    screener = await run_in_threadpool(_message_screener, snapshot.screener, switch or jurisdictions)
    items = read_bytes(data, "request", fmt)
    verdicts = await run_in_threadpool(screener.screen_all, items)
    if verdicts and all(v.verdict == "error" for v in verdicts):
        first = items[0]
        raise first if isinstance(first, MessageError) else InputError(str(verdicts[0].error))
    return json_response({"results": [v.to_dict() for v in verdicts], "versions": snapshot.version_ids()})
