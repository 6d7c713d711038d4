"""The audit hash chain on each backend: canonical form, links, tampering past the triggers, races."""

from __future__ import annotations

import hashlib
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from sanctionwatch.cases.audit import record
from sanctionwatch.cases.chain import GENESIS, ChainHead, canonical, entry_hash, verify
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.database import MIGRATIONS_DIR, normalize_url, open_engine
from sanctionwatch.store.schema import audit_log


def test_canonical_form_is_sorted_compact_ascii_json_with_utc_microseconds() -> None:
    entry = {
        "id": 7,
        "at": datetime(2026, 12, 4, 20, 1, 2, 30, tzinfo=UTC),
        "actor": "Ким",
        "action": "alert.transition",
        "subject": "alert:3",
        "details": '{"reason":"x"}',
        "prev_hash": "ab" * 32,
    }
    expected = (
        '{"action":"alert.transition","actor":"\\u041a\\u0438\\u043c","at":"2026-12-04T20:01:02.000030Z",'
        '"details":"{\\"reason\\":\\"x\\"}","id":7,"prev_hash":"' + "ab" * 32 + '","subject":"alert:3"}'
    ).encode("ascii")
    assert canonical(entry) == expected
    assert entry_hash(entry) == hashlib.sha256(expected).hexdigest()
    naive = {**entry, "at": datetime(2026, 12, 4, 20, 1, 2, 30)}  # SQLite hands back naive UTC
    assert canonical(naive) == expected


def _write(engine: Engine, n: int) -> None:
    for i in range(n):
        with engine.begin() as conn:
            record(conn, "alice", "test.entry", f"subject:{i}", {"n": i, "name": "김정은"})


def _rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings()]


def test_each_entry_links_to_its_predecessor_and_verify_passes(store: ListStore) -> None:
    _write(store.engine, 4)
    rows = _rows(store.engine)
    assert len(rows) == 4
    assert rows[0]["prev_hash"] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"]
    for row in rows:
        assert row["hash"] == hashlib.sha256(canonical(row)).hexdigest()
    result = verify(store.engine)
    assert result.ok, result.problem
    assert result.entries == 4
    assert result.head == ChainHead(rows[-1]["id"], rows[-1]["hash"])


def test_a_rolled_back_change_leaves_no_link(store: ListStore) -> None:
    _write(store.engine, 2)
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        record(conn, "alice", "test.entry", "doomed", {})
        raise RuntimeError("the change failed")
    _write(store.engine, 1)
    assert [r["subject"] for r in _rows(store.engine)] == ["subject:0", "subject:1", "subject:0"]
    assert verify(store.engine).ok


def _drop_triggers(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TRIGGER audit_log_append_only ON audit_log")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")


def _forged(engine: Engine, entry_id: int, prev: str, good_hash: bool) -> None:
    entry = {
        "id": entry_id,
        "at": datetime(2026, 12, 1, tzinfo=UTC),
        "actor": "mallory",
        "action": "alert.transition",
        "subject": "alert:1",
        "details": "{}",
        "prev_hash": prev,
    }
    with engine.begin() as conn:
        conn.execute(audit_log.insert().values(**entry, hash=entry_hash(entry) if good_hash else "f" * 64))


def test_edit_past_the_triggers_names_the_edited_entry(store: ListStore) -> None:
    _write(store.engine, 5)
    _drop_triggers(store.engine)
    with store.engine.begin() as conn:
        conn.execute(audit_log.update().where(audit_log.c.id == 3).values(actor="mallory"))
    result = verify(store.engine)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "edited" in (result.problem or "")
    assert result.head.id == 2


def test_deleted_entry_names_its_successor(store: ListStore) -> None:
    _write(store.engine, 5)
    _drop_triggers(store.engine)
    with store.engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.id == 2))
    result = verify(store.engine)
    assert (result.ok, result.bad_id) == (False, 3)
    assert "prev_hash" in (result.problem or "")


def test_deleted_last_entries_disagree_with_the_head(store: ListStore) -> None:
    _write(store.engine, 5)
    _drop_triggers(store.engine)
    with store.engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.id >= 4))
    result = verify(store.engine)
    assert (result.ok, result.bad_id) == (False, 5)
    assert "recorded head" in (result.problem or "")


def test_inserted_entry_with_a_valid_own_hash_breaks_the_next_link(store: ListStore) -> None:
    _write(store.engine, 3)
    # id 0 sorts first; the forger computes its hash correctly and chains it onto the start.
    _forged(store.engine, 0, GENESIS, good_hash=True)
    result = verify(store.engine)
    assert (result.ok, result.bad_id) == (False, 1)


def test_appended_forgery_is_caught(store: ListStore) -> None:
    _write(store.engine, 3)
    last = _rows(store.engine)[-1]
    _forged(store.engine, 4, last["hash"], good_hash=False)
    assert (verify(store.engine).ok, verify(store.engine).bad_id) == (False, 4)


def test_appended_well_forged_entry_disagrees_with_the_head(store: ListStore) -> None:
    _write(store.engine, 3)
    last = _rows(store.engine)[-1]
    _forged(store.engine, 4, last["hash"], good_hash=True)
    result = verify(store.engine)
    assert not result.ok
    assert "recorded head" in (result.problem or "")


def test_anchor_must_still_be_in_the_chain(store: ListStore) -> None:
    _write(store.engine, 3)
    second = _rows(store.engine)[1]
    assert verify(store.engine, ChainHead(2, second["hash"])).ok
    wrong = verify(store.engine, ChainHead(2, "0" * 63 + "1"))
    assert (wrong.ok, wrong.bad_id) == (False, 2)
    missing = verify(store.engine, ChainHead(9, second["hash"]))
    assert (missing.ok, missing.bad_id) == (False, 9)


def test_concurrent_writers_never_share_a_predecessor(store: ListStore) -> None:
    writers, each = 4, 12
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with store.engine.begin() as conn:
                    record(conn, f"writer{n}", "test.entry", f"w{n}:{i}", {})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = _rows(store.engine)
    assert len(rows) == writers * each
    assert len({r["prev_hash"] for r in rows}) == len(rows)
    result = verify(store.engine)
    assert result.ok, result.problem


def test_migration_chains_the_entries_already_there(settings: Settings) -> None:
    engine = sa.create_engine(normalize_url(settings.resolved_database_url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0007_key_scopes")
    old = sa.table(
        "audit_log", sa.column("at"), sa.column("actor"), sa.column("action"), sa.column("subject"),
        sa.column("details"),
    )  # fmt: skip
    with engine.begin() as conn:
        for i in range(3):
            at = datetime(2026, 11, 30, 9, 0, i, 123456, tzinfo=UTC)
            conn.execute(old.insert().values(at=at, actor="ops", action="list.import", subject=f"s{i}",
                                             details='{"n":' + str(i) + "}"))  # fmt: skip
    engine.dispose()
    migrated = open_engine(settings)
    try:
        rows = _rows(migrated)
        assert [r["subject"] for r in rows] == ["s0", "s1", "s2"]
        assert rows[0]["prev_hash"] == GENESIS and rows[1]["prev_hash"] == rows[0]["hash"]
        assert verify(migrated).ok
        with migrated.begin() as conn:
            record(conn, "alice", "test.entry", "after", {})
        after = verify(migrated)
        assert after.ok and after.entries == 4
        with pytest.raises(sa.exc.DBAPIError), migrated.begin() as conn:  # the triggers are back
            conn.execute(audit_log.update().values(actor="x"))
    finally:
        migrated.dispose()
