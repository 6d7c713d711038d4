"""The checks of ``sanctionwatch doctor``: what an operator asks first about an installation.

Each check gives a :class:`Check` with a verdict: ``ok``, ``warn`` (works, but needs attention),
``fail`` (broken, or a risk) or ``n/a`` (does not apply here). Nothing is changed: the database is
opened without migrating it, and its file is not created when missing.
"""

from __future__ import annotations

import shutil
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.settings import Settings
from sanctionwatch.sources.catalog import freshness, source_info
from sanctionwatch.store import schema
from sanctionwatch.store.database import MIGRATIONS_DIR, VERSION_TABLE, display_url, normalize_url
from sanctionwatch.store.liststore import ListStore

__all__ = ["VERDICTS", "Check", "exit_status", "run_checks"]

VERDICTS = ("ok", "n/a", "warn", "fail")
"""The verdicts, from best to worst."""

LOW_DISK_BYTES = 1 << 30
"""Free space under which the database's disk is a warning (1 GiB)."""


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the doctor's table.

    Attributes:
        name: What was checked (``database``, ``list un-sc``...).
        verdict: ``ok``, ``n/a``, ``warn`` or ``fail``.
        detail: What was found, in one sentence.
    """

    name: str
    verdict: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready: ``name``, ``verdict``, ``detail``."""
        return {"name": self.name, "verdict": self.verdict, "detail": self.detail}


def exit_status(checks: list[Check]) -> int:
    """0 when nothing is wrong, 1 with a warning, 2 with a failure (as monitoring plugins do)."""
    verdicts = {c.verdict for c in checks}
    return 2 if "fail" in verdicts else 1 if "warn" in verdicts else 0


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _migrations(engine: Engine) -> Check:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()
    where = display_url(engine.url)
    if current == head:
        return Check("database", "ok", f"{where} answers, schema at the newest migration ({head})")
    if current is None:
        return Check("database", "fail", f"{where} answers but holds no sanctionwatch schema")
    return Check(
        "database",
        "warn",
        f"{where} is at migration {current}, the newest is {head}: any sanctionwatch command "
        "(e.g. `lists status`) upgrades it",
    )


def _permissions(path: Path) -> Check:
    mode = path.stat().st_mode
    folder_mode = path.parent.stat().st_mode
    if mode & stat.S_IWOTH or folder_mode & stat.S_IWOTH:
        return Check(
            "permissions", "fail", f"{path} (mode {stat.filemode(mode)}) or its folder is writable by others"
        )
    if mode & stat.S_IROTH:
        return Check("permissions", "warn", f"{path} is readable by others (mode {stat.filemode(mode)})")
    return Check("permissions", "ok", f"{path} mode {stat.filemode(mode)}, not writable by others")


def _lists(engine: Engine, settings: Settings, today: datetime) -> Iterator[Check]:
    versions = ListStore(engine, settings).active_versions()
    if not versions:
        yield Check("lists", "fail", "no list imported: run `sanctionwatch lists update` or `lists import`")
        return
    for key, v in sorted(versions.items()):
        fresh = freshness(
            key, v.published, v.imported_at.isoformat(), today.date(), settings.stale_after_days
        )
        info = source_info(key)
        cadence = f"; updated {info.cadence}" if info is not None else ""
        if fresh.stale:
            yield Check(f"list {key}", "warn", f"stale: {fresh.reason}")
        else:
            yield Check(f"list {key}", "ok", f"version {v.id}, {fresh.age_days} days old{cadence}")


def _people(engine: Engine) -> Iterator[Check]:
    with engine.connect() as conn:
        keys = conn.execute(
            sa.select(sa.func.count())
            .select_from(schema.api_keys)
            .where(schema.api_keys.c.revoked_at.is_(None))
        ).scalar_one()
        people = conn.execute(
            sa.select(sa.func.count()).select_from(schema.users).where(schema.users.c.active == sa.true())
        ).scalar_one()
    if keys:
        yield Check("api keys", "ok", f"{keys} live API key(s)")
    else:
        yield Check("api keys", "warn", "no live API key: the API refuses every request (`keys create NAME`)")
    if people:
        yield Check("ui users", "ok", f"{people} active UI user(s)")
    else:
        yield Check("ui users", "warn", "nobody can sign in to the web UI (`users add NAME --role admin`)")


def _disk(path: Path) -> Check:
    usage = shutil.disk_usage(path.parent)
    size = path.stat().st_size
    free = (
        f"{usage.free / (1 << 30):.1f} GiB free on the database's disk, "
        f"the database is {size / (1 << 20):.1f} MiB"
    )
    if usage.free < size:
        return Check("disk", "fail", f"{free}: no room for a backup copy or a list import")
    if usage.free < LOW_DISK_BYTES:
        return Check("disk", "warn", free)
    return Check("disk", "ok", free)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _server(url: str) -> Check:
    base = url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        return Check("server", "fail", f"--url {url!r}: not an http:// or https:// URL")
    try:
        health, ready = _status(base + "/healthz"), _status(base + "/readyz")
    except (urllib.error.URLError, OSError) as exc:
        return Check("server", "fail", f"{base} does not answer: {getattr(exc, 'reason', exc)}")
    if health != 200:
        return Check("server", "fail", f"{base}/healthz answered {health}")
    if ready != 200:
        return Check("server", "fail", f"{base}/readyz answered {ready}: not ready to screen")
    return Check("server", "ok", f"{base} is live and ready")


def run_checks(settings: Settings, url: str | None = None, now: datetime | None = None) -> list[Check]:
    """Every check, in the table's order; a check that cannot run is a ``fail`` naming why."""
    when = now or datetime.now(UTC)
    checks: list[Check] = []
    try:
        parsed = normalize_url(settings.resolved_database_url)
    except SanctionwatchError as exc:
        return [Check("database", "fail", str(exc))]
    path = _sqlite_file(parsed)
    if path is not None and not path.is_file():
        checks.append(Check("database", "fail", f"{path} does not exist: nothing imported yet?"))
    else:
        engine = sa.create_engine(parsed)
        try:
            checks.append(_migrations(engine))
            if checks[-1].verdict != "fail":
                checks.extend(_lists(engine, settings, when))
                checks.extend(_people(engine))
        except (SQLAlchemyError, SanctionwatchError, OSError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            checks.append(Check("database", "fail", f"{display_url(parsed)}: {reason}"))
        finally:
            engine.dispose()
    if path is not None and path.is_file():
        checks.append(_permissions(path))
        checks.append(_disk(path))
    else:
        what = "the database is not a local file" if path is None else "no database file"
        checks.append(Check("permissions", "n/a", f"{what}: check the database server's own"))
        checks.append(Check("disk", "n/a", f"{what}: check the database server's disk"))
    checks.append(Check("saved index", "n/a", "the index is built in memory at start-up; none is saved yet"))
    if url is not None:
        checks.append(_server(url))
    return checks
