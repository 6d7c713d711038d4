"""Reading list files as text and as CSV, with errors that name the file, the line and the reason.

The standard ``csv`` module does the parsing (``strict=True``, so a file cut inside a quoted field is
an error rather than a short last row); this module adds what list imports need around it: encoding
checks (a UTF-16 file is named as such instead of failing as garbage), the physical line each
record starts on, and header checks that name the missing columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sanctionwatch.errors import ListFileError

__all__ = ["CsvRecord", "check_header", "decode", "iter_csv", "open_csv", "read_bytes", "split_list"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_bytes(path: Path) -> bytes:
    """The whole file.

    Raises:
        ListFileError: The file cannot be read.
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc


def _check_not_utf16(path: Path, data: bytes, expected: str) -> None:
    if data.startswith(_UTF16_BOMS):
        raise ListFileError(
            str(path), f"wrong encoding: the file starts with a UTF-16 byte-order mark; expected {expected}"
        )
    if b"\x00" in data[:4096]:
        raise ListFileError(
            str(path), f"wrong encoding: the file holds NUL bytes (UTF-16 or binary?); expected {expected}"
        )


def decode(path: Path, data: bytes, encodings: Sequence[str]) -> str:
    """Decode a list file, trying ``encodings`` in order.

    Args:
        path: The file, for messages.
        data: Its bytes.
        encodings: Python codec names, e.g. ``("utf-8-sig", "cp1252")``.

    Raises:
        ListFileError: The bytes look like UTF-16, or no encoding decodes them (the message names
            the line and the byte of the first failure of the last encoding tried).
    """
    expected = " or ".join(encodings)
    _check_not_utf16(path, data, expected)
    failure: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            failure = exc
    assert failure is not None
    line = data.count(b"\n", 0, failure.start) + 1
    bad = data[failure.start : failure.start + 1]
    raise ListFileError(
        str(path), f"wrong encoding: byte {bad!r} is not valid {failure.encoding}", f"line {line}"
    )


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One CSV record, or the reason it could not be read.

    Attributes:
        line: Physical line the record starts on (1-based).
        fields: The fields; empty when ``error`` is set.
        error: Why the record is unreadable (bad quoting, file cut inside a quoted field).
    """

    line: int
    fields: list[str]
    error: str | None = None


def iter_csv(text: str, delimiter: str = ",") -> Iterator[CsvRecord]:
    """The records of a CSV text, blank lines skipped, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    end = 0
    while True:
        start = end + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            if reader.line_num >= text.count("\n") + 1 and "end of data" in str(exc):
                reason = "file is truncated: it ends inside a quoted field"
            else:
                reason = f"malformed CSV record: {exc}"
            yield CsvRecord(start, [], reason)
            continue
        end = reader.line_num
        if fields:
            yield CsvRecord(start, fields)


def check_header(path: Path, header: Sequence[str], required: Sequence[str], line: int) -> dict[str, int]:
    """Column positions by name, after checking every required column is there.

    Raises:
        ListFileError: Columns are missing; the message names them and quotes the header found.
    """
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(name.strip(), i)
    missing = [name for name in required if name not in positions]
    if missing:
        found = ",".join(header)
        if len(found) > 300:
            found = found[:300] + "..."
        raise ListFileError(
            str(path),
            f"missing column(s) {', '.join(repr(m) for m in missing)} in the header {found!r}",
            f"line {line}",
        )
    return positions


def split_list(value: str, sep: str = ";") -> list[str]:
    """The non-empty, stripped items of a ``sep``-separated field."""
    return [item for item in (part.strip() for part in value.split(sep)) if item]


def open_csv(
    path: Path, required: Sequence[str], encodings: Sequence[str] = ("utf-8-sig",)
) -> tuple[list[str], Iterator[CsvRecord]]:
    """Decode a headed CSV file, check its header, and return the column names and the records.

    Raises:
        ListFileError: Unreadable, wrongly encoded or empty file, or a required column missing.
    """
    records = iter_csv(decode(path, read_bytes(path), encodings))
    header = next(records, None)
    if header is None:
        raise ListFileError(str(path), "the file is empty")
    if header.error:
        raise ListFileError(str(path), header.error, f"line {header.line}")
    check_header(path, header.fields, required, header.line)
    return [h.strip() for h in header.fields], records
