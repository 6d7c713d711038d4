"""API key authentication: ``Authorization: ApiKey K`` (as yente and its client send it),
``Authorization: Bearer K`` or ``X-API-Key: K``, and the key's scopes.

The app's state holds a :class:`~sanctionwatch.service.KeyChecker` (the store-backed key table in
production); with none, the server runs without authentication (``--no-auth``, for local demos only).
A key without the scope an endpoint needs gets 403: :func:`require_api_key` needs ``screen``
(screening, match, search, entities, lists), :func:`require_admin` needs ``admin`` (reload and
every other administrative endpoint).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.service import AppState, KeyGrant, StateDep

__all__ = ["Forbidden", "Unauthorized", "presented_key", "require_admin", "require_api_key", "require_scope"]


class Unauthorized(SanctionwatchError):
    """No API key, or one that is unknown or revoked."""

    http_status = 401
    exit_code = 2


class Forbidden(SanctionwatchError):
    """A valid API key without the scope the endpoint needs."""

    http_status = 403
    exit_code = 2


def presented_key(request: Request) -> str | None:
    """The API key a request carries, from whichever header it uses."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("apikey", "bearer") and value.strip():
        return value.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def _grant(request: Request, state: AppState) -> KeyGrant | None:
    """The presented key's grant, or None when the server runs without authentication.

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
    grant = checker.check(key)
    if grant is None:
        raise Unauthorized("invalid or revoked API key")
    return grant


def _checked(request: Request, state: AppState, scope: str) -> str | None:
    grant = _grant(request, state)
    if grant is None:
        return None
    if scope not in grant.scopes:
        have = " ".join(sorted(grant.scopes)) or "none"
        raise Forbidden(
            f"API key {grant.name!r} lacks the {scope!r} scope this endpoint needs (it has: {have}); "
            f"create a key with it: sanctionwatch keys create NAME --scope {scope}"
        )
    return grant.name


def require_scope(scope: str) -> Callable[[Request, AppState], str | None]:
    """A FastAPI dependency: the key's name if it has ``scope`` (None without authentication).

    Raises:
        Unauthorized: No valid key was presented.
        Forbidden: The key lacks ``scope``.
    """

    def dependency(request: Request, state: StateDep) -> str | None:
        return _checked(request, state, scope)

    return dependency


def require_api_key(request: Request, state: StateDep) -> str | None:
    """FastAPI dependency of the screening endpoints: the key's name (it needs ``screen``), or None
    when the server runs without authentication.

    Raises:
        Unauthorized: Authentication is on and no valid key was presented.
        Forbidden: The key lacks the ``screen`` scope.
    """
    return _checked(request, state, "screen")


def require_admin(request: Request, state: StateDep) -> str | None:
    """FastAPI dependency of the administrative endpoints: the key's name (it needs ``admin``).

    Raises:
        Unauthorized: Authentication is on and no valid key was presented.
        Forbidden: The key lacks the ``admin`` scope.
    """
    return _checked(request, state, "admin")
