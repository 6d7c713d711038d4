"""``lists sources`` and the frozen-list guard: retired or too old active lists are stale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
from typer.testing import CliRunner

from sanctionwatch.cli import app
from sanctionwatch.cli.sources import stale_fields, stale_lines
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore

UKSL = Path(__file__).resolve().parents[1] / "sources" / "fixtures" / "uk-sl-excerpt.csv"
runner = CliRunner()


def test_sources_json_describes_every_source() -> None:
    result = runner.invoke(app, ["lists", "sources", "--json"])
    assert result.exit_code == 0, result.output
    by_key = {s["key"]: s for s in orjson.loads(result.stdout)}
    assert {"us-ofac-sdn", "us-ofac-cons", "un-sc", "uk-sl", "uk-ofsi", "eu-fsf", "us-csl", "ftm"} == set(
        by_key
    )
    ofsi = by_key["uk-ofsi"]
    assert (ofsi["retired_since"], ofsi["successor"], ofsi["downloads"]) == ("2026-01-28", "uk-sl", [])
    uksl = by_key["uk-sl"]
    assert uksl["publisher"] == "UK Foreign, Commonwealth & Development Office (FCDO)"
    assert uksl["downloads"] == ["https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"]
    assert uksl["formats"] == ["uk-sl", "uk-sl-xml"] and uksl["max_age_days"] == 7
    assert by_key["un-sc"]["downloads"] == ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"]


def test_sources_table_names_the_retirement() -> None:
    out = runner.invoke(app, ["lists", "sources"]).stdout
    assert "since 2026-01-28" in out and "successor uk-sl" in out
    assert "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv" in out


def test_retired_and_old_lists_are_stale(tmp_path: Path, data_dir: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path / "data")
    with ListStore.open(settings) as store:
        store.import_paths([data_dir / "uk" / "conlist-2018-04-13.csv", UKSL], rescreen=False)
        active = {v.list_key: v for v in store.status()}
    assert set(active) == {"uk-ofsi", "uk-sl"}
    ofsi = stale_fields(active["uk-ofsi"], date(2026, 10, 5))
    assert ofsi["stale"] is True
    assert ofsi["stale_reason"] == (
        "retired since 2026-01-28: the publisher no longer updates it; import its successor uk-sl"
    )
    assert stale_fields(active["uk-sl"], date(2026, 10, 5)) == {
        "stale": False,
        "stale_reason": None,
        "age_days": 3,
    }
    late = stale_fields(active["uk-sl"], date(2026, 10, 20))
    assert late["stale"] is True and late["age_days"] == 18
    assert str(late["stale_reason"]).startswith(
        "newest version published 2026-10-02, 18 days ago, older than 7 days"
    )
    lines = stale_lines(list(active.values()), date(2026, 10, 5))
    assert len(lines) == 1 and "uk-ofsi: retired since 2026-01-28" in lines[0]


def test_lists_status_flags_stale_lists(tmp_path: Path, data_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DATABASE_URL": None}
    ofsi = data_dir / "uk" / "conlist-2018-04-13.csv"
    imported = runner.invoke(app, ["--db", db, "lists", "import", str(ofsi), "--no-rescreen"], env=env)
    assert imported.exit_code == 0, imported.output
    listed = runner.invoke(app, ["--db", db, "lists", "status", "--json"], env=env)
    [ofsi_version] = orjson.loads(listed.stdout)
    assert ofsi_version["list_key"] == "uk-ofsi" and ofsi_version["stale"] is True
    assert ofsi_version["stale_reason"].startswith("retired since 2026-01-28")
    table = runner.invoke(app, ["--db", db, "lists", "status"], env=env).stdout
    assert "stale uk-ofsi: retired since 2026-01-28" in table


def test_allowed_age_is_a_setting(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"SANCTIONWATCH_DATA_DIR": str(tmp_path / "data"), "SANCTIONWATCH_DATABASE_URL": None}
    imported = runner.invoke(app, ["--db", db, "lists", "import", str(UKSL), "--no-rescreen"], env=env)
    assert imported.exit_code == 0, imported.output
    # Published 2026-10-02: stale by the 7 days of its cadence, fresh when 10,000 days are allowed.
    [default] = orjson.loads(runner.invoke(app, ["--db", db, "lists", "status", "--json"], env=env).stdout)
    assert default["stale"] is True
    relaxed = {**env, "SANCTIONWATCH_STALE_AFTER_DAYS": '{"uk-sl": 10000}'}
    [version] = orjson.loads(
        runner.invoke(app, ["--db", db, "lists", "status", "--json"], env=relaxed).stdout
    )
    assert (version["stale"], version["stale_reason"]) == (False, None)
