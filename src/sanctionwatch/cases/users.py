"""Users of the analyst UI: roles, Argon2id password hashes, and what each role may decide.

Roles:
* ``analyst``: reviews alerts: escalate, close as false positive, propose a true match.
* ``supervisor``: an analyst who may also approve a true match (never their own proposal: the
  four-eyes rule in ``alerts.decide``) and reopen a decided alert.
* ``admin``: a supervisor who also manages users.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile); a
hash made with weaker parameters is upgraded at the next successful sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sanctionwatch.cases.audit import as_utc, now, record
from sanctionwatch.cases.states import Action
from sanctionwatch.errors import UserError, UserNotFound
from sanctionwatch.store.schema import ui_sessions, users

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "ROLE_ACTIONS",
    "Role",
    "User",
    "authenticate",
    "check_password",
    "create_user",
    "get_user",
    "list_users",
    "may_decide",
    "set_active",
    "set_password",
    "set_role",
]

MIN_PASSWORD_LENGTH = 12
"""NIST SP 800-63B asks for at least 8; a screening system's reviewers get 12."""

_HASHER = PasswordHasher()


class Role(StrEnum):
    """What a user may do."""

    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


_ANALYST = frozenset({Action.ESCALATE, Action.FALSE_POSITIVE, Action.PROPOSE_TRUE_MATCH})
_SUPERVISOR = _ANALYST | {Action.APPROVE_TRUE_MATCH, Action.REOPEN}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ANALYST: _ANALYST,
    Role.SUPERVISOR: _SUPERVISOR,
    Role.ADMIN: _SUPERVISOR,
}
"""The alert decisions each role may take."""


@dataclass(frozen=True, slots=True)
class User:
    """A user account (never the password hash)."""

    id: int
    username: str
    role: Role
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> User:
        """From a ``users`` row mapping."""
        return cls(
            row["id"],
            row["username"],
            Role(row["role"]),
            bool(row["active"]),
            as_utc(row["created_at"]),
            as_utc(row["updated_at"]),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "id": self.id,
            "username": self.username,
            "role": self.role.value,
            "active": self.active,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def may_decide(role: Role | str, action: Action | str) -> bool:
    """Whether ``role`` may take ``action`` on an alert (unknown roles or actions may not)."""
    try:
        return Action(action) in ROLE_ACTIONS[Role(role)]
    except ValueError:
        return False


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise UserError(f"role: unknown role {value!r}; known roles: {known}") from None


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        raise UserError(f"username: {username!r} must be 1 to 100 printable characters without spaces")
    return name


def check_password(password: str, username: str) -> None:
    """The password policy: at least :data:`MIN_PASSWORD_LENGTH` characters, and not the username
    (ignoring case and surrounding spaces).

    Raises:
        UserError: The password breaks the policy (the message never quotes the password).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password: must be at least {MIN_PASSWORD_LENGTH} characters (got {len(password)})")
    if password.strip().casefold() == username.strip().casefold():
        raise UserError(f"password: must not be the username {username.strip()!r}")


def _hash(password: str, username: str) -> str:
    check_password(password, username)
    return _HASHER.hash(password)


def _row(conn: Connection, username: str) -> Any:
    return conn.execute(sa.select(users).where(users.c.username == username)).mappings().first()


def create_user(engine: Engine, username: str, password: str, role: Role | str, actor: str) -> User:
    """Create a user; recorded in the audit log.

    Raises:
        UserError: Bad or taken username, short password or unknown role.
    """
    name, r, hashed = _check_username(username), _role(role), _hash(password, username)
    taken = UserError(f"username: {name!r} already exists")
    try:
        with engine.begin() as conn:
            if _row(conn, name) is not None:
                raise taken
            at = now()
            conn.execute(
                users.insert().values(
                    username=name,
                    password_hash=hashed,
                    role=r.value,
                    active=True,
                    created_at=at,
                    updated_at=at,
                )
            )
            record(conn, actor, "user.create", f"user:{name}", {"role": r.value})
            return User.from_row(_row(conn, name))
    except IntegrityError:  # created by someone else between the check and the insert
        raise taken from None


def get_user(engine: Engine, username: str) -> User:
    """One user by name.

    Raises:
        UserNotFound: No such user.
    """
    with engine.connect() as conn:
        row = _row(conn, username.strip())
    if row is None:
        raise UserNotFound(f"user {username!r} does not exist (see sanctionwatch users list)")
    return User.from_row(row)


def list_users(engine: Engine) -> list[User]:
    """Every user, by name."""
    with engine.connect() as conn:
        return [
            User.from_row(r) for r in conn.execute(sa.select(users).order_by(users.c.username)).mappings()
        ]


def _update(
    engine: Engine,
    username: str,
    actor: str,
    action: str,
    details: dict[str, Any],
    end_sessions: bool = False,
    **values: Any,
) -> User:
    with engine.begin() as conn:
        row = _row(conn, username.strip())
        if row is None:
            raise UserNotFound(f"user {username!r} does not exist (see sanctionwatch users list)")
        at = now()
        conn.execute(users.update().where(users.c.id == row["id"]).values(updated_at=at, **values))
        if end_sessions:  # in the same transaction: no request sees the change with an old session
            ended = conn.execute(
                ui_sessions.update()
                .where(ui_sessions.c.user_id == row["id"], ui_sessions.c.ended_at.is_(None))
                .values(ended_at=at)
            )
            details = {**details, "sessions_ended": ended.rowcount}
        record(conn, actor, action, f"user:{row['username']}", details)
        return User.from_row(_row(conn, row["username"]))


def set_role(engine: Engine, username: str, role: Role | str, actor: str) -> User:
    """Change a user's role (audited)."""
    r = _role(role)
    return _update(engine, username, actor, "user.role", {"role": r.value}, role=r.value)


def set_password(engine: Engine, username: str, password: str, actor: str) -> User:
    """Change a user's password (audited; the hash is not recorded); ends their UI sessions."""
    hashed = _hash(password, username)
    return _update(engine, username, actor, "user.password", {}, end_sessions=True, password_hash=hashed)


def set_active(engine: Engine, username: str, active: bool, actor: str) -> User:
    """Enable or disable a user (audited); a disabled user cannot sign in, and disabling ends their
    UI sessions."""
    action = "user.enable" if active else "user.disable"
    return _update(engine, username, actor, action, {}, end_sessions=not active, active=active)


@cache
def _dummy_hash() -> str:
    # Made at first use, not at import: hashing costs ~0.1 s and 64 MiB, which every CLI start would pay.
    return _HASHER.hash("not a password of anyone")


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The active user with this name and password, or None (unknown, disabled or wrong password).

    An unknown name costs one hash verification too, so timing does not reveal which names exist.
    """
    with engine.connect() as conn:
        row = _row(conn, username.strip())
    stored = row["password_hash"] if row is not None else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or not row["active"]:
        return None
    if _HASHER.check_needs_rehash(stored):
        with engine.begin() as conn:
            conn.execute(
                users.update().where(users.c.id == row["id"]).values(password_hash=_HASHER.hash(password))
            )
    return User.from_row(row)
