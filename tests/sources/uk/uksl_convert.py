"""Test helper (not shipped): the real 2018 OFSI consolidated list rows carried into the UKSL CSV layout.

No real UK Sanctions List file is at hand (see ../shared/data/README.md), so the larger UKSL test
reads the 9,487 real rows of ``uk/conlist-2018-04-13.csv`` rewritten column by column into the
published UKSL layout: ``Group ID`` becomes the ``OFSI Group ID`` (and the Unique ID ``UK<Group
ID>``), ``Alias Type`` the ``Name type``, ``Group Type`` the ``Designation Type``, ``UN Ref`` in the
Other Information the ``UN Reference Number``; the other columns move to their UKSL names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from sanctionwatch.sources.uk.sl_csv import COLUMNS

__all__ = ["convert_ofsi_2018", "uksl_csv"]

_SAME = {
    "Name 1": "Name 1",
    "Name 2": "Name 2",
    "Name 3": "Name 3",
    "Name 4": "Name 4",
    "Name 5": "Name 5",
    "Name 6": "Name 6",
    "Title": "Title",
    "DOB": "D.O.B",
    "Town of Birth": "Town of birth",
    "Country of Birth": "Country of birth",
    "Nationality": "Nationality(/ies)",
    "Passport Details": "Passport additional information",
    "NI Number": "National Identifier number",
    "Position": "Position",
    **{f"Address {i}": f"Address Line {i}" for i in range(1, 7)},
    "Post/Zip Code": "Address Postal Code",
    "Country": "Address Country",
    "Other Information": "Other Information",
    "Group Type": "Designation Type",
    "Regime": "Regime Name",
    "Listed On": "Date Designated",
    "Last Updated": "Last Updated",
    "Group ID": "OFSI Group ID",
}
_NAME_TYPES = {"Prime Alias": "Primary Name", "AKA": "Alias", "FKA": "Alias"}
_UN_REF = re.compile(r"\bUN Ref\.?\s*([A-Z]{2}[ie]\.\d+)")


def uksl_csv(rows: Sequence[Mapping[str, str]], report_date: str = "13-Apr-2018") -> str:
    """A UKSL CSV text: the ``Report Date`` line, the header, one line per row (missing columns empty)."""
    out = io.StringIO()
    out.write(f"Report Date: {report_date}\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        unknown = set(row) - set(COLUMNS)
        assert not unknown, f"not UKSL columns: {unknown}"
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return out.getvalue()


def convert_ofsi_2018(source: Path, dest: Path) -> int:
    """Write the rows of the 2018 OFSI CSV ``source`` as a UKSL CSV ``dest``; returns the row count."""
    lines = source.read_text(encoding="cp1252").splitlines(keepends=True)
    reader = csv.DictReader(io.StringIO("".join(lines[1:]), newline=""))  # line 1: "Last Updated,13/04/2018"
    rows = []
    for ofsi in reader:
        row = {uksl: ofsi[col] for col, uksl in _SAME.items()}
        row["Unique ID"] = f"UK{ofsi['Group ID']}"
        row["Name type"] = _NAME_TYPES[ofsi["Alias Type"]]
        m = _UN_REF.search(ofsi["Other Information"])
        row["UN Reference Number"] = m.group(1) if m else ""
        rows.append(row)
    dest.write_text(uksl_csv(rows), encoding="utf-8")
    return len(rows)
