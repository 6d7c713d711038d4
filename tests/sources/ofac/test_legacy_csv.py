"""OFAC legacy CSV sets (us-ofac-sdn, us-ofac-cons) read from the real files.

Expected values come from the data README or from reading the raw files with grep / the csv module
(the command is quoted next to each figure), never from this parser's output.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, IdType, NameKind, Schema
from sanctionwatch.sources.base import ParseContext, read_head
from sanctionwatch.sources.ofac.legacy_csv import OFAC_CONS, OFAC_SDN, OfacCsvFormat


def _parse(fmt: OfacCsvFormat, path: Path, lenient: bool = False) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return list(fmt.parse(fmt.resolve(path), ctx)), ctx


def _raw_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="cp1252").rstrip("\x1a")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def ofac(data_dir: Path) -> Path:
    return data_dir / "ofac"


@pytest.fixture(scope="module")
def sdn2024(ofac: Path) -> dict[str, Entity]:
    entities, ctx = _parse(OFAC_SDN, ofac / "sdn-2024-05-03")
    assert ctx.skipped == []
    return {e.id: e for e in entities}


@pytest.fixture(scope="module")
def sdn2022(ofac: Path) -> tuple[list[Entity], ParseContext]:
    return _parse(OFAC_SDN, ofac / "sdn-2022-01-31", lenient=True)


@pytest.fixture(scope="module")
def small(ofac: Path) -> tuple[dict[str, Entity], ParseContext]:
    entities, ctx = _parse(OFAC_SDN, ofac / "fixtures-small", lenient=True)
    return {e.id: e for e in entities}, ctx


# --- counts -----------------------------------------------------------------------------------------


def test_2024_counts_by_schema(sdn2024: dict[str, Entity]) -> None:
    # README: 14,965 entries = 6,854 individual / 6,884 entity / 851 vessel / 376 aircraft.
    assert len(sdn2024) == 14_965
    assert Counter(e.schema for e in sdn2024.values()) == {
        Schema.PERSON: 6_854,
        Schema.ORGANIZATION: 6_884,
        Schema.VESSEL: 851,
        Schema.AIRCRAFT: 376,
    }
    assert all(e.list_key == "us-ofac-sdn" and e.id == f"us-ofac-sdn:{e.native_id}" for e in sdn2024.values())


def test_2022_counts_aliases_and_duplicate_id(sdn2022: tuple[list[Entity], ParseContext]) -> None:
    entities, _ = sdn2022
    # README: 9,044 entries (4,643 individual, 3,701 entity, 420 vessel, 280 aircraft).
    assert len(entities) == 9_044
    assert Counter(e.schema for e in entities) == {
        Schema.PERSON: 4_643,
        Schema.ORGANIZATION: 3_701,
        Schema.VESSEL: 420,
        Schema.AIRCRAFT: 280,
    }
    # ent_num 2677 twice (grep -n '^2677,' sdn.csv: lines 57 and 9044): both yielded, not merged.
    twice = [e for e in entities if e.id == "us-ofac-sdn:2677"]
    assert [e.caption for e in twice] == [
        "AL-ZOMOR, Abboud Abdul Latif Hassan",
        "HAMER AND NAIL CONSTRUCTION LIMITED",
    ]
    # The 5 alt.csv rows of 2677 (grep -c '^2677,' alt.csv) go to the first row only.
    assert [len(e.names) for e in twice] == [6, 1]
    # README: 12,409 aliases; grep -c ',aka,' / ',fka,' / ',nka,' alt.csv: 12,036 / 354 / 19.
    strong = Counter(
        n.kind for e in entities for n in e.names if n.kind is not NameKind.PRIMARY and not n.weak
    )
    assert strong == {NameKind.AKA: 12_036, NameKind.FKA: 354, NameKind.NKA: 19}
    # The last alt.csv line, "34111,234234,aka,Another name," (empty alt_remarks), counts too.
    assert "Another name" in {n.full for e in entities if e.id == "us-ofac-sdn:34111" for n in e.names}


def test_2022_addresses_all_accounted(sdn2022: tuple[list[Entity], ParseContext]) -> None:
    entities, ctx = sdn2022
    # README: 13,625 addresses (add.csv rows). Of those, 2,328 are "-0-" in every column
    # (grep -c '^[0-9]*,[0-9]*,-0- ,-0- ,-0- ,-0- *$' add.csv) and carry no address, and the last row
    # (34489) points at an ent_num absent from sdn.csv (grep -c '^34489,' sdn.csv → 0).
    attached = sum(len(e.addresses) for e in entities)
    assert attached + 2_328 + 1 == 13_625
    assert [(Path(s.path).name, s.location, s.reason) for s in ctx.skipped] == [
        ("add.csv", "line 13625", "ent_num '34489' is not in sdn.csv")
    ]
    # Countries of addresses feed Entity.countries (line 2: "173,129,...,"United Kingdom",-0-").
    anglo = next(e for e in entities if e.id == "us-ofac-sdn:173")
    assert anglo.addresses[0].country == "GB"
    assert anglo.addresses[0].city == "London EC3N 1DY"
    assert "GB" in anglo.countries


def test_2022_strict_reports_orphan_address(ofac: Path) -> None:
    with pytest.raises(ListFileError, match=r"add\.csv:line 13625: ent_num '34489' is not in sdn\.csv"):
        _parse(OFAC_SDN, ofac / "sdn-2022-01-31")


def test_cons_2025(ofac: Path) -> None:
    entities, ctx = _parse(OFAC_CONS, ofac / "cons-2025-12")
    assert ctx.skipped == []
    assert len(entities) == 442  # README
    assert all(e.id.startswith("us-ofac-cons:") for e in entities)
    # wc -l cons_prim.csv; cut -d, -f3 | sort | uniq -c: 79 "individual", 363 -0-.
    assert Counter(e.schema for e in entities) == {Schema.PERSON: 79, Schema.ORGANIZATION: 363}
    # cons_comments.csv continues 17014's remarks ("...Registration Numbe" + "r 1027700342890 ...").
    rusag = next(e for e in entities if e.id == "us-ofac-cons:17014")
    assert rusag.remarks is not None and "Registration Number 1027700342890 (Russia)" in rusag.remarks
    assert any(n.full == "RUSAG" and n.weak for n in rusag.names)
    assert any(i.value == "1027700342890" and i.country == "RU" for i in rusag.identifiers)


def test_fixtures_small(small: tuple[dict[str, Entity], ParseContext]) -> None:
    entities, ctx = small
    assert len(entities) == 17  # README
    # add.csv / alt.csv of the fixture hold rows of entities not in its sdn.csv (grep '^12562,' sdn.csv
    # finds nothing): 4 address rows and 5 alias rows, each reported, none silently dropped.
    assert Counter(Path(s.path).name for s in ctx.skipped) == {"add.csv": 4, "alt.csv": 5}
    assert {s.reason for s in ctx.skipped} >= {"ent_num '12562' is not in sdn.csv"}


# --- known entities ---------------------------------------------------------------------------------


def test_kim_jong_un(sdn2024: dict[str, Entity]) -> None:
    kim = sdn2024["us-ofac-sdn:20157"]
    assert kim.schema is Schema.PERSON
    assert kim.caption == "KIM, Jong Un"
    assert (kim.names[0].last, kim.names[0].first) == ("KIM", "Jong Un")
    assert [b.date for b in kim.birth_dates] == ["1984-01-08"]
    assert kim.birth_dates[0].precision == "day"
    assert kim.programs == ("DPRK3",)
    assert kim.titles == ("Chairman of the Workers' Party of Korea",)


def test_dprk_entities(sdn2024: dict[str, Entity]) -> None:
    komid = sdn2024["us-ofac-sdn:9345"]
    assert komid.schema is Schema.ORGANIZATION
    assert komid.programs == ("NPWMD", "DPRK2")
    weak = [n for n in komid.names if n.weak]
    assert [(n.full, n.kind) for n in weak] == [("KOMID", NameKind.AKA)]
    assert sdn2024["us-ofac-sdn:9346"].caption == "TANCHON COMMERCIAL BANK"
    assert sdn2024["us-ofac-sdn:11581"].caption == "KOREA KWANGSON BANKING CORP"


def test_dprk_vessels_imo(sdn2024: dict[str, Entity]) -> None:
    # README: "105 DPRK vessels with IMO numbers in remarks". grep -P ',"vessel","[^"]*DPRK' sdn.csv
    # gives 105 rows; 104 write "IMO 1234567"; 17104 RYONG GUN BONG writes "Vessel Registration
    # Identification 8606173." without the word IMO (8606173 has a valid IMO check digit).
    dprk = [e for e in sdn2024.values() if e.schema is Schema.VESSEL and any("DPRK" in p for p in e.programs)]
    assert len(dprk) == 105
    assert sum(any(i.type is IdType.IMO for i in e.identifiers) for e in dprk) == 105
    ryong = sdn2024["us-ofac-sdn:17104"]
    assert [(i.type, i.value) for i in ryong.identifiers] == [(IdType.IMO, "8606173")]


def test_known_vessel(sdn2024: dict[str, Entity]) -> None:
    # 17069,"CHONG CHON GANG","vessel","DPRK",...,"General Cargo",...,"Democratic People's Republic
    # of Korea",-0- ,"...; Vessel Registration Identification IMO 7937317."
    ship = sdn2024["us-ofac-sdn:17069"]
    assert ship.schema is Schema.VESSEL
    assert ship.flag == "KP"
    assert ship.vessel_type == "General Cargo"
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "7937317")]
    assert "KP" in ship.countries


def test_vessel_columns(small: tuple[dict[str, Entity], ParseContext]) -> None:
    # 52327,"TASCA","vessel","IRAN-EO13846",-0- ,"3E2647","Crude Oil Tanker",-0- ,-0- ,"Panama",-0- ,
    # "Vessel Registration Identification IMO 9313149; MMSI 352002494; Linked To: BRECALIN HONG KONG CO LTD."
    tasca = small[0]["us-ofac-sdn:52327"]
    assert tasca.flag == "PA"
    assert tasca.vessel_type == "Crude Oil Tanker"
    assert {(i.type, i.value) for i in tasca.identifiers} == {
        (IdType.CALL_SIGN, "3E2647"),
        (IdType.IMO, "9313149"),
        (IdType.MMSI, "352002494"),
    }
    assert [(x.relation, x.target_name) for x in tasca.links] == [("linked_to", "BRECALIN HONG KONG CO LTD")]


def test_vessel_owner_and_tonnage(sdn2022: tuple[list[Entity], ParseContext], ofac: Path) -> None:
    rows = {r[0]: r for r in _raw_rows(ofac / "sdn-2022-01-31" / "sdn.csv")}
    owned = [r for r in rows.values() if r[10].strip() != "-0-"]
    assert owned  # grep shows e.g. vessels owned by "NITC"
    by_id = {e.id: e for e in sdn2022[0]}
    for row in owned:
        entity = by_id[f"us-ofac-sdn:{row[0]}"]
        assert ("owner", row[10].strip()) in {(x.relation, x.target_name) for x in entity.links}
    tonnage = [r for r in rows.values() if r[7].strip() != "-0-"]
    for row in tonnage:
        assert (by_id[f"us-ofac-sdn:{row[0]}"].tonnage or "").startswith(row[7].strip())


def test_individual_remarks(small: tuple[dict[str, Entity], ParseContext]) -> None:
    # 10278,"LOGAN MOREY, Elvis Angus","individual","SDNT",...,"DOB 28 Jul 1963; POB Toledo District,
    # Belize; Passport P0017003 (Belize); SSN 561-77-9011 (United States); a.k.a. 'BURTON BURGESS'."
    logan = small[0]["us-ofac-sdn:10278"]
    assert (logan.names[0].last, logan.names[0].first) == ("LOGAN MOREY", "Elvis Angus")
    assert [b.date for b in logan.birth_dates] == ["1963-07-28"]
    assert [(p.text, p.country) for p in logan.birth_places] == [("Toledo District, Belize", "BZ")]
    assert {(i.type, i.value, i.country) for i in logan.identifiers} == {
        (IdType.PASSPORT, "P0017003", "BZ"),
        (IdType.NATIONAL_ID, "561-77-9011", "US"),
    }
    assert [(n.full, n.weak) for n in logan.names[1:]] == [("BURTON BURGESS", True)]
    assert logan.addresses == ()  # its add.csv row is "-0-" in every column


def test_aliases_and_addresses_from_companions(small: tuple[dict[str, Entity], ParseContext]) -> None:
    moreno = small[0]["us-ofac-sdn:15102"]
    # alt.csv: 15102,22122,"aka","MORENO JR., Daniel Gonzalo",-0-
    alias = moreno.names[1]
    assert (alias.full, alias.kind, alias.weak) == ("MORENO JR., Daniel Gonzalo", NameKind.AKA, False)
    assert (alias.last, alias.first) == ("MORENO JR.", "Daniel Gonzalo")
    # add.csv: three addresses in Belize (Corozal, Ladyville x2).
    assert [(a.city, a.country) for a in moreno.addresses] == [
        ("Corozal", "BZ"),
        ("Ladyville", "BZ"),
        ("Ladyville", "BZ"),
    ]
    assert moreno.addresses[0].text == "50 6th  Ave., Corozal, Belize"
    assert moreno.countries == ("BZ",)


def test_organization_remarks(small: tuple[dict[str, Entity], ParseContext]) -> None:
    # 44525 BEL-KAP-STEEL LLC: "Organization Established Date 1998; Tax ID No. 52-2083095 (United
    # States); Business Registration Number 0582030 (Connecticut) (United States); ..."
    steel = small[0]["us-ofac-sdn:44525"]
    assert [(b.date, b.precision) for b in steel.birth_dates] == [("1998", "year")]
    registration = next(i for i in steel.identifiers if i.value == "0582030")
    assert (registration.type, registration.country, registration.note) == (
        IdType.REGISTRATION,
        "US",
        "(Connecticut)",
    )
    assert any(i.type is IdType.TAX_ID and i.value == "52-2083095" for i in steel.identifiers)


def test_aircraft(small: tuple[dict[str, Entity], ParseContext]) -> None:
    # 48727 EP-PUS: "Aircraft Manufacturer's Serial Number (MSN) 1023409321; ...; Linked To: POUYA AIR."
    plane = small[0]["us-ofac-sdn:48727"]
    assert plane.schema is Schema.AIRCRAFT
    assert plane.programs == ("SDGT", "NPWMD", "IRGC", "IFSR")
    assert any(i.type is IdType.AIRCRAFT_SERIAL and i.value == "1023409321" for i in plane.identifiers)
    # 20540 P-532: "Aircraft Operator Air Koryo".
    assert ("operator", "Air Koryo") in {
        (x.relation, x.target_name) for x in small[0]["us-ofac-sdn:20540"].links
    }


def test_comments_continue_remarks(small: tuple[dict[str, Entity], ParseContext], ofac: Path) -> None:
    folder = ofac / "fixtures-small"
    main = {r[0]: r[11] for r in _raw_rows(folder / "sdn.csv")}
    comment = {r[0]: r[1] for r in _raw_rows(folder / "sdn_comments.csv")}
    suex = small[0]["us-ofac-sdn:33151"]
    assert suex.remarks == main["33151"] + comment["33151"]
    # The continuation holds clauses of its own: "... Organization Established Date 25 Sep 2018 ...".
    assert "2018-09-25" in {b.date for b in suex.birth_dates}


def test_dob_forms(sdn2024: dict[str, Entity]) -> None:
    # grep -P 'DOB circa 1960' / 'DOB 19[0-9]{2} to 19[0-9]{2}' / 'DOB [A-Z][a-z]{2} 19[0-9]{2}' sdn.csv
    maleki = sdn2024["us-ofac-sdn:10609"].birth_dates[0]  # "DOB circa 1960; nationality Iran; ..."
    assert (maleki.date, maleki.circa, maleki.to, maleki.precision) == ("1960", True, None, "year")
    nishiguchi = sdn2024["us-ofac-sdn:15496"].birth_dates[0]  # "DOB 1929 to 1930; Linked To: ..."
    assert (nishiguchi.date, nishiguchi.circa, nishiguchi.to) == ("1929", False, "1930")
    hamieh = sdn2024["us-ofac-sdn:6862"].birth_dates[0]  # "DOB Sep 1938."
    assert (hamieh.date, hamieh.precision) == ("1938-09", "month")
    jega = sdn2024["us-ofac-sdn:13108"]  # "DOB 1965; nationality Nigeria; ..."
    assert [(b.date, b.precision) for b in jega.birth_dates] == [("1965", "year")]
    assert jega.nationalities == ("NG",)


def test_every_dob_read(sdn2024: dict[str, Entity], ofac: Path) -> None:
    # Each distinct "DOB ..." clause of an individual becomes one birth date (7,534 clauses:
    # grep -o 'DOB ' sdn.csv | wc -l; one entity lists the same date twice).
    dob = re.compile(r"(?:^|;\s*)(?:alt\. )?DOB ([^;]*)")
    for row in _raw_rows(ofac / "sdn-2024-05-03" / "sdn.csv"):
        if row[2] != "individual":
            continue
        distinct = {m.group(1).strip().rstrip(".") for m in dob.finditer(row[11])}
        assert len(sdn2024[f"us-ofac-sdn:{row[0]}"].birth_dates) == len(distinct), row[0]


def test_linked_to(sdn2024: dict[str, Entity]) -> None:
    # 15496 NISHIGUCHI: "Linked To: SUMIYOSHI-KAI." (last clause; the full stop ends the remarks).
    link = sdn2024["us-ofac-sdn:15496"].links[0]
    assert (link.relation, link.target_name) == ("linked_to", "SUMIYOSHI-KAI")
    target = sdn2024[link.target_id or ""]
    assert target.caption == "SUMIYOSHI-KAI"


def test_linked_to_keeps_own_full_stop(sdn2024: dict[str, Entity]) -> None:
    # Names ending in "CO., LTD." keep their full stop when linked in the middle of the remarks.
    targets = {x.target_name for e in sdn2024.values() for x in e.links}
    assert "FUZHOU HONGLONG OCEAN FISHING CO., LTD." in targets
    assert "FUZHOU HONGLONG OCEAN FISHING CO., LTD" not in targets


def test_remarks_round_trip(sdn2024: dict[str, Entity], ofac: Path) -> None:
    for row in _raw_rows(ofac / "sdn-2024-05-03" / "sdn.csv"):
        expected = None if row[11].strip() == "-0-" else row[11].strip()
        assert sdn2024[f"us-ofac-sdn:{row[0]}"].remarks == expected, row[0]


def test_programs_split(sdn2024: dict[str, Entity], ofac: Path) -> None:
    for row in _raw_rows(ofac / "sdn-2024-05-03" / "sdn.csv")[:2000]:
        expected = () if row[3].strip() == "-0-" else tuple(row[3].split("] ["))
        assert sdn2024[f"us-ofac-sdn:{row[0]}"].programs == expected


# --- sniff, resolve, urls ---------------------------------------------------------------------------


def test_sniff_real_files(ofac: Path) -> None:
    for path in sorted(ofac.rglob("*.csv")):
        head = read_head(path)
        cons = path.name.startswith("cons")
        assert OFAC_CONS.sniff(path, head) is cons, path
        assert OFAC_SDN.sniff(path, head) is not cons, path


def test_sniff_by_content_not_name(ofac: Path, tmp_path: Path) -> None:
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        renamed = tmp_path / f"export-{name}.txt"
        renamed.write_bytes((ofac / "fixtures-small" / name).read_bytes())
        assert OFAC_SDN.sniff(renamed, read_head(renamed)), name
    other = tmp_path / "sdn.csv"
    other.write_bytes((ofac.parent / "un" / "consolidated-2026-02-27.xml").read_bytes()[:8192])
    assert not OFAC_SDN.sniff(other, read_head(other))


def test_resolve(ofac: Path) -> None:
    only_main = OFAC_SDN.resolve(ofac / "sdn-2024-05-03")
    assert [p.name for p in only_main.paths] == ["sdn.csv"]
    assert (only_main.format_key, only_main.list_key) == ("us-ofac-sdn", "us-ofac-sdn")
    from_alias_file = OFAC_SDN.resolve(ofac / "sdn-2022-01-31" / "alt.csv")
    assert [p.name for p in from_alias_file.paths] == ["sdn.csv", "add.csv", "alt.csv"]
    cons = OFAC_CONS.resolve(ofac / "cons-2025-12" / "cons_comments.csv")
    assert [p.name for p in cons.paths] == [
        "cons_prim.csv",
        "cons_add.csv",
        "cons_alt.csv",
        "cons_comments.csv",
    ]


def test_resolve_official_upper_case_names(ofac: Path, tmp_path: Path) -> None:
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        (tmp_path / name.upper()).write_bytes((ofac / "fixtures-small" / name).read_bytes())
    files = OFAC_SDN.resolve(tmp_path / "ALT.CSV")
    assert [p.name for p in files.paths] == ["SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"]
    entities = list(OFAC_SDN.parse(files, ParseContext(lenient=True)))
    assert len(entities) == 17


def test_resolve_main_under_another_name(ofac: Path, tmp_path: Path) -> None:
    (tmp_path / "sdn-2025.csv").write_bytes((ofac / "fixtures-small" / "sdn.csv").read_bytes())
    (tmp_path / "notes.txt").write_text("not a list file")
    assert [p.name for p in OFAC_SDN.resolve(tmp_path).paths] == ["sdn-2025.csv"]


def test_resolve_missing_main(ofac: Path, tmp_path: Path) -> None:
    (tmp_path / "add.csv").write_bytes((ofac / "fixtures-small" / "add.csv").read_bytes())
    with pytest.raises(ListFileError, match=r"sdn\.csv.*missing"):
        OFAC_SDN.resolve(tmp_path / "add.csv")
    with pytest.raises(ListFileError, match=rf"{re.escape(str(tmp_path))}: no sdn\.csv"):
        OFAC_SDN.resolve(tmp_path)


def test_resolve_not_ofac(data_dir: Path) -> None:
    un = data_dir / "un" / "consolidated-2026-02-27.xml"
    with pytest.raises(ListFileError, match=re.escape(str(un))):
        OFAC_SDN.resolve(un)


def test_resolve_cons_file_as_sdn(ofac: Path) -> None:
    with pytest.raises(ListFileError, match="us-ofac-cons"):
        OFAC_SDN.resolve(ofac / "cons-2025-12" / "cons_add.csv")


def test_urls_and_published(ofac: Path) -> None:
    base = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert OFAC_SDN.urls["SDN.CSV"] == base + "SDN.CSV"
    assert set(OFAC_SDN.urls) == {"SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"}
    assert set(OFAC_CONS.urls) == {"CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"}
    assert OFAC_SDN.published(OFAC_SDN.resolve(ofac / "sdn-2024-05-03")) is None
