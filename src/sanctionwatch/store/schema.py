"""Every table of the one database (SQLAlchemy Core), the same on SQLite and PostgreSQL.

The schema is created and upgraded by the Alembic migrations in ``store/migrations``; this module is
the Core view the code queries through, and must match the newest migration (a store test compares
them). It sits below both the list store and the cases, so neither imports the other for a table.

The list store's tables:

* ``list_versions``: one row per imported file set (a snapshot of one list).
* ``list_entities``: the entities of each version, as ``Entity.to_dict()`` JSON text plus the columns
  queries and diffs need (id, schema, caption, content fingerprint).
* ``list_skipped``: the records a lenient import left out, with where and why.
* ``rescreen_jobs``: the delta re-screen of the customer book owed to each activated list version,
  written in the import's own transaction (``cases/delta.py`` carries them out).
* ``api_keys``: the HTTP API's keys, stored as SHA-256 hashes only (``store/keys.py``).

The case tables (migration ``0003_cases`` and later):

* ``customers``: the customer book, one row per customer id, never deleted (``active`` false and
  ``removed_at`` set when a full import no longer has it).
* ``alerts``: one row per (customer, entity) alert, with what was known when it opened.
* ``alert_transitions``: every state change of an alert (append-only at the database level).
* ``users`` and ``ui_sessions``: the web UI's users (roles, Argon2id password hashes) and their
  signed-in sessions (token and CSRF token; the token stored hashed).
* ``audit_log``: every import, screen, alert and decision (append-only at the database level).
  Since migration ``0008_audit_chain`` each entry is hash-chained (``cases/chain.py``); the
  one-row ``audit_chain`` holds the chain's head.

The ownership tables (migration ``0005_ownership``):

* ``ownership_versions``: one row per imported ownership file (``cases/ownership_book.py``); the
  active one is the user's ownership graph.
* ``ownership_edges``: the edges of each version (owner, owned, percentage, kind, file line).

The personal access tokens (migration ``0006_personal_tokens``):

* ``personal_tokens``: a user's own tokens for deciding alerts from scripts (``cases/tokens.py``),
  stored as SHA-256 hashes only, each expiring and revocable.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "LIVE_ALERT_STATES",
    "LIVE_WHERE",
    "alerts",
    "api_keys",
    "audit_chain",
    "audit_log",
    "customers",
    "entities",
    "metadata",
    "ownership_edges",
    "ownership_versions",
    "personal_tokens",
    "rescreen_jobs",
    "skipped",
    "transitions",
    "ui_sessions",
    "users",
    "versions",
]

metadata = sa.MetaData()

LIVE_ALERT_STATES = ("open", "escalated", "pending_true_match")
"""The alert states still under review (``cases.states.LIVE_STATES`` is read from these)."""

LIVE_WHERE = sa.text("state IN ({})".format(", ".join(f"'{s}'" for s in LIVE_ALERT_STATES)))
"""``LIVE_ALERT_STATES`` as SQL, for the live-pair index (migration 0004 writes the same text)."""

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
    # Space-separated scopes (screen, cases, admin); migration 0007 gave older keys "screen admin".
    sa.Column("scopes", sa.String(100), nullable=False, server_default="screen admin"),
    # True for keys created before scopes existed (keys list warns about their broad grant).
    sa.Column("scopes_migrated", sa.Boolean, nullable=False, server_default=sa.true()),
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


customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.String(300), primary_key=True),
    # {"name", "schema", "birth_date", "country", "identifiers", "extra"} as JSON text.
    sa.Column("data", sa.Text, nullable=False),
    # blake2b-128 of the canonical JSON: equal fingerprints mean equal customer data.
    sa.Column("fingerprint", sa.String(32), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_id", sa.String(300), sa.ForeignKey("customers.id"), nullable=False),
    sa.Column("entity_id", sa.String(300), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    # The whole hit (``Hit.to_dict()``: matched name, caption, programs, explanation) as JSON text.
    sa.Column("explanation", sa.Text, nullable=False),
    # The list version the entity's record came from (no foreign key: alerts outlive versions).
    sa.Column("list_version_id", sa.Integer, nullable=False),
    sa.Column("customer_data", sa.Text, nullable=False),
    sa.Column("customer_fingerprint", sa.String(32), nullable=False),
    # ``list_entities.fingerprint`` of the entity's record when the alert opened.
    sa.Column("entity_fingerprint", sa.String(32), nullable=False),
    sa.Column("state", sa.String(30), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("supersedes_alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=True),
    sa.Index("ix_alerts_pair", "customer_id", "entity_id"),
    sa.Index("ix_alerts_state", "state"),
    # At most one alert under review per pair (migration 0004): concurrent screens cannot duplicate.
    sa.Index(
        "ux_alerts_live_pair",
        "customer_id",
        "entity_id",
        unique=True,
        sqlite_where=LIVE_WHERE,
        postgresql_where=LIVE_WHERE,
    ),
)

transitions = sa.Table(
    "alert_transitions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.id"), nullable=False),
    sa.Column("from_state", sa.String(30), nullable=False),
    sa.Column("to_state", sa.String(30), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_alert_transitions_alert_id", "alert_id"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    # book.import, book.screen, alert.open, alert.transition...
    sa.Column("action", sa.String(50), nullable=False),
    # What the action was about: a file, an alert id...
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    # The hash chain (migration 0008, canonical form in cases/chain.py): the previous entry's hash
    # and this entry's own, hex SHA-256.
    sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""),
    sa.Column("hash", sa.String(64), nullable=False, server_default=""),
)

audit_chain = sa.Table(
    "audit_chain",
    metadata,
    # Always 1: one row, locked by every append so appends are serialized.
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),
    # The newest entry's id and hash (0 and 64 zeros for an empty trail).
    sa.Column("entry_id", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False),
    # Argon2id hash in PHC string format (argon2-cffi); never the password.
    sa.Column("password_hash", sa.Text, nullable=False),
    # analyst, supervisor or admin
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("username", name="uq_users_username"),
)

ui_sessions = sa.Table(
    "ui_sessions",
    metadata,
    # Hex SHA-256 of the session token; the token itself lives only in the browser's cookie.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_ui_sessions_user_id", "user_id"),
)


ownership_versions = sa.Table(
    "ownership_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("path", sa.Text, nullable=False),
    # SHA-256 of the file's bytes.
    sa.Column("checksum", sa.String(64), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("edge_count", sa.Integer, nullable=False),
    sa.Column("failed_count", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
)

ownership_edges = sa.Table(
    "ownership_edges",
    metadata,
    sa.Column(
        "version_id",
        sa.Integer,
        sa.ForeignKey("ownership_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    # The edge's line in the file (unique within a version).
    sa.Column("line", sa.Integer, primary_key=True),
    sa.Column("owner", sa.String(300), nullable=False),
    sa.Column("owned", sa.String(300), nullable=False),
    # Percent owned; NULL for control or an unknown share.
    sa.Column("percentage", sa.Float, nullable=True),
    # ownership or control
    sa.Column("kind", sa.String(20), nullable=False),
)


personal_tokens = sa.Table(
    "personal_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    # What the user calls it (one live token per user and name).
    sa.Column("name", sa.String(100), nullable=False),
    # Hex SHA-256 of the token; the token itself is shown once at creation and never stored.
    sa.Column("token_hash", sa.String(64), nullable=False),
    # The token's last 4 characters, to tell tokens apart in `users token list`.
    sa.Column("hint", sa.String(8), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("token_hash", name="uq_personal_tokens_token_hash"),
    sa.Index("ix_personal_tokens_user_id", "user_id"),
)
