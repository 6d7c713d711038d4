"""EU Financial Sanctions Files, CSV format (``eu-fsf-csv``): the same list (``eu-fsf``) as the XML.

Both CSV layouts are ``;``-separated with one row per sub-record (a name alias, an address, a birth
date, an identification, a citizenship) repeating the entity's columns; rows sharing the entity's
logical id are one entity ``eu-fsf:<logical id>``, the id the XML gives it.

* **1.1** (header ``fileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;...``): a column
  ``<Section>_<Attribute>`` carries the XML 1.1 attribute of the same name (``NameAlias_WholeName``
  → ``nameAlias/@wholeName``, ``BirthDate_Day`` → ``birthdate/@dayOfMonth``...).
* **1.0** (header ``Date_file;Entity_logical_id;Subject_type;...;Naal_wholename;...;EU_ref_num``):
  the ``Naal_``, ``Addr_``, ``Birt_``, ``Iden_``, ``Citi_`` columns carry the 1.0 XML ``NAME``,
  ``ADDRESS``, ``BIRTH``, ``PASSPORT`` and ``CITIZEN`` elements. Files of this layout are seen with
  each whole line wrapped as one quoted field (and trailing tabs); both forms are read. A literal
  ``\\n`` in a remark is a line break; ``N/A`` in a sub-record's field means empty.

Each entity is rebuilt as the XML element it stands for and read by the XML reader's code, so the
two formats agree field by field (except what a layout lacks: the 1.1 CSV has no ``strong`` flag,
so its names are all strong).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from lxml import etree

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat, read_head
from sanctionwatch.sources.csvread import CsvRecord, decode, iter_csv, read_bytes
from sanctionwatch.sources.eu.fsf import NAMESPACE, entity_of
from sanctionwatch.sources.eu.fsf_v10 import entity_of_v10
from sanctionwatch.sources.xmlread import RecordError

__all__ = ["EU_FSF_CSV", "EuFsfCsvFormat"]

_LIST_KEY = "eu-fsf"
_ENCODINGS = ("utf-8-sig", "cp1252")
_V11_FIRST = "fileGenerationDate"
_V10_FIRST = "Date_file"
# 1.1 sections: column prefix → XML 1.1 element.
_SECTIONS = {
    "NameAlias": "nameAlias",
    "Address": "address",
    "BirthDate": "birthdate",
    "Identification": "identification",
    "Citizenship": "citizenship",
}
# 1.1 attribute names that are not the column's suffix with a lower-case first letter.
_ATTRIBUTES = {
    ("BirthDate", "BirthDate"): "birthdate",
    ("BirthDate", "Day"): "dayOfMonth",
    ("BirthDate", "Month"): "monthOfYear",
    ("Identification", "IssuedDate"): "issueDate",
    ("Identification", "TypeCode"): "identificationTypeCode",
    ("Identification", "TypeDescription"): "identificationTypeDescription",
}
_ENTITY_ATTRIBUTES = {
    "Entity_EU_ReferenceNumber": "euReferenceNumber",
    "Entity_UnitedNationId": "unitedNationId",
    "Entity_DesignationDate": "designationDate",
    "Entity_DesignationDetails": "designationDetails",
}
# 1.0: element, its columns (first: the sub-record's logical id) and the child each fills.
_V10_PARTS = (
    ("NAME", 8, {14: "LASTNAME", 15: "FIRSTNAME", 16: "MIDDLENAME", 17: "WHOLENAME", 18: "GENDER",
                 19: "TITLE", 20: "FUNCTION", 21: "LANGUAGE"}),
    ("ADDRESS", 22, {28: "NUMBER", 29: "STREET", 30: "ZIPCODE", 31: "CITY", 32: "COUNTRY", 33: "OTHER"}),
    ("BIRTH", 34, {40: "DATE", 41: "PLACE", 42: "COUNTRY"}),
    ("PASSPORT", 43, {49: "NUMBER", 50: "COUNTRY"}),
    ("CITIZEN", 51, {57: "COUNTRY"}),
)  # fmt: skip
_V10_WIDTH = 59
_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _clean(value: str) -> str:
    return value.replace("\\n", "\n").strip(" \t\r\n")


class _Table:
    """The header and records of a file, whole-line quoting undone."""

    def __init__(self, path: Path, text: str) -> None:
        records = iter_csv(text, ";")
        first = next(records, None)
        if first is None:
            raise ListFileError(str(path), "the file is empty")
        if first.error:
            raise ListFileError(str(path), first.error, f"line {first.line}")
        self.wrapped = len(first.fields) == 1 and ";" in first.fields[0]
        header = self._unwrap(first)
        self.header = [h.strip(" \t\ufeff") for h in header.fields]
        self.v11 = self.header[0] == _V11_FIRST
        if not self.v11 and not self.header[0].startswith(_V10_FIRST):
            raise ListFileError(
                str(path),
                f"not an EU FSF CSV file: the header starts {self.header[0]!r}",
                f"line {first.line}",
            )
        if not self.v11 and len(self.header) != _V10_WIDTH:
            raise ListFileError(
                str(path), f"the 1.0 header has {len(self.header)} columns, expected {_V10_WIDTH}", "line 1"
            )
        if self.v11 and "Entity_LogicalId" not in self.header:
            raise ListFileError(str(path), "missing column 'Entity_LogicalId' in the 1.1 header", "line 1")
        self.records = (self._unwrap(r) for r in records)

    def _unwrap(self, rec: CsvRecord) -> CsvRecord:
        if not self.wrapped:
            return rec
        if rec.error or len(rec.fields) != 1:
            return (
                rec if rec.error else CsvRecord(rec.line, [], "expected the whole line as one quoted field")
            )
        inner = next(iter_csv(rec.fields[0].rstrip("\t"), ";"), None)
        if inner is None or inner.error:
            return CsvRecord(rec.line, [], inner.error if inner else "empty record")
        return CsvRecord(rec.line, inner.fields)


def _read(path: Path) -> _Table:
    return _Table(path, decode(path, read_bytes(path), _ENCODINGS))


class EuFsfCsvFormat(SourceFormat):
    """The EU Financial Sanctions Files CSV (1.1, and 1.0 files of before 2018)."""

    key = "eu-fsf-csv"
    title = "EU Financial Sanctions Files (consolidated list), CSV"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A first line starting ``fileGenerationDate;`` or ``Date_file`` (maybe quoted, after a BOM)."""
        line = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf").lstrip(b'"')
        return line.startswith((b"fileGenerationDate;", b"Date_file"))

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one EU FSF CSV file in a folder.

        Raises:
            ListFileError: Not such a file, or the folder holds none or several.
        """
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and self.sniff(p, read_head(p))]
            if len(found) != 1:
                what = "no" if not found else f"several ({', '.join(p.name for p in found)})"
                raise ListFileError(str(path), f"the folder holds {what} EU FSF CSV file(s)")
            path = found[0]
        if not self.sniff(path, read_head(path)):
            raise ListFileError(
                str(path), "not an EU FSF CSV file (header fileGenerationDate;... or Date_file;...)"
            )
        return ListFiles(self.key, _LIST_KEY, (path,))

    def published(self, files: ListFiles) -> str | None:
        """The file date of the first record (``dd/mm/yyyy``), as ISO."""
        table = _read(files.paths[0])
        first = next((r for r in table.records if not r.error and r.fields), None)
        value = first.fields[0].strip() if first is not None else ""
        if not _DATE.match(value):
            return None
        return datetime.strptime(value, "%d/%m/%Y").date().isoformat()

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities in order of first appearance.

        Raises:
            ListFileError: Wrong encoding or header; bad rows unless ``ctx.lenient``.
        """
        path = files.paths[0]
        table = _read(path)
        groups: dict[str, list[tuple[int, list[str]]]] = {}
        id_column = table.header.index("Entity_LogicalId") if table.v11 else 1
        width = len(table.header)
        for rec in table.records:
            if rec.error:
                ctx.bad_record(path, f"line {rec.line}", rec.error)
                continue
            fields = [_clean(f) for f in rec.fields]
            if len(rec.fields) < width or (len(rec.fields) > width and any(fields[width:])):
                # A short row is a row cut (a truncated file), never padded into a shorter listing.
                ctx.bad_record(
                    path, f"line {rec.line}", f"row has {len(rec.fields)} fields, the header has {width}"
                )
                continue
            logical = fields[id_column]
            if not logical:
                column = table.header[id_column]
                ctx.bad_record(path, f"line {rec.line}", f"field {column!r} is empty")
                continue
            groups.setdefault(logical, []).append((rec.line, fields[:width]))
        for logical, rows in groups.items():
            where = f"line {rows[0][0]} (entity {logical})"
            try:
                yield _v11(table.header, logical, rows) if table.v11 else _v10(logical, rows)
            except RecordError as bad:
                ctx.bad_record(path, where, bad.reason)


def _v11(header: list[str], logical: str, rows: list[tuple[int, list[str]]]) -> Entity:
    """The entity of the 1.1 rows of one logical id, read as the ``sanctionEntity`` they describe."""
    first = dict(zip(header, rows[0][1], strict=True))
    el = etree.Element(_q("sanctionEntity"), logicalId=logical)
    for column, attribute in _ENTITY_ATTRIBUTES.items():
        if first.get(column):
            el.set(attribute, first[column])
    remarks: dict[str, None] = {}
    programmes: dict[str, None] = {}
    parts: dict[tuple[str, str], etree._Element] = {}
    for _, fields in rows:
        row = dict(zip(header, fields, strict=True))
        if row.get("Entity_Remark"):
            remarks[row["Entity_Remark"]] = None
        if row.get("Entity_Regulation_Programme"):
            programmes[row["Entity_Regulation_Programme"]] = None
        for prefix, tag in _SECTIONS.items():
            values = {
                c[len(prefix) + 1 :]: v
                for c, v in row.items()
                if v and c.startswith(prefix + "_") and not c.startswith(prefix + "_Regulation_")
            }
            part_id = values.pop("LogicalId", "") or "|".join(f"{k}={v}" for k, v in sorted(values.items()))
            if not values or (tag, part_id) in parts:
                continue
            node = etree.Element(_q(tag), logicalId=part_id)
            for suffix, value in values.items():
                if suffix == "Remark":
                    etree.SubElement(node, _q("remark")).text = value
                else:
                    node.set(_ATTRIBUTES.get((prefix, suffix), suffix[:1].lower() + suffix[1:]), value)
            parts[(tag, part_id)] = node
    for text in remarks:
        etree.SubElement(el, _q("remark")).text = text
    for programme in programmes:
        etree.SubElement(el, _q("regulation"), programme=programme)
    subject = etree.SubElement(el, _q("subjectType"))
    for column, attribute in (
        ("Entity_SubjectType", "code"),
        ("Entity_SubjectType_ClassificationCode", "classificationCode"),
    ):
        if first.get(column):
            subject.set(attribute, first[column])
    for node in parts.values():
        el.append(node)
    return entity_of(el)


def _v10(logical: str, rows: list[tuple[int, list[str]]]) -> Entity:
    """The entity of the 1.0 rows of one logical id, read as the ``ENTITY`` element they describe."""
    first = rows[0][1]
    remarks = list(dict.fromkeys(f[7] for _, f in rows if f[7]))
    programmes = list(dict.fromkeys(f[6] for _, f in rows if f[6]))
    el = etree.Element("ENTITY", Id=logical, Type=first[2])
    if programmes:
        el.set("programme", programmes[0])
    if remarks:
        el.set("remark", "\n".join(remarks))
    seen: set[tuple[str, str]] = set()
    for _, fields in rows:
        for tag, id_column, children in _V10_PARTS:
            part_id = fields[id_column]
            if not part_id or (tag, part_id) in seen:
                continue
            seen.add((tag, part_id))
            node = etree.SubElement(el, tag, Id=part_id)
            for column, child in children.items():
                value = fields[column]
                etree.SubElement(node, child).text = None if value in ("", "N/A") else value
    entity = entity_of_v10(el)
    return replace(entity, programs=tuple(programmes)) if len(programmes) > 1 else entity


EU_FSF_CSV = EuFsfCsvFormat()
