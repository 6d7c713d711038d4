"""Screen many queries on every core and write JSON lines, one object per query, in input order.

A row that failed validation (:class:`~sanctionwatch.batch.queries.RowError`) keeps its place: its
line holds ``query_id``, ``line`` and ``error`` instead of ``hits``, so it is never mistaken for a
query screened without hits.

Workers are forked after the screener is built, so each inherits the index copy-on-write instead of
rebuilding or unpickling it. The screener reaches the workers through ``_SCREENER``, set just before
the fork: a process-pool necessity, not configuration.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from sanctionwatch.batch.queries import BatchQuery, RowError
from sanctionwatch.errors import InputError
from sanctionwatch.matching.screener import Screener

__all__ = ["BatchOptions", "output_path_ok", "screen_batch", "write_results"]

_SCREENER: Screener | None = None


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How to screen a batch."""

    limit: int = 10
    threshold: float | None = None
    lists: tuple[str, ...] | None = None
    workers: int | None = None
    chunk: int = 256


def _result(screener: Screener, bq: BatchQuery | RowError, opts: BatchOptions) -> dict[str, Any]:
    if isinstance(bq, RowError):
        return bq.to_dict()
    hits = screener.screen(bq.query, limit=opts.limit, threshold=opts.threshold, lists=opts.lists)
    out: dict[str, Any] = {"query_id": bq.id, "hits": [h.to_dict() for h in hits]}
    if bq.extra:
        out["extra"] = bq.extra
    return out


def _work(args: tuple[list[BatchQuery | RowError], BatchOptions]) -> list[bytes]:
    chunk, opts = args
    assert _SCREENER is not None, "worker started without a screener"
    return [orjson.dumps(_result(_SCREENER, bq, opts)) for bq in chunk]


def _chunks(items: Sequence[BatchQuery | RowError], size: int) -> Iterator[list[BatchQuery | RowError]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def screen_batch(
    screener: Screener,
    queries: Sequence[BatchQuery | RowError],
    opts: BatchOptions,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Yield one JSON line (bytes, no newline) per query, in input order.

    Args:
        screener: The built screener.
        queries: Validated queries, and the rows that failed validation (their error records).
        opts: Limit, threshold, lists, worker count (default: every core).
        progress: Called with the number of queries just finished.
    """
    global _SCREENER
    workers = opts.workers or os.cpu_count() or 1
    if workers <= 1 or len(queries) < 2 * opts.chunk:
        for bq in queries:
            yield orjson.dumps(_result(screener, bq, opts))
            if progress:
                progress(1)
        return
    _SCREENER = screener
    # Move everything alive now out of the garbage collector's reach, so the forked workers do
    # not write to (and so copy) every page of the shared index when a collection runs.
    gc.freeze()
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            jobs: Iterable[tuple[list[BatchQuery | RowError], BatchOptions]] = (
                (c, opts) for c in _chunks(queries, opts.chunk)
            )
            for lines in pool.map(_work, jobs):
                yield from lines
                if progress:
                    progress(len(lines))
    finally:
        _SCREENER = None
        gc.unfreeze()


def write_results(lines: Iterable[bytes], out: IO[bytes]) -> int:
    """Write JSON lines to a binary stream; returns how many were written."""
    n = 0
    for line in lines:
        out.write(line)
        out.write(b"\n")
        n += 1
    return n


def output_path_ok(path: Path, option: str = "--output") -> None:
    """Fail early (before the index is built) when ``path`` cannot be an output file.

    Raises:
        InputError: The folder does not exist, or the path is a folder; names the option.
    """
    if not path.parent.is_dir():
        raise InputError(f"{option}: folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise InputError(f"{option}: {str(path)!r} is a folder; give a file name")
