"""UN Security Council Consolidated List, XML (``CONSOLIDATED_LIST``).

One file: ``INDIVIDUALS/INDIVIDUAL`` (persons) and ``ENTITIES/ENTITY`` (organizations), each with
``DATAID``, ``REFERENCE_NUMBER`` (the stable id: ``un-sc:KPe.001``), ``FIRST_NAME``..``FOURTH_NAME``,
``NAME_ORIGINAL_SCRIPT``, ``*_ALIAS`` (``QUALITY`` Good/Low/a.k.a./f.k.a.), dates and places of
birth, documents, nationalities, addresses and ``COMMENTS1``. Streamed with lxml iterparse.
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
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.xmlread import (
    RecordError,
    RootInfo,
    check_root,
    clean,
    iso_date,
    iter_records,
    name_script,
    read_root,
    resolve_single,
    unique,
    unique_names,
    unique_text,
)

__all__ = ["UN_SC", "UnScFormat"]

_EXPECTED = "UN Security Council consolidated list XML (root <CONSOLIDATED_LIST>)"
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_YEAR = re.compile(r"^\d{4}$")
# "IMO number: 5936312", "IMO Number: 5342883", "Company Number IMO 5434358",
# "International Maritime Organization (IMO) Number: 1790183".
_IMO = re.compile(r"\bIMO\)?\s*(?:[Nn]umber|[Nn]o\.?)?\s*:?\s*(\d{7})\b")
# "Jin Tiesan (金铁三)", "حسن غول (Hassan Ghul; Hassan Gul)", "Amir Khazmat (original script: Амир Хазмат)"
_ALIAS_WITH_SCRIPT = re.compile(r"^(?P<outer>[^()]+?)\s*\((?:original script:\s*)?(?P<inner>[^()]+)\)[\s,]*$")
_QUOTES = '"“”'
_GENDER_NOTE = re.compile(r"\bGender:\s*(male|female)\b", re.I)
# The English month abbreviations the list's date notes use ("Nov. 1973", "Between Aug. and Sep. 1977").
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_YEAR = re.compile(r"^(?P<month>[A-Za-z]+)\.?\s+(?P<year>\d{4})$")
_BETWEEN_MONTHS = re.compile(
    r"^between\s+(?P<m1>[A-Za-z]+)\.?\s+and\s+(?P<m2>[A-Za-z]+)\.?\s+(?P<year>\d{4})$", re.I
)


def _is_un_root(root: RootInfo | None) -> bool:
    return root is not None and root.namespace is None and root.tag == "CONSOLIDATED_LIST"


class UnScFormat(SourceFormat):
    """The UN Security Council Consolidated List XML format."""

    key = "un-sc"
    title = "UN Security Council Consolidated List"

    def __init__(self) -> None:
        self.urls = {"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"}

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether the first bytes hold a ``<CONSOLIDATED_LIST>`` root (no namespace)."""
        return _is_un_root(read_root(head))

    def resolve(self, path: Path) -> ListFiles:
        """The list file itself, or the one list file in a folder."""
        return resolve_single(path, self.key, self.sniff, _EXPECTED)

    def published(self, files: ListFiles) -> str | None:
        """The date part of the root's ``dateGenerated`` attribute."""
        root = check_root(files.paths[0], _is_un_root, _EXPECTED)
        return iso_date(root.attrib.get("dateGenerated", ""))

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the individuals, then the entities."""
        path = files.paths[0]
        check_root(path, _is_un_root, _EXPECTED)
        for element in iter_records(path, ("INDIVIDUAL", "ENTITY")):
            parent = element.getparent()
            if parent is None or parent.tag not in ("INDIVIDUALS", "ENTITIES"):
                continue
            try:
                yield _entity(element)
            except RecordError as bad:
                dataid = clean(element.findtext("DATAID")) or "?"
                where = f"{element.tag} DATAID={dataid} (line {element.sourceline})"
                ctx.bad_record(path, where, bad.reason)


UN_SC = UnScFormat()


def _text(element: etree._Element, tag: str) -> str | None:
    return clean(element.findtext(tag))


def _values(element: etree._Element, tag: str) -> list[str]:
    """The non-empty ``VALUE`` texts of every ``tag`` child (``NATIONALITY/VALUE``...)."""
    return [v for node in element.iterchildren(tag) for v in (clean(x.text) for x in node) if v]


def _entity(el: etree._Element) -> Entity:
    person = el.tag == "INDIVIDUAL"
    ref = _text(el, "REFERENCE_NUMBER")
    if ref is None:
        raise RecordError("no REFERENCE_NUMBER")
    program = _text(el, "UN_LIST_TYPE")
    remarks: list[str] = []
    comments = _text(el, "COMMENTS1")
    if comments:
        remarks.append(comments)
    names = _names(el, person, program)
    listed = _text(el, "LISTED_ON")
    listed_on = iso_date(listed) if listed else None
    if listed and listed_on is None:
        raise RecordError(f"invalid LISTED_ON {listed!r}")
    nationalities: list[str] = []
    for value in _values(el, "NATIONALITY"):
        code = country_code(value)
        if code:
            nationalities.append(code)
        else:
            remarks.append(f"Nationality: {value}")
    births: list[BirthDate] = []
    for node in el.iterchildren("INDIVIDUAL_DATE_OF_BIRTH"):
        birth, note = _birth_date(node)
        births.extend(birth)
        if note:
            remarks.append(f"Date of birth: {note}")
    places = [p for node in el.iterchildren("INDIVIDUAL_PLACE_OF_BIRTH") if (p := _place(node))]
    for alias in el.iterchildren("INDIVIDUAL_ALIAS"):
        alias_dob = _text(alias, "DATE_OF_BIRTH")
        if alias_dob:
            births.append(_alias_birth_date(alias_dob))
        alias_place = ", ".join(
            filter(None, (_text(alias, "CITY_OF_BIRTH"), _text(alias, "COUNTRY_OF_BIRTH")))
        )
        if alias_place:
            places.append(Place(alias_place, country_code(_text(alias, "COUNTRY_OF_BIRTH"))))
    identifiers: list[Identifier] = []
    for node in el.iterchildren("INDIVIDUAL_DOCUMENT"):
        doc, note = _document(node)
        if doc:
            identifiers.append(doc)
        if note:
            remarks.append(note)
    identifiers.extend(Identifier(IdType.IMO, n, label="IMO number") for n in _IMO.findall(comments or ""))
    addresses = [
        a
        for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS")
        for n in el.iterchildren(tag)
        if (a := _address(n))
    ]
    gender = _text(el, "GENDER")
    if person and gender is None and (noted := _GENDER_NOTE.search(comments or "")):
        gender = noted.group(1)  # many entries state it only in COMMENTS1 ("Gender: male.")
    return Entity(
        id=entity_id(UN_SC.key, ref),
        list_key=UN_SC.key,
        schema=Schema.PERSON if person else Schema.ORGANIZATION,
        names=names,
        birth_dates=unique(births),
        birth_places=unique(places),
        nationalities=unique(nationalities),
        countries=unique(a.country for a in addresses if a.country),
        addresses=unique(addresses),
        identifiers=unique(identifiers),
        programs=(program,) if program else (),
        listed_on=listed_on,
        gender=gender.lower() if gender else None,
        titles=unique_text([*_values(el, "TITLE"), *_values(el, "DESIGNATION")]),
        remarks="\n".join(remarks) or None,
    )


def _names(el: etree._Element, person: bool, program: str | None) -> tuple[Name, ...]:
    parts = [p for p in (_text(el, tag) for tag in _NAME_PARTS) if p]
    if not parts:
        raise RecordError("no name: FIRST_NAME to FOURTH_NAME are all empty")
    first = last = None
    if person and len(parts) > 1:
        # The UN writes Korean names family name first: FIRST_NAME holds the family name (RI, KIM).
        if program == "DPRK":
            last, first = parts[0], " ".join(parts[1:])
        else:
            first, last = parts[0], parts[-1]
    full = " ".join(parts)
    names = [Name(full, script=name_script(full), first=first, last=last)]
    original = _text(el, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(Name(original, kind=NameKind.AKA, script=name_script(original)))
    for alias in el.iterchildren("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
        text = _text(alias, "ALIAS_NAME")
        if not text:
            continue  # the list writes an empty <..._ALIAS> where there is none
        quality = (_text(alias, "QUALITY") or "").casefold()
        kind = NameKind.FKA if quality == "f.k.a." else NameKind.AKA
        for part in _alias_parts(text):
            names.append(Name(part, kind=kind, weak=quality == "low", script=name_script(part)))
    return unique_names(names)


def _alias_parts(text: str) -> list[str]:
    """An alias, split where it carries the same name in another script in parentheses."""
    if len(text) > 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    match = _ALIAS_WITH_SCRIPT.match(text)
    if match:
        outer, inner = match["outer"].strip(), match["inner"]
        if name_script(outer) != name_script(inner):
            return [outer, *(p.strip() for p in inner.split(";") if p.strip())]
    return [text]


def _month(word: str) -> int | None:
    key = word.casefold()[:3]
    return _MONTHS.index(key) + 1 if key in _MONTHS else None


def _year(text: str, field: str) -> str:
    if not _YEAR.match(text):
        raise RecordError(f"invalid date of birth: {field} {text!r} is not a year")
    return text


def _birth_date(node: etree._Element) -> tuple[list[BirthDate], str | None]:
    """The birth date a ``INDIVIDUAL_DATE_OF_BIRTH`` states, and a note to keep as a remark."""
    kind = (_text(node, "TYPE_OF_DATE") or "").upper()
    day, year = _text(node, "DATE"), _text(node, "YEAR")
    start, end, note = _text(node, "FROM_YEAR"), _text(node, "TO_YEAR"), _text(node, "NOTE")
    circa = kind == "APPROXIMATELY" or (note or "").casefold().startswith("approximately")
    if day:
        iso = iso_date(day)
        if iso is None or len(day) != 10:
            raise RecordError(f"invalid date of birth: DATE {day!r}")
        return [BirthDate(iso, circa)], (f"{iso}: {note}" if note and not circa else None)
    if start or end or kind == "BETWEEN":
        if not (start and end):
            raise RecordError(
                f"invalid date of birth: BETWEEN needs FROM_YEAR and TO_YEAR, got {start!r}-{end!r}"
            )
        if _year(start, "FROM_YEAR") > _year(end, "TO_YEAR"):
            raise RecordError(f"invalid date of birth: FROM_YEAR {start!r} is after TO_YEAR {end!r}")
        return [BirthDate(start, circa, to=end)], None
    if year:
        _year(year, "YEAR")
        month = _month(note.strip(".")) if note and len(note.strip(".")) <= 9 else None
        if month:
            return [BirthDate(f"{year}-{month:02d}", circa)], None
        return [BirthDate(year, circa)], (f"{year}: {note}" if note else None)
    if note:
        return _date_from_note(note, circa)
    return [], None


def _date_from_note(note: str, circa: bool) -> tuple[list[BirthDate], str | None]:
    """Month precision dates the list writes only as a note ("Nov. 1973", "Between Aug. and Sep. 1977")."""
    match = _MONTH_YEAR.match(note)
    if match and (month := _month(match["month"])):
        return [BirthDate(f"{match['year']}-{month:02d}", circa)], None
    match = _BETWEEN_MONTHS.match(note)
    if match and (m1 := _month(match["m1"])) and (m2 := _month(match["m2"])):
        return [BirthDate(f"{match['year']}-{m1:02d}", circa, to=f"{match['year']}-{m2:02d}")], None
    return [], note  # e.g. "24/06/1402 (Hijri Calendar)", "30-35 years old": kept as a remark


def _alias_birth_date(text: str) -> BirthDate:
    if _YEAR.match(text):
        return BirthDate(text)
    iso = iso_date(text)
    if iso is None or len(text) != 10:
        raise RecordError(f"invalid date of birth in an alias: DATE_OF_BIRTH {text!r}")
    return BirthDate(iso)


def _place(node: etree._Element) -> Place | None:
    country = _text(node, "COUNTRY")
    parts = [_text(node, t) for t in ("STREET", "CITY", "STATE_PROVINCE")]
    text = ", ".join(p for p in (*parts, country) if p)
    note = _text(node, "NOTE")
    if note:
        text = f"{text} ({note})" if text else note
    return Place(text, country_code(country)) if text else None


def _address(node: etree._Element) -> Address | None:
    country, city = _text(node, "COUNTRY"), _text(node, "CITY")
    parts = (_text(node, "STREET"), city, _text(node, "STATE_PROVINCE"), _text(node, "ZIP_CODE"), country)
    text = ", ".join(p for p in parts if p)
    note = _text(node, "NOTE")
    if note:
        text = f"{text} ({note})" if text else note
    return Address(text, city=city, country=country_code(country)) if text else None


def _document_type(label: str) -> IdType:
    """The identifier type of a document label (``Passport``, ``National Identification Number``...)."""
    low = label.casefold()
    if any(word in low for word in ("passport", "passeport", "pasaporte")):
        return IdType.PASSPORT
    if "fiscal" in low or "tax" in low:
        return IdType.TAX_ID
    if "identi" in low or "id card" in low or "national number" in low or "social security" in low:
        return IdType.NATIONAL_ID
    return IdType.OTHER


def _document(node: etree._Element) -> tuple[Identifier | None, str | None]:
    """An ``INDIVIDUAL_DOCUMENT`` as an identifier; one without a number is kept as a remark."""
    label = _text(node, "TYPE_OF_DOCUMENT2") or _text(node, "TYPE_OF_DOCUMENT")
    number, note = _text(node, "NUMBER"), _text(node, "NOTE")
    issued, city = _text(node, "DATE_OF_ISSUE"), _text(node, "CITY_OF_ISSUE")
    country = _text(node, "ISSUING_COUNTRY") or _text(node, "COUNTRY_OF_ISSUE")
    details = "; ".join(
        p for p in (note, f"issued {issued}" if issued else None, f"in {city}" if city else None) if p
    )
    if number is None:
        if not (label or details):
            return None, None
        return None, f"{label or 'Document'}: {details or 'no number given'}"
    doc = Identifier(
        _document_type(label or ""),
        number,
        country=country_code(country),
        label=label,
        note=details or None,
    )
    return doc, None
