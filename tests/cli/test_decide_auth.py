"""``alerts decide`` decides only as a proven user: password (``--password-stdin``, the hidden prompt
at a real terminal) or personal token (``$SANCTIONWATCH_TOKEN``, ``--token-file``); the issue's
two-names trick, wrong secrets, disabled users and roles are refused with their exit status and an
audit entry; the export shows surface and auth."""

from __future__ import annotations

import csv
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.cases.actors import AuthenticationFailed
from sanctionwatch.errors import InputError, PermissionDenied
from tests.cli.test_cases_cli import Cli, cli

__all__ = ["cli"]

ANA, SAM = "ana-reviews-alerts-42", "sam-approves-matches-7"
BIN = Path(sys.executable).parent / "sanctionwatch"


@pytest.fixture
def alerts(cli: Cli) -> Cli:
    """The CLI store with 3 open alerts, ana (analyst), sam and alice (supervisors)."""
    assert cli.json("book", "screen", "--user", "alice")["opened"] == 3
    cli.add_user("ana", ANA, "analyst")
    cli.add_user("sam", SAM, "supervisor")
    cli.add_users()
    return cli


def decide(alert_id: int, action: str, *more: str) -> tuple[str, ...]:
    return ("alerts", "decide", str(alert_id), "--action", action, "--reason", "checked", *more)


def state(cli: Cli, alert_id: int) -> str:
    return str(cli.json("alerts", "show", str(alert_id))["state"])


def audit_rows(cli: Cli, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "audit.csv"
    cli("audit", "export", "--csv", str(out))
    with out.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def refusals(cli: Cli, tmp_path: Path, action: str) -> list[dict[str, str]]:
    return [r for r in audit_rows(cli, tmp_path) if r["action"] == action]


def make_token(cli: Cli, user: str, password: str, name: str = "nightly") -> dict[str, Any]:
    made: dict[str, Any] = cli.json(
        "users", "token", "create", name, "--user", user, "--password-stdin", stdin=password + "\n"
    )
    return made


def test_the_issues_second_name_without_proof_is_refused(alerts: Cli, tmp_path: Path) -> None:
    alerts(*decide(1, "propose-true-match", "--user", "ana", "--password-stdin"), stdin=ANA + "\n")
    refused = alerts.fails(*decide(1, "approve-true-match", "--user", "sam"))
    assert isinstance(refused, AuthenticationFailed)
    assert refused.exit_code == 10
    assert "needs proof of who you are" in str(refused) and "'sam'" in str(refused)
    assert state(alerts, 1) == "pending_true_match"
    [entry] = refusals(alerts, tmp_path, "auth.refused")
    assert (entry["actor"], entry["subject"], entry["surface"], entry["auth"]) == (
        "anonymous",
        "alert:1",
        "cli",
        "none",
    )
    assert '"cause":"no-credentials"' in entry["details"] and '"username":"sam"' in entry["details"]


def test_a_wrong_password_is_refused_and_audited_without_the_password(alerts: Cli, tmp_path: Path) -> None:
    wrong = "sam-guessed-this-one-1"
    refused = alerts.fails(*decide(1, "escalate", "--user", "sam", "--password-stdin"), stdin=wrong + "\n")
    assert isinstance(refused, AuthenticationFailed) and refused.exit_code == 10
    assert str(refused) == "sign-in refused for 'sam': wrong password, or no such active user"
    assert state(alerts, 1) == "open"
    [entry] = refusals(alerts, tmp_path, "auth.refused")
    assert '"cause":"wrong-password"' in entry["details"]
    assert wrong not in entry["details"]


def test_a_disabled_user_is_refused_by_password_and_by_token_at_once(alerts: Cli, tmp_path: Path) -> None:
    token = make_token(alerts, "sam", SAM)["token"]
    alerts("users", "disable", "sam", "--user", "admin")
    by_pw = alerts.fails(*decide(1, "escalate", "--user", "sam", "--password-stdin"), stdin=SAM + "\n")
    by_token = alerts.fails(*decide(1, "escalate"), env={"SANCTIONWATCH_TOKEN": token})
    assert isinstance(by_pw, AuthenticationFailed) and isinstance(by_token, AuthenticationFailed)
    assert str(by_token) == "token refused: user 'sam' is disabled"
    assert state(alerts, 1) == "open"
    causes = [r["details"] for r in refusals(alerts, tmp_path, "auth.refused")]
    assert len(causes) == 2
    assert all('"cause":"user-disabled"' in c for c in causes)


def test_a_role_that_may_not_approve_is_refused_with_status_8(alerts: Cli, tmp_path: Path) -> None:
    alerts(*decide(2, "propose-true-match", "--user", "sam", "--password-stdin"), stdin=SAM + "\n")
    refused = alerts.fails(
        *decide(2, "approve-true-match", "--user", "ana", "--password-stdin"), stdin=ANA + "\n"
    )
    assert isinstance(refused, PermissionDenied) and refused.exit_code == 8
    assert str(refused) == "alert 2: user 'ana' (analyst) may not approve-true-match"
    assert state(alerts, 2) == "pending_true_match"
    [entry] = refusals(alerts, tmp_path, "alert.decision_refused")
    assert (entry["actor"], entry["surface"], entry["auth"]) == ("ana", "cli", "password")
    assert '"cause":"role"' in entry["details"]


def test_a_personal_token_decides_as_its_user_from_the_environment_or_a_file(
    alerts: Cli, tmp_path: Path
) -> None:
    made = make_token(alerts, "sam", SAM)
    env = {"SANCTIONWATCH_TOKEN": made["token"]}
    assert alerts.json(*decide(1, "escalate"), env=env)["state"] == "escalated"
    secret = tmp_path / "token"
    secret.write_text(made["token"] + "\n", encoding="utf-8")
    secret.chmod(0o600)
    assert alerts.json(*decide(1, "false-positive", "--token-file", str(secret)))["state"] == (
        "closed_false_positive"
    )
    assert [h["actor"] for h in alerts.json("alerts", "show", "1")["history"]] == ["sam", "sam"]
    rows = [r for r in audit_rows(alerts, tmp_path) if r["action"] == "alert.transition"]
    assert [(r["actor"], r["surface"], r["auth"]) for r in rows] == [("sam", "cli", "token")] * 2
    assert all(f'"token_id":{made["id"]}' in r["details"] for r in rows)
    [listed] = alerts.json("users", "token", "list", "sam")
    assert (listed["name"], listed["state"]) == ("nightly", "live")
    assert listed["last_used_at"] is not None
    assert "token" not in listed


def test_token_refusals_mismatch_revoked_and_readable_file(alerts: Cli, tmp_path: Path) -> None:
    made = make_token(alerts, "sam", SAM)
    env = {"SANCTIONWATCH_TOKEN": made["token"]}
    other = alerts.fails(*decide(1, "escalate", "--user", "alice"), env=env)
    assert isinstance(other, AuthenticationFailed)
    assert str(other) == "--user 'alice': the personal token is 'sam''s"
    loose = tmp_path / "token"
    loose.write_text(made["token"], encoding="utf-8")
    loose.chmod(0o644)
    readable = alerts.fails(*decide(1, "escalate", "--token-file", str(loose)))
    assert isinstance(readable, InputError) and "others may read it (mode 644)" in str(readable)
    alerts("users", "token", "revoke", str(made["id"]), "--user", "ops")
    revoked = alerts.fails(*decide(1, "escalate"), env=env)
    assert isinstance(revoked, AuthenticationFailed) and "is revoked" in str(revoked)
    assert state(alerts, 1) == "open"
    causes = [r["details"] for r in refusals(alerts, tmp_path, "auth.refused")]
    assert ['"cause":"user-mismatch"' in causes[0], '"cause":"revoked"' in causes[1]] == [True, True]


def test_a_token_is_made_only_with_its_users_password(alerts: Cli, tmp_path: Path) -> None:
    made = make_token(alerts, "sam", SAM)
    # A token does not make a token: with one in the environment the password is still asked.
    refused = alerts.fails(
        "users", "token", "create", "second", "--user", "sam", env={"SANCTIONWATCH_TOKEN": made["token"]}
    )
    assert isinstance(refused, AuthenticationFailed) and refused.exit_code == 10
    wrong = alerts.fails(
        "users", "token", "create", "second", "--user", "sam", "--password-stdin", stdin=ANA + "\n"
    )
    assert isinstance(wrong, AuthenticationFailed)
    assert [t["name"] for t in alerts.json("users", "token", "list")] == ["nightly"]


def test_operator_commands_record_how_the_operator_was_established(alerts: Cli, tmp_path: Path) -> None:
    alerts("book", "screen", env={"USER": "opsuser"})
    alerts(*decide(3, "escalate", "--user", "ana", "--password-stdin"), stdin=ANA + "\n")
    rows = audit_rows(alerts, tmp_path)
    how = {(r["action"], r["actor"], r["surface"], r["auth"]) for r in rows}
    assert ("book.import", "alice", "cli", "declared") in how  # --user alice
    assert ("book.screen", "opsuser", "cli", "os-user") in how  # $USER
    assert ("user.create", "admin", "cli", "declared") in how
    assert ("alert.transition", "ana", "cli", "password") in how


def run_binary(db: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "--db", db, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_the_real_command_without_a_terminal_exits_10_with_one_line(alerts: Cli, tmp_path: Path) -> None:
    env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "USER": "sam"}
    env.pop("SANCTIONWATCH_TOKEN", None)
    done = run_binary(alerts.db, *decide(1, "escalate"), env={**env, "SANCTIONWATCH_TOKEN": ""})
    assert done.returncode == 10
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: alerts decide needs proof"), done.stderr
    assert "Traceback" not in done.stderr


def test_at_a_terminal_the_password_is_asked_without_echo(alerts: Cli, tmp_path: Path) -> None:
    env = {**os.environ, "SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_TOKEN": ""}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a session whose controlling terminal is the pty
        os.execve(str(BIN), [str(BIN), "--db", alerts.db, *decide(1, "escalate", "--user", "sam")], env)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([fd], [], [], 30)
            assert ready, seen  # a guard against a hang, not a timing assertion
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, seen
            seen += chunk

    read_until(b"Password for sam:")
    # Type only once the prompt has turned echo off (input typed before would be flushed).
    for _ in range(600):  # a guard against a hang, not a timing assertion
        if not termios.tcgetattr(fd)[3] & termios.ECHO:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the prompt never turned echo off")
    os.write(fd, SAM.encode() + b"\n")
    read_until(b"alert 1 is now escalated")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert SAM.encode() not in seen  # not echoed
    assert state(alerts, 1) == "escalated"
