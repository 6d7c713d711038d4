"""Importing the customer book: counts, incremental updates, removals, bad rows, audit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.errors import InputError
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import customers
from tests.cases.conftest import BOOK


def _rows(store: ListStore) -> dict[str, dict[str, object]]:
    with store.engine.connect() as conn:
        return {r["id"]: dict(r) for r in conn.execute(sa.select(customers)).mappings()}


def test_first_import_stores_every_row_with_its_extra_columns(store: ListStore, book_csv: Path) -> None:
    result = import_book(store.engine, book_csv, "alice")
    assert (result.new, result.changed, result.unchanged, result.removed) == (6, 0, 0, 0)
    rows = _rows(store)
    assert set(rows) == {"C1", "C2", "C3", "C4", "C5", "C6"}
    c4 = orjson.loads(str(rows["C4"]["data"]))
    assert c4 == {
        "name": "Jane Smith",
        "schema": "Person",
        "birth_date": "1975-03-02",
        "country": "GB",
        "identifiers": [],
        "extra": {"segment": "retail"},
    }
    assert all(r["active"] for r in rows.values())


def test_reimport_counts_new_changed_unchanged_and_removed(
    store: ListStore, book_csv: Path, tmp_path: Path
) -> None:
    import_book(store.engine, book_csv, "alice")
    before = _rows(store)
    lines = BOOK.splitlines()
    # C4 changes country, C6 is gone, C7 is new; the others are the same.
    edited = [ln.replace("1975-03-02,GB", "1975-03-02,FR") for ln in lines if not ln.startswith("C6,")]
    edited.append("C7,John Doe,Person,,,P123;X 9,retail")
    update = tmp_path / "update.csv"
    update.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = import_book(store.engine, update, "bob")
    assert (result.new, result.changed, result.unchanged, result.removed) == (1, 1, 4, 1)
    rows = _rows(store)
    assert len(rows) == 7  # removed, not deleted
    assert rows["C6"]["active"] is False
    assert rows["C6"]["removed_at"] is not None
    assert rows["C4"]["fingerprint"] != before["C4"]["fingerprint"]
    assert rows["C5"]["fingerprint"] == before["C5"]["fingerprint"]
    assert orjson.loads(str(rows["C7"]["data"]))["identifiers"] == ["P123", "X9"]
    # The same file again changes nothing; C6 coming back is counted as changed (reactivated).
    again = import_book(store.engine, update, "bob")
    assert (again.new, again.changed, again.unchanged, again.removed) == (0, 0, 6, 0)
    back = import_book(store.engine, book_csv, "bob")
    assert (back.new, back.changed, back.unchanged, back.removed) == (0, 2, 4, 1)
    assert _rows(store)["C6"]["active"] is True


def test_partial_import_removes_nobody(store: ListStore, book_csv: Path, tmp_path: Path) -> None:
    import_book(store.engine, book_csv, "alice")
    part = tmp_path / "part.csv"
    part.write_text("id,name\nC8,Mary Major\n", encoding="utf-8")
    result = import_book(store.engine, part, "alice", full=False)
    assert (result.new, result.removed) == (1, 0)
    rows = _rows(store)
    assert set(rows) == {"C1", "C2", "C3", "C4", "C5", "C6", "C8"}
    assert all(r["active"] for r in rows.values())


def test_a_bad_row_names_file_line_and_field_and_imports_nothing(store: ListStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,birth_date\nC1,Ann Lee,1980-01-01\nC2,Bob Roe,1980-13-45\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv:3: .*birth"):
        import_book(store.engine, bad, "alice")
    assert _rows(store) == {}
    assert list(iter_audit(store.engine)) == []


def test_a_missing_column_is_an_input_error(store: ListStore, tmp_path: Path) -> None:
    bad = tmp_path / "noname.csv"
    bad.write_text("id,fullname\nC1,Ann Lee\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"noname\.csv: missing column 'name'"):
        import_book(store.engine, bad, "alice")


def test_every_import_is_audited_with_actor_and_counts(store: ListStore, book_csv: Path) -> None:
    import_book(store.engine, book_csv, "alice")
    import_book(store.engine, book_csv, "bob")
    entries = list(iter_audit(store.engine))
    assert [(e.actor, e.action, e.subject) for e in entries] == [
        ("alice", "book.import", str(book_csv)),
        ("bob", "book.import", str(book_csv)),
    ]
    assert entries[1].details["unchanged"] == 6
    assert entries[0].at <= entries[1].at


def test_a_parquet_book_imports_like_the_csv(store: ListStore, book_csv: Path, tmp_path: Path) -> None:
    table = pa.table(
        {
            "id": ["C1", "C4"],
            "name": ["KOMID", "Jane Smith"],
            "schema": ["Organization", "Person"],
            "birth_date": [None, date(1975, 3, 2)],
            "country": ["KP", "GB"],
            "identifiers": [[], ["P 123", "X9"]],
            "segment": ["corporate", "retail"],
        }
    )
    path = tmp_path / "book.parquet"
    pq.write_table(table, path)
    import_book(store.engine, book_csv, "alice")
    result = import_book(store.engine, path, "alice")
    # C1 is the same as in the CSV; C4 gains identifiers; the four others are not in the file.
    assert (result.new, result.changed, result.unchanged, result.removed) == (0, 1, 1, 4)
    c4 = orjson.loads(str(_rows(store)["C4"]["data"]))
    assert (c4["birth_date"], c4["identifiers"], c4["extra"]) == (
        "1975-03-02",
        ["P123", "X9"],
        {"segment": "retail"},
    )


def test_a_bad_parquet_row_is_named_by_its_row_number(store: ListStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table({"id": ["A", "B"], "name": ["Ann Lee", "Bob Roe"], "country": ["GB", "Atlantis"]}), path
    )
    with pytest.raises(InputError, match=r"bad\.parquet:2: country: unknown country 'Atlantis'"):
        import_book(store.engine, path, "alice")
    not_parquet = tmp_path / "fake.parquet"
    not_parquet.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"fake\.parquet: not a readable Parquet file"):
        import_book(store.engine, not_parquet, "alice")
