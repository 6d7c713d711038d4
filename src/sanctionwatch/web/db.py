"""The database engine the UI's case pages (users, sessions, alerts, audit) read and write through."""

from __future__ import annotations

import threading

from fastapi import Request
from sqlalchemy.engine import Engine

from sanctionwatch.store.database import open_engine

__all__ = ["case_engine"]

_lock = threading.Lock()


def case_engine(request: Request) -> Engine:
    """The app's engine on the store's database, opened (and migrated) at first use.

    Raises:
        StoreError: The database cannot be opened or migrated.
    """
    state = request.app.state
    found: Engine | None = getattr(state, "case_engine", None)
    if found is None:
        with _lock:
            found = getattr(state, "case_engine", None)
            if found is None:
                found = open_engine(state.settings.database_url)
                state.case_engine = found
    return found
