"""EU FSF CSV files cut short: a row cut is an error naming its line; the last listing is never dropped.

``fsf-csv-v1.0-first1000lines.csv`` is the first 1,000 lines of a bigger file: its last listing (481)
may lack rows the full file has. The CSV states no count, so a file cut at a row boundary cannot be
told from a whole one; what the file holds of that listing is imported, not dropped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.errors import ListFileError
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.eu.fsf_csv import EU_FSF_CSV

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _parse(path: Path) -> list[str]:
    return [e.id for e in EU_FSF_CSV.parse(EU_FSF_CSV.resolve(path), ParseContext())]


def test_the_last_listing_of_the_real_first_1000_lines_is_kept(data_dir: Path) -> None:
    path = data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv"
    entities = {e.id: e for e in EU_FSF_CSV.parse(EU_FSF_CSV.resolve(path), ParseContext())}
    # grep -c '^"04/07/2018;481;' fsf-csv-v1.0-first1000lines.csv: its 18 rows end the file.
    assert list(entities)[-1] == "eu-fsf:481"
    names = [n.full for n in entities["eu-fsf:481"].names]
    assert names[0] == "Salafist Group for Call and Combat"
    assert {"GSPC", "AQIM", "AQMI"} <= set(names)


def test_a_v10_file_cut_inside_a_row_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    data = (data_dir / "eu" / "fsf-csv-v1.0-first1000lines.csv").read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[:-200])
    with pytest.raises(ListFileError, match=r"cut\.csv:line 1000: file is truncated"):
        _parse(path)


def test_a_v11_file_cut_inside_a_row_names_the_line(tmp_path: Path) -> None:
    data = (FIXTURES / "eu-fsf-1.1-excerpt.csv").read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(data[: data.rindex(b"President of the") + len(b"President of the")])
    lines = path.read_bytes().count(b"\n") + 1
    with pytest.raises(ListFileError, match=rf"cut\.csv:line {lines}: row has 7 fields, the header has 118"):
        _parse(path)
