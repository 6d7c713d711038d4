"""Sign-in throttling, per user and per client address, from the failed sign-ins in the audit log.

Every failed sign-in is already an audit entry (``user.sign_in_failed``, with the username tried
and the client address), so the throttle reads those: it holds across server workers and
restarts, and needs no table of its own. Within :data:`WINDOW` (15 minutes):

* a user's first :data:`USER_FREE` failures cost nothing; each further one doubles the wait before
  the next attempt (1 s, 2 s, 4 s, ...);
* a client address gets :data:`CLIENT_FREE` failures (over every username; an office behind one
  address has many people) before the same doubling starts;
* after :data:`LOCK_AFTER` failures the account is locked until the oldest of those leaves the
  window: every attempt, even with the right password, is refused (429 with ``Retry-After``).

A refused attempt checks no password and is not a failure, but it is audited
(``user.sign_in_throttled``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.cases.audit import as_utc, now, record_apart
from sanctionwatch.errors import StoreError
from sanctionwatch.store.schema import audit_log

__all__ = [
    "CLIENT_FREE",
    "LOCK_AFTER",
    "USER_FREE",
    "WINDOW",
    "Throttle",
    "backoff_seconds",
    "check_sign_in",
    "decide",
    "record_throttled",
]

WINDOW = timedelta(minutes=15)
"""How far back failed sign-ins count."""
LOCK_AFTER = 10
"""Failures of one user within :data:`WINDOW` that lock the account."""
USER_FREE = 4
"""Failures of one user within :data:`WINDOW` before the back-off starts."""
CLIENT_FREE = 20
"""Failures from one client address within :data:`WINDOW` before the back-off starts."""
_MAX_WAIT = WINDOW.total_seconds()


@dataclass(frozen=True, slots=True)
class Throttle:
    """A sign-in attempt refused for now.

    Attributes:
        retry_after: Whole seconds until an attempt is accepted again (the ``Retry-After`` header).
        locked: The account is locked (:data:`LOCK_AFTER` failures), not just backing off.
        message: What the sign-in page says.
    """

    retry_after: int
    locked: bool
    message: str


def backoff_seconds(failures: int, free: int) -> float:
    """The wait after the last of ``failures`` recent failures: 0 up to ``free``, then 1 s doubling
    with each further failure, at most the window."""
    if failures <= free:
        return 0.0
    return float(min(2 ** (failures - free - 1), _MAX_WAIT))


def _wait_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    return f"{math.ceil(seconds / 60)} minutes"


def decide(
    user_failures: Sequence[datetime], client_failures: Sequence[datetime], at: datetime
) -> Throttle | None:
    """Whether a sign-in attempt at ``at`` must wait, from the times of earlier failed sign-ins of
    the same username and from the same client address (older than :data:`WINDOW` ignored)."""
    since = at - WINDOW
    by_user = sorted(t for t in user_failures if since < t <= at)
    by_client = sorted(t for t in client_failures if since < t <= at)
    if len(by_user) >= LOCK_AFTER:
        until = by_user[-LOCK_AFTER] + WINDOW
        wait = max(1, math.ceil((until - at).total_seconds()))
        return Throttle(
            wait,
            True,
            f"This account is locked after {LOCK_AFTER} failed sign-ins in "
            f"{int(WINDOW.total_seconds() // 60)} minutes. Try again in {_wait_words(wait)}.",
        )
    waits = [
        recent[-1] + timedelta(seconds=backoff_seconds(len(recent), free))
        for recent, free in ((by_user, USER_FREE), (by_client, CLIENT_FREE))
        if recent
    ]
    until = max(waits, default=at)
    if until <= at:
        return None
    wait = max(1, math.ceil((until - at).total_seconds()))
    return Throttle(wait, False, f"Too many failed sign-ins. Try again in {_wait_words(wait)}.")


def check_sign_in(engine: Engine, username: str, client: str) -> Throttle | None:
    """Whether a sign-in as ``username`` from ``client`` must wait, from the audit log.

    Raises:
        StoreError: The audit log cannot be read.
    """
    at = now()
    query = sa.select(audit_log.c.at, audit_log.c.subject, audit_log.c.details).where(
        audit_log.c.action == "user.sign_in_failed", audit_log.c.at >= at - WINDOW
    )
    subject = f"user:{username[:100]}"
    by_user: list[datetime] = []
    by_client: list[datetime] = []
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot sign in: {exc}") from exc
    for row in rows:
        when = as_utc(row.at)
        if row.subject == subject:
            by_user.append(when)
        if orjson.loads(row.details).get("client") == client:
            by_client.append(when)
    return decide(by_user, by_client, at)


def record_throttled(engine: Engine, username: str, client: str, refused: Throttle) -> None:
    """Audit a refused attempt (``user.sign_in_throttled``; the username tried, never the password).

    Raises:
        StoreError: The audit entry cannot be written.
    """
    tried = username[:100]
    details = {
        "username": tried,
        "client": client,
        "locked": refused.locked,
        "retry_after": refused.retry_after,
    }
    try:
        record_apart(engine, "anonymous", "user.sign_in_throttled", f"user:{tried}", details)
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot sign in: {exc}") from exc
