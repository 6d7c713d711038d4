"""FollowTheMoney JSON lines (``entities.ftm.json``): one entity object per line.

Each line is ``{"id", "schema", "properties": {prop: [values]}, "caption", "datasets", ...}``.
Screened schemata become entities (see :data:`~sanctionwatch.sources.ftm.schema.SCREENED_SCHEMATA`);
the others (Position, Occupancy, Family, Sanction...) are skipped by design and counted.

The primary name is the record's ``caption`` (what OpenSanctions displays, also for a record with no
``name`` property), else the first ``name``, else ``firstName middleName lastName``; every other
``name`` value is an alias.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sanctionwatch.errors import ListFileError
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
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.ftm.schema import NON_TARGET_SCHEMATA, SCREENED_SCHEMATA, ftm_country, ftm_date

__all__ = ["iter_json_lines", "json_last_seen", "parse_json"]

_ID_PROPS: dict[str, IdType] = {
    "passportNumber": IdType.PASSPORT,
    "idNumber": IdType.NATIONAL_ID,
    "socialSecurityNumber": IdType.NATIONAL_ID,
    "taxNumber": IdType.TAX_ID,
    "innCode": IdType.TAX_ID,
    "vatCode": IdType.TAX_ID,
    "registrationNumber": IdType.REGISTRATION,
    "ogrnCode": IdType.REGISTRATION,
    "okpoCode": IdType.REGISTRATION,
    "imoNumber": IdType.IMO,
    "mmsi": IdType.MMSI,
    "callSign": IdType.CALL_SIGN,
    "swiftBic": IdType.SWIFT_BIC,
    "bicCode": IdType.SWIFT_BIC,
    "leiCode": IdType.LEI,
    "serialNumber": IdType.AIRCRAFT_SERIAL,
    "dunsCode": IdType.OTHER,
    "uniqueEntityId": IdType.OTHER,
}
_NAME_PROPS = (("alias", NameKind.AKA, False), ("weakAlias", NameKind.AKA, True),
               ("abbreviation", NameKind.AKA, False), ("previousName", NameKind.FKA, False))  # fmt: skip
_IMO_VALUE = re.compile(r"^IMO\s*(\d{7})$", re.IGNORECASE)
_LAST_SEEN = re.compile(rb'"last_seen"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def iter_json_lines(path: Path, ctx: ParseContext) -> Iterator[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSON lines file with their line numbers; bad lines go to ``ctx``.

    Raises:
        ListFileError: The file cannot be read or is UTF-16.
    """
    try:
        f = path.open("rb")
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    with f:
        for number, raw in enumerate(f, 1):
            where = f"line {number}"
            if number == 1 and (raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:64]):
                raise ListFileError(
                    str(path), "wrong encoding: the file is UTF-16; expected UTF-8 JSON lines"
                )
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                ctx.bad_record(
                    path, where, f"wrong encoding: byte {raw[exc.start : exc.start + 1]!r} is not UTF-8"
                )
                continue
            except json.JSONDecodeError as exc:
                if not raw.endswith(b"\n"):  # the last line, without its newline: the file was cut
                    reason = (
                        f"file is truncated: the last line is cut in the middle of a JSON object ({exc.msg})"
                    )
                else:
                    reason = f"invalid JSON at column {exc.colno}: {exc.msg}"
                ctx.bad_record(path, where, reason)
                continue
            if not isinstance(obj, dict):
                ctx.bad_record(path, where, f"expected a JSON object, got {type(obj).__name__}")
                continue
            yield number, obj


def json_last_seen(path: Path) -> str | None:
    """The latest ``last_seen`` date of the file (OpenSanctions' export date), ISO."""
    try:
        dates = _LAST_SEEN.findall(path.read_bytes())
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    return max(dates).decode() if dates else None


def _values(props: dict[str, Any], name: str) -> list[str]:
    """The string values of a property; a lone string counts as one value.

    Raises:
        ValueError: The property holds something else than strings.
    """
    value = props.get(name, [])
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise ValueError(f"property {name!r} holds {json.dumps(item)[:80]}, expected strings")
        text = str(item).strip()
        if text:
            out.append(text)
    return out


def parse_json(path: Path, dataset: str, ctx: ParseContext, skipped: Counter[str]) -> Iterator[Entity]:
    """Stream the entities of an FtM JSON lines file.

    Args:
        path: The file.
        dataset: The dataset key; list key is ``ftm:<dataset>``.
        ctx: Parse context (bad records).
        skipped: Counts non-screened records by schema (skipped by design).
    """
    list_key = f"ftm:{dataset}"
    for number, obj in iter_json_lines(path, ctx):
        where = f"line {number}"
        schema_name = obj.get("schema")
        schema = SCREENED_SCHEMATA.get(schema_name) if isinstance(schema_name, str) else None
        if schema is None:
            if isinstance(schema_name, str) and schema_name in NON_TARGET_SCHEMATA:
                skipped[schema_name] += 1
            else:
                ctx.bad_record(path, where, f"unknown FollowTheMoney schema {schema_name!r}")
            continue
        native, props = obj.get("id"), obj.get("properties")
        if not isinstance(native, str) or not native.strip():
            ctx.bad_record(path, where, f"record has no id (schema {schema_name!r})")
            continue
        if not isinstance(props, dict):
            ctx.bad_record(path, where, f"record id {native!r} has no 'properties' object")
            continue
        try:
            entity = _entity(entity_id(list_key, native.strip()), list_key, schema, obj, props)
        except ValueError as exc:
            ctx.bad_record(path, where, f"record id {native!r}: {exc}")
            continue
        yield entity


def _names(schema: Schema, obj: dict[str, Any], props: dict[str, Any]) -> tuple[Name, ...]:
    caption = obj.get("caption") if isinstance(obj.get("caption"), str) else None
    listed = [(v, NameKind.AKA, False) for v in _values(props, "name")]
    for prop, kind, weak in _NAME_PROPS:
        listed += [(v, kind, weak) for v in _values(props, prop)]
    if caption and caption.strip():
        primary = caption.strip()
    elif listed:
        primary = listed[0][0]
    else:
        parts = [v for p in ("firstName", "middleName", "lastName") for v in _values(props, p)[:1]]
        if not parts:
            raise ValueError("record has no name")
        primary = " ".join(parts)
    first, last = _values(props, "firstName"), _values(props, "lastName")
    if (
        schema is Schema.PERSON
        and len(first) == 1
        and len(last) == 1
        and first[0] in primary
        and last[0] in primary
    ):
        names = [Name(primary, first=first[0], last=last[0])]
    else:
        names = [Name(primary)]
    seen = {primary.casefold()}
    for full, kind, weak in listed:
        if full.casefold() not in seen:
            seen.add(full.casefold())
            names.append(Name(full, kind, weak))
    return tuple(names)


def _entity(eid: str, list_key: str, schema: Schema, obj: dict[str, Any], props: dict[str, Any]) -> Entity:
    remarks: list[str] = []
    births: list[BirthDate] = []
    for text in _values(props, "birthDate"):
        try:
            births.append(ftm_date(text))
        except ValueError:
            remarks.append(f"Birth date as listed: {text}")

    def codes(*names: str) -> list[str]:
        out = []
        for text in (v for n in names for v in _values(props, n)):
            code = ftm_country(text)
            if code:
                out.append(code)
            else:
                remarks.append(f"Country as listed: {text}")
        return list(dict.fromkeys(out))

    birth_countries = codes("birthCountry")
    places = [
        Place(p, birth_countries[0] if len(birth_countries) == 1 else None)
        for p in _values(props, "birthPlace")
    ]
    if not places:
        places = [Place(c, c) for c in birth_countries]
    identifiers = []
    for prop, id_type in _ID_PROPS.items():
        for value in _values(props, prop):
            kind = (
                IdType.AIRCRAFT_TAIL
                if schema is Schema.AIRCRAFT and prop == "registrationNumber"
                else id_type
            )
            m = _IMO_VALUE.match(value)
            identifiers.append(
                Identifier(kind, m.group(1) if m and kind is IdType.IMO else value, label=prop)
            )
    gender = next(
        (g.casefold() for g in _values(props, "gender") if g.casefold() in ("male", "female")), None
    )
    created = [d.date for d in (_try_date(v) for v in _values(props, "createdAt")) if d]
    flags = codes("flag")
    remarks += _values(props, "notes") + _values(props, "description") + _values(props, "summary")
    return Entity(
        id=eid,
        list_key=list_key,
        schema=schema,
        names=_names(schema, obj, props),
        birth_dates=tuple({b.date: b for b in births}.values()),
        birth_places=tuple(dict.fromkeys(places)),
        nationalities=tuple(codes("nationality", "citizenship")),
        countries=tuple(codes("country", "jurisdiction", "mainCountry", "pastFlags")),
        addresses=tuple(dict.fromkeys(Address(a) for a in _values(props, "address"))),
        identifiers=tuple({(i.type, i.value): i for i in identifiers}.values()),
        programs=tuple(
            dict.fromkeys(_values(props, "programId") + _values(props, "program") + _values(props, "topics"))
        ),
        listed_on=min(created) if created else None,
        gender=gender,
        titles=tuple(dict.fromkeys(_values(props, "title") + _values(props, "position"))),
        remarks="\n".join(dict.fromkeys(remarks)) or None,
        flag=flags[0] if flags and schema is Schema.VESSEL else None,
        vessel_type=next(iter(_values(props, "type")), None) if schema is Schema.VESSEL else None,
        tonnage=next(iter(_values(props, "tonnage") + _values(props, "grossRegisteredTonnage")), None)
        if schema is Schema.VESSEL
        else None,
    )


def _try_date(value: str) -> BirthDate | None:
    try:
        return ftm_date(value)
    except ValueError:
        return None
