"""One UK OFSI target: the rows sharing a Group ID, merged into one entity.

OFSI writes one row per combination of name, date of birth and address, so most columns repeat
across a group's rows; :class:`Group` keeps the distinct values of each column in file order and
builds the entity from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sanctionwatch.countries import country_code
from sanctionwatch.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Name,
    NameKind,
    Place,
    Schema,
    entity_id,
)
from sanctionwatch.sources.freetext import countries_in, demonym_code, split_enumeration
from sanctionwatch.sources.uk.ofsi_fields import document_numbers, imo_numbers, parse_dob, parse_uk_date

__all__ = ["Group", "NameRow"]

_MMSI = re.compile(r"\bMMSI\s*:?\s*(\d{9})\b", re.IGNORECASE)
_FLAG = re.compile(r"\bFlag State\s*:\s*([^.;]+)", re.IGNORECASE)

# Columns whose distinct values a group keeps.
_TEXT_COLUMNS = (
    "Title",
    "DOB",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "NI Number",
    "National Identification Number",
    "National Identification Details",
    "Position",
    "Other Information",
    "Regime",
    "Listed On",
)
_ADDRESS_COLUMNS = (*(f"Address {i}" for i in range(1, 7)), "Post/Zip Code", "Country")


@dataclass(frozen=True, slots=True)
class NameRow:
    """A name as one row gives it, with the line it came from."""

    name: Name
    line: int


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


@dataclass
class Group:
    """The rows of one Group ID, as read so far.

    Attributes:
        group_id: The OFSI Group ID.
        lines: Lines of the rows, in file order.
        schemas: Schema of each row's Group Type, with the first line giving it.
        names: Names in row order.
        texts: Distinct non-empty values per column.
        addresses: Distinct address tuples (Address 1-6, Post/Zip Code, Country).
        births: Distinct (Town of Birth, Country of Birth) pairs.
    """

    group_id: str
    lines: list[int] = field(default_factory=list)
    schemas: dict[Schema, int] = field(default_factory=dict)
    names: list[NameRow] = field(default_factory=list)
    texts: dict[str, dict[str, None]] = field(default_factory=dict)
    addresses: dict[tuple[str, ...], None] = field(default_factory=dict)
    births: dict[tuple[str, str], None] = field(default_factory=dict)

    def add(self, line: int, schema: Schema, names: list[Name], cell: Callable[[str], str]) -> None:
        """Add one row: its schema, its names and the values ``cell(column)`` gives."""
        self.lines.append(line)
        self.schemas.setdefault(schema, line)
        self.names.extend(NameRow(n, line) for n in names)
        for column in _TEXT_COLUMNS:
            value = cell(column)
            if value:
                self.texts.setdefault(column, {})[value] = None
        address = tuple(cell(c) for c in _ADDRESS_COLUMNS)
        if any(address):
            self.addresses[address] = None
        birth = (cell("Town of Birth"), cell("Country of Birth"))
        if any(birth):
            self.births[birth] = None

    def values(self, column: str) -> list[str]:
        """Distinct values of a column, in file order."""
        return list(self.texts.get(column, {}))

    @property
    def location(self) -> str:
        """Where the group is, for messages."""
        return f"line {self.lines[0]} (Group ID {self.group_id})"

    def build(self, list_key: str) -> Entity:
        """The merged entity.

        Raises:
            ValueError: The group's rows disagree on the group type (the message says how).
        """
        if len(self.schemas) > 1:
            kinds = ", ".join(f"{s} (line {line})" for s, line in self.schemas.items())
            raise ValueError(f"rows of Group ID {self.group_id} disagree on Group Type: {kinds}")
        schema = next(iter(self.schemas))
        remarks = self.values("Other Information")
        identifiers: list[Identifier] = []
        countries: list[str] = []
        for passport_col, details_col, id_type in (
            ("Passport Number", "Passport Details", IdType.PASSPORT),
            ("NI Number", "", IdType.NATIONAL_ID),
            ("National Identification Number", "National Identification Details", IdType.NATIONAL_ID),
        ):
            identifiers += self._documents(passport_col, details_col, id_type, remarks)
        vessel_ids, flag = self._vessel_ids(remarks)
        if schema is Schema.ORGANIZATION and _is_ship(vessel_ids):
            schema = Schema.VESSEL
            remarks.append("Listed as an entity; read as a vessel from its IMO ship number.")
        identifiers += vessel_ids
        addresses = []
        for parts in self.addresses:
            # The Country column, else the last address line ("..., Pyongyang, DPRK").
            codes = countries_in(parts[-1]) or countries_in(next((p for p in reversed(parts) if p), ""))
            code = codes[0] if len(codes) == 1 else None
            addresses.append(Address(", ".join(" ".join(p.split()) for p in parts if p), country=code))
            countries += codes
        return Entity(
            id=entity_id(list_key, self.group_id),
            list_key=list_key,
            schema=schema,
            names=self._names(),
            birth_dates=self._birth_dates(remarks),
            birth_places=self._birth_places(),
            nationalities=self._nationalities(remarks),
            countries=tuple(dict.fromkeys(countries)),
            addresses=tuple(addresses),
            identifiers=tuple({(i.type, i.value): i for i in identifiers}.values()),
            programs=tuple(r.strip() for r in self.values("Regime")),
            listed_on=self._listed_on(remarks),
            titles=self._titles(),
            remarks="\n".join(_distinct(remarks)) or None,
            flag=flag if schema is Schema.VESSEL else None,
        )

    def _names(self) -> tuple[Name, ...]:
        primary = next((r.name for r in self.names if r.name.kind is NameKind.PRIMARY), None)
        if primary is None:  # no row says "primary": the first name listed stands in
            first = self.names[0].name
            primary = Name(
                first.full, NameKind.PRIMARY, first.weak, first.script, first.lang, first.first, first.last
            )
        seen = {primary.full.casefold()}
        out = [primary]
        for row in self.names:
            n = row.name
            key = n.full.casefold()
            if key in seen:
                continue
            seen.add(key)
            if n.kind is NameKind.PRIMARY:  # a second primary spelling: keep it as an alias
                n = Name(n.full, NameKind.AKA, n.weak, n.script, n.lang, n.first, n.last)
            out.append(n)
        return tuple(out)

    def _birth_dates(self, remarks: list[str]) -> tuple[BirthDate, ...]:
        dates: dict[str, BirthDate] = {}
        for text in self.values("DOB"):
            try:
                dob = parse_dob(text)
            except ValueError:
                remarks.append(f"Date of birth as listed: {text}")
                continue
            dates.setdefault(dob.date, dob)
        return tuple(dates.values())

    def _birth_places(self) -> tuple[Place, ...]:
        places: dict[str, Place] = {}
        for raw_town, raw_country in self.births:
            town, country = " ".join(raw_town.split()), " ".join(raw_country.split())
            towns = split_enumeration(town)
            lands = split_enumeration(country)
            if len(towns) <= 1 and len(lands) <= 1:
                codes = countries_in(country)
                text = ", ".join(p for p in (town, country) if p)
                places.setdefault(text, Place(text, codes[0] if len(codes) == 1 else None))
                continue
            for item in towns:
                places.setdefault(item, Place(item))
            for item in lands:
                codes = countries_in(item)
                places.setdefault(item, Place(item, codes[0] if len(codes) == 1 else None))
        return tuple(places.values())

    def _nationalities(self, remarks: list[str]) -> tuple[str, ...]:
        codes: list[str] = []
        for text in self.values("Nationality"):
            codes += countries_in(text)
            items = split_enumeration(text)
            if not all(country_code(i) or demonym_code(i) for i in items):
                remarks.append(f"Nationality as listed: {text}")
        return tuple(dict.fromkeys(codes))

    def _documents(
        self, number_col: str, details_col: str, id_type: IdType, remarks: list[str]
    ) -> list[Identifier]:
        details = "; ".join(self.values(details_col)) if details_col else ""
        numbers = self.values(number_col)
        label = number_col if numbers else details_col
        if not numbers and details:
            numbers, details = [details], ""
        out = []
        for text in numbers:
            found, unread = document_numbers(text)
            for doc in found:
                note = details or (doc.text if doc.text != doc.value else None)
                out.append(Identifier(id_type, doc.value, doc.country, label, note))
            remarks += [f"{label}: {item}" for item in unread]
        if details and not out:
            remarks.append(f"{details_col}: {details}")
        return out

    def _vessel_ids(self, remarks: list[str]) -> tuple[list[Identifier], str | None]:
        out: list[Identifier] = []
        flag = None
        for text in self.values("Other Information"):
            for number, ship in imo_numbers(text):
                label = "IMO number" if ship else "IMO company number"
                out.append(Identifier(IdType.IMO, number, label=label))
            out += [Identifier(IdType.MMSI, m, label="MMSI") for m in _MMSI.findall(text)]
            m = _FLAG.search(text)
            if m and flag is None:
                codes = countries_in(m.group(1))
                flag = codes[0] if len(codes) == 1 else None
        return out, flag

    def _listed_on(self, remarks: list[str]) -> str | None:
        dates = []
        for text in self.values("Listed On"):
            try:
                dates.append(parse_uk_date(text))
            except ValueError:
                remarks.append(f"Listed on (as listed): {text}")
        return min(dates) if dates else None

    def _titles(self) -> tuple[str, ...]:
        titles = [t for text in self.values("Title") for t in split_enumeration(text)]
        titles += self.values("Position")
        return tuple(_distinct(titles))


def _is_ship(ids: list[Identifier]) -> bool:
    """One IMO number, valid as a ship number: the entity is a vessel (2018 files list ships as
    entities; an operator listing several vessels' numbers stays an organization)."""
    imos = [i for i in ids if i.type is IdType.IMO]
    return len(imos) == 1 and imos[0].label == "IMO number"
