"""ISO 20022 pacs.008, pacs.009 (incl. COV) and pain.001 messages, with or without ``AppHdr``.

The XML is parsed with entity resolution, DTD loading and network access off, and any document
type declaration is refused before parsing: no entity is ever expanded, nothing is ever fetched.
Elements are matched by local name, so every version (``pacs.008.001.02`` to ``.13``, ``pain.001.001.03``
to ``.12``) and any prefix or envelope (``urn:swift:xsd:envelope``, a bare ``<message>``) reads the same.
"""

from __future__ import annotations

import io
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


def message_type_of(namespace: str | None) -> tuple[str, int] | None:
    """``("pacs.008", 8)`` for ``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08``; None if not ISO 20022."""
    if not namespace:
        return None
    m = _TYPE_RE.search(namespace)
    if m is None:
        return None
    return m.group(1), int(m.group(2))


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


def _message(header: etree._Element | None, doc: etree._Element, source: str, n: int) -> Message:
    """One ``Document`` (with its ``AppHdr``) as a message.

    Raises:
        MessageError: An unknown message type or version.
    """
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
    return Message(
        source=source,
        index=n,
        format="iso20022",
        message_type=f"{family}.001.{version:02d}",
        message_id=_first(group, "MsgId") or _first(header, "BizMsgIdr"),
        transactions=sum(1 for el in doc.iter() if _local(el) == "CdtTrfTxInf"),
        parties=tuple(walker.parties),
        texts=tuple(walker.texts),
    )


def parse_iso20022(data: bytes, source: str, first_index: int = 1) -> list[Message | MessageError]:
    """Every message of an ISO 20022 file: each ``Document``, with the ``AppHdr`` before it.

    The file is read as a stream: each document is turned into a message and its elements freed
    before the next is read. A document of an unknown type is an error in its place; XML that
    breaks off ends the list with an error, after the messages read before it.

    Raises:
        MessageError: A DTD or entity declaration (refused before parsing).
    """
    refuse_dtd(data, source)
    out: list[Message | MessageError] = []
    header: etree._Element | None = None
    n = first_index
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        for _event, el in events:
            name = _local(el)
            if name == "AppHdr":
                header = el
            elif name == "Document":
                try:
                    out.append(_message(header, el, source, n))
                except MessageError as exc:
                    out.append(exc)
                n += 1
                if header is not None:
                    header.clear()
                    header = None
                el.clear()
                while el.getprevious() is not None:
                    parent = el.getparent()
                    if parent is None:
                        break
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = f" line {exc.lineno}" if exc.lineno else ""
        out.append(MessageError(source, f"not well-formed XML{line}: {exc.msg}", n if out else None))
        return out
    except (ValueError, LookupError) as exc:  # e.g. an encoding lxml cannot honour
        out.append(MessageError(source, f"unreadable XML: {exc}", n if out else None))
        return out
    if not out:
        root = events.root
        what = f"root is <{_local(root)}>" if root is not None else "no element"
        out.append(MessageError(source, f"no ISO 20022 Document element ({what})"))
    return out
