"""The entity model every stage shares: what one listed person, company, vessel or aircraft is.

Everything here is frozen and typed. Entities travel as ``to_dict()`` / ``from_dict()`` JSON-ready
dicts between the store, the index and the interfaces, so both are the one serialization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

__all__ = [
    "Address",
    "BirthDate",
    "Entity",
    "IdType",
    "Identifier",
    "Link",
    "Name",
    "NameKind",
    "Place",
    "Schema",
    "entity_id",
]


class Schema(StrEnum):
    """What kind of thing is listed."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    VESSEL = "Vessel"
    AIRCRAFT = "Aircraft"


class NameKind(StrEnum):
    """How a name relates to the entity: its primary name, an alias, a former or a new name."""

    PRIMARY = "primary"
    AKA = "aka"
    FKA = "fka"
    NKA = "nka"


class IdType(StrEnum):
    """Identifier types across lists, normalized."""

    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    SWIFT_BIC = "swift_bic"
    REGISTRATION = "registration"
    AIRCRAFT_SERIAL = "aircraft_serial"
    AIRCRAFT_TAIL = "aircraft_tail"
    LEI = "lei"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entity as the list writes it.

    Attributes:
        full: The whole name as listed (e.g. ``"KIM, Jong Un"``).
        kind: Primary name, alias, former or new name.
        weak: True for low-quality aliases (OFAC weak a.k.a., UN quality ``Low``, EU ``strong="false"``).
        script: ISO 15924 code where the list says or the text shows it (``Latn``, ``Hang``, ``Hani``...).
        lang: Language code where the list gives one.
        first: Given name(s), where the list separates them.
        last: Family name, where the list separates it.
    """

    full: str
    kind: NameKind = NameKind.PRIMARY
    weak: bool = False
    script: str | None = None
    lang: str | None = None
    first: str | None = None
    last: str | None = None


_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A birth (or incorporation) date with its precision.

    Attributes:
        date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; its length is its precision.
        circa: The list says "circa" / "approximately".
        to: End of a range (``date`` is the start), same formats as ``date``.
    """

    date: str
    circa: bool = False
    to: str | None = None

    def __post_init__(self) -> None:
        for value in (self.date, self.to):
            if value is not None and not _DATE_RE.match(value):
                raise ValueError(f"birth date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return {10: "day", 7: "month", 4: "year"}[len(self.date)]


@dataclass(frozen=True, slots=True)
class Place:
    """A place (of birth), as text plus an ISO 3166 alpha-2 country where known."""

    text: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``country`` is ISO 3166 alpha-2 where known."""

    text: str
    city: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifying document or number.

    Attributes:
        type: Normalized type.
        value: The number as listed.
        country: Issuing country, ISO 3166 alpha-2, where known.
        label: The list's own label (``"Passport"``, ``"Cedula No."``...).
        note: Any remark (issue date, "expires ...").
    """

    type: IdType
    value: str
    country: str | None = None
    label: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation to another entity (OFAC "Linked To:", a vessel's owner...).

    Attributes:
        relation: ``linked_to``, ``owner``, ``operator``...
        target_name: The other party's name as listed.
        target_id: The other entity's id where the list gives or implies it.
    """

    relation: str
    target_name: str
    target_id: str | None = None


def entity_id(list_key: str, native_id: str) -> str:
    """Build the stable ``<list>:<native id>`` entity id (see DESIGN.md)."""
    return f"{list_key}:{native_id}"


@dataclass(frozen=True, slots=True)
class Entity:
    """One listed entity.

    Attributes:
        id: ``<list>:<native id>``, stable across list versions.
        list_key: Source list key (``us-ofac-sdn``, ``un-sc``...).
        schema: Person, Organization, Vessel or Aircraft.
        names: Primary name first, then aliases.
        birth_dates: Dates of birth (persons) or incorporation where listed.
        birth_places: Places of birth.
        nationalities: ISO 3166 alpha-2 nationalities and citizenships.
        countries: Other associated countries (residence, registration, flag), alpha-2.
        addresses: Postal addresses.
        identifiers: Passports, IMO numbers, registration numbers...
        programs: Sanctions programs or regimes (``DPRK3``, ``NPWMD``...).
        listed_on: ISO date the entity was designated, where stated.
        gender: ``male`` / ``female`` where stated.
        titles: Titles, positions, designations.
        remarks: Free text the list carries.
        links: Relations to other entities.
        flag: Vessel flag (alpha-2) where stated.
        vessel_type: Vessel type where stated.
        tonnage: Vessel tonnage as listed.
        list_version: Id of the list version (snapshot) the record comes from, once stored.
    """

    id: str
    list_key: str
    schema: Schema
    names: tuple[Name, ...]
    birth_dates: tuple[BirthDate, ...] = ()
    birth_places: tuple[Place, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: str | None = None
    gender: str | None = None
    titles: tuple[str, ...] = ()
    remarks: str | None = None
    links: tuple[Link, ...] = ()
    flag: str | None = None
    vessel_type: str | None = None
    tonnage: str | None = None
    list_version: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.names:
            raise ValueError(f"entity {self.id!r} has no name")

    @property
    def caption(self) -> str:
        """The primary name, for display."""
        return self.names[0].full

    @property
    def native_id(self) -> str:
        """The id within its list (the part after ``<list_key>:``)."""
        return self.id[len(self.list_key) + 1 :]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with every field; empty fields are omitted."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == () or f.name == "list_version":
                continue
            if isinstance(value, tuple):
                out[f.name] = [_item_dict(v) for v in value]
            else:
                out[f.name] = str(value) if isinstance(value, StrEnum) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], list_version: int | None = None) -> Entity:
        """Rebuild an entity from :meth:`to_dict` output."""
        d = dict(data)
        return cls(
            id=d["id"],
            list_key=d["list_key"],
            schema=Schema(d["schema"]),
            names=tuple(Name(**{**n, "kind": NameKind(n.get("kind", "primary"))}) for n in d["names"]),
            birth_dates=tuple(BirthDate(**b) for b in d.get("birth_dates", ())),
            birth_places=tuple(Place(**p) for p in d.get("birth_places", ())),
            nationalities=tuple(d.get("nationalities", ())),
            countries=tuple(d.get("countries", ())),
            addresses=tuple(Address(**a) for a in d.get("addresses", ())),
            identifiers=tuple(
                Identifier(**{**i, "type": IdType(i["type"])}) for i in d.get("identifiers", ())
            ),
            programs=tuple(d.get("programs", ())),
            listed_on=d.get("listed_on"),
            gender=d.get("gender"),
            titles=tuple(d.get("titles", ())),
            remarks=d.get("remarks"),
            links=tuple(Link(**x) for x in d.get("links", ())),
            flag=d.get("flag"),
            vessel_type=d.get("vessel_type"),
            tonnage=d.get("tonnage"),
            list_version=list_version,
        )


def _item_dict(value: Any) -> Any:
    """Serialize one tuple item: a dataclass to a dict without empty fields, anything else as is."""
    if hasattr(value, "__dataclass_fields__"):
        out: dict[str, Any] = {}
        for f in fields(value):
            v = getattr(value, f.name)
            if v is None or (f.name == "weak" and v is False) or (f.name == "circa" and v is False):
                continue
            if f.name == "kind" and v == NameKind.PRIMARY:
                continue
            out[f.name] = str(v) if isinstance(v, StrEnum) else v
        return out
    return value
