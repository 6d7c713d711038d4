"""UK Sanctions List XML (format ``uk-sl-xml``, list ``uk-sl``): equal to the CSV, and broken files.

``fixtures/uk-sl-excerpt.xml`` holds the designations of ``fixtures/uk-sl-excerpt.csv`` in the
published XML structure (``<Designations>``, ``<DateGenerated>``, ``<Designation>`` with ``Names``,
``NonLatinNames``, ``IndividualDetails``, ``EntityDetails``, ``ShipDetails``...).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext
from sanctionwatch.sources.registry import detect
from sanctionwatch.sources.uk.sl_csv import UK_SL
from sanctionwatch.sources.uk.sl_xml import UK_SL_XML

FIXTURES = Path(__file__).parent.parent / "fixtures"
XML = FIXTURES / "uk-sl-excerpt.xml"
CSV = FIXTURES / "uk-sl-excerpt.csv"

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<Designations><DateGenerated>13/02/2026</DateGenerated>\n'
PERSON = (
    "<Designation><UniqueID>{uid}</UniqueID><Names><Name><Name1>Ivan</Name1><Name6>PETROV</Name6>"
    "<NameType>Primary Name</NameType></Name></Names><RegimeName>Russia</RegimeName>"
    "<IndividualEntityShip>{kind}</IndividualEntityShip>{more}</Designation>\n"
)


def _person(uid: str = "RUS0001", kind: str = "Individual", more: str = "") -> str:
    return PERSON.format(uid=uid, kind=kind, more=more)


def _parse(path: Path, lenient: bool = False) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    entities = {e.id: e for e in UK_SL_XML.parse(ListFiles("uk-sl-xml", "uk-sl", (path,)), ctx)}
    return entities, ctx


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(HEAD + body + "</Designations>\n", encoding="utf-8")
    return path


def test_xml_and_csv_of_the_same_designations_are_equal_field_by_field() -> None:
    from_xml, ctx = _parse(XML)
    assert ctx.skipped == []
    from_csv = {e.id: e for e in UK_SL.parse(UK_SL.resolve(CSV), ParseContext())}
    assert len(from_xml) == 6 and sorted(from_xml) == sorted(from_csv)
    for key, entity in from_csv.items():
        assert from_xml[key].to_dict() == entity.to_dict(), key


def test_detected_as_the_uk_sl_list_with_its_date() -> None:
    files = detect(XML)
    assert (files.format_key, files.list_key) == ("uk-sl-xml", "uk-sl")
    assert UK_SL_XML.published(files) == "2026-10-02"
    assert not UK_SL.sniff(XML, XML.read_bytes()[:8192])


def test_un_xml_is_not_uksl(data_dir: Path) -> None:
    un = data_dir / "un" / "consolidated-2026-02-27.xml"
    assert not UK_SL_XML.sniff(un, un.read_bytes()[:8192])
    with pytest.raises(ListFileError, match="expected a UK Sanctions List XML file"):
        UK_SL_XML.resolve(un)


def test_designation_without_unique_id(tmp_path: Path) -> None:
    path = _write(tmp_path, _person("RUS0001") + _person("") + _person("RUS0002"))
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert (exc.value.location, exc.value.reason) == ("Designation[2]", "element 'UniqueID' is empty")
    entities, ctx = _parse(path, lenient=True)
    assert sorted(entities) == ["uk-sl:RUS0001", "uk-sl:RUS0002"]
    assert len(ctx.skipped) == 1


def test_bad_type_and_repeated_unique_id(tmp_path: Path) -> None:
    path = _write(tmp_path, _person("RUS0001", "Aircraft") + _person("RUS0002") + _person("RUS0002"))
    entities, ctx = _parse(path, lenient=True)
    assert sorted(entities) == ["uk-sl:RUS0002"]
    assert [s.location for s in ctx.skipped] == [
        "Designation[1] UniqueID=RUS0001",
        "Designation[3] UniqueID=RUS0002",
    ]
    assert (
        ctx.skipped[0].reason.startswith("element 'IndividualEntityShip'")
        and "'Aircraft'" in ctx.skipped[0].reason
    )
    assert "already used by Designation[2]" in ctx.skipped[1].reason


def test_unknown_elements_and_indicators_are_kept(tmp_path: Path) -> None:
    more = (
        "<SanctionsImposedIndicators><AssetFreeze>true</AssetFreeze><TravelBan>false</TravelBan>"
        "<ArmsEmbargo>true</ArmsEmbargo></SanctionsImposedIndicators>"
        "<IndividualDetails><Individual><Residences><Residence>Sochi</Residence></Residences></Individual>"
        "</IndividualDetails>"
    )
    [entity] = _parse(_write(tmp_path, _person(more=more)))[0].values()
    assert entity.remarks is not None
    assert entity.remarks.splitlines() == [
        "IndividualDetails/Individual/Residences/Residence: Sochi",
        "Sanctions imposed indicators: AssetFreeze; ArmsEmbargo",
    ]


def test_truncated_file(tmp_path: Path) -> None:
    path = _write(tmp_path, _person("RUS0001") + _person("RUS0002"))
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"<RegimeName>")])
    with pytest.raises(ListFileError, match="truncated"):
        list(UK_SL_XML.parse(UK_SL_XML.resolve(path), ParseContext(lenient=True)))
