"""UK OFSI consolidated list CSV: the real 2018-04-13 file, the 2022 layout, and broken files."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, IdType, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext
from sanctionwatch.sources.uk.ofsi import UK_OFSI

DPRK = "North Korea (Democratic People's Republic of Korea)"
HEADER_2018 = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,"
    "Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,"
    "Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID"
)
# OFSI's "2022 format" ConList.csv layout.
HEADER_2022 = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,"
    "Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,"
    "Passport Details,National Identification Number,National Identification Details,Position,"
    "Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,"
    "Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,"
    "UK Sanctions List Date Designated,Last Updated,Group ID"
)


def _row(header: str, **cells: str) -> str:
    columns = header.split(",")
    out = ['"' + cells.get(re.sub(r"\W", "_", c), "").replace('"', '""') + '"' for c in columns]
    return ",".join(out)


def _person(gid: str, surname: str, given: str, alias: str = "Prime Alias", **more: str) -> str:
    return _row(
        HEADER_2018,
        Name_6=surname,
        Name_1=given,
        Group_Type="Individual",
        Alias_Type=alias,
        Regime="Syria",
        Listed_On="01/02/2015",
        Group_ID=gid,
        **more,
    )


def _write(tmp_path: Path, lines: list[str], name: str = "conlist.csv", encoding: str = "cp1252") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _parse(path: Path, lenient: bool = False) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return list(UK_OFSI.parse(UK_OFSI.resolve(path), ctx)), ctx


@pytest.fixture(scope="module")
def uk_file(data_dir: Path) -> Path:
    return data_dir / "uk" / "conlist-2018-04-13.csv"


@pytest.fixture(scope="module")
def raw_rows(uk_file: Path) -> list[dict[str, str]]:
    """The file read independently with the csv module (row 1 is the date, row 2 the header)."""
    with uk_file.open(encoding="latin-1", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        header = next(reader)
        return [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture(scope="module")
def parsed(uk_file: Path) -> dict[str, Entity]:
    return {e.id: e for e in UK_OFSI.parse(UK_OFSI.resolve(uk_file), ParseContext())}


def test_counts_match_the_data_readme(raw_rows: list[dict[str, str]], parsed: dict[str, Entity]) -> None:
    entities = parsed
    assert len(raw_rows) == 9487
    assert len(entities) == 2106
    schemas = Counter(e.schema for e in entities.values())
    assert schemas[Schema.PERSON] == 1426
    assert schemas[Schema.ORGANIZATION] + schemas[Schema.VESSEL] == 680


def test_one_entity_per_group_id(raw_rows: list[dict[str, str]], parsed: dict[str, Entity]) -> None:
    entities = parsed
    assert set(entities) == {f"uk-ofsi:{r['Group ID']}" for r in raw_rows}
    positions: dict[str, list[int]] = {}
    for i, row in enumerate(raw_rows):
        positions.setdefault(row["Group ID"], []).append(i)
    scattered = [g for g, idx in positions.items() if idx[-1] - idx[0] + 1 != len(idx)]
    assert scattered, "the real file has groups whose rows are not adjacent"
    # 13349's rows are not adjacent in the file: all its names still land in one entity.
    assert "13349" in scattered
    names = {n.full for n in entities["uk-ofsi:13349"].names}
    assert {"Sheikh Farooq AL-QAHTANI", "Imran Farouk SHAYKH"} <= names


def test_dprk_regime(raw_rows: list[dict[str, str]], parsed: dict[str, Entity]) -> None:
    entities = parsed
    dprk_rows = [r for r in raw_rows if r["Regime"] == DPRK]
    assert len(dprk_rows) == 574
    dprk_groups = {f"uk-ofsi:{r['Group ID']}" for r in dprk_rows}
    assert {e.id for e in entities.values() if DPRK in e.programs} == dprk_groups
    assert len(dprk_groups) == 242


def test_published_date(uk_file: Path) -> None:
    assert UK_OFSI.published(UK_OFSI.resolve(uk_file)) == "2018-04-13"


def test_known_dprk_individual(parsed: dict[str, Entity]) -> None:
    # grep ',13415$': KIM SONG CHOL (Prime Alias), KIM HAK SONG (AKA), DOB 26/03/1968 and 15/10/1970.
    kim = parsed["uk-ofsi:13415"]
    assert kim.schema is Schema.PERSON
    assert kim.names[0].full == "SONG CHOL KIM"
    assert (kim.names[0].kind, kim.names[0].last, kim.names[0].first) == (
        NameKind.PRIMARY,
        "KIM",
        "SONG CHOL",
    )
    assert [(n.full, n.kind) for n in kim.names[1:]] == [("HAK SONG KIM", NameKind.AKA)]
    assert [b.date for b in kim.birth_dates] == ["1968-03-26", "1970-10-15"]
    assert kim.nationalities == ("KP",)
    assert {i.value for i in kim.identifiers if i.type is IdType.PASSPORT} == {"381420565", "654120219"}
    assert all(i.note == "381420565 and 654120219" for i in kim.identifiers)
    assert kim.programs == (DPRK,)
    assert kim.listed_on == "2016-12-09"
    assert kim.remarks and "KPi.030" in kim.remarks


def test_partial_dates_and_numbered_nationalities(parsed: dict[str, Entity]) -> None:
    # Group 13349: DOB 00/00/1980 and 00/00/1981, nationality "1) Saudi Arabia 2) Qatar".
    e = parsed["uk-ofsi:13349"]
    assert [(b.date, b.precision) for b in e.birth_dates] == [("1980", "year"), ("1981", "year")]
    assert e.nationalities == ("SA", "QA")
    passport = next(i for i in e.identifiers if i.type is IdType.PASSPORT)
    assert (passport.value, passport.country) == ("592667", "QA")
    assert passport.note and "issued on 3 May 2007" in passport.note


def test_ships_listed_as_entities(parsed: dict[str, Entity]) -> None:
    entities = parsed
    tong_san = entities["uk-ofsi:13556"]  # "IMO: 8937675. MMSI: 445539000. The following vessel ..."
    assert tong_san.schema is Schema.VESSEL
    assert {(i.type, i.value) for i in tong_san.identifiers} == {
        (IdType.IMO, "8937675"),
        (IdType.MMSI, "445539000"),
    }
    yujong = entities["uk-ofsi:13637"]  # "Company Number IMO 5434358": a company, not a ship
    assert yujong.schema is Schema.ORGANIZATION
    assert [(i.type, i.value, i.label) for i in yujong.identifiers] == [
        (IdType.IMO, "5434358", "IMO company number")
    ]
    assert yujong.addresses[0].country == "KP"


def test_sniff_and_folder(uk_file: Path, data_dir: Path) -> None:
    assert UK_OFSI.sniff(uk_file, uk_file.read_bytes()[:8192])
    other = data_dir / "us-csl" / "consolidated-subset.csv"
    assert not UK_OFSI.sniff(other, other.read_bytes()[:8192])
    assert UK_OFSI.resolve(data_dir / "uk") == ListFiles("uk-ofsi", "uk-ofsi", (uk_file,))


def test_2022_layout(tmp_path: Path) -> None:
    rows = [
        "Last Updated,28/01/2026",
        HEADER_2022,
        _row(HEADER_2022, Name_6="KIM", Name_1="Jong", Name_2="Un", Name_Non_Latin_Script="김정은",
             DOB="08/01/1984", Nationality="North Korean", Passport_Number="(1) 381420565 (2) 654120219",
             Passport_Details="Diplomatic passports", Group_Type="Individual", Alias_Type="Primary name",
             Alias_Quality="Good", Regime="Russia", Listed_On="01/03/2022", Group_ID="99001"),
        _row(HEADER_2022, Name_6="KIM", Name_1="Jong-un", Group_Type="Individual",
             Alias_Type="Primary name variation", Alias_Quality="Good", Regime="Russia", Group_ID="99001"),
        _row(HEADER_2022, Name_6="KIMMY", Group_Type="Individual", Alias_Type="AKA", Alias_Quality="Low",
             Regime="Russia", Group_ID="99001"),
        _row(HEADER_2022, Name_6="OCEAN STAR", Group_Type="Ship", Alias_Type="Primary name",
             Other_Information="IMO number: 9191773", Regime="Russia", Group_ID="99002"),
    ]  # fmt: skip
    path = _write(tmp_path, rows, encoding="utf-8")
    entities, _ = _parse(path)
    kim, ship = entities
    assert [(n.full, n.kind, n.weak) for n in kim.names] == [
        ("Jong Un KIM", NameKind.PRIMARY, False),
        ("김정은", NameKind.AKA, False),
        ("Jong-un KIM", NameKind.AKA, False),
        ("KIMMY", NameKind.AKA, True),
    ]
    assert kim.birth_dates[0].date == "1984-01-08"
    assert kim.nationalities == ("KP",)
    assert [(i.value, i.label, i.note) for i in kim.identifiers] == [
        ("381420565", "Passport Number", "Diplomatic passports"),
        ("654120219", "Passport Number", "Diplomatic passports"),
    ]
    assert ship.schema is Schema.VESSEL
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "9191773")]
    assert UK_OFSI.published(UK_OFSI.resolve(path)) == "2026-01-28"


def test_missing_column_is_named(tmp_path: Path) -> None:
    header = HEADER_2018.replace(",Group ID", "").replace("Alias Type,", "")
    path = _write(tmp_path, ["Last Updated,13/04/2018", header])
    with pytest.raises(ListFileError, match=r"'Alias Type', 'Group ID'") as exc:
        UK_OFSI.resolve(path)
    assert exc.value.path == str(path) and exc.value.location == "line 2"


def test_truncated_file(tmp_path: Path) -> None:
    good = _person("1", "DOE", "John")
    cut = _person("2", "ROE", "Jane", Other_Information="Cut here")[:-12]  # inside a quoted field
    path = tmp_path / "conlist.csv"
    path.write_text("\n".join(["Last Updated,13/04/2018", HEADER_2018, good, cut]), encoding="cp1252")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.reason.startswith("file is truncated")
    assert exc.value.location == "line 4"
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["uk-ofsi:1"]
    assert [(s.location, s.reason) for s in ctx.skipped] == [
        ("line 4", "file is truncated: it ends inside a quoted field")
    ]


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path, ["Last Updated,13/04/2018", HEADER_2018, _person("1", "DOE", "John")], encoding="utf-16"
    )
    assert not UK_OFSI.sniff(path, path.read_bytes()[:8192])
    with pytest.raises(ListFileError) as exc:
        UK_OFSI.resolve(path)
    assert "UTF-16" in exc.value.reason
    assert exc.value.path == str(path)


def test_wrong_format_via_source(data_dir: Path) -> None:
    with pytest.raises(ListFileError, match=r"missing column.*'Name 6'"):
        UK_OFSI.resolve(data_dir / "us-csl" / "consolidated-subset.csv")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_person("", "DOE", "John"), "no Group ID"),
        (_person("7", "", ""), "no name"),
        (_person("7", "DOE", "John", alias="Nickname"), "unknown Alias Type 'Nickname'"),
    ],
)
def test_bad_row_strict_and_lenient(tmp_path: Path, row: str, reason: str) -> None:
    path = _write(tmp_path, ["Last Updated,13/04/2018", HEADER_2018, _person("1", "DOE", "John"), row])
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert reason in exc.value.reason
    assert exc.value.location == "line 4" and exc.value.path == str(path)
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["uk-ofsi:1"]
    assert len(ctx.skipped) == 1 and reason in ctx.skipped[0].reason


def test_group_rows_far_apart_merge(tmp_path: Path) -> None:
    rows = [
        _person("5", "DOE", "John", DOB="00/00/1970"),
        _person("6", "ROE", "Jane"),
        _person("5", "DOE", "Johnny", alias="AKA", DOB="12/00/1971"),
    ]
    entities, _ = _parse(_write(tmp_path, ["Last Updated,13/04/2018", HEADER_2018, *rows]))
    assert [e.id for e in entities] == ["uk-ofsi:5", "uk-ofsi:6"]
    assert [n.full for n in entities[0].names] == ["John DOE", "Johnny DOE"]
    assert [(b.date, b.precision) for b in entities[0].birth_dates] == [("1970", "year"), ("1971", "year")]
