"""``sanctionwatch compare``: score one pair of names, or a file of pairs; pair figures for ``eval``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.markup import escape

from sanctionwatch.batch.pairs import Pair, compare_pairs, pair_of, read_pairs
from sanctionwatch.batch.queries import RowErrors
from sanctionwatch.batch.runner import output_path_ok, write_results
from sanctionwatch.cli.common import new_console, print_json
from sanctionwatch.cli.render_hits import explanation_text
from sanctionwatch.cli.screen import (
    ListsOpt,
    StrictOpt,
    ThresholdOpt,
    build_screener,
    open_output,
    report_bad_rows,
    split_lists,
)
from sanctionwatch.errors import InputError
from sanctionwatch.matching.screener import Screener

__all__ = ["compare_command"]

_err = new_console(stderr=True)


def _one(screener: Screener, pair: Pair, threshold: float | None, as_json: bool) -> None:
    found = screener.compare(pair.name1, pair.name2, pair.schema)
    cut = screener.config.threshold if threshold is None else threshold
    match = found.score >= cut
    if as_json:
        [record] = compare_pairs(screener, [pair], threshold)
        record.pop("line")
        print_json(record)
        return
    console = new_console()
    verdict = "[bold red]MATCH[/]" if match else "[dim]no match[/]"
    console.print(
        f"{escape(repr(pair.name1))} ~ {escape(repr(pair.name2))} ({pair.schema.value}): "
        f"score {found.score:.2f}, {verdict} (threshold {cut:.2f})",
        soft_wrap=True,
    )
    console.print(explanation_text(found.explanation))


def compare_command(
    ctx: typer.Context,
    name1: Annotated[str | None, typer.Argument(help="The first name (scored as the query).")] = None,
    name2: Annotated[str | None, typer.Argument(help="The second name (scored as if listed).")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person (default), Organization, Vessel or Aircraft.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the score as JSON.")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="CSV of pairs: name1,name2[,schema].")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="JSON lines output for --file (default: stdout).")
    ] = None,
    lists: ListsOpt = None,
    threshold: ThresholdOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Score two names against each other, with the full explanation, or every pair of a file.

    How rare each name part is comes from the active lists (a common part weighs little), so the
    lists are loaded as for `screen`: import them first (`--lists` restricts which).
    """
    list_keys = split_lists(lists)
    if file is None:
        if name1 is None or name2 is None:
            raise InputError("give two names, NAME1 NAME2, or --file with a CSV of pairs")
        if output is not None or strict:
            raise InputError("--output and --strict need --file (one pair goes to the terminal)")
        pair = pair_of(name1, name2, schema)
        _one(build_screener(ctx, list_keys), pair, threshold, as_json)
        return
    if name1 is not None:
        raise InputError("give either two names or --file, not both")
    if schema is not None or as_json:
        raise InputError("--schema and --json are for one pair; a pair file has a schema column")
    pairs = read_pairs(file, strict=strict)
    if output is not None:
        output_path_ok(output)
    screener = build_screener(ctx, list_keys)
    started = time.perf_counter()
    records = list(compare_pairs(screener, pairs, threshold))
    lines = (orjson.dumps(r) for r in records)
    if output is None:
        count = write_results(lines, sys.stdout.buffer)
    else:
        with open_output(output, "--output") as out:
            count = write_results(lines, out)
    bad = [(r["line"], r["error"]) for r in records if "error" in r]
    took = time.perf_counter() - started
    failed = f"; {len(bad):,} rows failed" if bad else ""
    _err.print(f"compared {count - len(bad):,} pairs in {took:.1f}s{failed}")
    if bad:
        report_bad_rows(file, bad)
        raise RowErrors(
            file, len(bad), count, f"line {bad[0][0]}: {bad[0][1]}", "their records carry 'error'"
        )
