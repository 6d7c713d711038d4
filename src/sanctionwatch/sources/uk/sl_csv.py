"""UK Sanctions List (FCDO), CSV format (``uk-sl``): the sole official UK source since 28 January 2026.

The file starts with ``Report Date: 13-Feb-2026`` (the publication date), then the header of
:data:`COLUMNS` (``Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,...``).
Each row is one name (and one address) of one designation; rows sharing a ``Unique ID`` are one
entity ``uk-sl:<Unique ID>``, wherever they are in the file. How each column is kept:
:mod:`sanctionwatch.sources.uk.sl_designation`. Columns beyond the published layout are kept in
the remarks under their own name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.csvread import CsvRecord, check_header, decode, iter_csv, read_bytes
from sanctionwatch.sources.uk.ofsi_fields import parse_uk_date
from sanctionwatch.sources.uk.sl_designation import LIST_KEY, Designation, name_kind, parse_designation_type

__all__ = ["COLUMNS", "CSV_URL", "UK_SL", "UkSlCsvFormat", "parse_report_date"]

CSV_URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
_ENCODINGS = ("utf-8-sig", "cp1252")
_HEAD_BYTES = 65536
_NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")
_ADDRESS = (*(f"Address Line {i}" for i in range(1, 7)), "Address Postal Code", "Address Country")
_PAIRS = {
    "passport": ("Passport number", "Passport additional information"),
    "national_id": ("National Identifier number", "National Identifier additional information"),
    "birth": ("Town of birth", "Country of birth"),
    "address": _ADDRESS,
}

#: The published column layout, in file order.
COLUMNS = (
    "Last Updated",
    "Unique ID",
    "OFSI Group ID",
    "UN Reference Number",
    "Name 6",
    *_NAME_PARTS[:5],
    "Name type",
    "Alias strength",
    "Title",
    "Name non-latin script",
    "Non-latin script type",
    "Non-latin script language",
    "Regime Name",
    "Designation Type",
    "Designation source",
    "Sanctions Imposed",
    "Other Information",
    "UK Statement of Reasons",
    *_ADDRESS[:6],
    "Address Postal Code",
    "Address Country",
    "Phone number",
    "Website",
    "Email address",
    "Date Designated",
    "D.O.B",
    "Nationality(/ies)",
    "National Identifier number",
    "National Identifier additional information",
    "Passport number",
    "Passport additional information",
    "Position",
    "Gender",
    "Town of birth",
    "Country of birth",
    "Type of entity",
    "Subsidiaries",
    "Parent company",
    "Business registration number (s)",
    "IMO number",
    "Current owner/operator (s)",
    "Previous owner/operator (s)",
    "Current believed flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year Built",
    "Hull identification number (HIN)",
)
_SPECIAL = {
    "Unique ID",
    *_NAME_PARTS,
    "Name type",
    "Alias strength",
    "Name non-latin script",
    "Non-latin script type",
    "Non-latin script language",
    "Designation Type",
    *(c for pair in _PAIRS.values() for c in pair),
}
_VALUE_COLUMNS = tuple(c for c in COLUMNS if c not in _SPECIAL)
_REPORT_DATE = re.compile(r"^\ufeff?\s*Report Date\s*:\s*(.+?)\s*$", re.IGNORECASE)


def parse_report_date(text: str) -> str:
    """ISO date of a ``Report Date`` value: ``13-Feb-2026`` (as published) or ``13/02/2026``.

    Raises:
        ValueError: Neither form.
    """
    value = text.strip()
    try:
        return datetime.strptime(value, "%d-%b-%Y").date().isoformat()
    except ValueError:
        pass
    try:
        return parse_uk_date(value)
    except ValueError:
        raise ValueError(f"Report Date {value!r} is not dd-Mon-yyyy") from None


class _Header:
    """The ``Report Date`` line and the header of a UKSL CSV file."""

    def __init__(self, path: Path, records: Iterator[CsvRecord]) -> None:
        first = next(records, None)
        if first is None:
            raise ListFileError(str(path), "the file is empty")
        if first.error:
            raise ListFileError(str(path), first.error, f"line {first.line}")
        self.published: str | None = None
        header = first
        m = _REPORT_DATE.match(",".join(first.fields).rstrip(","))
        if m:
            try:
                self.published = parse_report_date(m.group(1))
            except ValueError as exc:
                raise ListFileError(str(path), str(exc), f"line {first.line}") from exc
            second = next(records, None)
            if second is None or second.error:
                reason = second.error if second and second.error else "no header row after 'Report Date'"
                raise ListFileError(str(path), reason, f"line {first.line + 1}")
            header = second
        self.fields = [f.strip() for f in header.fields]
        self.line = header.line
        self.columns = check_header(path, self.fields, COLUMNS, header.line)
        known = set(COLUMNS)
        self.extra = [(c, i) for c, i in self.columns.items() if c and c not in known]
        self.values = [(c, self.columns[c]) for c in _VALUE_COLUMNS]
        self.pairs = [(pair, [self.columns[c] for c in cs]) for pair, cs in _PAIRS.items()]


def _read_head(path: Path) -> _Header:
    try:
        with path.open("rb") as f:
            data = f.read(_HEAD_BYTES)
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    lines = data.split(b"\n")  # the head may end inside a multi-byte character: whole lines only
    text = decode(path, b"\n".join(lines[:2]) if len(lines) > 2 else data, _ENCODINGS)
    return _Header(path, iter_csv(text))


class UkSlCsvFormat(SourceFormat):
    """The UK Sanctions List CSV (one file)."""

    key = LIST_KEY
    title = "UK Sanctions List (FCDO)"

    def __init__(self) -> None:
        self.urls = {"UK-Sanctions-List.csv": CSV_URL}

    def sniff(self, path: Path, head: bytes) -> bool:
        """A UKSL CSV: one of the first three lines starts ``Last Updated,Unique ID,``."""
        lines = head.split(b"\n", 3)[:3]
        return any(line.lstrip(b"\xef\xbb\xbf").startswith(b"Last Updated,Unique ID,") for line in lines)

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one UKSL CSV in a folder.

        Raises:
            ListFileError: Not a UKSL CSV (the message names the missing columns), or the folder holds
                none or several.
        """
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and self._sniff_file(p)]
            if not found:
                raise ListFileError(str(path), "the folder holds no UK Sanctions List CSV")
            if len(found) > 1:
                names = ", ".join(p.name for p in found)
                raise ListFileError(
                    str(path), f"the folder holds several UK Sanctions List CSV files ({names})"
                )
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
        """The ``Report Date`` of the first line."""
        return _read_head(files.paths[0]).published

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities, one per Unique ID, in order of first appearance.

        Raises:
            ListFileError: Wrong encoding or header; bad rows unless ``ctx.lenient``.
        """
        path = files.paths[0]
        records = iter_csv(decode(path, read_bytes(path), _ENCODINGS))
        header = _Header(path, records)
        designations: dict[str, Designation] = {}
        for rec in records:
            problem, where = self._add_row(rec, header, designations)
            if problem:
                ctx.bad_record(path, where, problem)
        for designation in designations.values():
            try:
                entity = designation.build()
            except ValueError as exc:
                ctx.bad_record(path, designation.location, str(exc))
                continue
            yield entity

    @staticmethod
    def _add_row(
        rec: CsvRecord, header: _Header, designations: dict[str, Designation]
    ) -> tuple[str | None, str]:
        """Add one row to its designation; returns the problem (if any) and where it is."""
        where = f"line {rec.line}"
        if rec.error:
            return rec.error, where
        fields = rec.fields
        width = len(header.fields)
        if len(fields) < width or any(f.strip() for f in fields[width:]):
            return f"row has {len(fields)} fields, the header has {width}", where
        cols = header.columns

        def cell(column: str) -> str:
            return fields[cols[column]].strip()

        uid = cell("Unique ID")
        if not uid:
            return "field 'Unique ID' is empty", where
        try:
            schema = parse_designation_type(cell("Designation Type"))
        except ValueError as exc:
            return f"field 'Designation Type': {exc}", where
        parts = [cell(c) for c in _NAME_PARTS]
        kind = None
        if any(parts):
            try:
                kind = name_kind(cell("Name type"))
            except ValueError as exc:
                return f"field 'Name type': {exc}", where
        d = designations.setdefault(uid, Designation(uid, f"{where} (Unique ID {uid})"))
        d.add_schema(schema, where)
        if kind is not None:
            d.add_name(parts, kind, cell("Alias strength"), schema)
        d.add_non_latin(
            cell("Name non-latin script"), cell("Non-latin script type"), cell("Non-latin script language")
        )
        for column, i in header.values:
            if fields[i]:
                d.add(column, fields[i])
        for pair, indices in header.pairs:
            parts = [fields[i] for i in indices]
            if any(parts):
                d.add_pair(pair, *parts)
        for column, i in header.extra:
            d.add(f"extra:{column}", fields[i])
        return None, where


UK_SL = UkSlCsvFormat()
