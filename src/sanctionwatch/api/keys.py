"""The server's API key checker: the store's ``api_keys`` table behind a short-lived cache.

The live keys' hashes are read from the database at most every ``refresh_seconds`` (2 s by
default), so a key revoked with ``sanctionwatch keys revoke`` in another process is refused by a
running server within that delay; a request never waits for the database otherwise. Use is recorded
in memory and written to ``last_used_at`` at most every ``touch_seconds`` (60 s).
"""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sanctionwatch.errors import StoreError
from sanctionwatch.service import KeyGrant
from sanctionwatch.store.keys import KeyStore, LiveKey, hash_key

__all__ = ["REFRESH_SECONDS", "StoreKeyChecker"]

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0
"""Default longest delay before a running server sees a new or revoked key."""


class StoreKeyChecker:
    """A :class:`~sanctionwatch.service.KeyChecker` over the store's key table.

    Args:
        keys: The key table.
        refresh_seconds: Longest time a revocation (or a new key) takes to reach this process.
        max_stale_seconds: If the database cannot be read for longer than this, requests are
            refused with 503 rather than checked against an old key list.
        touch_seconds: How often ``last_used_at`` is written.
        clock: Monotonic clock (tests pass a fake one).
    """

    def __init__(
        self,
        keys: KeyStore,
        refresh_seconds: float = REFRESH_SECONDS,
        max_stale_seconds: float = 60.0,
        touch_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys = keys
        self.refresh_seconds = refresh_seconds
        self.max_stale_seconds = max_stale_seconds
        self.touch_seconds = touch_seconds
        self._clock = clock
        self._live: tuple[LiveKey, ...] | None = None
        self._loaded_at = -math.inf
        self._touched_at = clock()
        self._used: dict[int, datetime] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> KeyGrant | None:
        """The key's name and scopes if it is live, else None.

        Raises:
            StoreError: The key table could not be read for over ``max_stale_seconds``.
        """
        digest = hash_key(key)
        found: LiveKey | None = None
        for live in self._current():
            # Constant-time comparison, and no early exit: the time taken does not depend on
            # which stored hash (if any) shares a prefix with the presented one.
            if hmac.compare_digest(digest, live.digest):
                found = live
        if found is None:
            return None
        self._used[found.id] = datetime.now(UTC)
        return KeyGrant(found.name, found.scopes)

    def invalidate(self) -> None:
        """Forget the cached keys: the next check reads the table."""
        self._loaded_at = -math.inf

    def _current(self) -> tuple[LiveKey, ...]:
        now = self._clock()
        live = self._live
        if live is not None and now - self._loaded_at < self.refresh_seconds:
            return live
        if live is None:  # nothing to answer with yet: wait for the first read
            with self._lock:
                if self._live is None or self._clock() - self._loaded_at >= self.refresh_seconds:
                    self._refresh()
                assert self._live is not None
                return self._live
        if not self._lock.acquire(blocking=False):  # another request is refreshing: use the old list
            return live
        try:
            self._refresh()
        except StoreError as exc:
            if now - self._loaded_at > self.max_stale_seconds:
                raise StoreError(
                    f"API keys cannot be checked: the key table was last read "
                    f"{now - self._loaded_at:.0f} s ago: {exc}"
                ) from exc
            age = now - self._loaded_at
            log.warning("API keys not refreshed, using the list read %.0f s ago: %s", age, exc)
        finally:
            self._lock.release()
        assert self._live is not None
        return self._live

    def _refresh(self) -> None:
        """Read the live keys; write pending ``last_used_at`` times when due. Call under the lock."""
        now = self._clock()
        if self._used and now - self._touched_at >= self.touch_seconds:
            used, self._used = self._used, {}
            try:
                self.keys.touch(used)
            except StoreError as exc:  # a busy database must not refuse requests
                log.warning("API key use not recorded: %s", exc)
                for key_id, when in used.items():
                    self._used.setdefault(key_id, when)
            self._touched_at = now
        self._live = tuple(self.keys.live_keys())
        self._loaded_at = now
