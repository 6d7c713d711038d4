"""ISO 20022 pacs.008, pacs.009 (incl. COV) and pain.001 messages, with or without ``AppHdr``.

The XML is parsed with entity resolution, DTD loading and network access off, and any document
type declaration is refused before parsing: no entity is ever expanded, nothing is ever fetched.
Elements are matched by local name, so every version (``pacs.008.001.02`` to ``.13``, ``pain.001.001.03``
to ``.12``) and any prefix or envelope (``urn:swift:xsd:envelope``, a bare ``<message>``) reads the same.
"""

from __future__ import annotations

import re

from lxml import etree

from sanctionwatch.messages.model import Field, Message, MessageError, Party

__all__ = ["SUPPORTED", "message_type_of", "parse_iso20022", "refuse_dtd"]

SUPPORTED: dict[str, tuple[int, int]] = {
    "pacs.008": (2, 13),
    "pacs.009": (2, 12),
    "pain.001": (3, 12),
}
"""Message definitions read, with the lowest and highest ``.001.NN`` version."""

_TYPE_RE = re.compile(r"(pacs\.00[89]|pain\.001|[a-z]{4}\.\d{3})\.001\.(\d{2})")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

AGENT_ROLES = frozenset(
    {
        "DbtrAgt",
        "CdtrAgt",
        "InstgAgt",
        "InstdAgt",
        "IntrmyAgt1",
        "IntrmyAgt2",
        "IntrmyAgt3",
        "PrvsInstgAgt1",
        "PrvsInstgAgt2",
        "PrvsInstgAgt3",
        "InstgRmbrsmntAgt",
        "InstdRmbrsmntAgt",
        "ThrdRmbrsmntAgt",
        "FwdgAgt",
    }
)
PARTY_ROLES = frozenset({"InitgPty", "Dbtr", "UltmtDbtr", "Cdtr", "UltmtCdtr", "Invcr", "Invcee"})
_BIC_TAGS = frozenset({"BICFI", "BIC", "AnyBIC", "BICOrBEI"})
_ADDRESS_TAGS = frozenset(
    {
        "Dept",
        "SubDept",
        "StrtNm",
        "BldgNb",
        "BldgNm",
        "Flr",
        "PstBx",
        "Room",
        "PstCd",
        "TwnNm",
        "TwnLctnNm",
        "DstrctNm",
        "CtrySubDvsn",
        "AdrLine",
    }
)
_TEXT_PARENTS = {
    "Ustrd": None,
    "AddtlRmtInf": None,
    "InstrInf": None,
    "Inf": None,
    "Prtry": "Purp",
    "Cd": "Purp",
}
"""Free-text element names, and the parent they must have (None: any)."""


_LOCAL: dict[str, str] = {}


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
    return name


def _text(el: etree._Element) -> str:
    return " ".join((el.text or "").split())


def refuse_dtd(data: bytes, source: str) -> None:
    """Refuse a document type declaration or entity declaration before any parsing.

    Raises:
        MessageError: The bytes declare a DTD or an entity (UTF-8/ASCII, or UTF-16 text).
    """
    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            probe = data.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            raise MessageError(source, "not valid UTF-16 despite its byte order mark") from None
    if _DOCTYPE.search(probe):
        raise MessageError(source, "XML with a DTD or entity declaration refused (nothing expanded)")


def _parse_xml(data: bytes, source: str) -> etree._Element:
    refuse_dtd(data, source)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = f" line {exc.lineno}" if exc.lineno else ""
        raise MessageError(source, f"not well-formed XML{line}: {exc.msg}") from None
    except ValueError as exc:  # e.g. an encoding lxml cannot honour
        raise MessageError(source, f"unreadable XML: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise MessageError(source, "XML with a DTD refused")
    return root


def message_type_of(namespace: str | None) -> tuple[str, int] | None:
    """``("pacs.008", 8)`` for ``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08``; None if not ISO 20022."""
    if not namespace:
        return None
    m = _TYPE_RE.search(namespace)
    if m is None:
        return None
    return m.group(1), int(m.group(2))


def _documents(root: etree._Element) -> list[tuple[etree._Element | None, etree._Element]]:
    """Each ``Document`` with the ``AppHdr`` that precedes it (if any)."""
    out: list[tuple[etree._Element | None, etree._Element]] = []
    header: etree._Element | None = None
    for el in root.iter():
        name = _local(el)
        if name == "AppHdr":
            header = el
        elif name == "Document":
            out.append((header, el))
            header = None
    return out


class _Walker:
    """Collects parties and free text below one element, with paths relative to the document."""

    def __init__(self) -> None:
        self.parties: list[Party] = []
        self.texts: list[Field] = []

    def walk(self, el: etree._Element, path: str, in_header: bool = False) -> None:
        counts: dict[str, int] = {}
        children = [c for c in el if isinstance(c.tag, str)]
        totals: dict[str, int] = {}
        for c in children:
            totals[_local(c)] = totals.get(_local(c), 0) + 1
        for child in children:
            name = _local(child)
            counts[name] = counts.get(name, 0) + 1
            step = f"{name}[{counts[name]}]" if totals[name] > 1 else name
            cpath = f"{path}/{step}" if path else step
            if name in AGENT_ROLES or name in PARTY_ROLES or (name == "Agt" and _local(el) == "ChrgsInf"):
                role = "ChrgsInf/Agt" if name == "Agt" else name
                self.parties.append(_party(child, role, cpath))
            elif in_header and name in ("Fr", "To"):
                self.parties.append(_party(child, f"AppHdr/{name}", cpath))
            elif name in _TEXT_PARENTS and (_TEXT_PARENTS[name] in (None, _local(el))):
                text = _text(child)
                if text:
                    self.texts.append(Field(cpath, text))
            else:
                self.walk(child, cpath, in_header)


def _party(el: etree._Element, role: str, path: str) -> Party:
    """A party or agent from its element: name, address, countries, BICs, LEI, ids, birth data."""
    name: Field | None = None
    address: list[Field] = []
    countries: list[Field] = []
    bics: list[Field] = []
    lei: list[Field] = []
    ids: list[Field] = []
    birth_date: Field | None = None
    birth_place: list[Field] = []
    agent = role in AGENT_ROLES or role.startswith("AppHdr") or role == "ChrgsInf/Agt"

    def visit(node: etree._Element, npath: str, parent: str) -> None:
        nonlocal name, birth_date, agent
        for child in node:
            tag = _local(child)
            if not tag:
                continue
            cpath = f"{npath}/{tag}"
            text = _text(child)
            if tag == "Nm" and parent not in ("CtctDtls", "SchmeNm", "ClrSysId") and name is None:
                if text:
                    name = Field(cpath, text)
            elif tag == "FinInstnId":
                agent = True
                visit(child, cpath, tag)
            elif tag in _BIC_TAGS and text:
                bics.append(Field(cpath, text.upper()))
            elif tag == "LEI" and text:
                lei.append(Field(cpath, text))
            elif tag in _ADDRESS_TAGS and parent == "PstlAdr" and text:
                address.append(Field(cpath, text))
            elif tag in ("Ctry", "CtryOfRes") and text and parent in ("PstlAdr", node_tag(el), "Pty"):
                countries.append(Field(cpath, text.upper()))
            elif tag == "BirthDt" and text:
                birth_date = Field(cpath, text)
            elif tag in ("CityOfBirth", "PrvcOfBirth") and text:
                birth_place.append(Field(cpath, text))
            elif tag == "CtryOfBirth" and text:
                birth_place.append(Field(cpath, text.upper()))
                countries.append(Field(cpath, text.upper()))
            elif tag in ("Id", "MmbId") and text and len(child) == 0:
                ids.append(Field(cpath, text))
            elif tag == "CtctDtls":
                continue
            else:
                visit(child, cpath, tag)

    visit(el, path, _local(el))
    return Party(
        role=role,
        path=path,
        agent=agent,
        name=name,
        address=tuple(address),
        countries=tuple(countries),
        bics=tuple(bics),
        lei=tuple(lei),
        other_ids=tuple(ids),
        birth_date=birth_date,
        birth_place=tuple(birth_place),
    )


def node_tag(el: etree._Element) -> str:
    """Local name of an element (``Dbtr`` for ``{urn:...}Dbtr``)."""
    return _local(el)


def _first(el: etree._Element | None, *names: str) -> str | None:
    if el is None:
        return None
    for node in el.iter():
        if _local(node) in names:
            text = _text(node)
            if text:
                return text
    return None


def parse_iso20022(data: bytes, source: str, first_index: int = 1) -> list[Message]:
    """Every message of an ISO 20022 file (each ``Document``, with its ``AppHdr`` if present).

    Raises:
        MessageError: Unsafe or malformed XML, no ``Document``, an unknown message type or version.
    """
    root = _parse_xml(data, source)
    docs = _documents(root)
    if not docs:
        raise MessageError(source, f"no ISO 20022 Document element (root is <{_local(root)}>)")
    out: list[Message] = []
    for n, (header, doc) in enumerate(docs, start=first_index):
        namespace = etree.QName(doc).namespace
        kind = message_type_of(namespace)
        if kind is None:
            raise MessageError(source, f"unknown message namespace {namespace!r}", n, "Document")
        family, version = kind
        if family not in SUPPORTED:
            raise MessageError(source, f"unsupported message type {family}", n, "Document")
        low, high = SUPPORTED[family]
        if not low <= version <= high:
            raise MessageError(
                source, f"{family}.001.{version:02d} is not a version read ({low:02d}-{high:02d})", n
            )
        walker = _Walker()
        if header is not None:
            walker.walk(header, "AppHdr", in_header=True)
        walker.walk(doc, "")
        body = next((c for c in doc if isinstance(c.tag, str)), None)
        group = next((c for c in body if _local(c) == "GrpHdr"), None) if body is not None else None
        message_id = _first(group, "MsgId") or _first(header, "BizMsgIdr")
        transactions = sum(1 for el in doc.iter() if _local(el) == "CdtTrfTxInf")
        out.append(
            Message(
                source=source,
                index=n,
                format="iso20022",
                message_type=f"{family}.001.{version:02d}",
                message_id=message_id,
                transactions=transactions,
                parties=tuple(walker.parties),
                texts=tuple(walker.texts),
            )
        )
    return out
