"""Screening the customer book end to end: ``book screen`` local (one process) vs ``--engine spark``.

The book is ``bench_spark.make_book``'s (birth dates with typos cut to their valid prefix, as a
customer file must be valid), imported into a fresh SQLite store holding every sanctions list of
../shared/data; the store file is copied so each engine screens an identical, alert-free copy.
Times the import, the local screen (``screen_book``: one process, every customer) and the Spark
screen (``screen_book_spark`` on local[2]: export, Spark, alerts), and checks both open the same
(customer, entity) alerts. Usage::

    .venv/bin/python benchmarks/bench_book_spark.py [--customers 100000]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from bench_spark import DATA, LISTS, make_book

from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.matching.query import salvage_date
from sanctionwatch.matching.screener import Screener
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import alerts


def _store(folder: Path, name: str) -> ListStore:
    url = f"sqlite:///{folder / name}"
    return ListStore.open(Settings(database_url=url, data_dir=folder, lists_dir=None))


def _pairs(store: ListStore) -> set[tuple[str, str]]:
    with store.engine.connect() as conn:
        return {(r.customer_id, r.entity_id) for r in conn.execute(sa.select(alerts))}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--customers", type=int, default=100_000)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw, book = folder / "raw.csv", folder / "book.csv"
        make_book(raw, a.customers)
        with raw.open(encoding="utf-8", newline="") as f, book.open("w", encoding="utf-8", newline="") as g:
            w = csv.DictWriter(g, fieldnames=["id", "name", "schema", "birth_date", "nationality"])
            w.writeheader()
            for r in csv.DictReader(f):
                w.writerow({**{k: r[k] for k in w.fieldnames}, "birth_date": salvage_date(r["birth_date"])})
        with _store(folder, "local.db") as st:
            for rel, lenient in LISTS:
                st.import_paths([DATA / rel], lenient=lenient, rescreen=False)
            t0 = time.perf_counter()
            import_book(st.engine, book, "bench")
            took_import = time.perf_counter() - t0
        shutil.copy(folder / "local.db", folder / "spark.db")
        print(f"book: {a.customers:,} customers imported in {took_import:.0f}s", file=sys.stderr)

        from sanctionwatch.batch.spark import spark_session
        from sanctionwatch.cases.spark_screen import screen_book_spark

        print("| engine | customers | wall s | customers/s | alerts opened |")
        print("|---|---:|---:|---:|---:|")
        with _store(folder, "local.db") as st:
            t0 = time.perf_counter()
            report = screen_book(st.engine, Screener(st.active_entities()), "bench")
            wall = time.perf_counter() - t0
            local = _pairs(st)
        n = report.customers
        print(
            f"| book screen, local (1 process) | {n:,} | {wall:.0f} | {n / wall:,.0f} | {report.opened:,} |"
        )
        with _store(folder, "spark.db") as st:
            t0 = time.perf_counter()
            spark = spark_session("local[2]")
            report = screen_book_spark(st, spark, "bench")
            wall = time.perf_counter() - t0
            spark.stop()
            remote = _pairs(st)
        n, label = report.customers, "book screen, Spark local[2]"
        print(f"| {label} | {n:,} | {wall:.0f} | {n / wall:,.0f} | {report.opened:,} |")
        if local != remote:
            raise SystemExit(f"the engines opened different alerts: {len(local ^ remote)} pairs differ")
        print(f"both engines opened the same {len(local):,} alerts", file=sys.stderr)


if __name__ == "__main__":
    main()
