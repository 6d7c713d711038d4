"""Alembic environment: runs the migrations on the connection the store hands in.

The store calls ``alembic.command.upgrade`` with ``config.attributes["connection"]`` set, so no
``alembic.ini`` and no URL are needed here.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sanctionwatch.store.database import VERSION_TABLE
from sanctionwatch.store.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("the list store migrations run through ListStore.open(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
