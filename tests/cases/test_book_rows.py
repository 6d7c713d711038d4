"""Importing a customer file with bad rows: the others are imported, the bad ones reported, none removed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionwatch.batch.queries import RowErrors
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import active_customers, import_book
from sanctionwatch.cli import app
from sanctionwatch.errors import InputError
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore

FIRST = "id,name,birth_date,country\nC1,Ann Lee,1980-01-01,GB\nC2,Bob Roe,1981-02-03,DE\nC3,Cy Fox,,\n"
# C2's new birth date is no real date, C4's is day-first, C5 has no name, C1 appears twice.
SECOND = (
    "id,name,birth_date,country\n"
    "C1,Ann Lee,1980/1/1,GB\n"
    "C2,Bob Roe,1981-02-30,DE\n"
    "C4,Di Ray,16/07/1969,FR\n"
    "C5,,,\n"
    "C1,Ann Again,,\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def stored(store: ListStore) -> dict[str, dict[str, object]]:
    with store.engine.connect() as conn:
        return {c.id: c.data for c in active_customers(conn)}


def test_bad_rows_are_reported_and_the_others_imported(store: ListStore, tmp_path: Path) -> None:
    import_book(store.engine, write(tmp_path, "first.csv", FIRST), "alice")
    before = stored(store)
    result = import_book(store.engine, write(tmp_path, "second.csv", SECOND), "bob", strict=False)
    assert [(e.line, e.query_id, e.error) for e in result.failed] == [
        (3, "C2", "birth_date: '1981-02-30' is not a real date"),
        (
            4,
            "C4",
            "birth_date: '16/07/1969' may be day/month/year or month/day/year; "
            "say which with --date-order dmy or --date-order mdy",
        ),
        (5, "C5", "name: must not be empty"),
        (6, "C1", "id: 'C1' already used on line 2"),
    ]
    # C1 is unchanged (1980/1/1 is 1980-01-01); C2 keeps its stored data; C3, absent, is removed;
    # the bad rows' customers are not removed.
    assert (result.new, result.changed, result.unchanged, result.removed) == (0, 0, 1, 1)
    assert result.total == 5
    after = stored(store)
    assert set(after) == {"C1", "C2"} and after["C2"] == before["C2"]
    entry = list(iter_audit(store.engine))[-1]
    assert entry.details["failed"] == 4 and entry.details["errors"][0] == {
        "line": 3,
        "id": "C2",
        "error": "birth_date: '1981-02-30' is not a real date",
    }


def test_the_date_order_and_strict(store: ListStore, tmp_path: Path) -> None:
    path = write(tmp_path, "dmy.csv", "id,name,birth_date\nC1,Di Ray,16/07/1969\nC2,Ed Kim,07/08/1969\n")
    with pytest.raises(InputError, match=r"dmy\.csv:2: birth_date: '16/07/1969' may be"):
        import_book(store.engine, path, "alice")  # strict by default: nothing imported
    assert stored(store) == {}
    result = import_book(store.engine, path, "alice", strict=False, date_order="dmy")
    assert result.failed == () and result.new == 2
    assert {k: v["birth_date"] for k, v in stored(store).items()} == {"C1": "1969-07-16", "C2": "1969-08-07"}


def test_book_import_command_exits_9_after_bad_rows_and_2_when_strict(
    settings: Settings, store: ListStore, tmp_path: Path
) -> None:
    path = write(tmp_path, "second.csv", SECOND)
    base = ["--db", str(settings.database_url), "book", "import", str(path), "--user", "carol"]
    strict = CliRunner().invoke(app, [*base, "--strict"])
    assert isinstance(strict.exception, InputError) and strict.exception.exit_code == 2
    assert stored(store) == {}
    done = CliRunner().invoke(app, base)
    assert isinstance(done.exception, RowErrors) and done.exception.exit_code == 9
    assert str(done.exception).startswith(f"{path}: 4 of 5 rows failed")
    assert f"{path}:3: birth_date: '1981-02-30' is not a real date" in done.output
    assert "5 customers: 1 new, 0 changed, 0 unchanged, 0 removed, 4 failed" in done.output
    assert set(stored(store)) == {"C1"}
    dmy = CliRunner().invoke(app, [*base, "--date-order", "dmy", "--json"])
    assert isinstance(dmy.exception, RowErrors) and '"failed": 3' in dmy.output
    assert set(stored(store)) == {"C1", "C4"}
