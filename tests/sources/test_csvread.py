"""CSV reading helpers: start lines, truncation, encodings, header checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.sources.csvread import CsvRecord, check_header, decode, iter_csv, split_list


def test_records_carry_their_start_line() -> None:
    text = 'a,b\n\n1,"multi\nline"\n5,6\n'
    assert list(iter_csv(text)) == [
        CsvRecord(1, ["a", "b"]),
        CsvRecord(3, ["1", "multi\nline"]),
        CsvRecord(5, ["5", "6"]),
    ]


def test_cut_inside_a_quoted_field_is_truncation() -> None:
    records = list(iter_csv('a,b\n1,2\n3,"ab\nc'))
    assert records[-1] == CsvRecord(3, [], "file is truncated: it ends inside a quoted field")


def test_bad_quoting_is_reported_and_reading_goes_on() -> None:
    records = list(iter_csv('a,b\n1,"x"y\n3,4\n'))
    assert records[1].line == 2 and records[1].error and "malformed CSV record" in records[1].error
    assert records[2] == CsvRecord(3, ["3", "4"])


def test_decode(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    assert decode(path, "Korea’s".encode("cp1252"), ("utf-8-sig", "cp1252")) == "Korea’s"
    with pytest.raises(ListFileError) as exc:
        decode(path, "a,b".encode("utf-16"), ("utf-8",))
    assert "UTF-16" in exc.value.reason
    with pytest.raises(ListFileError) as exc:
        decode(path, b"a,b\nok\n\xff\n", ("utf-8",))
    assert exc.value.location == "line 3" and "not valid utf-8" in exc.value.reason


def test_check_header_names_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    assert check_header(path, ["a", " b "], ["b"], 1) == {"a": 0, "b": 1}
    with pytest.raises(ListFileError) as exc:
        check_header(path, ["a"], ["a", "c", "d"], 2)
    assert exc.value.reason.startswith("missing column(s) 'c', 'd'") and exc.value.location == "line 2"


def test_split_list() -> None:
    assert split_list(" a; b;;c ;") == ["a", "b", "c"]
