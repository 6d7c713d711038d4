"""OFAC SDN.XML (formats ``us-ofac-sdn-xml`` / ``us-ofac-cons-xml``): the same entities as the CSV set.

``fixtures/ofac-sdn-excerpt.xml`` holds six entries of the real ``fixtures-small`` CSV set in the
layout of OFAC's sdn.xsd (see the comment at its top).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.ofac.legacy_csv import OFAC_SDN
from sanctionwatch.sources.ofac.sdn_xml import OFAC_CONS_XML, OFAC_SDN_XML
from sanctionwatch.sources.registry import FORMATS, detect
from sanctionwatch.store.download import sets_in_folder

EXCERPT = Path(__file__).parent.parent / "fixtures" / "ofac-sdn-excerpt.xml"
NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"


def _xml(entries: str) -> str:
    return (
        f'<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="{NS}">\n'
        "<publshInformation><Publish_Date>12/01/2026</Publish_Date><Record_Count>2</Record_Count>"
        f"</publshInformation>\n{entries}</sdnList>\n"
    )


def _entry(uid: str, last: str, sdn_type: str = "Entity") -> str:
    return (
        f"<sdnEntry><uid>{uid}</uid><lastName>{last}</lastName><sdnType>{sdn_type}</sdnType>"
        "<programList><program>DPRK3</program></programList></sdnEntry>\n"
    )


def _parse(path: Path, lenient: bool = False) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return {e.id: e for e in OFAC_SDN_XML.parse(OFAC_SDN_XML.resolve(path), ctx)}, ctx


def test_xml_entries_equal_the_csv_entities_field_by_field(data_dir: Path) -> None:
    from_xml, ctx = _parse(EXCERPT)
    assert ctx.skipped == []
    assert sorted(from_xml) == [
        "us-ofac-sdn:10278",
        "us-ofac-sdn:11195",
        "us-ofac-sdn:15102",
        "us-ofac-sdn:40716",
        "us-ofac-sdn:44525",
        "us-ofac-sdn:47371",
    ]
    csv_set = OFAC_SDN.resolve(data_dir / "ofac" / "fixtures-small")
    from_csv = {e.id: e for e in OFAC_SDN.parse(csv_set, ParseContext(lenient=True))}
    for key, entity in from_xml.items():
        assert entity.to_dict() == from_csv[key].to_dict(), key


def test_what_the_structured_elements_become() -> None:
    entities = _parse(EXCERPT)[0]
    logan = entities["us-ofac-sdn:10278"]
    assert logan.names[0].full == "LOGAN MOREY, Elvis Angus"
    assert [(n.full, n.weak) for n in logan.names[1:]] == [("BURTON BURGESS", True)]
    assert [b.date for b in logan.birth_dates] == ["1963-07-28"]
    assert [(i.label, i.value, i.country) for i in logan.identifiers] == [
        ("Passport", "P0017003", "BZ"),
        ("SSN", "561-77-9011", "US"),
    ]
    leader = entities["us-ofac-sdn:47371"]
    assert (leader.flag, leader.vessel_type) == ("GA", "Crude Oil Tanker")
    assert {(i.type.value, i.value) for i in leader.identifiers} >= {
        ("call_sign", "A8LU7"),
        ("imo", "9339301"),
    }
    steel = entities["us-ofac-sdn:44525"]
    assert [(a.text, a.city) for a in steel.addresses] == [
        ("Miami, FL 33130, United States", "Miami, FL 33130")
    ]


def test_detection_publication_date_and_list(tmp_path: Path) -> None:
    files = detect(EXCERPT)
    assert (files.format_key, files.list_key) == ("us-ofac-sdn-xml", "us-ofac-sdn")
    assert OFAC_SDN_XML.published(files) == "2024-05-03"
    cons = tmp_path / "CONSOLIDATED.XML"
    cons.write_text(_xml(_entry("9001", "SOME CONS ENTRY")), encoding="utf-8")
    found = detect(cons)
    assert (found.format_key, found.list_key) == ("us-ofac-cons-xml", "us-ofac-cons")
    [entity] = OFAC_CONS_XML.parse(found, ParseContext())
    assert entity.id == "us-ofac-cons:9001" and entity.programs == ("DPRK3",)


def test_a_folder_with_both_editions_imports_the_csv_set(tmp_path: Path, data_dir: Path) -> None:
    for path in (data_dir / "ofac" / "fixtures-small").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "SDN.XML").write_bytes(EXCERPT.read_bytes())
    sets, ignored = sets_in_folder(tmp_path, FORMATS)
    assert [(s.format_key, s.list_key) for s in sets] == [("us-ofac-sdn", "us-ofac-sdn")]
    assert ignored == []


def test_bad_entries_name_the_entry_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(
        _xml(_entry("1", "GOOD") + _entry("2", "BAD", "Submarine") + _entry("x3", "NO NUMBER")),
        encoding="utf-8",
    )
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.location is not None
    assert exc.value.location.startswith("sdnEntry[2] uid=2 (line")
    assert exc.value.reason == "unknown sdnType 'Submarine' (expected Individual, Entity, Vessel or Aircraft)"
    entities, ctx = _parse(path, lenient=True)
    assert list(entities) == ["us-ofac-sdn:1"]
    assert [s.reason for s in ctx.skipped][1] == "element 'uid' 'x3' is not a number"


def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    text = _xml(_entry("1", "GOOD") + _entry("2", "CUT"))
    path.write_text(text[: text.index("CUT")], encoding="utf-8")
    with pytest.raises(ListFileError, match="truncated"):
        _parse(path, lenient=True)
