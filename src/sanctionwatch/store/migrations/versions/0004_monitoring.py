"""Monitoring: UI users and their sessions, re-screen jobs, and one live alert per pair.

Revision ID: 0004_monitoring
Revises: 0003_cases
Create Date: 2026-11-29

* ``users``: analysts, supervisors and admins of the web UI; passwords as Argon2id hashes.
* ``ui_sessions``: signed-in browser sessions (the cookie carries the token, the table its hash).
* ``rescreen_jobs``: one delta re-screen per activated list version, written in the import's own
  transaction, so a crash between the import and the re-screen leaves the job pending, not lost.
* ``ux_alerts_live_pair``: at most one alert under review per (customer, entity) pair, enforced by
  the database, so two screens running at once cannot open the same alert twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_monitoring"
down_revision: str | None = "0003_cases"
branch_labels: str | None = None
depends_on: str | None = None

LIVE = "state IN ('open', 'escalated', 'pending_true_match')"


def upgrade() -> None:
    """Create the users, sessions and re-screen job tables and the live-pair index."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "ui_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_ui_sessions_user_id", "ui_sessions", ["user_id"])
    op.create_table(
        "rescreen_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_key", sa.String(200), nullable=False),
        sa.Column("from_version_id", sa.Integer, nullable=True),
        sa.Column("to_version_id", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.Text, nullable=True),
    )
    op.create_index("ix_rescreen_jobs_state", "rescreen_jobs", ["state"])
    op.create_index(
        "ux_alerts_live_pair",
        "alerts",
        ["customer_id", "entity_id"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    """Drop what ``upgrade`` created."""
    op.drop_index("ux_alerts_live_pair", table_name="alerts")
    op.drop_index("ix_rescreen_jobs_state", table_name="rescreen_jobs")
    op.drop_table("rescreen_jobs")
    op.drop_index("ix_ui_sessions_user_id", table_name="ui_sessions")
    op.drop_table("ui_sessions")
    op.drop_table("users")
