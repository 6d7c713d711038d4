"""Reading OFAC legacy CSV files: which file plays which role, decoding, rows with line numbers.

The files are headerless CSV in Windows-1252 (UTF-8 accepted when a file decodes as such), ``-0-``
(with a trailing space) stands for an empty field, and a file may end with the ``0x1A`` end-of-file
byte. Every row is checked for its column count and numeric ``ent_num``; a row that fails goes to
:meth:`ParseContext.bad_record` with its physical line number. Records are split by the shared
reader (:func:`~sanctionwatch.sources.csvread.iter_csv`); this module adds the OFAC decoding and checks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sanctionwatch.errors import ListFileError
from sanctionwatch.sources.base import ParseContext, read_head
from sanctionwatch.sources.csvread import iter_csv, read_bytes

__all__ = [
    "CONS_FILES",
    "SDN_FILES",
    "SDN_TYPES",
    "FileSet",
    "Role",
    "check_main_file",
    "field_value",
    "find_file",
    "is_cons_name",
    "read_rows",
    "role_by_content",
    "role_by_name",
]


class Role(StrEnum):
    """The part a file plays in an OFAC file set."""

    MAIN = "main"
    ADD = "add"
    ALT = "alt"
    COMMENTS = "comments"


#: Column names per role, as the OFAC documentation names them (used in error messages).
COLUMNS: dict[Role, tuple[str, ...]] = {
    Role.MAIN: (
        "ent_num",
        "SDN_Name",
        "SDN_Type",
        "Program",
        "Title",
        "Call_Sign",
        "Vess_type",
        "Tonnage",
        "GRT",
        "Vess_flag",
        "Vess_owner",
        "Remarks",
    ),
    Role.ADD: ("ent_num", "add_num", "address", "city/state/postal", "country", "add_remarks"),
    Role.ALT: ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"),
    Role.COMMENTS: ("ent_num", "remarks continuation"),
}

#: SDN_Type values; ``-0-`` (empty) means an entity.
SDN_TYPES = frozenset({"individual", "vessel", "aircraft", ""})
ALT_TYPES = frozenset({"aka", "fka", "nka"})


@dataclass(frozen=True, slots=True)
class FileSet:
    """The official file names of one OFAC set (lower case; matched case-insensitively)."""

    main: str
    add: str
    alt: str
    comments: str

    def by_role(self) -> dict[Role, str]:
        """File name per role."""
        return {Role.MAIN: self.main, Role.ADD: self.add, Role.ALT: self.alt, Role.COMMENTS: self.comments}


SDN_FILES = FileSet("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")
CONS_FILES = FileSet("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")

_EMPTY = "-0-"
# Characters no OFAC text field holds: C0 controls (but tab), DEL, and U+FFFD from undecodable bytes.
_GARBAGE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_EOF = re.compile(rb"\x1a[\r\n\x1a]*\Z")


def field_value(raw: str) -> str | None:
    """A field's text, or ``None`` for the ``-0-`` empty marker and blank fields."""
    value = raw.strip()
    if not value or value == _EMPTY:
        return None
    return value


def is_cons_name(path: Path) -> bool:
    """Whether a file name belongs to the non-SDN consolidated set (``cons_*``)."""
    return path.name.lower().startswith("cons")


def find_file(folder: Path, name: str) -> Path | None:
    """The file called ``name`` (any letter case) in ``folder``, or ``None``."""
    wanted = name.lower()
    try:
        for child in sorted(folder.iterdir()):
            if child.name.lower() == wanted and child.is_file():
                return child
    except OSError as exc:
        raise ListFileError(str(folder), f"cannot list folder: {exc.strerror or exc}") from exc
    return None


def role_by_name(path: Path, files: FileSet) -> Role | None:
    """The role of a file named as in ``files`` (any letter case), or ``None``."""
    name = path.name.lower()
    for role, official in files.by_role().items():
        if name == official:
            return role
    return None


def _first_line(head: bytes) -> str:
    head = head.removeprefix(b"\xef\xbb\xbf")
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    return line.decode("cp1252", errors="replace")


def role_by_content(head: bytes) -> Role | None:
    """The role a file's first line has the shape of, or ``None`` if it is no OFAC CSV file.

    Shape: numeric ``ent_num`` first, then 12 fields with a known ``SDN_Type`` (main file), 6 fields
    with a numeric ``add_num`` (addresses), 5 fields with ``aka``/``fka``/``nka`` (aliases), or 2
    fields (remarks continuations).
    """
    line = _first_line(head)
    if "\x00" in line:
        return None
    fields = next(csv.reader([line]), [])
    if len(fields) < 2 or not _is_number(fields[0]):
        return None
    count = len(fields)
    if count == 12 and (field_value(fields[2]) or "") in SDN_TYPES:
        return Role.MAIN
    if count == 6 and _is_number(fields[1]):
        return Role.ADD
    if count == 5 and _is_number(fields[1]) and fields[2].strip().lower() in ALT_TYPES:
        return Role.ALT
    if count == 2 and fields[1].strip():
        return Role.COMMENTS
    return None


def _is_number(text: str) -> bool:
    text = text.strip()
    return text.isascii() and text.isdigit()


def check_main_file(path: Path, title: str) -> None:
    """Check that ``path`` starts like an OFAC main file (``sdn.csv`` / ``cons_prim.csv``).

    Raises:
        ListFileError: The file is empty, UTF-16/32 encoded, or not an OFAC CSV main file.
    """
    head = read_head(path)
    if not head.strip(b"\x1a\r\n \t"):
        raise ListFileError(str(path), f"the file is empty: no {title} records")
    _check_encoding(path, head)
    if role_by_content(head) is not Role.MAIN:
        shown = _first_line(head)[:80]
        raise ListFileError(
            str(path),
            f"not an {title} CSV main file: the first line {shown!r} is not 12 comma-separated fields "
            "(ent_num, SDN_Name, SDN_Type, ..., Remarks) starting with a numeric ent_num",
            "line 1",
        )


def _check_encoding(path: Path, data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:2]):
        raise ListFileError(
            str(path),
            "the file is UTF-16/UTF-32 encoded (byte-order mark or NUL bytes); "
            "OFAC CSV files are Windows-1252 (or UTF-8) text",
            "line 1",
        )


def _decode(path: Path, data: bytes) -> str:
    """File text: UTF-8 when it decodes as such, else Windows-1252 (undecodable bytes become U+FFFD)."""
    _check_encoding(path, data)
    data = _EOF.sub(b"", data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(path: Path, role: Role, ctx: ParseContext) -> Iterator[tuple[int, list[str]]]:
    """Rows of one file with their physical line numbers.

    Only rows with the right column count, a numeric ``ent_num`` and no binary garbage are yielded;
    the others go to ``ctx.bad_record``.

    Raises:
        ListFileError: The file cannot be read or is UTF-16/32; bad rows unless ``ctx.lenient``.
    """
    text = _decode(path, read_bytes(path))
    columns = COLUMNS[role]
    check_garbage = _GARBAGE.search(text) is not None
    lines: list[str] = []

    def physical(n: int) -> str:
        if not lines:  # split exactly as the csv reader does, only when a message needs it
            lines.extend(io.StringIO(text, newline="").readlines())
        return lines[n - 1].rstrip("\r\n")[:80] if n <= len(lines) else ""

    for record in iter_csv(text):
        start, row = record.line, record.fields
        if record.error is not None:
            ctx.bad_record(path, f"line {start}", f"{record.error}: {physical(start)!r}")
            continue
        if check_garbage:
            bad = next((f for f in row if _GARBAGE.search(f)), None)
            if bad is not None:
                ctx.bad_record(
                    path, f"line {start}", f"binary data (not Windows-1252 text) in the record: {bad[:60]!r}"
                )
                continue
        if len(row) != len(columns):
            ctx.bad_record(
                path,
                f"line {start}",
                f"expected {len(columns)} fields ({', '.join(columns)}), found {len(row)}: "
                f"{physical(start)!r}",
            )
            continue
        if not _is_number(row[0]):
            ctx.bad_record(path, f"line {start}", f"ent_num {row[0]!r} is not a number")
            continue
        yield start, row
