"""``sanctionwatch keys create|list|revoke``: the key is printed once and stored only as its SHA-256."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.store.keys import KeyNotFound
from tests.api.serverproc import run_cli

runner = CliRunner()
KEY_SCOPES_PARENT = "0006_personal_tokens"
"""The revision before ``0007_key_scopes``."""
KEY = re.compile(r"^sw_[A-Za-z0-9_-]{43}$")  # "sw_" + 32 random bytes in URL-safe base64, no padding


class Keys:
    """Runs ``sanctionwatch --db ... keys ...`` in-process on one SQLite file."""

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "keys.db"
        self.db = f"sqlite:///{self.path}"
        self.env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DATABASE_URL": None}

    def __call__(self, *args: str, ok: bool = True) -> Any:
        result = runner.invoke(app, ["--db", self.db, "keys", *args], env=self.env)
        if ok:
            assert result.exit_code == 0, (result.output, result.exception)
        return result

    def json(self, *args: str) -> Any:
        return orjson.loads(self(*args, "--json").stdout)

    def rows(self) -> list[dict[str, Any]]:
        """The raw ``api_keys`` rows, read with sqlite3 rather than through the store's code."""
        with sqlite3.connect(self.path) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM api_keys ORDER BY id")]


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    return Keys(tmp_path)


def test_create_prints_the_key_once_on_stdout_and_stores_only_its_sha256(keys: Keys) -> None:
    result = keys("create", "crm-prod")
    key = result.stdout.strip()
    assert KEY.match(key), result.stdout
    assert "will not be shown again" in result.stderr
    assert "Authorization: ApiKey" in result.stderr
    [row] = keys.rows()
    assert row["name"] == "crm-prod"
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert row["revoked_at"] is None and row["last_used_at"] is None and row["created_at"]
    # Nothing stored holds the key or its random part.
    for value in row.values():
        assert key[3:] not in str(value)
    with sqlite3.connect(keys.path) as conn:
        dump = "\n".join(conn.iterdump())
    assert key[3:] not in dump


def test_keys_are_random_and_json_create_gives_the_key_with_its_record(keys: Keys) -> None:
    first = keys.json("create", "alice")
    second = keys.json("create", "bob")
    assert KEY.match(first["key"]) and KEY.match(second["key"])
    assert first["key"] != second["key"]
    assert (first["name"], first["live"], first["revoked_at"]) == ("alice", True, None)
    assert first["hint"] == first["key"][-4:]
    hashes = {r["name"]: r["key_hash"] for r in keys.rows()}
    assert hashes["bob"] == hashlib.sha256(second["key"].encode()).hexdigest()


def test_list_never_shows_keys(keys: Keys) -> None:
    assert "no API key yet" in keys("list").stdout
    key = keys("create", "alice").stdout.strip()
    keys("create", "bob")
    table = keys("list").stdout
    assert "alice" in table and "bob" in table and "live" in table
    assert key not in table and key[3:-4] not in table
    listed = keys("list", "--json").stdout
    assert key not in listed and key[3:-4] not in listed
    assert [k["name"] for k in orjson.loads(listed)] == ["alice", "bob"]
    assert all(
        set(k)
        == {
            "id",
            "name",
            "hint",
            "created_at",
            "revoked_at",
            "last_used_at",
            "live",
            "scopes",
            "scopes_migrated",
        }
        for k in orjson.loads(listed)
    )


def test_revoke_by_name_or_id_and_reuse_of_the_name(keys: Keys) -> None:
    keys("create", "alice")
    bob = keys.json("create", "bob")
    out = keys("revoke", "alice").stdout
    assert "Revoked API key alice (id 1)" in out and "within 2 s" in out
    assert "already revoked" in keys("revoke", "alice").stdout
    revoked = keys.json("revoke", str(bob["id"]))
    assert (revoked["name"], revoked["revoked_now"], revoked["live"]) == ("bob", True, False)
    listed = {k["id"]: k for k in keys.json("list")}
    assert listed[1]["revoked_at"] is not None and not listed[1]["live"]
    # A revoked key's name can be given to a new key; revoking by name then targets the live one.
    again = keys.json("create", "alice")
    assert again["id"] == 3
    assert keys.json("revoke", "alice")["id"] == 3
    assert [r["revoked_at"] is not None for r in keys.rows()] == [True, True, True]


def test_bad_names_unknown_keys_and_duplicates_are_errors(keys: Keys) -> None:
    keys("create", "alice")
    taken = keys("create", "alice", ok=False)
    assert taken.exit_code != 0 and "already named 'alice'" in str(taken.exception)
    for bad in ("1abc", "has space", "", "x" * 101):
        result = keys("create", bad, ok=False)
        assert "not a valid key name" in str(result.exception), bad
    missing = keys("revoke", "nobody", ok=False)
    assert isinstance(missing.exception, KeyNotFound)
    assert "no API key named or numbered 'nobody'" in str(missing.exception)
    assert len(keys.rows()) == 1


def test_errors_from_the_console_command_are_one_line_with_status_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sub.db'}"
    done = run_cli(db, tmp_path, "keys", "revoke", "ghost", check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no API key named or numbered 'ghost'; see sanctionwatch keys list"
    done = run_cli(db, tmp_path, "keys", "create", "9lives", check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a valid key name" in done.stderr


def test_scopes_default_to_screen_and_are_stored_as_given(keys: Keys) -> None:
    plain = keys("create", "crm")
    assert "scopes: screen)" in plain.stderr
    ops = keys.json("create", "ops", "--scope", "admin", "--scope", "screen")
    assert ops["scopes"] == ["screen", "admin"] and ops["scopes_migrated"] is False
    assert keys.json("create", "bot", "--scope", "cases,screen")["scopes"] == ["screen", "cases"]
    stored = {r["name"]: (r["scopes"], r["scopes_migrated"]) for r in keys.rows()}
    assert stored == {"crm": ("screen", 0), "ops": ("screen admin", 0), "bot": ("screen cases", 0)}
    table = keys("list")
    assert "screen,admin" in table.stdout and "predate key scopes" not in table.stderr
    bad = keys("create", "x", "--scope", "root", ok=False)
    assert "scope: 'root' is not a scope; use screen, cases, admin" in str(bad.exception)
    assert len(keys.rows()) == 3


def test_keys_made_before_scopes_migrate_to_screen_and_admin_with_a_warning(keys: Keys) -> None:
    """A database at the revision before scopes, with a key written there by SQL, then opened."""
    from alembic import command
    from alembic.config import Config

    from sanctionwatch.store.database import MIGRATIONS_DIR

    engine = sa.create_engine(keys.db)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, KEY_SCOPES_PARENT)
        conn.exec_driver_sql(
            "INSERT INTO api_keys (name, key_hash, hint, created_at) "
            f"VALUES ('legacy', '{'ab' * 32}', 'abcd', '2026-01-05 10:00:00')"
        )
    engine.dispose()
    listed = keys("list")
    assert "warning: 1 live key(s) predate key scopes and were given screen+admin: legacy" in listed.stderr
    assert "(migrated)" in listed.stdout
    [legacy] = keys.json("list")
    assert legacy["scopes"] == ["screen", "admin"] and legacy["scopes_migrated"] is True
    keys("create", "crm")
    assert [r["scopes"] for r in keys.rows()] == ["screen admin", "screen"]
    keys("revoke", "legacy")
    assert "predate key scopes" not in keys("list").stderr  # a revoked key needs no replacing
