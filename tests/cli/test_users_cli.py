"""``sanctionwatch users ...`` end to end on one SQLite file: passwords from a hidden prompt or stdin
(never an argument), roles, enable and disable, the acting user in the audit trail, and errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.users import authenticate
from sanctionwatch.cli import app
from sanctionwatch.errors import ConfigError, SanctionwatchError, UserError, UserNotFound
from sanctionwatch.settings import Settings
from sanctionwatch.store.database import open_engine

runner = CliRunner()
PASSWORD = "a long enough password"


class Cli:
    """Runs ``sanctionwatch --db ... ARGS`` in-process on one SQLite file, as user ``admin-1``."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = f"sqlite:///{tmp_path / 'users.db'}"
        self.env: dict[str, str | None] = {
            "SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"),
            "SANCTIONWATCH_DATABASE_URL": None,
            "USER": "admin-1",
        }

    def run(self, *args: str, stdin: str | None = None) -> Any:
        return runner.invoke(app, ["--db", self.db, *args], env=self.env, input=stdin)

    def __call__(self, *args: str, stdin: str | None = None) -> Any:
        result = self.run(*args, stdin=stdin)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def fails(self, *args: str, stdin: str | None = None) -> SanctionwatchError:
        result = self.run(*args, stdin=stdin)
        assert isinstance(result.exception, SanctionwatchError), (result.output, result.exception)
        return result.exception

    def json(self, *args: str, stdin: str | None = None) -> Any:
        return orjson.loads(self(*args, "--json", stdin=stdin).stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


@pytest.fixture
def engine(cli: Cli) -> Engine:
    cli("users", "list")  # creates and migrates the database
    return open_engine(Settings(database_url=cli.db))


def test_add_from_stdin_then_sign_in(cli: Cli, engine: Engine) -> None:
    added = cli.json("users", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    assert (added["username"], added["role"], added["active"]) == ("ana", "analyst", True)
    user = authenticate(engine, "ana", PASSWORD)
    assert user is not None and user.id == added["id"]
    [entry] = list(iter_audit(engine, "user:ana"))
    created = {"role": "analyst", "surface": "cli", "auth": "os-user"}  # $USER, not --user
    assert (entry.actor, entry.action, entry.details) == ("admin-1", "user.create", created)


def test_add_with_the_hidden_prompt_asked_twice(cli: Cli, engine: Engine) -> None:
    result = cli(
        "users", "add", "sam", "--role", "supervisor", "--user", "root", stdin=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert "Password" in result.output and "Repeat the password" in result.output
    assert PASSWORD not in result.output  # hidden, not echoed
    assert "user sam (supervisor): created" in result.stdout
    assert authenticate(engine, "sam", PASSWORD) is not None
    assert [e.actor for e in iter_audit(engine, "user:sam")] == ["root"]


def test_two_different_entries_change_nothing(cli: Cli, engine: Engine) -> None:
    error = cli.fails("users", "add", "sam", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}x\n")
    assert isinstance(error, UserError)
    assert str(error) == "password: the two entries differ; nothing was changed"
    assert cli.json("users", "list") == []


def test_a_password_is_never_an_argument(cli: Cli) -> None:
    result = cli.run("users", "add", "ana", "--role", "analyst", "--password", PASSWORD)
    assert result.exit_code == 2 and "No such option" in result.output
    result = cli.run("users", "add", "ana", PASSWORD, "--role", "analyst")
    assert result.exit_code == 2  # no second positional argument either


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("short\n", "password: must be at least 12 characters (got 5)"),
        ("\n", "password: --password-stdin read an empty line"),
        ("", "password: --password-stdin read an empty line"),
    ],
)
def test_a_bad_password_from_stdin_is_refused(cli: Cli, stdin: str, message: str) -> None:
    error = cli.fails("users", "add", "ana", "--role", "analyst", "--password-stdin", stdin=stdin)
    assert isinstance(error, UserError) and str(error) == message
    assert error.exit_code == 2


def test_list_set_role_disable_enable(cli: Cli, engine: Engine) -> None:
    for name, role in (("sam", "supervisor"), ("ana", "analyst")):
        cli("users", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
    assert [(u["username"], u["role"], u["active"]) for u in cli.json("users", "list")] == [
        ("ana", "analyst", True),
        ("sam", "supervisor", True),
    ]
    assert cli.json("users", "set-role", "ana", "supervisor")["role"] == "supervisor"
    assert cli("users", "disable", "ana").stdout.startswith("user ana (supervisor): disabled")
    assert authenticate(engine, "ana", PASSWORD) is None
    table = cli("users", "list").stdout
    assert "no (disabled)" in table and "sam" in table
    assert cli.json("users", "enable", "ana")["active"] is True
    assert authenticate(engine, "ana", PASSWORD) is not None
    actions = [(e.actor, e.action) for e in iter_audit(engine, "user:ana")]
    assert actions == [
        ("admin-1", "user.create"),
        ("admin-1", "user.role"),
        ("admin-1", "user.disable"),
        ("admin-1", "user.enable"),
    ]


def test_passwd_replaces_the_password(cli: Cli, engine: Engine) -> None:
    cli("users", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    cli("users", "passwd", "ana", "--password-stdin", "--user", "ada", stdin="the second password\n")
    assert authenticate(engine, "ana", PASSWORD) is None
    assert authenticate(engine, "ana", "the second password") is not None
    cli("users", "passwd", "ana", stdin="the third password\nthe third password\n")
    assert authenticate(engine, "ana", "the third password") is not None
    assert [e.actor for e in iter_audit(engine, "user:ana") if e.action == "user.password"] == [
        "ada",
        "admin-1",
    ]


def test_errors_are_clean_messages(cli: Cli) -> None:
    cli("users", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    taken = cli.fails("users", "add", "ana", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert isinstance(taken, UserError) and str(taken) == "username: 'ana' already exists"
    missing = cli.fails("users", "disable", "ghost")
    assert isinstance(missing, UserNotFound) and "user 'ghost' does not exist" in str(missing)
    assert missing.exit_code == 2
    bad_role = cli.run("users", "set-role", "ana", "boss")
    assert bad_role.exit_code == 2 and "'boss' is not one of" in bad_role.output
    cli.env["USER"] = None
    no_actor = cli.run("users", "disable", "ana", "--user", "  ")
    assert isinstance(no_actor.exception, ConfigError)


def test_a_password_equal_to_the_username_is_refused_by_add_and_passwd(cli: Cli, engine: Engine) -> None:
    name = "margaret.h.analyst"  # long enough to pass the length rule on its own
    for given in (name, name.upper(), f" {name} "):
        error = cli.fails("users", "add", name, "--role", "analyst", "--password-stdin", stdin=given + "\n")
        assert isinstance(error, UserError) and error.exit_code == 2
        assert str(error) == f"password: must not be the username {name!r}"
    assert cli.json("users", "list") == []
    cli("users", "add", name, "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    error = cli.fails("users", "passwd", name, "--password-stdin", stdin=name + "\n")
    assert str(error) == f"password: must not be the username {name!r}"
    short = cli.fails("users", "passwd", name, "--password-stdin", stdin="elevenchars\n")
    assert str(short) == "password: must be at least 12 characters (got 11)"
    assert authenticate(engine, name, PASSWORD) is not None  # unchanged
