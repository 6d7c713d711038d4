"""Reading batch query files (CSV ``id,name,schema,birth_date,nationality`` plus pass-through columns).

The whole file is validated before any screening starts: a missing column or a bad value stops
the run with an error naming the file, the line and the field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import Query, salvage_date

__all__ = [
    "REQUIRED_COLUMNS",
    "BatchQuery",
    "parse_rows",
    "read_queries",
    "row_query",
]

REQUIRED_COLUMNS = ("id", "name")
KNOWN_COLUMNS = ("id", "name", "schema", "birth_date", "nationality", "country", "identifiers")


@dataclass(frozen=True, slots=True)
class BatchQuery:
    """One row of a query file: its id, the validated query and the pass-through columns."""

    id: str
    query: Query
    extra: dict[str, str] = field(default_factory=dict)


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


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(
                    f"{path}: missing column {missing[0]!r} (header has {', '.join(header) or 'nothing'})"
                )
            for row in reader:
                if None in row:
                    raise InputError(f"{path}:{reader.line_num}: more fields than the header has columns")
                yield reader.line_num, {k: (v or "") for k, v in row.items()}
    except UnicodeDecodeError:
        raise InputError(_not_utf8(path)) from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_queries(path: Path, salvage_dates: bool = False) -> list[BatchQuery]:
    """All queries of a CSV file, validated.

    Args:
        path: The CSV file.
        salvage_dates: Keep the valid prefix of a malformed birth date instead of failing (for
            labelled evaluation files, whose dates carry deliberate typos).

    Raises:
        InputError: Missing column, empty id or name, unknown schema or country, bad date,
            duplicate id; the message names file, line and field.
    """
    return parse_rows(path, _rows(path), salvage_dates)


def parse_rows(
    path: Path, rows: Iterable[tuple[int, dict[str, str]]], salvage_dates: bool = False
) -> list[BatchQuery]:
    """Validate ``(line, row)`` pairs read from ``path`` (a CSV file, or another tabular format).

    Raises:
        InputError: As :func:`read_queries`.
    """
    out: list[BatchQuery] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        qid = row["id"].strip()
        if not qid:
            raise InputError(f"{path}:{line}: id: must not be empty")
        if qid in seen:
            raise InputError(f"{path}:{line}: id: {qid!r} already used on line {seen[qid]}")
        seen[qid] = line
        try:
            out.append(row_query(qid, row, salvage_dates))
        except InputError as exc:
            raise InputError(f"{path}:{line}: {exc}") from None
    return out


def row_query(qid: str, row: dict[str, str], salvage_dates: bool = False) -> BatchQuery:
    """One row of a query file (or table) as a validated query plus its pass-through columns.

    Raises:
        InputError: A bad field; the caller adds where the row is.
    """
    ids = [x.strip() for x in row.get("identifiers", "").split(";") if x.strip()]
    query = Query.build(
        row["name"],
        schema=row.get("schema") or None,
        birth_date=salvage_date(row.get("birth_date")) if salvage_dates else row.get("birth_date"),
        country=row.get("nationality") or row.get("country") or None,
        identifiers=ids,
    )
    return BatchQuery(qid, query, {k: v for k, v in row.items() if k not in KNOWN_COLUMNS})
