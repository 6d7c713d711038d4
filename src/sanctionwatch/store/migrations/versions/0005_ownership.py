"""Ownership: the user's ownership and control graph, one version per imported file.

Revision ID: 0005_ownership
Revises: 0004_monitoring
Create Date: 2026-12-04

* ``ownership_versions``: one row per ``sanctionwatch ownership import`` (file, checksum, who,
  when, counts); the active row is the graph ``ownership check`` evaluates.
* ``ownership_edges``: the edges of each version, by file line.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_ownership"
down_revision: str | None = "0004_monitoring"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the ownership version and edge tables."""
    op.create_table(
        "ownership_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edge_count", sa.Integer, nullable=False),
        sa.Column("failed_count", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "ownership_edges",
        sa.Column(
            "version_id",
            sa.Integer,
            sa.ForeignKey("ownership_versions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("line", sa.Integer, primary_key=True),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("owned", sa.String(300), nullable=False),
        sa.Column("percentage", sa.Float, nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    """Drop what ``upgrade`` created."""
    op.drop_table("ownership_edges")
    op.drop_table("ownership_versions")
