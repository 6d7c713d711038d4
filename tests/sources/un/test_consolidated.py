"""UN Security Council consolidated list XML: the real 2026-02-27 file, and broken copies of it.

Expected values come from the data README and from reading the raw file (grep / a regex over
its bytes), never from the parser's own output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import BirthDate, Entity, IdType, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext, read_head
from sanctionwatch.sources.un.consolidated import UN_SC
from sanctionwatch.sources.xmlread import name_script

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def un_file(data_dir: Path) -> Path:
    return data_dir / "un" / "consolidated-2026-02-27.xml"


@pytest.fixture(scope="module")
def raw(un_file: Path) -> str:
    return un_file.read_text("utf-8")


@pytest.fixture(scope="module")
def entities(un_file: Path) -> dict[str, Entity]:
    ctx = ParseContext()
    parsed = list(UN_SC.parse(UN_SC.resolve(un_file), ctx))
    assert ctx.skipped == []
    found = {e.id: e for e in parsed}
    assert len(found) == len(parsed), "duplicate entity ids"
    return found


def _names(entity: Entity) -> list[str]:
    return [n.full.casefold() for n in entity.names]


# --- the real file -------------------------------------------------------------------------------


def test_counts_match_the_readme(entities: dict[str, Entity]) -> None:
    assert len(entities) == 1003
    schemas = [e.schema for e in entities.values()]
    assert schemas.count(Schema.PERSON) == 730
    assert schemas.count(Schema.ORGANIZATION) == 273
    dprk = [e for e in entities.values() if e.programs == ("DPRK",)]
    assert len(dprk) == 155
    assert sum(e.native_id.startswith("KPi.") for e in dprk) == 80
    assert sum(e.native_id.startswith("KPe.") for e in dprk) == 75


def test_ids_are_the_reference_numbers_of_the_raw_file(entities: dict[str, Entity], raw: str) -> None:
    refs = re.findall(r"<REFERENCE_NUMBER>([^<]+)</REFERENCE_NUMBER>", raw)
    assert {f"un-sc:{r.strip()}" for r in refs} == set(entities)


def test_published_is_the_generation_date(un_file: Path) -> None:
    assert UN_SC.published(UN_SC.resolve(un_file)) == "2026-02-27"


def test_komid_and_dprk_banks(entities: dict[str, Entity]) -> None:
    komid = entities["un-sc:KPe.001"]
    assert komid.schema is Schema.ORGANIZATION
    assert komid.caption == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert "changgwang sinyong corporation" in _names(komid)
    assert "komid" in _names(komid)  # listed as "KOMID" with its quotes
    assert all(n.kind is NameKind.AKA for n in komid.names[1:])
    assert komid.addresses[0].city == "Pyongyang"
    assert komid.countries == ("KP",)
    assert komid.listed_on == "2009-04-24"
    assert "tanchon commercial bank" in _names(entities["un-sc:KPe.003"])
    assert "korea kwangson banking corp" in " ".join(_names(entities["un-sc:KPe.025"]))


def test_imo_numbers_from_comments(entities: dict[str, Entity], raw: str) -> None:
    assert [(i.type, i.value) for i in entities["un-sc:KPe.061"].identifiers] == [(IdType.IMO, "5936312")]
    # every 7-digit number the raw file calls an IMO number, and no other, becomes an IMO identifier
    in_raw = set(re.findall(r"IMO\)? (?:[Nn]umber:? )?(\d{7})", raw))
    assert len(in_raw) == 16
    parsed = {i.value for e in entities.values() for i in e.identifiers if i.type is IdType.IMO}
    assert parsed == in_raw
    holders = {e.native_id[:4] for e in entities.values() if any(i.type is IdType.IMO for i in e.identifiers)}
    assert holders == {"KPe."}


def test_dprk_person(entities: dict[str, Entity]) -> None:
    ri = entities["un-sc:KPi.033"]
    assert ri.schema is Schema.PERSON
    primary = ri.names[0]
    assert (primary.full, primary.last, primary.first, primary.script) == (
        "RI WON HO",
        "RI",
        "WON HO",
        "Latn",
    )
    assert ri.birth_dates == (BirthDate("1964-07-17"),)
    assert [(i.type, i.value) for i in ri.identifiers] == [(IdType.PASSPORT, "381310014")]
    assert ri.nationalities == ("KP",)
    assert ri.titles == ("DPRK Ministry of State Security Official",)
    assert ri.listed_on == "2016-11-30"


def test_original_script_names(entities: dict[str, Entity]) -> None:
    baradar = entities["un-sc:TAi.024"]
    arabic = [n for n in baradar.names if n.full == "عبدالغنی برادر عبد الاحمد ترک"]
    assert [n.script for n in arabic] == ["Arab"]
    assert baradar.birth_dates == (BirthDate("1968", circa=True),)
    assert baradar.titles[0] == "Mullah"
    assert baradar.birth_places[0].country == "AF"
    umarov = entities["un-sc:QDi.290"]
    assert ("Умаров Доку Хаматович", "Cyrl") in [(n.full, n.script) for n in umarov.names]
    assert umarov.names[0].full == "DOKU KHAMATOVICH UMAROV"
    # "Jin Tiesan (金铁三)": the Han name in parentheses is a name of its own
    assert ("金铁三", "Hani") in [(n.full, n.script) for n in entities["un-sc:KPi.035"].names]
    assert "jin tiesan" in _names(entities["un-sc:KPi.035"])


def test_alias_quality_and_empty_aliases(entities: dict[str, Entity], raw: str) -> None:
    gaston = entities["un-sc:CDi.003"]
    assert [n.weak for n in gaston.names if n.full == "Rumuli"] == [True]
    # the raw file's Low-quality aliases are the weak names (a few split into two scripts)
    low = len(re.findall(r"<QUALITY>Low</QUALITY>", raw))
    weak = sum(n.weak for e in entities.values() for n in e.names)
    assert low == 615
    assert low <= weak <= low + 15
    # KPe.061 has only an empty <ENTITY_ALIAS/>: one name, nothing skipped
    assert len(entities["un-sc:KPe.061"].names) == 1


def test_birth_date_forms(entities: dict[str, Entity]) -> None:
    assert entities["un-sc:CDi.030"].birth_dates == (BirthDate("1973", to="1974"),)
    # DATE missing, NOTE "Nov. 1973": month precision
    assert BirthDate("1973-11") in entities["un-sc:CDi.004"].birth_dates


# --- sniff / resolve ------------------------------------------------------------------------------


def test_sniff(un_file: Path, data_dir: Path) -> None:
    assert UN_SC.sniff(un_file, read_head(un_file))
    bom = b"\xef\xbb\xbf" + read_head(un_file)
    assert UN_SC.sniff(un_file, bom)
    for other in (
        data_dir / "eu" / "fsf-v1.0-2016-02-11-subset.xml",
        data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv",
        FIXTURES / "eu-fsf-1.1-excerpt.xml",
    ):
        assert not UN_SC.sniff(other, read_head(other)), other


def test_resolve_a_folder(un_file: Path) -> None:
    assert UN_SC.resolve(un_file.parent).paths == (un_file,)


def test_wrong_format_given(data_dir: Path) -> None:
    eu = FIXTURES / "eu-fsf-1.1-excerpt.xml"
    with pytest.raises(
        ListFileError, match=r"root element is <export xmlns=.*; expected UN Security Council"
    ):
        UN_SC.resolve(eu)
    with pytest.raises(ListFileError, match=r"root element is <export .*expected .*<CONSOLIDATED_LIST>"):
        list(UN_SC.parse(ListFiles("un-sc", "un-sc", (eu,)), ParseContext(lenient=True)))
    csv = data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"
    with pytest.raises(ListFileError, match="it is not XML") as err:
        UN_SC.resolve(csv)
    assert err.value.path == str(csv)
    with pytest.raises(ListFileError, match="holds no UN Security Council"):
        UN_SC.resolve(data_dir / "eu")


# --- broken files ---------------------------------------------------------------------------------


def test_truncated_file(un_file: Path, tmp_path: Path) -> None:
    data = un_file.read_bytes()
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(data[: len(data) // 2])
    last_line = data[: len(data) // 2].count(b"\n") + 1
    files = UN_SC.resolve(cut)  # the head is fine
    for lenient in (False, True):
        with pytest.raises(ListFileError) as err:
            list(UN_SC.parse(files, ParseContext(lenient=lenient)))
        assert "truncated" in err.value.reason
        assert err.value.path == str(cut)
        assert err.value.location is not None
        assert err.value.location.startswith(f"line {last_line}")


_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z">\n'


def _small(tmp_path: Path, individuals: str) -> Path:
    path = tmp_path / "un.xml"
    path.write_text(f"{_HEAD}<INDIVIDUALS>\n{individuals}</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n", "utf-8")
    return path


_GOOD = (
    "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>KIM</FIRST_NAME>"
    "<REFERENCE_NUMBER>KPi.900</REFERENCE_NUMBER></INDIVIDUAL>\n"
)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ("<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>PAK</FIRST_NAME></INDIVIDUAL>", "no REFERENCE_NUMBER"),
        (
            "<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME/><REFERENCE_NUMBER>KPi.901</REFERENCE_NUMBER></INDIVIDUAL>",
            "no name",
        ),
        (
            "<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>PAK</FIRST_NAME><REFERENCE_NUMBER>KPi.901</REFERENCE_NUMBER>"
            "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-13-45</DATE>"
            "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>",
            "invalid date of birth: DATE '1970-13-45'",
        ),
        (
            "<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>PAK</FIRST_NAME><REFERENCE_NUMBER>KPi.901</REFERENCE_NUMBER>"
            "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>19x0</YEAR>"
            "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>",
            "YEAR '19x0' is not a year",
        ),
        (
            "<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>PAK</FIRST_NAME><REFERENCE_NUMBER>KPi.901</REFERENCE_NUMBER>"
            "<LISTED_ON>2016-02-30</LISTED_ON></INDIVIDUAL>",
            "invalid LISTED_ON '2016-02-30'",
        ),
    ],
)
def test_bad_record(tmp_path: Path, record: str, reason: str) -> None:
    path = _small(tmp_path, _GOOD + record + "\n")
    files = UN_SC.resolve(path)
    with pytest.raises(ListFileError) as err:
        list(UN_SC.parse(files, ParseContext()))
    assert reason in err.value.reason
    assert err.value.location == "INDIVIDUAL DATAID=77 (line 5)"
    assert str(path) in str(err.value)
    ctx = ParseContext(lenient=True)
    assert [e.id for e in UN_SC.parse(files, ctx)] == ["un-sc:KPi.900"]
    assert [(s.location, reason in s.reason) for s in ctx.skipped] == [
        ("INDIVIDUAL DATAID=77 (line 5)", True)
    ]


def test_encoding_that_lies(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    body = "<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>José María</FIRST_NAME></INDIVIDUAL>\n"
    path.write_bytes((_HEAD + body + "</INDIVIDUALS></CONSOLIDATED_LIST>\n").encode("latin-1"))
    files = UN_SC.resolve(path)
    with pytest.raises(ListFileError) as err:
        list(UN_SC.parse(files, ParseContext(lenient=True)))
    assert err.value.location is not None
    assert err.value.location.startswith("line 4")
    assert "not valid UTF-8" in err.value.reason
    assert "b'\\xe9'" in err.value.reason


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("RI WON HO", "Latn"),
        ("리원호", "Hang"),
        ("金铁三", "Hani"),
        ("Умаров", "Cyrl"),
        ("José", "Latn"),
        ("42", None),
    ],
)
def test_name_script(text: str, script: str | None) -> None:
    assert name_script(text) == script
