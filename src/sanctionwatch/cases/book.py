"""The customer book: import customers from a CSV or Parquet file, incrementally.

The file (CSV, or Parquet read with ``pyarrow``) has the columns of a batch query file
(``id,name,schema,birth_date,nationality`` or ``country``, ``identifiers`` ``;``-separated) plus
any extra columns, which are kept. Each import compares every row with the stored customer by
fingerprint: new, changed, unchanged; a full import also marks customers missing from the file
as removed (never deleted: their alerts keep them). A bad row either stops the import before
anything is written (strict) or is reported with its line and reason while the other rows are
imported; the customer of a bad row keeps what is stored for it (it is never marked removed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.batch.queries import BatchQuery, RowError, check_rows, csv_rows, parse_rows, read_queries
from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.parquet import parquet_rows
from sanctionwatch.dates import DateOrder
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import Query
from sanctionwatch.store.schema import customers

__all__ = [
    "BookImport",
    "Customer",
    "active_customers",
    "canonical",
    "customer_data",
    "fingerprint",
    "import_book",
    "read_book",
]

WRITE_BATCH = 1000
AUDITED_ERRORS = 100
"""Bad rows listed in an import's audit entry (all of them are counted)."""


@dataclass(frozen=True, slots=True)
class Customer:
    """One customer of the book: its id, data and fingerprint."""

    id: str
    data: dict[str, Any]
    fingerprint: str

    def query(self) -> Query:
        """The screening query for this customer (data was validated on import)."""
        d = self.data
        return Query.build(
            d["name"],
            schema=d.get("schema"),
            birth_date=d.get("birth_date"),
            country=d.get("country"),
            identifiers=d.get("identifiers", []),
        )


@dataclass(frozen=True, slots=True)
class BookImport:
    """What an import did, counted."""

    path: str
    new: int
    changed: int
    unchanged: int
    removed: int
    full: bool
    failed: tuple[RowError, ...] = field(default=())

    @property
    def total(self) -> int:
        """Rows in the file (imported or failed)."""
        return self.new + self.changed + self.unchanged + len(self.failed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; with bad rows, ``failed`` counts them and ``errors`` lists the first ones."""
        out: dict[str, Any] = {
            "path": self.path,
            "rows": self.total,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "full": self.full,
        }
        if self.failed:
            out["failed"] = len(self.failed)
            out["errors"] = [
                {"line": e.line, "id": e.query_id, "error": e.error} for e in self.failed[:AUDITED_ERRORS]
            ]
        return out


def customer_data(row: BatchQuery) -> dict[str, Any]:
    """The stored data of one validated row (normalized, so cosmetic edits do not change it)."""
    q = row.query
    return {
        "name": q.name,
        "schema": q.schema.value if q.schema is not None else None,
        "birth_date": q.birth_date,
        "country": q.country,
        "identifiers": list(q.identifiers),
        "extra": dict(sorted(row.extra.items())),
    }


def canonical(data: dict[str, Any]) -> bytes:
    """The canonical JSON bytes of customer data (sorted keys)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def fingerprint(data: dict[str, Any]) -> str:
    """blake2b-128 of the canonical JSON, as the store fingerprints entities."""
    return hashlib.blake2b(canonical(data), digest_size=16).hexdigest()


def read_book(
    path: Path, strict: bool = True, date_order: DateOrder | None = None
) -> tuple[list[Customer], list[RowError]]:
    """The customers of a CSV or Parquet file, validated, and the rows that failed (never strict).

    Args:
        path: The CSV or Parquet file.
        strict: Stop at the first bad row (an error naming the file, line and field).
        date_order: How to read day-month-year birth dates (``dmy`` or ``mdy``).

    Raises:
        InputError: Not a customer file (type, missing column, encoding); with ``strict``, a bad row.
    """
    suffix = path.suffix.lower()
    items: list[BatchQuery] | list[BatchQuery | RowError]
    if suffix in (".parquet", ".pq"):
        rows = parquet_rows(path)
        items = (
            parse_rows(path, rows, date_order=date_order)
            if strict
            else list(check_rows(rows, date_order=date_order))
        )
    elif suffix in (".csv", ".txt"):
        items = (
            read_queries(path, date_order=date_order)
            if strict
            else list(check_rows(csv_rows(path), date_order=date_order))
        )
    else:
        raise InputError(f"{path}: unsupported customer file type {path.suffix!r}; use .csv or .parquet")
    out = []
    failed = []
    for row in items:
        if isinstance(row, RowError):
            failed.append(row)
            continue
        data = customer_data(row)
        out.append(Customer(row.id, data, fingerprint(data)))
    return out, failed


def _existing(conn: Connection) -> dict[str, tuple[str, bool]]:
    rows = conn.execute(sa.select(customers.c.id, customers.c.fingerprint, customers.c.active))
    return {r.id: (r.fingerprint, r.active) for r in rows}


def _batches(items: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(items), WRITE_BATCH):
        yield items[start : start + WRITE_BATCH]


def import_book(
    engine: Engine,
    path: Path,
    actor: str,
    full: bool = True,
    strict: bool = True,
    date_order: DateOrder | None = None,
) -> BookImport:
    """Import a customer file into the book in one transaction, and audit it.

    Args:
        engine: The store's engine.
        path: The CSV or Parquet file.
        actor: Who imports (recorded in the audit log).
        full: The file is the whole book: customers missing from it are marked removed.
        strict: A bad row stops the import (nothing is imported); otherwise the other rows are
            imported and the bad ones reported in ``BookImport.failed`` (and the audit entry).
        date_order: How to read day-month-year birth dates (``dmy`` or ``mdy``).

    Raises:
        InputError: The file is not a customer file, or (strict) has a bad row; nothing is imported.
    """
    book, failed = read_book(path, strict, date_order)
    at = now()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    unchanged = 0
    with engine.begin() as conn:
        existing = _existing(conn)
        for c in book:
            values = {"cid": c.id, "data": canonical(c.data).decode(), "fingerprint": c.fingerprint}
            before = existing.get(c.id)
            if before is None:
                new.append(values)
            elif before == (c.fingerprint, True):
                unchanged += 1
            else:
                changed.append(values)
        for batch in _batches(new):
            conn.execute(
                customers.insert(),
                [
                    {
                        "id": v["cid"],
                        "data": v["data"],
                        "fingerprint": v["fingerprint"],
                        "active": True,
                        "imported_at": at,
                        "updated_at": at,
                        "removed_at": None,
                    }
                    for v in batch
                ],
            )
        update = (
            customers.update()
            .where(customers.c.id == sa.bindparam("cid"))
            .values(
                data=sa.bindparam("data"),
                fingerprint=sa.bindparam("fingerprint"),
                active=True,
                updated_at=at,
                removed_at=None,
            )
        )
        for batch in _batches(changed):
            conn.execute(update, batch)
        removed = 0
        if full:
            seen = {c.id for c in book} | {e.query_id for e in failed}  # a bad row is no removal
            gone = [{"cid": cid} for cid, (_, active) in existing.items() if active and cid not in seen]
            remove = (
                customers.update()
                .where(customers.c.id == sa.bindparam("cid"))
                .values(active=False, updated_at=at, removed_at=at)
            )
            for batch in _batches(gone):
                conn.execute(remove, batch)
            removed = len(gone)
        result = BookImport(str(path), len(new), len(changed), unchanged, removed, full, tuple(failed))
        record(conn, actor, "book.import", str(path), result.to_dict())
    return result


def active_customers(conn: Connection) -> list[Customer]:
    """The active customers, by id."""
    rows = conn.execute(
        sa.select(customers.c.id, customers.c.data, customers.c.fingerprint)
        .where(customers.c.active)
        .order_by(customers.c.id)
    )
    return [Customer(r.id, orjson.loads(r.data), r.fingerprint) for r in rows]
