"""Screening the book on Spark (PySpark in local mode, for real) opens exactly the local engine's alerts."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import sqlalchemy as sa
from pyspark.sql import SparkSession
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from sanctionwatch.cases.alerts import decide, list_alerts
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.cases.spark_screen import hit_from_dict, screen_book_spark
from sanctionwatch.cli import app
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import Query, salvage_date
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import alerts
from tests.cases.conftest import BOOK, PLANTED, UN_FILE
from tests.store.fresh import make_settings

Alert = tuple[str, str, float, str, str, str, str, str]

# Floribert Ngabu Njabu (UN un-sc:CDi.021): his passport number, as the raw UN file gives it
# (`grep -c "OB 0243318"` finds it once), with a shortened name.
PASSPORT = ("X1", "Floribert Ngabu", "Person", "1971-05-23", "CD", "OB 0243318", "un-sc:CDi.021")


@pytest.fixture(scope="module", autouse=True)
def _stop_spark() -> Iterator[None]:
    """Stop the module's Spark session at its end."""
    yield
    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


@pytest.fixture
def spark() -> SparkSession:
    """The running local[2] session, or a new one (the CLI stops the session it uses)."""
    from sanctionwatch.batch.spark import spark_session

    return spark_session("local[2]")


@pytest.fixture(scope="module")
def big_book(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 400 customers: the six of BOOK, 120 UN typo names, 270 clean names, one passport match."""
    dev = eval_dir / "dev"
    with (dev / "un-typos.csv").open(encoding="utf-8", newline="") as f:
        typos = list(csv.DictReader(f))[:120]
    with (dev / "negatives.csv").open(encoding="utf-8", newline="") as f:
        clean = list(csv.DictReader(f))[:270]
    path = tmp_path_factory.mktemp("book") / "book.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(BOOK)
        w = csv.writer(f)
        for r in [*typos, *clean]:
            # The typo file's dates carry deliberate typos: keep their valid prefix, as `eval` does.
            dob = salvage_date(r["birth_date"]) or ""
            w.writerow([r["id"], r["name"], r["schema"], dob, r["nationality"], "", r["group"]])
        w.writerow([*PASSPORT[:6], "retail"])
    return path


def _alert_set(engine: Engine) -> set[Alert]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alerts)).mappings().all()
    return {
        (
            r["customer_id"],
            r["entity_id"],
            round(r["score"], 6),
            r["state"],
            r["explanation"],
            r["customer_data"],
            r["customer_fingerprint"],
            r["entity_fingerprint"],
        )
        for r in rows
    }


@pytest.fixture(scope="module")
def local_alerts(
    big_book: Path, data_dir: Path, un_screener: Screener, tmp_path_factory: pytest.TempPathFactory
) -> set[Alert]:
    """The local engine's alerts on the book, in a fresh SQLite store of its own."""
    folder = tmp_path_factory.mktemp("local")
    with ListStore.open(make_settings(f"sqlite:///{folder / 'local.db'}", folder)) as st:
        st.import_paths([data_dir / UN_FILE])
        import_book(st.engine, big_book, "alice")
        report = screen_book(st.engine, un_screener, "alice")
        assert report.customers == 397
        return _alert_set(st.engine)


def test_same_alerts_as_the_local_engine(
    listed: ListStore, big_book: Path, spark: SparkSession, local_alerts: set[Alert], tmp_path: Path
) -> None:
    import_book(listed.engine, big_book, "bob")
    work = tmp_path / "work"
    work.mkdir()
    report = screen_book_spark(listed, spark, "bob", work_dir=work, chunk_size=7)
    found = _alert_set(listed.engine)
    assert found == local_alerts
    assert report.customers == 397
    assert report.opened == report.matches == len(found)
    pairs = {(a[0], a[1]) for a in found}
    assert pairs >= PLANTED | {(PASSPORT[0], PASSPORT[6])}
    # Most UN typo names are found (eval README): the comparison is not one of near-empty sets.
    assert sum(cid.startswith("un-typo") for cid, _ in pairs) > 80
    passport = next(a for a in found if a[0] == PASSPORT[0])
    assert '"identifier"' in passport[4]  # the identifier evidence reached the Spark workers
    assert list(work.iterdir()) == []  # the run's folder is removed
    entry = [e for e in iter_audit(listed.engine) if e.action == "book.screen"][-1]
    assert (entry.actor, entry.details["engine"], entry.details["opened"]) == ("bob", "spark", len(found))


def test_screening_again_on_spark_opens_nothing_and_keeps_decisions(
    listed: ListStore, book_csv: Path, spark: SparkSession
) -> None:
    import_book(listed.engine, book_csv, "alice")
    first = screen_book_spark(listed, spark, "alice")
    assert (first.customers, first.opened) == (6, 3)
    assert {(a.customer_id, a.entity_id) for a in list_alerts(listed.engine)} == PLANTED
    bank = next(a for a in list_alerts(listed.engine) if a.customer_id == "C2")
    decide(listed.engine, bank.id, "false-positive", "alice", "our client is a different bank")
    again = screen_book_spark(listed, spark, "alice")
    assert (again.opened, again.reopened, again.already_open, again.suppressed) == (0, 0, 2, 1)
    assert len(list_alerts(listed.engine)) == 3


def test_hit_rebuilds_from_its_json(un_screener: Screener) -> None:
    hit = un_screener.screen(Query.build("Tanchon Commercial Bank", schema="Organization"))[0]
    d = orjson.loads(orjson.dumps(hit.to_dict()))
    assert hit_from_dict(d) == hit
    d["explanation"]["summary"] = "edited"
    with pytest.raises(Exception, match="does not rebuild"):
        hit_from_dict(d)


def test_cli_engine_spark(book_csv: Path, data_dir: Path, tmp_path: Path) -> None:
    """``book screen --engine spark`` screens and opens the alerts; a bad engine is refused."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with ListStore.open(make_settings(url, tmp_path)) as st:
        st.import_paths([data_dir / UN_FILE])
    base = ["--db", url]
    runner = CliRunner()
    assert runner.invoke(app, [*base, "book", "import", str(book_csv), "--user", "carol"]).exit_code == 0
    bad = runner.invoke(app, [*base, "book", "screen", "--engine", "hadoop", "--user", "carol"])
    assert isinstance(bad.exception, InputError)
    assert "'hadoop'" in str(bad.exception)
    mixed = runner.invoke(app, [*base, "book", "screen", "--spark-master", "local[1]", "--user", "carol"])
    assert isinstance(mixed.exception, InputError)
    result = runner.invoke(
        app,
        [
            *base,
            "book",
            "screen",
            "--engine",
            "spark",
            "--spark-master",
            "local[2]",
            "--user",
            "carol",
            "--json",
        ],
    )
    assert result.exit_code == 0, (result.output, result.exception)
    assert orjson.loads(result.output)["opened"] == 3
    with ListStore.open(make_settings(url, tmp_path)) as st:
        assert {(a.customer_id, a.entity_id) for a in list_alerts(st.engine)} == PLANTED
