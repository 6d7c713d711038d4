"""UK OFSI consolidated list of financial sanctions targets, CSV format (``uk-ofsi``).

The file starts with ``Last Updated,dd/mm/yyyy`` (the publication date), then the header. Each row
is one name of one target (and one date of birth, one address: rows are their combinations); rows
sharing a ``Group ID`` are one entity ``uk-ofsi:<Group ID>``, wherever they are in the file.

Both OFSI layouts are read: the pre-2022 one (``NI Number``, ``Alias Type`` ``Prime Alias`` / ``AKA``
/ ``FKA``, Latin-1 / Windows-1252) and the "2022 format" one published at :data:`URL` (adds
``Passport Number``, ``National Identification Number``/``Details``, ``Alias Quality``, ``Name
Non-Latin Script``; ``Alias Type`` ``Primary name`` / ``Primary name variation`` / ``AKA``; ``Group
Type`` ``Ship``). ``Alias Quality`` ``Low`` marks weak aliases; the old layout has no such column.

Group Type ``Individual`` is a Person, ``Entity`` an Organization, ``Ship`` a Vessel. The old layout
lists ships as entities: an entity whose Other Information gives exactly one IMO number with a valid
ship check digit is read as a Vessel (and says so in its remarks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, Name, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.csvread import CsvRecord, check_header, decode, iter_csv, read_bytes
from sanctionwatch.sources.uk.ofsi_fields import parse_uk_date
from sanctionwatch.sources.uk.ofsi_group import Group

__all__ = ["LIST_KEY", "REQUIRED_COLUMNS", "UK_OFSI", "URL", "UkOfsiFormat"]

LIST_KEY = "uk-ofsi"
URL = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
_ENCODINGS = ("utf-8-sig", "cp1252")  # OFSI says Latin-1, but writes Windows-1252 quotes (0x92)
_HEAD_BYTES = 65536

_GIVEN = tuple(f"Name {i}" for i in range(1, 6))
REQUIRED_COLUMNS = (
    "Name 6",
    *_GIVEN,
    "Title",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Details",
    "Position",
    *(f"Address {i}" for i in range(1, 7)),
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Group Type",
    "Alias Type",
    "Regime",
    "Listed On",
    "Group ID",
)
CellReader = Callable[[str], str]
_SCHEMAS = {"individual": Schema.PERSON, "entity": Schema.ORGANIZATION, "ship": Schema.VESSEL}
_NAME_KINDS = {
    "prime alias": NameKind.PRIMARY,
    "primary name": NameKind.PRIMARY,
    "primary name variation": NameKind.AKA,
    "aka": NameKind.AKA,
    "alias": NameKind.AKA,
    "fka": NameKind.FKA,
}


def _clean(value: str) -> str:
    return " ".join(value.split())


class _Header:
    """The preamble and header of an OFSI file, and where the data rows start."""

    def __init__(self, path: Path, records: Iterator[CsvRecord]) -> None:
        first = next(records, None)
        if first is None:
            raise ListFileError(str(path), "the file is empty")
        if first.error:
            raise ListFileError(str(path), first.error, f"line {first.line}")
        self.published: str | None = None
        header = first
        if first.fields[0].strip().casefold() == "last updated":
            value = first.fields[1] if len(first.fields) > 1 else ""
            try:
                self.published = parse_uk_date(value)
            except ValueError as exc:
                raise ListFileError(str(path), f"'Last Updated' date: {exc}", f"line {first.line}") from exc
            second = next(records, None)
            if second is None or second.error:
                reason = second.error if second and second.error else "no header row after 'Last Updated'"
                raise ListFileError(str(path), reason, f"line {first.line + 1}")
            header = second
        self.fields = header.fields
        self.line = header.line
        self.columns = check_header(path, header.fields, REQUIRED_COLUMNS, header.line)


def _read_head(path: Path) -> _Header:
    try:
        with path.open("rb") as f:
            data = f.read(_HEAD_BYTES)
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    # The head may end inside a multi-byte character: keep whole lines only.
    lines = data.split(b"\n")
    text = decode(path, b"\n".join(lines[:3]) if len(lines) > 3 else data, _ENCODINGS)
    return _Header(path, iter_csv(text))


class UkOfsiFormat(SourceFormat):
    """The UK OFSI consolidated list CSV (one file)."""

    key = LIST_KEY
    title = "UK OFSI consolidated list of financial sanctions targets"

    def __init__(self) -> None:
        self.urls = {"ConList.csv": URL}

    def sniff(self, path: Path, head: bytes) -> bool:
        """An OFSI CSV: a line among the first three starts ``Name 6,`` and names ``Group ID``."""
        lines = head.split(b"\n", 3)[:3]
        return any(
            line.lstrip(b"\xef\xbb\xbf").startswith(b"Name 6,") and b"Group ID" in line for line in lines
        )

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one OFSI CSV in a folder.

        Raises:
            ListFileError: Not an OFSI CSV (the message names the missing columns), or the folder
                holds none or several.
        """
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and self._sniff_file(p)]
            if not found:
                raise ListFileError(str(path), "the folder holds no UK OFSI consolidated list CSV")
            if len(found) > 1:
                names = ", ".join(p.name for p in found)
                raise ListFileError(str(path), f"the folder holds several UK OFSI CSV files ({names})")
            path = found[0]
        _read_head(path)
        return ListFiles(self.key, LIST_KEY, (path,))

    def _sniff_file(self, path: Path) -> bool:
        try:
            with path.open("rb") as f:
                return self.sniff(path, f.read(8192))
        except OSError:
            return False

    def published(self, files: ListFiles) -> str | None:
        """The ``Last Updated`` date of the first row."""
        return _read_head(files.paths[0]).published

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities, one per Group ID, in order of first appearance.

        Raises:
            ListFileError: Wrong encoding or header; bad rows unless ``ctx.lenient``.
        """
        path = files.paths[0]
        records = iter_csv(decode(path, read_bytes(path), _ENCODINGS))
        header = _Header(path, records)
        cols = header.columns
        width = len(header.fields)
        groups: dict[str, Group] = {}
        for rec in records:
            where = f"line {rec.line}"
            if rec.error:
                ctx.bad_record(path, where, rec.error)
                continue
            fields = rec.fields
            if len(fields) < width or any(f.strip() for f in fields[width:]):
                ctx.bad_record(path, where, f"row has {len(fields)} fields, the header has {width}")
                continue

            def cell(column: str, fields: list[str] = fields) -> str:
                i = cols.get(column)
                return fields[i].strip() if i is not None else ""

            problem, schema, names = _read_row(cell)
            if problem:
                ctx.bad_record(path, where, problem)
                continue
            assert schema is not None
            gid = cell("Group ID")
            groups.setdefault(gid, Group(gid)).add(rec.line, schema, names, cell)
        for group in groups.values():
            try:
                entity = group.build(LIST_KEY)
            except ValueError as exc:
                ctx.bad_record(path, group.location, str(exc))
                continue
            yield entity


def _read_row(cell: CellReader) -> tuple[str | None, Schema | None, list[Name]]:
    """Check one row and read its schema and names; the first item is the problem, if any."""
    if not cell("Group ID"):
        return "row has no Group ID", None, []
    group_type = cell("Group Type")
    schema = _SCHEMAS.get(group_type.casefold())
    if schema is None:
        return f"unknown Group Type {group_type!r} (expected Individual, Entity or Ship)", None, []
    alias_type = cell("Alias Type")
    kind = _NAME_KINDS.get(_clean(alias_type).casefold())
    if kind is None:
        return f"unknown Alias Type {alias_type!r}", None, []
    given = _clean(" ".join(cell(c) for c in _GIVEN))
    surname = _clean(cell("Name 6"))
    full = _clean(f"{given} {surname}")
    if not full:
        return f"row of Group ID {cell('Group ID')} has no name (Name 1 to Name 6 are empty)", None, []
    weak = "low" in cell("Alias Quality").casefold()
    names = [
        Name(full, kind, weak, first=given or None, last=surname or None)
        if schema is Schema.PERSON
        else Name(full, kind, weak)
    ]
    non_latin = _clean(cell("Name Non-Latin Script"))
    if non_latin:
        names.append(Name(non_latin, NameKind.AKA, weak))
    return None, schema, names


UK_OFSI = UkOfsiFormat()
