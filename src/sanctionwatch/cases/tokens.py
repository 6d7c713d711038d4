"""Personal access tokens: a user's own secret for deciding alerts from scripts, without a prompt.

A token belongs to one user, who creates it after proving their password (``users token create``);
it acts as that user and no one else. Only its SHA-256 is stored (like the API keys: a 256-bit
random value needs no slow hash), with a name, the last 4 characters (to tell tokens apart), when
it expires (:data:`DEFAULT_DAYS`, at most :data:`MAX_DAYS`) and when it was revoked. A token is
refused once expired or revoked, and at once when its user is disabled (checked at every use).
Creation and revocation are audited.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.actors import AuthenticationFailed, Method
from sanctionwatch.cases.audit import as_utc, now, record
from sanctionwatch.cases.users import User
from sanctionwatch.errors import InputError, NotFound, UserError
from sanctionwatch.store.schema import personal_tokens, users

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "TOKEN_PREFIX",
    "NewToken",
    "TokenInfo",
    "TokenNotFound",
    "TokenRefused",
    "authenticate_token",
    "create_token",
    "list_tokens",
    "revoke_token",
    "token_hash",
]

TOKEN_PREFIX = "swp_"
"""Every personal token starts with this (API keys start ``sw_``), so a leaked one is recognisable."""
DEFAULT_DAYS = 30
"""Days a token lasts unless its creator says otherwise."""
MAX_DAYS = 365
"""The longest a token may last: a forgotten token dies within a year."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


class TokenNotFound(NotFound):
    """No personal token has that id."""


class TokenRefused(AuthenticationFailed):
    """A personal token is unknown, expired, revoked, or its user is disabled (``cause`` says which)."""


def token_hash(token: str) -> str:
    """What ``personal_tokens.token_hash`` holds for a token: its hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What is known about one token (never the token itself)."""

    id: int
    username: str
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> TokenInfo:
        """From a ``personal_tokens`` row joined with its user's ``username``."""

        def opt(value: datetime | None) -> datetime | None:
            return as_utc(value) if value is not None else None

        return cls(
            row["id"],
            row["username"],
            row["name"],
            row["hint"],
            as_utc(row["created_at"]),
            as_utc(row["expires_at"]),
            opt(row["revoked_at"]),
            opt(row["last_used_at"]),
        )

    def state(self, at: datetime | None = None) -> str:
        """``live``, ``expired`` or ``revoked`` at ``at`` (default now)."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= (at or now()) else "live"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "id": self.id,
            "username": self.username,
            "name": self.name,
            "hint": self.hint,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": iso(self.revoked_at),
            "last_used_at": iso(self.last_used_at),
            "state": self.state(),
        }


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: ``token`` is the only copy of the secret there will ever be."""

    info: TokenInfo
    token: str


def _select() -> sa.Select[Any]:
    return sa.select(personal_tokens, users.c.username).join(users, users.c.id == personal_tokens.c.user_id)


def _info(conn: Connection, token_id: int) -> TokenInfo | None:
    row = conn.execute(_select().where(personal_tokens.c.id == token_id)).mappings().first()
    return TokenInfo.from_row(row) if row is not None else None


def create_token(engine: Engine, user: User, name: str, days: int = DEFAULT_DAYS) -> NewToken:
    """A new token for ``user`` (who has just proven their password), audited as them.

    Raises:
        UserError: A bad name, a live token of that name already, ``days`` out of range, or the
            user is disabled.
    """
    if not _NAME.match(name):
        raise UserError(
            f"name: {name!r} must be 1 to 100 letters, digits or ._@- and start with a letter or digit"
        )
    if not 1 <= days <= MAX_DAYS:
        raise UserError(f"--days: {days} is not between 1 and {MAX_DAYS}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    at = now()
    with engine.begin() as conn:
        active = conn.execute(sa.select(users.c.active).where(users.c.id == user.id)).scalar_one_or_none()
        if not active:
            raise UserError(f"user {user.username!r} is disabled or gone: no token is made")
        for row in conn.execute(
            _select().where(personal_tokens.c.user_id == user.id, personal_tokens.c.name == name)
        ).mappings():
            if TokenInfo.from_row(row).state(at) == "live":
                raise UserError(
                    f"name: {user.username!r} already has a live token {name!r} (revoke it first)"
                )
        inserted = conn.execute(
            personal_tokens.insert().values(
                user_id=user.id,
                name=name,
                token_hash=token_hash(secret),
                hint=secret[-4:],
                created_at=at,
                expires_at=at + timedelta(days=days),
                revoked_at=None,
                last_used_at=None,
            )
        )
        key = inserted.inserted_primary_key
        assert key is not None
        info = _info(conn, int(key[0]))
        assert info is not None
        details = {"token_id": info.id, "name": name, "expires_at": info.expires_at.isoformat()}
        record(conn, user.username, "user.token_create", f"user:{user.username}", details)
    return NewToken(info, secret)


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    """Every token (or one user's), by user and id."""
    query = _select().order_by(users.c.username, personal_tokens.c.id)
    if username is not None:
        query = query.where(users.c.username == username.strip())
    with engine.connect() as conn:
        return [TokenInfo.from_row(r) for r in conn.execute(query).mappings()]


def revoke_token(engine: Engine, token_id: int, actor: str) -> TokenInfo:
    """Revoke a token at once (audited); the token as it is afterwards.

    Raises:
        TokenNotFound: No token has that id.
        InputError: It is already revoked.
    """
    with engine.begin() as conn:
        info = _info(conn, token_id)
        if info is None:
            raise TokenNotFound(f"token {token_id} does not exist (see sanctionwatch users token list)")
        if info.revoked_at is not None:
            raise InputError(f"token {token_id}: already revoked at {info.revoked_at.isoformat()}")
        conn.execute(
            personal_tokens.update().where(personal_tokens.c.id == token_id).values(revoked_at=now())
        )
        details = {"token_id": token_id, "name": info.name}
        record(conn, actor, "user.token_revoke", f"user:{info.username}", details)
        after = _info(conn, token_id)
    assert after is not None
    return after


def authenticate_token(engine: Engine, token: str) -> tuple[User, int]:
    """The active user a live token belongs to, and the token's id; the use is noted.

    Raises:
        TokenRefused: Unknown, expired or revoked token, or its user is disabled.
    """
    query = _select().add_columns(users.c.active)
    with engine.begin() as conn:
        found = (
            conn.execute(query.where(personal_tokens.c.token_hash == token_hash(token.strip())))
            .mappings()
            .first()
        )
        if found is None:
            hint = (
                "" if token.strip().startswith(TOKEN_PREFIX) else f" (personal tokens start {TOKEN_PREFIX})"
            )
            raise TokenRefused(f"token refused: no such personal token{hint}", "unknown", None, Method.TOKEN)
        info = TokenInfo.from_row(found)
        state = info.state()
        if state != "live":
            message = f"token refused: {info.username!r}'s token {info.name!r} (id {info.id}) is {state}"
            raise TokenRefused(message, state, info.username, Method.TOKEN, info.id)
        if not found["active"]:
            message = f"token refused: user {info.username!r} is disabled"
            raise TokenRefused(message, "user-disabled", info.username, Method.TOKEN, info.id)
        conn.execute(
            personal_tokens.update().where(personal_tokens.c.id == info.id).values(last_used_at=now())
        )
        user_row = conn.execute(sa.select(users).where(users.c.id == found["user_id"])).mappings().one()
    return User.from_row(user_row), info.id
