"""System endpoints and background work: health, readiness, reload (owned by the auth/ops work).

Placeholder during development: the functions below are replaced by the real ones.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, FastAPI

__all__ = ["initial_load", "router", "start_reloader"]

router = APIRouter()


def initial_load(app: FastAPI) -> None:
    """Build the first snapshot; record a failure for /readyz instead of crashing the server."""
    try:
        app.state.service.reload(force=True)
    except Exception as exc:  # reported by /readyz; the server keeps answering /healthz
        app.state.load_error = str(exc)


def start_reloader(app: FastAPI) -> threading.Event:
    """Start the background check for new list versions; set the returned event to stop it."""
    return threading.Event()
