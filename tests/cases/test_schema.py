"""The case tables exist after migration ``0003_cases`` and the audit trail is append-only in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sanctionwatch.cases import audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.schema import audit_log
from sanctionwatch.store import ListStore


def test_migration_creates_the_case_tables(store: ListStore) -> None:
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"customers", "alerts", "alert_transitions", "audit_log"} <= names


def test_audit_module_has_no_update_or_delete_path() -> None:
    source = Path(audit.__file__).read_text(encoding="utf-8")
    assert ".update(" not in source
    assert ".delete(" not in source


@pytest.mark.parametrize(
    "statement",
    [
        audit_log.update().values(actor="mallory"),
        audit_log.delete(),
    ],
    ids=["update", "delete"],
)
def test_an_attempted_edit_of_the_audit_log_fails(
    store: ListStore, book_csv: Path, statement: sa.Executable
) -> None:
    import_book(store.engine, book_csv, "alice")
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(statement)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action)).all()
    assert [tuple(r) for r in rows] == [("alice", "book.import")]
