"""The user's ownership graph in the store: import a file as a new version (audited), and build the
graph ``ownership check`` evaluates from it, the lists' own edges and the names of the parties.

Each import is a whole new version of the user's graph (the previous version is kept, inactive), so
what an evaluation used can always be told; the audit entry says how the edges changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.book import active_customers
from sanctionwatch.errors import InputError
from sanctionwatch.model import Entity
from sanctionwatch.network.csvfile import EdgeRowError, read_edges
from sanctionwatch.network.graph import Edge, EdgeKind, OwnershipGraph
from sanctionwatch.network.list_edges import list_edges
from sanctionwatch.network.rules import Evaluation, Regime, evaluate
from sanctionwatch.store.schema import entities, ownership_edges, ownership_versions, versions

__all__ = ["OwnershipImport", "active_edges", "evaluate_store", "import_ownership", "load_graph"]

AUDITED_ERRORS = 100
WRITE_BATCH = 1000


@dataclass(frozen=True, slots=True)
class OwnershipImport:
    """What an ownership import did: the version written and how its edges differ from the last."""

    path: str
    version_id: int
    edges: int
    added: int
    removed: int
    changed: int
    failed: tuple[EdgeRowError, ...] = field(default=())

    @property
    def total(self) -> int:
        """Rows in the file (imported or failed)."""
        return self.edges + len(self.failed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; with bad rows, ``failed`` counts them and ``errors`` lists the first ones."""
        out: dict[str, Any] = {
            "path": self.path,
            "version_id": self.version_id,
            "rows": self.total,
            "edges": self.edges,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
        }
        if self.failed:
            out["failed"] = len(self.failed)
            out["errors"] = [{"line": e.line, "error": e.error} for e in self.failed[:AUDITED_ERRORS]]
        return out


def _active_version(conn: Connection) -> int | None:
    row = conn.execute(
        sa.select(ownership_versions.c.id)
        .where(ownership_versions.c.active)
        .order_by(ownership_versions.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else int(row.id)


def _edges_of(conn: Connection, version_id: int | None) -> list[Edge]:
    if version_id is None:
        return []
    rows = conn.execute(
        sa.select(ownership_edges)
        .where(ownership_edges.c.version_id == version_id)
        .order_by(ownership_edges.c.line)
    )
    return [Edge(r.owner, r.owned, r.percentage, EdgeKind(r.kind), f"line {r.line}") for r in rows]


def active_edges(conn: Connection) -> list[Edge]:
    """The edges of the active version of the user's ownership graph (none before an import)."""
    return _edges_of(conn, _active_version(conn))


def _key(e: Edge) -> tuple[str, str, str]:
    return (e.owner, e.owned, e.kind.value)


def _unknown_ids(
    conn: Connection, path: Path, good: list[tuple[int, Edge]], strict: bool
) -> tuple[list[tuple[int, Edge]], list[EdgeRowError]]:
    """Take out the rows naming an entity id (``<list key>:...`` of an active list) no active
    version holds: a typo there would silently make a company of the id."""
    keys = set(conn.execute(sa.select(versions.c.list_key).where(versions.c.active)).scalars())
    wanted = sorted({p for _, e in good for p in (e.owner, e.owned) if p.split(":", 1)[0] in keys})
    known: set[str] = set()
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            sa.select(entities.c.entity_id)
            .join(versions, versions.c.id == entities.c.version_id)
            .where(versions.c.active, entities.c.entity_id.in_(wanted[start : start + 500]))
        )
        known.update(rows.scalars())
    kept: list[tuple[int, Edge]] = []
    failed: list[EdgeRowError] = []
    for line, e in good:
        bad = [(f, p) for f, p in (("owner", e.owner), ("owned", e.owned)) if p in wanted and p not in known]
        if not bad:
            kept.append((line, e))
            continue
        field_name, value = bad[0]
        why = f"{field_name}: {value!r} is no entity of the active {value.split(':', 1)[0]} list"
        if strict:
            raise InputError(f"{path}:{line}: {why}")
        failed.append(EdgeRowError(line, why))
    return kept, failed


def import_ownership(engine: Engine, path: Path, actor: str, strict: bool = True) -> OwnershipImport:
    """Import an ownership file as the new active version, in one transaction, and audit it.

    Args:
        engine: The store's engine.
        path: The CSV file (``owner,owned,percentage,kind``).
        actor: Who imports (recorded in the audit log).
        strict: A bad row stops the import (nothing is written); otherwise the other rows are
            imported and the bad ones reported in ``OwnershipImport.failed`` and the audit entry.

    A row naming an entity id of an active list that the list does not hold is bad too.

    Raises:
        InputError: Not an ownership file, or (strict) a bad row; nothing is imported.
    """
    good, failed = read_edges(path, strict)
    try:
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with engine.begin() as conn:
        good, unknown = _unknown_ids(conn, path, good, strict)
        failed = sorted([*failed, *unknown], key=lambda e: e.line)
        before = {_key(e): e.percentage for e in active_edges(conn)}
        conn.execute(ownership_versions.update().where(ownership_versions.c.active).values(active=False))
        inserted = conn.execute(
            ownership_versions.insert().values(
                path=str(path),
                checksum=checksum,
                actor=actor,
                imported_at=now(),
                edge_count=len(good),
                failed_count=len(failed),
                active=True,
            )
        )
        key = inserted.inserted_primary_key
        assert key is not None
        version_id = int(key[0])
        rows = [
            {
                "version_id": version_id,
                "line": line,
                "owner": e.owner,
                "owned": e.owned,
                "percentage": e.percentage,
                "kind": e.kind.value,
            }
            for line, e in good
        ]
        for start in range(0, len(rows), WRITE_BATCH):
            conn.execute(ownership_edges.insert(), rows[start : start + WRITE_BATCH])
        after = {_key(e): e.percentage for _, e in good}
        result = OwnershipImport(
            str(path),
            version_id,
            len(good),
            added=len(after.keys() - before.keys()),
            removed=len(before.keys() - after.keys()),
            changed=sum(1 for k in after.keys() & before.keys() if after[k] != before[k]),
            failed=tuple(failed),
        )
        record(conn, actor, "ownership.import", str(path), result.to_dict())
    return result


def load_graph(engine: Engine, entities: Iterable[Entity]) -> OwnershipGraph:
    """The graph of the user's active edges and the lists' edges, with the parties' names.

    Entity ids get their entity's primary name, customer ids the customer's name; any other node
    is a name already. An edge the user gives replaces the same (owner, owned, kind) from a list.
    """
    listed = list_edges(entities)
    with engine.connect() as conn:
        user = active_edges(conn)
        customers = {c.id: str(c.data.get("name", c.id)) for c in active_customers(conn)}
    own = {_key(e) for e in user}
    edges = [*user, *(e for e in listed.edges if _key(e) not in own)]
    graph = OwnershipGraph.build(edges)
    graph.set_names({**customers, **listed.names})
    return graph


def evaluate_store(engine: Engine, entities: Iterable[Entity], regime: Regime) -> Evaluation:
    """Evaluate the stored graph under ``regime``: its designated parties are the active entities
    of the regime's lists."""
    items = list(entities)
    graph = load_graph(engine, items)
    return evaluate(graph, regime, (e.id for e in items if regime.designates(e.id)))
