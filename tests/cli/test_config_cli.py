"""The TOML configuration file (``--config``, ``SANCTIONWATCH_CONFIG``) and ``config show``:
precedence flag > environment > file > default, secrets masked, bad files refused in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.errors import ConfigError
from tests.api.serverproc import run_cli

runner = CliRunner()


def _base_env(tmp_path: Path) -> dict[str, str | None]:
    env: dict[str, str | None] = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data")}
    for name in ("DATABASE_URL", "PORT", "HOST", "METRICS", "CONFIG", "STALE_AFTER_DAYS", "LOG_FORMAT"):
        env[f"SANCTIONWATCH_{name}"] = None
    return env


def _show(args: list[str], env: dict[str, str | None]) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "config", "show", "--json"], env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    out: dict[str, Any] = orjson.loads(result.stdout)
    return out


def _rows(out: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    return {r["setting"]: (r["value"], r["source"]) for r in out["settings"]}


def test_each_setting_says_where_it_came_from(tmp_path: Path) -> None:
    config = tmp_path / "sanctionwatch.toml"
    config.write_text(
        'port = 9000\nhost = "10.0.0.5"\nmetrics = "open"\n\n[stale_after_days]\n"un-sc" = 3\n',
        encoding="utf-8",
    )
    env = _base_env(tmp_path) | {"SANCTIONWATCH_HOST": "0.0.0.0"}
    out = _show(["--db", "sqlite:///x.db", "--config", str(config)], env)
    rows = _rows(out)
    assert out["config_file"] == str(config)
    assert rows["port"] == (9000, "file")
    assert rows["metrics"] == ("open", "file")
    assert rows["stale_after_days"] == ({"un-sc": 3}, "file")
    assert rows["host"] == ("0.0.0.0", "environment")  # the environment wins over the file
    assert rows["database_url"] == ("sqlite:///x.db", "flag")
    assert rows["max_batch_queries"] == (1000, "default")
    assert rows["log_format"] == ("text", "default")


def test_the_environment_names_the_file_and_the_flag_wins_over_it(tmp_path: Path) -> None:
    by_env = tmp_path / "env.toml"
    by_env.write_text("port = 7001\n", encoding="utf-8")
    by_flag = tmp_path / "flag.toml"
    by_flag.write_text("port = 7002\n", encoding="utf-8")
    env = _base_env(tmp_path) | {"SANCTIONWATCH_CONFIG": str(by_env)}
    assert _rows(_show([], env))["port"] == (7001, "file")
    assert _rows(_show(["--config", str(by_flag)], env))["port"] == (7002, "file")
    assert _rows(_show([], _base_env(tmp_path)))["port"] == (8000, "default")


def test_the_database_password_is_masked(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('database_url = "postgresql://sw:hunter2-secret@db.internal/sw"\n', encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "config", "show"], env=_base_env(tmp_path))
    assert result.exit_code == 0, result.output
    assert "hunter2-secret" not in result.stdout
    assert "db.internal" in result.stdout and "***" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("port = 9000\nprot = 9001\n", "c.toml:2: 'prot' is no setting (did you mean 'port'?)"),
        ("port = 99999\n", "c.toml:1: port = 99999: Input should be less than or equal to 65535"),
        (
            'host = "a"\nmetrics = "sometimes"\n',
            "c.toml:2: metrics = 'sometimes': Input should be 'key', 'open' or 'off'",
        ),
        ("port = \n", "c.toml: not valid TOML: Invalid value (at line 1, column 8)"),
    ],
)
def test_a_bad_file_is_one_line_and_the_server_does_not_start(
    tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(text, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'never.db'}"
    result = runner.invoke(app, ["--db", db, "--config", str(config), "serve"], env=_base_env(tmp_path))
    assert isinstance(result.exception, ConfigError) and result.exception.exit_code == 2
    assert str(result.exception) == f"{tmp_path}/{message}"
    assert not (tmp_path / "never.db").exists()  # refused before the store was opened


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--config", str(tmp_path / "none.toml"), "config", "show"], env=_base_env(tmp_path)
    )
    assert isinstance(result.exception, ConfigError)
    assert "none.toml: cannot read the configuration file" in str(result.exception)


def test_the_command_prints_one_error_line_and_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("port = 9000\nprot = 9001\n", encoding="utf-8")
    done = run_cli(f"sqlite:///{tmp_path / 'never.db'}", tmp_path, "--config", config, "serve", check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {config}:2: 'prot' is no setting (did you mean 'port'?)"
    ]
    assert done.stdout == ""
