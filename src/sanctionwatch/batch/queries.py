"""Reading batch query files (CSV ``id,name,schema,birth_date,nationality`` plus pass-through columns).

A file that cannot be read as a query file (missing column, not UTF-8, not CSV) is one error
naming the file. A bad row is either one error naming the file, the line and the field (strict:
:func:`read_queries`, :func:`parse_rows`), or a :class:`RowError` kept in its place among the
queries (:func:`read_rows`, :func:`check_rows`), so the other rows are screened and the bad one is
reported in the output: nothing is dropped silently.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sanctionwatch.dates import AmbiguousDate, DateOrder, parse_date
from sanctionwatch.errors import InputError, SanctionwatchError
from sanctionwatch.matching.query import Query, salvage_date

__all__ = [
    "REQUIRED_COLUMNS",
    "ROW_ERRORS_EXIT",
    "BatchQuery",
    "RowError",
    "RowErrors",
    "birth_date",
    "check_rows",
    "csv_rows",
    "parse_rows",
    "read_queries",
    "read_rows",
    "row_query",
]

REQUIRED_COLUMNS = ("id", "name")
KNOWN_COLUMNS = ("id", "name", "schema", "birth_date", "nationality", "country", "identifiers")
ROW_ERRORS_EXIT = 9


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One row of a query file: its id, the validated query and the pass-through columns."""

    id: str
    query: Query
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that is not a valid query: its id (as written), its line and why, in one line."""

    query_id: str
    line: int
    error: str
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The output record: ``query_id``, ``line``, ``error`` (and ``extra``, as a good row's)."""
        out: dict[str, Any] = {"query_id": self.query_id, "line": self.line, "error": self.error}
        if self.extra:
            out["extra"] = self.extra
        return out


class RowErrors(SanctionwatchError):
    """A file was processed to the end, but some of its rows failed (their records say why)."""

    http_status = 422
    exit_code = ROW_ERRORS_EXIT

    def __init__(self, path: Path | str, failed: int, total: int, first: str, hint: str) -> None:
        """``first``: where the first bad row is and why (``line 3: birth_date: ...``)."""
        self.failed = failed
        super().__init__(
            f"{path}: {failed:,} of {total:,} rows failed ({hint}); first: {first}; "
            "--strict stops at the first bad row"
        )


def _not_utf8(path: Path) -> str:
    """Where a file stops being UTF-8, as ``path:line: ...`` with the byte's offset in the file.

    The decoding error raised while reading gives offsets within the text layer's current chunk,
    not the file, so the file is decoded again in full to find the real place.
    """
    data = path.read_bytes()
    try:
        data.decode("utf-8")  # a byte-order mark is valid UTF-8: offsets stay those of the file
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        return f"{path}:{line}: not UTF-8 text (byte 0x{data[start]:02x} at offset {start}: {exc.reason})"
    return f"{path}: not UTF-8 text"


def csv_rows(
    path: Path, required: tuple[str, ...] = REQUIRED_COLUMNS
) -> Iterator[tuple[int, dict[str, str] | tuple[str, str]]]:
    """``(line, row)`` of a CSV file, or ``(line, (id, why))`` for a line not of the header's shape.

    Raises:
        InputError: A column of ``required`` is missing, not UTF-8, not CSV, unreadable.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(
                    f"{path}: missing column {missing[0]!r} (header has {', '.join(header) or 'nothing'})"
                )
            for row in reader:
                if None in row:
                    qid = str(row.get("id") or "").strip()
                    yield reader.line_num, (qid, "more fields than the header has columns")
                    continue
                yield reader.line_num, {k: (v or "") for k, v in row.items()}
    except UnicodeDecodeError:
        raise InputError(_not_utf8(path)) from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def check_rows(
    rows: Iterable[tuple[int, dict[str, str] | tuple[str, str]]],
    salvage_dates: bool = False,
    date_order: DateOrder | None = None,
) -> Iterator[BatchQuery | RowError]:
    """Each ``(line, row)`` as a validated query, or as the :class:`RowError` saying what is wrong.

    Args:
        rows: ``(line, row)`` pairs (a CSV file's, or another tabular format's), or
            ``(line, (id, why))`` for a line that could not be read as a row.
        salvage_dates: Keep the valid prefix of a malformed birth date (labelled evaluation files).
        date_order: How to read day-month-year birth dates (``dmy`` or ``mdy``); without it they fail.
    """
    seen: dict[str, int] = {}
    for line, row in rows:
        if isinstance(row, tuple):
            yield RowError(row[0], line, row[1])
            continue
        qid = row.get("id", "").strip()
        extra = _extra(row)
        if not qid:
            yield RowError("", line, "id: must not be empty", extra)
            continue
        if qid in seen:
            yield RowError(qid, line, f"id: {qid!r} already used on line {seen[qid]}", extra)
            continue
        seen[qid] = line
        try:
            yield row_query(qid, row, salvage_dates, date_order)
        except InputError as exc:
            yield RowError(qid, line, str(exc), extra)


def _strict(path: Path, items: Iterable[BatchQuery | RowError]) -> list[BatchQuery]:
    out: list[BatchQuery] = []
    for item in items:
        if isinstance(item, RowError):
            raise InputError(f"{path}:{item.line}: {item.error}")
        out.append(item)
    return out


def read_queries(
    path: Path, salvage_dates: bool = False, date_order: DateOrder | None = None
) -> list[BatchQuery]:
    """All queries of a CSV file, validated; the first bad row stops the reading.

    Args:
        path: The CSV file.
        salvage_dates: Keep the valid prefix of a malformed birth date instead of failing (for
            labelled evaluation files, whose dates carry deliberate typos).
        date_order: How to read day-month-year birth dates (``dmy`` or ``mdy``).

    Raises:
        InputError: Missing column, empty id or name, unknown schema or country, bad date,
            duplicate id; the message names file, line and field.
    """
    return _strict(path, check_rows(csv_rows(path), salvage_dates, date_order))


def read_rows(
    path: Path, salvage_dates: bool = False, date_order: DateOrder | None = None
) -> list[BatchQuery | RowError]:
    """Every row of a CSV file, in order: a validated query, or the :class:`RowError` of a bad row.

    Raises:
        InputError: The file is not a query file: missing column, not UTF-8, not CSV, unreadable.
    """
    return list(check_rows(csv_rows(path), salvage_dates, date_order))


def parse_rows(
    path: Path,
    rows: Iterable[tuple[int, dict[str, str] | tuple[str, str]]],
    salvage_dates: bool = False,
    date_order: DateOrder | None = None,
) -> list[BatchQuery]:
    """Validate ``(line, row)`` pairs read from ``path``; the first bad row stops the reading.

    Raises:
        InputError: As :func:`read_queries`.
    """
    return _strict(path, check_rows(rows, salvage_dates, date_order))


def _extra(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k not in KNOWN_COLUMNS}


def birth_date(value: str, order: DateOrder | None = None) -> str:
    """A birth date as a file or option writes it, as ``YYYY[-MM[-DD]]``.

    Raises:
        InputError: Not a date, not a real one, or day-month-year without ``order`` (the message
            then says to give ``--date-order``).
    """
    try:
        return parse_date(value, order)
    except AmbiguousDate:
        raise InputError(
            f"birth_date: {value!r} may be day/month/year or month/day/year; "
            "say which with --date-order dmy or --date-order mdy"
        ) from None


def _birth_date(value: str, salvage: bool, order: DateOrder | None) -> str | None:
    if salvage:
        return salvage_date(value)
    return birth_date(value, order) if value.strip() else None


def row_query(
    qid: str, row: dict[str, str], salvage_dates: bool = False, date_order: DateOrder | None = None
) -> BatchQuery:
    """One row of a query file (or table) as a validated query plus its pass-through columns.

    Raises:
        InputError: A bad field; the caller adds where the row is.
    """
    ids = [x.strip() for x in row.get("identifiers", "").split(";") if x.strip()]
    query = Query.build(
        row["name"],
        schema=row.get("schema") or None,
        birth_date=_birth_date(row.get("birth_date", ""), salvage_dates, date_order),
        country=row.get("nationality") or row.get("country") or None,
        identifiers=ids,
    )
    return BatchQuery(qid, query, _extra(row))
