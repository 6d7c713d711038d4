"""Reading an ownership file: good rows as edges, each bad row one line naming its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.network.csvfile import EdgeRowError, read_edges
from sanctionwatch.network.graph import Edge, EdgeKind

HEADER = "owner,owned,percentage,kind\n"


def _file(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "own.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_good_rows_become_edges_with_their_lines(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "un-sc:KPe.001,Delta Corp,50,ownership\nDelta Corp,Epsilon Corp, 40% ,Ownership\n"
        "C7,Epsilon Corp,,control\nDelta Corp,Zeta,,ownership\n",
    )
    good, failed = read_edges(path, strict=False)
    assert failed == []
    assert good == [
        (2, Edge("un-sc:KPe.001", "Delta Corp", 50.0, EdgeKind.OWNERSHIP, "own.csv:2")),
        (3, Edge("Delta Corp", "Epsilon Corp", 40.0, EdgeKind.OWNERSHIP, "own.csv:3")),
        (4, Edge("C7", "Epsilon Corp", None, EdgeKind.CONTROL, "own.csv:4")),
        (5, Edge("Delta Corp", "Zeta", None, EdgeKind.OWNERSHIP, "own.csv:5")),
    ]


BAD = [
    (",A,10,ownership", "owner: must not be empty"),
    ("X,,10,ownership", "owned: must not be empty"),
    ("X,X,10,ownership", "owned: 'X' is also the owner"),
    ("X,A,10,shares", "kind: 'shares' is not ownership or control"),
    ("X,A,,", "kind: '' is not ownership or control"),
    ("X,A,ten,ownership", "percentage: 'ten' is not a number"),
    ("X,A,0,ownership", "percentage: '0' is not in (0, 100]"),
    ("X,A,101,ownership", "percentage: '101' is not in (0, 100]"),
    ("X,A,60,control", "percentage: '60' given for a control edge (leave it empty)"),
    ("X,A,10,ownership,extra", "more fields than the header has columns"),
]


@pytest.mark.parametrize(("row", "error"), BAD, ids=[b[1].split(":")[0] + ":" + b[0] for b in BAD])
def test_each_bad_row_is_one_error_and_the_others_are_read(tmp_path: Path, row: str, error: str) -> None:
    path = _file(tmp_path, f"Y,B,20,ownership\n{row}\n")
    good, failed = read_edges(path, strict=False)
    assert [line for line, _ in good] == [2]
    assert failed == [EdgeRowError(3, error)]
    with pytest.raises(InputError) as exc:
        read_edges(path, strict=True)
    assert str(exc.value) == f"{path}:3: {error}"


def test_a_repeated_edge_names_the_first_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "X,A,10,ownership\nX,A,20,ownership\nX,A,,control\n")
    good, failed = read_edges(path, strict=False)
    assert [line for line, _ in good] == [2, 4]
    assert failed == [EdgeRowError(3, "owned: 'X' → 'A' (ownership) already on line 2")]


def test_shares_over_100_percent_fail_every_row_into_that_company(tmp_path: Path) -> None:
    path = _file(tmp_path, "X,A,60,ownership\nY,B,30,ownership\nZ,A,50,ownership\n")
    good, failed = read_edges(path, strict=False)
    why = "percentage: 'A' would be owned 110% in all, more than 100% (lines 2, 4)"
    assert [line for line, _ in good] == [3]
    assert failed == [EdgeRowError(2, why), EdgeRowError(4, why)]
    with pytest.raises(InputError, match=r"own\.csv:2: percentage: 'A' would be owned 110%"):
        read_edges(path, strict=True)


def test_a_missing_column_is_refused_naming_it(tmp_path: Path) -> None:
    path = _file(tmp_path, "X,A,10\n", header="owner,owned,percentage\n")
    with pytest.raises(InputError, match=r"missing column 'kind' \(header has owner, owned, percentage\)"):
        read_edges(path, strict=False)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_bytes(HEADER.encode() + b"X,Soci\xe9t\xe9,10,ownership\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_edges(path, strict=False)
