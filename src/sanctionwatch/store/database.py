"""Opening the store's database: URL normalization, SQLite set-up, Alembic migrations on open.

:func:`open_engine` is the one way into the database: it takes the :class:`Settings` (never a bare
URL), so the default SQLite file under ``data_dir`` applies wherever the database is opened.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sanctionwatch.errors import ConfigError, StoreError
from sanctionwatch.settings import Settings

__all__ = [
    "MIGRATIONS_DIR",
    "VERSION_TABLE",
    "check_private",
    "display_url",
    "normalize_url",
    "open_engine",
    "sqlite_path",
    "upgrade_schema",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "sanctionwatch_alembic_version"
"""Alembic's revision table, named so the store can share a PostgreSQL database with other apps."""


def normalize_url(url: str) -> URL:
    """Parse a database URL, choosing psycopg 3 for a bare ``postgresql://`` or ``postgres://`` URL.

    Raises:
        ConfigError: The URL cannot be parsed or names a database other than SQLite or PostgreSQL.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL {url!r} is not a valid SQLAlchemy URL: {exc}") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"database URL {display_url(parsed)!r}: unsupported database {backend!r}; "
            "use sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB"
        )
    return parsed


def display_url(url: URL) -> str:
    """The URL as text with any password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL, an in-memory or a ``file:`` URI database)."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _create_private(path: Path) -> None:
    """Create the SQLite file with mode 600 (its folder 700) if it does not exist yet.

    SQLite gives its ``-wal`` and ``-shm`` files the database file's mode, so they are private too.
    An existing folder or file keeps its mode (``check_private`` tells the server about it).

    Raises:
        StoreError: The folder or file cannot be created.
    """
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the database folder: {exc.strerror}") from exc
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database file: {exc.strerror}") from exc
    os.close(fd)


def check_private(settings: Settings) -> None:
    """Refuse a SQLite database file (or folder) that users other than its owner can write.

    Anyone who can write the file can rewrite lists, decisions and the audit trail, so the server
    does not start on one. PostgreSQL databases are protected by their own roles and pass.

    Raises:
        ConfigError: The file or its folder is group- or world-writable.
    """
    path = sqlite_path(normalize_url(settings.resolved_database_url))
    if path is None or not path.exists():
        return
    for target, fix in ((path, f"chmod 600 {path}"), (path.parent, f"chmod 700 {path.parent}")):
        mode = target.stat().st_mode
        if target != path and mode & stat.S_ISVTX:  # a sticky folder (/tmp): nobody can swap the file
            continue
        if mode & (stat.S_IWGRP | stat.S_IWOTH):
            kind = "database file" if target == path else "database folder"
            raise ConfigError(
                f"{target}: the {kind} is writable by other users (mode {stat.S_IMODE(mode):03o}), "
                f"so they could alter lists, decisions and the audit trail; refusing to start. "
                f"Fix it with: {fix}"
            )


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    """Enforce foreign keys (cascading deletes) on every SQLite connection."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_engine(settings: Settings) -> Engine:
    """An engine on the settings' database (``database_url``, else the default SQLite file under
    ``data_dir``) whose schema is upgraded to the newest migration.

    For a SQLite file the parent folder (mode 700) and the file (mode 600) are created when missing;
    the file uses write-ahead logging so readers (the API, the screener) are not blocked while an
    import writes.

    Raises:
        ConfigError: The URL is invalid or names an unsupported database.
        StoreError: The database cannot be opened or migrated.
    """
    parsed = normalize_url(settings.resolved_database_url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            _create_private(path)
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (ImportError, SQLAlchemyError) as exc:
        raise StoreError(f"{display_url(parsed)}: cannot create a database engine: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
    upgrade_schema(engine)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return engine


_UPGRADE_LOCK = threading.Lock()


def upgrade_schema(engine: Engine) -> None:
    """Run the Alembic migrations up to the newest revision (a no-op when already there).

    Raises:
        StoreError: The database is unreachable or a migration failed.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        # Alembic's migration context is a process-wide proxy: two threads upgrading at once (the
        # server's reload thread and a request opening the store) corrupt each other's context.
        with _UPGRADE_LOCK, engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{display_url(engine.url)}: cannot open the list store: {reason}") from exc
