"""``sanctionwatch compare`` (one pair, a file of pairs) and ``sanctionwatch eval`` on labelled pair files.

One SQLite database per module holds the UN list (for the token rarities), imported by the command
itself. Expected figures are counted by hand on pairs whose outcome does not depend on the
scorer's tuning: identical names match, unrelated names do not.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.test_screen_cli import Cli, write

UN_FILE = "un/consolidated-2026-02-27.xml"

# Hand counts: TP lines 2, 3, 7; FN line 4; FP line 5; TN line 6.
LABELLED = (
    "schema,name1,name2,is_match,group,category\n"
    "Person,Kim Jong Un,Kim Jong Un,true,g1,exact\n"
    "Person,Vladimir Putin,Vladimir Putin,true,g1,exact\n"
    "Person,Angela Merkel,Tanchon Commercial Bank,true,g1,\n"
    "Person,Maria Hoffmann,Maria Hoffmann,false,g2,exact\n"
    "Person,Olaf Scholz,Korea Mining Development Trading Corporation,false,g2,\n"
    "Company,Siemens AG,Siemens AG,true,g2,exact\n"
)


@pytest.fixture(scope="module")
def cli(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    run = Cli(tmp_path_factory.mktemp("compare-cli"), "un.db")
    run.ok("lists", "import", data_dir / UN_FILE)
    return run


def test_one_pair_as_json_and_as_text(cli: Cli) -> None:
    same = orjson.loads(cli.ok("compare", "Kim Jong Un", "KIM, Jong Un", "--json").stdout)
    assert (same["name1"], same["name2"], same["schema"], same["match"]) == (
        "Kim Jong Un",
        "KIM, Jong Un",
        "Person",
        True,
    )
    assert same["score"] == 1.0 and same["explanation"]["unmatched_listed"] == []
    assert {p["query"] for p in same["explanation"]["parts"]} == {"kim", "jong", "un"}
    other = orjson.loads(
        cli.ok(
            "compare", "Korea Mining Development", "Maria Hoffmann", "--schema", "company", "--json"
        ).stdout
    )
    assert other["match"] is False and other["schema"] == "Organization"
    text = cli.ok("compare", "Kim Jong Un", "KIM, Jong Un").stdout
    assert text.startswith("'Kim Jong Un' ~ 'KIM, Jong Un' (Person): score 1.00, MATCH (threshold 0.80)")
    lower = cli.ok("compare", "Kim Jong Un", "Tanchon Commercial Bank", "--threshold", "0.5").stdout
    assert "no match (threshold 0.50)" in lower


def test_one_pair_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "two names" in cli.fails("compare", "Kim Jong Un")
    assert cli.fails("compare", "Kim Jong Un", " ") == "name2: must not be empty"
    assert "unknown schema 'Planet'" in cli.fails("compare", "A", "B", "--schema", "Planet")
    assert "--output and --strict need --file" in cli.fails("compare", "A", "B", "--strict")


def test_a_pair_file_gives_one_record_per_row_and_status_9_for_bad_rows(cli: Cli, tmp_path: Path) -> None:
    pairs = write(
        tmp_path / "pairs.csv",
        "name1,name2,schema\n"
        "Kim Jong Un,Kim Jong Un,\n"
        ",Nobody,Person\n"
        "Siemens AG,Tanchon Commercial Bank,Company\n",
    )
    out = tmp_path / "scores.jsonl"
    done = cli("compare", "--file", pairs, "--output", out)
    assert done.returncode == 9, done.stderr
    records = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert [r["line"] for r in records] == [2, 3, 4]
    assert (records[0]["match"], records[0]["score"], records[0]["schema"]) == (True, 1.0, "Person")
    assert records[0]["explanation"]["query_name"] == "Kim Jong Un"
    assert records[1] == {"line": 3, "name1": "", "name2": "Nobody", "error": "name1: must not be empty"}
    assert records[2]["match"] is False and records[2]["schema"] == "Organization"
    assert f"{pairs}:3: name1: must not be empty" in done.stderr
    assert f"error: {pairs}: 1 of 3 rows failed" in done.stderr and "Traceback" not in done.stderr
    assert cli.fails("compare", "--file", pairs, "--strict") == f"{pairs}:3: name1: must not be empty"
    to_stdout = cli("compare", "--file", pairs)
    assert [orjson.loads(x)["line"] for x in to_stdout.stdout.splitlines()] == [2, 3, 4]
    assert cli.fails("compare", "--file", write(tmp_path / "q.csv", "id,name\n1,A\n")).endswith(
        "missing column 'name1' (header has id, name)"
    )


def test_compare_needs_a_list_for_the_rarities(tmp_path: Path) -> None:
    message = Cli(tmp_path, "empty.db").fails("compare", "A", "B")
    assert "no list imported yet" in message


def test_eval_gives_pair_figures_counted_by_hand_beside_query_figures(
    cli: Cli, eval_dir: Path, tmp_path: Path
) -> None:
    pairs = write(tmp_path / "pairs.csv", LABELLED)
    korean = eval_dir / "dev" / "korean-forms.csv"
    figures = orjson.loads(cli.ok("eval", korean, pairs, "--json").stdout)
    assert figures["korean-hangul"]["n"] == 6  # the query figures are still there
    assert figures["pairs"]["overall"]["all"] == {
        "n": 6, "tp": 3, "fp": 1, "fn": 1, "tn": 1, "precision": 0.75, "recall": 0.75, "f1": 0.75
    }  # fmt: skip
    assert figures["pairs"]["group"]["g1"]["tp"] == 2 and figures["pairs"]["group"]["g1"]["fn"] == 1
    assert figures["pairs"]["group"]["g2"]["precision"] == 0.5
    assert figures["pairs"]["category"]["exact"]["recall"] == 1.0
    assert "precision" not in figures["pairs"]["category"]["(none)"]
    text = cli.ok("eval", pairs).stdout.splitlines()
    assert text[0].split() == [
        "pairs", "n=6", "tp=3", "fp=1", "fn=1", "tn=1", "precision=0.750", "recall=0.750", "f1=0.750"
    ]  # fmt: skip
    assert text[1].split()[:2] == ["pairs", "group=g1"] and "f1=0.800" in text[1]
    assert text[2].split()[:2] == ["pairs", "group=g2"] and "f1=0.667" in text[2]
    assert [line.split()[1] for line in text[3:]] == ["category=(none)", "category=exact"]
    assert "f1=0.857" in text[4]
    with_misses = cli.ok("eval", pairs, "--misses").stdout.splitlines()
    assert with_misses[2] == '"  misses:" "Angela Merkel~Tanchon Commercial Bank"'  # CSV, space-separated
    assert with_misses[4] == '"  misses:" "Maria Hoffmann~Maria Hoffmann"'


def test_eval_refuses_a_bad_labelled_pair_row(cli: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", "name1,name2,is_match\nKim Jong Un,Kim Jong Un,maybe\n")
    assert cli.fails("eval", bad) == f"{bad}:2: is_match: 'maybe' is not true or false"
    assert "--hits-out needs a labelled query file" in cli.fails(
        "eval", write(tmp_path / "p.csv", LABELLED), "--hits-out", tmp_path / "h.jsonl"
    )
