"""``sanctionwatch ownership import|check`` end to end on one SQLite file holding the UN list."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionwatch.batch.queries import RowErrors
from sanctionwatch.cli import app
from sanctionwatch.errors import InputError
from tests.cases.conftest import UN_FILE
from tests.cli.test_cases_cli import Cli

runner = CliRunner()

# KOMID is un-sc:KPe.001 (data README); Delta and Epsilon are nobody's listed companies.
OWNERSHIP = """owner,owned,percentage,kind
un-sc:KPe.001,Delta Corp,50,ownership
Delta Corp,Epsilon Corp,40,ownership
un-sc:KPe.001,Epsilon Corp,10,ownership
un-sc:KPe.001,Kappa Ltd,,control
Lambda,Kappa Ltd,60,ownership
"""


@pytest.fixture
def cli(tmp_path: Path, data_dir: Path) -> Cli:
    run = Cli(tmp_path)
    run("lists", "import", str(data_dir / UN_FILE), "--user", "loader")
    return run


def _parties(cli: Cli, regime: str) -> dict[str, dict[str, object]]:
    found = cli.json("ownership", "check", "--regime", regime)
    assert found["regime"] == regime
    return {p["name"]: p for p in found["parties"]}


def test_import_then_check_under_each_regime(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(OWNERSHIP, encoding="utf-8")
    counts = cli.json("ownership", "import", str(path), "--user", "alice")
    assert (counts["edges"], counts["added"]) == (5, 5)
    uk = _parties(cli, "uk")
    komid = next(p for p in uk.values() if p["id"] == "un-sc:KPe.001")
    assert (komid["designated"], komid["blocked"]) == (True, True)
    assert uk["Delta Corp"]["blocked"] is False  # 50% is not more than 50%
    assert uk["Kappa Ltd"]["blocked"] is True  # controlled
    eu = _parties(cli, "eu")
    assert eu["Epsilon Corp"]["blocked"] is True
    assert eu["Epsilon Corp"]["percentage"] == 50.0
    assert eu["Lambda"] == {
        "name": "Lambda",
        "id": None,
        "blocked": False,
        "designated": False,
        "percentage": 0.0,
        "controlled": False,
        "paths": [],
    }
    # OFAC's rule counts only OFAC's list: the UN record of KOMID blocks nothing there.
    assert _parties(cli, "ofac")["Delta Corp"]["blocked"] is False
    table = cli("ownership", "check", "--regime", "eu").stdout
    assert "—50%→ Delta Corp —40%→ Epsilon Corp" in table


def test_bad_rows_are_reported_and_exit_9_and_strict_imports_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(OWNERSHIP + "Mu,Nu,150,ownership\n", encoding="utf-8")
    strict = cli.fails("ownership", "import", str(path), "--strict")
    assert isinstance(strict, InputError)
    assert str(strict) == f"{path}:7: percentage: '150' is not in (0, 100]"
    assert _parties(cli, "eu") == {}
    result = runner.invoke(app, ["--db", cli.db, "ownership", "import", str(path)], env=cli.env)
    assert isinstance(result.exception, RowErrors)
    assert result.exception.exit_code == 9
    assert "1 of 6 rows failed" in str(result.exception)
    assert "Epsilon Corp" in _parties(cli, "eu")


def test_an_unknown_regime_is_refused(cli: Cli) -> None:
    error = cli.fails("ownership", "check", "--regime", "un")
    assert str(error) == "--regime: 'un' is not one of eu, ofac, uk"


def test_screen_opens_an_ownership_alert_for_a_customer_of_the_book(cli: Cli, tmp_path: Path) -> None:
    book = tmp_path / "book.csv"
    book.write_text("id,name,schema\nC9,Epsilon Trading Ltd,Organization\n", encoding="utf-8")
    cli("book", "import", str(book), "--user", "alice")
    own = tmp_path / "own.csv"
    own.write_text("owner,owned,percentage,kind\nun-sc:KPe.001,C9,51,ownership\n", encoding="utf-8")
    cli("ownership", "import", str(own), "--user", "alice")
    report = cli.json("ownership", "screen", "--regime", "uk", "--user", "alice")
    assert (report["customers"], report["opened"]) == (1, 1)
    [alert] = cli.json("alerts", "list")
    assert (alert["customer_id"], alert["entity_id"]) == ("C9", "un-sc:KPe.001")
    assert "—51%→ Epsilon Trading Ltd" in cli("alerts", "show", str(alert["id"])).stdout
