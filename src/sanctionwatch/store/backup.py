"""Online backups of the store's database, and restoring one into an empty database.

SQLite: the ``sqlite3`` backup API copies the live database in one step through the engine's raw
connection (a consistent snapshot, writers wait meanwhile), into a single self-contained file
(rollback journal, not WAL). PostgreSQL: ``pg_dump --format=custom`` (found on PATH or under
``/usr/lib/postgresql/*/bin``, newest first), restored with ``pg_restore`` in one transaction.

A backup is written to a temporary file of mode 600 beside the target and renamed into place when
complete, so an interrupted backup never leaves a partial file under the name asked for. A restore
goes only into a database without tables, then the migrations run (a backup from an older version
is brought up to date).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from sanctionwatch.errors import ConfigError, InputError, StoreError
from sanctionwatch.settings import Settings
from sanctionwatch.store.database import display_url, normalize_url, upgrade_schema

__all__ = ["PG_BIN_GLOBS", "backup", "find_tool", "restore"]

PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin",)
"""Where PostgreSQL client programs are looked for after PATH (Debian/Ubuntu layout)."""

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"

_LIBPQ_PARAMS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name")


def find_tool(name: str, globs: Sequence[str] = PG_BIN_GLOBS) -> Path:
    """A PostgreSQL client program: on PATH, else the newest ``<glob>/<name>``.

    Raises:
        ConfigError: Not found.
    """
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    found = [
        p / name for pattern in globs for p in Path("/").glob(pattern.lstrip("/")) if (p / name).is_file()
    ]

    def major(path: Path) -> int:
        part = path.parent.parent.name
        return int(part) if part.isdigit() else 0

    if not found:
        raise ConfigError(
            f"{name} not found on PATH nor under {', '.join(globs)}: install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client) at least as new as the server"
        )
    return max(found, key=major)


def _conninfo(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq conninfo string for the URL (without the password) and the environment to add."""

    def quote(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    parts = {"host": url.host, "port": str(url.port) if url.port else None, "user": url.username}
    parts["dbname"] = url.database
    for key in _LIBPQ_PARAMS:
        value = url.query.get(key)
        if isinstance(value, str):
            parts[key] = value
    text = " ".join(f"{k}={quote(v)}" for k, v in parts.items() if v)
    env = {"PGPASSWORD": url.password} if url.password else {}
    return text, {k: str(v) for k, v in env.items()}


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    try:
        proc = subprocess.run(cmd, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise StoreError(f"{cmd[0]}: cannot run: {exc.strerror or exc}") from exc
    if proc.returncode != 0:
        reason = (proc.stderr.strip() or proc.stdout.strip() or f"exit status {proc.returncode}").splitlines()
        raise StoreError(f"{what}: {Path(cmd[0]).name} failed: {reason[0]}")


def _temp_beside(target: Path) -> Path:
    """A new empty file of mode 600 in the target's folder."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise InputError(f"{target}: cannot write the backup: {exc.strerror or exc}") from None
    os.close(fd)
    tmp.chmod(0o600)
    return tmp


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent snapshot of the live database to ``target`` (mode 600; must not exist).

    Raises:
        InputError: ``target`` exists or cannot be written.
        ConfigError: PostgreSQL and no ``pg_dump``.
        StoreError: The snapshot failed.
    """
    if target.exists():
        raise InputError(f"{target}: already exists; a backup never overwrites a file")
    tmp = _temp_beside(target)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, tmp)
        else:
            info, env = _conninfo(engine.url)
            cmd = [str(find_tool("pg_dump")), "--format=custom", f"--file={tmp}", f"--dbname={info}"]
            _run(cmd, env, display_url(engine.url))
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _sqlite_backup(engine: Engine, tmp: Path) -> None:
    raw = engine.raw_connection()
    try:
        source: Any = raw.driver_connection
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)  # all pages in one step: a consistent snapshot
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{display_url(engine.url)}: backup failed: {exc}") from exc
    finally:
        raw.close()


def _bare_engine(url: URL) -> Engine:
    """An engine on the URL without running the migrations (restore needs the database untouched)."""
    if url.get_backend_name() == "sqlite":
        return sa.create_engine(url, connect_args={"timeout": 30})
    return sa.create_engine(url)


def _tables(engine: Engine) -> list[str]:
    try:
        return sorted(sa.inspect(engine).get_table_names())
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{display_url(engine.url)}: cannot open the database: {reason}") from exc


def restore(settings: Settings, source: Path) -> None:
    """Restore a backup made by :func:`backup` into the settings' database, which must hold no
    tables; then run the migrations.

    Raises:
        InputError: ``source`` is unreadable, not a backup, or of the other backend.
        ConfigError: PostgreSQL and no ``pg_restore``.
        StoreError: The target is not empty, or the restore failed (nothing is left half-restored
            on PostgreSQL: one transaction).
    """
    try:
        with source.open("rb") as f:
            magic = f.read(16)
    except OSError as exc:
        raise InputError(f"{source}: cannot read the backup: {exc.strerror or exc}") from None
    url = normalize_url(settings.resolved_database_url)
    sqlite = url.get_backend_name() == "sqlite"
    expected = SQLITE_MAGIC if sqlite else PG_MAGIC
    if not magic.startswith(expected):
        kind = (
            "a SQLite"
            if magic.startswith(SQLITE_MAGIC)
            else "a pg_dump"
            if magic.startswith(PG_MAGIC)
            else "no"
        )
        raise InputError(
            f"{source}: is {kind} backup; the target {display_url(url)} needs a "
            f"{'SQLite backup' if sqlite else 'pg_dump custom-format backup'}"
        )
    if sqlite and url.database not in (None, "", ":memory:"):
        _new_sqlite_file(Path(url.database or "").expanduser().resolve())
    engine = _bare_engine(url)
    try:
        tables = _tables(engine)
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(
                f"{display_url(url)}: is not empty ({len(tables)} tables: {shown}); restore only into an "
                "empty database (a new SQLite file, or a new PostgreSQL database: CREATE DATABASE ...)"
            )
        if sqlite:
            _sqlite_restore(engine, source)
        else:
            info, env = _conninfo(url)
            cmd = [str(find_tool("pg_restore")), "--no-owner", "--no-privileges", "--exit-on-error",
                   "--single-transaction", f"--dbname={info}", str(source)]  # fmt: skip
            _run(cmd, env, f"{source} into {display_url(url)}")
        upgrade_schema(engine)
    finally:
        engine.dispose()


def _new_sqlite_file(path: Path) -> None:
    """Create the target file with mode 600 (its folder 700) when it does not exist yet."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database file: {exc.strerror or exc}") from exc


def _sqlite_restore(engine: Engine, source: Path) -> None:
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{source}: cannot open the backup: {exc}") from None
    try:
        check = src.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise InputError(f"{source}: the backup fails SQLite's integrity check: {check}")
        raw = engine.raw_connection()
        try:
            target: Any = raw.driver_connection
            src.backup(target)
        finally:
            raw.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{source}: not a readable SQLite backup: {exc}") from None
    finally:
        src.close()
