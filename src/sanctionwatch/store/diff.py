"""What changed between two versions of a list: added, removed and changed entities.

Entities are compared by id; a changed entity is one whose content fingerprint differs, reported
with each top-level field (``names``, ``programs``, ``remarks``...) whose value differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.errors import VersionNotFound
from sanctionwatch.store.queries import get_version
from sanctionwatch.store.records import VersionInfo
from sanctionwatch.store.schema import entities, versions

__all__ = ["EntityChange", "EntityRef", "FieldChange", "ListDiff", "compute_diff", "default_versions"]


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity named in a diff: id, schema and primary name."""

    id: str
    schema: str
    caption: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "schema": self.schema, "caption": self.caption}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an entity whose value changed (values as in ``Entity.to_dict()``; absent = None)."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class EntityChange:
    """An entity present in both versions with different content."""

    entity: EntityRef
    fields: tuple[FieldChange, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.entity.to_dict(), "fields": [f.to_dict() for f in self.fields]}


@dataclass(frozen=True, slots=True)
class ListDiff:
    """The changes from one version of a list to another."""

    list_key: str
    from_version: VersionInfo
    to_version: VersionInfo
    added: tuple[EntityRef, ...]
    removed: tuple[EntityRef, ...]
    changed: tuple[EntityChange, ...]
    unchanged_count: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "list_key": self.list_key,
            "from_version": self.from_version.to_dict(),
            "to_version": self.to_version.to_dict(),
            "added": [e.to_dict() for e in self.added],
            "removed": [e.to_dict() for e in self.removed],
            "changed": [c.to_dict() for c in self.changed],
            "unchanged_count": self.unchanged_count,
        }


def default_versions(
    conn: Connection, list_key: str, from_version: int | None, to_version: int | None
) -> tuple[VersionInfo, VersionInfo]:
    """Resolve the two versions a diff compares.

    ``to`` defaults to the active version; ``from`` to the version ``to`` replaced when it was
    activated, else the version of the list imported just before ``to``.

    Raises:
        VersionNotFound: A version does not exist, belongs to another list, or there is no earlier one.
    """
    if to_version is None:
        row = conn.execute(
            sa.select(versions.c.id).where((versions.c.list_key == list_key) & versions.c.active)
        ).first()
        if row is None:
            raise VersionNotFound(f"list {list_key!r} has no active version; name one with --to")
        to_version = int(row.id)
    to_info = _of_list(conn, list_key, to_version)
    if from_version is None:
        from_version = to_info.replaced_id
    if from_version is None:
        earlier = conn.execute(
            sa.select(sa.func.max(versions.c.id)).where(
                (versions.c.list_key == list_key) & (versions.c.id < to_info.id)
            )
        ).scalar()
        if earlier is None:
            raise VersionNotFound(
                f"list {list_key!r} has no version before version {to_info.id} to compare with"
            )
        from_version = int(earlier)
    return _of_list(conn, list_key, from_version), to_info


def _of_list(conn: Connection, list_key: str, version_id: int) -> VersionInfo:
    info = get_version(conn, version_id)
    if info.list_key != list_key:
        raise VersionNotFound(f"list version {version_id} belongs to {info.list_key!r}, not {list_key!r}")
    return info


def _fingerprints(conn: Connection, version_id: int) -> dict[str, tuple[str, str, str]]:
    rows = conn.execute(
        sa.select(entities.c.entity_id, entities.c.fingerprint, entities.c.schema, entities.c.caption).where(
            entities.c.version_id == version_id
        )
    )
    return {r.entity_id: (r.fingerprint, r.schema, r.caption) for r in rows}


def _data(conn: Connection, version_id: int, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            sa.select(entities.c.entity_id, entities.c.data).where(
                (entities.c.version_id == version_id) & entities.c.entity_id.in_(chunk)
            )
        )
        out.update({r.entity_id: orjson.loads(r.data) for r in rows})
    return out


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    keys = list(old) + [k for k in new if k not in old]
    return tuple(FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def compute_diff(conn: Connection, old: VersionInfo, new: VersionInfo) -> ListDiff:
    """Compare two versions of one list."""
    before = _fingerprints(conn, old.id)
    after = _fingerprints(conn, new.id)
    added = tuple(EntityRef(i, after[i][1], after[i][2]) for i in sorted(after.keys() - before.keys()))
    removed = tuple(EntityRef(i, before[i][1], before[i][2]) for i in sorted(before.keys() - after.keys()))
    changed_ids = sorted(i for i in after.keys() & before.keys() if after[i][0] != before[i][0])
    old_data = _data(conn, old.id, changed_ids)
    new_data = _data(conn, new.id, changed_ids)
    changed = tuple(
        EntityChange(EntityRef(i, after[i][1], after[i][2]), _field_changes(old_data[i], new_data[i]))
        for i in changed_ids
    )
    unchanged = len(after.keys() & before.keys()) - len(changed_ids)
    return ListDiff(new.list_key, old, new, added, removed, changed, unchanged)
