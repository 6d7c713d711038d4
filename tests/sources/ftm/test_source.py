"""FollowTheMoney JSON lines and OpenSanctions targets.simple.csv: the real files and broken ones."""

from __future__ import annotations

import csv
import json
import logging
from collections import Counter
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity, IdType, NameKind, Schema
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.ftm.simple import SIMPLE_HEADER, parse_simple
from sanctionwatch.sources.ftm.source import FTM

CSV_HEADER = ",".join(f'"{c}"' for c in SIMPLE_HEADER)


def _simple_row(**cells: str) -> str:
    return ",".join('"' + cells.get(c, "").replace('"', '""') + '"' for c in SIMPLE_HEADER)


def _parse(path: Path, lenient: bool = False) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return list(FTM.parse(FTM.resolve(path), ctx)), ctx


def _by_id(path: Path) -> dict[str, Entity]:
    entities, _ = _parse(path)
    return {e.id: e for e in entities}


@pytest.fixture(scope="module")
def simple_file(data_dir: Path) -> Path:
    return data_dir / "opensanctions" / "ua_war_sanctions_targets.simple.csv"


@pytest.fixture(scope="module")
def json_file(data_dir: Path) -> Path:
    return data_dir / "opensanctions" / "sa_wiki_peps_entities.ftm.json"


@pytest.fixture(scope="module")
def simple(simple_file: Path) -> dict[str, Entity]:
    return _by_id(simple_file)


@pytest.fixture(scope="module")
def peps(json_file: Path) -> dict[str, Entity]:
    return _by_id(json_file)


# --- targets.simple.csv -------------------------------------------------------------------------


def test_simple_counts(simple_file: Path, simple: dict[str, Entity]) -> None:
    entities = simple
    with simple_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert Counter(r["schema"] for r in rows) == {
        "Person": 1543,
        "Company": 1524,
        "Vessel": 1340,
        "LegalEntity": 1193,
    }
    assert len(entities) == 5600
    schemas = Counter(e.schema for e in entities.values())
    assert schemas == {Schema.PERSON: 1543, Schema.ORGANIZATION: 1524 + 1193, Schema.VESSEL: 1340}
    with_imo = [e for e in entities.values() if any(i.type is IdType.IMO for i in e.identifiers)]
    assert len(with_imo) == 2851
    assert set(entities) == {f"ftm:ua_war_sanctions:{r['id']}" for r in rows}


def test_simple_list_key_and_date(simple_file: Path) -> None:
    files = FTM.resolve(simple_file)
    assert (files.format_key, files.list_key) == ("ftm", "ftm:ua_war_sanctions")
    with simple_file.open(encoding="utf-8", newline="") as f:
        latest = max(r["last_seen"] for r in csv.DictReader(f))[:10]
    assert FTM.published(files) == latest == "2026-03-13"


def test_simple_known_vessels(simple: dict[str, Entity]) -> None:
    entities = simple
    rosalin = entities["ftm:ua_war_sanctions:NK-24cf2zYe7LEKhr2zFck73j"]  # line 3 of the file
    assert rosalin.schema is Schema.VESSEL and rosalin.caption == "ROSALIN"
    assert [(n.full, n.kind) for n in rosalin.names[1:]] == [
        ("Ceram Sea", NameKind.AKA),
        ("Gold Sun", NameKind.AKA),
        ("Nurkez", NameKind.AKA),
    ]
    assert rosalin.countries == ("LR", "PA", "SG", "ST")
    assert [(i.type, i.value) for i in rosalin.identifiers] == [(IdType.IMO, "9253325")]
    assert rosalin.programs == ("UA-WS-MARE",)
    centurion = entities["ftm:ua_war_sanctions:NK-2BqYpcHUPgg5MQnG9kYAkB"]  # "667001255;9LU2058;IMO9380673"
    assert [(i.type, i.value) for i in centurion.identifiers] == [
        (IdType.MMSI, "667001255"),
        (IdType.CALL_SIGN, "9LU2058"),
        (IdType.IMO, "9380673"),
    ]
    company = entities["ftm:ua_war_sanctions:NK-24ZomtS59XsEEB94Qcqy7S"]  # Company, "IMO6495856"
    assert company.schema is Schema.ORGANIZATION
    assert [(i.type, i.value, i.label) for i in company.identifiers] == [
        (IdType.IMO, "6495856", "IMO company number")
    ]


def test_simple_person_aliases_in_other_scripts(simple: dict[str, Entity]) -> None:
    ivakha = simple["ftm:ua_war_sanctions:NK-26WkuEefVYLmYk8aTHMC9E"]  # line 5
    assert ivakha.schema is Schema.PERSON
    assert [n.full for n in ivakha.names] == [
        "IVAKHA Denis Vladimirovich",
        "ІВАХА Денис Володимирович",
        "ИВАХА Денис Владимирович",
    ]
    assert ivakha.programs == ("UA-WS-EXECUTIVES",)


# --- FtM JSON lines -----------------------------------------------------------------------------


def test_json_yields_exactly_the_screenable_records(
    json_file: Path, peps: dict[str, Entity], caplog: pytest.LogCaptureFixture
) -> None:
    entities = peps
    with json_file.open(encoding="utf-8") as f:
        schemata = Counter(json.loads(line)["schema"] for line in f)
    assert sum(schemata.values()) == 1565
    assert schemata == {"Family": 756, "Person": 607, "Occupancy": 102, "Position": 100}
    assert len(entities) == schemata["Person"]
    assert all(e.schema is Schema.PERSON and e.list_key == "ftm:sa_wiki_peps" for e in entities.values())
    with caplog.at_level(logging.INFO, logger="sanctionwatch.sources.ftm.source"):
        _parse(json_file)
    assert (
        "skipped 958 non-target FtM record(s) by design: Family 756, Occupancy 102, Position 100"
        in caplog.text
    )


def test_json_known_person(peps: dict[str, Entity]) -> None:
    # Line 524: no "name" property, the caption is among the aliases, "birthCountry" is a bare string.
    prince = peps["ftm:sa_wiki_peps:Q60195440"]
    assert prince.caption == "Abdullah bin Bandar bin Abdulaziz Al Saud"
    assert "عبدالله بن بندر بن عبدالعزيز آل سعود" in {n.full for n in prince.names}
    assert [b.date for b in prince.birth_dates] == ["1986-08-07"]
    assert prince.birth_places[0].text == "Riyadh, Saudi Arabia" and prince.birth_places[0].country == "SA"
    assert prince.nationalities == ("SA",) and prince.gender == "male"
    assert "Minister of National Guard" in prince.titles


def test_json_published(json_file: Path) -> None:
    assert FTM.published(FTM.resolve(json_file)) == "2024-03-14"


def test_sniff(simple_file: Path, json_file: Path, data_dir: Path) -> None:
    assert FTM.sniff(simple_file, simple_file.read_bytes()[:8192])
    assert FTM.sniff(json_file, json_file.read_bytes()[:8192])
    uk = data_dir / "uk" / "conlist-2018-04-13.csv"
    assert not FTM.sniff(uk, uk.read_bytes()[:8192])


# --- dataset names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "key"),
    [
        ("a/ua_war_sanctions_targets.simple.csv", "ftm:ua_war_sanctions"),
        ("us_ofac_sdn/targets.simple.csv", "ftm:us_ofac_sdn"),
        ("a/My Export.CSV", "ftm:my_export"),
        ("peps/entities.ftm.json", "ftm:peps"),
        ("a/ru_rupep.json", "ftm:ru_rupep"),
    ],
)
def test_dataset_key_from_file_name(tmp_path: Path, relative: str, key: str) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if relative.endswith("json"):
        path.write_text('{"id": "x1", "schema": "Person", "properties": {"name": ["X"]}}\n', encoding="utf-8")
    else:
        path.write_text(
            CSV_HEADER + "\n" + _simple_row(id="x1", schema="Person", name="X") + "\n", encoding="utf-8"
        )
    files = FTM.resolve(path)
    assert files.list_key == key
    assert [e.id for e in FTM.parse(files, ParseContext())] == [f"{key}:x1"]


# --- broken files -------------------------------------------------------------------------------


def test_simple_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x_targets.simple.csv"
    path.write_text(CSV_HEADER.replace(',"aliases"', "") + "\n", encoding="utf-8")
    with pytest.raises(ListFileError, match="not a FollowTheMoney JSON lines file"):
        FTM.resolve(path)  # not sniffed as the simple CSV: the header must be exact
    # Parsing it anyway names the missing column.
    with pytest.raises(ListFileError, match=r"missing column\(s\) 'aliases'") as exc:
        list(parse_simple(path, "x", ParseContext(), Counter()))
    assert exc.value.location == "line 1"


def test_simple_truncated(tmp_path: Path) -> None:
    path = tmp_path / "x_targets.simple.csv"
    good = _simple_row(id="a", schema="Person", name="Anna")
    cut = _simple_row(id="b", schema="Person", name="Boris", sanctions="Listed for reasons")[:-60]
    path.write_text("\n".join([CSV_HEADER, good, cut]), encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.reason.startswith("file is truncated")
    assert exc.value.location == "line 3" and exc.value.path == str(path)
    entities, ctx = _parse(path, lenient=True)
    assert [e.caption for e in entities] == ["Anna"] and len(ctx.skipped) == 1


def test_json_truncated(tmp_path: Path) -> None:
    path = tmp_path / "x.ftm.json"
    lines = [
        '{"id": "a", "schema": "Person", "properties": {"name": ["Anna"]}}',
        '{"id": "b", "schema": "Pers',
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert exc.value.reason.startswith("file is truncated")
    assert exc.value.location == "line 2"
    entities, ctx = _parse(path, lenient=True)
    assert [e.caption for e in entities] == ["Anna"]
    assert ctx.skipped[0].reason.startswith(
        "file is truncated: the last line is cut in the middle of a JSON object"
    )


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.ftm.json"
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["Anna"]}}\n', encoding="utf-16")
    with pytest.raises(ListFileError) as exc:
        FTM.resolve(path)
    assert "UTF-16" in exc.value.reason


def test_wrong_format_via_source(data_dir: Path) -> None:
    uk = data_dir / "uk" / "conlist-2018-04-13.csv"
    with pytest.raises(ListFileError, match=r"nor an OpenSanctions targets\.simple\.csv") as exc:
        FTM.resolve(uk)
    assert exc.value.path == str(uk) and exc.value.location == "line 1"


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"schema": "Person", "properties": {"name": ["No Id"]}}, "no id"),
        ({"id": "p2", "schema": "Person", "properties": {"notes": ["nameless"]}}, "no name"),
        (
            {"id": "p3", "schema": "Persn", "properties": {"name": ["Typo"]}},
            "unknown FollowTheMoney schema 'Persn'",
        ),
        ({"id": "p4", "schema": "Person", "properties": {"name": [{"nested": 1}]}}, "expected strings"),
    ],
)
def test_json_bad_record(tmp_path: Path, record: dict[str, object], reason: str) -> None:
    path = tmp_path / "x.ftm.json"
    good = {"id": "p1", "schema": "Person", "properties": {"name": ["Anna"]}}
    position = {"id": "pos", "schema": "Position", "properties": {"name": ["Minister"]}}
    path.write_text("\n".join(json.dumps(r) for r in (good, position, record)) + "\n", encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert reason in exc.value.reason
    assert exc.value.location == "line 3"
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["ftm:x:p1"]  # the Position is skipped by design, not an error
    assert len(ctx.skipped) == 1 and reason in ctx.skipped[0].reason


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_simple_row(id="", schema="Person", name="No Id"), "no id"),
        (_simple_row(id="b", schema="Person", name=""), "no name"),
    ],
)
def test_simple_bad_row(tmp_path: Path, row: str, reason: str) -> None:
    path = tmp_path / "x_targets.simple.csv"
    path.write_text(
        "\n".join([CSV_HEADER, _simple_row(id="a", schema="Vessel", name="A"), row]) + "\n", "utf-8"
    )
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert reason in exc.value.reason
    assert exc.value.location == "line 3"
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["ftm:x:a"] and len(ctx.skipped) == 1
