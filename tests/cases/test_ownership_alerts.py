"""Alerts of kind ``ownership`` (SQLite and PostgreSQL): a customer owned by a UN-listed party is
alerted under the EU and UK rules with the path as its explanation, once, and suppressed after a
false-positive decision until something changes."""

from __future__ import annotations

from pathlib import Path

import orjson
import sqlalchemy as sa

from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.ownership_alerts import screen_ownership
from sanctionwatch.cases.ownership_book import import_ownership
from sanctionwatch.cases.states import Action
from sanctionwatch.network.rules import regime
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import alerts

# KOMID is un-sc:KPe.001. C6 "Acme Widgets Ltd" (a clean name) is 60% owned by a front company
# KOMID holds 100% of; C4 (a person) is owned by nobody listed.
OWNERSHIP = """owner,owned,percentage,kind
un-sc:KPe.001,Delta Front Co,100,ownership
Delta Front Co,C6,60,ownership
Some Investor,C4,80,ownership
"""


def test_a_customer_owned_through_a_front_company_gets_one_ownership_alert(
    listed: ListStore, book_csv: Path, tmp_path: Path
) -> None:
    engine = listed.engine
    import_book(engine, book_csv, "alice")
    own = tmp_path / "own.csv"
    own.write_text(OWNERSHIP, encoding="utf-8")
    import_ownership(engine, own, "alice")

    report = screen_ownership(engine, listed.active_entities(), regime("eu"), "alice")
    assert (report.customers, report.matches, report.opened) == (6, 1, 1)
    [alert] = list_alerts(engine)
    assert (alert.customer_id, alert.entity_id, alert.state) == ("C6", "un-sc:KPe.001", "open")
    assert alert.hit["kind"] == "ownership"
    assert alert.hit["paths"] == [
        "KOREA MINING DEVELOPMENT TRADING CORPORATION —100%→ Delta Front Co —60%→ Acme Widgets Ltd"
    ]
    assert alert.hit["explanation"]["summary"].startswith("blocked under the eu ownership rule: KOREA MINING")

    again = screen_ownership(engine, listed.active_entities(), regime("uk"), "bob")
    assert (again.opened, again.already_open) == (0, 1)
    decide(engine, alert.id, Action.FALSE_POSITIVE, "alice", "the stake was sold in 2025")
    third = screen_ownership(engine, listed.active_entities(), regime("eu"), "bob")
    assert (third.opened, third.suppressed) == (0, 1)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(alerts.c.explanation)).scalars().all()
    assert len(stored) == 1 and orjson.loads(stored[0])["regime"] == "eu"
    screens = [e for e in iter_audit(engine) if e.action == "book.screen_ownership"]
    assert [e.details["regime"] for e in screens] == ["eu", "uk", "eu"]


def test_ofac_counts_only_its_own_list(listed: ListStore, book_csv: Path, tmp_path: Path) -> None:
    import_book(listed.engine, book_csv, "alice")
    own = tmp_path / "own.csv"
    own.write_text(OWNERSHIP, encoding="utf-8")
    import_ownership(listed.engine, own, "alice")
    report = screen_ownership(listed.engine, listed.active_entities(), regime("ofac"), "alice")
    assert (report.matches, report.opened) == (0, 0)
    assert list_alerts(listed.engine) == []
