"""API key authentication: ``Authorization: ApiKey K`` (as yente and its client send it),
``Authorization: Bearer K`` or ``X-API-Key: K``.

The app's state holds a :class:`~sanctionwatch.service.KeyChecker` (the store-backed key table in
production); with none, the server runs without authentication (``--no-auth``, for local demos only).
"""

from __future__ import annotations

from fastapi import Request

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.service import StateDep

__all__ = ["Unauthorized", "presented_key", "require_api_key"]


class Unauthorized(SanctionwatchError):
    """No API key, or one that is unknown or revoked."""

    http_status = 401
    exit_code = 2


def presented_key(request: Request) -> str | None:
    """The API key a request carries, from whichever header it uses."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("apikey", "bearer") and value.strip():
        return value.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def require_api_key(request: Request, state: StateDep) -> str | None:
    """FastAPI dependency: the key's name, or None when the server runs without authentication.

    Raises:
        Unauthorized: Authentication is on and no valid key was presented.
    """
    checker = state.auth
    if checker is None:
        return None
    key = presented_key(request)
    if key is None:
        raise Unauthorized(
            "missing API key: send 'Authorization: ApiKey <key>', 'Authorization: Bearer <key>' or "
            "'X-API-Key: <key>' (create one with `sanctionwatch keys create NAME`)"
        )
    name = checker.check(key)
    if name is None:
        raise Unauthorized("invalid or revoked API key")
    return name
