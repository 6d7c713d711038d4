"""The append-only audit trail: every import, screen, alert and decision, with actor and time.

Each entry written while an actor is established (``cases.actors.establish``) records in its
details the ``surface`` (cli, ui, api) and ``auth`` (os-user, declared, password, token,
ui-session) of that actor; the CSV export shows both as columns.

There is deliberately no function here that updates or deletes an entry, and the database refuses
both (triggers created by migration ``0003_cases``).
Each entry carries the SHA-256 of its predecessor and of its own canonical content (the hash
chain, ``cases/chain.py``, migration ``0008_audit_chain``), so an edit even past the triggers shows.
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

from sanctionwatch.cases.actors import provenance
from sanctionwatch.cases.chain import append_entry
from sanctionwatch.errors import InputError
from sanctionwatch.store.importer import ImportReport
from sanctionwatch.store.schema import audit_log

__all__ = [
    "CSV_COLUMNS",
    "AuditEntry",
    "as_utc",
    "audit_list_import",
    "csv_row",
    "export_csv",
    "iter_audit",
    "now",
    "record",
    "record_apart",
]

CSV_COLUMNS = ("id", "at", "actor", "action", "subject", "details", "surface", "auth")
"""The export's columns; ``surface`` and ``auth`` (last, so older readers' column numbers hold) are
read from the details, empty for entries written before they were recorded."""


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
    """Append one entry, in the caller's transaction (so it commits or rolls back with the change).

    The current actor's surface and auth are added to ``details`` unless they are given. The entry
    is hash-chained onto the previous one (``cases/chain.py``); appends wait for each other there.
    """
    text = orjson.dumps(provenance(details), option=orjson.OPT_SORT_KEYS).decode()
    append_entry(conn, now(), actor, action, subject, text)


def record_apart(engine: Engine, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
    """Append one entry in a transaction of its own: a refusal, whose attempt was rolled back.

    An empty actor (nobody proven) is recorded as ``anonymous``; a name is cut to 200 characters.
    """
    with engine.begin() as conn:
        record(conn, actor.strip()[:200] or "anonymous", action, subject, details)


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


def csv_row(entry: AuditEntry) -> tuple[str | int, ...]:
    """One entry as a row of :data:`CSV_COLUMNS`."""
    details = orjson.dumps(entry.details, option=orjson.OPT_SORT_KEYS).decode()
    surface, auth = str(entry.details.get("surface", "")), str(entry.details.get("auth", ""))
    return (entry.id, entry.at.isoformat(), entry.actor, entry.action, entry.subject, details, surface, auth)


def export_csv(engine: Engine, path: Path) -> int:
    """Write the whole audit log to a CSV file (:data:`CSV_COLUMNS`; times ISO 8601 UTC, details as
    JSON); the row count.

    Raises:
        InputError: The file cannot be written.
    """
    count = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for e in iter_audit(engine):
                writer.writerow(csv_row(e))
                count += 1
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return count
