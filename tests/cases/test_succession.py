"""``lists retire uk-ofsi --successor uk-sl``: alerts and false-positive decisions move, nothing is delisted.

The real 2018 OFSI list opens alerts for planted DPRK names; the same rows carried into the UK
Sanctions List layout (``tests/sources/uk/uksl_convert.py``) are the successor, each designation
naming its OFSI Group ID.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.errors import ImportRefused, SanctionwatchError
from tests.sources.uk.uksl_convert import convert_ofsi_2018

runner = CliRunner()
BOOK = """id,name,schema,birth_date,country,identifiers,segment
C1,Korea Mining Development Trading Corporation,Organization,,KP,,corporate
C2,Tanchon Commercial Bank,Organization,,KP,,corporate
C3,Daedong Credit Bank,Organization,,KP,,corporate
C4,Jane Smith,Person,1975-03-02,GB,,retail
"""


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.db = f"sqlite:///{tmp_path / 'cases.db'}"
        self.env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DATABASE_URL": None}

    def __call__(self, *args: str, stdin: str | None = None) -> Any:
        result = runner.invoke(app, ["--db", self.db, *args], input=stdin, env=self.env)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def fails(self, *args: str) -> SanctionwatchError:
        result = runner.invoke(app, ["--db", self.db, *args], env=self.env)
        assert isinstance(result.exception, SanctionwatchError), (result.output, result.exception)
        return result.exception

    def json(self, *args: str) -> Any:
        return orjson.loads(self(*args, "--json").stdout)


@pytest.fixture
def screened(tmp_path: Path, data_dir: Path) -> tuple[Cli, dict[str, dict[str, Any]]]:
    """OFSI imported, the book screened against it: the first alert of each customer."""
    cli = Cli(tmp_path)
    cli("lists", "import", str(data_dir / "uk" / "conlist-2018-04-13.csv"), "--user", "loader")
    book = tmp_path / "book.csv"
    book.write_text(BOOK, encoding="utf-8")
    cli("book", "import", str(book), "--user", "alice")
    report = cli.json("book", "screen", "--engine", "local", "--user", "alice")
    assert report["opened"] >= 3
    first: dict[str, dict[str, Any]] = {}
    for alert in cli.json("alerts", "list"):
        assert alert["entity_id"].startswith("uk-ofsi:")
        first.setdefault(alert["customer_id"], alert)
    assert {"C1", "C2", "C3"} <= set(first) and "C4" not in first
    return cli, first


def _successor_without(tmp_path: Path, data_dir: Path, group: str) -> Path:
    """The UKSL file of the 2018 rows, without the designation of OFSI group ``group``."""
    full = tmp_path / "full.csv"
    convert_ofsi_2018(data_dir / "uk" / "conlist-2018-04-13.csv", full)
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[1]]))
    column = header.index("OFSI Group ID")
    kept = [line for line in lines[2:] if next(csv.reader([line]))[column] != group]
    assert len(kept) < len(lines) - 2
    out = tmp_path / "UK-Sanctions-List.csv"
    out.write_text("".join(lines[:2] + kept), encoding="utf-8")
    return out


def test_retire_moves_alerts_and_decisions_to_the_successor(
    screened: tuple[Cli, dict[str, dict[str, Any]]], tmp_path: Path, data_dir: Path
) -> None:
    cli, first = screened
    c1, c2, c3 = first["C1"], first["C2"], first["C3"]
    bob = "bob-reviews-alerts-3\n"  # decisions are taken by a user proving their password
    cli("users", "add", "bob", "--role", "analyst", "--password-stdin", "--user", "admin", stdin=bob)
    cli(
        "alerts",
        "decide",
        str(c3["id"]),
        "--action",
        "false-positive",
        "--reason",
        "other bank",
        "--user",
        "bob",
        "--password-stdin",
        stdin=bob,
    )
    stranded_group = c2["entity_id"].split(":", 1)[1]
    successor = _successor_without(tmp_path, data_dir, stranded_group)
    cli("lists", "import", str(successor), "--no-rescreen", "--user", "loader")

    # C2's entity has no successor designation: refused, nothing changed.
    refused = cli.fails("lists", "retire", "uk-ofsi", "--user", "carol")
    assert isinstance(refused, ImportRefused)
    assert f"alert {c2['id']} on {c2['entity_id']}" in str(refused)
    assert {a["id"]: a["entity_id"] for a in cli.json("alerts", "list")}[c1["id"]] == c1["entity_id"]

    done = cli.json("lists", "retire", "uk-ofsi", "--force", "--user", "carol")
    assert done["successor"] == "uk-sl" and done["deactivated"] is True
    moved = {m["alert_id"]: m for m in done["moved"]}
    expected_c1 = "uk-sl:UK" + c1["entity_id"].split(":", 1)[1]
    assert moved[c1["id"]]["to"] == expected_c1 and moved[c1["id"]]["state"] == "open"
    assert moved[c3["id"]]["state"] == "closed_false_positive"
    assert [a["alert_id"] for a in done["no_successor"]] == [
        a["id"]
        for a in cli.json("alerts", "list")
        if a["entity_id"] == c2["entity_id"] and a["state"] == "open"
    ]
    assert done["conflicts"] == []

    alerts = {a["id"]: a for a in cli.json("alerts", "list")}
    assert alerts[c1["id"]]["entity_id"] == expected_c1 and alerts[c1["id"]]["state"] == "open"
    assert alerts[c3["id"]]["state"] == "closed_false_positive"
    history = cli.json("alerts", "show", str(c1["id"]))["history"]
    assert (
        history[-1]["reason"]
        == f"succession: {c1['entity_id']} -> {expected_c1} (uk-ofsi retired, successor uk-sl)"
    )
    trail = tmp_path / "audit.csv"
    cli("audit", "export", "--csv", str(trail))
    with trail.open(encoding="utf-8", newline="") as f:
        actions = [row["action"] for row in csv.DictReader(f)]
    assert "list.retire" in actions and actions.count("alert.moved") == len(done["moved"])

    # uk-ofsi is no longer screened; the moved alerts stand and the decision keeps suppressing.
    status = {v["list_key"] for v in cli.json("lists", "status")}
    assert "uk-ofsi" not in status and "uk-sl" in status
    again = cli.json("book", "screen", "--engine", "local", "--user", "alice")
    assert again["suppressed"] >= 1
    after = cli.json("alerts", "list")
    assert not [a for a in after if a["entity_id"] == expected_c1 and a["id"] != c1["id"]]
    assert not [a for a in after if a["customer_id"] == "C3" and a["state"] == "open"]
