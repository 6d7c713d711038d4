"""Bad OFAC CSV input: every bad row is named by file and line, strict or lenient; never dropped silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.ofac.legacy_csv import OFAC_SDN

# Two real rows of fixtures-small/sdn.csv.
GOOD_1 = (
    '15102,"MORENO, Daniel","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 12 Oct 1972; POB Corozal, Belize; Passport 0291622 (Belize); '
    "Linked To: D'S SUPERMARKET COMPANY LTD.\""
)
GOOD_2 = (
    '52327,"TASCA","vessel","IRAN-EO13846",-0- ,"3E2647","Crude Oil Tanker",-0- ,-0- ,"Panama",-0- ,'
    '"Vessel Registration Identification IMO 9313149; MMSI 352002494; '
    'Linked To: BRECALIN HONG KONG CO LTD."'
)


def _write(folder: Path, lines: list[str], name: str = "sdn.csv", end: str = "\r\n") -> Path:
    path = folder / name
    path.write_bytes(end.join(lines).encode("cp1252") + end.encode())
    return path


def _parse(path: Path, lenient: bool = False) -> tuple[list[Entity], ParseContext]:
    ctx = ParseContext(lenient=lenient)
    return list(OFAC_SDN.parse(OFAC_SDN.resolve(path), ctx)), ctx


def _error(path: Path) -> str:
    with pytest.raises(ListFileError) as info:
        _parse(path)
    return str(info.value)


def test_good_rows_and_eof_byte(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, GOOD_2])
    path.write_bytes(path.read_bytes() + b"\x1a")
    entities, ctx = _parse(path)
    assert [e.id for e in entities] == ["us-ofac-sdn:15102", "us-ofac-sdn:52327"]
    assert ctx.skipped == []


def test_lf_line_ends(tmp_path: Path) -> None:
    entities, _ = _parse(_write(tmp_path, [GOOD_1, GOOD_2], end="\n"))
    assert len(entities) == 2


def test_truncated_file(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, GOOD_2])
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"MMSI")])  # cut inside the quoted Remarks of line 2
    message = _error(path)
    assert message.startswith(f"{path}:line 2: ")
    assert "file is truncated: it ends inside a quoted field" in message and "52327" in message


def test_wrong_column_count(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, '99,"SHORT ROW","individual"', GOOD_2])
    message = _error(path)
    assert message.startswith(f"{path}:line 2: expected 12 fields")
    assert "found 3" in message and "SHORT ROW" in message


def test_non_numeric_ent_num(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, GOOD_2.replace("52327", "52A27", 1)])
    assert _error(path) == f"{path}:line 2: ent_num '52A27' is not a number"


def test_unknown_sdn_type(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, GOOD_2.replace('"vessel"', '"submarine"')])
    assert _error(path) == (
        f"{path}:line 2: unknown SDN_Type 'submarine' (expected individual, vessel, aircraft or -0-)"
    )


def test_binary_garbage(tmp_path: Path) -> None:
    path = _write(tmp_path, [GOOD_1, GOOD_2])
    path.write_bytes(path.read_bytes() + b'77,"\x00\x01\x02\xff\x81",\x03\x04\r\n')
    message = _error(path)
    assert message.startswith(f"{path}:line 3: binary data")


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(f"{GOOD_1}\r\n{GOOD_2}\r\n".encode("utf-16"))
    with pytest.raises(ListFileError) as info:
        OFAC_SDN.resolve(path)
    assert str(info.value).startswith(f"{path}:line 1: the file is UTF-16")
    with pytest.raises(ListFileError, match="UTF-16"):
        OFAC_SDN.resolve(tmp_path)


def test_not_ofac_at_all(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "sdn.csv"  # the UN XML under an OFAC name, as with --source us-ofac-sdn
    path.write_bytes((data_dir / "un" / "consolidated-2026-02-27.xml").read_bytes())
    message = _error(path)
    assert message.startswith(f"{path}:line 1: not an OFAC")
    assert "<?xml" in message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b"\x1a")
    with pytest.raises(ListFileError, match=re.escape(f"{path}: the file is empty")):
        OFAC_SDN.resolve(path)


def test_windows_1252_and_utf8(tmp_path: Path) -> None:
    row = GOOD_1.replace("MORENO, Daniel", "MORENO, Dani\u00e9l \u2013 Jr")
    cp = tmp_path / "cp1252"
    cp.mkdir()
    path = cp / "sdn.csv"
    path.write_bytes(row.encode("cp1252") + b"\r\n")
    assert path.read_bytes().count(b"\xe9") == 1  # é as one Windows-1252 byte, – as 0x96
    assert _parse(path)[0][0].caption == "MORENO, Dani\u00e9l \u2013 Jr"
    utf = tmp_path / "utf8"
    utf.mkdir()
    path = utf / "sdn.csv"
    path.write_bytes(row.encode("utf-8") + b"\r\n")
    assert _parse(path)[0][0].caption == "MORENO, Dani\u00e9l \u2013 Jr"


def test_companion_errors(tmp_path: Path) -> None:
    _write(tmp_path, [GOOD_1, GOOD_2])
    alt = _write(
        tmp_path,
        [
            '15102,22122,"aka","MORENO JR., Daniel Gonzalo",-0- ',
            '15102,22123,"xyz","ODD TYPE",-0- ',
            '99999,22124,"aka","NOBODY",-0- ',
        ],
        name="alt.csv",
    )
    with pytest.raises(ListFileError) as info:
        _parse(tmp_path)
    assert str(info.value) == f"{alt}:line 2: unknown alt_type 'xyz' (expected aka, fka or nka)"
    entities, ctx = _parse(tmp_path, lenient=True)
    assert [n.full for n in entities[0].names] == ["MORENO, Daniel", "MORENO JR., Daniel Gonzalo"]
    assert [(s.location, s.reason) for s in ctx.skipped] == [
        ("line 2", "unknown alt_type 'xyz' (expected aka, fka or nka)"),
        ("line 3", "ent_num '99999' is not in sdn.csv"),
    ]


def test_lenient_collects_and_keeps_good_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            GOOD_1,
            "abc,def",
            GOOD_2.replace("52327", "x1", 1),
            '7,"","individual",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            GOOD_2,
            '8,"CUT","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1960; POB',
        ],
        end="\n",
    )
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    entities, ctx = _parse(path, lenient=True)
    assert [e.id for e in entities] == ["us-ofac-sdn:15102", "us-ofac-sdn:52327"]
    assert [s.location for s in ctx.skipped] == ["line 2", "line 3", "line 4", "line 6"]
    assert all(s.path == str(path) for s in ctx.skipped)
    reasons = [s.reason for s in ctx.skipped]
    assert reasons[0].startswith("expected 12 fields") and "'abc,def'" in reasons[0]
    assert reasons[1] == "ent_num 'x1' is not a number"
    assert reasons[2] == "SDN_Name is empty for ent_num '7'"
    assert reasons[3].startswith("file is truncated")


def test_physical_line_numbers_after_multiline_record(tmp_path: Path) -> None:
    multiline = GOOD_1.replace("POB Corozal, Belize; ", "POB Corozal,\nBelize; ")
    path = _write(tmp_path, [multiline, "5,x"], end="\n")
    message = _error(path)
    assert message.startswith(f"{path}:line 3: expected 12 fields")
    entities, _ = _parse(path, lenient=True)
    assert entities[0].remarks is not None and "Corozal,\nBelize" in entities[0].remarks
