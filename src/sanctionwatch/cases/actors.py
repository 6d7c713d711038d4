"""Who acts, and how that was established: the surface (CLI, UI, API) and the authentication method.

An :class:`Actor` is what the audit trail says about the person behind an entry. Decisions
(``cases.alerts.decide``) take an authenticated actor (``password``, ``token``, ``ui-session``);
operator commands that decide nothing (imports, screens, re-screens) are recorded with an
``os-user`` (the login name of the process) or a ``declared`` name (``--user NAME``, not verified).

Each interface establishes the actor once per invocation with :func:`establish`; every audit entry
written while it is in force carries its ``surface`` and ``auth`` (``cases.audit.record``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sanctionwatch.errors import SanctionwatchError

__all__ = [
    "Actor",
    "AuthenticationFailed",
    "Method",
    "Surface",
    "current",
    "establish",
    "provenance",
]


class AuthenticationFailed(SanctionwatchError):
    """A wrong password or token, an unknown or disabled user, or no credentials where one is needed.

    Attributes:
        cause: What failed, for the audit trail (``wrong-password``, ``unknown-user``,
            ``user-disabled``, ``unknown``, ``expired``, ``revoked``, ``no-credentials``...).
        username: The user tried or the token's user, when known.
        method: The method tried (``password`` or ``token``), when one was.
        token_id: The token's id, when it is known.
    """

    http_status = 401
    exit_code = 10

    def __init__(
        self,
        message: str,
        cause: str = "",
        username: str | None = None,
        method: Method | None = None,
        token_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.cause = cause
        self.username = username
        self.method = method
        self.token_id = token_id

    def details(self) -> dict[str, Any]:
        """What an audit entry of the refusal records (never a password or token)."""
        out: dict[str, Any] = {"cause": self.cause, "error": str(self)}
        if self.username is not None:
            out["username"] = self.username[:100]
        if self.method is not None:
            out["auth"] = self.method.value
        if self.token_id is not None:
            out["token_id"] = self.token_id
        return out


class Surface(StrEnum):
    """Where an action came from."""

    CLI = "cli"
    UI = "ui"
    API = "api"
    PYTHON = "python"
    """An in-process call of the library (tests, scripts importing sanctionwatch)."""


class Method(StrEnum):
    """How the actor's identity was established."""

    OS_USER = "os-user"
    """The process's login name (``$USER``); the operating system's word, not a sanctionwatch check."""
    DECLARED = "declared"
    """A name the caller gave (``--user NAME`` of an operator command, a library call): not verified."""
    PASSWORD = "password"
    """The user's password, checked against the users table."""
    TOKEN = "token"
    """A personal access token of the user (``cases.tokens``)."""
    UI_SESSION = "ui-session"
    """A live UI session of the user (``web.sessions``)."""


AUTHENTICATED = frozenset({Method.PASSWORD, Method.TOKEN, Method.UI_SESSION})
"""The methods that prove a user of the users table."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts and how we know.

    Attributes:
        name: The username (authenticated methods) or the recorded operator name.
        surface: CLI, UI, API or an in-process call.
        method: How ``name`` was established.
        token_id: The personal token used (method ``token``), else None.
        os_user: The login name of the CLI process, when known (recorded next to a user's name).
    """

    name: str
    surface: Surface
    method: Method
    token_id: int | None = None
    os_user: str | None = None

    @property
    def authenticated(self) -> bool:
        """Whether the name was proven against the users table."""
        return self.method in AUTHENTICATED

    def details(self) -> dict[str, Any]:
        """What an audit entry records about the actor besides the name."""
        out: dict[str, Any] = {"surface": self.surface.value, "auth": self.method.value}
        if self.token_id is not None:
            out["token_id"] = self.token_id
        if self.os_user is not None and self.os_user != self.name:
            out["os_user"] = self.os_user
        return out


_CURRENT: ContextVar[Actor | None] = ContextVar("sanctionwatch_actor", default=None)


def current() -> Actor | None:
    """The actor established for this invocation, or None."""
    return _CURRENT.get()


@contextmanager
def establish(actor: Actor) -> Iterator[Actor]:
    """Make ``actor`` the current one inside the block (audit entries written there name how)."""
    token = _CURRENT.set(actor)
    try:
        yield actor
    finally:
        _CURRENT.reset(token)


def provenance(details: dict[str, Any]) -> dict[str, Any]:
    """``details`` with the current actor's surface and auth, unless they already say."""
    actor = current()
    if actor is None or "surface" in details:
        return details
    return {**details, **actor.details()}
