"""The ownership graph in the store (SQLite and PostgreSQL): versioned imports, the audit entry, and
the graph built from the user's edges, the lists' edges and the book's names."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.ownership_book import evaluate_store, import_ownership
from sanctionwatch.errors import InputError
from sanctionwatch.model import Entity, Link, Name, Schema
from sanctionwatch.network.report import statuses
from sanctionwatch.network.rules import regime
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import ownership_edges, ownership_versions

FIRST = """owner,owned,percentage,kind
us-ofac-sdn:9345,Delta Corp,50,ownership
Delta Corp,Epsilon Corp,40,ownership
us-ofac-sdn:9345,Epsilon Corp,10,ownership
C1,Delta Corp,20,ownership
"""

SECOND = """owner,owned,percentage,kind
us-ofac-sdn:9345,Delta Corp,45,ownership
Delta Corp,Epsilon Corp,40,ownership
Zeta,Delta Corp,bad,ownership
uk-sl:DPR0001,Omega,,control
"""

KOMID = Entity("us-ofac-sdn:9345", "us-ofac-sdn", Schema.ORGANIZATION, (Name("KOMID"),))
UK_KOMID = Entity(
    "uk-sl:DPR0001",
    "uk-sl",
    Schema.ORGANIZATION,
    (Name("KOREA MINING DEVELOPMENT TRADING CORPORATION"),),
    links=(Link("subsidiary", "Sigma Trading"),),
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_are_versions_with_their_diff_and_an_audit_entry(settings: Settings, tmp_path: Path) -> None:
    with ListStore.open(settings) as store:
        first = import_ownership(store.engine, _write(tmp_path, "a.csv", FIRST), "alice")
        assert (first.edges, first.added, first.removed, first.changed, first.failed) == (4, 4, 0, 0, ())
        second = import_ownership(store.engine, _write(tmp_path, "b.csv", SECOND), "bob", strict=False)
        assert (second.edges, second.added, second.removed, second.changed) == (3, 1, 2, 1)
        assert [(e.line, e.error) for e in second.failed] == [(4, "percentage: 'bad' is not a number")]
        with store.engine.connect() as conn:
            versions = conn.execute(
                sa.select(
                    ownership_versions.c.id, ownership_versions.c.active, ownership_versions.c.actor
                ).order_by(ownership_versions.c.id)
            ).all()
            lines = conn.execute(
                sa.select(ownership_edges.c.line).where(ownership_edges.c.version_id == second.version_id)
            ).scalars()
            assert sorted(lines) == [2, 3, 5]
        assert [(v.active, v.actor) for v in versions] == [(False, "alice"), (True, "bob")]
        entries = [e for e in iter_audit(store.engine) if e.action == "ownership.import"]
    assert [(e.actor, e.subject) for e in entries] == [
        ("alice", str(tmp_path / "a.csv")),
        ("bob", str(tmp_path / "b.csv")),
    ]
    assert entries[1].details["failed"] == 1
    assert entries[1].details["errors"] == [{"line": 4, "error": "percentage: 'bad' is not a number"}]


def test_a_strict_import_with_a_bad_row_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    with ListStore.open(settings) as store:
        with pytest.raises(InputError, match=r"b\.csv:4: percentage: 'bad' is not a number"):
            import_ownership(store.engine, _write(tmp_path, "b.csv", SECOND), "bob", strict=True)
        with store.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(ownership_versions)).scalar() == 0
        assert [e for e in iter_audit(store.engine) if e.action == "ownership.import"] == []


def test_the_graph_joins_the_file_the_lists_and_the_book(settings: Settings, tmp_path: Path) -> None:
    book = _write(tmp_path, "book.csv", "id,name,schema\nC1,Delta Holdings Ltd,Organization\n")
    with ListStore.open(settings) as store:
        import_book(store.engine, book, "alice")
        import_ownership(store.engine, _write(tmp_path, "a.csv", FIRST), "alice")
        ofac = {s.name: s for s in statuses(evaluate_store(store.engine, [KOMID, UK_KOMID], regime("ofac")))}
        uk = {s.name: s for s in statuses(evaluate_store(store.engine, [KOMID, UK_KOMID], regime("uk")))}
    epsilon = ofac["Epsilon Corp"]
    assert (epsilon.blocked, epsilon.id, epsilon.percentage) == (True, None, 50.0)
    assert sorted(epsilon.paths) == ["KOMID —10%→ Epsilon Corp", "KOMID —50%→ Delta Corp —40%→ Epsilon Corp"]
    customer = ofac["Delta Holdings Ltd"]  # the customer id C1 gets the book's name
    assert (customer.id, customer.blocked) == ("C1", False)
    # The UK list says KOMID's subsidiary is Sigma Trading: control, which blocks under the UK rule only.
    assert (ofac["Sigma Trading"].blocked, uk["Sigma Trading"].blocked) == (False, True)
    assert uk["Sigma Trading"].paths == (
        "KOREA MINING DEVELOPMENT TRADING CORPORATION —control→ Sigma Trading",
    )
    assert uk["Epsilon Corp"].blocked is False  # OFAC's KOMID is no UK designation


def test_an_entity_id_the_active_list_does_not_hold_is_a_bad_row(listed: ListStore, tmp_path: Path) -> None:
    text = (
        "owner,owned,percentage,kind\n"
        "un-sc:KPe.001,Delta Corp,50,ownership\n"
        "un-sc:KPe.999,Delta Corp,10,ownership\n"
    )
    path = _write(tmp_path, "ids.csv", text)
    result = import_ownership(listed.engine, path, "alice", strict=False)
    assert result.edges == 1
    assert [(e.line, e.error) for e in result.failed] == [
        (3, "owner: 'un-sc:KPe.999' is no entity of the active un-sc list")
    ]
    with pytest.raises(InputError, match=r"ids\.csv:3: owner: 'un-sc:KPe\.999' is no entity"):
        import_ownership(listed.engine, path, "alice", strict=True)
