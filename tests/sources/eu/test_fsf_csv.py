"""EU FSF CSV (format ``eu-fsf-csv``, list ``eu-fsf``): the 1.1 layout equal to the XML, the real 1.0 file.

``fixtures/eu-fsf-1.1-excerpt.csv`` holds the entities of ``fixtures/eu-fsf-1.1-excerpt.xml`` in the
1.1 CSV layout (one row per name alias, address, birth date, identification and citizenship, the
entity's columns repeated). ``../shared/data/eu/fsf-csv-v1.0-first1000lines.csv`` is the real 1.0 CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ListFiles, ParseContext
from sanctionwatch.sources.eu.fsf import EU_FSF
from sanctionwatch.sources.eu.fsf_csv import EU_FSF_CSV
from sanctionwatch.sources.registry import detect

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _parse(path: Path, lenient: bool = False) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return {e.id: e for e in EU_FSF_CSV.parse(EU_FSF_CSV.resolve(path), ctx)}, ctx


def _strong(entity: Entity) -> dict[str, Any]:
    data = entity.to_dict()
    data["names"] = [{k: v for k, v in n.items() if k != "weak"} for n in data["names"]]
    return data


def test_v11_csv_equals_the_xml_field_by_field_but_the_strong_flag() -> None:
    from_csv, ctx = _parse(FIXTURES / "eu-fsf-1.1-excerpt.csv")
    assert ctx.skipped == []
    xml = FIXTURES / "eu-fsf-1.1-excerpt.xml"
    from_xml = {e.id: e for e in EU_FSF.parse(EU_FSF.resolve(xml), ParseContext())}
    assert len(from_csv) == 8 and sorted(from_csv) == sorted(from_xml)
    for key, entity in from_xml.items():
        assert _strong(from_csv[key]) == _strong(entity), key
    assert not [n for e in from_csv.values() for n in e.names if n.weak]  # the CSV has no strong column
    assert EU_FSF_CSV.published(EU_FSF_CSV.resolve(FIXTURES / "eu-fsf-1.1-excerpt.csv")) == "2024-03-14"


def test_real_v10_csv_has_the_ids_of_the_xml(data_dir: Path) -> None:
    path = data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"
    entities, ctx = _parse(path)
    assert ctx.skipped == []
    assert len(entities) == 93  # ../shared/data/README.md: 93 entities
    assert EU_FSF_CSV.published(EU_FSF_CSV.resolve(path)) == "2018-07-04"
    mugabe = entities["eu-fsf:1"]
    assert mugabe.names[0].full == "Robert Gabriel Mugabe" and [b.date for b in mugabe.birth_dates] == [
        "1924-02-21"
    ]
    # Every entity is the one the 2016 XML file lists under the same id: same schema, a name in common.
    xml = data_dir / "eu" / "fsf-v1.0-2016-02-11-subset.xml"
    same_ids = {e.id: e for e in EU_FSF.parse(EU_FSF.resolve(xml), ParseContext(lenient=True))}
    assert set(entities) <= set(same_ids)
    for key, entity in entities.items():
        other = same_ids[key]
        assert entity.schema is other.schema, key
        assert {n.full.casefold() for n in entity.names} & {n.full.casefold() for n in other.names}, key


def test_bad_rows_name_line_and_field(tmp_path: Path) -> None:
    text = (FIXTURES / "eu-fsf-1.1-excerpt.csv").read_text(encoding="utf-8-sig").splitlines()
    fields = text[1].split(";")
    fields[1] = ""
    path = tmp_path / "x.csv"
    path.write_text("\n".join([text[0], ";".join(fields), *text[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(ListFileError) as exc:
        _parse(path)
    assert (exc.value.location, exc.value.reason) == ("line 2", "field 'Entity_LogicalId' is empty")
    entities, ctx = _parse(path, lenient=True)
    # Entity 1 is left with its birth date and passport rows only: it has no name, and says so.
    assert len(entities) == 7 and "eu-fsf:1" not in entities
    assert [s.location for s in ctx.skipped] == ["line 2", "line 3 (entity 1)"]
    assert ctx.skipped[1].reason.startswith("no name")


def test_not_an_fsf_csv(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id;b\n1;2\n", encoding="utf-8")
    assert not EU_FSF_CSV.sniff(path, path.read_bytes())
    with pytest.raises(ListFileError, match="not an EU FSF CSV file"):
        EU_FSF_CSV.resolve(path)
    with pytest.raises(ListFileError, match="header starts 'id'"):
        list(EU_FSF_CSV.parse(ListFiles("eu-fsf-csv", "eu-fsf", (path,)), ParseContext()))


def test_detected_by_lists_import(data_dir: Path) -> None:
    for path in (FIXTURES / "eu-fsf-1.1-excerpt.csv", data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"):
        files = detect(path)
        assert (files.format_key, files.list_key) == ("eu-fsf-csv", "eu-fsf"), path
