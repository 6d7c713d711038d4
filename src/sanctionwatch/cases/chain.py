"""The audit trail's hash chain: each entry carries its predecessor's hash and its own.

Canonical form of an entry (what is hashed), version 1:

* a JSON object with exactly the keys ``action``, ``actor``, ``at``, ``details``, ``id``,
  ``prev_hash`` and ``subject``, sorted, no whitespace (``separators=(",", ":")``), ASCII only
  (every non-ASCII character as ``\\uXXXX``, above U+FFFF as a UTF-16 surrogate pair): Python's
  ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)``;
* ``id`` the entry's integer id; ``at`` its time in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``
  (microseconds, always six digits); ``details`` the stored JSON text itself, as a string (not
  re-parsed); ``actor``, ``action``, ``subject`` as stored; ``prev_hash`` the hex hash of the entry
  before it in id order, 64 zeros (:data:`GENESIS`) for the first;
* ``hash`` = lowercase hex SHA-256 of those ASCII bytes.

Appends are serialized so two writers never chain onto the same predecessor: the one row of
``audit_chain`` (the head: last entry id and hash) is locked first, ``SELECT ... FOR UPDATE`` on
PostgreSQL, a write to it (which takes SQLite's single write lock, as ``BEGIN IMMEDIATE`` would)
on SQLite, and held to the end of the caller's transaction. :func:`verify` walks the entries in id
order and names the first that does not verify.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.errors import InputError
from sanctionwatch.store.schema import audit_chain, audit_log

__all__ = [
    "GENESIS",
    "ChainHead",
    "Verification",
    "append_entry",
    "canonical",
    "chain_head",
    "entry_hash",
    "verify",
    "write_head",
]

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

_HEAD_SLOT = 1


def _utc_text(at: datetime) -> str:
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The canonical bytes of one entry (``id, at, actor, action, subject, details, prev_hash``)."""
    obj = {
        "id": int(entry["id"]),
        "at": _utc_text(entry["at"]),
        "actor": entry["actor"],
        "action": entry["action"],
        "subject": entry["subject"],
        "details": entry["details"],
        "prev_hash": entry["prev_hash"],
    }
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hex SHA-256 of :func:`canonical` of the entry."""
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The newest entry's id and hash (``0`` and :data:`GENESIS` for an empty trail)."""

    id: int
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values."""
        return {"id": self.id, "hash": self.hash}

    def __str__(self) -> str:
        return f"entry {self.id} sha256:{self.hash}"


def _lock_head(conn: Connection) -> ChainHead:
    """Lock the head row for the rest of the transaction and read it."""
    where = audit_chain.c.slot == _HEAD_SLOT
    if conn.dialect.name == "sqlite":
        # A write takes SQLite's one write lock (waiting for it under the busy timeout).
        conn.execute(audit_chain.update().where(where).values(entry_id=audit_chain.c.entry_id))
        query = sa.select(audit_chain.c.entry_id, audit_chain.c.hash).where(where)
    else:
        query = sa.select(audit_chain.c.entry_id, audit_chain.c.hash).where(where).with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise RuntimeError("audit_chain has no head row (migration 0008_audit_chain not applied?)")
    return ChainHead(int(row[0]), str(row[1]))


def _next_id(conn: Connection) -> int:
    if conn.dialect.name == "postgresql":
        query = sa.text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")
        return int(conn.execute(query).scalar_one())
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0) + 1)).scalar_one())


def append_entry(
    conn: Connection, at: datetime, actor: str, action: str, subject: str, details: str
) -> ChainHead:
    """Append one entry chained onto the head, in the caller's transaction; the new head."""
    head = _lock_head(conn)
    entry_id = _next_id(conn)
    entry: dict[str, Any] = {
        "id": entry_id,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "prev_hash": head.hash,
    }
    digest = entry_hash(entry)
    conn.execute(audit_log.insert().values(**entry, hash=digest))
    conn.execute(
        audit_chain.update().where(audit_chain.c.slot == _HEAD_SLOT).values(entry_id=entry_id, hash=digest)
    )
    return ChainHead(entry_id, digest)


def chain_head(conn: Connection) -> ChainHead:
    """The recorded head of the chain (not checked; :func:`verify` checks it)."""
    row = conn.execute(
        sa.select(audit_chain.c.entry_id, audit_chain.c.hash).where(audit_chain.c.slot == _HEAD_SLOT)
    ).first()
    return ChainHead(0, GENESIS) if row is None else ChainHead(int(row[0]), str(row[1]))


@dataclass(frozen=True, slots=True)
class Verification:
    """What :func:`verify` found.

    Attributes:
        entries: Entries checked (up to and including the first bad one).
        head: The last entry that verified (id 0 when none).
        bad_id: The first entry that does not verify, or None; ``problem`` says why.
    """

    entries: int
    head: ChainHead
    bad_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when every entry and the recorded head verify."""
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready values."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head.to_dict(),
            "bad_id": self.bad_id,
            "problem": self.problem,
        }


def verify(engine: Engine, anchor: ChainHead | None = None) -> Verification:
    """Walk the chain in id order; the first entry whose links or content do not verify.

    An edited entry fails its own hash; a deleted or inserted one breaks the next entry's
    ``prev_hash``; entries deleted at the end disagree with the recorded head. ``anchor`` (a head
    noted earlier, outside the system) must still be an entry of the chain with that hash.
    """
    prev = ChainHead(0, GENESIS)
    count = 0
    anchored = anchor is None or anchor.id == 0
    with engine.connect() as conn:
        recorded = chain_head(conn)
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings()
        for row in rows:
            count += 1
            entry_id = int(row["id"])
            if row["prev_hash"] != prev.hash:
                after = f"entry {prev.id}" if prev.id else "the start of the chain"
                return Verification(
                    count, prev, entry_id,
                    f"entry {entry_id}: prev_hash {row['prev_hash'][:16]}... is not the hash of {after} "
                    "(an entry before it was deleted or inserted, or it was edited)",
                )  # fmt: skip
            if entry_hash(dict(row)) != row["hash"]:
                return Verification(
                    count, prev, entry_id,
                    f"entry {entry_id}: its content does not match its hash (the entry was edited)",
                )  # fmt: skip
            if anchor is not None and entry_id == anchor.id:
                if row["hash"] != anchor.hash:
                    return Verification(
                        count, prev, entry_id, f"entry {entry_id}: hash differs from the anchor {anchor.hash}"
                    )
                anchored = True
            prev = ChainHead(entry_id, str(row["hash"]))
    if recorded != prev:
        return Verification(
            count, prev, recorded.id,
            f"the recorded head is {recorded} but the last entry is {prev} "
            "(entries at the end were deleted, or the head was changed)",
        )  # fmt: skip
    if not anchored and anchor is not None:
        return Verification(count, prev, anchor.id, f"anchor entry {anchor.id} is not in the chain (deleted)")
    return Verification(count, prev)


def write_head(head: ChainHead, path: Path) -> None:
    """Write the head as JSON ``{"id": N, "hash": "..."}`` (to anchor it outside the system).

    Raises:
        InputError: The file cannot be written.
    """
    try:
        path.write_text(json.dumps(head.to_dict()) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
