"""Importing one list file set as a new version, in one transaction.

The flow: checksum the files (an identical set already stored is a no-op), then in one transaction
insert the version row, stream the parser's entities into it in batches (rejecting duplicate ids
through the parse context), apply the drop guard, and switch the active version when the new one is
newer. Any error rolls the whole transaction back, so the previously active version is untouched.

When the version becomes active the same transaction writes the re-screen job the customer book is
owed (``rescreen_jobs``, carried out by ``cases/delta.py``): a crash after the commit leaves that job
pending, never forgotten. The store keeps no audit trail of its own: it reports what each import did
to the caller's :data:`Reporter` (the CLI's writes the audit entry, ``cases.audit.audit_list_import``),
in the import's own transaction when a version is stored, so the entry commits or rolls back with it,
and in a transaction of its own when the import is refused or fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from sanctionwatch.errors import ImportRefused, ListFileError, StoreError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.store.records import FileInfo, ImportResult, ImportStatus, VersionInfo
from sanctionwatch.store.schema import entities, rescreen_jobs, skipped, versions

__all__ = [
    "BATCH_SIZE",
    "ImportOptions",
    "ImportReport",
    "Progress",
    "Reporter",
    "checksum_files",
    "import_set",
    "is_newer",
]

BATCH_SIZE = 2000
"""Entities per ``executemany`` round trip."""

Progress = Callable[[str, int], None]
"""Called as ``progress(list_key, entities_stored_so_far)`` after each batch."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did, for the caller to record (the store keeps no audit trail).

    Attributes:
        files: The file set imported.
        actor: Who imported it (``ImportOptions.actor``).
        version: The version stored; None when the import was refused or failed.
        activated: Whether the version became the list's active one.
        failure: Why the import was refused or failed (the error's message); None when it stored.
    """

    files: ListFiles
    actor: str
    version: VersionInfo | None = None
    activated: bool = False
    failure: str | None = None


Reporter = Callable[[Connection, ImportReport], None]
"""Called with each import's report and a connection: the import's own transaction for a stored
version (what it writes commits or rolls back with the import), a transaction of its own for a
refused or failed import. An import of files already stored writes nothing and reports nothing."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to import: strict or lenient parsing, drop guard ratio and override, progress callback.

    ``actor`` goes into the import's report, given to ``reporter`` (None: nobody is told);
    ``rescreen`` false writes the version's re-screen job as ``skipped`` (the caller screens the whole
    book itself, or accepts the gap), not ``pending``.
    """

    lenient: bool = False
    force: bool = False
    max_drop_ratio: float = 0.10
    progress: Progress | None = None
    actor: str = "sanctionwatch"
    rescreen: bool = True
    reporter: Reporter | None = None


def checksum_files(paths: Iterable[Path]) -> tuple[str, tuple[FileInfo, ...]]:
    """SHA-256 of a file set, and each file's name, SHA-256 and size.

    One file: its own SHA-256 (what ``sha256sum`` prints). Several: the SHA-256 of their
    ``sha256sum``-style manifest (``<sha256>  <lower-case name>\\n`` lines sorted by name), so the
    checksum depends on each file's content and role, not on the folder or the order given.

    Raises:
        ListFileError: A file cannot be read.
    """
    infos: list[FileInfo] = []
    for path in paths:
        try:
            with path.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            size = path.stat().st_size
        except OSError as exc:
            raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
        infos.append(FileInfo(path.name, digest, size))
    if len(infos) == 1:
        return infos[0].sha256, tuple(infos)
    manifest = "".join(sorted(f"{i.sha256}  {i.name.lower()}\n" for i in infos))
    return hashlib.sha256(manifest.encode()).hexdigest(), tuple(infos)


def is_newer(published: str | None, active: VersionInfo | None) -> bool:
    """Whether a version being imported now is newer than the active one.

    By publication date when both state one and the dates differ; otherwise by import order, so the
    version imported now is the newer.
    """
    if active is None:
        return True
    if published and active.published and published != active.published:
        return published > active.published
    return True


def _published_date(files: ListFiles, published: str | None) -> date | None:
    if published is None:
        return None
    try:
        return date.fromisoformat(published)
    except ValueError:
        raise ListFileError(
            str(files.paths[0]), f"publication date {published!r} is not an ISO date YYYY-MM-DD"
        ) from None


def _version(conn: Connection, where: Any) -> VersionInfo | None:
    row = conn.execute(sa.select(versions).where(where)).mappings().first()
    return VersionInfo.from_row(row) if row is not None else None


class _EntityWriter:
    """Turns entities into rows, rejects duplicate ids and writes them in batches."""

    def __init__(self, conn: Connection, version_id: int, files: ListFiles, ctx: ParseContext) -> None:
        self.conn = conn
        self.version_id = version_id
        self.main = str(files.paths[0])
        self.ctx = ctx
        self.first_seen: dict[str, tuple[int, str]] = {}
        self.schema_counts: dict[str, int] = {}
        self.batch: list[dict[str, Any]] = []
        self.count = 0

    def add(self, entity: Entity) -> None:
        seen = self.first_seen.get(entity.id)
        position = len(self.first_seen) + 1
        if seen is not None:
            self.ctx.bad_record(
                self.main,
                f"entity {entity.id}",
                f"duplicate id {entity.id!r}: {entity.caption!r} has the id of {seen[1]!r} "
                f"(first seen as entity #{seen[0]})",
            )
            return
        self.first_seen[entity.id] = (position, entity.caption)
        data = orjson.dumps(entity.to_dict())
        schema = str(entity.schema)
        self.schema_counts[schema] = self.schema_counts.get(schema, 0) + 1
        self.batch.append(
            {
                "version_id": self.version_id,
                "entity_id": entity.id,
                "schema": schema,
                "caption": entity.caption,
                "fingerprint": hashlib.blake2b(data, digest_size=16).hexdigest(),
                "data": data.decode(),
            }
        )

    def flush(self) -> None:
        if self.batch:
            self.conn.execute(entities.insert(), self.batch)
            self.count += len(self.batch)
            self.batch = []


def _check_drop(conn: Connection, active: VersionInfo, kept: set[str], opts: ImportOptions) -> None:
    """Refuse a version that drops too many of the active version's entities.

    Raises:
        ImportRefused: More than ``max_drop_ratio`` of the active entities would disappear.
    """
    if opts.force or active.entity_count == 0:
        return
    active_ids = conn.execute(
        sa.select(entities.c.entity_id).where(entities.c.version_id == active.id)
    ).scalars()
    dropped = sum(1 for eid in active_ids if eid not in kept)
    if dropped > opts.max_drop_ratio * active.entity_count:
        raise ImportRefused(
            f"{active.list_key}: refused, the new version has {len(kept):,} entities and would drop "
            f"{dropped:,} of the {active.entity_count:,} in active version {active.id} "
            f"({dropped / active.entity_count:.0%}, more than the {opts.max_drop_ratio:.0%} allowed); "
            "check the file, or use --force to import it anyway"
        )


def _report_failure(engine: Engine, opts: ImportOptions, files: ListFiles, reason: str) -> None:
    """Report a refused or failed import; a database that fails here too is left to the import's error."""
    if opts.reporter is None:
        return
    try:
        with engine.begin() as conn:
            opts.reporter(conn, ImportReport(files, opts.actor, failure=reason))
    except SQLAlchemyError:
        pass


def import_set(engine: Engine, fmt: SourceFormat, files: ListFiles, opts: ImportOptions) -> ImportResult:
    """Import one file set as a new version of its list, all or nothing.

    Raises:
        ListFileError: The files are unreadable or malformed, or hold a bad record (strict mode).
        ImportRefused: The drop guard refused the new version.
        StoreError: The database failed.
    """
    start = perf_counter()
    checksum, infos = checksum_files(files.paths)
    published = fmt.published(files)
    published_date = _published_date(files, published)
    ctx = ParseContext(lenient=opts.lenient)
    try:
        with engine.begin() as conn:
            same = _version(conn, (versions.c.list_key == files.list_key) & (versions.c.checksum == checksum))
            active = _version(conn, (versions.c.list_key == files.list_key) & versions.c.active)
            if same is not None:
                return ImportResult(ImportStatus.UNCHANGED, same, active, (), perf_counter() - start)
            version_id = conn.execute(
                versions.insert()
                .values(
                    list_key=files.list_key,
                    format_key=files.format_key,
                    files=[i.to_dict() for i in infos],
                    checksum=checksum,
                    published=published_date,
                    imported_at=datetime.now(UTC),
                    entity_count=0,
                    schema_counts={},
                    skipped_count=0,
                    active=False,
                )
                .returning(versions.c.id)
            ).scalar_one()
            writer = _EntityWriter(conn, version_id, files, ctx)
            for entity in fmt.parse(files, ctx):
                writer.add(entity)
                if len(writer.batch) >= BATCH_SIZE:
                    writer.flush()
                    if opts.progress is not None:
                        opts.progress(files.list_key, writer.count)
            writer.flush()
            if opts.progress is not None:
                opts.progress(files.list_key, writer.count)
            if ctx.skipped:
                conn.execute(
                    skipped.insert(),
                    [
                        {
                            "version_id": version_id,
                            "seq": n,
                            "path": s.path,
                            "location": s.location,
                            "reason": s.reason,
                        }
                        for n, s in enumerate(ctx.skipped, 1)
                    ],
                )
            activate = is_newer(published, active)
            if activate and active is not None:
                _check_drop(conn, active, set(writer.first_seen), opts)
                conn.execute(versions.update().where(versions.c.id == active.id).values(active=False))
            conn.execute(
                versions.update()
                .where(versions.c.id == version_id)
                .values(
                    imported_at=datetime.now(UTC),
                    entity_count=writer.count,
                    schema_counts=dict(sorted(writer.schema_counts.items())),
                    skipped_count=len(ctx.skipped),
                    active=activate,
                    replaced_id=active.id if activate and active is not None else None,
                )
            )
            stored = _version(conn, versions.c.id == version_id)
            assert stored is not None
            if activate:
                conn.execute(
                    rescreen_jobs.insert().values(
                        list_key=files.list_key,
                        from_version_id=active.id if active is not None else None,
                        to_version_id=version_id,
                        state="pending" if opts.rescreen else "skipped",
                        created_at=datetime.now(UTC),
                    )
                )
            if opts.reporter is not None:
                opts.reporter(conn, ImportReport(files, opts.actor, stored, activate))
    except (ImportRefused, ListFileError) as exc:
        _report_failure(engine, opts, files, str(exc))
        raise
    except IntegrityError as exc:
        raise StoreError(
            f"{files.list_key}: the database refused the import ({str(exc.orig).splitlines()[0]}); "
            "another import of this list may have run at the same time, try again"
        ) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreError(f"{files.list_key}: the import failed in the database: {reason}") from exc
    assert stored is not None
    status = ImportStatus.ACTIVATED if activate else ImportStatus.STORED
    return ImportResult(status, stored, active, tuple(ctx.skipped), perf_counter() - start)
