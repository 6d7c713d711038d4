"""``lists import`` re-screens the customer book by delta; ``--no-rescreen`` and ``book rescreen``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from sanctionwatch.store import ListStore
from tests.cases.conftest import BOOK, UN_FILE
from tests.cases.unversions import ADDED, REMOVED, un_pair
from tests.cli.test_cases_cli import Cli
from tests.store.fresh import make_settings


@pytest.fixture
def screened(tmp_path: Path, data_dir: Path) -> tuple[Cli, Path]:
    """The old UN version imported, the six-customer book imported and screened; the new version's path."""
    old, new = un_pair(data_dir / UN_FILE, tmp_path / "un")
    cli = Cli(tmp_path)
    cli("lists", "import", str(old), "--user", "loader")
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    cli("book", "import", str(book), "--user", "alice")
    cli("book", "screen", "--user", "alice")
    return cli, new


def _alerts(cli: Cli) -> set[tuple[str, str, str]]:
    listed: list[dict[str, Any]] = cli.json("alerts", "list")
    return {(a["customer_id"], a["entity_id"], a["state"]) for a in listed}


def test_lists_import_rescreens_the_book_by_delta(screened: tuple[Cli, Path]) -> None:
    cli, new = screened
    out = cli("lists", "import", str(new), "--user", "loader").stdout
    assert "un-sc: book re-screened by delta: 1 added, 2 changed, 1 removed entities" in out
    assert "2 of 6 customers re-screened; 2 alerts opened, 0 reopened, 1 closed as delisted" in out
    assert ("C1", REMOVED, "closed_delisted") in _alerts(cli)
    assert ("C2", ADDED, "open") in _alerts(cli)


def test_lists_import_json_holds_the_rescreen_report(screened: tuple[Cli, Path]) -> None:
    cli, new = screened
    [result] = orjson.loads(cli("lists", "import", str(new), "--json").stdout)
    assert result["status"] == "activated"
    assert (result["rescreen"]["candidates"], result["rescreen"]["delisted"]) == (2, 1)


def test_no_rescreen_then_book_rescreen_has_nothing_pending(screened: tuple[Cli, Path]) -> None:
    cli, new = screened
    out = cli("lists", "import", str(new), "--no-rescreen").stdout
    assert "re-screened" not in out
    assert ("C2", ADDED, "open") not in _alerts(cli)
    assert "no re-screen pending" in cli("book", "rescreen").stdout
    assert cli.json("book", "rescreen") == []
    cli("book", "screen", "--user", "alice")
    assert ("C2", ADDED, "open") in _alerts(cli)
    assert ("C1", REMOVED, "closed_delisted") in _alerts(cli)


def test_a_first_list_import_with_an_empty_book_says_nothing_about_rescreening(
    tmp_path: Path, data_dir: Path
) -> None:
    cli = Cli(tmp_path)
    out = cli("lists", "import", str(data_dir / UN_FILE)).stdout
    assert "activated" in out
    assert "re-screen" not in out
    assert "no re-screen pending" in cli("book", "rescreen").stdout


def test_book_rescreen_after_a_no_rescreen_import_into_an_empty_book(tmp_path: Path, data_dir: Path) -> None:
    cli = Cli(tmp_path)
    cli("lists", "import", str(data_dir / UN_FILE))
    _, new = un_pair(data_dir / UN_FILE, tmp_path / "un")
    assert "no re-screen pending" in cli("book", "rescreen").stdout
    # An import whose command died before re-screening leaves its job pending: the library's import
    # does exactly the first half.
    with ListStore.open(make_settings(cli.db, tmp_path)) as store:
        store.import_paths([new])
    assert "no customer in the book: the pending re-screens are done" in cli("book", "rescreen").stdout
    assert "no re-screen pending" in cli("book", "rescreen").stdout
