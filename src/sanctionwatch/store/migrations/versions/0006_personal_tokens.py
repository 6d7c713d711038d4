"""Personal access tokens: a user's own tokens for deciding alerts from scripts.

Revision ID: 0006_personal_tokens
Revises: 0005_ownership
Create Date: 2026-12-04

* ``personal_tokens``: per user, a named token stored as a SHA-256 hash, with its expiry and when
  it was revoked or last used (``cases/tokens.py``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_personal_tokens"
down_revision: str | None = "0005_ownership"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the personal token table."""
    op.create_table(
        "personal_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("hint", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_personal_tokens_token_hash"),
    )
    op.create_index("ix_personal_tokens_user_id", "personal_tokens", ["user_id"])


def downgrade() -> None:
    """Drop what ``upgrade`` created."""
    op.drop_index("ix_personal_tokens_user_id", table_name="personal_tokens")
    op.drop_table("personal_tokens")
