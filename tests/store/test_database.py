"""Opening the store: schema from the migrations on a fresh database, idempotent re-open, URLs."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sanctionwatch.errors import ConfigError, StoreError
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.database import VERSION_TABLE, normalize_url, open_engine
from sanctionwatch.store.schema import metadata

TABLES = {"list_versions", "list_entities", "list_skipped", "sanctionwatch_alembic_version"}


def test_fresh_database_gets_the_schema_and_reopening_is_idempotent(settings: Settings) -> None:
    with ListStore.open(settings) as store:
        names = set(sa.inspect(store.engine).get_table_names())
        assert names >= TABLES
        with store.engine.connect() as conn:
            head = conn.execute(sa.text("SELECT version_num FROM sanctionwatch_alembic_version")).scalars()
            assert list(head) == ["0008_audit_chain"]
    with ListStore.open(settings) as store:  # second open: no error, same single revision row
        with store.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM sanctionwatch_alembic_version")).scalar()
        assert rows == 1
        assert store.status() == []


def test_migrated_schema_matches_the_core_tables(settings: Settings) -> None:
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}), metadata
            )
        assert diff == []
    finally:
        engine.dispose()


def test_default_sqlite_file_is_created_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(database_url=None, data_dir=tmp_path / "nested" / "data", lists_dir=None)
    with ListStore.open(settings):
        pass
    assert (tmp_path / "nested" / "data" / "sanctionwatch.db").is_file()


def test_bare_postgresql_url_uses_psycopg3() -> None:
    assert normalize_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"


def test_unsupported_database_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unsupported database 'mysql'"):
        normalize_url("mysql://u:secret@h/db")
    with pytest.raises(ConfigError, match="not a valid SQLAlchemy URL"):
        normalize_url("not a url")


def test_unreachable_postgresql_is_one_store_error_without_the_password() -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://user:secret@127.0.0.1:{port}/db?connect_timeout=2"
    with pytest.raises(StoreError) as info:
        open_engine(Settings(database_url=url, lists_dir=None))
    message = str(info.value)
    assert "cannot open the list store" in message
    assert "secret" not in message
    assert "\n" not in message


def test_threads_opening_the_store_at_once_do_not_corrupt_the_migration(settings: Settings) -> None:
    # The server opens the store from its reload thread and from requests at the same time;
    # Alembic's migration context is process-wide, so unserialized upgrades raised KeyError('config').
    ListStore.open(settings).close()
    errors: list[str] = []

    def open_many() -> None:
        for _ in range(10):
            try:
                ListStore.open(settings).close()
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))

    threads = [threading.Thread(target=open_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_partial_indexes_of_the_core_tables_match_the_migrations(tmp_path: Path) -> None:
    # compare_metadata does not compare an index's WHERE clause; SQLite keeps each index's DDL.
    def partial_indexes(engine: sa.Engine) -> dict[str, str]:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
            return {name: sql for name, sql in rows if sql and " WHERE " in sql}

    created = sa.create_engine(f"sqlite:///{tmp_path / 'created.db'}")
    try:
        metadata.create_all(created)
        from_metadata = partial_indexes(created)
    finally:
        created.dispose()
    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    with ListStore.open(Settings(database_url=migrated, data_dir=tmp_path, lists_dir=None)) as store:
        from_migrations = partial_indexes(store.engine)
    expected = {"ux_alerts_live_pair", "uq_list_versions_one_active", "uq_api_keys_live_name"}
    assert expected <= set(from_metadata)
    assert from_migrations == from_metadata
