"""``sanctionwatch book|alerts|audit``: the commands end to end on one SQLite file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.errors import FourEyesError, SanctionwatchError, TransitionError
from tests.cases.conftest import BOOK, PLANTED, UN_FILE

runner = CliRunner()


class Cli:
    """Runs ``sanctionwatch --db ... ARGS`` in-process on one SQLite file."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = f"sqlite:///{tmp_path / 'cases.db'}"
        self.env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DATABASE_URL": None}

    def __call__(self, *args: str) -> Any:
        result = runner.invoke(app, ["--db", self.db, *args], env=self.env)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def fails(self, *args: str) -> SanctionwatchError:
        """The error a command raised (``main()`` prints it as one line and exits with its status)."""
        result = runner.invoke(app, ["--db", self.db, *args], env=self.env)
        assert isinstance(result.exception, SanctionwatchError), (result.output, result.exception)
        return result.exception

    def json(self, *args: str) -> Any:
        return orjson.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(tmp_path: Path, data_dir: Path) -> Cli:
    run = Cli(tmp_path)
    run("lists", "import", str(data_dir / UN_FILE), "--user", "loader")
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    counts = run.json("book", "import", str(book), "--user", "alice")
    assert (counts["new"], counts["removed"]) == (6, 0)
    return run


def test_book_screen_alerts_decide_report_and_audit(cli: Cli, tmp_path: Path) -> None:
    report = cli.json("book", "screen", "--engine", "local", "--user", "alice")
    assert report["opened"] == 3
    listed = cli.json("alerts", "list", "--state", "open")
    assert {(a["customer_id"], a["entity_id"]) for a in listed} == PLANTED
    first = listed[0]["id"]
    table = cli("alerts", "list").stdout
    assert "TANCHON COMMERCIAL BANK" in table
    decide = ("alerts", "decide", str(first), "--action")
    cli(*decide, "propose-true-match", "--reason", "same", "--user", "alice")
    refused = cli.fails(*decide, "approve-true-match", "--reason", "ok", "--user", "alice")
    assert isinstance(refused, FourEyesError)
    assert refused.exit_code == 7
    assert "four-eyes" in str(refused)
    done = cli.json(
        "alerts",
        "decide",
        str(first),
        "--action",
        "approve-true-match",
        "--reason",
        "agreed",
        "--user",
        "bob",
    )
    assert done["state"] == "closed_true_match"
    shown = cli.json("alerts", "show", str(first))
    assert [(h["actor"], h["to_state"]) for h in shown["history"]] == [
        ("alice", "pending_true_match"),
        ("bob", "closed_true_match"),
    ]
    html = tmp_path / "alert.html"
    cli("alerts", "report", str(first), "--html", str(html))
    assert "closed_true_match" in html.read_text(encoding="utf-8")
    audit = tmp_path / "audit.csv"
    cli("audit", "export", "--csv", str(audit))
    with audit.open(encoding="utf-8", newline="") as f:
        actions = [(r["actor"], r["action"]) for r in csv.DictReader(f)]
    assert actions[:3] == [("loader", "list.import"), ("loader", "book.rescreen"), ("alice", "book.import")]
    assert actions[-1] == ("bob", "alert.transition")
    assert cli.json("book", "screen", "--user", "alice")["opened"] == 0


def test_a_missing_reason_is_refused(cli: Cli) -> None:
    cli("book", "screen", "--user", "alice")
    error = cli.fails("alerts", "decide", "1", "--action", "escalate", "--reason", " ", "--user", "bob")
    assert isinstance(error, TransitionError)
    assert "non-empty reason" in str(error)
