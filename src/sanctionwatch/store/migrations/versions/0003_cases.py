"""Case management: customers, alerts, alert transitions and the append-only audit log.

Revision ID: 0003_cases
Revises: 0002_api_keys
Create Date: 2026-11-29

The audit log and the alert transitions refuse UPDATE and DELETE in the database itself (SQLite
triggers that ``RAISE(ABORT, ...)``, a PostgreSQL trigger function that raises), so the trail stays
append-only whatever code or person connects.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_cases"
down_revision: str | None = "0002_api_keys"
branch_labels: str | None = None
depends_on: str | None = None

APPEND_ONLY = ("audit_log", "alert_transitions")

PG_FUNCTION = """
CREATE FUNCTION sanctionwatch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def _protect(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION sanctionwatch_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION sanctionwatch_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
        )


def upgrade() -> None:
    """Create the case tables and the append-only triggers."""
    op.create_table(
        "customers",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(300), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("entity_id", sa.String(300), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("list_version_id", sa.Integer, nullable=False),
        sa.Column("customer_data", sa.Text, nullable=False),
        sa.Column("customer_fingerprint", sa.String(32), nullable=False),
        sa.Column("entity_fingerprint", sa.String(32), nullable=False),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("supersedes_alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=True),
    )
    op.create_index("ix_alerts_pair", "alerts", ["customer_id", "entity_id"])
    op.create_index("ix_alerts_state", "alerts", ["state"])
    op.create_table(
        "alert_transitions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("from_state", sa.String(30), nullable=False),
        sa.Column("to_state", sa.String(30), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_alert_transitions_alert_id", "alert_transitions", ["alert_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
    for table in APPEND_ONLY:
        _protect(table)


def downgrade() -> None:
    """Drop the case tables, their triggers and the trigger function."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        names = (
            (f"{table}_append_only", f"{table}_no_truncate")
            if postgres
            else (f"{table}_no_update", f"{table}_no_delete")
        )
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS sanctionwatch_append_only()")
    op.drop_table("audit_log")
    op.drop_table("alert_transitions")
    op.drop_table("alerts")
    op.drop_table("customers")
