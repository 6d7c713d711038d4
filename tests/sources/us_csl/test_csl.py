"""US Consolidated Screening List CSV: the real subset file (truncated at its end) and broken files."""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, IdType, NameKind, Schema
from sanctionwatch.sources.base import ListFiles, ParseContext
from sanctionwatch.sources.us_csl.csl import US_CSL

HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,"
    "end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
    "dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
)
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
LAST_LINE = 4233


def _row(**cells: str) -> str:
    return ",".join('"' + cells.get(c, "").replace('"', '""') + '"' for c in HEADER.split(","))


def _write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "consolidated.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _parse(path: Path, lenient: bool = False) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return list(US_CSL.parse(US_CSL.resolve(path), ctx)), ctx


@pytest.fixture(scope="module")
def csl_file(data_dir: Path) -> Path:
    return data_dir / "us-csl" / "consolidated-subset.csv"


@pytest.fixture(scope="module")
def raw(csl_file: Path) -> tuple[list[str], list[list[str]]]:
    """Header and records, read independently with the (non-strict) csv module."""
    with csl_file.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


@pytest.fixture(scope="module")
def parsed(csl_file: Path) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=True)
    entities = list(US_CSL.parse(US_CSL.resolve(csl_file), ctx))
    return {e.id: e for e in entities}, ctx


def test_the_subset_is_cut_inside_its_last_record(
    csl_file: Path, raw: tuple[list[str], list[list[str]]]
) -> None:
    header, records = raw
    assert len(records) == 4228  # the data README's "about 4,228 rows"
    assert records[0] == header  # line 2 repeats the header
    assert len(records[-1]) < len(header)  # the lax csv module returns the cut record short
    data = csl_file.read_bytes()
    assert not data.endswith(b"\n") and data.rsplit(b"\n", 1)[1].count(b'"') % 2 == 1
    with pytest.raises(ListFileError) as exc:
        _parse(csl_file)
    assert exc.value.reason.startswith("file is truncated")
    assert exc.value.location == f"line {LAST_LINE}" and exc.value.path == str(csl_file)


def test_lenient_counts(
    raw: tuple[list[str], list[list[str]]], parsed: tuple[dict[str, Entity], ParseContext]
) -> None:
    header, records = raw
    entities, ctx = parsed
    complete = [r for r in records[1:] if len(r) == len(header)]
    assert len(complete) == 4226
    assert [(s.location, s.reason) for s in ctx.skipped] == [
        (f"line {LAST_LINE}", "file is truncated: it ends inside a quoted field")
    ]
    ids = {r[0] for r in complete}
    assert set(entities) == {f"us-csl:{i}" for i in ids}
    assert len(ids) == 4219  # seven _ids appear on two lists each
    vessels = {f"us-csl:{r[0]}" for r in complete if r[3] == "Vessel"}
    assert {e.id for e in entities.values() if e.schema is Schema.VESSEL} == vessels
    individuals = {f"us-csl:{r[0]}" for r in complete if r[3] == "Individual"}
    assert individuals <= {e.id for e in entities.values() if e.schema is Schema.PERSON}


def test_repeated_header_is_skipped_and_reported(csl_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="sanctionwatch.sources.us_csl.csl"):
        entities, _ = _parse(csl_file, lenient=True)
    assert "skipped 1 repeated header row(s) at line(s) [2]" in caplog.text
    assert "merged 7 row(s)" in caplog.text
    assert all(e.caption != "name" for e in entities)


def test_rows_sharing_an_id_merge(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    bank = parsed[0]["us-csl:17014"]  # on the NS-MBS list and the SSI list
    assert bank.caption == "Joint Stock Company Russian Agricultural Bank"
    assert {"NS-MBS List", "SSI", "UKRAINE-EO13662"} <= set(bank.programs)
    assert bank.remarks and "Sectoral Sanctions Identifications List (SSI)" in bank.remarks
    assert "Rosselkhozbank" in {n.full for n in bank.names}


def test_known_rows(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities = parsed[0]
    evren = entities["us-csl:26182"]  # line 13: "Passport, U00242309, TR; Gender, Male", DOB 1980-02-08
    assert evren.schema is Schema.PERSON and evren.programs == ("FSE", "FSE-IR")
    assert [(i.type, i.value, i.country) for i in evren.identifiers] == [(IdType.PASSPORT, "U00242309", "TR")]
    assert evren.gender == "male" and evren.nationalities == ("TR",)
    assert [b.date for b in evren.birth_dates] == ["1980-02-08"]
    tikriti = entities["us-csl:7849"]  # "circa 1962", born "al-Awja, near Tikrit, Iraq"
    assert (tikriti.birth_dates[0].date, tikriti.birth_dates[0].circa) == ("1962", True)
    assert tikriti.birth_places[0].country == "IQ"
    assert (tikriti.names[0].last, tikriti.names[0].first) == ("AL-TIKRITI", "Hani abd-al-Latif Tilfah")
    ebano = entities["us-csl:4243"]  # Vessel, flag Panama, "Vessel Registration Identification, IMO 7406784"
    assert ebano.schema is Schema.VESSEL and ebano.flag == "PA" and ebano.vessel_type == "General Cargo"
    assert [(i.type, i.value) for i in ebano.identifiers] == [(IdType.IMO, "7406784")]
    assert [(n.full, n.kind) for n in ebano.names[1:]] == [
        ("ANA I", NameKind.AKA),
        ("SAND SWAN", NameKind.AKA),
    ]
    vtb = entities["us-csl:17013"]
    assert {(i.type, i.value) for i in vtb.identifiers} >= {
        (IdType.SWIFT_BIC, "VTBRRUMM"),
        (IdType.TAX_ID, "7702070139"),
        (IdType.LEI, "253400V1H6ART1UQ0N98"),
    }
    assert vtb.remarks and "Website: www.vtb.com" in vtb.remarks
    cerdos = entities["us-csl:6531"]  # line 1403: "NIT #, 800018928-0, CO" (a label holding "#")
    assert [(i.type, i.value, i.country, i.label) for i in cerdos.identifiers] == [
        (IdType.TAX_ID, "800018928-0", "CO", "NIT #")
    ]


def test_untyped_rows_get_an_inferred_schema(parsed: tuple[dict[str, Entity], ParseContext]) -> None:
    entities = parsed[0]
    maricola = entities["us-csl:02faa8efcb481677052275107772f9f0e57a97ece54b90c68a161396"]  # DPL, line 404
    assert maricola.caption == "DAVID L. MARICOLA" and maricola.schema is Schema.PERSON
    assert maricola.programs == ("DPL",)
    assert maricola.remarks and "Schema inferred as Person from the name" in maricola.remarks
    hongbo = entities["us-csl:0906ab56413f844732093920ff78f7d5d8a9f2d00caa2893329ac73b"]  # UVL, line 154
    assert hongbo.schema is Schema.ORGANIZATION and hongbo.programs == ("UVL",)


def test_sniff_and_folder(csl_file: Path, data_dir: Path) -> None:
    assert US_CSL.sniff(csl_file, csl_file.read_bytes()[:8192])
    uk = data_dir / "uk" / "conlist-2018-04-13.csv"
    assert not US_CSL.sniff(uk, uk.read_bytes()[:8192])
    assert US_CSL.resolve(data_dir / "us-csl") == ListFiles("us-csl", "us-csl", (csl_file,))
    assert US_CSL.published(US_CSL.resolve(csl_file)) is None


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER.replace(",alt_names", "")])
    with pytest.raises(ListFileError, match=r"missing column.*'alt_names'") as exc:
        US_CSL.resolve(path)
    assert exc.value.path == str(path) and exc.value.location == "line 1"


def test_truncated_file(tmp_path: Path) -> None:
    lines = [HEADER, _row(_id="1", source=SDN, name="ONE"), _row(_id="2", source=SDN, name="TWO")[:-40]]
    path = tmp_path / "consolidated.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.reason.startswith("file is truncated")
    assert exc.value.location == "line 3"
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["us-csl:1"] and len(ctx.skipped) == 1


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, [HEADER, _row(_id="1", source=SDN, name="ONE")], encoding="utf-16")
    with pytest.raises(ListFileError) as exc:
        US_CSL.resolve(path)
    assert "UTF-16" in exc.value.reason


def test_wrong_format_via_source(data_dir: Path) -> None:
    with pytest.raises(ListFileError, match=r"missing column.*'_id'"):
        US_CSL.resolve(data_dir / "uk" / "conlist-2018-04-13.csv")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row(_id="", source=SDN, name="NO ID"), "no _id"),
        (_row(_id="9", source=SDN, name=""), "has no name"),
        (_row(_id="9", source=SDN, name="X", type="Robot"), "unknown type 'Robot'"),
    ],
)
def test_bad_row_strict_and_lenient(tmp_path: Path, row: str, reason: str) -> None:
    path = _write(tmp_path, [HEADER, _row(_id="1", source=SDN, name="ONE", type="Entity"), row])
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert reason in exc.value.reason
    assert exc.value.location == "line 3"
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["us-csl:1"]
    assert len(ctx.skipped) == 1 and reason in ctx.skipped[0].reason
