"""UK Sanctions List (FCDO), XML format: the same list (``uk-sl``) as the CSV, read by format ``uk-sl-xml``.

The root ``<Designations>`` holds ``<DateGenerated>dd/mm/yyyy</DateGenerated>`` (the publication
date) and one ``<Designation>`` per designation, with ``<UniqueID>``, ``<Names>/<Name>`` (``Name1``
... ``Name6``, ``NameType``, ``AliasStrength``), ``<NonLatinNames>``, ``<IndividualEntityShip>`` and
the details nested under ``IndividualDetails/Individual``, ``EntityDetails/Entity`` and
``ShipDetails/Ship``. Each element is mapped onto the CSV column it corresponds to (:data:`FIELDS`),
so both formats give equal entities (:mod:`sanctionwatch.sources.uk.sl_designation`). An element
this reader does not know is kept in the remarks under its path. ``lists update`` fetches the CSV;
the XML is imported with ``lists import`` (detected by its root element).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.uk.ofsi_fields import parse_uk_date
from sanctionwatch.sources.uk.sl_designation import LIST_KEY, Designation, name_kind, parse_designation_type
from sanctionwatch.sources.xmlread import RootInfo, check_root, iter_records, read_root, resolve_single

__all__ = ["FIELDS", "UK_SL_XML", "UkSlXmlFormat"]

_EXPECTED = "a UK Sanctions List XML file (root <Designations>)"
_IND = "IndividualDetails/Individual/"
_ENT = "EntityDetails/Entity/"
_SHIP = "ShipDetails/Ship/"

#: Element path under ``<Designation>`` → the CSV column it carries.
FIELDS = {
    "LastUpdated": "Last Updated",
    "DateDesignated": "Date Designated",
    "OFSIGroupID": "OFSI Group ID",
    "UNReferenceNumber": "UN Reference Number",
    "RegimeName": "Regime Name",
    "DesignationSource": "Designation source",
    "SanctionsImposed": "Sanctions Imposed",
    "OtherInformation": "Other Information",
    "UKStatementofReasons": "UK Statement of Reasons",
    "Titles/Title": "Title",
    "PhoneNumbers/PhoneNumber": "Phone number",
    "EmailAddresses/EmailAddress": "Email address",
    "Websites/Website": "Website",
    _IND + "DOBs/DOB": "D.O.B",
    _IND + "Genders/Gender": "Gender",
    _IND + "Nationalities/Nationality": "Nationality(/ies)",
    _IND + "Positions/Position": "Position",
    _ENT + "BusinessRegistrationNumbers/BusinessRegistrationNumber": "Business registration number (s)",
    _ENT + "TypeOfEntities/TypeOfEntity": "Type of entity",
    _ENT + "ParentCompanies/ParentCompany": "Parent company",
    _ENT + "Subsidiaries/Subsidiary": "Subsidiaries",
    _SHIP + "IMONumbers/IMONumber": "IMO number",
    _SHIP + "CurrentOwnerOperators/CurrentOwnerOperator": "Current owner/operator (s)",
    _SHIP + "PreviousOwnerOperators/PreviousOwnerOperator": "Previous owner/operator (s)",
    _SHIP + "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip": "Current believed flag of ship",
    _SHIP + "PreviousFlags/PreviousFlag": "Previous flags",
    _SHIP + "TypeOfShipDetails/TypeOfShip": "Type of ship",
    _SHIP + "TonnageOfShipDetails/TonnageOfShip": "Tonnage of ship",
    _SHIP + "LengthOfShipDetails/LengthOfShip": "Length of ship",
    _SHIP + "YearsBuilt/YearBuilt": "Year Built",
    _SHIP + "HullIdentificationNumbers/HullIdentificationNumber": "Hull identification number (HIN)",
}
# Elements holding one value made of several children, by the pair name Designation keeps them under.
_GROUPS = {
    "Addresses/Address": (
        "address",
        (*(f"AddressLine{i}" for i in range(1, 7)), "AddressPostalCode", "AddressCountry"),
    ),
    _IND + "PassportDetails/Passport": ("passport", ("PassportNumber", "PassportAdditionalInformation")),
    _IND + "NationalIdentifierDetails/NationalIdentifier": (
        "national_id",
        ("NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"),
    ),
    _IND + "BirthDetails/Location": ("birth", ("TownOfBirth", "CountryOfBirth")),
}
_INDICATORS = "SanctionsImposedIndicators/"
_SPECIAL = {"UniqueID", "IndividualEntityShip", "Names/Name", "NonLatinNames/NonLatinName"}


def _is_root(root: RootInfo | None) -> bool:
    return root is not None and root.tag == "Designations"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _child(element: etree._Element, tag: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and _local(child) == tag:
            return _text(child)
    return ""


def _walk(element: etree._Element, prefix: str = "") -> Iterator[tuple[str, etree._Element]]:
    """``(path, element)`` of every known group, special element and leaf under ``element``."""
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        path = prefix + _local(child)
        if path in _GROUPS or path in _SPECIAL or len(child) == 0:
            yield path, child
        else:
            yield from _walk(child, path + "/")


class UkSlXmlFormat(SourceFormat):
    """The UK Sanctions List XML (one file); entities as the CSV gives them."""

    key = "uk-sl-xml"
    title = "UK Sanctions List (FCDO), XML"

    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether the first bytes hold a ``<Designations>`` root."""
        return _is_root(read_root(head))

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one UKSL XML file in a folder."""
        found = resolve_single(path, self.key, self.sniff, _EXPECTED)
        return ListFiles(self.key, LIST_KEY, found.paths)

    def published(self, files: ListFiles) -> str | None:
        """The ``<DateGenerated>`` date, as ISO."""
        path = files.paths[0]
        check_root(path, _is_root, _EXPECTED)
        for element in iter_records(path, ("DateGenerated", "Designation")):
            if _local(element) != "DateGenerated":
                return None  # the date comes first when the file has one
            try:
                return parse_uk_date(_text(element))
            except ValueError:
                return None
        return None

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the designations in file order.

        Raises:
            ListFileError: Not well-formed XML or not this format; bad records unless ``ctx.lenient``.
        """
        path = files.paths[0]
        check_root(path, _is_root, _EXPECTED)
        seen: dict[str, str] = {}
        for n, element in enumerate(iter_records(path, ("Designation",)), start=1):
            uid = _child(element, "UniqueID")
            where = f"Designation[{n}]" + (f" UniqueID={uid}" if uid else "")
            if not uid:
                ctx.bad_record(path, where, "element 'UniqueID' is empty")
                continue
            if uid in seen:
                ctx.bad_record(path, where, f"UniqueID {uid!r} already used by {seen[uid]}")
                continue
            seen[uid] = where
            try:
                entity = _designation(element, uid, where).build()
            except ValueError as exc:
                ctx.bad_record(path, where, str(exc))
                continue
            yield entity


def _designation(element: etree._Element, uid: str, where: str) -> Designation:
    """The designation an element holds.

    Raises:
        ValueError: Unknown ``IndividualEntityShip`` or ``NameType`` (the message names the element).
    """
    d = Designation(uid, where)
    try:
        schema = parse_designation_type(_child(element, "IndividualEntityShip"))
    except ValueError as exc:
        raise ValueError(f"element 'IndividualEntityShip': {exc}") from None
    d.add_schema(schema, where)
    indicators = []
    for path, node in _walk(element):
        if path == "Names/Name":
            parts = [_child(node, f"Name{i}") for i in range(1, 7)]
            if any(parts):
                try:
                    kind = name_kind(_child(node, "NameType"))
                except ValueError as exc:
                    raise ValueError(f"element 'NameType': {exc}") from None
                d.add_name(parts, kind, _child(node, "AliasStrength"), schema)
        elif path == "NonLatinNames/NonLatinName":
            d.add_non_latin(
                _child(node, "NameNonLatinScript"),
                _child(node, "NonLatinScriptType"),
                _child(node, "NonLatinScriptLanguage"),
            )
        elif path in _GROUPS:
            pair, tags = _GROUPS[path]
            d.add_pair(pair, *(_child(node, t) for t in tags))
        elif path in FIELDS:
            d.add(FIELDS[path], _text(node))
        elif path.startswith(_INDICATORS):
            if _text(node).casefold() == "true":
                indicators.append(path[len(_INDICATORS) :])
        elif path not in _SPECIAL and _text(node):
            d.add(f"extra:{path}", _text(node))
    if indicators:
        d.add("extra:Sanctions imposed indicators", "|".join(indicators))
    return d


UK_SL_XML = UkSlXmlFormat()
