"""The live screening state behind the server, swapped atomically on reload.

A :class:`Snapshot` (screener + the list versions it was built from) is immutable. Requests take
the current snapshot once and use it to the end, so a reload never disturbs a request in flight:
the new snapshot is built beside the old one and then replaces it in one assignment.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.settings import Settings
from sanctionwatch.store.liststore import ListStore
from sanctionwatch.store.records import VersionInfo

__all__ = ["NotReady", "ScreeningService", "Snapshot"]


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
