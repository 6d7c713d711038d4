"""The list store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The schema is created and upgraded by the Alembic migrations in ``store/migrations``; this module is
the Core view the code queries through, and must match the newest migration (a test compares them).

* ``list_versions``: one row per imported file set (a snapshot of one list).
* ``list_entities``: the entities of each version, as ``Entity.to_dict()`` JSON text plus the columns
  queries and diffs need (id, schema, caption, content fingerprint).
* ``list_skipped``: the records a lenient import left out, with where and why.
* ``rescreen_jobs``: the delta re-screen of the customer book owed to each activated list version,
  written in the import's own transaction (``cases/delta.py`` carries them out).
* ``api_keys``: the HTTP API's keys, stored as SHA-256 hashes only (``store/keys.py``).
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["api_keys", "entities", "metadata", "rescreen_jobs", "skipped", "versions"]

metadata = sa.MetaData()

versions = sa.Table(
    "list_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_key", sa.String(200), nullable=False),
    sa.Column("format_key", sa.String(50), nullable=False),
    # [{"name": "sdn.csv", "sha256": "...", "size": 123}, ...], main file first.
    sa.Column("files", sa.JSON, nullable=False),
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("published", sa.Date, nullable=True),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("entity_count", sa.Integer, nullable=False),
    # {"Person": 6854, "Organization": 6884, ...}
    sa.Column("schema_counts", sa.JSON, nullable=False),
    sa.Column("skipped_count", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    # The version that was active when this one was activated (the default "from" of a diff).
    sa.Column("replaced_id", sa.Integer, sa.ForeignKey("list_versions.id"), nullable=True),
    sa.UniqueConstraint("list_key", "checksum", name="uq_list_versions_checksum"),
    sa.Index(
        "uq_list_versions_one_active",
        "list_key",
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    ),
)

entities = sa.Table(
    "list_entities",
    metadata,
    sa.Column(
        "version_id",
        sa.Integer,
        sa.ForeignKey("list_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("entity_id", sa.String(300), primary_key=True),
    sa.Column("schema", sa.String(20), nullable=False),
    sa.Column("caption", sa.Text, nullable=False),
    # blake2b-128 of the JSON text: equal fingerprints mean equal records.
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index("ix_list_entities_entity_id", "entity_id"),
)

skipped = sa.Table(
    "list_skipped",
    metadata,
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

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    # Hex SHA-256 of the key; the key itself is shown once at creation and never stored.
    sa.Column("key_hash", sa.String(64), nullable=False),
    # The key's last 4 characters, so people can tell their keys apart in `keys list`.
    sa.Column("hint", sa.String(8), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    # One live key per name; revoked keys keep their name, so it can be reused for a new key.
    sa.Index(
        "uq_api_keys_live_name",
        "name",
        unique=True,
        sqlite_where=sa.text("revoked_at IS NULL"),
        postgresql_where=sa.text("revoked_at IS NULL"),
    ),
)


rescreen_jobs = sa.Table(
    "rescreen_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("list_key", sa.String(200), nullable=False),
    # The list's active version before (None: the list is new) and the version activated.
    sa.Column("from_version_id", sa.Integer, nullable=True),
    sa.Column("to_version_id", sa.Integer, nullable=False),
    # pending, done (or skipped: the import was told not to re-screen)
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    # The re-screen's report as JSON text.
    sa.Column("details", sa.Text, nullable=True),
    sa.Index("ix_rescreen_jobs_state", "state"),
)

# The case tables live on this metadata too, so migrations and the schema test see them.
import sanctionwatch.cases.schema  # noqa: E402, F401
