"""Reading the store: versions, single entities, and the stream of active entities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.errors import EntityNotFound, ListNotFound, VersionNotFound
from sanctionwatch.model import Entity
from sanctionwatch.sources.base import Skipped
from sanctionwatch.store.records import VersionInfo
from sanctionwatch.store.schema import entities, skipped, versions

__all__ = [
    "STREAM_BATCH",
    "active_versions",
    "get_entity",
    "get_version",
    "iter_entities",
    "list_versions",
    "select_active",
    "skipped_records",
]

STREAM_BATCH = 5000
"""Rows fetched per round trip when streaming entities."""


def list_versions(conn: Connection, list_key: str | None = None) -> list[VersionInfo]:
    """Every version, or every version of one list, ordered by list key then import order.

    Raises:
        ListNotFound: ``list_key`` is given and the list has no version.
    """
    query = sa.select(versions).order_by(versions.c.list_key, versions.c.id)
    if list_key is not None:
        query = query.where(versions.c.list_key == list_key)
    found = [VersionInfo.from_row(row) for row in conn.execute(query).mappings()]
    if list_key is not None and not found:
        raise ListNotFound(f"list {list_key!r} has no imported version{_known_lists(conn)}")
    return found


def _known_lists(conn: Connection) -> str:
    keys = conn.execute(sa.select(versions.c.list_key).distinct().order_by(versions.c.list_key)).scalars()
    known = ", ".join(keys)
    return f"; imported lists: {known}" if known else "; no list is imported yet (sanctionwatch lists import)"


def get_version(conn: Connection, version_id: int) -> VersionInfo:
    """One version by id.

    Raises:
        VersionNotFound: No version has this id.
    """
    row = conn.execute(sa.select(versions).where(versions.c.id == version_id)).mappings().first()
    if row is None:
        raise VersionNotFound(
            f"list version {version_id} does not exist (see sanctionwatch lists status --all)"
        )
    return VersionInfo.from_row(row)


def active_versions(conn: Connection) -> dict[str, VersionInfo]:
    """The active version of each list, by list key."""
    rows = conn.execute(sa.select(versions).where(versions.c.active).order_by(versions.c.list_key)).mappings()
    return {row["list_key"]: VersionInfo.from_row(row) for row in rows}


def get_entity(conn: Connection, entity_id: str, version: int | None = None) -> Entity:
    """One entity from the active version of its list, or from the version given.

    Raises:
        EntityNotFound: The entity is not in that version; the message says which versions hold it.
        VersionNotFound: ``version`` does not exist.
    """
    query = sa.select(entities.c.data, entities.c.version_id).where(entities.c.entity_id == entity_id)
    if version is None:
        query = query.join(versions, versions.c.id == entities.c.version_id).where(versions.c.active)
    else:
        get_version(conn, version)
        query = query.where(entities.c.version_id == version)
    row = conn.execute(query).first()
    if row is not None:
        return Entity.from_dict(orjson.loads(row.data), list_version=row.version_id)
    held = list(
        conn.execute(
            sa.select(entities.c.version_id)
            .where(entities.c.entity_id == entity_id)
            .order_by(entities.c.version_id)
        ).scalars()
    )
    where = f"list version {version}" if version is not None else "the active list versions"
    hint = f"; it is in list version(s) {', '.join(map(str, held))}" if held else ""
    raise EntityNotFound(f"entity {entity_id!r} is not in {where}{hint}")


def iter_entities(engine: Engine, version_ids: Iterable[int]) -> Iterator[Entity]:
    """Stream the entities of the given versions, version by version, by entity id.

    The connection stays open while the iterator is consumed; exhaust or close the iterator to
    release it.
    """
    loads = orjson.loads
    from_dict = Entity.from_dict
    with engine.connect() as conn:
        for version_id in version_ids:
            result = conn.execution_options(yield_per=STREAM_BATCH).execute(
                sa.select(entities.c.data)
                .where(entities.c.version_id == version_id)
                .order_by(entities.c.entity_id)
            )
            for data in result.scalars():
                yield from_dict(loads(data), version_id)


def select_active(conn: Connection, list_keys: Iterable[str] | None) -> list[VersionInfo]:
    """The active versions of the lists given (all lists when ``None``).

    Raises:
        ListNotFound: A list key given has no active version.
    """
    active = active_versions(conn)
    if list_keys is None:
        return list(active.values())
    keys = list(dict.fromkeys(list_keys))
    for key in keys:
        if key not in active:
            raise ListNotFound(f"list {key!r} has no active version{_known_lists(conn)}")
    return [active[k] for k in keys]


def skipped_records(conn: Connection, version_id: int) -> list[Skipped]:
    """The records a lenient import of this version left out, in the order met.

    Raises:
        VersionNotFound: No version has this id.
    """
    get_version(conn, version_id)
    rows = conn.execute(
        sa.select(skipped.c.path, skipped.c.location, skipped.c.reason)
        .where(skipped.c.version_id == version_id)
        .order_by(skipped.c.seq)
    )
    return [Skipped(r.path, r.location, r.reason) for r in rows]
