"""Killing ``book screen`` or ``lists import`` (with its delta re-screen) in the middle loses and
corrupts nothing: running the command again gives the alerts of an uninterrupted run.

Real processes, killed with SIGKILL once their first alerts are committed, on a SQLite database
holding the 2022 OFAC SDN list and a synthetic book of 20,000 customers (tests/cases/synthetic.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.serverproc import console_command, run_cli
from tests.cases.synthetic import make_book, parse_set

BOOK_SIZE = 20_000
OLD, NEW = "ofac/sdn-2022-01-31", "ofac/sdn-2024-05-03"
Alerts = set[tuple[Any, ...]]


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return conn.execute(sql).fetchall()


def _alerts(db: Path) -> Alerts:
    rows = _query(db, "SELECT customer_id, entity_id, state, round(score, 6), list_version_id FROM alerts")
    return set(rows)


def _integrity(db: Path) -> str:
    return str(_query(db, "PRAGMA integrity_check")[0][0])


def _kill_when(folder: Path, db: Path, ready: Callable[[], bool], *args: str | Path) -> None:
    """Start ``sanctionwatch --db DB ARGS``, SIGKILL it as soon as ``ready()``; fail if it ended first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONWATCH_")}
    env["SANCTIONWATCH_DATA_DIR"] = str(folder / "data")
    proc = subprocess.Popen(
        [console_command(), "--db", _url(db), *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 600
    try:
        while not ready():
            assert proc.poll() is None, f"the command ended before it could be killed: {proc.stderr}"
            assert time.monotonic() < deadline, "the command never got to the point to kill it"
            time.sleep(0.02)
        assert proc.poll() is None, "the command finished before the kill"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, eval_dir: Path) -> Path:
    """A folder with ``unscreened.db`` (2022 list + book) and ``screened.db`` (the same, screened)."""
    folder = tmp_path_factory.mktemp("kill")
    old, new = parse_set(data_dir / OLD, lenient=True), parse_set(data_dir / NEW, lenient=False)
    make_book(folder / "book.csv", BOOK_SIZE, old, new, eval_dir / "dev" / "negatives.csv")
    db = folder / "unscreened.db"
    run_cli(_url(db), folder, "lists", "import", "--lenient", data_dir / OLD)
    run_cli(_url(db), folder, "book", "import", folder / "book.csv", "--user", "ana")
    shutil.copy(db, folder / "screened.db")
    run_cli(_url(folder / "screened.db"), folder, "book", "screen", "--user", "ana")
    return folder


def test_killed_book_screen_resumes_to_the_same_alerts(base: Path, tmp_path: Path) -> None:
    reference = _alerts(base / "screened.db")
    assert len(reference) > 500
    db = tmp_path / "book.db"
    shutil.copy(base / "unscreened.db", db)

    def some_alerts() -> bool:
        return bool(_query(db, "SELECT count(*) FROM alerts")[0][0])

    _kill_when(tmp_path, db, some_alerts, "book", "screen", "--user", "ana")
    assert _integrity(db) == "ok"
    partial = _alerts(db)
    assert 0 < len(partial) < len(reference)
    assert partial <= reference
    assert _query(db, "SELECT count(*) FROM audit_log WHERE action = 'book.screen'") == [(0,)]
    run_cli(_url(db), tmp_path, "book", "screen", "--user", "ana")
    assert _alerts(db) == reference


def test_killed_list_update_resumes_its_delta_rescreen(base: Path, data_dir: Path, tmp_path: Path) -> None:
    reference_db = tmp_path / "reference.db"
    shutil.copy(base / "screened.db", reference_db)
    run_cli(_url(reference_db), tmp_path / "ref", "lists", "import", data_dir / NEW, "--user", "ops")
    reference = _alerts(reference_db)
    db = tmp_path / "update.db"
    shutil.copy(base / "screened.db", db)
    before = _query(db, "SELECT max(id) FROM alerts")[0][0]

    def rescreening() -> bool:
        return bool(_query(db, f"SELECT count(*) FROM alerts WHERE id > {before}")[0][0])

    _kill_when(tmp_path, db, rescreening, "lists", "import", data_dir / NEW, "--user", "ops")
    assert _integrity(db) == "ok"
    # The new version is in and active; its re-screen job is still owed.
    assert _query(db, "SELECT list_key, state FROM rescreen_jobs ORDER BY id DESC LIMIT 1") == [
        ("us-ofac-sdn", "pending")
    ]
    assert _alerts(db) != reference
    done = run_cli(_url(db), tmp_path, "book", "rescreen", "--user", "ops")
    assert "us-ofac-sdn: book re-screened by delta" in done.stdout
    assert _alerts(db) == reference
    assert _query(db, "SELECT state FROM rescreen_jobs ORDER BY id DESC LIMIT 1") == [("done",)]
    again = run_cli(_url(db), tmp_path, "book", "rescreen", "--user", "ops")
    assert "no re-screen pending" in again.stdout
