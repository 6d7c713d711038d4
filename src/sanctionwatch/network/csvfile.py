"""Read a user's ownership file: CSV with the columns ``owner,owned,percentage,kind``.

``owner`` and ``owned`` are entity ids of the lists, customer ids of the book or names of companies
nobody listed; ``kind`` is ``ownership`` or ``control``; ``percentage`` is the share owned (0 < p <=
100, a trailing ``%`` allowed), empty for a share not known, and always empty for control. Every bad
row is one :class:`EdgeRowError` naming its line and field; the shares into one company adding up
to more than 100% make each of its rows bad (the file cannot say which one is wrong).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sanctionwatch.errors import InputError
from sanctionwatch.network.graph import TOLERANCE, Edge, EdgeKind

__all__ = ["COLUMNS", "EdgeRowError", "read_edges"]

COLUMNS = ("owner", "owned", "percentage", "kind")
_KINDS = (EdgeKind.OWNERSHIP.value, EdgeKind.CONTROL.value)


@dataclass(frozen=True, slots=True)
class EdgeRowError:
    """A row that is not a valid edge: its line and why (``field: reason``)."""

    line: int
    error: str


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str] | str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise InputError(
                    f"{path}: missing column {missing[0]!r} (header has {', '.join(header) or 'nothing'})"
                )
            for row in reader:
                if None in row:
                    yield reader.line_num, "more fields than the header has columns"
                    continue
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _percentage(text: str, kind: EdgeKind) -> float | None:
    if not text:
        return None
    if kind is EdgeKind.CONTROL:
        raise ValueError(f"percentage: {text!r} given for a control edge (leave it empty)")
    try:
        value = float(text.removesuffix("%").strip())
    except ValueError:
        raise ValueError(f"percentage: {text!r} is not a number") from None
    if not 0 < value <= 100:
        raise ValueError(f"percentage: {text!r} is not in (0, 100]")
    return value


def _edge(path: Path, line: int, row: dict[str, str]) -> Edge:
    owner, owned, kind_text = row["owner"], row["owned"], row["kind"].lower()
    if not owner:
        raise ValueError("owner: must not be empty")
    if not owned:
        raise ValueError("owned: must not be empty")
    if owner == owned:
        raise ValueError(f"owned: {owned!r} is also the owner")
    if kind_text not in _KINDS:
        raise ValueError(f"kind: {row['kind']!r} is not ownership or control")
    kind = EdgeKind(kind_text)
    return Edge(owner, owned, _percentage(row["percentage"], kind), kind, f"{path.name}:{line}")


def read_edges(path: Path, strict: bool = True) -> tuple[list[tuple[int, Edge]], list[EdgeRowError]]:
    """The edges of an ownership file with their lines, and the rows that failed (never strict).

    Raises:
        InputError: Not an ownership file (missing column, not UTF-8, not CSV, unreadable); with
            ``strict``, the first bad row (``file:line: field: reason``).
    """
    good: list[tuple[int, Edge]] = []
    failed: list[EdgeRowError] = []
    seen: dict[tuple[str, str, EdgeKind], int] = {}
    for line, row in _rows(path):
        try:
            if isinstance(row, str):
                raise ValueError(row)
            edge = _edge(path, line, row)
            key = (edge.owner, edge.owned, edge.kind)
            if key in seen:
                raise ValueError(
                    f"owned: {edge.owner!r} → {edge.owned!r} ({edge.kind}) already on line {seen[key]}"
                )
            seen[key] = line
        except ValueError as exc:
            if strict:
                raise InputError(f"{path}:{line}: {exc}") from None
            failed.append(EdgeRowError(line, str(exc)))
            continue
        good.append((line, edge))
    good, over = _over_owned(path, good, strict)
    failed = sorted(failed + over, key=lambda e: e.line)
    return good, failed


def _over_owned(
    path: Path, good: list[tuple[int, Edge]], strict: bool
) -> tuple[list[tuple[int, Edge]], list[EdgeRowError]]:
    """Take out the rows of each company whose shares add up to more than 100%."""
    shares: dict[str, float] = defaultdict(float)
    lines: dict[str, list[int]] = defaultdict(list)
    for line, e in good:
        if e.kind is EdgeKind.OWNERSHIP and e.percentage is not None:
            shares[e.owned] += e.percentage
            lines[e.owned].append(line)
    over = {owned for owned, total in shares.items() if total > 100 + TOLERANCE}
    if not over:
        return good, []
    errors = []
    for owned in sorted(over, key=lambda o: lines[o][0]):
        where = ", ".join(str(n) for n in lines[owned])
        why = (
            f"percentage: {owned!r} would be owned {shares[owned]:g}% in all, more than 100% (lines {where})"
        )
        if strict:
            raise InputError(f"{path}:{lines[owned][0]}: {why}")
        errors += [EdgeRowError(n, why) for n in lines[owned]]
    bad_lines = {err.line for err in errors}
    return [(n, e) for n, e in good if n not in bad_lines], errors
