"""Our entities in FollowTheMoney terms, as yente and its clients read them.

Schemata map one to one (our Aircraft is FtM's Airplane); fields become FtM properties, each a list
of strings, countries in lower-case alpha-2 as FtM writes them. The mapping is hand-written: FtM's
own library (followthemoney) would pull a large dependency in for a dozen property names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sanctionwatch.api.datasets import list_title
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import parse_schema
from sanctionwatch.model import Entity, IdType, NameKind, Schema
from sanctionwatch.sources.ftm.schema import SCREENED_SCHEMATA
from sanctionwatch.store.records import VersionInfo

__all__ = [
    "FTM_SCHEMA",
    "IDENTIFIER_PROPERTIES",
    "FtmSchemaName",
    "entity_properties",
    "entity_response",
    "query_schema",
    "seen_at",
]

FTM_SCHEMA: dict[Schema, str] = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
}

FtmSchemaName = Literal[
    "Thing", "Person", "LegalEntity", "Organization", "Company", "PublicBody", "Vessel", "Airplane"
]
"""FtM schemata a query may name; LegalEntity, Company and PublicBody are answered by our Organization."""

_QUERY_SCHEMATA: dict[str, Schema | None] = {"Thing": None, **SCREENED_SCHEMATA}

_ID_PROPERTY: dict[IdType, str] = {
    IdType.PASSPORT: "passportNumber",
    IdType.NATIONAL_ID: "idNumber",
    IdType.TAX_ID: "taxNumber",
    IdType.IMO: "imoNumber",
    IdType.MMSI: "mmsi",
    IdType.CALL_SIGN: "callSign",
    IdType.SWIFT_BIC: "swiftBic",
    IdType.REGISTRATION: "registrationNumber",
    IdType.AIRCRAFT_SERIAL: "serialNumber",
    IdType.AIRCRAFT_TAIL: "registrationNumber",
    IdType.LEI: "leiCode",
    IdType.OTHER: "idNumber",
}

IDENTIFIER_PROPERTIES: frozenset[str] = frozenset(
    {
        *_ID_PROPERTY.values(),
        "innCode",
        "ogrnCode",
        "vatCode",
        "okpoCode",
        "dunsCode",
        "icaoCode",
        "socialSecurityNumber",
        "licenseNumber",
        "uniqueEntityId",
    }
)
"""FtM properties a ``/match`` query may carry identifiers in (compared exactly with ours)."""


def query_schema(name: str) -> Schema | None:
    """Our schema for an FtM schema name of a query (None: any); our own names work too.

    Raises:
        InputError: Not a schema we list entities of.
    """
    if name in _QUERY_SCHEMATA:
        return _QUERY_SCHEMATA[name]
    try:
        return parse_schema(name)
    except InputError:
        known = ", ".join(_QUERY_SCHEMATA)
        raise InputError(f"schema: unknown or unsupported schema {name!r}; use one of {known}") from None


def _add(props: dict[str, list[str]], key: str, value: str | None) -> None:
    if value:
        values = props.setdefault(key, [])
        if value not in values:
            values.append(value)


def entity_properties(entity: Entity) -> dict[str, list[str]]:
    """The entity's fields as FtM properties."""
    props: dict[str, list[str]] = {}
    person = entity.schema is Schema.PERSON
    for name in entity.names:
        if name.weak:
            key = "weakAlias"
        elif name.kind in (NameKind.PRIMARY, NameKind.NKA):
            key = "name"
        elif name.kind is NameKind.FKA:
            key = "previousName"
        else:
            key = "alias"
        _add(props, key, name.full)
    primary = entity.names[0]
    if person:
        _add(props, "firstName", primary.first)
        _add(props, "lastName", primary.last)
        _add(props, "gender", entity.gender)
    date_key = {Schema.PERSON: "birthDate", Schema.ORGANIZATION: "incorporationDate"}.get(entity.schema)
    for bd in entity.birth_dates:
        if date_key is not None:
            _add(props, date_key, bd.date)
            _add(props, date_key, bd.to)
    for place in entity.birth_places:
        _add(props, "birthPlace", place.text)
    for code in entity.nationalities:
        _add(props, "nationality" if person else "country", code.lower())
    for code in entity.countries:
        _add(props, "country", code.lower())
    for address in entity.addresses:
        _add(props, "address", address.text)
    for ident in entity.identifiers:
        _add(props, _ID_PROPERTY[ident.type], ident.value)
    for program in entity.programs:
        _add(props, "programId", program)
    for title in entity.titles:
        _add(props, "position" if person else "notes", title)
    _add(props, "notes", entity.remarks)
    if entity.flag:
        _add(props, "flag", entity.flag.lower())
    _add(props, "type", entity.vessel_type)
    _add(props, "tonnage", entity.tonnage)
    props["topics"] = ["sanction"]
    return props


def seen_at(version: VersionInfo | None) -> str | None:
    """When the list last held the entity: its version's publication date, else its import time."""
    if version is None:
        return None
    if version.published:
        return datetime.fromisoformat(version.published).replace(tzinfo=UTC).isoformat()
    return version.imported_at.isoformat()


def _sanction(entity: Entity, version: VersionInfo | None) -> dict[str, Any]:
    props: dict[str, list[str]] = {"entity": [entity.id]}
    if version is not None:
        _add(props, "authority", list_title(version))
    for program in entity.programs:
        _add(props, "programId", program)
    _add(props, "listingDate", entity.listed_on)
    return {
        "id": f"{entity.id}-sanction",
        "caption": list_title(version) if version is not None else entity.list_key,
        "schema": "Sanction",
        "properties": props,
        "datasets": [entity.list_key],
        "referents": [],
        "target": False,
        "first_seen": None,
        "last_seen": seen_at(version),
        "last_change": None,
    }


def entity_response(entity: Entity, version: VersionInfo | None, nested: bool = False) -> dict[str, Any]:
    """The entity in yente's entity shape; ``nested`` adds its designation as a ``Sanction`` entity."""
    props: dict[str, list[Any]] = dict(entity_properties(entity))
    if nested:
        props["sanctions"] = [_sanction(entity, version)]
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": FTM_SCHEMA[entity.schema],
        "properties": props,
        "datasets": [entity.list_key],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": seen_at(version),
        "last_change": None,
    }
