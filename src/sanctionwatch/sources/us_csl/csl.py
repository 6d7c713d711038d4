"""US Consolidated Screening List (trade.gov), CSV format (``us-csl``).

One row per listed party, header ``_id,source,entity_number,type,programs,name,...,ids``; list
fields are ``;``-separated and ``ids`` items read ``Type, Number, Country``. Entities are
``us-csl:<_id>``. Choices this reader makes, each visible in the output:

- **Source list.** The ``source`` column (``Entity List (EL) - Bureau of Industry and Security``)
  becomes the first ``programs`` entry as its abbreviation (``EL``, ``SDN``, ``DPL``...), followed by
  the row's own programs; the full source name is in the remarks.
- **Repeated header rows** (the subset file repeats its header on line 2) are skipped and counted in
  a log warning; they are not records.
- **Rows sharing an ``_id``** are one party listed by two US lists (OFAC gives an entity the same
  number on the SDN and SSI lists): they are merged into one entity, names and programs united.
- **Empty ``type``** (BIS and State lists give none): a date or place of birth, nationality,
  citizenship or gender makes a Person; vessel fields or an IMO number a Vessel; otherwise the name
  decides (:func:`~sanctionwatch.sources.schema_guess.guess_schema_from_name`). The remarks say the
  schema was inferred.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from sanctionwatch.countries import country_code
from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Address, Entity, Identifier, IdType, Link, Name, NameKind, Schema, entity_id
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.csvread import check_header, decode, iter_csv, open_csv, split_list
from sanctionwatch.sources.schema_guess import guess_schema_from_name
from sanctionwatch.sources.us_csl.fields import parse_csl_date, parse_ids, place_of_birth

__all__ = ["LIST_KEY", "REQUIRED_COLUMNS", "URL", "US_CSL", "UsCslFormat"]

log = logging.getLogger(__name__)

LIST_KEY = "us-csl"
URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
REQUIRED_COLUMNS = (
    "_id",
    "source",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "start_date",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "ids",
)
_SCHEMAS = {
    "individual": Schema.PERSON,
    "entity": Schema.ORGANIZATION,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
}
_ABBREVIATION = re.compile(r"\(([^()]+)\)")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SUFFIX = re.compile(r"^(?:JR|SR|II|III|IV)\.?$", re.IGNORECASE)

Row = dict[str, str]


class UsCslFormat(SourceFormat):
    """The trade.gov Consolidated Screening List CSV (one file)."""

    key = LIST_KEY
    title = "US Consolidated Screening List (trade.gov)"

    def __init__(self) -> None:
        self.urls = {"consolidated.csv": URL}

    def sniff(self, path: Path, head: bytes) -> bool:
        """A CSL CSV: the first line is a header starting ``_id,source,entity_number``."""
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return first.replace(b'"', b"").startswith(b"_id,source,entity_number,") and b"ids" in first

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one CSL CSV in a folder.

        Raises:
            ListFileError: Not a CSL CSV (the message names the missing columns), or the folder
                holds none or several.
        """
        if path.is_dir():
            found = [p for p in sorted(path.iterdir()) if p.is_file() and _sniff_file(self, p)]
            if len(found) != 1:
                names = ", ".join(p.name for p in found) or "none"
                raise ListFileError(str(path), f"expected one US CSL CSV file in the folder, found {names}")
            path = found[0]
        _header(path, _head_text(path))
        return ListFiles(self.key, LIST_KEY, (path,))

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities, one per ``_id``, in order of first appearance.

        Raises:
            ListFileError: Wrong encoding or header; bad rows unless ``ctx.lenient``.
        """
        path = files.paths[0]
        names, records = open_csv(path, REQUIRED_COLUMNS)
        repeats: list[int] = []
        rows: dict[str, list[tuple[int, Row]]] = {}
        for rec in records:
            where = f"line {rec.line}"
            if rec.error:
                ctx.bad_record(path, where, rec.error)
                continue
            if [f.strip() for f in rec.fields] == names:
                repeats.append(rec.line)
                continue
            if len(rec.fields) != len(names):
                ctx.bad_record(path, where, f"row has {len(rec.fields)} fields, the header has {len(names)}")
                continue
            row = {n: v.strip() for n, v in zip(names, rec.fields, strict=True)}
            if not row["_id"]:
                ctx.bad_record(path, where, f"row has no _id (name {row['name']!r})")
            elif not row["name"]:
                ctx.bad_record(path, where, f"row _id {row['_id']!r} has no name")
            elif row["type"] and row["type"].casefold() not in _SCHEMAS:
                ctx.bad_record(path, where, f"row _id {row['_id']!r} has unknown type {row['type']!r}")
            else:
                rows.setdefault(row["_id"], []).append((rec.line, row))
        if repeats:
            log.warning("%s: skipped %d repeated header row(s) at line(s) %s", path, len(repeats), repeats)
        merged = sum(len(group) - 1 for group in rows.values())
        if merged:
            log.info("%s: merged %d row(s) sharing an _id with an earlier row", path, merged)
        for native_id, group in rows.items():
            try:
                entity = _entity(native_id, [row for _, row in group])
            except ValueError as exc:
                lines = ", ".join(str(line) for line, _ in group)
                ctx.bad_record(path, f"line {group[0][0]}", f"{exc} (rows on lines {lines})")
                continue
            yield entity


def _sniff_file(fmt: SourceFormat, path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return fmt.sniff(path, f.read(8192))
    except OSError:
        return False


def _head_text(path: Path) -> str:
    try:
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    return decode(path, head.split(b"\n", 1)[0], ("utf-8-sig",))


def _header(path: Path, text: str) -> None:
    first = next(iter_csv(text), None)
    if first is None:
        raise ListFileError(str(path), "the file is empty")
    check_header(path, first.fields, REQUIRED_COLUMNS, 1)


def _schema(rows: list[Row]) -> tuple[Schema, str | None]:
    """The rows' schema, and a remark when it is inferred."""
    typed = {_SCHEMAS[r["type"].casefold()] for r in rows if r["type"]}
    if len(typed) > 1:
        raise ValueError(f"rows of _id {rows[0]['_id']!r} disagree on type: {sorted(typed)}")
    if typed:
        return typed.pop(), None
    if any(
        r[c] for r in rows for c in ("dates_of_birth", "places_of_birth", "citizenships", "nationalities")
    ):
        return (
            Schema.PERSON,
            "Schema inferred as Person from birth or nationality data; the list gives no type.",
        )
    vessel_columns = ("call_sign", "vessel_type", "vessel_flag", "gross_tonnage", "gross_registered_tonnage")
    if any(r[c] for r in rows for c in vessel_columns) or any(
        i.type in (IdType.IMO, IdType.MMSI) for r in rows for i in parse_ids(r["ids"]).identifiers
    ):
        return Schema.VESSEL, "Schema inferred as Vessel from vessel data; the list gives no type."
    guess = guess_schema_from_name(rows[0]["name"])
    return guess, f"Schema inferred as {guess} from the name; the list gives no type."


def _name(full: str, kind: NameKind, split: bool) -> Name:
    """A name; ``LAST, First`` names of typed individuals get their parts."""
    if split and full.count(",") == 1:
        last, first = (p.strip() for p in full.split(","))
        if last and first and not _SUFFIX.match(first):
            return Name(full, kind, first=first, last=last)
    return Name(full, kind)


def _entity(native_id: str, rows: list[Row]) -> Entity:
    schema, inferred = _schema(rows)
    split = schema is Schema.PERSON and inferred is None
    names = [_name(rows[0]["name"], NameKind.PRIMARY, split)]
    for full in [r["name"] for r in rows[1:]] + [a for r in rows for a in split_list(r["alt_names"])]:
        if all(full.casefold() != n.full.casefold() for n in names):
            names.append(_name(full, NameKind.AKA, split))
    remarks: list[str] = []
    programs: list[str] = []
    for r in rows:
        m = _ABBREVIATION.search(r["source"])
        programs += [m.group(1) if m else r["source"], *split_list(r["programs"])]
        remarks.append(f"Source list: {r['source']}")
    if inferred:
        remarks.append(inferred)
    remarks += [r["remarks"] for r in rows if r["remarks"]]
    births = []
    for text in (d for r in rows for d in split_list(r["dates_of_birth"])):
        try:
            births.append(parse_csl_date(text))
        except ValueError:
            remarks.append(f"Date of birth as listed: {text}")
    nationalities = []
    for text in (c for r in rows for col in ("citizenships", "nationalities") for c in split_list(r[col])):
        code = country_code(text)
        if code:
            nationalities.append(code)
        else:
            remarks.append(f"Nationality as listed: {text}")
    addresses = []
    for text in (a for r in rows for a in split_list(r["addresses"])):
        addresses.append(Address(text, country=country_code(text.rsplit(",", 1)[-1])))
    ids = [parse_ids(r["ids"]) for r in rows]
    remarks += [fact for i in ids for fact in i.facts]
    identifiers = [ident for i in ids for ident in i.identifiers]
    for r in rows:
        if r["call_sign"]:
            identifiers.append(_call_sign(r["call_sign"]))
        for col, label in (
            ("federal_register_notice", "Federal Register notice"),
            ("end_date", "Listed until"),
        ):
            if r.get(col):
                remarks.append(f"{label}: {r[col]}")
    listed = sorted(r["start_date"] for r in rows if _ISO_DAY.match(r["start_date"]))
    first = rows[0]
    return Entity(
        id=entity_id(LIST_KEY, native_id),
        list_key=LIST_KEY,
        schema=schema,
        names=tuple(names),
        birth_dates=tuple({b.date: b for b in births}.values()),
        birth_places=tuple(
            dict.fromkeys(place_of_birth(p) for r in rows for p in split_list(r["places_of_birth"]))
        ),
        nationalities=tuple(dict.fromkeys(nationalities)),
        countries=tuple(
            dict.fromkeys([a.country for a in addresses if a.country] + [c for i in ids for c in i.countries])
        ),
        addresses=tuple(dict.fromkeys(addresses)),
        identifiers=tuple({(i.type, i.value, i.country): i for i in identifiers}.values()),
        programs=tuple(dict.fromkeys(programs)),
        listed_on=listed[0] if listed else None,
        gender=next((i.gender for i in ids if i.gender), None),
        titles=tuple(dict.fromkeys(r["title"] for r in rows if r["title"])),
        remarks="\n".join(dict.fromkeys(remarks)) or None,
        links=tuple(Link("owner", r["vessel_owner"]) for r in rows if r["vessel_owner"]),
        flag=country_code(first["vessel_flag"]),
        vessel_type=first["vessel_type"] or None,
        tonnage=first["gross_tonnage"] or first["gross_registered_tonnage"] or None,
    )


def _call_sign(value: str) -> Identifier:
    return Identifier(IdType.CALL_SIGN, value, label="call_sign")


US_CSL = UsCslFormat()
