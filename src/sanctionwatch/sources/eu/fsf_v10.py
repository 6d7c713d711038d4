"""EU Financial Sanctions Files XML 1.0, the layout published until 2018 (root ``WHOLE``).

``WHOLE Date="DD/MM/YYYY"`` holds one ``ENTITY`` per listing (``Id`` is the stable id,
``eu-fsf:<Id>``; ``Type`` P or E; ``programme``; ``remark``) with child elements ``NAME``
(LASTNAME, FIRSTNAME, MIDDLENAME, WHOLENAME, GENDER, TITLE, FUNCTION, LANGUAGE), ``BIRTH``
(DATE, PLACE, COUNTRY), ``PASSPORT`` (NUMBER, COUNTRY), ``CITIZEN`` (COUNTRY) and ``ADDRESS``.
Countries are ISO 3166 alpha-3 codes. Dates are ``YYYY-MM-DD``, ``YYYY``, ``YYYY (approximative)``
or ``YYYY - YYYY (approximative)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

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
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.xmlread import (
    RecordError,
    RootInfo,
    clean,
    iso_date,
    iter_records,
    name_script,
    unique,
    unique_text,
    with_primary,
)

__all__ = ["entity_of_v10", "is_v10_root", "parse_v10"]

_LIST_KEY = "eu-fsf"
_SCHEMAS = {"P": Schema.PERSON, "E": Schema.ORGANIZATION}
_GENDERS = {"M": "male", "F": "female"}
_YEARS = re.compile(r"^(?P<start>\d{4})(?:\s*-\s*(?P<end>\d{4}))?(?P<circa>\s*\(approximative\))?$")
# "AD001095 (passport-National passport) ((passport))": number, (type code-description), note.
_DOCUMENT = re.compile(r"^(?P<number>.*?)\s*\((?P<code>[A-Za-z]+)-(?P<label>[^)]*)\)\s*(?P<note>.*)$", re.S)
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "fiscalcode": IdType.TAX_ID,
    "regnumber": IdType.REGISTRATION,
}


def is_v10_root(root: RootInfo | None) -> bool:
    """Whether a root element is the 1.0 ``<WHOLE Date="...">``."""
    return root is not None and root.namespace is None and root.tag == "WHOLE" and "Date" in root.attrib


def parse_v10(path: Path, ctx: ParseContext) -> Iterator[Entity]:
    """Stream the ``ENTITY`` records of a 1.0 file."""
    for element in iter_records(path, ("ENTITY",)):
        try:
            yield entity_of_v10(element)
        except RecordError as bad:
            where = f"ENTITY Id={element.get('Id') or '?'} (line {element.sourceline})"
            ctx.bad_record(path, where, bad.reason)


def _text(element: etree._Element, tag: str) -> str | None:
    return clean(element.findtext(tag))


def entity_of_v10(el: etree._Element) -> Entity:
    """The entity of one 1.0 ``ENTITY`` element (the CSV reader builds such elements too).

    Raises:
        RecordError: No Id, unknown Type, no name, or an invalid birth date.
    """
    native = clean(el.get("Id"))
    if native is None:
        raise RecordError("no Id attribute")
    kind = clean(el.get("Type")) or ""
    schema = _SCHEMAS.get(kind.upper())
    if schema is None:
        raise RecordError(f"unknown Type {kind!r} (expected P or E)")
    names, genders, titles = _names(el)
    remarks = [_unwrap(r)] if (r := clean(el.get("remark"))) else []
    births: list[BirthDate] = []
    places: list[Place] = []
    for node in el.iterchildren("BIRTH"):
        births.extend(_birth_date(_text(node, "DATE")))
        place, country = _text(node, "PLACE"), _text(node, "COUNTRY")
        if place or country:
            places.append(Place(", ".join(p for p in (place, country) if p), country_code(country)))
    identifiers: list[Identifier] = []
    for node in el.iterchildren("PASSPORT"):
        doc, note = _document(node)
        if doc:
            identifiers.append(doc)
        if note:
            remarks.append(note)
    addresses = [a for node in el.iterchildren("ADDRESS") if (a := _address(node))]
    programme = clean(el.get("programme"))
    return Entity(
        id=entity_id(_LIST_KEY, native),
        list_key=_LIST_KEY,
        schema=schema,
        names=names,
        birth_dates=unique(births),
        birth_places=unique(places),
        nationalities=unique(
            c for n in el.iterchildren("CITIZEN") if (c := country_code(_text(n, "COUNTRY")))
        ),
        countries=unique(a.country for a in addresses if a.country),
        addresses=unique(addresses),
        identifiers=unique(identifiers),
        programs=(programme,) if programme else (),
        gender=genders[0] if len(set(genders)) == 1 else None,
        titles=unique_text(titles),
        remarks="\n".join(remarks) or None,
    )


def _names(el: etree._Element) -> tuple[tuple[Name, ...], list[str], list[str]]:
    """The names (the first in English or no stated language is primary), genders, titles."""
    names: list[Name] = []
    genders: list[str] = []
    titles: list[str] = []
    primary: int | None = None
    for node in el.iterchildren("NAME"):
        first = " ".join(p for p in (_text(node, "FIRSTNAME"), _text(node, "MIDDLENAME")) if p) or None
        last = _text(node, "LASTNAME")
        full = _text(node, "WHOLENAME") or " ".join(p for p in (first, last) if p)
        if not full:
            continue
        lang = (_text(node, "LANGUAGE") or "").lower() or None
        if primary is None and lang in (None, "en"):
            primary = len(names)
        names.append(Name(full, NameKind.AKA, script=name_script(full), lang=lang, first=first, last=last))
        gender = _GENDERS.get((_text(node, "GENDER") or "").upper())
        if gender:
            genders.append(gender)
        if lang in (None, "en"):
            titles.extend(t for t in (_text(node, "TITLE"), _text(node, "FUNCTION")) if t)
    if not names:
        raise RecordError("no name: every NAME has an empty WHOLENAME, FIRSTNAME and LASTNAME")
    return with_primary(names, primary or 0), genders, titles


def _unwrap(text: str) -> str:
    """``"(UNSC RESOLUTION 1483)"`` without the parentheses the 1.0 layout wraps remarks in."""
    if text.startswith("(") and text.endswith(")") and text.count("(") == text.count(")"):
        inner = text[1:-1]
        depth = 0
        for char in inner:  # only when the outer pair encloses the whole text: "(a) ... (b)" stays
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return text
        return inner.strip()
    return text


def _birth_date(text: str | None) -> list[BirthDate]:
    if not text:
        return []
    if len(text) == 10 and (iso := iso_date(text)):
        return [BirthDate(iso)]
    match = _YEARS.match(text)
    if match is None:
        raise RecordError(f"invalid BIRTH DATE {text!r}")
    start, end = match["start"], match["end"]
    if end and start > end:
        raise RecordError(f"invalid BIRTH DATE {text!r}: the range ends before it starts")
    return [BirthDate(start, circa=match["circa"] is not None, to=end)]


def _document(node: etree._Element) -> tuple[Identifier | None, str | None]:
    """A ``PASSPORT`` element (which holds every kind of document) as an identifier, or a remark."""
    raw = _text(node, "NUMBER")
    if raw is None:
        return None, None
    country = country_code(_text(node, "COUNTRY"))
    match = _DOCUMENT.match(raw)
    if match is None:
        return Identifier(IdType.OTHER, raw, country=country), None
    number, code = match["number"].strip(), match["code"].lower()
    if not number or number.upper() == "UNKNOWN":
        return None, f"Document ({match['label']}): number unknown {match['note']}".strip()
    return (
        Identifier(
            _ID_TYPES.get(code, IdType.OTHER),
            number,
            country=country,
            label=clean(match["label"]) or code,
            note=clean(match["note"]),
        ),
        None,
    )


def _address(node: etree._Element) -> Address | None:
    city, country = _text(node, "CITY"), _text(node, "COUNTRY")
    parts = [_text(node, t) for t in ("NUMBER", "STREET", "ZIPCODE")]
    parts.extend((city, _text(node, "OTHER"), country))
    text = ", ".join(p for p in parts if p)
    return Address(text, city=city, country=country_code(country)) if text else None
