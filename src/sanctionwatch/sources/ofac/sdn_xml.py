"""OFAC ``SDN.XML`` (and the non-SDN ``CONSOLIDATED.XML``): the legacy XML edition of the CSV sets.

The root ``<sdnList>`` (namespace ``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/
exports/XML``, formerly ``http://tempuri.org/sdnList.xsd``) holds ``publshInformation/Publish_Date``
(``MM/DD/YYYY``, OFAC's spelling) and one ``<sdnEntry>`` per entry: ``uid`` (the CSV's ``ent_num``),
``firstName``, ``lastName``, ``title``, ``sdnType``, ``remarks``, ``programList``, ``akaList``
(``type`` a.k.a./f.k.a./n.k.a., ``category`` strong/weak), ``idList`` (``idType``, ``idNumber``,
``idCountry``, ``issueDate``, ``expirationDate``), ``nationalityList``, ``citizenshipList``,
``dateOfBirthList``, ``placeOfBirthList``, ``addressList`` and ``vesselInfo``.

The same facts reach the CSV files as a main-file row, companion rows and one ``Remarks`` text
(``DOB 28 Jul 1963; POB ...; Passport P0017003 (Belize); a.k.a. 'BURTON BURGESS'.``). This reader
turns each entry back into that row and those companions and builds the entity as the CSV reader
does (:func:`~sanctionwatch.sources.ofac.entity.build_entity`), so the ids (``us-ofac-sdn:<uid>``)
and every field agree whichever edition is imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from sanctionwatch.model import Address, Entity, NameKind, entity_id
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.ofac.entity import Companions, build_entity, make_address
from sanctionwatch.sources.xmlread import RootInfo, check_root, iter_records, read_root, resolve_single

__all__ = ["OFAC_CONS_XML", "OFAC_SDN_XML", "OfacXmlFormat", "entry_row"]

_TYPES = {"individual": "individual", "entity": "-0-", "vessel": "vessel", "aircraft": "aircraft"}
_ALIAS_KINDS = {"a.k.a.": NameKind.AKA, "f.k.a.": NameKind.FKA, "n.k.a.": NameKind.NKA}
_EMPTY = "-0-"


def _is_root(root: RootInfo | None) -> bool:
    return root is not None and root.tag == "sdnList"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _kids(element: etree._Element | None, tag: str) -> list[etree._Element]:
    if element is None:
        return []
    return [c for c in element if isinstance(c.tag, str) and _local(c) == tag]


def _kid(element: etree._Element | None, tag: str) -> etree._Element | None:
    found = _kids(element, tag)
    return found[0] if found else None


def _text(element: etree._Element | None, tag: str) -> str:
    node = _kid(element, tag)
    return (node.text or "").strip() if node is not None else ""


def _items(entry: etree._Element, list_tag: str, item_tag: str) -> list[etree._Element]:
    return [item for holder in _kids(entry, list_tag) for item in _kids(holder, item_tag)]


class OfacXmlFormat(SourceFormat):
    """One OFAC legacy XML file (SDN or non-SDN consolidated), read into the CSV set's list.

    Args:
        key: Format key.
        list_key: The list it carries (``us-ofac-sdn`` / ``us-ofac-cons``).
        title: Human title.
        cons: Whether it is the non-SDN file (its name starts ``cons``).
    """

    def __init__(self, key: str, list_key: str, title: str, cons: bool) -> None:
        self.key = key
        self.list_key = list_key
        self.title = title
        self.cons = cons
        self.expected = f"an {title} file (root <sdnList>)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """An ``<sdnList>`` root, in a file named like this edition (``cons*`` for the non-SDN list)."""
        return path.name.lower().startswith("cons") == self.cons and _is_root(read_root(head))

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one such file in a folder."""
        found = resolve_single(path, self.key, self.sniff, self.expected)
        return ListFiles(self.key, self.list_key, found.paths)

    def published(self, files: ListFiles) -> str | None:
        """``publshInformation/Publish_Date`` (``MM/DD/YYYY``) as ISO."""
        path = files.paths[0]
        check_root(path, _is_root, self.expected)
        for element in iter_records(path, ("{*}publshInformation", "{*}sdnEntry")):
            if _local(element) != "publshInformation":
                return None
            try:
                return datetime.strptime(_text(element, "Publish_Date"), "%m/%d/%Y").date().isoformat()
            except ValueError:
                return None
        return None

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entries as the CSV set's entities.

        Raises:
            ListFileError: Not well-formed XML or not this format; bad entries unless ``ctx.lenient``.
        """
        path = files.paths[0]
        check_root(path, _is_root, self.expected)
        rows: list[tuple[list[str], Companions]] = []
        for n, element in enumerate(iter_records(path, ("{*}sdnEntry",)), start=1):
            uid = _text(element, "uid")
            where = f"sdnEntry[{n}]" + (f" uid={uid}" if uid else "") + f" (line {element.sourceline})"
            try:
                rows.append(entry_row(element))
            except ValueError as exc:
                ctx.bad_record(path, where, str(exc))
        counts = Counter(row[1].casefold() for row, _ in rows)
        name_ids = {
            row[1].casefold(): entity_id(self.list_key, row[0])
            for row, _ in rows
            if counts[row[1].casefold()] == 1
        }
        for row, companions in rows:
            yield build_entity(self.list_key, row, companions, name_ids)


def _name(entry: etree._Element, individual: bool) -> str:
    last, first = _text(entry, "lastName"), _text(entry, "firstName")
    return f"{last}, {first}" if individual and first else " ".join(p for p in (last, first) if p)


def _alternating(label: str, values: list[str]) -> list[str]:
    """``DOB a``, ``alt. DOB b``...: how the CSV remarks repeat a label."""
    return [f"{'alt. ' if i else ''}{label} {v}" for i, v in enumerate(values)]


def entry_row(entry: etree._Element) -> tuple[list[str], Companions]:
    """The CSV main-file row (12 fields) and companions of one ``sdnEntry``.

    Raises:
        ValueError: No ``uid``, no ``lastName``, or an unknown ``sdnType`` / alias ``type`` (quoted).
    """
    uid = _text(entry, "uid")
    if not uid.isdigit():
        raise ValueError(f"element 'uid' {uid!r} is not a number")
    sdn_type = _text(entry, "sdnType")
    kind = _TYPES.get(sdn_type.casefold())
    if kind is None:
        raise ValueError(f"unknown sdnType {sdn_type!r} (expected Individual, Entity, Vessel or Aircraft)")
    individual = kind == "individual"
    name = _name(entry, individual)
    if not _text(entry, "lastName"):
        raise ValueError("element 'lastName' is empty")
    companions = Companions()
    clauses: list[str] = []
    for list_tag, item_tag, value_tag, label in (
        ("dateOfBirthList", "dateOfBirthItem", "dateOfBirth", "DOB"),
        ("placeOfBirthList", "placeOfBirthItem", "placeOfBirth", "POB"),
        ("nationalityList", "nationality", "country", "nationality"),
        ("citizenshipList", "citizenship", "country", "citizen"),
    ):
        values = [v for item in _items(entry, list_tag, item_tag) if (v := _text(item, value_tag))]
        clauses += _alternating(label, values)
    seen: set[str] = set()
    for item in _items(entry, "idList", "id"):
        id_type, number = _text(item, "idType"), _text(item, "idNumber")
        if not id_type and not number:
            continue
        text = f"{'alt. ' if id_type in seen else ''}{id_type} {number}".strip()
        seen.add(id_type)
        if country := _text(item, "idCountry"):
            text += f" ({country})"
        if issued := _text(item, "issueDate"):
            text += f" issued {issued}"
        if expires := _text(item, "expirationDate"):
            text += f" expires {expires}"
        clauses.append(text)
    aliases: list[tuple[NameKind, str]] = []
    for aka in _items(entry, "akaList", "aka"):
        alias_type = _text(aka, "type")
        alias_kind = _ALIAS_KINDS.get(alias_type.casefold())
        if alias_kind is None:
            raise ValueError(f"unknown aka type {alias_type!r} (expected a.k.a., f.k.a. or n.k.a.)")
        alias = _name(aka, individual)
        if not alias:
            continue
        if _text(aka, "category").casefold() == "weak":
            clauses.append(f"{alias_type} '{alias}'")
        else:
            aliases.append((alias_kind, alias))
    if aliases:
        companions.aliases[uid] = aliases
    if residual := _text(entry, "remarks"):
        clauses.append(residual.rstrip("."))
    remarks = "; ".join(clauses) + "." if clauses else _EMPTY
    addresses = [a for item in _items(entry, "addressList", "address") if (a := _address(item))]
    if addresses:
        companions.addresses[uid] = addresses
    vessel = _kid(entry, "vesselInfo")
    programs = [
        p for node in _kids(_kid(entry, "programList"), "program") if (p := (node.text or "").strip())
    ]
    row = [
        uid,
        name,
        kind,
        "] [".join(programs) or _EMPTY,
        _text(entry, "title") or _EMPTY,
        *(
            _text(vessel, t) or _EMPTY
            for t in ("callSign", "vesselType", "tonnage", "grossRegisteredTonnage")
        ),
        _text(vessel, "vesselFlag") or _EMPTY,
        _text(vessel, "vesselOwner") or _EMPTY,
        remarks,
    ]
    return row, companions


def _address(item: etree._Element) -> Address | None:
    street = ", ".join(p for p in (_text(item, f"address{i}") for i in (1, 2, 3)) if p)
    city = _text(item, "city")
    if state := _text(item, "stateOrProvince"):
        city = f"{city}, {state}" if city else state
    if postal := _text(item, "postalCode"):
        city = f"{city} {postal}" if city else postal
    return make_address(street or _EMPTY, city or _EMPTY, _text(item, "country") or _EMPTY, _EMPTY)


OFAC_SDN_XML = OfacXmlFormat(
    "us-ofac-sdn-xml", "us-ofac-sdn", "OFAC Specially Designated Nationals (SDN) list, XML", cons=False
)
OFAC_CONS_XML = OfacXmlFormat(
    "us-ofac-cons-xml", "us-ofac-cons", "OFAC non-SDN consolidated list, XML", cons=True
)
