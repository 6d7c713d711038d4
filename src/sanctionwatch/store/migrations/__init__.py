"""Alembic migrations of the list store, run on open by ``store.database.upgrade_schema``."""
