"""``sanctionwatch payments screen`` through the installed console command, over a real list store."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.test_screen_cli import Cli
from tests.messages.templates import CLEAN_MT, CLEAN_PACS, MT103, PACS008, write


@pytest.fixture(scope="module")
def cli(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    run = Cli(tmp_path_factory.mktemp("payments-cli"), "lists.db")
    run.ok(
        "lists",
        "import",
        data_dir / "un" / "consolidated-2026-02-27.xml",
        data_dir / "ofac" / "sdn-2024-05-03",
    )
    return run


def _lines(text: str) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]


def test_folder_of_messages_held_passed_and_one_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "1-clean.xml", PACS008, CLEAN_PACS)
    write(folder, "2-ftb.xml", PACS008, CLEAN_PACS, cdtr_bic="FTBDKPPYXXX")
    good = MT103.format(**CLEAN_MT)
    bad = "{1:F01DEUTDEFFAXXX0000000000}{2:I950CHASUS33XXXXN}{4:\n:20:X\n-}"
    (folder / "3-batch.rje").write_text(f"{good}\n$\n{bad}\n$\n{good}", encoding="utf-8")
    out = tmp_path / "verdicts.jsonl"
    done = cli("payments", "screen", folder, "--output", out)
    assert done.returncode == 9, done.stderr
    assert "Traceback" not in done.stderr
    records = _lines(out.read_text())
    assert [(Path(str(r["file"])).name, r["index"], r["verdict"]) for r in records] == [
        ("1-clean.xml", 1, "pass"),
        ("2-ftb.xml", 1, "hold"),
        ("3-batch.rje", 1, "pass"),
        ("3-batch.rje", 2, "error"),
        ("3-batch.rje", 3, "pass"),
    ]
    held = records[1]
    assert held["message_type"] == "pacs.008.001.08" and held["message_id"] == "CLEAN-1"
    reasons = held["reasons"]
    assert isinstance(reasons, list)
    assert "us-ofac-sdn:15603" in {r["entity_id"] for r in reasons if r["kind"] == "bic"}
    assert {"kind", "role", "field", "value", "span", "entity_id", "score"} <= set(reasons[0])
    err = records[3]
    assert "MT950" in str(err["error"]) and "message 2" in str(err["error"])
    assert "1 of 5 messages failed" in done.stderr


def test_all_public_samples_pass_on_stdout(cli: Cli, samples: Path) -> None:
    done = cli.ok("payments", "screen", samples, "--format", "auto")
    records = _lines(done.stdout)
    assert len(records) >= 24
    assert {r["verdict"] for r in records} == {"pass"}


def test_mt_forced_on_xml_is_an_error_record_and_bad_options_fail(
    cli: Cli, samples: Path, tmp_path: Path
) -> None:
    done = cli(
        "payments", "screen", samples / "iso-13_pain.001.001.03_international_usd.xml", "--format", "mt"
    )
    assert done.returncode == 9
    (rec,) = _lines(done.stdout)
    assert rec["verdict"] == "error"
    assert cli.fails("payments", "screen", samples, "--format", "swift").startswith("--format: 'swift'")
    assert "unknown" in cli.fails("payments", "screen", samples, "--jurisdictions", "atlantis")
    assert "no such file" in cli.fails("payments", "screen", tmp_path / "missing.xml")
