"""Retiring a list in favour of its successor: the work on its entities carries over.

``uk-ofsi`` closed on 2026-01-28; the UK Sanctions List (``uk-sl``) carries its designations on,
each stating the OFSI Group ID it had (a ``same_as`` link to ``uk-ofsi:<Group ID>``). Retiring
``uk-ofsi`` with successor ``uk-sl`` moves every alert under review and every standing
false-positive decision on a ``uk-ofsi`` entity to the ``uk-sl`` designation that names it, and
deactivates the retired list: nothing is closed as delisted, a moved decision keeps suppressing
re-alerts (it takes the successor record's fingerprint), and each move is a transition on the
alert (state unchanged, the reason naming both ids) and an ``alert.moved`` audit entry.

An alert whose entity no successor designation names is left as it was and reported. As long as
such an alert is under review the list is not deactivated (a list with no active version would
have its alerts closed as delisted at the next re-screen) unless ``force`` is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.states import LIVE_STATES, State
from sanctionwatch.errors import ImportRefused, ListNotFound
from sanctionwatch.store.schema import alerts, entities, transitions, versions

__all__ = ["SuccessionReport", "retire_list"]


@dataclass
class SuccessionReport:
    """What retiring a list did.

    Attributes:
        list_key: The retired list.
        successor: The list that carries its designations on.
        successor_version: The successor's active version the alerts now point to.
        moved: ``(alert id, old entity id, new entity id, state)`` of each alert moved.
        no_successor: ``(alert id, entity id, state)`` of each alert no successor designation names.
        conflicts: ``(alert id, entity id, successor entity id, live alert id)``: the successor
            pair already has an alert under review, so this one stayed.
        deactivated: Whether the retired list's active version was deactivated.
    """

    list_key: str
    successor: str
    successor_version: int
    moved: list[tuple[int, str, str, str]] = field(default_factory=list)
    no_successor: list[tuple[int, str, str]] = field(default_factory=list)
    conflicts: list[tuple[int, str, str, int]] = field(default_factory=list)
    deactivated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "list_key": self.list_key,
            "successor": self.successor,
            "successor_version": self.successor_version,
            "moved": [{"alert_id": a, "from": f, "to": t, "state": s} for a, f, t, s in self.moved],
            "no_successor": [{"alert_id": a, "entity_id": e, "state": s} for a, e, s in self.no_successor],
            "conflicts": [
                {"alert_id": a, "entity_id": e, "successor_id": t, "live_alert_id": live}
                for a, e, t, live in self.conflicts
            ],
            "deactivated": self.deactivated,
        }


def _active_version(conn: Connection, list_key: str) -> int | None:
    return conn.execute(
        sa.select(versions.c.id).where(versions.c.list_key == list_key, versions.c.active)
    ).scalar_one_or_none()


def _successors(conn: Connection, version_id: int, list_key: str) -> dict[str, tuple[str, str]]:
    """``predecessor id -> (successor id, fingerprint)`` from the successor entities' ``same_as`` links."""
    prefix = f"{list_key}:"
    out: dict[str, tuple[str, str]] = {}
    rows = conn.execute(
        sa.select(entities.c.entity_id, entities.c.fingerprint, entities.c.data).where(
            entities.c.version_id == version_id
        )
    )
    for row in rows:
        for link in orjson.loads(row.data).get("links", ()):
            target = link.get("target_id") or ""
            if link.get("relation") == "same_as" and target.startswith(prefix):
                out.setdefault(target, (row.entity_id, row.fingerprint))
    return out


def _candidates(conn: Connection, list_key: str) -> list[sa.Row[Any]]:
    """Alerts under review, and false-positive decisions that are their pair's newest alert."""
    like = alerts.c.entity_id.like(f"{list_key}:%")
    newest = (
        sa.select(sa.func.max(alerts.c.id))
        .where(like)
        .group_by(alerts.c.customer_id, alerts.c.entity_id)
        .scalar_subquery()
    )
    query = (
        sa.select(alerts.c.id, alerts.c.customer_id, alerts.c.entity_id, alerts.c.state)
        .where(
            like,
            sa.or_(
                alerts.c.state.in_(sorted(LIVE_STATES)),
                sa.and_(alerts.c.state == State.CLOSED_FALSE_POSITIVE.value, alerts.c.id.in_(newest)),
            ),
        )
        .order_by(alerts.c.id)
    )
    return list(conn.execute(query))


def _live_alert(conn: Connection, customer_id: str, entity_id: str) -> int | None:
    return conn.execute(
        sa.select(alerts.c.id).where(
            alerts.c.customer_id == customer_id,
            alerts.c.entity_id == entity_id,
            alerts.c.state.in_(sorted(LIVE_STATES)),
        )
    ).scalar_one_or_none()


def retire_list(
    engine: Engine, list_key: str, successor: str, actor: str, force: bool = False
) -> SuccessionReport:
    """Move the retired list's alerts and decisions to its successor and deactivate it, in one transaction.

    Raises:
        ListNotFound: The successor has no active version (import it first).
        ImportRefused: Alerts under review have no successor designation and ``force`` is false
            (nothing is changed; the message says how many).
    """
    with engine.begin() as conn:
        version = _active_version(conn, successor)
        if version is None:
            raise ListNotFound(
                f"list {successor!r} has no active version: import it before retiring {list_key!r}"
            )
        names = _successors(conn, version, list_key)
        report = SuccessionReport(list_key, successor, version)
        at = now()
        for row in _candidates(conn, list_key):
            target = names.get(row.entity_id)
            if target is None:
                report.no_successor.append((row.id, row.entity_id, row.state))
                continue
            new_id, fingerprint = target
            live = _live_alert(conn, row.customer_id, new_id) if row.state in LIVE_STATES else None
            if live is not None:
                report.conflicts.append((row.id, row.entity_id, new_id, live))
                continue
            conn.execute(
                alerts.update()
                .where(alerts.c.id == row.id)
                .values(entity_id=new_id, entity_fingerprint=fingerprint, list_version_id=version)
            )
            reason = f"succession: {row.entity_id} -> {new_id} ({list_key} retired, successor {successor})"
            conn.execute(
                transitions.insert().values(
                    alert_id=row.id,
                    from_state=row.state,
                    to_state=row.state,
                    actor=actor,
                    reason=reason,
                    at=at,
                )
            )
            details = {"from": row.entity_id, "to": new_id, "state": row.state, "list_version_id": version}
            record(conn, actor, "alert.moved", f"alert:{row.id}", details)
            report.moved.append((row.id, row.entity_id, new_id, row.state))
        stranded = [a for a in report.no_successor if a[2] in LIVE_STATES]
        if stranded and not force:
            raise ImportRefused(
                f"{len(stranded)} alert(s) under review on {list_key} entities have no {successor} "
                f"designation (first: alert {stranded[0][0]} on {stranded[0][1]}); "
                "decide them, or retire with --force"
            )
        report.deactivated = (
            conn.execute(
                versions.update()
                .where(versions.c.list_key == list_key, versions.c.active)
                .values(active=False)
            ).rowcount
            > 0
        )
        record(
            conn,
            actor,
            "list.retire",
            list_key,
            {
                "successor": successor,
                "successor_version": version,
                "moved": len(report.moved),
                "no_successor": len(report.no_successor),
                "conflicts": len(report.conflicts),
                "deactivated": report.deactivated,
            },
        )
    return report
