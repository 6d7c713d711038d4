"""The parts of an OFAC advanced XML file: reference values, locations, documents, parties.

Every reference (``AliasTypeID``, ``FeatureTypeID``, ``CountryID``...) is resolved through the
``ReferenceValueSets`` tables by the text OFAC gives it (``A.K.A.``, ``Birthdate``, ``Korea,
North``), never by its number. A :class:`Party` is kept as the CSV row fields and Remarks clauses
it corresponds to (see :mod:`sanctionwatch.sources.ofac.xml_advanced`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from lxml import etree

from sanctionwatch.model import Address, NameKind
from sanctionwatch.sources.ofac.entity import Companions, make_address

__all__ = ["Party", "Refs", "RefsError", "kids", "local", "read_location", "read_party", "text"]

_EMPTY = "-0-"
_MONTHS = [m.title() for m in calendar.month_abbr]
# A "Name" alias other than the primary one is one more a.k.a. (the CSV has no other kind for it).
_ALIASES = {"name": NameKind.AKA, "a.k.a.": NameKind.AKA, "f.k.a.": NameKind.FKA, "n.k.a.": NameKind.NKA}
_SUBTYPES = {"vessel": "vessel", "aircraft": "aircraft"}
_PARTY_TYPES = {"individual": "individual", "entity": _EMPTY}
# Features the CSV prints as a Remarks clause with its own label (the others: "<FeatureType> value").
_CLAUSES = {
    "birthdate": "DOB",
    "place of birth": "POB",
    "nationality country": "nationality",
    "citizenship country": "citizen",
}
# Features the CSV keeps in a main-file column (index of the 12 fields).
_COLUMNS = {
    "title": 4,
    "vessel call sign": 5,
    "vessel type": 6,
    "vessel tonnage": 7,
    "vessel gross registered tonnage": 8,
    "vessel flag": 9,
    "vessel owner": 10,
}
_SLUG = re.compile(r"[^a-z0-9]+")


class RefsError(Exception):
    """A party or reference that cannot be read; ``reason`` names the element and the bad value."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def local(element: etree._Element) -> str:
    """Local name of an element."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _clark(element: etree._Element, tag: str) -> str:
    """``tag`` in the namespace of ``element`` (an OFAC file keeps every element in one namespace)."""
    own = element.tag
    return own[: own.index("}") + 1] + tag if isinstance(own, str) and own.startswith("{") else tag


def kids(element: etree._Element | None, tag: str) -> list[etree._Element]:
    """Child elements named ``tag``, in the element's namespace."""
    if element is None:
        return []
    return list(element.iterchildren(_clark(element, tag)))


def _kid(element: etree._Element | None, tag: str) -> etree._Element | None:
    return None if element is None else element.find(_clark(element, tag))


def text(element: etree._Element | None, tag: str) -> str:
    """Whitespace-collapsed text of the first child ``tag``, or ``""``."""
    node = _kid(element, tag)
    return " ".join((node.text or "").split()) if node is not None else ""


def _own_text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


@dataclass(frozen=True, slots=True)
class Location:
    """A location: its parts (type text, value) in file order and its country's name."""

    parts: tuple[tuple[str, str], ...]
    country: str | None

    def text(self) -> str:
        """Every part, then the country, comma-separated (how the CSV prints a place of birth)."""
        return ", ".join([v for _, v in self.parts] + ([self.country] if self.country else []))

    def address(self) -> Address | None:
        """The address the CSV's ``add.csv`` columns would give."""
        parts = dict(self.parts)
        street = ", ".join(v for t, v in self.parts if t.startswith("ADDRESS"))
        city = parts.get("CITY", "")
        if state := parts.get("STATE/PROVINCE", ""):
            city = f"{city}, {state}" if city else state
        if postal := parts.get("POSTAL CODE", ""):
            city = f"{city} {postal}" if city else postal
        return make_address(street, city, self.country or "", "")


@dataclass
class Refs:
    """Reference tables and the records that point at parties (documents, relationships, programs)."""

    values: dict[str, dict[str, etree._Element]]
    locations: dict[str, Location] = field(default_factory=dict)
    documents: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    relationships: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    programs: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, element: etree._Element) -> Refs:
        """The ``<XValues><X ID=...>`` tables of ``ReferenceValueSets``, by ``X``."""
        values: dict[str, dict[str, etree._Element]] = {}
        for table in element:
            if not isinstance(table.tag, str):
                continue
            for value in table:
                if isinstance(value.tag, str):
                    values.setdefault(local(value), {})[value.get("ID", "")] = value
        return cls(values)

    def element(self, kind: str, ref: str | None, attribute: str) -> etree._Element:
        """The reference value ``ref`` of table ``kind``.

        Raises:
            RefsError: ``ref`` is missing or not in the table.
        """
        found = self.values.get(kind, {}).get(ref or "")
        if found is None:
            raise RefsError(f"{attribute} {ref!r} is not in <ReferenceValueSets>/<{kind}Values>")
        return found

    def lookup(self, kind: str, ref: str | None, attribute: str) -> str:
        """The text of reference value ``ref`` of table ``kind``."""
        return _own_text(self.element(kind, ref, attribute))

    def country(self, ref: str | None, attribute: str = "CountryID") -> str | None:
        """The name of a country reference, ``None`` for no reference."""
        return None if ref is None else self.lookup("Country", ref, attribute)

    def add_document(self, doc: etree._Element) -> None:
        """An ``IDRegDocument``: its type and the rest of the Remarks clause the CSV prints for it."""
        number = text(doc, "IDRegistrationNo")
        if not number:
            return
        label = self.lookup("IDRegDocType", doc.get("IDRegDocTypeID"), "IDRegDocTypeID")
        clause = number
        if country := self.country(doc.get("IssuedBy-CountryID"), "IssuedBy-CountryID"):
            clause += f" ({country})"
        for date in kids(doc, "DocumentDate"):
            kind = self.lookup("IDRegDocDateType", date.get("IDRegDocDateTypeID"), "IDRegDocDateTypeID")
            period = _kid(date, "DatePeriod")
            if period is not None:
                lower = kind.lower()
                word = "issued" if lower.startswith("issue") else "expires" if "expir" in lower else kind
                clause += f" {word} {period_text(period)}"
        self.documents.setdefault(doc.get("IdentityID", ""), []).append((label, clause))

    def add_relationship(self, rel: etree._Element) -> None:
        """A ``ProfileRelationship``: target profile and relation (``linked_to``, ``associate_of``...)."""
        relation = self.lookup("RelationType", rel.get("RelationTypeID"), "RelationTypeID")
        slug = _SLUG.sub("_", relation.lower()).strip("_")
        target = rel.get("To-ProfileID", "")
        self.relationships.setdefault(rel.get("From-ProfileID", ""), []).append((target, slug))

    def add_entry(self, entry: etree._Element) -> None:
        """A ``SanctionsEntry``: the programs (``SanctionsMeasure`` of type Program) of a profile."""
        programs = self.programs.setdefault(entry.get("ProfileID", ""), [])
        for measure in kids(entry, "SanctionsMeasure"):
            kind = self.lookup("SanctionsType", measure.get("SanctionsTypeID"), "SanctionsTypeID")
            if kind == "Program" and (program := text(measure, "Comment")):
                programs.append(program)


def read_location(element: etree._Element, refs: Refs) -> Location:
    """A ``Location``: its ``LocationPart`` values and ``LocationCountry``."""
    parts = []
    for part in kids(element, "LocationPart"):
        kind = refs.lookup("LocPartType", part.get("LocPartTypeID"), "LocPartTypeID")
        values = kids(part, "LocationPartValue")
        value = next((text(v, "Value") for v in values if v.get("Primary") == "true"), "")
        if value := value or next((t for v in values if (t := text(v, "Value"))), ""):
            parts.append((kind, value))
    country_el = _kid(element, "LocationCountry")
    country = refs.country(country_el.get("CountryID")) if country_el is not None else None
    return Location(tuple(parts), country)


def _ymd(element: etree._Element | None) -> tuple[int, int, int] | None:
    if element is None:
        return None
    parts = [text(element, t) for t in ("Year", "Month", "Day")]
    if not all(p.isdigit() for p in parts):
        raise RefsError(f"date <{local(element)}> is not Year/Month/Day numbers: {parts!r}")
    return int(parts[0]), int(parts[1]), int(parts[2])


def _day(d: tuple[int, int, int]) -> str:
    return f"{d[2]:02d} {_MONTHS[d[1]]} {d[0]}"


def period_text(period: etree._Element) -> str:
    """A ``DatePeriod`` as the CSV prints it: ``08 Jan 1984``, ``Jan 1984``, ``1984``, ``circa 1960``,
    ``1960 to 1962`` (a period from 1 January to 31 December is a year).

    Raises:
        RefsError: The period has no readable start or end.
    """
    start_el, end_el = _kid(period, "Start"), _kid(period, "End")
    start = _ymd(_kid(start_el, "From")) or _ymd(_kid(start_el, "To"))
    end = _ymd(_kid(end_el, "To")) or _ymd(_kid(end_el, "From")) or start
    if start is None or end is None:
        raise RefsError("DatePeriod has no Start/From date")
    circa = any(e is not None and e.get("Approximate") == "true" for e in (start_el, end_el))
    last_day = calendar.monthrange(end[0], end[1])[1]
    if start == end:
        out = _day(start)
    elif start[1:] == (1, 1) and end[1:] == (12, 31):
        out = str(start[0]) if start[0] == end[0] else f"{start[0]} to {end[0]}"
    elif start[2] == 1 and end[2] == last_day and start[:2] == end[:2]:
        out = f"{_MONTHS[start[1]]} {start[0]}"
    else:
        out = f"{_day(start)} to {_day(end)}"
    return f"circa {out}" if circa else out


@dataclass
class Party:
    """One ``DistinctParty`` as the CSV row fields and Remarks clauses it corresponds to."""

    fixed_ref: str
    profile_id: str
    line: int
    kind: str
    name: str
    columns: dict[int, str] = field(default_factory=dict)
    aliases: list[tuple[NameKind, str]] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    comment: str = ""
    addresses: list[Address] = field(default_factory=list)
    other_scripts: list[tuple[str, bool, str]] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)

    def csv_row(self, programs: list[str]) -> tuple[list[str], Companions]:
        """The 12 main-file fields and the companions the CSV set would hold."""
        row = [self.fixed_ref, self.name, self.kind, "] [".join(dict.fromkeys(programs)) or _EMPTY]
        row += [self.columns.get(i, _EMPTY) for i in range(4, 11)]
        clauses = self.clauses + [f"Linked To: {n}" for n in self.linked]
        if self.comment:
            clauses.append(self.comment.rstrip("."))
        row.append("; ".join(clauses) + "." if clauses else _EMPTY)
        companions = Companions()
        if self.aliases:
            companions.aliases[self.fixed_ref] = self.aliases
        if self.addresses:
            companions.addresses[self.fixed_ref] = self.addresses
        return row, companions


def _names(identity: etree._Element, refs: Refs, individual: bool) -> list[tuple[str, str, bool, str]]:
    """``(alias type, full name, low quality, script code)`` of each documented name, file order."""
    groups = {
        group.get("ID", ""): refs.lookup("NamePartType", group.get("NamePartTypeID"), "NamePartTypeID")
        for master in kids(_kid(identity, "NamePartGroups"), "MasterNamePartGroup")
        for group in kids(master, "NamePartGroup")
    }
    out = []
    for alias in kids(identity, "Alias"):
        alias_type = refs.lookup("AliasType", alias.get("AliasTypeID"), "AliasTypeID")
        if alias_type.lower() not in _ALIASES:
            raise RefsError(f"unknown AliasType {alias_type!r} (expected Name, A.K.A., F.K.A. or N.K.A.)")
        if alias.get("Primary") == "true":
            alias_type = "Name"
        weak = alias.get("LowQuality") == "true"
        for documented in kids(alias, "DocumentedName"):
            last: list[str] = []
            rest: list[str] = []
            script = "Latn"
            for part in kids(documented, "DocumentedNamePart"):
                for value in kids(part, "NamePartValue"):
                    group = groups.get(value.get("NamePartGroupID", ""))
                    if group is None:
                        raise RefsError(
                            f"NamePartGroupID {value.get('NamePartGroupID')!r} is not in the Identity's "
                            "NamePartGroups"
                        )
                    script_el = refs.element("Script", value.get("ScriptID", "215"), "ScriptID")
                    script = script_el.get("ScriptCode") or script
                    if part_text := _own_text(value):
                        (last if group == "Last Name" else rest).append(part_text)
            if individual and last and rest:
                full = f"{' '.join(last)}, {' '.join(rest)}"
            else:
                full = " ".join(last + rest)
            if full:
                out.append((alias_type, full, weak, script))
    return out


def _feature_value(feature: etree._Element, refs: Refs) -> str | Location:
    version = _kid(feature, "FeatureVersion")
    if (located := _kid(version, "VersionLocation")) is not None:
        location = refs.locations.get(located.get("LocationID", ""))
        if location is None:
            raise RefsError(f"LocationID {located.get('LocationID')!r} is not in <Locations>")
        return location
    if (period := _kid(version, "DatePeriod")) is not None:
        return period_text(period)
    detail = _kid(version, "VersionDetail")
    if detail is not None and detail.get("DetailReferenceID"):
        return refs.lookup("DetailReference", detail.get("DetailReferenceID"), "DetailReferenceID")
    return _own_text(detail)


def read_party(party: etree._Element, refs: Refs) -> Party:
    """A ``DistinctParty``.

    Raises:
        RefsError: No ``FixedRef``, ``Profile``, ``Identity`` or primary ``Alias``; a reference that
            the tables do not hold.
    """
    fixed_ref = party.get("FixedRef", "")
    if not fixed_ref.isdigit():
        raise RefsError(f"FixedRef {fixed_ref!r} is not a number")
    profile = _kid(party, "Profile")
    if profile is None:
        raise RefsError("missing element <Profile>")
    sub_type = refs.element("PartySubType", profile.get("PartySubTypeID"), "PartySubTypeID")
    kind = _SUBTYPES.get(_own_text(sub_type).lower())
    if kind is None:
        party_type = refs.lookup("PartyType", sub_type.get("PartyTypeID"), "PartyTypeID")
        kind = _PARTY_TYPES.get(party_type.lower())
        if kind is None:
            raise RefsError(f"unknown PartyType {party_type!r} (expected Individual or Entity)")
    identities = kids(profile, "Identity")
    if not identities:
        raise RefsError("missing element <Identity> in <Profile>")
    identity = next((i for i in identities if i.get("Primary") == "true"), identities[0])
    names = _names(identity, refs, kind == "individual")
    primary = next((n for n in names if n[0] == "Name" and n[3] == "Latn"), None)
    if primary is None:
        raise RefsError('no primary Latin-script name (an <Alias Primary="true"> with a DocumentedName)')
    line = party.sourceline
    out = Party(
        fixed_ref, profile.get("ID", fixed_ref), line if isinstance(line, int) else 0, kind, primary[1]
    )
    out.comment = text(party, "Comment")
    structured: dict[str, list[str]] = {label: [] for label in _CLAUSES.values()}
    others: list[str] = []
    seen: set[str] = set()
    for feature in kids(profile, "Feature"):
        label = refs.lookup("FeatureType", feature.get("FeatureTypeID"), "FeatureTypeID")
        value = _feature_value(feature, refs)
        key = label.lower()
        if key == "location" and isinstance(value, Location):
            if (address := value.address()) is not None:
                out.addresses.append(address)
            continue
        if isinstance(value, Location):
            shown = (value.country or "") if key.endswith(" country") else value.text()
        else:
            shown = value
        if not shown:
            continue
        if key in _COLUMNS:
            out.columns[_COLUMNS[key]] = shown
        elif key in _CLAUSES:
            structured[_CLAUSES[key]].append(shown)
        else:
            others.append(f"{'alt. ' if label in seen else ''}{label} {shown}")
            seen.add(label)
    for label, values in structured.items():
        out.clauses += [f"{'alt. ' if i else ''}{label} {v}" for i, v in enumerate(values)]
    out.clauses += others
    for identity_el in identities:
        for label, rest in refs.documents.get(identity_el.get("ID", ""), []):
            out.clauses.append(f"{'alt. ' if label in seen else ''}{label} {rest}")
            seen.add(label)
    for alias_type, full, weak, script in names:
        if (alias_type, full, weak, script) == primary:
            continue
        if script != "Latn":
            out.other_scripts.append((full, weak, script))
        elif weak:
            out.clauses.append(f"{_ALIASES[alias_type.lower()].value[0]}.k.a. '{full}'")
        else:
            out.aliases.append((_ALIASES[alias_type.lower()], full))
    return out
