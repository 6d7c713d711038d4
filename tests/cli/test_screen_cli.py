"""``sanctionwatch screen`` and ``sanctionwatch eval`` through the installed console command.

One SQLite database per module holds the UN list and the OFAC SDN file of 2024-05-03, imported by
the command itself; each test runs the command in a subprocess for the real exit status and output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from rich.console import Console
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.cli.render_hits import render_hits
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.screener import Screener
from tests.matching.conftest import parse_lists

INDEX_LINE = re.compile(r"index: 15,968 entities")  # 1,003 UN + 14,965 OFAC entries (data README)


def console_command() -> str:
    found = Path(sys.executable).parent / "sanctionwatch"
    if found.is_file():
        return str(found)
    on_path = shutil.which("sanctionwatch")
    assert on_path, "the sanctionwatch console command is not installed (pip install -e .)"
    return on_path


class Cli:
    """Runs ``sanctionwatch --db <one SQLite file> ...`` with a private data dir."""

    def __init__(self, folder: Path, name: str) -> None:
        self.db = f"sqlite:///{folder / name}"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("SANCTIONWATCH_", "FORCE_COLOR"))
        }
        self.env["SANCTIONWATCH_DATA_DIR"] = str(folder / "data")

    def __call__(self, *args: str | Path, columns: int | None = None) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if columns is not None:
            env["COLUMNS"] = str(columns)
        return subprocess.run(
            [console_command(), "--db", self.db, *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )

    def ok(self, *args: str | Path, columns: int | None = None) -> subprocess.CompletedProcess[str]:
        done = self(*args, columns=columns)
        assert done.returncode == 0, done.stderr
        return done

    def fails(self, *args: str | Path) -> str:
        """The one stderr line of a failing command (exit status 2, no traceback)."""
        done = self(*args)
        assert done.returncode == 2, (done.returncode, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
        return done.stderr.removeprefix("error: ").rstrip("\n")

    def raises(self, *args: str | Path) -> str:
        """The message of the error a command raises, run in this process (no start-up cost)."""
        unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("SANCTIONWATCH_")}
        env = {**unset, "SANCTIONWATCH_DATA_DIR": self.env["SANCTIONWATCH_DATA_DIR"]}
        result = CliRunner().invoke(app, ["--db", self.db, *map(str, args)], env=env)
        error = result.exception
        assert isinstance(error, SanctionwatchError), (result.output, error)
        assert error.exit_code == 2
        return str(error)


@pytest.fixture(scope="module")
def cli(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    run = Cli(tmp_path_factory.mktemp("screen-cli"), "lists.db")
    run.ok(
        "lists",
        "import",
        data_dir / "un" / "consolidated-2026-02-27.xml",
        data_dir / "ofac" / "sdn-2024-05-03",
    )
    return run


@pytest.fixture
def empty(tmp_path: Path) -> Cli:
    return Cli(tmp_path, "empty.db")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_table_whole(out: str, width: int) -> None:
    """Every row of the table has both borders: the console did not crop its right edge."""
    rows = [line for line in out.splitlines() if line.startswith(("┏", "┃", "┡", "│", "├", "└"))]
    assert rows, out
    assert all(len(line) <= width and line[-1] in "┓┃┩│┤┘" for line in rows), out


def test_screen_one_name_as_json(cli: Cli) -> None:
    done = cli.ok("screen", "Kim Jong-un", "--json")
    hits = orjson.loads(done.stdout)
    first = hits[0]
    assert (first["entity_id"], first["match"], first["matched_name"]) == (
        "us-ofac-sdn:20157",
        True,
        "KIM, Jong Un",
    )
    assert first["programs"] == ["DPRK3"] and first["explanation"]["query_name"] == "Kim Jong-un"
    assert all(not h["match"] for h in hits[1:])
    assert INDEX_LINE.search(done.stderr), done.stderr


def test_screen_table_shows_every_entity_id_whole_within_the_width(cli: Cli) -> None:
    done = cli.ok("screen", "Korea Mining Development Trading Corporation", "--country", "kp", columns=80)
    out = done.stdout
    # KOMID is listed by both authorities (data README: un-sc:KPe.001, us-ofac-sdn:9345).
    assert re.search(r"│ un-sc:KPe\.001 +│", out), out
    assert re.search(r"│ us-ofac-sdn:9345 +│", out), out
    assert "ALERT" in out and "KOREA MINING" in out
    assert_table_whole(out, 80)


def test_render_hits_keeps_ids_whole_on_a_narrow_terminal(data_dir: Path) -> None:
    screener = Screener(parse_lists(data_dir, ("un/consolidated-2026-02-27.xml",)))
    query = Query.build("Korea Kwangson Banking Corp")
    hits = screener.screen(query, limit=3)
    assert hits[0].entity_id == "un-sc:KPe.025"  # data README
    console = Console(width=60, record=True, highlight=False)
    render_hits(console, query, hits)
    text = console.export_text()
    assert_table_whole(text, 60)
    for h in hits:
        assert h.entity_id in text


def test_screen_lists_restricts_the_hits(cli: Cli) -> None:
    hits = orjson.loads(cli.ok("screen", "KOMID", "--lists", "un-sc", "--json").stdout)
    assert hits and all(h["entity_id"].startswith("un-sc:") for h in hits)
    assert hits[0]["entity_id"] == "un-sc:KPe.001"


def test_screen_file_writes_one_line_per_query_and_reports_the_rate(cli: Cli, tmp_path: Path) -> None:
    queries = write(
        tmp_path / "q.csv",
        "id,name,schema,birth_date,nationality,branch\n"
        "c-1,Kim Jong Un,Person,1984-01-08,KP,Seoul\n"
        "c-2,Maria Hoffmann,Person,1971-05-02,DE,Berlin\n"
        "c-3,Tanchon Commercial Bank,Organization,,,Busan\n",
    )
    out = tmp_path / "hits.jsonl"
    done = cli.ok("screen", "--file", queries, "--output", out, "--limit", "3")
    lines = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert [o["query_id"] for o in lines] == ["c-1", "c-2", "c-3"]
    assert [o["extra"] for o in lines] == [{"branch": "Seoul"}, {"branch": "Berlin"}, {"branch": "Busan"}]
    assert lines[0]["hits"][0]["entity_id"] == "us-ofac-sdn:20157" and lines[0]["hits"][0]["match"]
    assert not any(h["match"] for h in lines[1]["hits"])
    assert {"us-ofac-sdn:9346", "un-sc:KPe.003"} <= {h["entity_id"] for h in lines[2]["hits"] if h["match"]}
    assert all(len(o["hits"]) <= 3 for o in lines)
    assert re.search(r"screened 3 queries in \d+\.\ds \([\d,]+/s\)", done.stderr), done.stderr
    assert done.stdout == ""
    to_stdout = cli.ok("screen", "--file", queries, "--limit", "3", "--lists", "un-sc")
    assert [orjson.loads(x)["query_id"] for x in to_stdout.stdout.splitlines()] == ["c-1", "c-2", "c-3"]


def test_strict_stops_at_the_first_bad_row_with_one_error_line(cli: Cli, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.csv", "id,name,birth_date\n1,Kim Jong Un,1984-01-08\n2,Kim Jong Un,1984-13-01\n"
    )
    out = tmp_path / "hits.jsonl"
    message = cli.fails("screen", "--file", bad, "--strict", "--output", out)
    assert message == f"{bad}:3: birth_date: '1984-13-01' is not a real date"
    assert not out.exists()  # nothing screened
    no_name = write(tmp_path / "cols.csv", "id,fullname\n1,Kim Jong Un\n")
    assert cli.fails("screen", "--file", no_name).startswith(f"{no_name}: missing column 'name'")
    not_utf8 = tmp_path / "latin1.csv"
    not_utf8.write_bytes(b"id,name\n1,M" + "üller\n".encode("latin-1"))
    assert cli.fails("screen", "--file", not_utf8).startswith(f"{not_utf8}:2: not UTF-8 text")


def test_bad_rows_get_error_records_the_others_are_screened_and_the_status_is_9(
    cli: Cli, tmp_path: Path
) -> None:
    queries = write(
        tmp_path / "q.csv",
        "id,name,birth_date,nationality,branch\n"
        "c-1,Kim Jong Un,1984/01/08,KP,Seoul\n"
        "c-2,Kim Jong Un,1984-13-45,KP,Busan\n"
        "c-3,Maria Hoffmann,19710502,DE,Berlin\n"
        "c-4,Kim Jong Un,08/01/1984,KP,Ulsan\n",
    )
    out = tmp_path / "hits.jsonl"
    done = cli("screen", "--file", queries, "--output", out, "--limit", "3")
    assert done.returncode == 9, done.stderr
    assert "Traceback" not in done.stderr
    lines = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert [o["query_id"] for o in lines] == ["c-1", "c-2", "c-3", "c-4"]
    assert lines[0]["hits"][0]["entity_id"] == "us-ofac-sdn:20157" and lines[0]["hits"][0]["match"]
    assert lines[1] == {
        "query_id": "c-2",
        "line": 3,
        "error": "birth_date: '1984-13-45' is not a real date",
        "extra": {"branch": "Busan"},
    }
    assert "hits" in lines[2] and "error" not in lines[2]
    assert lines[3]["line"] == 5 and "--date-order" in lines[3]["error"] and "hits" not in lines[3]
    err = done.stderr.splitlines()
    assert re.fullmatch(r"screened 2 queries in \d+\.\ds \([\d,]+/s\); 2 rows failed", err[-4]), err
    assert err[-3] == f"{queries}:3: birth_date: '1984-13-45' is not a real date"
    assert err[-2].startswith(f"{queries}:5: birth_date: '08/01/1984' may be day/month/year")
    assert err[-1].startswith(f"error: {queries}: 2 of 4 rows failed"), err[-1]
    # With the order given, the day-first date is read: one row fails, and the fourth alerts.
    again = cli("screen", "--file", queries, "--output", out, "--date-order", "dmy")
    assert again.returncode == 9 and "1 of 4 rows failed" in again.stderr
    fourth = orjson.loads(out.read_bytes().splitlines()[3])
    assert fourth["hits"][0]["match"] and fourth["hits"][0]["entity_id"] == "us-ofac-sdn:20157"
    good = write(tmp_path / "good.csv", "id,name,birth_date\n1,Kim Jong Un,1984-1-8\n")
    assert cli("screen", "--file", good).returncode == 0


def test_screen_option_errors_are_clear(cli: Cli, tmp_path: Path) -> None:
    queries = write(tmp_path / "q.csv", "id,name\n1,Kim Jong Un\n")
    assert "--output" in cli.raises("screen", "--file", queries, "--output", tmp_path)
    assert "--output" in cli.raises("screen", "--file", queries, "--output", tmp_path / "no" / "h.jsonl")
    assert "NAME" in cli.raises("screen")
    assert "--output needs --file" in cli.raises("screen", "Kim Jong Un", "--output", tmp_path / "h.jsonl")
    assert (
        cli.raises("screen", "Kim Jong Un", "--dob", "1984-02-30")
        == "birth_date: '1984-02-30' is not a real date"
    )
    assert cli.raises("screen", "Kim Jong Un", "--country", "Narnia").startswith(
        "country: unknown country 'Narnia'"
    )
    assert "--date-order" in cli.raises("screen", "Kim Jong Un", "--dob", "08/01/1984")
    assert (
        cli.raises("screen", "Kim Jong Un", "--date-order", "ymd") == "--date-order: 'ymd' is not dmy or mdy"
    )
    assert "--strict needs --file" in cli.raises("screen", "Kim Jong Un", "--strict")


def test_a_birth_date_as_people_write_it_is_read(cli: Cli) -> None:
    iso = orjson.loads(cli.ok("screen", "Kim Jong Un", "--dob", "1984-01-08", "--json").stdout)
    for written in (["--dob", "1984/1/8"], ["--dob", "08/01/1984", "--date-order", "dmy"]):
        hits = orjson.loads(cli.ok("screen", "Kim Jong Un", *written, "--json").stdout)
        assert hits == iso


def test_unknown_list_is_a_clear_error(cli: Cli) -> None:
    message = cli.fails("screen", "Kim Jong Un", "--lists", "x")
    assert message == "--lists: no active list 'x'; active: un-sc, us-ofac-sdn"


def test_screen_without_lists_says_to_import_first(empty: Cli) -> None:
    message = empty.fails("screen", "Kim Jong Un")
    assert "no list imported yet" in message and "sanctionwatch lists import" in message


def score_py(eval_dir: Path, hits: Path, *args: str) -> str:
    files = [str(eval_dir / "dev" / "korean-forms.csv")]
    done = subprocess.run(
        [sys.executable, str(eval_dir / "score.py"), *files, "--hits", str(hits), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def test_eval_reports_per_group_figures_like_score_py(cli: Cli, eval_dir: Path, tmp_path: Path) -> None:
    hits = tmp_path / "hits.jsonl"
    done = cli.ok("eval", eval_dir / "dev" / "korean-forms.csv", "--json", "--hits-out", hits)
    figures: dict[str, dict[str, Any]] = orjson.loads(done.stdout)
    # Group sizes: `cut -d, -f7 korean-forms.csv | sort | uniq -c`.
    assert {g: f["n"] for g, f in figures.items()} == {
        "korean-hangul": 6,
        "korean-hanja": 4,
        "korean-negative": 8,
        "korean-rr": 6,
    }
    assert figures["korean-hangul"]["alerted_recall"] == 1.0
    assert (
        "false_alert_rate" in figures["korean-negative"] and "recall_at_1" not in figures["korean-negative"]
    )
    assert figures == orjson.loads(score_py(eval_dir, hits, "--json"))


def test_eval_text_output_equals_score_py_and_lists_restrict(
    cli: Cli, eval_dir: Path, tmp_path: Path
) -> None:
    hits = tmp_path / "un-hits.jsonl"
    done = cli.ok("eval", eval_dir / "dev" / "korean-forms.csv", "--lists", "un-sc", "--hits-out", hits)
    assert done.stdout == score_py(eval_dir, hits)
    lines = [orjson.loads(x) for x in hits.read_bytes().splitlines()]
    assert len(lines) == 24
    assert all(h["entity_id"].startswith("un-sc:") for o in lines for h in o["hits"])
    assert any(o["hits"] for o in lines)


def test_eval_input_errors(cli: Cli, eval_dir: Path, tmp_path: Path) -> None:
    korean = eval_dir / "dev" / "korean-forms.csv"
    unlabelled = write(tmp_path / "plain.csv", "id,name\n1,Kim Jong Un\n")
    assert "'expected'" in cli.raises("eval", unlabelled)
    assert "krdev-hangul-0" in cli.raises("eval", korean, korean)
    assert "--hits-out" in cli.raises("eval", korean, "--hits-out", tmp_path / "no" / "h.jsonl")
    assert "--lists" in cli.raises("eval", korean, "--lists", "x")
