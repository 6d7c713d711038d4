"""Closing the alerts of delisted entities: an entity gone from its list leaves nothing to decide."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.states import LIVE_STATES, State
from sanctionwatch.store.schema import alerts, entities, transitions, versions

__all__ = ["close_delisted", "close_unlisted"]


def _close(conn: Connection, actor: str, rows: list[tuple[int, str, str]], reason: str) -> int:
    at = now()
    for alert_id, entity_id, state in rows:
        conn.execute(
            alerts.update()
            .where(alerts.c.id == alert_id, alerts.c.state == state)
            .values(state=State.CLOSED_DELISTED.value)
        )
        conn.execute(
            transitions.insert().values(
                alert_id=alert_id,
                from_state=state,
                to_state=State.CLOSED_DELISTED.value,
                actor=actor,
                reason=reason,
                at=at,
            )
        )
        details = {"entity_id": entity_id, "from_state": state, "to_state": State.CLOSED_DELISTED.value}
        record(conn, actor, "alert.delisted", f"alert:{alert_id}", {**details, "reason": reason})
    return len(rows)


def _live(conn: Connection, where: sa.ColumnElement[bool]) -> list[tuple[int, str, str]]:
    query = (
        sa.select(alerts.c.id, alerts.c.entity_id, alerts.c.state)
        .where(alerts.c.state.in_(sorted(LIVE_STATES)), where)
        .order_by(alerts.c.id)
    )
    return [(r.id, r.entity_id, r.state) for r in conn.execute(query)]


def close_delisted(
    conn: Connection, actor: str, entity_ids: Sequence[str], list_key: str, version_id: int
) -> int:
    """Close the alerts under review of entities removed from ``list_key``; how many were closed.

    Args:
        conn: A connection in a transaction.
        actor: Who closes (the re-screen's actor).
        entity_ids: The entities the list's new version no longer holds.
        list_key: The list.
        version_id: The list's new version.
    """
    rows: list[tuple[int, str, str]] = []
    for i in range(0, len(entity_ids), 500):
        rows.extend(_live(conn, alerts.c.entity_id.in_(entity_ids[i : i + 500])))
    return _close(conn, actor, rows, f"delisted: not in {list_key} version {version_id}")


def close_unlisted(conn: Connection, actor: str) -> int:
    """Close the alerts under review whose entity no active list version holds; how many were closed."""
    listed = (
        sa.select(entities.c.entity_id)
        .join(versions, versions.c.id == entities.c.version_id)
        .where(versions.c.active, entities.c.entity_id == alerts.c.entity_id)
    )
    rows = _live(conn, ~sa.exists(listed))
    return _close(conn, actor, rows, "delisted: in no active list version")
