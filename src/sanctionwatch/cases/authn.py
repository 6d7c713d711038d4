"""Proving who acts: a user's password or personal token, turned into an authenticated :class:`Actor`.

The interfaces call these (the CLI for ``alerts decide`` and ``users token create``; the UI signs in
through ``web.sessions``). A failure is an :class:`AuthenticationFailed` naming its cause, and
:func:`audit_refusal` records it (the username tried, never the secret).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from sanctionwatch.cases.actors import Actor, AuthenticationFailed, Method, Surface
from sanctionwatch.cases.audit import record_apart
from sanctionwatch.cases.tokens import authenticate_token
from sanctionwatch.cases.users import User, authenticate, get_user
from sanctionwatch.errors import UserNotFound

__all__ = ["audit_refusal", "by_password", "by_token"]


def _failure_cause(engine: Engine, username: str) -> str:
    try:
        user = get_user(engine, username)
    except UserNotFound:
        return "unknown-user"
    return "wrong-password" if user.active else "user-disabled"


def by_password(
    engine: Engine, username: str, password: str, surface: Surface, os_user: str | None = None
) -> tuple[User, Actor]:
    """The active user of this name and password, as an actor on ``surface``.

    Raises:
        AuthenticationFailed: Wrong password, unknown or disabled user (one message for all three,
            so a guesser learns nothing; the cause is in the exception for the audit trail).
    """
    user = authenticate(engine, username, password)
    if user is None:
        cause = _failure_cause(engine, username)
        message = f"sign-in refused for {username!r}: wrong password, or no such active user"
        raise AuthenticationFailed(message, cause, username, Method.PASSWORD)
    return user, Actor(user.username, surface, Method.PASSWORD, os_user=os_user)


def by_token(engine: Engine, token: str, surface: Surface, os_user: str | None = None) -> tuple[User, Actor]:
    """The active user a live personal token belongs to, as an actor on ``surface``.

    Raises:
        TokenRefused: Unknown, expired or revoked token, or its user is disabled.
    """
    user, token_id = authenticate_token(engine, token)
    return user, Actor(user.username, surface, Method.TOKEN, token_id=token_id, os_user=os_user)


def audit_refusal(
    engine: Engine,
    exc: AuthenticationFailed,
    surface: Surface,
    subject: str,
    details: dict[str, Any],
    os_user: str | None = None,
) -> None:
    """Record a refused authentication (``auth.refused``) as ``anonymous``: nobody was proven."""
    entry: dict[str, Any] = {**details, **exc.details(), "surface": surface.value}
    entry.setdefault("auth", "none")
    if os_user is not None:
        entry["os_user"] = os_user
    record_apart(engine, "anonymous", "auth.refused", subject, entry)
