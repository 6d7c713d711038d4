"""The service layer under the HTTP API (``api/``) and the analyst UI (``web/``): the live screening
state, swapped atomically on reload, and the one typed object holding a server's shared state.

A :class:`Snapshot` (screener + the list versions it was built from) is immutable. Requests take
the current snapshot once and use it to the end, so a reload never disturbs a request in flight:
the new snapshot is built beside the old one and then replaces it in one assignment.

:class:`AppState` is stored once on the app (:func:`install_state`) and read through
:func:`app_state` (a FastAPI dependency) or :func:`state_of`; nothing else is kept on ``app.state``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Protocol

from fastapi import Depends
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.settings import Settings
from sanctionwatch.sources.catalog import Freshness, freshness
from sanctionwatch.store.database import open_engine
from sanctionwatch.store.diff import ListDiff
from sanctionwatch.store.liststore import ListStore
from sanctionwatch.store.records import VersionInfo

__all__ = [
    "AppState",
    "KeyChecker",
    "KeyGrant",
    "NotReady",
    "ScreeningService",
    "Snapshot",
    "StateDep",
    "app_state",
    "install_state",
    "list_freshness",
    "state_of",
]

_STATE_ATTR = "sanctionwatch"
"""The one attribute of ``app.state`` the application uses."""


class NotReady(SanctionwatchError):
    """The server has no screening index yet (no list imported, or the first load is running)."""

    http_status = 503
    exit_code = 6


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One consistent screening state.

    Attributes:
        screener: The screener over the active list versions.
        versions: List key to the version the screener was built from.
        loaded_at: When it was built (UTC).
        build_seconds: How long the build took.
    """

    screener: Screener
    versions: dict[str, VersionInfo]
    loaded_at: datetime
    build_seconds: float

    def version_ids(self) -> dict[str, int]:
        """List key to version id, to tell whether the store has moved on."""
        return {k: v.id for k, v in self.versions.items()}

    def entity(self, entity_id: str) -> Entity | None:
        """The entity ``entity_id`` of the screened list versions, or None."""
        index = self.screener.index
        position = index.by_id.get(entity_id)
        return index.entities[position] if position is not None else None


class ScreeningService:
    """Holds the current snapshot and rebuilds it when the store's active versions change.

    Args:
        settings: Where the store is.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._snapshot: Snapshot | None = None
        self._reload_lock = threading.Lock()

    def current(self) -> Snapshot:
        """The snapshot to serve a request with.

        Raises:
            NotReady: Nothing loaded yet.
        """
        snap = self._snapshot
        if snap is None:
            raise NotReady(
                "no screening index loaded yet: import lists (sanctionwatch lists import) and reload"
            )
        return snap

    @property
    def ready(self) -> bool:
        """Whether a snapshot is loaded."""
        return self._snapshot is not None

    def _active_ids(self) -> dict[str, int]:
        with ListStore.open(self.settings) as store:
            return {k: v.id for k, v in store.active_versions().items()}

    def reload(self, force: bool = False) -> bool:
        """Rebuild from the store's active versions if they changed (or ``force``).

        Concurrent calls wait for one another; requests keep being served from the old snapshot
        until the new one is complete.

        Returns:
            Whether a new snapshot was installed.
        """
        with self._reload_lock:
            old = self._snapshot
            if not force and old is not None and old.version_ids() == self._active_ids():
                return False
            started = time.perf_counter()
            with ListStore.open(self.settings) as store:
                versions = store.active_versions()
                if not versions:
                    return False
                screener = Screener(store.active_entities())
            self._snapshot = Snapshot(
                screener=screener,
                versions=versions,
                loaded_at=datetime.now(UTC),
                build_seconds=time.perf_counter() - started,
            )
            return True


def list_freshness(
    settings: Settings, versions: Mapping[str, VersionInfo], today: date | None = None
) -> dict[str, Freshness]:
    """Whether each list version is stale (retired source, or older than its cadence allows).

    The rule ``lists status`` applies (:func:`sanctionwatch.sources.catalog.freshness`), with the
    allowed ages of ``settings.stale_after_days`` (``SANCTIONWATCH_STALE_AFTER_DAYS``).

    Args:
        settings: Server settings.
        versions: List key to its active version.
        today: The current date (default: today in UTC).
    """
    day = today or datetime.now(UTC).date()
    return {
        key: freshness(v.list_key, v.published, v.imported_at.isoformat(), day, settings.stale_after_days)
        for key, v in versions.items()
    }


@dataclass(frozen=True, slots=True)
class KeyGrant:
    """A valid API key as a request sees it.

    Attributes:
        name: The key's name.
        scopes: What it may do: ``screen``, ``cases``, ``admin``.
    """

    name: str
    scopes: frozenset[str]


class KeyChecker(Protocol):
    """Tells whether a presented API key is valid (the store-backed key table in production)."""

    def check(self, key: str) -> KeyGrant | None:
        """The key's name and scopes if ``key`` is valid and not revoked, else None."""
        ...


@dataclass(eq=False)
class AppState:
    """What one server process shares between requests and its background threads.

    Attributes:
        settings: Server and store settings.
        service: The screening service (the live snapshot).
        auth: The API key checker; None when the server runs without authentication (``--no-auth``).
        load_error: Why the first index load failed, for ``/readyz`` (None: it did not fail).
        reload_error: Why the last reload failed (None after a successful one).
        loading: Whether the first index load is running.
        store_empty: Whether the last load found no active list version.
        list_diffs: The diff that activated each list version (by version id; None for a list's
            first version), computed once per server since versions never change.
        lock: Guards the case engine's first opening and ``list_diffs``.
    """

    settings: Settings
    service: ScreeningService
    auth: KeyChecker | None
    load_error: str | None = None
    reload_error: str | None = None
    loading: bool = False
    store_empty: bool = False
    list_diffs: dict[int, ListDiff | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _case_engine: Engine | None = field(default=None, init=False, repr=False)

    def case_engine(self) -> Engine:
        """The engine on the store's database for the case pages (users, sessions, alerts, audit),
        opened (and migrated) through :func:`open_engine` at first use.

        Raises:
            StoreError: The database cannot be opened or migrated.
        """
        found = self._case_engine
        if found is None:
            with self.lock:
                found = self._case_engine
                if found is None:
                    found = self._case_engine = open_engine(self.settings)
        return found

    def close(self) -> None:
        """Release the case pages' engine (at server shutdown)."""
        with self.lock:
            engine, self._case_engine = self._case_engine, None
        if engine is not None:
            engine.dispose()


def install_state(app: Starlette, state: AppState) -> None:
    """Store ``state`` on ``app`` (once, by the app factory)."""
    setattr(app.state, _STATE_ATTR, state)


def state_of(app: Starlette) -> AppState:
    """The app's shared state.

    Raises:
        RuntimeError: The app was not built by ``sanctionwatch.app.create_app``.
    """
    found = getattr(app.state, _STATE_ATTR, None)
    if not isinstance(found, AppState):
        raise RuntimeError("the app has no sanctionwatch state: build it with sanctionwatch.app.create_app")
    return found


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the shared state of the app serving ``request``."""
    return state_of(request.app)


StateDep = Annotated[AppState, Depends(app_state)]
"""A route or dependency parameter annotated ``state: StateDep`` receives the app's :class:`AppState`."""
