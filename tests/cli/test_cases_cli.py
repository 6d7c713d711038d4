"""``sanctionwatch book|alerts|audit``: the commands end to end on one SQLite file.

Decisions are taken by users of the users table who prove their password (``--password-stdin``):
:data:`PASSWORDS`.
"""

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

PASSWORDS = {"alice": "alice-reviews-alerts-1", "bob": "bob-approves-matches-2"}
"""The users :meth:`Cli.add_users` creates, both supervisors (they may propose and approve)."""


class Cli:
    """Runs ``sanctionwatch --db ... ARGS`` in-process on one SQLite file.

    ``stdin`` is fed to the command's standard input; ``env`` adds environment variables (a
    personal token in ``SANCTIONWATCH_TOKEN``).
    """

    def __init__(self, tmp_path: Path) -> None:
        self.db = f"sqlite:///{tmp_path / 'cases.db'}"
        self.env: dict[str, str | None] = {
            "SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"),
            "SANCTIONWATCH_DATABASE_URL": None,
            "SANCTIONWATCH_TOKEN": None,
        }

    def run(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Any:
        return runner.invoke(app, ["--db", self.db, *args], input=stdin, env={**self.env, **(env or {})})

    def __call__(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Any:
        result = self.run(*args, stdin=stdin, env=env)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def fails(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> SanctionwatchError:
        """The error a command raised (``main()`` prints it as one line and exits with its status)."""
        result = self.run(*args, stdin=stdin, env=env)
        assert isinstance(result.exception, SanctionwatchError), (result.output, result.exception)
        return result.exception

    def json(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Any:
        return orjson.loads(self(*args, "--json", stdin=stdin, env=env).stdout)

    def add_user(self, name: str, password: str, role: str) -> None:
        self(
            "users", "add", name, "--role", role, "--password-stdin", "--user", "admin", stdin=password + "\n"
        )

    def add_users(self) -> None:
        for name, password in PASSWORDS.items():
            self.add_user(name, password, "supervisor")

    def as_user(self, name: str, *args: str) -> tuple[str, ...]:
        """``args`` signed in as ``name`` (its password goes to stdin: pass ``stdin=pw(name)``)."""
        return (*args, "--user", name, "--password-stdin")


def pw(name: str) -> str:
    """``name``'s password as one line of standard input."""
    return PASSWORDS[name] + "\n"


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
    cli.add_users()
    decide = ("alerts", "decide", str(first), "--action")
    cli(*cli.as_user("alice", *decide, "propose-true-match", "--reason", "same"), stdin=pw("alice"))
    refused = cli.fails(
        *cli.as_user("alice", *decide, "approve-true-match", "--reason", "ok"), stdin=pw("alice")
    )
    assert isinstance(refused, FourEyesError)
    assert refused.exit_code == 7
    assert "four-eyes" in str(refused)
    done = cli.json(
        *cli.as_user(
            "bob", "alerts", "decide", str(first), "--action", "approve-true-match", "--reason", "agreed"
        ),
        stdin=pw("bob"),
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
    cli.add_users()
    decide = ("alerts", "decide", "1", "--action", "escalate", "--reason", " ")
    error = cli.fails(*cli.as_user("bob", *decide), stdin=pw("bob"))
    assert isinstance(error, TransitionError)
    assert "non-empty reason" in str(error)
