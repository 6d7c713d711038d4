"""``sanctionwatch doctor``: a verdict per check and the exit status 0 (ok), 1 (warning), 2 (failure)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from tests.api.serverproc import Server, free_port

runner = CliRunner()
UN_FILE = "un/consolidated-2026-02-27.xml"


class Doctor:
    """Runs ``sanctionwatch --db ... ARGS`` in-process on one SQLite file of ``tmp_path``."""

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "doctor.db"
        self.db = f"sqlite:///{self.path}"
        self.env: dict[str, str | None] = {
            "SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"),
            "SANCTIONWATCH_DATABASE_URL": None,
            "SANCTIONWATCH_STALE_AFTER_DAYS": None,
        }

    def run(self, *args: str, stdin: str | None = None) -> Any:
        result = runner.invoke(app, ["--db", self.db, *args], env=self.env, input=stdin)
        return result

    def check(self, *args: str) -> tuple[int, dict[str, dict[str, str]]]:
        result = self.run("doctor", "--json", *args)
        out = orjson.loads(result.stdout)
        assert out["exit_status"] == result.exit_code
        return result.exit_code, {c["name"]: c for c in out["checks"]}


@pytest.fixture
def doctor(tmp_path: Path) -> Doctor:
    return Doctor(tmp_path)


def _healthy(doctor: Doctor, data_dir: Path) -> None:
    """A store with the UN list, a key and a user, the file readable by its owner only."""
    assert doctor.run("lists", "import", str(data_dir / UN_FILE)).exit_code == 0
    assert doctor.run("keys", "create", "crm").exit_code == 0
    added = doctor.run(
        "users", "add", "alice", "--role", "admin", "--password-stdin", stdin="s3cret-pass-word\n"
    )
    assert added.exit_code == 0, added.output
    doctor.path.chmod(0o600)
    allowed = (datetime.now(UTC).date() - date(2026, 2, 27)).days + 1
    doctor.env["SANCTIONWATCH_STALE_AFTER_DAYS"] = orjson.dumps({"un-sc": allowed}).decode()


def test_a_missing_database_fails_and_says_so(doctor: Doctor) -> None:
    status, checks = doctor.check()
    assert status == 2
    assert checks["database"]["verdict"] == "fail"
    assert "does not exist" in checks["database"]["detail"]
    assert not doctor.path.exists()  # the doctor creates nothing


def test_a_healthy_store_is_ok_throughout(doctor: Doctor, data_dir: Path) -> None:
    _healthy(doctor, data_dir)
    status, checks = doctor.check()
    verdicts = {name: c["verdict"] for name, c in checks.items()}
    assert verdicts == {
        "database": "ok",
        "list un-sc": "ok",
        "api keys": "ok",
        "ui users": "ok",
        "permissions": "ok",
        "disk": "ok",
        "saved index": "n/a",
    }
    assert status == 0
    table = doctor.run("doctor")
    assert table.exit_code == 0
    assert "list un-sc" in table.stdout and "saved index" in table.stdout


def test_a_stale_list_warns_with_its_cadence(doctor: Doctor, data_dir: Path) -> None:
    _healthy(doctor, data_dir)
    doctor.env["SANCTIONWATCH_STALE_AFTER_DAYS"] = None
    status, checks = doctor.check()
    assert status == 1
    assert checks["list un-sc"]["verdict"] == "warn"
    assert "2026-02-27" in checks["list un-sc"]["detail"]


def test_a_database_writable_by_others_fails(doctor: Doctor, data_dir: Path) -> None:
    _healthy(doctor, data_dir)
    doctor.path.chmod(0o666)
    status, checks = doctor.check()
    assert status == 2
    assert checks["permissions"]["verdict"] == "fail"
    assert "writable by others" in checks["permissions"]["detail"]


def test_no_key_and_no_user_warn(doctor: Doctor, data_dir: Path) -> None:
    assert doctor.run("lists", "import", str(data_dir / UN_FILE)).exit_code == 0
    _, checks = doctor.check()
    assert checks["api keys"]["verdict"] == "warn"
    assert checks["ui users"]["verdict"] == "warn"


def test_the_server_check_asks_healthz_and_readyz(doctor: Doctor, data_dir: Path, tmp_path: Path) -> None:
    _healthy(doctor, data_dir)
    _, checks = doctor.check("--url", f"http://127.0.0.1:{free_port()}")
    assert checks["server"]["verdict"] == "fail"
    assert "does not answer" in checks["server"]["detail"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    env.update(SANCTIONWATCH_DATA_DIR=str(tmp_path / "data"), SANCTIONWATCH_DATABASE_URL=doctor.db)
    with Server(None, tmp_path, "--reload-interval", "0", env=env) as server:
        server.wait_for("/readyz")
        status, checks = doctor.check("--url", server.url)
        server.stop()
    assert checks["server"]["verdict"] == "ok", checks["server"]
    assert status == 0
