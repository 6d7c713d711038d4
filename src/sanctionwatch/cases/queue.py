"""The review queue and the audit trail as the analyst UI pages through them: filtered, sorted, counted.

Filtering, sorting and paging happen in SQL (the same on SQLite and PostgreSQL); only the page's
rows are read and their stored JSON parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.audit import AuditEntry, as_utc, now
from sanctionwatch.cases.states import LIVE_STATES, State
from sanctionwatch.errors import InputError
from sanctionwatch.store.schema import alerts, audit_log, versions

__all__ = [
    "PER_PAGE",
    "SORTS",
    "AlertFilter",
    "AlertPage",
    "AlertRow",
    "AuditFilter",
    "AuditPage",
    "Page",
    "audit_actions",
    "audit_page",
    "iter_audit_filtered",
    "known_lists",
    "list_key_of",
    "queue_page",
    "state_counts",
    "superseded_by",
]

PER_PAGE = 50
SORTS = ("score", "opened_at", "id")
"""The columns the queue sorts by."""

T = TypeVar("T")

_SORT_COLUMNS = {"score": alerts.c.score, "opened_at": alerts.c.opened_at, "id": alerts.c.id}


def list_key_of(entity_id: str) -> str:
    """The list key of an entity id (``us-ofac-sdn:20157`` → ``us-ofac-sdn``)."""
    return entity_id.partition(":")[0]


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which alerts the queue shows, in which order, and which page of them.

    Attributes:
        states: The states shown; None for every state.
        list_key: Only alerts on entities of this list.
        min_score: Only alerts scoring at least this.
        max_score: Only alerts scoring at most this.
        older_than_days: Only alerts opened at least this many days ago.
        newer_than_days: Only alerts opened less than this many days ago.
        sort: ``score``, ``opened_at`` or ``id``.
        descending: Highest, newest or last first.
        page: 1-based page number.
        per_page: Rows per page.
    """

    states: frozenset[str] | None = LIVE_STATES
    list_key: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    older_than_days: int | None = None
    newer_than_days: int | None = None
    sort: str = "opened_at"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        known = [s.value for s in State]
        for s in sorted(self.states or ()):
            if s not in known:
                raise InputError(f"state: unknown alert state {s!r}; known states: {', '.join(known)}")
        if self.sort not in SORTS:
            raise InputError(f"sort: unknown sort column {self.sort!r}; choose one of {', '.join(SORTS)}")
        if self.page < 1 or self.per_page < 1:
            raise InputError(f"page: must be 1 or more (got page {self.page}, {self.per_page} per page)")


@dataclass(frozen=True, slots=True)
class AlertRow:
    """One queue row: the alert with its customer's name and the entity's caption as stored on it."""

    id: int
    customer_id: str
    customer_name: str
    entity_id: str
    caption: str
    list_key: str
    score: float
    state: str
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of what a filter selects (queue rows, audit entries), and how many it selects in all."""

    items: tuple[T, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


AlertPage = Page[AlertRow]
"""A page of the review queue."""


def _alert_where(f: AlertFilter, at: datetime) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.states is not None:
        where.append(alerts.c.state.in_(sorted(f.states)))
    if f.list_key:
        where.append(alerts.c.entity_id.startswith(f"{f.list_key}:", autoescape=True))
    if f.min_score is not None:
        where.append(alerts.c.score >= f.min_score)
    if f.max_score is not None:
        where.append(alerts.c.score <= f.max_score)
    if f.older_than_days is not None:
        where.append(alerts.c.opened_at <= at - timedelta(days=f.older_than_days))
    if f.newer_than_days is not None:
        where.append(alerts.c.opened_at > at - timedelta(days=f.newer_than_days))
    return where


def _row(r: Any) -> AlertRow:
    customer = orjson.loads(r.customer_data)
    hit = orjson.loads(r.explanation)
    return AlertRow(
        r.id,
        r.customer_id,
        str(customer.get("name", "")),
        r.entity_id,
        str(hit.get("caption", "")),
        list_key_of(r.entity_id),
        r.score,
        r.state,
        as_utc(r.opened_at),
    )


def queue_page(engine: Engine, f: AlertFilter, at: datetime | None = None) -> AlertPage:
    """The page of alerts ``f`` selects; ages count back from ``at`` (default: now)."""
    where = _alert_where(f, at or now())
    column = _SORT_COLUMNS[f.sort]
    order = [column.desc(), alerts.c.id.desc()] if f.descending else [column.asc(), alerts.c.id.asc()]
    query = (
        sa.select(
            alerts.c.id,
            alerts.c.customer_id,
            alerts.c.customer_data,
            alerts.c.entity_id,
            alerts.c.explanation,
            alerts.c.score,
            alerts.c.state,
            alerts.c.opened_at,
        )
        .where(*where)
        .order_by(*order)
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(alerts).where(*where)).scalar_one()
        rows = tuple(_row(r) for r in conn.execute(query))
    return Page(rows, total, f.page, f.per_page)


def state_counts(engine: Engine) -> dict[str, int]:
    """How many alerts are in each state (every state, zero included)."""
    counts = dict.fromkeys((s.value for s in State), 0)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(alerts.c.state, sa.func.count()).group_by(alerts.c.state))
        counts.update({state: n for state, n in rows})
    return counts


def known_lists(engine: Engine) -> list[str]:
    """The keys of the lists the store has imported, sorted (the queue's list filter choices)."""
    with engine.connect() as conn:
        return _distinct(conn, versions.c.list_key)


def superseded_by(engine: Engine, alert_id: int) -> list[int]:
    """The alerts opened again for the pair after this one was decided (``supersedes_alert_id``)."""
    with engine.connect() as conn:
        query = sa.select(alerts.c.id).where(alerts.c.supersedes_alert_id == alert_id).order_by(alerts.c.id)
        return list(conn.execute(query).scalars())


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries to show: exact action, actor and subject; ``since``/``until`` are UTC days,
    both included."""

    action: str | None = None
    actor: str | None = None
    subject: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise InputError(f"until: {self.until.isoformat()} is before since {self.since.isoformat()}")
        if self.page < 1 or self.per_page < 1:
            raise InputError(f"page: must be 1 or more (got page {self.page}, {self.per_page} per page)")


AuditPage = Page[AuditEntry]
"""A page of the audit trail, newest first."""


def _day(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _audit_where(f: AuditFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.action:
        where.append(audit_log.c.action == f.action)
    if f.actor:
        where.append(audit_log.c.actor == f.actor)
    if f.subject:
        where.append(audit_log.c.subject == f.subject)
    if f.since:
        where.append(audit_log.c.at >= _day(f.since))
    if f.until:
        where.append(audit_log.c.at < _day(f.until) + timedelta(days=1))
    return where


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.id, as_utc(row.at), row.actor, row.action, row.subject, orjson.loads(row.details))


def audit_page(engine: Engine, f: AuditFilter) -> AuditPage:
    """The page of audit entries ``f`` selects, newest first."""
    where = _audit_where(f)
    query = (
        sa.select(audit_log)
        .where(*where)
        .order_by(audit_log.c.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(*where)).scalar_one()
        entries = tuple(_entry(r) for r in conn.execute(query))
    return Page(entries, total, f.page, f.per_page)


def iter_audit_filtered(engine: Engine, f: AuditFilter) -> Iterator[AuditEntry]:
    """Every entry ``f`` selects (paging ignored), oldest first, as ``audit.export_csv`` writes them."""
    query = sa.select(audit_log).where(*_audit_where(f)).order_by(audit_log.c.id)
    with engine.connect() as conn:
        for row in conn.execute(query):
            yield _entry(row)


def audit_actions(engine: Engine) -> list[str]:
    """The actions the audit trail holds, sorted (the filter's choices)."""
    with engine.connect() as conn:
        return _distinct(conn, audit_log.c.action)


def _distinct(conn: Connection, column: sa.Column[str]) -> list[str]:
    return list(conn.execute(sa.select(column).distinct().order_by(column)).scalars())
