"""``sanctionwatch screen`` (one name or a whole file) and ``sanctionwatch eval``."""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import IO, Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sanctionwatch.batch.evaluate import GroupFigures, score_results
from sanctionwatch.batch.pairs import evaluate_pairs, is_pair_file, read_pairs
from sanctionwatch.batch.queries import BatchQuery, RowError, RowErrors, birth_date, read_queries, read_rows
from sanctionwatch.batch.runner import BatchOptions, output_path_ok, screen_batch, write_results
from sanctionwatch.cli.common import settings_of
from sanctionwatch.cli.render_hits import render_hits
from sanctionwatch.dates import DateOrder
from sanctionwatch.errors import InputError, ListNotFound
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store.liststore import ListStore

__all__ = [
    "DateOrderOpt",
    "StrictOpt",
    "build_screener",
    "date_order_of",
    "eval_command",
    "report_bad_rows",
    "screen_command",
]

SHOWN_BAD_ROWS = 20

_err = Console(stderr=True, highlight=False)


def split_lists(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(x.strip() for x in value.split(",") if x.strip())


def build_screener(ctx: typer.Context, lists: tuple[str, ...] | None) -> Screener:
    """A screener over the active list versions (restricted to ``lists`` when given)."""
    settings = settings_of(ctx)
    started = time.perf_counter()
    with ListStore.open(settings) as store:
        active = store.active_versions()
        if not active:
            raise ListNotFound("no list imported yet; run `sanctionwatch lists import FILE...` first")
        keys = None
        if lists:
            keys = [k for k in active if k in lists or k.split(":", 1)[0] in lists]
            unknown = [x for x in lists if not any(k == x or k.split(":", 1)[0] == x for k in active)]
            if unknown:
                raise ListNotFound(
                    f"--lists: no active list {unknown[0]!r}; active: {', '.join(sorted(active))}"
                )
        screener = Screener(store.active_entities(keys))
    stats = screener.index.stats()
    _err.print(
        f"[dim]index: {stats.entities:,} entities, {stats.forms:,} name forms "
        f"in {time.perf_counter() - started:.1f}s[/]"
    )
    return screener


def open_output(path: Path, option: str) -> IO[bytes]:
    try:
        return path.open("wb")
    except OSError as exc:
        raise InputError(f"{option}: cannot write {str(path)!r}: {exc.strerror or exc}") from None


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_err,
        disable=not _err.is_terminal,
    )


ListsOpt = Annotated[str | None, typer.Option("--lists", help="Comma-separated list keys (default: all).")]
ThresholdOpt = Annotated[
    float | None, typer.Option("--threshold", min=0.0, max=1.0, help="Alert threshold (default 0.8).")
]
WorkersOpt = Annotated[int | None, typer.Option("--workers", min=1, help="Processes (default: every core).")]
DateOrderOpt = Annotated[
    str | None,
    typer.Option("--date-order", help="How to read NN/NN/YYYY dates: dmy or mdy (refused without it)."),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict", help="Stop at the first bad row (default: give it an error record, go on, exit 9)."
    ),
]


def date_order_of(value: str | None) -> DateOrder | None:
    """The ``--date-order`` value, checked.

    Raises:
        InputError: Neither ``dmy`` nor ``mdy``.
    """
    if value is None:
        return None
    text = value.strip().lower()
    if text == "dmy":
        return "dmy"
    if text == "mdy":
        return "mdy"
    raise InputError(f"--date-order: {value!r} is not dmy or mdy")


def report_bad_rows(path: Path, bad: list[tuple[int, str]]) -> None:
    """Print the first bad rows of a file on stderr, one ``file:line: why`` line each."""
    for line, why in bad[:SHOWN_BAD_ROWS]:
        _err.print(f"{path}:{line}: {why}", markup=False, soft_wrap=True)
    if len(bad) > SHOWN_BAD_ROWS:
        _err.print(f"... and {len(bad) - SHOWN_BAD_ROWS:,} more bad rows", markup=False)


def screen_command(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="The name to screen, in any script.")] = None,
    dob: Annotated[
        str | None, typer.Option("--dob", help="Birth date: YYYY-MM-DD, YYYY-MM, YYYY or another clear form.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="Country (ISO alpha-2 or name).")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person, Organization, Vessel or Aircraft.")
    ] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="Identifier (passport, IMO...); repeatable.")
    ] = None,
    lists: ListsOpt = None,
    threshold: ThresholdOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most hits per query.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    file: Annotated[
        Path | None, typer.Option("--file", help="CSV of queries: id,name,schema,birth_date,nationality.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="JSON lines output for --file (default: stdout).")
    ] = None,
    workers: WorkersOpt = None,
    engine: Annotated[
        str, typer.Option("--engine", help="For --file: local (process pool) or spark (Parquet output).")
    ] = "local",
    date_order: DateOrderOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Screen one name, or a whole CSV file of queries with --file.

    With --file, a bad row gets an error record in the output and the other rows are screened; the
    command then exits with status 9 (--strict: stop at the first bad row, status 2).
    """
    list_keys = split_lists(lists)
    order = date_order_of(date_order)
    if file is None:
        if name is None:
            raise InputError("give a NAME to screen, or --file with a CSV of queries")
        if output is not None:
            raise InputError("--output needs --file (one name's hits go to the terminal; use --json)")
        if engine != "local":
            raise InputError("--engine needs --file (one name is screened in this process)")
        if strict:
            raise InputError("--strict needs --file (one name has no other rows to go on with)")
        born = birth_date(dob, order) if dob else None
        query = Query.build(
            name, schema=schema, birth_date=born, country=country, identifiers=identifier or []
        )
        screener = build_screener(ctx, list_keys)
        hits = screener.screen(query, limit=limit, threshold=threshold, lists=list_keys)
        if as_json:
            sys.stdout.buffer.write(
                orjson.dumps([h.to_dict() for h in hits], option=orjson.OPT_INDENT_2) + b"\n"
            )
        else:
            render_hits(Console(), query, hits)
        return
    if name is not None:
        raise InputError("give either a NAME or --file, not both")
    if engine not in ("local", "spark"):
        raise InputError(f"--engine: {engine!r} is not local or spark")
    if engine == "spark":
        if workers is not None:
            raise InputError("--workers is for --engine local; Spark's master sets the cores (local[2])")
        opts = BatchOptions(limit=limit, threshold=threshold, lists=list_keys)
        _screen_spark(ctx, file, output, opts, strict, order)
        return
    queries: list[BatchQuery] | list[BatchQuery | RowError]
    queries = read_queries(file, date_order=order) if strict else read_rows(file, date_order=order)
    if output is not None:
        output_path_ok(output)
    screener = build_screener(ctx, list_keys)
    opts = BatchOptions(limit=limit, threshold=threshold, lists=list_keys, workers=workers)
    started = time.perf_counter()
    with _progress(len(queries)) as bar:
        task = bar.add_task("screen", total=len(queries))
        lines = screen_batch(screener, queries, opts, progress=lambda n: bar.advance(task, n))
        if output is None:
            count = write_results(lines, sys.stdout.buffer)
        else:
            with open_output(output, "--output") as out:
                count = write_results(lines, out)
    took = time.perf_counter() - started
    bad = [(q.line, q.error) for q in queries if isinstance(q, RowError)]
    done = count - len(bad)
    failed = f"; {len(bad):,} rows failed" if bad else ""
    _err.print(f"screened {done:,} queries in {took:.1f}s ({done / max(took, 1e-9):,.0f}/s){failed}")
    if bad:
        report_bad_rows(file, bad)
        raise RowErrors(
            file, len(bad), count, f"line {bad[0][0]}: {bad[0][1]}", "their records carry 'error'"
        )


def _screen_spark(
    ctx: typer.Context,
    file: Path,
    output: Path | None,
    batch: BatchOptions,
    strict: bool,
    order: DateOrder | None,
) -> None:
    """``screen --file --engine spark``: screen on Spark, write a Parquet folder."""
    if output is None:
        raise InputError("--engine spark needs --output (a Parquet folder to create)")
    from sanctionwatch.batch.spark import SparkOptions, screen_store_spark, spark_session

    started = time.perf_counter()
    opts = SparkOptions(batch, strict=strict, date_order=order)
    run = screen_store_spark(spark_session(), settings_of(ctx), file, output, opts)
    took = time.perf_counter() - started
    done = run.rows - run.failed
    failed = f"; {run.failed:,} rows failed" if run.failed else ""
    _err.print(f"screened {done:,} queries on Spark in {took:.1f}s ({done / max(took, 1e-9):,.0f}/s){failed}")
    if run.first_error is not None:
        qid, why = run.first_error
        raise RowErrors(file, run.failed, run.rows, f"id {qid!r}: {why}", "their rows carry 'error'")


def eval_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="Labelled query CSVs (expected, group) and labelled pair CSVs (is_match)."),
    ],
    lists: ListsOpt = None,
    threshold: ThresholdOpt = None,
    hits_out: Annotated[
        Path | None, typer.Option("--hits-out", help="Also write the query files' hits as JSON lines.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    show_misses: Annotated[
        bool, typer.Option("--misses", help="List missed and falsely alerted queries (and pairs, per group).")
    ] = False,
    workers: WorkersOpt = None,
) -> None:
    """Screen labelled queries; print recall@1, recall@10, alerted recall and false-alert rate per group.

    Labelled pair files (name1,name2,is_match,group,category) are compared pair by pair instead:
    precision, recall and F1 at the alert threshold, overall, per group and per category.
    """
    pair_files = [path for path in files if is_pair_file(path)]
    pairs_read = [p for path in pair_files for p in read_pairs(path, labelled=True, strict=True)]
    labels: list[tuple[str, str, str]] = []
    queries: list[BatchQuery] = []
    origin: dict[str, Path] = {}
    for path in files:
        if path in pair_files:
            continue
        batch = read_queries(path, salvage_dates=True)
        for bq in batch:
            if "expected" not in bq.extra or "group" not in bq.extra:
                raise InputError(f"{path}: labelled queries need the columns 'expected' and 'group'")
            if bq.id in origin:  # figures are per query id: a repeated id would be counted twice
                raise InputError(f"{path}: id: {bq.id!r} is also in {str(origin[bq.id])!r}")
            origin[bq.id] = path
            labels.append((bq.id, bq.extra["expected"], bq.extra["group"]))
        queries.extend(batch)
    if hits_out is not None:
        if not queries:
            raise InputError("--hits-out needs a labelled query file (pair files have no hits)")
        output_path_ok(hits_out, "--hits-out")
    list_keys = split_lists(lists)
    screener = build_screener(ctx, list_keys)
    pairs = evaluate_pairs(screener, pairs_read, threshold) if pair_files else None
    figures = _screen_labelled(
        screener,
        queries,
        labels,
        BatchOptions(threshold=threshold, lists=list_keys, workers=workers),
        hits_out,
    )
    if as_json:
        data: dict[str, Any] = {g: f.rates() for g, f in figures.items()}
        if pairs is not None:
            data["pairs"] = {kind: {k: f.rates() for k, f in sets.items()} for kind, sets in pairs.items()}
        sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        return
    writer = csv.writer(sys.stdout, delimiter=" ", lineterminator="\n")
    for group, fig in figures.items():
        sys.stdout.write(f"{group:32s} {_cells(fig.rates())}\n")
        if show_misses and fig.misses:
            writer.writerow(["  misses:", *fig.misses[:50]])
    if pairs is not None:
        for kind, sets in pairs.items():
            for key, pf in sets.items():
                label = "pairs" if kind == "overall" else f"pairs {kind}={key}"
                sys.stdout.write(f"{label:40s} {_cells(pf.rates())}\n")
                if show_misses and pf.misses and kind == "group":
                    writer.writerow(["  misses:", *pf.misses[:50]])


def _cells(rates: dict[str, float | int]) -> str:
    return " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in rates.items())


def _screen_labelled(
    screener: Screener,
    queries: list[BatchQuery],
    labels: list[tuple[str, str, str]],
    opts: BatchOptions,
    hits_out: Path | None,
) -> dict[str, GroupFigures]:
    """Screen the labelled queries (writing their hits to ``hits_out``) and score them per group."""
    if not queries:
        return {}
    results: dict[str, list[dict[str, Any]]] = {}
    out = open_output(hits_out, "--hits-out") if hits_out else None
    try:
        with _progress(len(queries)) as bar:
            task = bar.add_task("screen", total=len(queries))
            for line in screen_batch(screener, queries, opts, progress=lambda n: bar.advance(task, n)):
                obj = orjson.loads(line)
                results[obj["query_id"]] = obj["hits"]
                if out:
                    out.write(line + b"\n")
    finally:
        if out:
            out.close()
    return score_results(labels, results)
