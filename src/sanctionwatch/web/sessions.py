"""Server-side UI sessions over the ``ui_sessions`` and ``users`` tables: look up, start, end.

A session is a row of ``ui_sessions``: the browser's cookie (:data:`COOKIE`) holds a random token
(``secrets.token_urlsafe(32)``), the table only its SHA-256, with the user, the session's CSRF
token and when it expires (:data:`MAX_AGE`) or was ended (sign-out, password change, user
disabled). A lookup re-checks that the user is still active, so disabling a user signs them out at
their next request. Sign-ins, failed attempts (the username tried, never the password) and
sign-outs are recorded in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.cases.audit import as_utc, now, record
from sanctionwatch.cases.users import Role, User
from sanctionwatch.errors import StoreError
from sanctionwatch.store.schema import ui_sessions, users

__all__ = [
    "COOKIE",
    "COOKIE_PATH",
    "MAX_AGE",
    "NO_SESSION",
    "PURGE_AFTER",
    "Viewer",
    "end_session",
    "lookup",
    "purge_sessions",
    "record_failed_sign_in",
    "start_session",
    "token_hash",
]

COOKIE = "sanctionwatch_session"
COOKIE_PATH = "/ui"
MAX_AGE = 8 * 3600
"""Seconds a sign-in lasts (a working day)."""
PURGE_AFTER = timedelta(days=1)
"""How long an ended or expired session row is kept before :func:`purge_sessions` deletes it."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking at a page.

    Attributes:
        name: The signed-in user's name; None when nobody is signed in (UI open, ``--no-auth``).
        role: The signed-in user's role, or None.
        auth: Whether a sign-in is in force (shows the user and the sign-out button).
        csrf: This session's CSRF token, or None without a session.
    """

    name: str | None
    role: Role | None
    auth: bool
    csrf: str | None


NO_SESSION = Viewer(None, None, False, None)
"""The viewer of a page shown to nobody in particular (the sign-in page, the open UI)."""


def token_hash(token: str) -> str:
    """What ``ui_sessions.token_hash`` holds for a session token: its hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def lookup(engine: Engine, token: str) -> Viewer | None:
    """The viewer of a live session of an active user, or None.

    Raises:
        StoreError: The sessions table cannot be read.
    """
    query = (
        sa.select(ui_sessions.c.csrf_token, ui_sessions.c.expires_at, users.c.username, users.c.role)
        .join(users, users.c.id == ui_sessions.c.user_id)
        .where(
            ui_sessions.c.token_hash == token_hash(token),
            ui_sessions.c.ended_at.is_(None),
            users.c.active == sa.true(),
        )
    )
    try:
        with engine.connect() as conn:
            row = conn.execute(query).mappings().first()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the UI sessions: {exc}") from exc
    # Compared here, not in SQL: SQLite keeps times as text, and aware UTC values are safest in Python.
    if row is None or as_utc(row["expires_at"]) <= now():
        return None
    return Viewer(row["username"], Role(row["role"]), True, row["csrf_token"])


def _end(conn: Connection, token: str) -> int:
    done = conn.execute(
        ui_sessions.update()
        .where(ui_sessions.c.token_hash == token_hash(token), ui_sessions.c.ended_at.is_(None))
        .values(ended_at=now())
    )
    return int(done.rowcount)


def start_session(engine: Engine, user: User, client: str, previous: str | None) -> str:
    """A new session for ``user`` (ending the browser's ``previous`` one), audited; its token.

    Raises:
        StoreError: The session cannot be written.
    """
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now()
    try:
        with engine.begin() as conn:
            if previous:
                _end(conn, previous)
            conn.execute(
                ui_sessions.insert().values(
                    token_hash=token_hash(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    created_at=at,
                    expires_at=at + timedelta(seconds=MAX_AGE),
                    ended_at=None,
                )
            )
            record(conn, user.username, "user.sign_in", f"user:{user.username}", {"client": client})
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot sign in: {exc}") from exc
    return token


def record_failed_sign_in(engine: Engine, username: str, client: str) -> None:
    """Audit a failed sign-in (the username tried, cut to 100 characters; never the password).

    Raises:
        StoreError: The audit entry cannot be written.
    """
    tried = username[:100]
    try:
        with engine.begin() as conn:
            details = {"username": tried, "client": client}
            record(conn, "anonymous", "user.sign_in_failed", f"user:{tried}", details)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot sign in: {exc}") from exc


def purge_sessions(engine: Engine) -> int:
    """Delete the sessions that ended or expired more than :data:`PURGE_AFTER` ago (the audit log
    keeps every sign-in and sign-out); how many.

    Raises:
        StoreError: The sessions table cannot be written.
    """
    before = now() - PURGE_AFTER
    c = ui_sessions.c
    try:
        with engine.begin() as conn:
            done = conn.execute(
                ui_sessions.delete().where(sa.or_(c.expires_at < before, c.ended_at < before))
            )
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot purge the UI sessions: {exc}") from exc
    return int(done.rowcount)


def end_session(engine: Engine, token: str, username: str, client: str) -> None:
    """End the session of ``token`` (sign-out), audited when it was still live.

    Raises:
        StoreError: The session cannot be written.
    """
    try:
        with engine.begin() as conn:
            if _end(conn, token):
                record(conn, username, "user.sign_out", f"user:{username}", {"client": client})
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot sign out: {exc}") from exc
