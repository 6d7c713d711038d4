"""API key scopes: ``screen``, ``cases``, ``admin``.

Revision ID: 0007_key_scopes
Revises: 0006_personal_tokens
Create Date: 2026-12-04

* ``api_keys.scopes``: the key's scopes, space-separated. Keys that existed before this migration
  could do everything, so they keep ``screen admin`` and are flagged ``scopes_migrated``, which
  ``sanctionwatch keys list`` warns about; new keys are created with explicit scopes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_key_scopes"
down_revision: str | None = "0006_personal_tokens"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the scope columns; existing keys get ``screen admin`` and the migrated flag.

    Plain ``ADD COLUMN`` (SQLite allows it for a NOT NULL column with a default), so the table and
    its partial one-live-key-per-name index are left as they are.
    """
    op.add_column(
        "api_keys", sa.Column("scopes", sa.String(100), nullable=False, server_default="screen admin")
    )
    op.add_column(
        "api_keys", sa.Column("scopes_migrated", sa.Boolean, nullable=False, server_default=sa.true())
    )


def downgrade() -> None:
    """Drop the scope columns."""
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("scopes_migrated")
        batch.drop_column("scopes")
