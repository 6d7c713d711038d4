"""Delta re-screening: after a list version changes, re-screen only the customers the change can reach.

Each activated list version leaves a job in ``rescreen_jobs`` (written by the import's own
transaction). Carrying a job out:

1. Diff the list's version before the job and its active version now: added, changed (fingerprint
   differs) and removed entities.
2. Removed entities close their alerts still under review as ``closed_delisted``, reason "delisted".
3. The names and identifiers of the added entities, and of the changed ones whose scored content
   changed (``match_key``: names, birth dates, countries, identifiers, schema), are looked up in an
   index of the customer book (``BookIndex``) with a floor well below the alert threshold. The
   customers found, and those holding an alert on any added or changed entity, are the only ones a
   full re-screen could open or reopen an alert for on those entities.
4. Those customers are screened in full against the active lists and their alerts opened, reopened or
   suppressed exactly as ``book screen`` does (``screening.apply_matches``), one transaction per chunk.
5. The job is marked done with its report, and the re-screen audited.

A process killed in the middle leaves the job pending: running it again redoes it, and since opening
alerts is idempotent (one alert per pair under review, enforced by the database) the alert set ends up
the one an uninterrupted run gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.audit import now, record
from sanctionwatch.cases.book import active_customers
from sanctionwatch.cases.book_index import load_or_build
from sanctionwatch.cases.delisting import close_delisted
from sanctionwatch.cases.screening import CHUNK, ScreenReport, apply_chunk, match_hits
from sanctionwatch.matching.evidence import entity_countries
from sanctionwatch.matching.query import normalize_identifier
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.store.queries import get_entity
from sanctionwatch.store.schema import alerts, entities, rescreen_jobs, versions

__all__ = [
    "DeltaReport",
    "Job",
    "match_key",
    "pending_jobs",
    "rescreen",
    "run_pending",
]


@dataclass(frozen=True, slots=True)
class Job:
    """A pending re-screen owed to one activated list version."""

    id: int
    list_key: str
    from_version_id: int | None
    to_version_id: int


@dataclass(slots=True)
class DeltaReport:
    """What one delta re-screen did, and how much work it took."""

    list_key: str
    from_version_id: int | None
    to_version_id: int
    jobs: list[int]
    added: int = 0
    changed: int = 0
    removed: int = 0
    rescored: int = 0
    book: int = 0
    book_index_cached: bool = False
    candidates: int = 0
    delisted: int = 0
    screen: ScreenReport = field(default_factory=ScreenReport)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "list_key": self.list_key,
            "from_version_id": self.from_version_id,
            "to_version_id": self.to_version_id,
            "jobs": list(self.jobs),
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "rescored": self.rescored,
            "book": self.book,
            "book_index_cached": self.book_index_cached,
            "candidates": self.candidates,
            "delisted": self.delisted,
            "screen": self.screen.to_dict(),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def match_key(entity: Entity) -> bytes:
    """What of an entity the scorer reads: schema, names, birth dates, countries, identifiers.

    Two records with the same key score the same against any customer; a record whose other fields
    changed (remarks, programs, addresses' streets) can only matter where an alert already exists.
    """
    data = {
        "schema": str(entity.schema),
        "names": [(n.full, n.weak) for n in entity.names],
        "birth_dates": [(d.date, d.circa, d.to) for d in entity.birth_dates],
        "countries": sorted(entity_countries(entity)),
        "identifiers": [normalize_identifier(i.value) for i in entity.identifiers],
    }
    return orjson.dumps(data)


def pending_jobs(engine: Engine) -> list[Job]:
    """Re-screen jobs not yet carried out, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(rescreen_jobs).where(rescreen_jobs.c.state == "pending").order_by(rescreen_jobs.c.id)
        ).mappings()
        return [Job(r["id"], r["list_key"], r["from_version_id"], r["to_version_id"]) for r in rows]


def _prints(conn: Connection, version_id: int | None) -> dict[str, str]:
    if version_id is None:
        return {}
    rows = conn.execute(
        sa.select(entities.c.entity_id, entities.c.fingerprint).where(entities.c.version_id == version_id)
    )
    return {r.entity_id: r.fingerprint for r in rows}


def _old_entities(conn: Connection, version_id: int | None, ids: list[str]) -> dict[str, Entity]:
    """The records of ``ids`` in the version before the change."""
    out: dict[str, Entity] = {}
    if version_id is None:
        return out
    for i in range(0, len(ids), 500):
        rows = conn.execute(
            sa.select(entities.c.entity_id, entities.c.data).where(
                entities.c.version_id == version_id, entities.c.entity_id.in_(ids[i : i + 500])
            )
        )
        out.update({r.entity_id: Entity.from_dict(orjson.loads(r.data)) for r in rows})
    return out


def _alerted(conn: Connection, entity_ids: list[str], positions: dict[str, int]) -> set[int]:
    """Positions in the book of active customers holding any alert on these entities."""
    out: set[int] = set()
    for i in range(0, len(entity_ids), 500):
        rows = conn.execute(
            sa.select(alerts.c.customer_id).where(alerts.c.entity_id.in_(entity_ids[i : i + 500])).distinct()
        )
        out.update(positions[r.customer_id] for r in rows if r.customer_id in positions)
    return out


def _active_version(conn: Connection, list_key: str) -> int | None:
    found: int | None = conn.execute(
        sa.select(versions.c.id).where(versions.c.list_key == list_key, versions.c.active)
    ).scalar_one_or_none()
    return found


def _finish(engine: Engine, report: DeltaReport, actor: str) -> None:
    details = report.to_dict()
    with engine.begin() as conn:
        conn.execute(
            rescreen_jobs.update()
            .where(rescreen_jobs.c.id.in_(report.jobs))
            .values(state="done", finished_at=now(), details=orjson.dumps(details).decode())
        )
        record(conn, actor, "book.rescreen", report.list_key, details)


def rescreen(
    engine: Engine,
    get_screener: Callable[[], Screener],
    jobs: list[Job],
    actor: str,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> DeltaReport:
    """Carry out the pending jobs of one list as one delta re-screen (see the module docstring).

    Args:
        engine: The store's engine.
        get_screener: The screener over the store's active entities now (called only when the book
            holds customers and the list changed).
        jobs: Pending jobs of one list, oldest first.
        actor: Who re-screens (recorded as the opener of alerts and in the audit log).
        progress: Called with a short line at each step.
        cache_dir: Where the book's index is kept between re-screens (None: built every time).
    """
    say = progress or (lambda _line: None)
    list_key = jobs[0].list_key
    start = perf_counter()
    with engine.connect() as conn:
        to_id = _active_version(conn, list_key) or jobs[-1].to_version_id
        old, new = _prints(conn, jobs[0].from_version_id), _prints(conn, to_id)
        book = active_customers(conn)
    report = DeltaReport(list_key, jobs[0].from_version_id, to_id, [j.id for j in jobs], book=len(book))
    touched = sorted(eid for eid, fp in new.items() if old.get(eid) != fp)
    removed = sorted(set(old) - set(new))
    report.added = sum(1 for eid in touched if eid not in old)
    report.changed = len(touched) - report.added
    report.removed = len(removed)
    say(f"{list_key}: {report.added:,} added, {report.changed:,} changed, {report.removed:,} removed")
    with engine.begin() as conn:
        report.delisted = close_delisted(conn, actor, removed, list_key, to_id)
    report.seconds["diff"] = perf_counter() - start
    if touched and book:
        mark = perf_counter()
        screener = get_screener()
        report.seconds["screener"] = perf_counter() - mark
        mark = perf_counter()
        index, report.book_index_cached = load_or_build(book, screener.index, cache_dir)
        report.seconds["book_index"] = perf_counter() - mark
        mark = perf_counter()
        reached: set[int] = set()
        listed = screener.index
        with engine.connect() as conn:
            before = _old_entities(conn, jobs[0].from_version_id, [e for e in touched if e in old])
            for eid in touched:
                e = listed.by_id.get(eid)
                entity = listed.entities[e] if e is not None else get_entity(conn, eid, to_id)
                prior = before.get(eid)
                if prior is None or match_key(prior) != match_key(entity):
                    report.rescored += 1
                    reached |= index.reach(entity)
            reached |= _alerted(conn, touched, {c.id: n for n, c in enumerate(book)})
        report.seconds["lookup"] = perf_counter() - mark
        report.candidates = len(reached)
        say(f"{list_key}: re-screening {len(reached):,} of {len(book):,} customers")
        mark = perf_counter()
        chosen = [book[n] for n in sorted(reached)]
        for i in range(0, len(chosen), CHUNK):
            part = chosen[i : i + CHUNK]
            apply_chunk(engine, part, match_hits(screener, part), actor, report.screen)
        report.seconds["screen"] = perf_counter() - mark
    report.screen.customers = report.candidates
    report.seconds["total"] = perf_counter() - start
    _finish(engine, report, actor)
    return report


def _by_list(jobs: Iterable[Job]) -> dict[str, list[Job]]:
    out: dict[str, list[Job]] = {}
    for job in jobs:
        out.setdefault(job.list_key, []).append(job)
    return out


def run_pending(
    engine: Engine,
    screener: Callable[[], Screener],
    actor: str,
    progress: Callable[[str], None] | None = None,
    cache_dir: Path | None = None,
) -> list[DeltaReport]:
    """Carry out every pending re-screen job, one delta re-screen per list.

    Args:
        engine: The store's engine.
        screener: Builds the screener over the active lists (called at most once, and only if some
            job has customers to re-screen).
        actor: Who re-screens.
        progress: Called with a short line at each step.
        cache_dir: Where the book's index is kept between re-screens (None: built every time).
    """
    built: list[Screener] = []

    def once() -> Screener:
        if not built:
            built.append(screener())
        return built[0]

    return [
        rescreen(engine, once, jobs, actor, progress, cache_dir)
        for jobs in _by_list(pending_jobs(engine)).values()
    ]
