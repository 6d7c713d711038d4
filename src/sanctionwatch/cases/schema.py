"""The case tables (SQLAlchemy Core), on the store's metadata, the same on SQLite and PostgreSQL.

Created by the Alembic migration ``0003_cases``; a store test compares the migrated database with
this metadata.

* ``customers``: the customer book, one row per customer id, never deleted (``active`` false and
  ``removed_at`` set when a full import no longer has it).
* ``alerts``: one row per (customer, entity) alert, with what was known when it opened.
* ``alert_transitions``: every state change of an alert (append-only at the database level).
* ``users`` and ``ui_sessions``: the web UI's users (roles, Argon2id password hashes) and their
  signed-in sessions (token and CSRF token; the token stored hashed).
* ``audit_log``: every import, screen, alert and decision (append-only at the database level).
"""

from __future__ import annotations

import sqlalchemy as sa

from sanctionwatch.store.schema import metadata

__all__ = ["alerts", "audit_log", "customers", "transitions", "ui_sessions", "users"]

LIVE_WHERE = sa.text("state IN ('open', 'escalated', 'pending_true_match')")
"""The alert states under review (``states.LIVE_STATES``), as SQL for the live-pair index."""

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
