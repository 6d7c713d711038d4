"""Prometheus metrics: what the server counts per request, and what it reads from the store at scrape.

* Per request (:class:`MetricsMiddleware`): counts and latency by method, route template (never the
  raw path, which may carry a name or an entity id) and status; screening latency per surface
  (``name``: ``POST /screen``, ``batch``: ``POST /screen/batch``, ``match``: yente's ``/match``,
  ``payment``: ``POST /payments/screen``);
  hits and matches per screened query (:func:`observe_hits`).
* At scrape time (:class:`StoreCollector`), from the database: per active list its age in hours,
  ``stale`` 0/1 by :func:`sanctionwatch.sources.catalog.freshness` (the rule of ``lists status``),
  its entities; alerts under review per state and the oldest one's age, decisions in the last hour;
  re-screen jobs pending and
  the oldest one's age.
* With several workers (``serve --workers N``) the per-request metrics live in the library's
  multiprocess files (``PROMETHEUS_MULTIPROC_DIR``, set up by :func:`prepare_multiprocess`) and a
  scrape of any worker sums them. The ``process_*``/``python_*`` collectors are exported with one
  worker only: the library cannot aggregate them across processes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctionwatch.cases.states import LIVE_STATES
from sanctionwatch.service import AppState
from sanctionwatch.sources.catalog import freshness
from sanctionwatch.store import schema
from sanctionwatch.store.liststore import ListStore

__all__ = [
    "CONTENT_TYPE_LATEST",
    "MULTIPROC_ENV",
    "SURFACES",
    "MetricsMiddleware",
    "StoreCollector",
    "exported_names",
    "observe_hits",
    "prepare_multiprocess",
    "remove_folder",
    "render",
]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
"""The folder the library's multiprocess mode keeps each worker's values in."""

SURFACES: Mapping[tuple[str, str], str] = {
    ("POST", "/screen"): "name",
    ("POST", "/screen/batch"): "batch",
    ("POST", "/match/{dataset}"): "match",
    ("POST", "/payments/screen"): "payment",
}
"""Screening surface of a route (method, template)."""

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_COUNT_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100)

REQUESTS = Counter(
    "sanctionwatch_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "sanctionwatch_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
)
SCREEN_SECONDS = Histogram(
    "sanctionwatch_screening_duration_seconds",
    "Time to answer a screening request, by surface (name, batch, match).",
    ["surface"],
    buckets=_LATENCY_BUCKETS,
)
SCREEN_HITS = Histogram(
    "sanctionwatch_screening_hits",
    "Hits returned per screened query, by surface.",
    ["surface"],
    buckets=_COUNT_BUCKETS,
)
SCREEN_MATCHES = Histogram(
    "sanctionwatch_screening_matches",
    "Hits at or above the threshold (alerts to review) per screened query, by surface.",
    ["surface"],
    buckets=_COUNT_BUCKETS,
)

_STORE_GAUGES = {
    "sanctionwatch_list_age_hours": "Hours since the active version's publication date (else import).",
    "sanctionwatch_list_stale": "1 when the list is retired or older than its cadence allows, else 0.",
    "sanctionwatch_list_entities": "Entities in the active version of the list.",
    "sanctionwatch_alerts_open": "Alerts under review, by state.",
    "sanctionwatch_alerts_oldest_open_age_seconds": "Age of the oldest alert under review (0: none).",
    "sanctionwatch_alert_decisions_last_hour": "Alert state changes (decisions) in the last hour.",
    "sanctionwatch_rescreen_jobs_pending": "Re-screen jobs waiting to run.",
    "sanctionwatch_rescreen_oldest_pending_age_seconds": "Age of the oldest pending re-screen job (0: none).",
}


def observe_hits(surface: str, hits: Iterable[Sequence[Mapping[str, Any]]]) -> None:
    """Record the hits and matches of each screened query of one request.

    Args:
        surface: ``name``, ``batch`` or ``match``.
        hits: Per query, its hits as the response carries them (each with a boolean ``match``).
    """
    for found in hits:
        SCREEN_HITS.labels(surface).observe(len(found))
        SCREEN_MATCHES.labels(surface).observe(sum(1 for h in found if h.get("match")))


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "<unmatched>"


class MetricsMiddleware:
    """ASGI middleware counting every HTTP request and timing it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - started
            method, route = str(scope.get("method", "")), _route_of(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            REQUEST_SECONDS.labels(method, route).observe(seconds)
            surface = SURFACES.get((method, route))
            if surface is not None and status < 400:
                SCREEN_SECONDS.labels(surface).observe(seconds)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class StoreCollector(Collector):
    """Gauges read from the store at each scrape: list freshness and size, case work waiting."""

    def __init__(self, state: AppState) -> None:
        self.state = state

    def describe(self) -> Iterable[Any]:
        return []  # read at scrape time only: registering must not query the database

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = datetime.now(UTC)
        settings = self.state.settings
        engine = self.state.case_engine()
        age = GaugeMetricFamily(
            "sanctionwatch_list_age_hours", _STORE_GAUGES["sanctionwatch_list_age_hours"], labels=["list"]
        )
        stale = GaugeMetricFamily(
            "sanctionwatch_list_stale", _STORE_GAUGES["sanctionwatch_list_stale"], labels=["list"]
        )
        size = GaugeMetricFamily(
            "sanctionwatch_list_entities", _STORE_GAUGES["sanctionwatch_list_entities"], labels=["list"]
        )
        for key, v in sorted(ListStore(engine, settings).active_versions().items()):
            if v.published:
                basis = datetime.fromisoformat(v.published).replace(tzinfo=UTC)
            else:
                basis = _aware(v.imported_at)
            age.add_metric([key], (now - basis).total_seconds() / 3600)
            fresh = freshness(
                key, v.published, v.imported_at.isoformat(), now.date(), settings.stale_after_days
            )
            stale.add_metric([key], 1.0 if fresh.stale else 0.0)
            size.add_metric([key], v.entity_count)
        yield from (age, stale, size)
        yield from self._cases(engine, now)

    def _cases(self, engine: sa.Engine, now: datetime) -> Iterator[GaugeMetricFamily]:
        alerts, jobs = schema.alerts, schema.rescreen_jobs
        with engine.connect() as conn:
            by_state: dict[str, int] = dict(
                conn.execute(
                    sa.select(alerts.c.state, sa.func.count())
                    .where(alerts.c.state.in_(LIVE_STATES))
                    .group_by(alerts.c.state)
                ).all()
            )
            oldest_alert = conn.execute(
                sa.select(sa.func.min(alerts.c.opened_at)).where(alerts.c.state.in_(LIVE_STATES))
            ).scalar()
            decided = conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.transitions)
                .where(schema.transitions.c.at >= now - timedelta(hours=1))
            ).scalar_one()
            pending, oldest_job = conn.execute(
                sa.select(sa.func.count(), sa.func.min(jobs.c.created_at)).where(jobs.c.state == "pending")
            ).one()
        name = "sanctionwatch_alerts_open"
        open_alerts = GaugeMetricFamily(name, _STORE_GAUGES[name], labels=["state"])
        for state in sorted(LIVE_STATES):
            open_alerts.add_metric([state], by_state.get(state, 0))
        yield open_alerts
        for name, when in (
            ("sanctionwatch_alerts_oldest_open_age_seconds", oldest_alert),
            ("sanctionwatch_rescreen_oldest_pending_age_seconds", oldest_job),
        ):
            seconds = (now - _aware(when)).total_seconds() if when is not None else 0.0
            yield GaugeMetricFamily(name, _STORE_GAUGES[name], value=seconds)
        name = "sanctionwatch_rescreen_jobs_pending"
        yield GaugeMetricFamily(name, _STORE_GAUGES[name], value=pending)
        name = "sanctionwatch_alert_decisions_last_hour"
        yield GaugeMetricFamily(name, _STORE_GAUGES[name], value=decided)


def render(state: AppState) -> bytes:
    """The text exposition of every metric, summed over the workers in multiprocess mode."""
    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            registry.register(collector)
        for metric in (REQUESTS, REQUEST_SECONDS, SCREEN_SECONDS, SCREEN_HITS, SCREEN_MATCHES):
            registry.register(metric)
    registry.register(StoreCollector(state))
    return generate_latest(registry)


def exported_names() -> frozenset[str]:
    """Every metric name a scrape can show, histogram and counter samples with their suffixes."""
    names = set(_STORE_GAUGES)
    names |= {"sanctionwatch_http_requests_total", "sanctionwatch_http_requests_created"}
    for hist in (REQUEST_SECONDS, SCREEN_SECONDS, SCREEN_HITS, SCREEN_MATCHES):
        names |= {hist._name + suffix for suffix in ("_bucket", "_sum", "_count", "_created")}
    return frozenset(names)


def prepare_multiprocess(workers: int) -> Path | None:
    """Set up the multiprocess folder before the workers start (``serve --workers N``, N > 1).

    An operator's ``PROMETHEUS_MULTIPROC_DIR`` is emptied of old value files (the library's rule:
    a fresh folder per start); without one, a new temporary folder is made and set.

    Returns:
        The temporary folder this call made (the caller removes it at exit), else None.
    """
    if workers <= 1 and not os.environ.get(MULTIPROC_ENV):
        return None
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.db"):
            old.unlink()
        return None
    made = Path(tempfile.mkdtemp(prefix="sanctionwatch-metrics-"))
    os.environ[MULTIPROC_ENV] = str(made)
    return made


def remove_folder(folder: Path | None) -> None:
    """Remove a folder :func:`prepare_multiprocess` made (no-op for None)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
