"""Name pairs: reading ``name1,name2[,schema]`` files and scoring each pair with ``Screener.compare``.

A pair file is CSV with a header holding ``name1`` and ``name2``, and optionally ``schema`` (default
``Person``). A labelled pair file (OpenSanctions' ``name_bench`` format) adds ``is_match``
(``true``/``false``), ``group`` and ``category``. As for query files, a bad row becomes a
:class:`PairError` in its place (or, strict, one error naming file and line), and a file that is
not a pair file at all is one error naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sanctionwatch.batch.evaluate import PairFigures, score_pairs
from sanctionwatch.batch.queries import csv_rows
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import MAX_NAME_LENGTH, parse_schema
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Schema

__all__ = [
    "PAIR_COLUMNS",
    "Pair",
    "PairError",
    "compare_pairs",
    "evaluate_pairs",
    "is_pair_file",
    "pair_of",
    "read_pairs",
]

PAIR_COLUMNS = ("name1", "name2")
_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of a pair file: the two names, the schema and, when labelled, the label."""

    line: int
    name1: str
    name2: str
    schema: Schema
    is_match: bool | None = None
    group: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class PairError:
    """A row that is not a valid pair: its line, the names as written and why, in one line."""

    line: int
    name1: str
    name2: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        """The output record of the row: ``line``, ``name1``, ``name2``, ``error``."""
        return {"line": self.line, "name1": self.name1, "name2": self.name2, "error": self.error}


def is_pair_file(path: Path) -> bool:
    """Whether the CSV file's header names ``name1`` and ``name2`` (a pair file, not a query file).

    Raises:
        InputError: The file cannot be read.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = f.readline()
    except UnicodeDecodeError:
        return False  # let the query reader say where the file stops being UTF-8
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    columns = {c.strip().strip('"') for c in header.rstrip("\r\n").split(",")}
    return all(c in columns for c in PAIR_COLUMNS)


def _name(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise InputError(f"{column}: must not be empty")
    if len(value) > MAX_NAME_LENGTH:
        raise InputError(f"{column}: {len(value)} characters, at most {MAX_NAME_LENGTH} allowed")
    return value


def _label(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"is_match: {value!r} is not true or false")


def pair_of(name1: str, name2: str, schema: str | None = None, line: int = 0) -> Pair:
    """Two names (and a schema, default ``Person``) as a pair to compare.

    Raises:
        InputError: An empty or over-long name, an unknown schema.
    """
    row = {"name1": name1, "name2": name2, "schema": schema or ""}
    return Pair(line, _name(row, "name1"), _name(row, "name2"), parse_schema(schema) or Schema.PERSON)


def _pair(line: int, row: dict[str, str], labelled: bool) -> Pair:
    name1, name2 = _name(row, "name1"), _name(row, "name2")
    schema = parse_schema(row.get("schema")) or Schema.PERSON
    if not labelled:
        return Pair(line, name1, name2, schema)
    label = _label(row.get("is_match", ""))
    return Pair(line, name1, name2, schema, label, row.get("group", ""), row.get("category", ""))


def _check(
    rows: Iterable[tuple[int, dict[str, str] | tuple[str, str]]], labelled: bool
) -> Iterator[Pair | PairError]:
    for line, row in rows:
        if isinstance(row, tuple):
            yield PairError(line, "", "", row[1])
            continue
        try:
            yield _pair(line, row, labelled)
        except InputError as exc:
            yield PairError(line, row.get("name1", ""), row.get("name2", ""), str(exc))


def read_pairs(path: Path, labelled: bool = False, strict: bool = False) -> list[Pair | PairError]:
    """Every row of a pair file, in order: a :class:`Pair`, or the :class:`PairError` of a bad row.

    Args:
        path: The CSV file.
        labelled: The file must have ``is_match`` (and its ``group`` and ``category`` are read).
        strict: Stop at the first bad row instead of keeping it as a :class:`PairError`.

    Raises:
        InputError: A missing column, not UTF-8, not CSV, unreadable; with ``strict``, a bad row
            (the message names the file, line and field).
    """
    required = (*PAIR_COLUMNS, "is_match") if labelled else PAIR_COLUMNS
    out: list[Pair | PairError] = []
    for item in _check(csv_rows(path, required), labelled):
        if strict and isinstance(item, PairError):
            raise InputError(f"{path}:{item.line}: {item.error}")
        out.append(item)
    return out


def compare_pairs(
    screener: Screener, pairs: Iterable[Pair | PairError], threshold: float | None = None
) -> Iterator[dict[str, Any]]:
    """One output record per row: the pair's score, ``match`` and explanation, or the row's error.

    Args:
        screener: Gives the scorer and the token rarities of its lists.
        pairs: Rows of a pair file.
        threshold: ``match`` is ``score >= threshold`` (default: the scorer's alert threshold).
    """
    cut = screener.config.threshold if threshold is None else threshold
    for p in pairs:
        if isinstance(p, PairError):
            yield p.to_dict()
            continue
        try:
            found = screener.compare(p.name1, p.name2, p.schema)
        except InputError as exc:
            yield PairError(p.line, p.name1, p.name2, str(exc)).to_dict()
            continue
        explanation = asdict(found.explanation)
        explanation["summary"] = found.explanation.summary()
        yield {
            "line": p.line,
            "name1": p.name1,
            "name2": p.name2,
            "schema": p.schema.value,
            "score": found.score,
            "match": found.score >= cut,
            "explanation": explanation,
        }


def evaluate_pairs(
    screener: Screener, labelled: Iterable[Pair | PairError], threshold: float | None = None
) -> dict[str, dict[str, PairFigures]]:
    """Confusion counts of labelled pairs (``is_match``) at the threshold (see ``score_pairs``).

    Args:
        screener: Scores the pairs.
        labelled: Pairs read with ``read_pairs(path, labelled=True, strict=True)``.
        threshold: The alert threshold (default: the scorer's).
    """
    pairs = [p for p in labelled if isinstance(p, Pair) and p.is_match is not None]
    counted: list[tuple[bool, bool | None, str, str, str]] = []
    for pair, record in zip(pairs, compare_pairs(screener, pairs, threshold), strict=True):
        assert pair.is_match is not None  # filtered above
        key = f"{pair.name1}~{pair.name2}"
        counted.append((pair.is_match, record.get("match"), pair.group, pair.category, key))
    return score_pairs(counted)
