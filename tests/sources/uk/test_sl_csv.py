"""UK Sanctions List CSV (``uk-sl``): the published layout, real 2018 OFSI rows carried over, broken files.

``fixtures/uk-sl-excerpt.csv`` follows the published layout (the ``Report Date`` line and the 58
columns of the FCDO file). Its names and ids are real UKSL/UN designations; the KOROLEV PROSPECT
line is a real line of the published file; the other field values of the rows are written for the
test (a parent company, a HIN, a second DOB...) so that every column has something to keep.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import FormatDetectionError, ListFileError
from sanctionwatch.model import BirthDate, Entity, Identifier, IdType, Link, Name, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext
from sanctionwatch.sources.registry import detect
from sanctionwatch.sources.uk.ofsi import UK_OFSI
from sanctionwatch.sources.uk.sl_csv import COLUMNS, UK_SL, parse_report_date
from tests.sources.uk.uksl_convert import convert_ofsi_2018, uksl_csv

EXCERPT = Path(__file__).parent.parent / "fixtures" / "uk-sl-excerpt.csv"


def _parse(path: Path, lenient: bool = False) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    entities = list(UK_SL.parse(ListFiles("uk-sl", "uk-sl", (path,)), ctx))
    by_id = {e.id: e for e in entities}
    assert len(by_id) == len(entities), "one entity per Unique ID"
    return by_id, ctx


@pytest.fixture(scope="module")
def excerpt() -> dict[str, Entity]:
    return _parse(EXCERPT)[0]


def _person(uid: str = "RUS0001", **more: str) -> dict[str, str]:
    row = {
        "Unique ID": uid,
        "Name 6": "PETROV",
        "Name 1": "Ivan",
        "Name type": "Primary Name",
        "Designation Type": "Individual",
        "Regime Name": "The Russia (Sanctions) (EU Exit) Regulations 2019",
    }
    row.update(more)
    return row


def _write(tmp_path: Path, rows: list[dict[str, str]], name: str = "UK-Sanctions-List.csv") -> Path:
    path = tmp_path / name
    path.write_text(uksl_csv(rows, "02-Oct-2026"), encoding="utf-8")
    return path


def test_excerpt_designations_and_schemas(excerpt: dict[str, Entity]) -> None:
    assert sorted(excerpt) == [
        "uk-sl:AFG0001",
        "uk-sl:AFG0006",
        "uk-sl:DPR0023",
        "uk-sl:DPR0075",
        "uk-sl:RUS0999",
        "uk-sl:RUS2176",
    ]
    schemas = {e.native_id: e.schema for e in excerpt.values()}
    assert schemas["AFG0006"] is Schema.PERSON and schemas["RUS0999"] is Schema.PERSON
    assert schemas["AFG0001"] is Schema.ORGANIZATION and schemas["DPR0023"] is Schema.ORGANIZATION
    assert schemas["DPR0075"] is Schema.VESSEL and schemas["RUS2176"] is Schema.VESSEL


def test_published_date_is_the_report_date() -> None:
    assert UK_SL.published(UK_SL.resolve(EXCERPT)) == "2026-10-02"
    assert parse_report_date("13-Feb-2026") == "2026-02-13"
    with pytest.raises(ValueError, match="'Feb 13 2026'"):
        parse_report_date("Feb 13 2026")


def test_detected_automatically_and_not_confused_with_ofsi(data_dir: Path, tmp_path: Path) -> None:
    assert detect(EXCERPT).format_key == "uk-sl"
    (tmp_path / "UK-Sanctions-List.csv").write_bytes(EXCERPT.read_bytes())
    assert detect(tmp_path).format_key == "uk-sl"
    assert detect(data_dir / "uk" / "conlist-2018-04-13.csv").format_key == "uk-ofsi"
    head = EXCERPT.read_bytes()[:8192]
    assert not UK_OFSI.sniff(EXCERPT, head)


def test_names_kinds_strength_and_scripts(excerpt: dict[str, Entity]) -> None:
    akhund = excerpt["uk-sl:AFG0006"]
    assert akhund.names[0] == Name(
        "MOHAMMAD HASSAN AKHUND", NameKind.PRIMARY, False, "Latn", None, "MOHAMMAD HASSAN", "AKHUND"
    )
    by_text = {n.full: n for n in akhund.names}
    assert by_text["Mohammad Hasan Akhund"].kind is NameKind.AKA  # primary name variation
    assert not by_text["Haji Mohammad Hassan"].weak  # Good quality a.k.a
    assert by_text["Mullah Mohammad"].weak  # Low quality a.k.a
    assert (by_text["محمد حسن آخوند"].script, by_text["محمد حسن آخوند"].lang) == ("Arab", "ps")
    exchange = {n.full: n for n in excerpt["uk-sl:AFG0001"].names}
    assert (
        exchange["Haji Hakim Hawala"].weak and exchange["Haji Hakim Hawala"].kind is NameKind.AKA
    )  # "ALias"
    assert exchange["حاجی خيرالله و حاجی ستار صرافی"].lang == "prs"  # Dari
    komid = {n.full: n for n in excerpt["uk-sl:DPR0023"].names}
    assert (komid["조선광업개발무역회사"].script, komid["조선광업개발무역회사"].lang) == ("Hang", "ko")
    assert komid["KOMID"].weak
    zakharova = {n.full: n for n in excerpt["uk-sl:RUS0999"].names}
    assert (
        zakharova["Мария Владимировна Захарова"].script,
        zakharova["Мария Владимировна Захарова"].lang,
    ) == (
        "Cyrl",
        "ru",
    )


def test_person_fields(excerpt: dict[str, Entity]) -> None:
    akhund = excerpt["uk-sl:AFG0006"]
    assert akhund.birth_dates == (BirthDate("1945"), BirthDate("1946"), BirthDate("1958-03-01"))
    assert [d.precision for d in akhund.birth_dates] == ["year", "year", "day"]
    assert akhund.nationalities == ("AF",)
    assert akhund.gender == "male"
    assert akhund.titles == ("Mullah", "Deputy Minister of Civil Aviation under the Taliban regime")
    assert [p.text for p in akhund.birth_places] == ["Lakhi village, Afghanistan"]
    assert akhund.listed_on == "2001-01-25"
    assert akhund.programs == ("The Afghanistan (Sanctions) (EU Exit) Regulations 2020",)
    assert (
        Identifier(IdType.PASSPORT, "P04581926", "AF", "Passport number", "Afghanistan passport")
        in akhund.identifiers
    )
    assert akhund.remarks is not None
    assert "Designation source: UN" in akhund.remarks.splitlines()
    assert "Sanctions Imposed: Asset freeze; Travel Ban" in akhund.remarks.splitlines()
    zakharova = excerpt["uk-sl:RUS0999"]
    assert zakharova.birth_dates == (BirthDate("1975-12-24"), BirthDate("1975-12"))
    assert zakharova.gender == "female"
    assert (
        Identifier(
            IdType.NATIONAL_ID, "4500 123456", "RU", "National Identifier number", "Russian internal passport"
        )
        in zakharova.identifiers
    )
    assert zakharova.remarks is not None and "Designation source: UK" in zakharova.remarks


def test_un_and_ofsi_references_are_identifiers_and_links(excerpt: dict[str, Entity]) -> None:
    komid = excerpt["uk-sl:DPR0023"]
    assert Identifier(IdType.OTHER, "KPe.001", label="UN Reference Number") in komid.identifiers
    assert Identifier(IdType.OTHER, "11262", "GB", "OFSI Group ID") in komid.identifiers
    assert {link.target_id for link in komid.links if link.relation == "same_as"} == {
        "un-sc:KPe.001",
        "uk-ofsi:11262",
    }
    assert not [link for link in excerpt["uk-sl:RUS2176"].links if link.relation == "same_as"]


def test_organization_fields(excerpt: dict[str, Entity]) -> None:
    exchange = excerpt["uk-sl:AFG0001"]
    assert [a.text for a in exchange.addresses] == [
        "Branch Office 10, Chaman Central Bazaar, Chaman, Baluchistan Province, Pakistan",
        "Sarai Shahzada, Kabul, Afghanistan",
    ]
    assert [a.country for a in exchange.addresses] == ["PK", "AF"]
    assert (
        Identifier(IdType.REGISTRATION, "044", label="Business registration number") in exchange.identifiers
    )
    assert Link("parent", "Haji Khairullah Holding") in exchange.links
    assert Link("subsidiary", "Haji Khairullah Kandahar Branch") in exchange.links
    assert exchange.remarks is not None
    lines = exchange.remarks.splitlines()
    assert "Type of entity: Hawala" in lines and "Phone number: +93-202-104748" in lines
    assert "Email address: helmand_exchange_msp@yahoo.com" in lines


def test_ship_fields(excerpt: dict[str, Entity]) -> None:
    petrel = excerpt["uk-sl:DPR0075"]
    assert [n.full for n in petrel.names] == ["Petrel 8", "Jal Vahini"]
    assert Identifier(IdType.IMO, "9562233", label="IMO number") in petrel.identifiers
    assert (
        Identifier(IdType.OTHER, "HIN-PTL-0801", label="Hull identification number (HIN)")
        in petrel.identifiers
    )
    assert petrel.flag == "KM" and "IN" in petrel.countries  # Comoros now, India before
    assert (petrel.vessel_type, petrel.tonnage) == ("Bulk Carrier", "7078")
    assert Link("owner_operator", "Global United Shipping India") in petrel.links
    assert Link("previous_owner_operator", "Petrel Shipping Co") in petrel.links
    assert petrel.remarks is not None
    lines = petrel.remarks.splitlines()
    assert {"Previous flags: India", "Length of ship: 119m", "Year Built: 2011"} <= set(lines)
    korolev = excerpt["uk-sl:RUS2176"]  # the real line
    assert Identifier(IdType.IMO, "9826902", label="IMO number") in korolev.identifiers
    assert (korolev.flag, korolev.vessel_type, korolev.listed_on) == ("GA", "Oil Tanker", "2024-07-31")
    assert korolev.remarks is not None and "Year Built: 2019" in korolev.remarks.splitlines()


def test_extra_column_is_kept_in_remarks(tmp_path: Path) -> None:
    text = uksl_csv([_person()]).splitlines()
    text[1] += ",Sanction Indicator"
    text[2] += ",Asset freeze (UK)"
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    [entity] = _parse(path)[0].values()
    assert entity.remarks == "Sanction Indicator: Asset freeze (UK)"


def test_missing_column_names_it(tmp_path: Path) -> None:
    lines = uksl_csv([_person()]).splitlines()
    lines[1] = lines[1].replace(",Name type,", ",")
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        UK_SL.resolve(path)
    assert exc.value.location == "line 2" and "'Name type'" in exc.value.reason


def test_row_without_unique_id(tmp_path: Path) -> None:
    path = _write(tmp_path, [_person("RUS0001"), _person("", **{"Name 6": "SIDOROV"}), _person("RUS0002")])
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert (exc.value.location, exc.value.reason) == ("line 4", "field 'Unique ID' is empty")
    entities, ctx = _parse(path, lenient=True)
    assert sorted(entities) == ["uk-sl:RUS0001", "uk-sl:RUS0002"]
    assert [(s.location, s.reason) for s in ctx.skipped] == [("line 4", "field 'Unique ID' is empty")]


def test_bad_designation_type_and_name_type(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [_person(**{"Designation Type": "Aircraft"}), _person("RUS0002", **{"Name type": "Nickname"})],
    )
    entities, ctx = _parse(path, lenient=True)
    assert entities == {}
    assert [s.location for s in ctx.skipped] == ["line 3", "line 4"]
    assert "'Aircraft'" in ctx.skipped[0].reason and ctx.skipped[0].reason.startswith(
        "field 'Designation Type'"
    )
    assert "'Nickname'" in ctx.skipped[1].reason and ctx.skipped[1].reason.startswith("field 'Name type'")


def test_rows_disagreeing_on_designation_type(tmp_path: Path) -> None:
    path = _write(tmp_path, [_person(), _person(**{"Designation Type": "Entity", "Name type": "Alias"})])
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.location == "line 3 (Unique ID RUS0001)"
    assert "disagree on Designation Type" in exc.value.reason and "line 4" in exc.value.reason


def test_truncated_and_wrongly_encoded_files(tmp_path: Path) -> None:
    path = _write(tmp_path, [_person(), _person("RUS0002", **{"Other Information": "cut here"})])
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"cut here")] + b'"cut, the download stopped here')
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.location == "line 4" and exc.value.reason.startswith("file is truncated")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(uksl_csv([_person()]), encoding="utf-16")
    with pytest.raises((ListFileError, FormatDetectionError), match="UTF-16"):
        UK_SL.resolve(utf16)


def test_real_2018_ofsi_rows_in_the_uksl_layout(tmp_path: Path, data_dir: Path) -> None:
    source = data_dir / "uk" / "conlist-2018-04-13.csv"
    converted = tmp_path / "UK-Sanctions-List.csv"
    assert convert_ofsi_2018(source, converted) == 9_487  # ../shared/data/README.md: 9,487 rows
    assert detect(converted).format_key == "uk-sl"
    entities, ctx = _parse(converted)
    assert ctx.skipped == []
    # README: 2,106 groups, 1,426 individuals and 680 entities.
    assert len(entities) == 2_106
    assert Counter(e.schema for e in entities.values()) == {Schema.PERSON: 1_426, Schema.ORGANIZATION: 680}
    # Each designation keeps its OFSI Group ID, and the names and dates the OFSI reader finds for that group.
    ofsi = {e.native_id: e for e in UK_OFSI.parse(UK_OFSI.resolve(source), ParseContext())}
    assert len(ofsi) == 2_106
    for entity in entities.values():
        [gid] = [i.value for i in entity.identifiers if i.label == "OFSI Group ID"]
        other = ofsi[gid]
        assert {n.full for n in entity.names} == {n.full for n in other.names}, gid
        assert entity.names[0].full == other.names[0].full, gid
        assert entity.birth_dates == other.birth_dates, gid
        assert entity.programs == other.programs and entity.listed_on == other.listed_on, gid
    # Rows of the DPRK regime (README: 574) all land in DPRK designations.
    with source.open(encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f))[2:]
    dprk_groups = {r[-1] for r in rows if r[25] == "North Korea (Democratic People's Republic of Korea)"}
    assert sum(1 for r in rows if r[25] == "North Korea (Democratic People's Republic of Korea)") == 574
    dprk = [
        e for e in entities.values() if "North Korea (Democratic People's Republic of Korea)" in e.programs
    ]
    assert dprk and {e.native_id for e in dprk} == {f"UK{g}" for g in dprk_groups}
    daedong = entities["uk-sl:UK13341"]
    assert daedong.names[0].full == "DAEDONG CREDIT BANK (DCB)" and daedong.schema is Schema.ORGANIZATION
    assert Identifier(IdType.OTHER, "KPe.23", label="UN Reference Number") in daedong.identifiers


def test_column_layout_is_the_published_one() -> None:
    assert len(COLUMNS) == 58
    assert COLUMNS[:6] == (
        "Last Updated",
        "Unique ID",
        "OFSI Group ID",
        "UN Reference Number",
        "Name 6",
        "Name 1",
    )
    assert COLUMNS[-1] == "Hull identification number (HIN)"
