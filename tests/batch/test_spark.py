"""Screening on Spark (PySpark in local mode, for real) gives exactly the local engine's hits."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from sanctionwatch.batch.queries import RowErrors, read_queries, read_rows
from sanctionwatch.batch.runner import BatchOptions, screen_batch
from sanctionwatch.batch.spark import SparkOptions, main, screen_file_spark, spark_session
from sanctionwatch.cli import app
from sanctionwatch.errors import ConfigError, InputError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.settings import Settings
from sanctionwatch.store.liststore import ListStore
from tests.matching.conftest import parse_lists

LISTS = ("un/consolidated-2026-02-27.xml", "ofac/sdn-2024-05-03")
UN_FILE = "un/consolidated-2026-02-27.xml"


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One local[2] session for the module."""
    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def entities(data_dir: Path) -> list[Entity]:
    """UN and OFAC SDN 2024, parsed once."""
    return list(parse_lists(data_dir, LISTS))


@pytest.fixture(scope="module")
def query_file(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 330 UN typo queries plus 300 negatives; ``expected`` and ``group`` are pass-through columns."""
    typos = (eval_dir / "dev" / "un-typos.csv").read_text(encoding="utf-8").splitlines()
    negatives = (eval_dir / "dev" / "negatives.csv").read_text(encoding="utf-8").splitlines()
    assert typos[0] == negatives[0]
    path = tmp_path_factory.mktemp("spark") / "mixed.csv"
    path.write_text("\n".join([*typos, *negatives[1:301]]) + "\n", encoding="utf-8")
    return path


def read_parquet(spark: SparkSession, path: Path) -> dict[str, dict[str, Any]]:
    return {r["query_id"]: r.asDict() for r in spark.read.parquet(str(path)).collect()}


@pytest.fixture(scope="module")
def local_results(entities: list[Entity], query_file: Path) -> dict[str, dict[str, Any]]:
    """The local engine's output, by query id."""
    queries = read_queries(query_file, salvage_dates=True)
    lines = screen_batch(Screener(entities), queries, BatchOptions(workers=1))
    out = [orjson.loads(line) for line in lines]
    return {d["query_id"]: d for d in out}


@pytest.fixture(scope="module")
def spark_results(
    spark: SparkSession, entities: list[Entity], query_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, dict[str, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("spark-out") / "hits.parquet"
    run = screen_file_spark(spark, iter(entities), query_file, out, SparkOptions(salvage_dates=True))
    assert (run.failed, run.first_error) == (0, None)
    return run.rows, read_parquet(spark, out)


def test_same_hits_as_local_engine(
    local_results: dict[str, dict[str, Any]], spark_results: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    n, rows = spark_results
    assert n == 630 == len(rows)
    assert rows.keys() == local_results.keys()
    alerted = 0
    for qid, local in local_results.items():
        row = rows[qid]
        hits = orjson.loads(row["hits"])
        assert hits == local["hits"], qid  # ids, scores, match flags, explanations, order
        assert row["alert"] == any(h["match"] for h in local["hits"])
        assert row["top_score"] == (local["hits"][0]["score"] if local["hits"] else None)
        assert row["error"] is None
        alerted += row["alert"]
    # The typo queries are meant to be found: most must alert, so the comparison is not of empty lists.
    assert alerted > 200


def test_pass_through_columns_survive(
    query_file: Path, spark_results: tuple[int, dict[str, dict[str, Any]]]
) -> None:
    _, rows = spark_results
    with query_file.open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    assert len(source) == 630
    for rec in source:
        row = rows[rec["id"]]
        assert (row["expected"] or "", row["group"]) == (rec["expected"], rec["group"])
    assert {r["group"] for r in rows.values()} >= {"un-typo", "negative-global"}


def test_bad_row_names_file_and_query(spark: SparkSession, entities: list[Entity], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,name,nationality\nq1,Ali Hassan,iq\nq2,Omar Said,Atlantis\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: id 'q2': .*Atlantis"):
        screen_file_spark(spark, entities[:5], path, tmp_path / "out.parquet")


def test_bad_rows_get_the_local_engines_error_and_the_others_are_screened(
    spark: SparkSession, entities: list[Entity], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,name,birth_date,nationality,branch\n"
        "q1,Kim Jong Un,1984/01/08,kp,Seoul\n"
        "q2,Omar Said,,Atlantis,Busan\n"
        "q3,Kim Jong Un,1984-13-45,,Ulsan\n"
        "q4,Kim Jong Un,08/01/1984,,Incheon\n"
        ",Kim Jong Un,,,Daegu\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.parquet"
    run = screen_file_spark(spark, entities, path, out, SparkOptions(strict=False))
    assert (run.rows, run.failed) == (5, 4)
    assert run.first_error is not None
    rows = read_parquet(spark, out)
    local = {
        d["query_id"]: d
        for d in map(orjson.loads, screen_batch(Screener(entities), read_rows(path), BatchOptions(workers=1)))
    }
    errors = {qid: d["error"] for qid, d in local.items() if "error" in d}
    assert errors == {
        "q2": "country: unknown country 'Atlantis'; use ISO 3166 alpha-2 or a name",
        "q3": "birth_date: '1984-13-45' is not a real date",
        "q4": "birth_date: '08/01/1984' may be day/month/year or month/day/year; "
        "say which with --date-order dmy or --date-order mdy",
        "": "id: must not be empty",
    }
    assert {qid: r["error"] for qid, r in rows.items() if r["error"] is not None} == errors
    for qid in errors:
        assert (rows[qid]["hits"], rows[qid]["alert"], rows[qid]["top_score"]) == (None, None, None)
    assert rows["q3"]["branch"] == "Ulsan" and rows[""]["branch"] == "Daegu"
    assert rows["q1"]["alert"] and orjson.loads(rows["q1"]["hits"]) == local["q1"]["hits"]
    # With the order given, the day-first date is read and the row screened.
    out2 = tmp_path / "dmy.parquet"
    run2 = screen_file_spark(spark, entities, path, out2, SparkOptions(strict=False, date_order="dmy"))
    assert run2.failed == 3 and read_parquet(spark, out2)["q4"]["alert"]


def test_duplicate_id_and_missing_column(spark: SparkSession, tmp_path: Path) -> None:
    dup = tmp_path / "dup.csv"
    dup.write_text("id,name\nq1,Ali Hassan\nq1,Omar Said\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup\.csv: id: 'q1' is used 2 times"):
        screen_file_spark(spark, [], dup, tmp_path / "out.parquet")
    noname = tmp_path / "noname.csv"
    noname.write_text("id,full_name\nq1,Ali Hassan\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column 'name'"):
        screen_file_spark(spark, [], noname, tmp_path / "out.parquet")


def test_existing_output_is_refused(spark: SparkSession, query_file: Path, tmp_path: Path) -> None:
    (tmp_path / "out.parquet").mkdir()
    with pytest.raises(InputError, match="exists already"):
        screen_file_spark(spark, [], query_file, tmp_path / "out.parquet")


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ConfigError, match="default-jre-headless"):
        spark_session()


@pytest.fixture(scope="module")
def un_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    """A store holding the UN list."""
    folder = tmp_path_factory.mktemp("spark-store")
    settings = Settings(database_url=f"sqlite:///{folder / 'lists.db'}", data_dir=folder, lists_dir=None)
    with ListStore.open(settings) as store:
        store.import_paths([data_dir / UN_FILE])
    return settings


def test_entry_point_and_cli_engine(
    spark: SparkSession, un_store: Settings, data_dir: Path, tmp_path: Path
) -> None:
    """``python -m sanctionwatch.batch.spark`` and ``screen --engine spark`` read the store's lists."""
    path = tmp_path / "q.csv"
    path.write_text(
        "id,name,schema,customer\nq1,Saddam Hussein Al-Tikriti,Person,c-1\nq2,Mary Poppins,Person,c-2\n",
        encoding="utf-8",
    )
    un_ids = {e.id for e in parse_lists(data_dir, (UN_FILE,)) if "SADDAM HUSSEIN" in e.caption.upper()}
    assert un_ids  # the UN list holds him (IQi.001)
    out = tmp_path / "a.parquet"
    assert main(["--db", str(un_store.database_url), "--input", str(path), "--output", str(out)]) == 0
    rows = read_parquet(spark, out)
    assert {h["entity_id"] for h in orjson.loads(rows["q1"]["hits"]) if h["match"]} & un_ids
    assert rows["q1"]["alert"] and not rows["q2"]["alert"]
    assert rows["q2"]["customer"] == "c-2"

    out2 = tmp_path / "b.parquet"
    args = ["--db", str(un_store.database_url), "screen", "--file", str(path), "--output", str(out2)]
    result = CliRunner().invoke(app, [*args, "--engine", "spark"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert read_parquet(spark, out2) == rows


def test_cli_spark_needs_output(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text("id,name\nq1,Ali Hassan\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", "--file", str(path), "--engine", "spark"])
    assert isinstance(result.exception, InputError)
    assert "--engine spark needs --output" in str(result.exception)
    result = CliRunner().invoke(app, ["screen", "--file", str(path), "--engine", "hadoop"])
    assert isinstance(result.exception, InputError)
    assert "'hadoop'" in str(result.exception)


def test_entry_point_and_cli_exit_9_after_bad_rows_and_2_when_strict(
    spark: SparkSession, un_store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.csv"
    path.write_text("id,name,birth_date\nq1,Mary Poppins,1910-7-16\nq2,Bert,1910-07-32\n", encoding="utf-8")
    db = ["--db", str(un_store.database_url)]
    assert main([*db, "--input", str(path), "--output", str(tmp_path / "a.parquet")]) == 9
    err = capsys.readouterr().err
    assert "1 of 2 rows failed" in err and "id 'q2': birth_date: '1910-07-32' is not a real date" in err
    rows = read_parquet(spark, tmp_path / "a.parquet")
    assert rows["q1"]["error"] is None and not rows["q1"]["alert"]
    strict = [*db, "--input", str(path), "--output", str(tmp_path / "b.parquet"), "--strict"]
    assert main(strict) == 2
    assert "id 'q2': birth_date: '1910-07-32' is not a real date" in capsys.readouterr().err
    args = [*db, "screen", "--file", str(path), "--output", str(tmp_path / "c.parquet"), "--engine", "spark"]
    result = CliRunner().invoke(app, args)
    assert isinstance(result.exception, RowErrors) and result.exception.exit_code == 9
    assert read_parquet(spark, tmp_path / "c.parquet") == rows
