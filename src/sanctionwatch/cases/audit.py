"""The append-only audit trail: every import, screen, alert and decision, with actor and time.

There is deliberately no function here that updates or deletes an entry, and the database refuses
both (triggers created by migration ``0003_cases``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.errors import InputError
from sanctionwatch.store.importer import ImportReport
from sanctionwatch.store.schema import audit_log

__all__ = [
    "CSV_COLUMNS",
    "AuditEntry",
    "as_utc",
    "audit_list_import",
    "export_csv",
    "iter_audit",
    "now",
    "record",
]

CSV_COLUMNS = ("id", "at", "actor", "action", "subject", "details")


def now() -> datetime:
    """The current time in UTC (every case timestamp comes from here)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives naive datetimes back)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit log entry."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


def record(conn: Connection, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
    """Append one entry, in the caller's transaction (so it commits or rolls back with the change)."""
    conn.execute(
        audit_log.insert().values(
            at=now(),
            actor=actor,
            action=action,
            subject=subject,
            details=orjson.dumps(details, option=orjson.OPT_SORT_KEYS).decode(),
        )
    )


def audit_list_import(conn: Connection, report: ImportReport) -> None:
    """Record what a list import did: ``list.import`` (the version, its counts, whether it was
    activated) or ``list.import_failed`` (the reason); the store's importer calls it as its reporter.
    """
    details: dict[str, Any] = {"files": [str(p) for p in report.files.paths]}
    if report.version is None:
        details["reason"] = report.failure
        record(conn, report.actor, "list.import_failed", report.files.list_key, details)
        return
    stored = {**details, **report.version.to_dict(), "activated": report.activated}
    record(conn, report.actor, "list.import", report.files.list_key, stored)


def iter_audit(engine: Engine, subject: str | None = None) -> Iterator[AuditEntry]:
    """Every entry in order, or the entries about one subject."""
    query = sa.select(audit_log).order_by(audit_log.c.id)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    with engine.connect() as conn:
        for row in conn.execute(query).mappings():
            yield AuditEntry(
                row["id"],
                as_utc(row["at"]),
                row["actor"],
                row["action"],
                row["subject"],
                orjson.loads(row["details"]),
            )


def export_csv(engine: Engine, path: Path) -> int:
    """Write the whole audit log to a CSV file (times ISO 8601 UTC, details as JSON); the row count.

    Raises:
        InputError: The file cannot be written.
    """
    count = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for e in iter_audit(engine):
                details = orjson.dumps(e.details, option=orjson.OPT_SORT_KEYS).decode()
                writer.writerow((e.id, e.at.isoformat(), e.actor, e.action, e.subject, details))
                count += 1
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return count
