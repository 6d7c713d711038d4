"""One OFAC legacy CSV record (a main-file row with its aliases, addresses and remarks) as an Entity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sanctionwatch.countries import country_code
from sanctionwatch.model import Address, Entity, Identifier, IdType, Link, Name, NameKind, Schema, entity_id
from sanctionwatch.sources.ofac.files import field_value
from sanctionwatch.sources.ofac.remarks import parse_remarks

__all__ = ["Companions", "build_entity", "make_address", "split_programs"]

SCHEMAS: dict[str, Schema] = {
    "individual": Schema.PERSON,
    "vessel": Schema.VESSEL,
    "aircraft": Schema.AIRCRAFT,
    "": Schema.ORGANIZATION,
}

_T = TypeVar("_T")


@dataclass
class Companions:
    """What the companion files say, by ``ent_num``."""

    aliases: dict[str, list[tuple[NameKind, str]]] = field(default_factory=dict)
    addresses: dict[str, list[Address]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)


def _unique(items: Sequence[_T]) -> tuple[_T, ...]:
    return tuple(items) if len(items) < 2 else tuple(dict.fromkeys(items))


def split_programs(raw: str) -> tuple[str, ...]:
    """``"NPWMD] [DPRK2"`` → ``("NPWMD", "DPRK2")``."""
    value = field_value(raw)
    if value is None:
        return ()
    return _unique([p for p in (part.strip(" []") for part in value.split("] [")) if p])


def make_address(street: str, city: str, country: str, remarks: str) -> Address | None:
    """An address from the add.csv columns; ``None`` when all are ``-0-``."""
    parts = [v for v in (field_value(street), field_value(city), field_value(country)) if v]
    if not parts:
        return None
    text = ", ".join(parts)
    note = field_value(remarks)
    if note:
        text = f"{text} ({note})"
    return Address(text=text, city=field_value(city), country=country_code(field_value(country)))


def _name(full: str, kind: NameKind, person: bool, weak: bool = False) -> Name:
    if person and ", " in full:
        last, first = (p.strip() for p in full.split(", ", 1))
        return Name(full, kind=kind, weak=weak, first=first or None, last=last or None)
    return Name(full, kind=kind, weak=weak)


def _tonnage(tonnage: str, grt: str) -> str | None:
    ton, gross = field_value(tonnage), field_value(grt)
    if ton and gross:
        return f"{ton}; GRT {gross}"
    if gross:
        return f"GRT {gross}"
    return ton


def build_entity(
    list_key: str,
    row: Sequence[str],
    companions: Companions,
    name_ids: Mapping[str, str],
) -> Entity:
    """The entity of one main-file row, whose ``SDN_Type`` has been checked.

    Args:
        list_key: ``us-ofac-sdn`` or ``us-ofac-cons``.
        row: The 12 fields.
        companions: Aliases, addresses and remarks continuations of the set.
        name_ids: Case-folded primary name → entity id for names that occur once, to resolve links.
    """
    ent_num = row[0].strip()
    schema = SCHEMAS[(field_value(row[2]) or "").lower()]
    person = schema is Schema.PERSON
    comments = companions.comments.get(ent_num, [])
    remarks = ((row[11] if field_value(row[11]) else "") + "".join(comments)).strip() or None
    facts = parse_remarks(remarks or "", name_ids)

    names = [_name(row[1].strip(), NameKind.PRIMARY, person)]
    names += [_name(alias, kind, person) for kind, alias in companions.aliases.get(ent_num, [])]
    seen = {n.full for n in names}
    for weak in facts.aliases:
        if weak.full not in seen:
            seen.add(weak.full)
            names.append(_name(weak.full, weak.kind, person, weak=True))

    identifiers: list[Identifier] = []
    if call_sign := field_value(row[5]):
        identifiers.append(Identifier(IdType.CALL_SIGN, call_sign, label="Call Sign"))
    identifiers += facts.identifiers

    flag = country_code(field_value(row[9])) or (facts.flags[0] if facts.flags else None)
    addresses = companions.addresses.get(ent_num, [])
    countries = [a.country for a in addresses if a.country] + facts.countries
    if flag:
        countries.append(flag)

    links = [Link("linked_to", n, name_ids.get(n.casefold())) for n in facts.linked_to]
    if owner := field_value(row[10]):
        links.append(Link("owner", owner, name_ids.get(owner.casefold())))
    links += [Link("operator", n, name_ids.get(n.casefold())) for n in facts.operators]

    title = field_value(row[4])
    return Entity(
        id=entity_id(list_key, ent_num),
        list_key=list_key,
        schema=schema,
        names=tuple(names),
        birth_dates=_unique([*facts.birth_dates, *facts.established]),
        birth_places=_unique(facts.birth_places),
        nationalities=_unique(facts.nationalities),
        countries=_unique(countries),
        addresses=tuple(addresses),
        identifiers=_unique(identifiers),
        programs=split_programs(row[3]),
        gender=facts.gender,
        titles=(title,) if title else (),
        remarks=remarks,
        links=_unique(links),
        flag=flag,
        vessel_type=field_value(row[6]),
        tonnage=_tonnage(row[7], row[8]),
    )
