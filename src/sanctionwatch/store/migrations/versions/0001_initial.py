"""Initial list store: list versions, their entities, the records lenient imports skipped.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the three tables and their indexes."""
    op.create_table(
        "list_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_key", sa.String(200), nullable=False),
        sa.Column("format_key", sa.String(50), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entity_count", sa.Integer, nullable=False),
        sa.Column("schema_counts", sa.JSON, nullable=False),
        sa.Column("skipped_count", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("replaced_id", sa.Integer, sa.ForeignKey("list_versions.id"), nullable=True),
        sa.UniqueConstraint("list_key", "checksum", name="uq_list_versions_checksum"),
    )
    op.create_index(
        "uq_list_versions_one_active",
        "list_versions",
        ["list_key"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "list_entities",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("list_versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("entity_id", sa.String(300), primary_key=True),
        sa.Column("schema", sa.String(20), nullable=False),
        sa.Column("caption", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_list_entities_entity_id", "list_entities", ["entity_id"])
    op.create_table(
        "list_skipped",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("list_versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop everything the upgrade created."""
    op.drop_table("list_skipped")
    op.drop_index("ix_list_entities_entity_id", table_name="list_entities")
    op.drop_table("list_entities")
    op.drop_index("uq_list_versions_one_active", table_name="list_versions")
    op.drop_table("list_versions")
