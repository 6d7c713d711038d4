"""Sign-in throttling: the back-off and lock rule on literal failure times, then through the real
app: failures recorded by the real audit path (``record_failed_sign_in``) make the next attempt a
429 with ``Retry-After``, even with the right password, per user and per client address; refused
attempts are audited; signing in purges old sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.users import Role, create_user
from sanctionwatch.store.schema import ui_sessions
from sanctionwatch.web.sessions import record_failed_sign_in, token_hash
from sanctionwatch.web.throttle import Throttle, backoff_seconds, decide
from tests.web.pages import html, sign_in, texts

T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def seconds(*offsets: float) -> list[datetime]:
    """Failure times at these offsets (seconds) from :data:`T0`."""
    return [T0 + timedelta(seconds=s) for s in offsets]


@pytest.mark.parametrize(
    ("failures", "free", "wait"),
    [
        (0, 4, 0),
        (4, 4, 0),
        (5, 4, 1),
        (6, 4, 2),
        (7, 4, 4),
        (9, 4, 16),
        (20, 20, 0),
        (21, 20, 1),
        (40, 4, 900),
    ],
)
def test_the_back_off_doubles_after_the_free_failures(failures: int, free: int, wait: float) -> None:
    assert backoff_seconds(failures, free) == wait


def test_decide_on_literal_failure_times() -> None:
    four = seconds(0, 1, 2, 3)
    assert decide(four, [], T0 + timedelta(seconds=3)) is None  # four failures are free
    five = seconds(0, 1, 2, 3, 4)  # the fifth: wait 1 s after it
    assert decide(five, [], T0 + timedelta(seconds=4.5)) == Throttle(
        1, False, "Too many failed sign-ins. Try again in 1 second."
    )
    assert decide(five, [], T0 + timedelta(seconds=5)) is None
    nine = seconds(*range(9))  # the ninth at 8 s: wait 16 s
    refused = decide(nine, [], T0 + timedelta(seconds=10))
    assert refused is not None and (refused.retry_after, refused.locked) == (14, False)
    ten = seconds(*range(10))  # locked until the first leaves the 15-minute window, at 900 s
    locked = decide(ten, [], T0 + timedelta(seconds=60))
    assert locked == Throttle(
        840,
        True,
        "This account is locked after 10 failed sign-ins in 15 minutes. Try again in 14 minutes.",
    )
    last_second = decide(ten, [], T0 + timedelta(seconds=899.5))
    assert last_second is not None and last_second.locked and last_second.retry_after == 1
    # At 900 s the first failure leaves the window: nine remain, their back-off long over.
    assert decide(ten, [], T0 + timedelta(seconds=900)) is None
    # Failures older than the window do not count; the client address has more free failures.
    assert decide(seconds(*range(-2000, -1990)), [], T0) is None
    assert decide([], seconds(*range(20)), T0 + timedelta(seconds=20)) is None
    by_client = decide([], seconds(*range(21)), T0 + timedelta(seconds=20.5))
    assert by_client is not None and not by_client.locked and by_client.retry_after == 1


def throttled(engine: Engine, username: str) -> list[dict[str, object]]:
    return [e.details for e in iter_audit(engine, f"user:{username}") if e.action == "user.sign_in_throttled"]


def test_ten_failures_lock_the_account_even_for_the_right_password(
    auth_app: FastAPI, web_engine: Engine
) -> None:
    password = "tess-checks-the-lists-9"
    create_user(web_engine, "tess", password, Role.ANALYST, "test-setup")
    for _ in range(9):  # from another address, so only the user's count matters here
        record_failed_sign_in(web_engine, "tess", "203.0.113.7")
    client = TestClient(auth_app, follow_redirects=False)
    backing_off = sign_in(client, "tess", password)
    assert backing_off.status_code == 429
    assert 1 <= int(backing_off.headers["Retry-After"]) <= 16  # 16 s after the ninth failure
    assert texts(html(backing_off.text), "//*[@id='password-error']")[0].startswith(
        "Error: Too many failed sign-ins. Try again in"
    )
    record_failed_sign_in(web_engine, "tess", "203.0.113.7")  # the tenth
    locked = sign_in(client, "tess", password)
    assert locked.status_code == 429
    assert 880 <= int(locked.headers["Retry-After"]) <= 900
    assert "This account is locked after 10 failed sign-ins in 15 minutes" in locked.text
    assert "sanctionwatch_session" not in locked.headers.get("set-cookie", "")
    audited = throttled(web_engine, "tess")
    assert [(d["client"], d["locked"]) for d in audited] == [("testclient", False), ("testclient", True)]
    # Another user on the same address is not affected.
    create_user(web_engine, "toby", "toby-reviews-payments-3", Role.ANALYST, "test-setup")
    assert sign_in(client, "toby", "toby-reviews-payments-3").status_code == 303


def test_many_failures_from_one_address_slow_every_sign_in_from_it(
    auth_app: FastAPI, web_engine: Engine
) -> None:
    password = "uma-screens-the-book-5"
    create_user(web_engine, "uma", password, Role.ANALYST, "test-setup")
    for n in range(25):  # a password-spraying run over many usernames: 16 s back-off
        record_failed_sign_in(web_engine, f"sprayed-{n}", "198.51.100.9")
    sprayer = TestClient(auth_app, follow_redirects=False, client=("198.51.100.9", 40000))
    refused = sign_in(sprayer, "uma", password)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 16
    assert [(d["client"], d["locked"]) for d in throttled(web_engine, "uma")] == [("198.51.100.9", False)]
    other = TestClient(auth_app, follow_redirects=False, client=("192.0.2.44", 40000))
    assert sign_in(other, "uma", password).status_code == 303


def test_signing_in_purges_sessions_that_ended_or_expired_a_day_ago(
    auth_app: FastAPI, web_engine: Engine
) -> None:
    password = "vic-approves-matches-8"
    user = create_user(web_engine, "vic", password, Role.SUPERVISOR, "test-setup")
    long_ago = datetime.now(UTC) - timedelta(days=3)
    rows = {
        "expired": (long_ago, long_ago + timedelta(hours=8), None),
        "ended": (long_ago, datetime.now(UTC) + timedelta(hours=1), long_ago),
        "recently-ended": (long_ago, long_ago + timedelta(days=5), datetime.now(UTC) - timedelta(hours=1)),
        "live": (datetime.now(UTC), datetime.now(UTC) + timedelta(hours=8), None),
    }
    with web_engine.begin() as conn:
        for token, (created, expires, ended) in rows.items():
            conn.execute(
                ui_sessions.insert().values(
                    token_hash=token_hash(f"vic-{token}"),
                    user_id=user.id,
                    csrf_token="x",
                    created_at=created,
                    expires_at=expires,
                    ended_at=ended,
                )
            )
    assert sign_in(TestClient(auth_app, follow_redirects=False), "vic", password).status_code == 303
    with web_engine.connect() as conn:
        left = set(
            conn.execute(
                sa.select(ui_sessions.c.token_hash).where(ui_sessions.c.user_id == user.id)
            ).scalars()
        )
    kept = {token_hash(f"vic-{t}") for t in ("recently-ended", "live")}
    assert kept <= left and len(left) == 3  # the two kept, and the new session
    assert not {token_hash("vic-expired"), token_hash("vic-ended")} & left
