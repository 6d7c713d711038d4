"""The audit trail's hash chain: ``audit_log.prev_hash`` and ``hash``, the one-row ``audit_chain``.

Revision ID: 0008_audit_chain
Revises: 0007_key_scopes
Create Date: 2026-12-04

Existing entries are chained in id order here, with the append-only triggers lifted for the
update and put back at once (SQLite: dropped and recreated as in ``0003_cases``; PostgreSQL:
disabled and enabled, in this migration's transaction). The canonical form is copied from
``cases/chain.py`` (version 1) and frozen here: a migration must keep computing what it computed
when it was written, and the store does not import the cases.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_chain"
down_revision: str | None = "0007_key_scopes"
branch_labels: str | None = None
depends_on: str | None = None

GENESIS = "0" * 64

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("subject", sa.Text),
    sa.column("details", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _hash(row: dict[str, Any], prev: str) -> str:
    at: datetime = row["at"]
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    obj = {
        "id": int(row["id"]),
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": row["actor"],
        "action": row["action"],
        "subject": row["subject"],
        "details": row["details"],
        "prev_hash": prev,
    }
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _sqlite_triggers(create: bool) -> None:
    for verb in ("UPDATE", "DELETE"):
        name = f"audit_log_no_{verb.lower()}"
        if create:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {verb} refused'); END"
            )
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    """Add the chain columns and head table; chain the existing entries in id order."""
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""))
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=False, server_default=""))
    op.create_table(
        "audit_chain",
        sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("entry_id", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    if postgres:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        _sqlite_triggers(create=False)
    prev_id, prev = 0, GENESIS
    rows = bind.execute(sa.select(_log).order_by(_log.c.id)).mappings().all()
    for row in rows:
        digest = _hash(dict(row), prev)
        bind.execute(_log.update().where(_log.c.id == row["id"]).values(prev_hash=prev, hash=digest))
        prev_id, prev = int(row["id"]), digest
    if postgres:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    else:
        _sqlite_triggers(create=True)
    chain = sa.table("audit_chain", sa.column("slot"), sa.column("entry_id"), sa.column("hash"))
    bind.execute(chain.insert().values(slot=1, entry_id=prev_id, hash=prev))


def downgrade() -> None:
    """Drop the head table and the chain columns (the triggers are kept)."""
    op.drop_table("audit_chain")
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_column("audit_log", "hash")
        op.drop_column("audit_log", "prev_hash")
        return
    _sqlite_triggers(create=False)
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    _sqlite_triggers(create=True)
