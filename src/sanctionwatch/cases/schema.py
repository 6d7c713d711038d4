"""The case tables (SQLAlchemy Core), on the store's metadata, the same on SQLite and PostgreSQL.

Created by the Alembic migration ``0003_cases``; a store test compares the migrated database with
this metadata.

* ``customers``: the customer book, one row per customer id, never deleted (``active`` false and
  ``removed_at`` set when a full import no longer has it).
* ``alerts``: one row per (customer, entity) alert, with what was known when it opened.
* ``alert_transitions``: every state change of an alert (append-only at the database level).
* ``audit_log``: every import, screen, alert and decision (append-only at the database level).
"""

from __future__ import annotations

import sqlalchemy as sa

from sanctionwatch.store.schema import metadata

__all__ = ["alerts", "audit_log", "customers", "transitions"]

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
