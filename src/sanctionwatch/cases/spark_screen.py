"""Screening the customer book on Apache Spark; the alerts are opened on the driver, as locally.

1. The driver exports the active customers to Parquet in a work folder, page by page (the book is
   never held in memory whole): the query fields, plus the customer's stored data and fingerprint
   as pass-through columns, so the alerts record exactly what was screened.
2. :func:`~sanctionwatch.batch.spark.screen_file_spark` broadcasts the active entities and screens
   the partitions in parallel, keeping every hit at or above the threshold (``MATCH_LIMIT`` per
   customer, as :func:`~sanctionwatch.cases.screening.match_hits`), and writes Parquet.
3. The driver reads back the customers with matches, in id order, rebuilds each :class:`Hit` from
   its JSON (the local engine's ``Hit.to_dict()``) and opens alerts through
   :func:`~sanctionwatch.cases.screening.apply_chunk` (``apply_matches`` in a transaction, retried
   once on a concurrent screen's conflict), ``CHUNK`` customers per transaction; then it audits
   ``book.screen`` with ``engine: spark``. As ``screen_book``, it first closes the live alerts of
   entities no active list holds.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa

from sanctionwatch.batch.runner import BatchOptions
from sanctionwatch.batch.spark import SparkOptions, screen_file_spark
from sanctionwatch.cases.audit import record
from sanctionwatch.cases.book import Customer
from sanctionwatch.cases.delisting import close_unlisted
from sanctionwatch.cases.screening import (
    CHUNK,
    MATCH_LIMIT,
    ScreenReport,
    apply_chunk,
    last_job_id,
    supersede_jobs,
)
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.matching.score import Hit
from sanctionwatch.store.liststore import ListStore
from sanctionwatch.store.schema import customers, versions

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["EXPORT_PAGE", "ROW_GROUP", "hit_from_dict", "screen_book_spark"]

EXPORT_PAGE = 20_000
"""Customers read from the database per page of the export."""

ROW_GROUP = 5_000
"""Customers per Parquet row group: Spark splits the file between tasks by row groups, so this
bounds the tasks one book can keep busy (200 for a million customers)."""

# Columns of the exported book: the query fields ``read_queries`` knows, then pass-through columns.
_QUERY_COLUMNS = ("id", "name", "schema", "birth_date", "country", "identifiers")
_DATA, _FINGERPRINT = "customer_data", "customer_fingerprint"


def hit_from_dict(d: dict[str, Any]) -> Hit:
    """The :class:`Hit` whose ``to_dict()`` dumps as ``d`` does (a hit screened elsewhere, read back).

    Raises:
        SanctionwatchError: ``d`` does not rebuild into the same hit (the hit format changed).
    """
    hit = Hit.from_dict(d)
    if orjson.dumps(hit.to_dict()) != orjson.dumps(d):  # as stored: to_dict() keeps tuples
        raise SanctionwatchError(
            f"hit of {d.get('entity_id')!r} from Spark does not rebuild into the same hit; "
            "the driver and the executors run different sanctionwatch versions?"
        )
    return hit


def _export(engine: sa.Engine, path: Path) -> int:
    """Write the active customers, by id, to one Parquet file; returns how many.

    One query, read ``EXPORT_PAGE`` rows at a time (a server-side cursor on PostgreSQL) and written
    page by page in row groups of ``ROW_GROUP``: the book is never held in memory whole.
    """
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    names = [*_QUERY_COLUMNS, _DATA, _FINGERPRINT]
    schema = pa.schema([(c, pa.string()) for c in names])
    query = (
        sa.select(customers.c.id, customers.c.data, customers.c.fingerprint)
        .where(customers.c.active)
        .order_by(customers.c.id)
    )
    count = 0
    with engine.connect() as conn, pq.ParquetWriter(path, schema) as writer:
        for rows in conn.execution_options(yield_per=EXPORT_PAGE).execute(query).partitions():
            columns: dict[str, list[str | None]] = {c: [] for c in names}
            for r in rows:
                d = orjson.loads(r.data)
                values = (
                    r.id,
                    d["name"],
                    d.get("schema"),
                    d.get("birth_date"),
                    d.get("country"),
                    ";".join(d.get("identifiers", [])),  # identifiers never hold ';' (split on import)
                    r.data,
                    r.fingerprint,
                )
                for c, v in zip(names, values, strict=True):
                    columns[c].append(v)
            writer.write_table(pa.table(columns, schema=schema), row_group_size=ROW_GROUP)
            count += len(rows)
    return count


def _matches(spark: SparkSession, output: Path) -> Iterator[tuple[Customer, list[Hit]]]:
    """Each customer with a match (in id order) and its matching hits, from the Spark output."""
    rows = (
        spark.read.parquet(str(output))
        .where("alert")
        .select("query_id", "hits", _DATA, _FINGERPRINT)
        .orderBy("query_id")
        .toLocalIterator()
    )
    for r in rows:
        customer = Customer(r["query_id"], orjson.loads(r[_DATA]), r[_FINGERPRINT])
        yield customer, [hit_from_dict(h) for h in orjson.loads(r["hits"])]


def screen_book_spark(
    store: ListStore,
    spark: SparkSession,
    actor: str,
    work_dir: Path | None = None,
    chunk_size: int = CHUNK,
    partitions_per_core: int = 4,
) -> ScreenReport:
    """Screen every active customer on Spark; open alerts as ``screen_book`` does, then audit.

    Args:
        store: The store: its active entities are screened against, its book screened.
        spark: The session (see :func:`~sanctionwatch.batch.spark.spark_session`).
        actor: Who screens (recorded in the audit log and as the opener of alerts).
        work_dir: Where the run's folder (exported book, Spark output) is made and removed after;
            on a cluster, a shared filesystem the driver and every executor see at this path.
            Default: the system's temporary folder.
        chunk_size: Customers with matches per transaction.
        partitions_per_core: Spark tasks per core.

    Raises:
        InputError: A stored customer no longer validates (e.g. a country code since withdrawn).
    """
    report = ScreenReport()
    with store.engine.begin() as conn:
        delisted = close_unlisted(conn, actor)  # as screen_book: nothing to decide on them
        last_job = last_job_id(conn)
        report.list_versions = {
            r.list_key: r.id
            for r in conn.execute(sa.select(versions.c.list_key, versions.c.id).where(versions.c.active))
        }
    with tempfile.TemporaryDirectory(prefix="sanctionwatch-book-", dir=work_dir) as tmp:
        book = Path(tmp) / "book.parquet"
        report.customers = _export(store.engine, book)
        output = Path(tmp) / "hits.parquet"
        opts = SparkOptions(
            BatchOptions(limit=MATCH_LIMIT), partitions_per_core=partitions_per_core, matches_only=True
        )
        if report.customers:
            screen_file_spark(spark, store.active_entities(), book, output, opts)
            chunk: list[tuple[Customer, list[Hit]]] = []
            for item in _matches(spark, output):
                chunk.append(item)
                if len(chunk) == chunk_size:
                    _apply(store.engine, chunk, actor, report)
                    chunk = []
            _apply(store.engine, chunk, actor, report)
    with store.engine.begin() as conn:
        supersede_jobs(conn, last_job, report)
        details = {**report.to_dict(), "delisted": delisted, "engine": "spark"}
        record(conn, actor, "book.screen", "book", details)
    return report


def _apply(
    engine: sa.Engine, chunk: list[tuple[Customer, list[Hit]]], actor: str, report: ScreenReport
) -> None:
    """Open the alerts of one chunk of customers in one transaction (``apply_chunk``)."""
    if chunk:
        apply_chunk(engine, [c for c, _ in chunk], [(c, h) for c, hits in chunk for h in hits], actor, report)
