"""Reading batch query files: validation of the whole file first, errors naming file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctionwatch.batch.queries import BatchQuery, RowError, read_queries, read_rows
from sanctionwatch.errors import InputError
from sanctionwatch.model import Schema

HEADER = "id,name,schema,birth_date,nationality"


def write(folder: Path, text: str, name: str = "q.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, salvage_dates: bool = False) -> str:
    with pytest.raises(InputError) as info:
        read_queries(path, salvage_dates=salvage_dates)
    return str(info.value)


def test_good_file_keeps_order_fields_and_pass_through_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,schema,birth_date,nationality,customer_ref,branch\n"
        "c1,KIM Jong Un,Person,1984-01-08,North Korea,R-17,Seoul\n"
        'c2,"Korea Mining Development Trading Corporation",Organization,,kp,R-18,\n'
        "c3,김정은,,1984,,R-19,Busan\n"
        "c4,  CHONG CHON GANG  ,vessel,,,R-20,Ulsan\n",
    )
    got = read_queries(path)
    assert [q.id for q in got] == ["c1", "c2", "c3", "c4"]
    first = got[0].query
    assert (first.name, first.schema, first.birth_date, first.country) == (
        "KIM Jong Un",
        Schema.PERSON,
        "1984-01-08",
        "KP",
    )
    assert got[1].query.schema is Schema.ORGANIZATION and got[1].query.country == "KP"
    assert got[2].query.name == "김정은" and got[2].query.schema is None and got[2].query.birth_date == "1984"
    assert got[3].query.name == "CHONG CHON GANG" and got[3].query.schema is Schema.VESSEL
    assert got[0].extra == {"customer_ref": "R-17", "branch": "Seoul"}
    assert got[1].extra == {"customer_ref": "R-18", "branch": ""}
    # The known columns are never passed through.
    assert all(not {"id", "name", "schema", "birth_date", "nationality"} & set(q.extra) for q in got)


def test_only_id_and_name_are_required_and_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("id,name\r\n1,Tanchon Commercial Bank\r\n".encode("utf-8-sig"))
    [only] = read_queries(path)
    assert (only.id, only.query.name, only.query.schema) == ("1", "Tanchon Commercial Bank", None)
    assert only.extra == {}


def test_missing_name_column_names_file_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "id,full_name,schema\n1,KIM Jong Un,Person\n")
    message = error_of(path)
    assert message.startswith(f"{path}: ")
    assert "'name'" in message and "full_name" in message


def test_empty_file_is_missing_its_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert error_of(path).startswith(f"{path}: missing column 'id'")


@pytest.mark.parametrize(
    ("row", "field", "quoted"),
    [
        ("1,KIM Jong Un,Person,1984-13-01,", "birth_date", "'1984-13-01'"),
        ("1,KIM Jong Un,Person,08/01/1984,", "birth_date", "'08/01/1984'"),
        ("1,KIM Jong Un,Person,1984-02-30,", "birth_date", "'1984-02-30'"),
        ("1,KIM Jong Un,Spaceship,,", "schema", "'Spaceship'"),
        ("1,KIM Jong Un,Person,,Narnia", "country", "'Narnia'"),
    ],
)
def test_bad_value_names_line_field_and_value(tmp_path: Path, row: str, field: str, quoted: str) -> None:
    path = write(tmp_path, f"{HEADER}\n2,Tanchon Commercial Bank,Organization,,kp\n{row}\n")
    message = error_of(path)
    assert message.startswith(f"{path}:3: {field}: "), message
    assert quoted in message


def test_empty_name_and_empty_id_name_the_line(tmp_path: Path) -> None:
    blank = write(tmp_path, f"{HEADER}\n1,KIM Jong Un,,,\n2,   ,Person,,\n", "blank.csv")
    assert error_of(blank) == f"{blank}:3: name: must not be empty"
    no_id = write(tmp_path, f"{HEADER}\n,KIM Jong Un,,,\n", "noid.csv")
    assert error_of(no_id) == f"{no_id}:2: id: must not be empty"


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\na,KIM Jong Un,,,\nb,KOMID,,,\na,Tanchon Commercial Bank,,,\n")
    message = error_of(path)
    assert message.startswith(f"{path}:4: id: 'a'")
    assert re.search(r"\bline 2\b", message), message


def test_whole_file_is_validated_before_anything_is_returned(tmp_path: Path) -> None:
    good = "".join(f"{n},Name {n},Person,,\n" for n in range(1, 500))
    path = write(tmp_path, f"{HEADER}\n{good}500,Last One,Person,1990-00-10,\n")
    assert error_of(path).startswith(f"{path}:501: birth_date: '1990-00-10'")


def test_more_fields_than_columns_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n1,KIM Jong Un,Person,,kp\n2,KOMID,Organization,,kp,surplus\n")
    assert error_of(path).startswith(f"{path}:3: ")


def test_not_utf8_is_an_input_error_locating_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    rows = "".join(f"{n},Name {n},,,\n" for n in range(1, 1000))  # the bad byte lies past the first 8 KiB
    head = f"{HEADER}\n{rows}1000,M".encode()
    path.write_bytes(head + "üller,,,\n".encode("latin-1"))
    message = error_of(path)
    assert message.startswith(f"{path}:1001: not UTF-8 text (byte 0xfc at offset {len(head)}"), message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    message = error_of(tmp_path / "nope.csv")
    assert message.startswith(f"{tmp_path / 'nope.csv'}: cannot read")


def test_real_eval_file_fails_strict_on_its_date_typo_and_salvages_it(eval_dir: Path) -> None:
    path = eval_dir / "dev" / "un-typos.csv"
    # Line 33 (grep -n) is un-typo-56, listed with the impossible birth date 1974-01-32.
    assert error_of(path) == f"{path}:33: birth_date: '1974-01-32' is not a real date"
    got = read_queries(path, salvage_dates=True)
    assert len(got) == 330  # eval README: 330 queries
    by_id = {q.id: q for q in got}
    typo = by_id["un-typo-56"]
    assert typo.query.name == "ABDUL ROSYID RIDHO BA'ASYIR"
    assert (typo.query.birth_date, typo.query.country) == ("1974-01", "ID")
    assert typo.extra == {"expected": "un-sc:QDi.305", "group": "un-typo"}
    # Lines 34 and 285 (grep -n) write `1981-3-05` and `1974-02-6`: unpadded, but real dates.
    assert by_id["un-typo-57"].query.birth_date == "1981-03-05"
    assert by_id["un-typo-577"].query.birth_date == "1974-02-06"
    first = got[0]
    assert (first.id, first.query.name, first.query.birth_date) == ("un-typo-0", "SALEK, ABDULHAI", "1965")


def test_read_rows_keeps_each_bad_row_in_its_place_with_line_id_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "id,name,birth_date,nationality,branch\n"
        "c1,KIM Jong Un,1984/01/08,kp,Seoul\n"
        "c2,KIM Jong Un,1984-13-45,kp,Busan\n"
        "c3,Maria Hoffmann,19710502,de,Berlin\n"
        "c3,Again,,,Bonn\n"
        ",No Id,,,Ulm\n"
        "c6,Omar Said,,Atlantis,Kiel\n"
        "c7,Too Many,,,Hof,surplus\n"
        "c8,   ,,,Jena\n"
        "c9,Ann Lee,16/07/1969,,Gera\n",
    )
    got = read_rows(path)
    assert len(got) == 9
    good = [g for g in got if isinstance(g, BatchQuery)]
    assert [(g.id, g.query.birth_date) for g in good] == [("c1", "1984-01-08"), ("c3", "1971-05-02")]
    bad = [g for g in got if isinstance(g, RowError)]
    assert [(b.query_id, b.line, b.error) for b in bad] == [
        ("c2", 3, "birth_date: '1984-13-45' is not a real date"),
        ("c3", 5, "id: 'c3' already used on line 4"),
        ("", 6, "id: must not be empty"),
        ("c6", 7, "country: unknown country 'Atlantis'; use ISO 3166 alpha-2 or a name"),
        ("c7", 8, "more fields than the header has columns"),
        ("c8", 9, "name: must not be empty"),
        (
            "c9",
            10,
            "birth_date: '16/07/1969' may be day/month/year or month/day/year; "
            "say which with --date-order dmy or --date-order mdy",
        ),
    ]
    assert bad[0].extra == {"branch": "Busan"}
    assert bad[0].to_dict() == {
        "query_id": "c2",
        "line": 3,
        "error": "birth_date: '1984-13-45' is not a real date",
        "extra": {"branch": "Busan"},
    }
    assert RowError("x", 2, "why").to_dict() == {"query_id": "x", "line": 2, "error": "why"}
    # The same file, strict, stops at the first bad row.
    assert error_of(path) == f"{path}:3: birth_date: '1984-13-45' is not a real date"


def test_the_date_order_reads_day_month_year_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name,birth_date\n1,Ann Lee,07/08/1969\n2,Bob Roe,1969-7-16T00:00:00Z\n")
    assert [q.query.birth_date for q in read_queries(path, date_order="dmy")] == ["1969-08-07", "1969-07-16"]
    assert [q.query.birth_date for q in read_queries(path, date_order="mdy")] == ["1969-07-08", "1969-07-16"]
    assert "--date-order" in error_of(path)


def test_a_file_that_is_no_query_file_stays_one_error_even_when_lenient(tmp_path: Path) -> None:
    no_name = write(tmp_path, "id,full_name\n1,KIM Jong Un\n", "cols.csv")
    with pytest.raises(InputError, match=r"cols\.csv: missing column 'name'"):
        read_rows(no_name)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(f"{HEADER}\n1,M".encode() + "üller,,,\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.csv:2: not UTF-8 text"):
        read_rows(latin)
    with pytest.raises(InputError, match="cannot read"):
        read_rows(tmp_path / "nope.csv")
