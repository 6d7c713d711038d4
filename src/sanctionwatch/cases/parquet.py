"""Reading a customer file in Parquet (``pyarrow``): the rows as text, numbered for messages.

Parquet columns are typed, so values are turned into the text a CSV file would hold: dates as ISO
8601, a list column (identifiers) joined with ``;``, nulls as empty text. Rows are numbered from 1
(``file.parquet:N: ...`` in messages is the N-th row) since a Parquet file has no lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sanctionwatch.batch.queries import REQUIRED_COLUMNS
from sanctionwatch.errors import InputError

__all__ = ["parquet_rows"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(_text(v) for v in value)
    return str(value)


def parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(row number, row)`` for each row of a Parquet file, numbered from 1.

    Raises:
        InputError: The file cannot be read as Parquet or lacks a required column.
    """
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # loaded only for Parquet files

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from None
    header = list(parquet.schema_arrow.names)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"{path}: missing column {missing[0]!r} (header has {', '.join(header) or 'nothing'})"
        )
    number = 0
    for batch in parquet.iter_batches():
        for record in batch.to_pylist():
            number += 1
            yield number, {str(k): _text(v) for k, v in record.items()}
