"""``sanctionwatch backup|restore`` and ``audit verify``/``audit export`` heads, end to end on SQLite."""

from __future__ import annotations

import re
import sqlite3
import stat
from pathlib import Path

import orjson

from sanctionwatch.cli.backup import ChainBroken
from sanctionwatch.errors import InputError, StoreError
from tests.cases.conftest import BOOK, UN_FILE
from tests.cli.test_cases_cli import Cli

HEAD = re.compile(r"entry (\d+) sha256:([0-9a-f]{64})")


def _filled(tmp_path: Path, data_dir: Path) -> Cli:
    cli = Cli(tmp_path)
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    cli("lists", "import", str(data_dir / UN_FILE), "--user", "ops")
    cli("book", "import", str(book), "--user", "ops")
    cli("book", "screen", "--user", "ops")
    return cli


def test_backup_restore_verify(tmp_path: Path, data_dir: Path) -> None:
    cli = _filled(tmp_path, data_dir)
    file = tmp_path / "store.backup"
    out = cli.json("backup", str(file), "--user", "ops")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert out["head"]["id"] > 0
    original = cli.json("audit", "verify")
    assert original["ok"] is True
    assert original["entries"] == out["head"]["id"] + 1  # the backup's own entry came after it

    copy = Cli(tmp_path / "copy")
    (tmp_path / "copy").mkdir()
    restored = copy.json("restore", str(file), "--user", "ops")
    assert restored["verified"] is True and restored["head"] == out["head"]
    assert copy.json("alerts", "list") == cli.json("alerts", "list")
    checked = copy.json("audit", "verify", "--anchor", f"{out['head']['id']}:{out['head']['hash']}")
    assert checked["ok"] is True
    assert isinstance(copy.fails("restore", str(file)), StoreError)  # no longer empty


def test_verify_names_the_tampered_entry_and_exits_11(tmp_path: Path, data_dir: Path) -> None:
    cli = _filled(tmp_path, data_dir)
    db = sqlite3.connect(tmp_path / "cases.db")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    db.commit()
    db.close()
    result = cli.run("audit", "verify")
    assert isinstance(result.exception, ChainBroken)
    assert result.exception.exit_code == 11
    assert "broken at entry 2" in str(result.exception)
    assert isinstance(cli.fails("audit", "verify", "--anchor", "2:abc"), InputError)


def test_export_prints_the_head_and_writes_it_with_head(tmp_path: Path, data_dir: Path) -> None:
    cli = _filled(tmp_path, data_dir)
    head_file = tmp_path / "head.json"
    result = cli("audit", "export", "--csv", str(tmp_path / "audit.csv"), "--head", str(head_file))
    found = HEAD.search(result.stderr)
    assert found is not None, result.stderr
    noted = orjson.loads(head_file.read_bytes())
    assert noted == {"id": int(found[1]), "hash": found[2]}
    assert cli.json("audit", "verify")["head"] == noted
    assert found[0] not in result.stdout  # the CSV consumers' stdout line is unchanged


def test_alert_report_shows_the_head(tmp_path: Path, data_dir: Path) -> None:
    cli = _filled(tmp_path, data_dir)
    alert_id = cli.json("alerts", "list")[0]["id"]
    html = tmp_path / "report.html"
    cli("alerts", "report", str(alert_id), "--html", str(html))
    head = cli.json("audit", "verify")["head"]
    text = html.read_text(encoding="utf-8")
    assert f"entry {head['id']}," in text
    assert f"--anchor {head['id']}:{head['hash']}" in text
