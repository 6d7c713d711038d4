"""Screen a query file on Apache Spark: the listed entities are broadcast, partitions screened in parallel.

The driver ships the listed entities (``Entity.to_dict()`` as one orjson blob) to the executors as
a broadcast variable; each Python worker process builds its :class:`Screener` from it once, the first
time one of its tasks runs, and keeps it in ``_SCREENERS`` for the following tasks (an executor-side
necessity: Spark reuses Python workers, and a built index cannot be shipped). The query file (CSV
or Parquet) is read by Spark, every row is validated as ``read_queries`` does and screened, and the
result is written as Parquet: ``query_id``, ``hits`` (the JSON list the local engine writes),
``alert``, ``top_score``, ``error`` and the pass-through columns. A row that fails validation gets a
row with its ``query_id``, the local engine's one-line ``error`` and null ``hits``/``alert``
(strict: the run stops with that error instead). A repeated id stays a whole-file error here: Spark
reads the file in parallel, so there is no "first" occurrence to keep.

Entry point for ``spark-submit`` (see docs/spark.md)::

    python -m sanctionwatch.batch.spark --db URL --input Q.csv --output OUT.parquet
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import sys
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from sanctionwatch.batch.queries import KNOWN_COLUMNS, ROW_ERRORS_EXIT, BatchQuery, row_query
from sanctionwatch.batch.runner import BatchOptions
from sanctionwatch.dates import DATE_ORDERS, DateOrder
from sanctionwatch.errors import ConfigError, InputError, ListNotFound, SanctionwatchError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.settings import Settings

if TYPE_CHECKING:
    from pyspark import Broadcast
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "OUTPUT_COLUMNS",
    "SparkOptions",
    "SparkRun",
    "main",
    "screen_file_spark",
    "screen_store_spark",
    "spark_session",
]

OUTPUT_COLUMNS = ("query_id", "hits", "alert", "top_score", "error")
JAVA_PACKAGE = "default-jre-headless"

# Screeners built in this Python worker, by the key of the run's broadcast (only the latest is kept).
_SCREENERS: dict[str, Screener] = {}


@dataclass(frozen=True, slots=True)
class SparkOptions:
    """How to screen on Spark, on top of the batch options (limit, threshold, lists).

    Attributes:
        batch: Limit, threshold and list keys, as for the local engine (``workers`` is unused).
        salvage_dates: Keep the valid prefix of a malformed birth date (labelled evaluation files).
        multiline: CSV fields may hold line breaks (the file is then read by one task, not split).
        partitions_per_core: Input partitions per core of the session (spreads the work evenly).
        matches_only: Keep only the hits at or above the threshold (screening the customer book:
            with a high ``limit``, the hits below it would make the output large for nothing).
        strict: A bad row stops the run (an error naming the file and the query id); otherwise it
            gets an output row with its ``error``.
        date_order: How to read day-month-year birth dates (``dmy`` or ``mdy``).
    """

    batch: BatchOptions = BatchOptions()  # noqa: RUF009 (frozen, so one shared default is safe)
    salvage_dates: bool = False
    multiline: bool = False
    partitions_per_core: int = 4
    matches_only: bool = False
    strict: bool = True
    date_order: DateOrder | None = None


@dataclass(frozen=True, slots=True)
class SparkRun:
    """What a run wrote: rows, and how many of them are errors (the first one's id and error)."""

    rows: int
    failed: int = 0
    first_error: tuple[str, str] | None = None


def _check_java() -> None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise ConfigError(
            "the Spark engine needs Java 17 or later, and no `java` was found on PATH (nor JAVA_HOME); "
            f"install it (Debian/Ubuntu: apt-get install {JAVA_PACKAGE})"
        )


def spark_session(master: str | None = "local[2]", app_name: str = "sanctionwatch") -> SparkSession:
    """A quiet, bounded Spark session (or the running one, e.g. under ``spark-submit``).

    Args:
        master: Spark master URL; ``None`` keeps the one ``spark-submit`` configured.

    Raises:
        ConfigError: PySpark or Java is missing.
    """
    _check_java()
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the Spark engine needs PySpark: pip install 'sanctionwatch[spark]' (pyspark>=3.5)"
        ) from None
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local workers run this interpreter (its environment has sanctionwatch installed);
            # on a cluster, PYSPARK_PYTHON names the executors' interpreter (docs/spark.md).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def _screener(key: str, bc: Broadcast[bytes]) -> Screener:
    """The screener of this broadcast, built on first use in this Python worker."""
    found = _SCREENERS.get(key)
    if found is None:
        _SCREENERS.clear()
        # The collector would rescan the growing index many times over for nothing (see serve).
        gc.disable()
        try:
            found = Screener(Entity.from_dict(d) for d in orjson.loads(zlib.decompress(bc.value)))
        finally:
            gc.enable()
        gc.freeze()
        _SCREENERS[key] = found
    return found


def _query(r: dict[str, str], opts: SparkOptions) -> BatchQuery:
    """One input row as a validated query (the rules of ``read_queries``, the same messages).

    Raises:
        InputError: The row's bad field, without where the row is.
    """
    qid = r["id"].strip()
    if not qid:
        raise InputError("id: must not be empty")
    return row_query(qid, r, opts.salvage_dates, opts.date_order)


def _partition_fn(key: str, bc: Broadcast[bytes], opts: SparkOptions, source: str, extra: list[str]) -> Any:
    """The function each task runs over its rows (closes over plain, picklable values only)."""
    b = opts.batch

    def screen_partition(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        screener = _screener(key, bc)
        for row in rows:
            r = {k: (v or "") for k, v in row.asDict().items()}
            try:
                bq = _query(r, opts)
            except InputError as exc:
                qid = r["id"].strip()
                if opts.strict:
                    where = f"id {qid!r}" if qid else f"row with name {r['name']!r}"
                    raise InputError(f"{source}: {where}: {exc}") from None
                yield (qid, None, None, None, str(exc), *(r.get(c, "") for c in extra))
                continue
            hits = screener.screen(bq.query, limit=b.limit, threshold=b.threshold, lists=b.lists)
            if opts.matches_only:
                hits = [h for h in hits if h.match]
            top = hits[0].score if hits else None
            yield (
                bq.id,
                orjson.dumps([h.to_dict() for h in hits]).decode(),
                any(h.match for h in hits),
                top,
                None,
                *(bq.extra[c] for c in extra),
            )

    return screen_partition


def _read_input(spark: SparkSession, path: Path, opts: SparkOptions) -> DataFrame:
    from pyspark.sql import functions as F  # noqa: N812 (PySpark's own convention)

    cores = spark.sparkContext.defaultParallelism
    # Split the file by Spark's own planner (keeping row order), into several tasks per core.
    spark.conf.set("spark.sql.files.minPartitionNum", str(max(1, cores * opts.partitions_per_core)))
    if path.suffix.lower() == ".parquet" or path.is_dir():
        df = spark.read.parquet(str(path))
    else:
        df = spark.read.csv(
            str(path), header=True, inferSchema=False, multiLine=opts.multiline, escape='"', encoding="UTF-8"
        )
    df = df.toDF(*[c.lstrip("\ufeff") for c in df.columns])  # a byte-order mark opens the header
    missing = [c for c in ("id", "name") if c not in df.columns]
    if missing:
        raise InputError(f"{path}: missing column {missing[0]!r} (header has {', '.join(df.columns)})")
    clash = [c for c in df.columns if c in OUTPUT_COLUMNS]
    if clash:
        raise InputError(f"{path}: column {clash[0]!r} would clash with an output column; rename it")
    df = df.select([F.col(c).cast("string").alias(c) for c in df.columns])
    if df.rdd.getNumPartitions() < cores:  # a small or multi-line file: one task would do it all
        df = df.repartition(cores * opts.partitions_per_core)
    dup = df.groupBy("id").count().filter("count > 1").limit(1).collect()
    if dup:
        raise InputError(f"{path}: id: {dup[0]['id']!r} is used {dup[0]['count']} times")
    return df


_REMOTE_INPUT_ERROR = re.compile(r"sanctionwatch\.errors\.InputError: (.+)")


def screen_file_spark(
    spark: SparkSession,
    entities: Iterable[Entity],
    input_path: Path,
    output_path: Path,
    opts: SparkOptions = SparkOptions(),
) -> SparkRun:
    """Screen a CSV or Parquet query file on Spark and write Parquet; returns what was written.

    Args:
        spark: The session (see :func:`spark_session`).
        entities: The listed entities to screen against (broadcast to the executors).
        input_path: CSV (``id,name,schema,birth_date,nationality`` plus pass-through columns) or Parquet.
        output_path: Parquet folder to create; must not exist yet.
        opts: Limit, threshold, lists and Spark reading options.

    Raises:
        InputError: Bad input (missing column, bad value: the message names the file and the query
            id), or the output exists already.
    """
    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType

    if output_path.exists():
        raise InputError(f"--output: {str(output_path)!r} exists already; remove it or choose another")
    if not output_path.parent.is_dir():
        raise InputError(f"--output: folder {str(output_path.parent)!r} does not exist")
    df = _read_input(spark, input_path, opts)
    extra = [c for c in df.columns if c not in KNOWN_COLUMNS]
    # Compressed: the workers keep the broadcast value in memory next to the index they build.
    blob = zlib.compress(orjson.dumps([e.to_dict() for e in entities]), 1)
    bc = spark.sparkContext.broadcast(blob)
    del blob
    schema = StructType(
        [
            StructField("query_id", StringType(), False),
            StructField("hits", StringType(), True),
            StructField("alert", BooleanType(), True),
            StructField("top_score", DoubleType(), True),
            StructField("error", StringType(), True),
            *(StructField(c, StringType(), True) for c in extra),
        ]
    )
    rdd = df.rdd.mapPartitions(_partition_fn(uuid.uuid4().hex, bc, opts, str(input_path), extra))
    try:
        spark.createDataFrame(rdd, schema).write.parquet(str(output_path))
    except Exception as exc:  # a failed task arrives as a Java exception quoting the Python one
        found = _REMOTE_INPUT_ERROR.search(str(exc))
        if found:
            raise InputError(found.group(1)) from None
        raise
    finally:
        bc.unpersist()
    written = spark.read.parquet(str(output_path))
    errors = written.where("error IS NOT NULL")
    failed = errors.count()
    first = errors.select("query_id", "error").limit(1).collect() if failed else []
    return SparkRun(written.count(), failed, (first[0]["query_id"], first[0]["error"]) if first else None)


def screen_store_spark(
    spark: SparkSession,
    settings: Settings,
    input_path: Path,
    output_path: Path,
    opts: SparkOptions = SparkOptions(),
) -> SparkRun:
    """:func:`screen_file_spark` over the active list versions of the store ``settings`` names.

    Raises:
        ListNotFound: No list imported, or a list key of ``opts.batch.lists`` has no active version.
    """
    from sanctionwatch.store.liststore import ListStore

    with ListStore.open(settings) as store:
        active = store.active_versions()
        if not active:
            raise ListNotFound("no list imported yet; run `sanctionwatch lists import FILE...` first")
        keys = None
        if opts.batch.lists:
            wanted = opts.batch.lists
            keys = [k for k in active if k in wanted or k.split(":", 1)[0] in wanted]
            unknown = [x for x in wanted if not any(k == x or k.split(":", 1)[0] == x for k in active)]
            if unknown:
                raise ListNotFound(
                    f"--lists: no active list {unknown[0]!r}; active: {', '.join(sorted(active))}"
                )
        return screen_file_spark(spark, store.active_entities(keys), input_path, output_path, opts)


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m sanctionwatch.batch.spark",
        description="Screen a query file on Spark against the active lists of a store; write Parquet.",
    )
    p.add_argument("--db", help="SQLAlchemy URL of the list store (default: SANCTIONWATCH_DATABASE_URL).")
    p.add_argument("--input", required=True, type=Path, help="Query CSV or Parquet.")
    p.add_argument("--output", required=True, type=Path, help="Parquet folder to create.")
    p.add_argument("--lists", help="Comma-separated list keys (default: all).")
    p.add_argument("--threshold", type=float, help="Alert threshold (default 0.8).")
    p.add_argument("--limit", type=int, default=10, help="Most hits per query.")
    p.add_argument("--multiline", action="store_true", help="CSV fields may hold line breaks.")
    p.add_argument("--date-order", choices=DATE_ORDERS, help="How to read NN/NN/YYYY birth dates.")
    p.add_argument("--strict", action="store_true", help="Stop at the first bad row.")
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[2]).")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """``spark-submit`` entry point; returns the process exit status."""
    a = _args(argv)
    lists = tuple(x.strip() for x in a.lists.split(",") if x.strip()) if a.lists else None
    opts = SparkOptions(
        BatchOptions(limit=a.limit, threshold=a.threshold, lists=lists),
        multiline=a.multiline,
        strict=a.strict,
        date_order=a.date_order,
    )
    try:
        settings = Settings(database_url=a.db) if a.db else Settings()
        # Under spark-submit, the launcher's gateway is set and its --master applies.
        master = a.master or (None if os.environ.get("PYSPARK_GATEWAY_PORT") else "local[2]")
        spark = spark_session(master)
        started = time.perf_counter()
        run = screen_store_spark(spark, settings, a.input, a.output, opts)
    except SanctionwatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    took = time.perf_counter() - started
    n = run.rows - run.failed
    print(f"screened {n:,} queries in {took:.1f}s ({n / max(took, 1e-9):,.0f}/s)", file=sys.stderr)
    if run.first_error is not None:
        qid, why = run.first_error
        print(
            f"error: {a.input}: {run.failed:,} of {run.rows:,} rows failed (their rows carry 'error'); "
            f"first: id {qid!r}: {why}; --strict stops at the first bad row",
            file=sys.stderr,
        )
        return ROW_ERRORS_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
