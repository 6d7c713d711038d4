"""Screening the customer book: each matching (customer, entity) pair opens one alert.

A pair with an open, escalated or pending alert gets nothing new. A pair decided before is left
alone while both the customer's data and the entity's record are unchanged (a false positive is then
*suppressed*); a change to either opens a new alert that links the decided one
(``supersedes_alert_id``). Screening twice therefore opens nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.book import Customer, active_customers, canonical
from sanctionwatch.cases.delisting import close_unlisted
from sanctionwatch.cases.states import LIVE_STATES, State
from sanctionwatch.matching.score import Hit
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store.schema import alerts, entities, rescreen_jobs, versions

__all__ = [
    "CHUNK",
    "MATCH_LIMIT",
    "ScreenReport",
    "apply_chunk",
    "apply_matches",
    "last_job_id",
    "match_hits",
    "screen_book",
    "supersede_jobs",
]

CHUNK = 500
"""Customers screened per transaction."""


@dataclass(slots=True)
class ScreenReport:
    """What a screen of the book did, counted.

    ``stale`` counts matches with an entity no longer in the active list versions (the screener was
    built before a list update): no alert is opened for them; screen again with a fresh screener.
    """

    customers: int = 0
    matches: int = 0
    opened: int = 0
    reopened: int = 0
    already_open: int = 0
    suppressed: int = 0
    decided: int = 0
    stale: int = 0
    list_versions: dict[str, int] = field(default_factory=dict)

    def add(self, other: ScreenReport) -> None:
        """Add another report's counts to this one's."""
        for name in ("customers", "matches", "opened", "reopened", "already_open", "suppressed", "decided"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.stale += other.stale

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "customers": self.customers,
            "matches": self.matches,
            "opened": self.opened,
            "reopened": self.reopened,
            "already_open": self.already_open,
            "suppressed": self.suppressed,
            "decided": self.decided,
            "stale": self.stale,
            "list_versions": dict(self.list_versions),
        }


@dataclass(frozen=True, slots=True)
class _Latest:
    id: int
    state: str
    customer_fingerprint: str
    entity_fingerprint: str


def _entity_fingerprints(conn: Connection, ids: set[str]) -> dict[str, tuple[str, int]]:
    """``entity_id -> (fingerprint, version id)`` in the active list versions."""
    out: dict[str, tuple[str, int]] = {}
    for chunk in _slices(sorted(ids), 500):
        rows = conn.execute(
            sa.select(entities.c.entity_id, entities.c.fingerprint, entities.c.version_id)
            .join(versions, versions.c.id == entities.c.version_id)
            .where(versions.c.active, entities.c.entity_id.in_(chunk))
        )
        out.update({r.entity_id: (r.fingerprint, r.version_id) for r in rows})
    return out


def _latest_alerts(conn: Connection, customer_ids: list[str]) -> dict[tuple[str, str], _Latest]:
    """The newest alert of each pair involving these customers."""
    out: dict[tuple[str, str], _Latest] = {}
    rows = conn.execute(
        sa.select(
            alerts.c.id,
            alerts.c.customer_id,
            alerts.c.entity_id,
            alerts.c.state,
            alerts.c.customer_fingerprint,
            alerts.c.entity_fingerprint,
        )
        .where(alerts.c.customer_id.in_(customer_ids))
        .order_by(alerts.c.id)
    )
    for r in rows:
        out[(r.customer_id, r.entity_id)] = _Latest(
            r.id, r.state, r.customer_fingerprint, r.entity_fingerprint
        )
    return out


def _slices(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _open_alert(
    conn: Connection,
    actor: str,
    customer: Customer,
    hit: Hit,
    entity: tuple[str, int],
    supersedes: int | None,
) -> None:
    at = now()
    alert_id = conn.execute(
        alerts.insert()
        .values(
            customer_id=customer.id,
            entity_id=hit.entity_id,
            score=hit.score,
            explanation=orjson.dumps(hit.to_dict()).decode(),
            list_version_id=entity[1],
            customer_data=canonical(customer.data).decode(),
            customer_fingerprint=customer.fingerprint,
            entity_fingerprint=entity[0],
            state=State.OPEN.value,
            opened_at=at,
            supersedes_alert_id=supersedes,
        )
        .returning(alerts.c.id)
    ).scalar_one()
    details = {
        "customer_id": customer.id,
        "entity_id": hit.entity_id,
        "score": hit.score,
        "list_version_id": entity[1],
        "supersedes_alert_id": supersedes,
    }
    record(conn, actor, "alert.open", f"alert:{alert_id}", details)


MATCH_LIMIT = 1000
"""Most hits kept per customer: in practice every hit above the threshold (delta re-screens rely on it)."""


def match_hits(screener: Screener, chunk: list[Customer]) -> list[tuple[Customer, Hit]]:
    """Every (customer, hit) above the alert threshold for these customers."""
    return [(c, h) for c in chunk for h in screener.screen(c.query(), limit=MATCH_LIMIT) if h.match]


def apply_matches(
    conn: Connection,
    chunk: list[Customer],
    found: list[tuple[Customer, Hit]],
    actor: str,
    report: ScreenReport,
) -> None:
    """Open, reopen or suppress alerts for the matches found for ``chunk``, in the caller's transaction.

    Args:
        conn: A connection in a transaction.
        chunk: The customers screened (``found`` holds only matches of these).
        found: Their matches above the threshold (``match_hits``, or hits screened elsewhere).
        actor: Who screens.
        report: Counts to add to.
    """
    report.matches += len(found)
    if not found:
        return
    prints = _entity_fingerprints(conn, {h.entity_id for _, h in found})
    latest = _latest_alerts(conn, [c.id for c in chunk])
    for customer, hit in found:
        entity = prints.get(hit.entity_id)
        if entity is None:  # not in the active versions: the screener predates a list update
            report.stale += 1
            continue
        before = latest.get((customer.id, hit.entity_id))
        if before is not None and before.state in LIVE_STATES:
            report.already_open += 1
            continue
        same = before is not None and (before.customer_fingerprint, before.entity_fingerprint) == (
            customer.fingerprint,
            entity[0],
        )
        if same and before is not None:
            if before.state == State.CLOSED_FALSE_POSITIVE.value:
                report.suppressed += 1
            else:
                report.decided += 1
            continue
        _open_alert(conn, actor, customer, hit, entity, before.id if before is not None else None)
        if before is None:
            report.opened += 1
        else:
            report.reopened += 1


def apply_chunk(
    engine: Engine, chunk: list[Customer], found: list[tuple[Customer, Hit]], actor: str, report: ScreenReport
) -> None:
    """``apply_matches`` in a transaction of its own, retried once if another screen got there first.

    Two screens running at once may both try to open the same alert; the database's one-live-alert-
    per-pair index refuses the second, whose chunk is rolled back and redone, now seeing that alert.
    """
    for attempt in (1, 2):
        part = ScreenReport()
        try:
            with engine.begin() as conn:
                apply_matches(conn, chunk, found, actor, part)
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        report.add(part)
        return


def last_job_id(conn: Connection) -> int | None:
    """The newest re-screen job's id (a full screen starting now covers it and every older one)."""
    found: int | None = conn.execute(sa.select(sa.func.max(rescreen_jobs.c.id))).scalar_one_or_none()
    return found


def supersede_jobs(conn: Connection, up_to: int | None, report: ScreenReport) -> None:
    """Mark the re-screen jobs pending when the screen started as done: the full screen covered them."""
    if up_to is None:
        return
    details = orjson.dumps({"superseded_by": "book.screen", **report.to_dict()}).decode()
    conn.execute(
        rescreen_jobs.update()
        .where(rescreen_jobs.c.state == "pending", rescreen_jobs.c.id <= up_to)
        .values(state="done", finished_at=now(), details=details)
    )


def screen_book(engine: Engine, screener: Screener, actor: str, chunk_size: int = CHUNK) -> ScreenReport:
    """Screen every active customer; one transaction per chunk of customers, then audit the counts.

    Alerts under review of entities no active list holds are closed as delisted first; re-screen
    jobs pending when the screen started are marked done at its end (the full screen covers them).
    A screen killed midway keeps the chunks it committed; screening again completes it.

    Args:
        engine: The store's engine.
        screener: Built from the store's active entities.
        actor: Who screens (recorded in the audit log and as the opener of alerts).
        chunk_size: Customers per transaction.
    """
    report = ScreenReport()
    with engine.begin() as conn:
        delisted = close_unlisted(conn, actor)
        last_job = last_job_id(conn)
        book = active_customers(conn)
        report.list_versions = {
            r.list_key: r.id
            for r in conn.execute(sa.select(versions.c.list_key, versions.c.id).where(versions.c.active))
        }
    report.customers = len(book)
    for part in _slices(book, chunk_size):
        apply_chunk(engine, part, match_hits(screener, part), actor, report)
    with engine.begin() as conn:
        supersede_jobs(conn, last_job, report)
        record(conn, actor, "book.screen", "book", {**report.to_dict(), "delisted": delisted})
    return report
