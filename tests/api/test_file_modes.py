"""The SQLite database is private: created with mode 600 in a folder of mode 700 (with its WAL
files), and ``sanctionwatch serve`` refuses a database file or folder other users can write,
naming the file and the fix. Through the real console command."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.api.serverproc import Server, run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "deeper" / "store.db"
    run_cli(f"sqlite:///{db}", tmp_path, "keys", "create", "crm")
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700
    extras = [p for p in db.parent.iterdir() if p != db]  # WAL and shared-memory files, if left
    for extra in extras:
        assert mode(extra) == 0o600, extra


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    run_cli(f"sqlite:///{db}", tmp_path, "keys", "list")
    db.chmod(0o640)
    run_cli(f"sqlite:///{db}", tmp_path, "keys", "list")
    assert mode(db) == 0o640


def test_serve_refuses_a_database_others_can_write(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    db = folder / "store.db"
    url = f"sqlite:///{db}"
    run_cli(url, tmp_path, "keys", "list")
    for bad in (0o666, 0o620):
        db.chmod(bad)
        with Server(url, tmp_path, "--reload-interval", "0") as server:
            status = server.proc.wait(60)
        assert status == 2, server.stderr
        [line] = server.stderr.strip().splitlines()
        assert line == (
            f"error: {db}: the database file is writable by other users (mode {bad:03o}), so they "
            "could alter lists, decisions and the audit trail; refusing to start. "
            f"Fix it with: chmod 600 {db}"
        )
    db.chmod(0o600)
    folder.chmod(0o777)
    with Server(url, tmp_path, "--reload-interval", "0") as server:
        assert server.proc.wait(60) == 2
    assert f"Fix it with: chmod 700 {folder}" in server.stderr
    folder.chmod(0o700)
    with Server(url, tmp_path, "--reload-interval", "0") as server:
        assert server.wait_for("/healthz").status_code == 200
        assert server.stop() in (0, -15)
