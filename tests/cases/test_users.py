"""UI users (``cases/users.py``) on SQLite and PostgreSQL: Argon2id hashes, sign-in checks, roles,
the audit trail, and the sessions a password change or a disable ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.low_level import Type

from sanctionwatch.cases import users as users_module
from sanctionwatch.cases.audit import iter_audit, now
from sanctionwatch.cases.states import Action
from sanctionwatch.cases.users import (
    Role,
    authenticate,
    create_user,
    get_user,
    list_users,
    may_decide,
    set_active,
    set_password,
    set_role,
)
from sanctionwatch.errors import UserError, UserNotFound
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import ui_sessions, users

PASSWORD = "correct horse battery"


def stored_hash(store: ListStore, username: str) -> str:
    with store.engine.connect() as conn:
        return str(
            conn.execute(sa.select(users.c.password_hash).where(users.c.username == username)).scalar_one()
        )


def open_session(store: ListStore, user_id: int, token_hash: str) -> None:
    at = now()
    with store.engine.begin() as conn:
        conn.execute(
            ui_sessions.insert().values(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token="c" * 43,
                created_at=at,
                expires_at=at + timedelta(hours=8),
                ended_at=None,
            )
        )


def ended(store: ListStore) -> dict[str, bool]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(ui_sessions.c.token_hash, ui_sessions.c.ended_at)).all()
    return {h: e is not None for h, e in rows}


def test_a_user_signs_in_with_their_password_only(store: ListStore) -> None:
    user = create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    assert (user.username, user.role, user.active) == ("ana", Role.ANALYST, True)
    found = authenticate(store.engine, "ana", PASSWORD)
    assert found is not None and found.id == user.id
    assert authenticate(store.engine, " ana ", PASSWORD) is not None  # the name is trimmed, as at creation
    assert authenticate(store.engine, "ana", PASSWORD + " ") is None  # the password is not
    assert authenticate(store.engine, "ana", "wrong password!!") is None
    assert authenticate(store.engine, "Ana", PASSWORD) is None
    assert authenticate(store.engine, "nobody", PASSWORD) is None
    assert authenticate(store.engine, "ana", "") is None


def test_the_hash_is_argon2id_in_phc_format_never_the_password(store: ListStore) -> None:
    create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    stored = stored_hash(store, "ana")
    # PHC string format (argon2-cffi docs): $argon2id$v=19$m=...,t=...,p=...$salt$hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    create_user(store.engine, "sam", PASSWORD, "supervisor", "admin-1")
    assert stored_hash(store, "sam") != stored  # a random salt per hash


def test_a_weaker_hash_is_upgraded_at_the_next_sign_in(store: ListStore) -> None:
    user = create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    with store.engine.begin() as conn:
        conn.execute(users.update().where(users.c.id == user.id).values(password_hash=weak))
    assert authenticate(store.engine, "ana", "not the password") is None
    assert stored_hash(store, "ana") == weak  # a failed attempt changes nothing
    assert authenticate(store.engine, "ana", PASSWORD) is not None
    upgraded = stored_hash(store, "ana")
    assert upgraded != weak and upgraded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert authenticate(store.engine, "ana", PASSWORD) is not None


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("ana", "short", "analyst", "password: must be at least 12 characters (got 5)"),
        ("two words", PASSWORD, "analyst", "username: 'two words' must be 1 to 100 printable characters"),
        ("", PASSWORD, "analyst", "username: '' must be"),
        ("x" * 101, PASSWORD, "analyst", "must be 1 to 100 printable characters"),
        ("ana", PASSWORD, "boss", "role: unknown role 'boss'; known roles: analyst, supervisor, admin"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    store: ListStore, username: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_user(store.engine, username, password, role, "admin-1")
    assert list_users(store.engine) == []


def test_a_taken_username_is_refused_even_when_the_check_races(
    store: ListStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    with pytest.raises(UserError, match="username: 'ana' already exists"):
        create_user(store.engine, "ana", PASSWORD, "admin", "admin-1")
    # Another process inserting between the check and the insert: the unique constraint decides.
    monkeypatch.setattr(users_module, "_row", lambda conn, name: None)
    with pytest.raises(UserError, match="username: 'ana' already exists"):
        create_user(store.engine, "ana", PASSWORD, "admin", "admin-1")
    monkeypatch.undo()
    assert [(u.username, u.role) for u in list_users(store.engine)] == [("ana", Role.ANALYST)]


def test_roles_and_the_audit_trail(store: ListStore) -> None:
    create_user(store.engine, "sam", PASSWORD, Role.ANALYST, "admin-1")
    assert set_role(store.engine, "sam", "supervisor", "admin-2").role == Role.SUPERVISOR
    assert get_user(store.engine, "sam").role == Role.SUPERVISOR
    set_password(store.engine, "sam", "another long password", "admin-2")
    set_active(store.engine, "sam", False, "admin-2")
    set_active(store.engine, "sam", True, "admin-1")
    entries = [(e.actor, e.action, e.details) for e in iter_audit(store.engine, "user:sam")]
    assert entries == [
        ("admin-1", "user.create", {"role": "analyst"}),
        ("admin-2", "user.role", {"role": "supervisor"}),
        ("admin-2", "user.password", {"sessions_ended": 0}),
        ("admin-2", "user.disable", {"sessions_ended": 0}),
        ("admin-1", "user.enable", {}),
    ]
    assert "argon2" not in repr(list(iter_audit(store.engine)))


def test_unknown_users_are_a_clear_error(store: ListStore) -> None:
    changes: list[Callable[[], object]] = [
        lambda: get_user(store.engine, "ghost"),
        lambda: set_role(store.engine, "ghost", "admin", "admin-1"),
        lambda: set_password(store.engine, "ghost", PASSWORD, "admin-1"),
        lambda: set_active(store.engine, "ghost", False, "admin-1"),
    ]
    for change in changes:
        with pytest.raises(UserNotFound, match="user 'ghost' does not exist"):
            change()


def test_a_disabled_user_cannot_sign_in_and_loses_their_sessions(store: ListStore) -> None:
    ana = create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    sam = create_user(store.engine, "sam", PASSWORD, "supervisor", "admin-1")
    open_session(store, ana.id, "a" * 64)
    open_session(store, ana.id, "b" * 64)
    open_session(store, sam.id, "c" * 64)
    assert not set_active(store.engine, "ana", False, "admin-1").active
    assert authenticate(store.engine, "ana", PASSWORD) is None
    assert ended(store) == {"a" * 64: True, "b" * 64: True, "c" * 64: False}
    assert set_active(store.engine, "ana", True, "admin-1").active
    assert authenticate(store.engine, "ana", PASSWORD) is not None


def test_a_password_change_ends_the_users_sessions_in_the_same_transaction(store: ListStore) -> None:
    ana = create_user(store.engine, "ana", PASSWORD, "analyst", "admin-1")
    sam = create_user(store.engine, "sam", PASSWORD, "supervisor", "admin-1")
    open_session(store, ana.id, "a" * 64)
    open_session(store, sam.id, "c" * 64)
    set_role(store.engine, "ana", "supervisor", "admin-1")
    assert ended(store) == {"a" * 64: False, "c" * 64: False}  # a role change keeps the session
    set_password(store.engine, "ana", "a brand new password", "admin-1")
    assert ended(store) == {"a" * 64: True, "c" * 64: False}
    assert authenticate(store.engine, "ana", PASSWORD) is None
    assert authenticate(store.engine, "ana", "a brand new password") is not None
    with pytest.raises(UserError, match="at least 12"):
        set_password(store.engine, "sam", "short", "admin-1")
    assert ended(store)["c" * 64] is False  # a refused change ends nothing


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("analyst", {Action.ESCALATE, Action.FALSE_POSITIVE, Action.PROPOSE_TRUE_MATCH}),
        ("supervisor", set(Action)),
        ("admin", set(Action)),
    ],
)
def test_which_role_may_take_which_decision(role: str, allowed: set[Action]) -> None:
    assert {a for a in Action if may_decide(role, a)} == allowed


@pytest.mark.parametrize(("role", "action"), [("boss", "escalate"), ("analyst", "approve"), ("", "")])
def test_unknown_roles_or_actions_may_not_decide(role: str, action: str) -> None:
    assert may_decide(role, action) is False


def test_users_are_listed_by_name_without_their_hash(store: ListStore) -> None:
    for name in ("sam", "ada", "ana"):
        create_user(store.engine, name, PASSWORD, "analyst", "admin-1")
    listed = list_users(store.engine)
    assert [u.username for u in listed] == ["ada", "ana", "sam"]
    as_dict: dict[str, Any] = listed[0].to_dict()
    assert set(as_dict) == {"id", "username", "role", "active", "created_at", "updated_at"}
