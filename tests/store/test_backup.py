"""Backup and restore on each backend: a populated store round-trips table for table, chain intact."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import audit_list_import, record
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.chain import verify
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.cases.users import create_user
from sanctionwatch.errors import ConfigError, InputError, StoreError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.backup import backup, find_tool, restore
from sanctionwatch.store.database import VERSION_TABLE
from sanctionwatch.store.keys import KeyStore
from sanctionwatch.store.schema import metadata
from tests.cases.conftest import BOOK, UN_FILE
from tests.store.fresh import make_settings
from tests.store.pg_cluster import create_database, drop_database


@pytest.fixture
def target_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second, empty database of the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'store.db'}"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = create_database(admin, "sw_restore")
    try:
        yield url
    finally:
        drop_database(admin, url)


def _populate(settings: Settings, data_dir: Path, tmp_path: Path) -> None:
    with ListStore.open(settings, reporter=audit_list_import) as store:
        store.import_paths([data_dir / UN_FILE])
        book = tmp_path / "book.csv"
        book.write_text(BOOK, encoding="utf-8")
        import_book(store.engine, book, "alice")
        screen_book(store.engine, Screener(store.active_entities()), "alice")
        first = list_alerts(store.engine)[0]
        decide(store.engine, first.id, "escalate", "alice", "second look")
        create_user(store.engine, "carol", "carol-reviews-alerts-7", "analyst", "admin")
    with KeyStore.open(settings) as keys:
        keys.create("batch-job")


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every store table (and the migration head), in primary-key order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
        out[VERSION_TABLE] = [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {VERSION_TABLE}"))]
    return out


def test_round_trip_keeps_every_table_and_the_chain(
    settings: Settings, target_url: str, data_dir: Path, tmp_path: Path
) -> None:
    _populate(settings, data_dir, tmp_path)
    file = tmp_path / "backups" / "store.backup"
    file.parent.mkdir()
    with ListStore.open(settings) as store:
        before = _tables(store.engine)
        assert backup(store.engine, file) == file
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert [p.name for p in file.parent.iterdir()] == ["store.backup"]  # no partial file left
    for name in ("list_versions", "list_entities", "customers", "alerts", "alert_transitions", "users",
                 "api_keys", "audit_log", "audit_chain"):  # fmt: skip
        assert before[name], f"{name} is empty: the round trip would prove nothing for it"
    restored = make_settings(target_url, tmp_path / "restored")
    restore(restored, file)
    with ListStore.open(restored) as copy:
        assert _tables(copy.engine) == before
        result = verify(copy.engine)
        assert result.ok, result.problem
        assert result.entries == len(before["audit_log"])
        with copy.engine.begin() as conn:  # the copy goes on chaining where the original stopped
            record(conn, "alice", "test.after_restore", "x", {})
        assert verify(copy.engine).ok


def test_restore_refuses_a_database_that_is_not_empty(
    store: ListStore, settings: Settings, tmp_path: Path
) -> None:
    file = tmp_path / "b.backup"
    backup(store.engine, file)
    with pytest.raises(StoreError, match=r"is not empty \(\d+ tables: .*restore only into an empty database"):
        restore(settings, file)


def test_backup_never_overwrites(store: ListStore, tmp_path: Path) -> None:
    file = tmp_path / "exists.backup"
    file.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        backup(store.engine, file)
    assert file.read_text(encoding="utf-8") == "keep me"


def test_restore_refuses_a_file_that_is_no_backup_of_this_backend(
    store: ListStore, target_url: str, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup", encoding="utf-8")
    restored = make_settings(target_url, tmp_path / "restored")
    with pytest.raises(InputError, match=r"notes\.txt: is no backup"):
        restore(restored, junk)
    other = tmp_path / "other.backup"
    other.write_bytes(b"PGDMP" if store.engine.dialect.name == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(InputError, match=r"other\.backup: is a (pg_dump|SQLite) backup; the target"):
        restore(restored, other)


def test_missing_pg_tool_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        ConfigError, match=r"pg_dump not found on PATH nor under .*apt-get install postgresql-client"
    ):
        find_tool("pg_dump", (str(tmp_path / "lib" / "*" / "bin"),))
    for major in ("9", "15"):
        folder = tmp_path / "lib" / major / "bin"
        folder.mkdir(parents=True)
        (folder / "pg_dump").write_text("", encoding="utf-8")
    assert (
        find_tool("pg_dump", (str(tmp_path / "lib" / "*" / "bin"),))
        == tmp_path / "lib" / "15" / "bin" / "pg_dump"
    )
