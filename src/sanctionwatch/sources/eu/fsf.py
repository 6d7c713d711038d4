"""EU Financial Sanctions Files (FSF), XML: the current 1.1 layout and the pre-2018 1.0 one.

FSF XML 1.1: root ``export`` in namespace ``http://eu.europa.ec/fpi/fsd/export`` (attribute
``generationDate``), one ``sanctionEntity`` per listing (``logicalId`` is the stable id:
``eu-fsf:<logicalId>``) whose children carry everything in attributes: ``subjectType``,
``nameAlias``, ``citizenship``, ``birthdate``, ``identification``, ``address``, ``regulation``,
``remark``. The 1.0 layout (root ``WHOLE``) is read by :mod:`sanctionwatch.sources.eu.fsf_v10`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from sanctionwatch.countries import country_code
from sanctionwatch.model import (
    Address,
    BirthDate,
    Entity,
    Identifier,
    IdType,
    Link,
    Name,
    NameKind,
    Place,
    Schema,
    entity_id,
)
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.eu.fsf_v10 import is_v10_root, parse_v10
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
    unique_text,
    with_primary,
)

__all__ = ["EU_FSF", "NAMESPACE", "EuFsfFormat", "entity_of"]

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
_EXPECTED = f"EU Financial Sanctions Files XML (root <export xmlns={NAMESPACE!r}> or 1.0 <WHOLE>)"
_SCHEMAS = {"person": Schema.PERSON, "enterprise": Schema.ORGANIZATION}
_CLASSIFICATIONS = {"P": Schema.PERSON, "E": Schema.ORGANIZATION}
# identificationTypeCode values of FSF 1.1; the other codes (other, tradelic, birthcert,
# nationcert, travelcardid, electionid, residentperm, drivinglicence...) are IdType.OTHER.
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "nrn": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "fiscalcode": IdType.TAX_ID,
    "regnumber": IdType.REGISTRATION,
    "swiftbic": IdType.SWIFT_BIC,
    "imo": IdType.IMO,
}
_ID_FLAGS = {
    "knownFalse": "known to be false",
    "knownExpired": "known to be expired",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by issuer",
    "diplomatic": "diplomatic",
}
_GENDERS = {"M": "male", "F": "female"}


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _is_v11_root(root: RootInfo | None) -> bool:
    return root is not None and root.namespace == NAMESPACE and root.tag == "export"


def _is_fsf_root(root: RootInfo | None) -> bool:
    return _is_v11_root(root) or is_v10_root(root)


class EuFsfFormat(SourceFormat):
    """The EU Financial Sanctions Files XML format (1.1, and 1.0 files of before 2018)."""

    key = "eu-fsf"
    title = "EU Financial Sanctions Files (consolidated list)"

    def __init__(self) -> None:
        # The public download link the EU publishes for the full 1.1 XML file.
        self.urls = {
            "xmlFullSanctionsList_1_1.xml": "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
            "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
        }

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether the first bytes hold an FSF 1.1 ``<export>`` or a 1.0 ``<WHOLE Date=...>`` root."""
        return _is_fsf_root(read_root(head))

    def resolve(self, path: Path) -> ListFiles:
        """The list file itself, or the one FSF XML file in a folder."""
        return resolve_single(path, self.key, self.sniff, _EXPECTED)

    def published(self, files: ListFiles) -> str | None:
        """``generationDate`` (1.1) or ``Date`` (1.0, ``DD/MM/YYYY``) of the root, as ISO."""
        root = check_root(files.paths[0], _is_fsf_root, _EXPECTED)
        if _is_v11_root(root):
            return iso_date(root.attrib.get("generationDate", ""))
        try:
            return datetime.strptime(root.attrib.get("Date", ""), "%d/%m/%Y").date().isoformat()
        except ValueError:
            return None

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities of a 1.1 or 1.0 file."""
        path = files.paths[0]
        root = check_root(path, _is_fsf_root, _EXPECTED)
        if not _is_v11_root(root):
            yield from parse_v10(path, ctx)
            return
        for element in iter_records(path, (_q("sanctionEntity"),)):
            try:
                yield entity_of(element)
            except RecordError as bad:
                where = (
                    f"sanctionEntity logicalId={element.get('logicalId') or '?'} (line {element.sourceline})"
                )
                ctx.bad_record(path, where, bad.reason)


EU_FSF = EuFsfFormat()


def _attr(node: etree._Element, name: str) -> str | None:
    return clean(node.get(name))


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    return el.iterchildren(_q(tag))


def _country(node: etree._Element) -> str | None:
    """Alpha-2 from ``countryIso2Code`` (``00`` = unknown), else from ``countryDescription``."""
    code = _attr(node, "countryIso2Code")
    if code and code != "00" and (found := country_code(code)):
        return found
    description = _attr(node, "countryDescription")
    return country_code(description) if description and description != "UNKNOWN" else None


def entity_of(el: etree._Element) -> Entity:
    """The entity of one ``sanctionEntity`` element (the CSV reader builds such elements too).

    Raises:
        RecordError: No logicalId, unknown subject type, no name, or an invalid date.
    """
    logical = _attr(el, "logicalId")
    if logical is None:
        raise RecordError("no logicalId attribute")
    subject = next(_children(el, "subjectType"), None)
    code = (_attr(subject, "code") or "") if subject is not None else ""
    classification = (_attr(subject, "classificationCode") or "") if subject is not None else ""
    schema = _SCHEMAS.get(code.lower()) or _CLASSIFICATIONS.get(classification.upper())
    if schema is None:
        raise RecordError(f"unknown subjectType code={code!r} classificationCode={classification!r}")
    names, genders, titles = _names(el)
    remarks = [r for node in _children(el, "remark") if (r := clean(node.text))]
    births: list[BirthDate] = []
    places: list[Place] = []
    for node in _children(el, "birthdate"):
        birth, place, note = _birth(node)
        births.extend(birth)
        places.extend(place)
        if note:
            remarks.append(note)
    designated = _attr(el, "designationDate")
    listed_on = iso_date(designated) if designated else None
    if designated and listed_on is None:
        raise RecordError(f"invalid designationDate {designated!r}")
    addresses = [a for node in _children(el, "address") if (a := _address(node))]
    un_id = _attr(el, "unitedNationId")
    return Entity(
        id=entity_id(EU_FSF.key, logical),
        list_key=EU_FSF.key,
        schema=schema,
        names=names,
        birth_dates=unique(births),
        birth_places=unique(places),
        nationalities=unique(c for node in _children(el, "citizenship") if (c := _country(node))),
        countries=unique(a.country for a in addresses if a.country),
        addresses=unique(addresses),
        identifiers=unique(i for node in _children(el, "identification") if (i := _identifier(node))),
        programs=unique(p for node in _children(el, "regulation") if (p := _attr(node, "programme"))),
        listed_on=listed_on,
        gender=genders[0] if len(set(genders)) == 1 else None,
        titles=unique_text(titles),
        remarks="\n".join(remarks) or None,
        links=(Link("same_as", names[0].full, entity_id("un-sc", un_id)),) if un_id else (),
    )


def _names(el: etree._Element) -> tuple[tuple[Name, ...], list[str], list[str]]:
    """The names (the first strong one in English or no stated language is primary), genders, titles."""
    names: list[Name] = []
    genders: list[str] = []
    titles: list[str] = []
    primary: int | None = None
    for node in _children(el, "nameAlias"):
        first = " ".join(p for p in (_attr(node, "firstName"), _attr(node, "middleName")) if p) or None
        last = _attr(node, "lastName")
        full = _attr(node, "wholeName") or " ".join(p for p in (first, last) if p)
        if not full:
            continue
        lang = (_attr(node, "nameLanguage") or "").lower() or None
        strong = (_attr(node, "strong") or "true").lower() != "false"
        if primary is None and strong and lang in (None, "en"):
            primary = len(names)
        names.append(Name(full, NameKind.AKA, not strong, name_script(full), lang, first, last))
        gender = _GENDERS.get((_attr(node, "gender") or "").upper())
        if gender:
            genders.append(gender)
        if lang in (None, "en"):  # the other languages repeat the same title and function translated
            titles.extend(t for t in (_attr(node, "title"), _attr(node, "function")) if t)
    if not names:
        raise RecordError("no name: every nameAlias has an empty wholeName, firstName and lastName")
    return with_primary(names, primary or 0), genders, titles


def _birth(node: etree._Element) -> tuple[list[BirthDate], list[Place], str | None]:
    """A ``birthdate`` element: its date (day, year or year range), place, and a remark if any."""
    circa = (_attr(node, "circa") or "").lower() == "true"
    calendar = (_attr(node, "calendarType") or "GREGORIAN").upper()
    full, year = _attr(node, "birthdate"), _attr(node, "year")
    start, end = _attr(node, "yearRangeFrom"), _attr(node, "yearRangeTo")
    dates: list[BirthDate] = []
    note = None
    if calendar != "GREGORIAN":
        stated = full or year or start
        note = f"Birth date {stated} ({calendar.lower()} calendar)" if stated else None
    elif full:
        iso = iso_date(full)
        if iso is None or len(full) != 10:
            raise RecordError(f"invalid birthdate {full!r}")
        dates.append(BirthDate(iso, circa))
    elif year:
        dates.append(
            BirthDate(_partial_date(year, _attr(node, "monthOfYear"), _attr(node, "dayOfMonth")), circa)
        )
    elif start or end:
        if not (start and end and start.isdigit() and end.isdigit() and len(start) == len(end) == 4):
            raise RecordError(f"invalid birth year range yearRangeFrom={start!r} yearRangeTo={end!r}")
        if start > end:
            raise RecordError(
                f"invalid birth year range: yearRangeFrom {start!r} is after yearRangeTo {end!r}"
            )
        dates.append(BirthDate(start, circa, to=end))
    description = _attr(node, "countryDescription")
    parts = [_attr(node, a) for a in ("place", "city", "region", "zipCode")]
    parts.append(description if description != "UNKNOWN" else None)
    text = ", ".join(p for p in parts if p)
    places = [Place(text, _country(node))] if text else []
    return dates, places, note


def _partial_date(year: str, month: str | None, day: str | None) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` from the ``year``, ``monthOfYear`` and ``dayOfMonth`` parts."""
    if not (year.isdigit() and len(year) == 4):
        raise RecordError(f"invalid birth year {year!r}")
    if not month:
        return year
    if not (month.isdigit() and 1 <= int(month) <= 12):
        raise RecordError(f"invalid birth monthOfYear {month!r}")
    if not day:
        return f"{year}-{int(month):02d}"
    iso = iso_date(f"{year}-{int(month):02d}-{int(day):02d}") if day.isdigit() else None
    if iso is None:
        raise RecordError(f"invalid birth date {year}-{month}-{day} (dayOfMonth {day!r})")
    return iso


def _identifier(node: etree._Element) -> Identifier | None:
    number = _attr(node, "number") or _attr(node, "latinNumber")
    if number is None:
        return None
    code = _attr(node, "identificationTypeCode") or ""
    notes = [r for remark in _children(node, "remark") if (r := clean(remark.text))]
    notes.extend(text for flag, text in _ID_FLAGS.items() if (_attr(node, flag) or "").lower() == "true")
    for attribute, label in (("issuedBy", "issued by"), ("issueDate", "issued"), ("nameOnDocument", "name")):
        if value := _attr(node, attribute):
            notes.append(f"{label} {value}")
    latin = _attr(node, "latinNumber")
    if latin and latin != number:
        notes.append(f"latin {latin}")
    return Identifier(
        _ID_TYPES.get(code.lower(), IdType.OTHER),
        number,
        country=_country(node),
        label=_attr(node, "identificationTypeDescription") or code or None,
        note="; ".join(notes) or None,
    )


def _address(node: etree._Element) -> Address | None:
    city = _attr(node, "city")
    description = _attr(node, "countryDescription")
    parts = [_attr(node, a) for a in ("street", "poBox", "place", "zipCode")]
    parts.extend((city, _attr(node, "region"), description if description != "UNKNOWN" else None))
    text = ", ".join(p for p in parts if p)
    return Address(text, city=city, country=_country(node)) if text else None
