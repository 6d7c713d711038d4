"""``sanctionwatch lists ...`` and ``sanctionwatch show``: through typer's CliRunner, and through the
installed console command in a subprocess for the real exit status and the one-line error."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.errors import DownloadError, EntityNotFound, ListFileError
from tests.store.listfiles import copy_set, un_truncated, un_with_date

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def un_file(data_dir: Path) -> Path:
    return data_dir / "un" / "consolidated-2026-02-27.xml"


class Cli:
    """Runs the app on one SQLite database with a private data dir."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = f"sqlite:///{tmp_path / 'cli.db'}"
        self.env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_LISTS_DIR": None}

    def __call__(self, *args: str | Path, ok: bool = True) -> Any:
        result = runner.invoke(app, ["--db", self.db, *map(str, args)], env=self.env)
        if ok:
            assert result.exit_code == 0, (result.output, result.exception)
        return result

    def json(self, *args: str | Path) -> Any:
        return orjson.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_import_prints_what_was_imported(cli: Cli, un_file: Path, data_dir: Path) -> None:
    out = cli("lists", "import", un_file, data_dir / "ofac" / "sdn-2024-05-03").stdout
    assert "un-sc version 1 (published 2026-02-27): imported and activated" in out
    assert "1,003 entities: 273 Organization, 730 Person" in out
    assert "us-ofac-sdn version 2: imported and activated" in out
    assert "14,965 entities: 376 Aircraft, 6,884 Organization, 6,854 Person, 851 Vessel" in out
    assert re.search(r"took \d+\.\d\d s", out)
    again = cli("lists", "import", un_file).stdout
    assert "un-sc: unchanged" in again and "already imported as version 1" in again


def test_import_older_file_says_it_is_not_activated(cli: Cli, un_file: Path, tmp_path: Path) -> None:
    cli("lists", "import", un_file)
    out = cli("lists", "import", un_with_date(un_file, tmp_path / "old", "2025-01-31")).stdout
    assert "stored but NOT activated" in out


def test_status_table_and_json(cli: Cli, un_file: Path, data_dir: Path, tmp_path: Path) -> None:
    assert "no list imported yet" in cli("lists", "status").stdout
    cli("lists", "import", un_file)
    only_sdn = copy_set(data_dir / "ofac" / "sdn-2022-01-31", tmp_path / "sdn2022", ("sdn.csv",))
    cli("lists", "import", "--lenient", only_sdn)
    [un, ofac] = cli.json("lists", "status")
    assert (un["list_key"], un["entity_count"], un["published"]) == ("un-sc", 1003, "2026-02-27")
    assert un["schema_counts"] == {"Organization": 273, "Person": 730}
    assert (ofac["list_key"], ofac["entity_count"], ofac["skipped_count"]) == ("us-ofac-sdn", 9043, 1)
    table = cli("lists", "status").stdout
    for text in ("un-sc", "us-ofac-sdn", "2026-02-27", "1,003", "730 Person", "9,043", un["checksum"][:10]):
        assert text in table
    assert re.search(r"9,043 +1 ", table)  # the skipped count beside the entity count


def test_diff_shows_added_removed_changed(cli: Cli, un_file: Path, tmp_path: Path) -> None:
    older = un_with_date(un_file, tmp_path / "old", "2025-01-31")
    text = older.read_text(encoding="utf-8")
    start = text.index("<INDIVIDUAL>")
    end = text.index("</INDIVIDUAL>", start) + len("</INDIVIDUAL>")
    assert "<REFERENCE_NUMBER>" in text[start:end]
    ref = re.search(r"<REFERENCE_NUMBER>(.*?)</REFERENCE_NUMBER>", text[start:end])
    assert ref is not None
    older.write_text(text[:start] + text[end:], encoding="utf-8")  # the old file lacks one individual
    cli("lists", "import", older)
    cli("lists", "import", un_file)
    diff = cli.json("lists", "diff", "un-sc")
    assert [a["id"] for a in diff["added"]] == [f"un-sc:{ref.group(1)}"]
    assert diff["removed"] == [] and diff["changed"] == []
    assert diff["unchanged_count"] == 1002
    out = cli("lists", "diff", "un-sc", "--from", "2", "--to", "1").stdout
    assert "0 added, 1 removed, 0 changed, 1,002 unchanged" in out


def test_show_prints_every_field(cli: Cli, un_file: Path) -> None:
    cli("lists", "import", un_file)
    out = cli("show", "un-sc:KPe.001").stdout
    for text in ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "KOMID", "2009-04-24", "Pyongyang"):
        assert text in out
    data = cli.json("show", "un-sc:KPe.001")
    assert data["id"] == "un-sc:KPe.001" and data["listed_on"] == "2009-04-24"
    assert data["list_version"]["id"] == 1 and data["list_version"]["published"] == "2026-02-27"
    missing = cli("show", "un-sc:KPe.999", ok=False)
    assert isinstance(missing.exception, EntityNotFound)


def test_errors_reach_the_caller_as_sanctionwatch_errors(cli: Cli, un_file: Path, tmp_path: Path) -> None:
    cli("lists", "import", un_file)
    broken = un_truncated(un_file, tmp_path / "cut", "2026-12-31")
    result = cli("lists", "import", broken, ok=False)
    assert isinstance(result.exception, ListFileError) and result.exception.path == str(broken)
    assert cli.json("lists", "status")[0]["id"] == 1


def test_update_from_folder_and_offline(cli: Cli, un_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    shutil.copy(un_file, folder / "consolidated.xml")
    out = cli("lists", "update", "--from", folder).stdout
    assert f"files from {folder}" in out and "un-sc version 1" in out
    urls = tmp_path / "urls.json"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    urls.write_text(f'{{"un-sc": {{"consolidated.xml": "http://127.0.0.1:{port}/c.xml"}}}}')
    cli.env["SANCTIONWATCH_DOWNLOAD_RETRIES"] = "1"
    result = cli("lists", "update", "--urls", urls, ok=False)
    assert isinstance(result.exception, DownloadError)
    assert f"http://127.0.0.1:{port}/c.xml" in str(result.exception)


def _console_command() -> str:
    found = Path(sys.executable).parent / "sanctionwatch"
    if found.is_file():
        return str(found)
    on_path = shutil.which("sanctionwatch")
    assert on_path, "the sanctionwatch console command is not installed (pip install -e .)"
    return on_path


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANCTIONWATCH_", "FORCE_COLOR"))}
    env.update({"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DOWNLOAD_RETRIES": "1"})
    return subprocess.run(
        [_console_command(), "--db", f"sqlite:///{tmp_path / 'sub.db'}", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_console_command_exit_status_and_one_line_errors(un_file: Path, tmp_path: Path) -> None:
    ok = _run(tmp_path, "lists", "import", str(un_file))
    assert ok.returncode == 0, ok.stderr
    assert "imported and activated" in ok.stdout
    broken = un_truncated(un_file, tmp_path / "cut", "2026-12-31")
    failed = _run(tmp_path, "lists", "import", str(broken))
    assert failed.returncode == ListFileError.exit_code == 3
    assert re.fullmatch(rf"error: {re.escape(str(broken))}:[^\n]+: [^\n]+\n", failed.stderr), failed.stderr
    missing = _run(tmp_path, "lists", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 3
    assert missing.stderr == f"error: {tmp_path / 'nope.csv'}: no such file or folder\n"
    status = _run(tmp_path, "lists", "status", "--json")
    assert [v["entity_count"] for v in orjson.loads(status.stdout)] == [1003]


def test_every_lists_command_and_option_is_documented() -> None:
    docs = (REPO / "docs" / "lists.md").read_text(encoding="utf-8")
    root: Any = typer.main.get_command(app)
    lists = root.commands["lists"]
    commands = {f"lists {name}": cmd for name, cmd in lists.commands.items()}
    commands["show"] = root.commands["show"]
    assert set(commands) >= {"lists import", "lists status", "lists diff", "lists update", "show"}
    for name, command in commands.items():
        assert f"sanctionwatch {name}" in docs, f"{name} is not in docs/lists.md"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in docs, f"{name} {opt} is not in docs/lists.md"
    for setting in ("SANCTIONWATCH_DATABASE_URL", "SANCTIONWATCH_LISTS_DIR", "SANCTIONWATCH_DATA_DIR",
                    "SANCTIONWATCH_MAX_DROP_RATIO", "SANCTIONWATCH_DOWNLOAD_RETRIES",
                    "SANCTIONWATCH_DOWNLOAD_TIMEOUT"):  # fmt: skip
        assert setting in docs, f"{setting} is not in docs/lists.md"
