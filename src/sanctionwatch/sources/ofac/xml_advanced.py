"""OFAC ``SDN_ADVANCED.XML`` / ``CONS_ADVANCED.XML``: the advanced (ASDM) edition of the OFAC lists.

Root ``<Sanctions>`` (namespace ``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/
exports/ADVANCED_XML``; any namespace is accepted) with, in this order: ``DateOfIssue``,
``ReferenceValueSets`` (the code tables every ``...ID`` attribute points into: alias, name-part,
party, feature, document, country, relation, list and sanctions types), ``Locations``,
``IDRegDocuments`` (documents of an ``IdentityID``), ``DistinctParties/DistinctParty`` (``FixedRef``
is the CSV's ``ent_num``) with one ``Profile`` (``PartySubTypeID``), its ``Identity`` (``Alias``
with ``AliasTypeID``, ``Primary``, ``LowQuality``; ``DocumentedName/DocumentedNamePart/
NamePartValue`` whose ``NamePartGroupID`` resolves through ``NamePartGroups`` to a name-part type)
and ``Feature``\\ s (``FeatureTypeID``: birth date, nationality, place of birth, vessel flag, call
sign...), then ``ProfileRelationships`` and ``SanctionsEntries`` (programs).

Programs and relationships follow the parties in the file, so a parse reads the whole file (one
streaming pass, each element cleared once read) before it yields. Each party is then written as the
CSV main-file row and companions it corresponds to (a feature becomes the Remarks clause the CSV
prints for it, ``DOB 08 Jan 1984``) and built by the CSV reader's
:func:`~sanctionwatch.sources.ofac.entity.build_entity`, so ids (``us-ofac-sdn:<FixedRef>``) and
fields agree with the CSV set. What the CSV cannot carry is added on top: names in non-Latin
scripts (with their ISO 15924 script) and the relation type of each relationship.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, Link, Name, NameKind, entity_id
from sanctionwatch.sources.base import ListFiles, ParseContext, SourceFormat
from sanctionwatch.sources.ofac.entity import build_entity
from sanctionwatch.sources.ofac.xml_advanced_parts import (
    Party,
    Refs,
    RefsError,
    local,
    read_location,
    read_party,
    text,
)
from sanctionwatch.sources.xmlread import RootInfo, check_root, iter_records, read_root, resolve_single

__all__ = ["OFAC_CONS_ADVANCED", "OFAC_SDN_ADVANCED", "OfacAdvancedFormat"]

_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
_TAGS = (
    "{*}DateOfIssue",
    "{*}ReferenceValueSets",
    "{*}Location",
    "{*}IDRegDocument",
    "{*}DistinctParty",
    "{*}ProfileRelationship",
    "{*}SanctionsEntry",
)


def _is_root(root: RootInfo | None) -> bool:
    return root is not None and root.tag == "Sanctions"


class OfacAdvancedFormat(SourceFormat):
    """One OFAC advanced XML file (SDN or non-SDN consolidated), read into the CSV set's list.

    Args:
        key: Format key.
        list_key: The list it carries (``us-ofac-sdn`` / ``us-ofac-cons``).
        title: Human title.
        file_name: Official file name (``SDN_ADVANCED.XML`` / ``CONS_ADVANCED.XML``).
    """

    def __init__(self, key: str, list_key: str, title: str, file_name: str) -> None:
        self.key = key
        self.list_key = list_key
        self.title = title
        self.cons = file_name.lower().startswith("cons")
        self.urls = {file_name: _EXPORTS + file_name}
        self.expected = f"an {title} file (root <Sanctions>)"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A ``<Sanctions>`` root, in a file named like this edition (``cons*`` for the non-SDN list)."""
        return path.name.lower().startswith("cons") == self.cons and _is_root(read_root(head))

    def resolve(self, path: Path) -> ListFiles:
        """The file itself, or the one such file in a folder."""
        found = resolve_single(path, self.key, self.sniff, self.expected)
        return ListFiles(self.key, self.list_key, found.paths)

    def published(self, files: ListFiles) -> str | None:
        """``DateOfIssue`` (``Year``, ``Month``, ``Day``) as ISO."""
        path = files.paths[0]
        check_root(path, _is_root, self.expected)
        for element in iter_records(path, ("{*}DateOfIssue", "{*}ReferenceValueSets")):
            if local(element) != "DateOfIssue":
                return None
            parts = [text(element, t) for t in ("Year", "Month", "Day")]
            if all(p.isdigit() for p in parts):
                return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
            return None
        return None

    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Read the whole file, then yield its parties as entities.

        Raises:
            ListFileError: Not well-formed XML, a DTD, not this format, no ``ReferenceValueSets``
                before the parties; bad parties unless ``ctx.lenient``.
        """
        path = files.paths[0]
        check_root(path, _is_root, self.expected)
        refs: Refs | None = None
        parties: list[Party] = []
        for element in iter_records(path, _TAGS):
            tag = local(element)
            line = element.sourceline
            if tag == "DateOfIssue":
                continue
            if tag == "ReferenceValueSets":
                refs = Refs.read(element)
                continue
            if refs is None:
                raise ListFileError(
                    str(path), f"element <{tag}> comes before <ReferenceValueSets>", f"line {line}"
                )
            try:
                if tag == "Location":
                    refs.locations[element.get("ID", "")] = read_location(element, refs)
                elif tag == "IDRegDocument":
                    refs.add_document(element)
                elif tag == "ProfileRelationship":
                    refs.add_relationship(element)
                elif tag == "SanctionsEntry":
                    refs.add_entry(element)
                else:
                    parties.append(read_party(element, refs))
            except RefsError as bad:
                where = f"{tag} {_element_id(element)} (line {line})"
                ctx.bad_record(path, where, bad.reason)
        if refs is None:
            raise ListFileError(str(path), "no <ReferenceValueSets> element: not an OFAC advanced file")
        yield from self._entities(parties, refs, path, ctx)

    def _entities(self, parties: list[Party], refs: Refs, path: Path, ctx: ParseContext) -> Iterator[Entity]:
        by_profile = {p.profile_id: p for p in parties}
        for kind, table in (
            ("ProfileRelationship From-ProfileID", refs.relationships),
            ("SanctionsEntry ProfileID", refs.programs),
        ):
            for profile in table.keys() - by_profile.keys():
                ctx.bad_record(
                    path, f"{kind}={profile}", f"ProfileID {profile!r} is no DistinctParty of the file"
                )
        counts = Counter(p.name.casefold() for p in parties)
        name_ids = {
            p.name.casefold(): entity_id(self.list_key, p.fixed_ref)
            for p in parties
            if counts[p.name.casefold()] == 1
        }
        for party in parties:
            programs = refs.programs.get(party.profile_id)
            if programs is None:
                where = f"DistinctParty FixedRef={party.fixed_ref} (line {party.line})"
                ctx.bad_record(path, where, f"no SanctionsEntry for ProfileID {party.profile_id!r}")
                continue
            links: list[Link] = []
            for target_id, relation in refs.relationships.get(party.profile_id, []):
                target = by_profile.get(target_id)
                if target is None:
                    where = f"ProfileRelationship From-ProfileID={party.profile_id}"
                    ctx.bad_record(path, where, f"To-ProfileID {target_id!r} is no DistinctParty of the file")
                    continue
                party.linked.append(target.name)
                links.append(Link(relation, target.name, entity_id(self.list_key, target.fixed_ref)))
            row, companions = party.csv_row(programs)
            entity = build_entity(self.list_key, row, companions, name_ids)
            extra_names = tuple(
                Name(full, NameKind.AKA, weak, script=script) for full, weak, script in party.other_scripts
            )
            extra_links = tuple(link for link in links if link.relation != "linked_to")
            if extra_names or extra_links:
                entity = replace(entity, names=entity.names + extra_names, links=entity.links + extra_links)
            yield entity


def _element_id(element: etree._Element) -> str:
    for attribute in ("FixedRef", "ID", "ProfileID"):
        if (value := element.get(attribute)) is not None:
            return f"{attribute}={value}"
    return "(no ID)"


OFAC_SDN_ADVANCED = OfacAdvancedFormat(
    "us-ofac-sdn-adv", "us-ofac-sdn", "OFAC SDN list, advanced XML", "SDN_ADVANCED.XML"
)
OFAC_CONS_ADVANCED = OfacAdvancedFormat(
    "us-ofac-cons-adv", "us-ofac-cons", "OFAC non-SDN consolidated list, advanced XML", "CONS_ADVANCED.XML"
)
