"""Personal access tokens (``cases/tokens.py``) on SQLite and PostgreSQL: made by their user, stored
hashed, refused once revoked or expired and at once when the user is disabled; every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from sanctionwatch.cases.actors import AuthenticationFailed, Method, Surface
from sanctionwatch.cases.audit import iter_audit, now
from sanctionwatch.cases.authn import by_password, by_token
from sanctionwatch.cases.tokens import (
    MAX_DAYS,
    TOKEN_PREFIX,
    TokenNotFound,
    TokenRefused,
    authenticate_token,
    create_token,
    list_tokens,
    revoke_token,
)
from sanctionwatch.cases.users import User, create_user, set_active
from sanctionwatch.errors import InputError, UserError
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import personal_tokens

PASSWORD = "ana-reviews-alerts-42"


@pytest.fixture
def ana(store: ListStore) -> User:
    return create_user(store.engine, "ana", PASSWORD, "analyst", "test-setup")


def test_a_token_acts_as_its_user_and_only_its_hash_is_stored(store: ListStore, ana: User) -> None:
    made = create_token(store.engine, ana, "nightly", days=7)
    assert made.token.startswith(TOKEN_PREFIX)
    assert len(made.token) > 40
    user, token_id = authenticate_token(store.engine, made.token)
    assert (user.username, user.role.value, token_id) == ("ana", "analyst", made.info.id)
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(personal_tokens)).mappings()]
    assert len(rows) == 1
    assert made.token not in {str(v) for v in rows[0].values()}
    assert rows[0]["hint"] == made.token[-4:]
    assert rows[0]["last_used_at"] is not None  # the use was noted
    [info] = list_tokens(store.engine, "ana")
    assert (info.name, info.state()) == ("nightly", "live")
    assert timedelta(days=6, hours=23) < info.expires_at - info.created_at <= timedelta(days=7)
    created = [e for e in iter_audit(store.engine) if e.action == "user.token_create"]
    assert [(e.actor, e.subject, e.details["token_id"]) for e in created] == [("ana", "user:ana", info.id)]


def test_by_token_and_by_password_give_authenticated_actors(store: ListStore, ana: User) -> None:
    made = create_token(store.engine, ana, "ci")
    _, actor = by_token(store.engine, made.token, Surface.CLI, os_user="deploy")
    assert (actor.name, actor.method, actor.token_id, actor.authenticated) == (
        "ana",
        Method.TOKEN,
        made.info.id,
        True,
    )
    assert actor.details() == {
        "surface": "cli",
        "auth": "token",
        "token_id": made.info.id,
        "os_user": "deploy",
    }
    _, by_pw = by_password(store.engine, "ana", PASSWORD, Surface.CLI)
    assert (by_pw.method, by_pw.details()) == (Method.PASSWORD, {"surface": "cli", "auth": "password"})


@pytest.mark.parametrize(
    ("username", "password", "cause"),
    [
        ("ana", "not-her-password-at-all", "wrong-password"),
        ("nobody", PASSWORD, "unknown-user"),
    ],
)
def test_a_wrong_password_or_unknown_user_is_refused_with_its_cause(
    store: ListStore, ana: User, username: str, password: str, cause: str
) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong password, or no such active user") as refused:
        by_password(store.engine, username, password, Surface.CLI)
    assert (refused.value.cause, refused.value.exit_code) == (cause, 10)


def test_a_disabled_users_password_and_tokens_stop_working_at_once(store: ListStore, ana: User) -> None:
    made = create_token(store.engine, ana, "nightly")
    set_active(store.engine, "ana", False, "admin")
    with pytest.raises(TokenRefused, match="'ana' is disabled") as refused:
        authenticate_token(store.engine, made.token)
    assert refused.value.cause == "user-disabled"
    with pytest.raises(AuthenticationFailed) as by_pw:
        by_password(store.engine, "ana", PASSWORD, Surface.CLI)
    assert by_pw.value.cause == "user-disabled"
    with pytest.raises(UserError, match="disabled"):
        create_token(store.engine, ana, "another")


def test_a_revoked_token_is_refused_and_the_revocation_audited(store: ListStore, ana: User) -> None:
    made = create_token(store.engine, ana, "nightly")
    done = revoke_token(store.engine, made.info.id, "ops")
    assert done.state() == "revoked"
    with pytest.raises(TokenRefused, match="is revoked") as refused:
        authenticate_token(store.engine, made.token)
    assert refused.value.cause == "revoked"
    with pytest.raises(InputError, match="already revoked"):
        revoke_token(store.engine, made.info.id, "ops")
    with pytest.raises(TokenNotFound, match="token 999"):
        revoke_token(store.engine, 999, "ops")
    revoked = [e for e in iter_audit(store.engine) if e.action == "user.token_revoke"]
    assert [(e.actor, e.subject) for e in revoked] == [("ops", "user:ana")]
    # The name is free again once the token is revoked.
    assert create_token(store.engine, ana, "nightly").info.id != made.info.id


def test_an_expired_token_is_refused(store: ListStore, ana: User) -> None:
    made = create_token(store.engine, ana, "short", days=1)
    with store.engine.begin() as conn:
        conn.execute(personal_tokens.update().values(expires_at=now() - timedelta(seconds=1)))
    with pytest.raises(TokenRefused, match="is expired") as refused:
        authenticate_token(store.engine, made.token)
    assert refused.value.cause == "expired"
    assert list_tokens(store.engine)[0].state() == "expired"


@pytest.mark.parametrize("token", ["swp_not-a-real-token", "sw_an-api-key-is-no-personal-token", ""])
def test_an_unknown_token_is_refused(store: ListStore, ana: User, token: str) -> None:
    create_token(store.engine, ana, "nightly")
    with pytest.raises(TokenRefused, match="no such personal token") as refused:
        authenticate_token(store.engine, token)
    assert refused.value.cause == "unknown"


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("has space", 30, "name: 'has space'"),
        ("", 30, "name: ''"),
        ("ok", 0, "--days: 0"),
        ("ok", MAX_DAYS + 1, f"--days: {MAX_DAYS + 1}"),
    ],
)
def test_bad_names_and_lifetimes_are_refused(
    store: ListStore, ana: User, name: str, days: int, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        create_token(store.engine, ana, name, days)
    assert list_tokens(store.engine) == []


def test_one_live_token_per_user_and_name(store: ListStore, ana: User) -> None:
    create_token(store.engine, ana, "nightly")
    with pytest.raises(UserError, match="already has a live token 'nightly'"):
        create_token(store.engine, ana, "nightly")
    sam = create_user(store.engine, "sam", "sam-approves-matches-7", "supervisor", "test-setup")
    create_token(store.engine, sam, "nightly")
    assert [(t.username, t.name) for t in list_tokens(store.engine)] == [
        ("ana", "nightly"),
        ("sam", "nightly"),
    ]
    assert [t.username for t in list_tokens(store.engine, "sam")] == ["sam"]
