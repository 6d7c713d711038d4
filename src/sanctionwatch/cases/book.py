"""The customer book: import customers from a CSV or Parquet file, incrementally.

The file (CSV, or Parquet read with ``pyarrow``) has the columns of a batch query file
(``id,name,schema,birth_date,nationality`` or ``country``, ``identifiers`` ``;``-separated) plus
any extra columns, which are kept. Each import compares every row with the stored customer by
fingerprint: new, changed, unchanged; a full import also marks customers missing from the file
as removed (never deleted: their alerts keep them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.batch.queries import BatchQuery, parse_rows, read_queries
from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.parquet import parquet_rows
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

    @property
    def total(self) -> int:
        """Rows in the file."""
        return self.new + self.changed + self.unchanged

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "path": self.path,
            "rows": self.total,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "full": self.full,
        }


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


def read_book(path: Path) -> list[Customer]:
    """The customers of a CSV or Parquet file, validated.

    Raises:
        InputError: A missing column or a bad row; the message names the file, line and field.
    """
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        rows = parse_rows(path, parquet_rows(path))
    elif suffix in (".csv", ".txt"):
        rows = read_queries(path)
    else:
        raise InputError(f"{path}: unsupported customer file type {path.suffix!r}; use .csv or .parquet")
    out = []
    for row in rows:
        data = customer_data(row)
        out.append(Customer(row.id, data, fingerprint(data)))
    return out


def _existing(conn: Connection) -> dict[str, tuple[str, bool]]:
    rows = conn.execute(sa.select(customers.c.id, customers.c.fingerprint, customers.c.active))
    return {r.id: (r.fingerprint, r.active) for r in rows}


def _batches(items: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(items), WRITE_BATCH):
        yield items[start : start + WRITE_BATCH]


def import_book(engine: Engine, path: Path, actor: str, full: bool = True) -> BookImport:
    """Import a customer file into the book, all or nothing, and audit it.

    Args:
        engine: The store's engine.
        path: The CSV file.
        actor: Who imports (recorded in the audit log).
        full: The file is the whole book: customers missing from it are marked removed.

    Raises:
        InputError: The file is invalid (nothing is imported).
    """
    book = read_book(path)
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
            seen = {c.id for c in book}
            gone = [{"cid": cid} for cid, (_, active) in existing.items() if active and cid not in seen]
            remove = (
                customers.update()
                .where(customers.c.id == sa.bindparam("cid"))
                .values(active=False, updated_at=at, removed_at=at)
            )
            for batch in _batches(gone):
                conn.execute(remove, batch)
            removed = len(gone)
        result = BookImport(str(path), len(new), len(changed), unchanged, removed, full)
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
