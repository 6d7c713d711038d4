"""The case tables exist after migration ``0003_cases``, the audit trail is append-only in the database
and the database holds at most one alert under review per (customer, entity) pair.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from sanctionwatch.cases import audit
from sanctionwatch.cases.audit import now
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.states import CLOSED_STATES, LIVE_STATES
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import alerts, audit_log


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


def test_the_live_states_are_the_three_under_review() -> None:
    assert sorted(LIVE_STATES) == ["escalated", "open", "pending_true_match"]


def _alert(customer: str, state: str) -> dict[str, object]:
    return {
        "customer_id": customer,
        "entity_id": "un-sc:KPe.001",
        "score": 1.0,
        "explanation": "{}",
        "list_version_id": 1,
        "customer_data": "{}",
        "customer_fingerprint": "c" * 32,
        "entity_fingerprint": "e" * 32,
        "state": state,
        "opened_at": now(),
    }


@pytest.mark.parametrize("live", sorted(LIVE_STATES))
def test_the_database_holds_one_live_alert_per_pair_and_any_number_of_closed_ones(
    store: ListStore, book_csv: Path, live: str
) -> None:
    import_book(store.engine, book_csv, "alice")
    with store.engine.begin() as conn:
        conn.execute(alerts.insert(), [_alert("C1", s) for s in sorted(CLOSED_STATES)] * 2)
        conn.execute(alerts.insert(), [_alert("C1", live), _alert("C2", live)])
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(alerts.insert(), [_alert("C1", live)])
    with store.engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(alerts)).scalar_one()
    assert count == 2 * len(CLOSED_STATES) + 2
