"""The deployment files in deploy/ stay in step with the command: every ``sanctionwatch`` command
line of the systemd units parses (command and options exist), and the units run as a dedicated user
with the hardening docs/operations.md promises."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_the_units_exist() -> None:
    assert {p.name for p in UNITS} >= {
        "sanctionwatch.service",
        "sanctionwatch-lists-update.service",
        "sanctionwatch-backup.service",
    }
    assert (DEPLOY / "systemd" / "sanctionwatch-lists-update.timer").is_file()


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_runs_as_the_dedicated_user_without_new_privileges(path: Path) -> None:
    service = _unit(path)["Service"]
    assert service["User"] == "sanctionwatch"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_sanctionwatch_command_line_parses(path: Path) -> None:
    lines = [v for k, v in _unit(path)["Service"].items() if k.startswith("ExecStart")]
    commands = [shlex.split(v)[1:] for v in lines if v.split()[0].endswith("/sanctionwatch")]
    if path.name == "sanctionwatch-backup.service":
        assert commands == []
        return
    assert commands, f"{path.name} runs no sanctionwatch command"
    for args in commands:
        result = CliRunner().invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
