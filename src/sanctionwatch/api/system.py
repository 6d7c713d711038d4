"""System endpoints and background work: liveness, readiness, reload of new list versions.

* ``GET /healthz``: the process answers (always 200, no key needed).
* ``GET /readyz``: 200 with the list versions being screened against once the index is loaded;
  503 with the reason before that, or when the load failed (no key needed). A stale list (retired,
  or older than its cadence allows) keeps it 200: it is named in ``stale`` and ``warnings``, so a
  load balancer does not drop every request because one list is a day late.
* ``POST /admin/reload``: rebuild the index if the store's active versions changed (a key with
  the ``admin`` scope needed; 403 for any other key).
* :func:`start_reloader`: the same check every ``settings.reload_interval`` seconds in a thread.
"""

from __future__ import annotations

import gc
import logging
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from sanctionwatch.api.auth import require_admin
from sanctionwatch.api.errors import error_body
from sanctionwatch.service import AppState, Snapshot, StateDep, list_freshness
from sanctionwatch.store.records import VersionInfo

__all__ = ["initial_load", "reload_now", "router", "start_reloader"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["system"])


def _version_view(v: VersionInfo) -> dict[str, Any]:
    return {
        "list_key": v.list_key,
        "version_id": v.id,
        "published": v.published,
        "entity_count": v.entity_count,
        "imported_at": v.imported_at.isoformat(),
    }


def _snapshot_view(snap: Snapshot) -> dict[str, Any]:
    return {
        "loaded_at": snap.loaded_at.isoformat(),
        "build_seconds": round(snap.build_seconds, 3),
        "entity_count": sum(v.entity_count for v in snap.versions.values()),
        "lists": [_version_view(snap.versions[k]) for k in sorted(snap.versions)],
    }


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}`` while the process serves requests."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the screening index is loaded",
    responses={503: {"description": "Not loaded yet, no list imported, or the load failed."}},
)
def readyz(state: StateDep) -> JSONResponse:
    """The active list versions screened against (each with ``stale``, ``stale_reason``, ``age_days``;
    stale lists named in ``stale`` and ``warnings``, still 200), or 503 with the reason the server
    is not ready."""
    service = state.service
    if service.ready:
        snap = service.current()
        body = {"status": "ok", **_snapshot_view(snap)}
        fresh = list_freshness(state.settings, snap.versions)
        for item in body["lists"]:
            item.update(fresh[item["list_key"]].to_dict())
        stale = sorted(k for k, f in fresh.items() if f.stale)
        body["stale"] = stale
        body["warnings"] = [f"{k} is stale: {fresh[k].reason}" for k in stale]
        if state.reload_error:
            body["last_reload_error"] = state.reload_error
        return JSONResponse(body)
    error = state.load_error
    if error:
        status, reason = "failed", f"loading the screening index failed: {error}"
    elif state.loading:
        status, reason = "loading", "the screening index is being built from the active list versions"
    elif state.store_empty:
        status, reason = (
            "empty",
            "no list imported yet: run `sanctionwatch lists import FILE` (or `lists update`); "
            "the server picks it up at its next reload check or on POST /admin/reload",
        )
    else:
        status, reason = "loading", "the screening index is not loaded yet"
    return JSONResponse({"status": status, "reason": reason, **error_body("NotReady", reason)}, 503)


def reload_now(state: AppState, force: bool = False) -> dict[str, Any]:
    """Rebuild the index if the store's active versions changed; what changed, as JSON.

    Raises:
        SanctionwatchError: The store could not be read (the old index stays in service).
    """
    service = state.service
    before = service.current().versions if service.ready else {}
    try:
        reloaded = service.reload(force=force)
        if reloaded:
            # Move the new index out of the cyclic collector's sight: it is long-lived, and every
            # full collection would otherwise rescan its millions of containers while holding the
            # GIL. Frozen objects are still freed by reference counting when a reload drops them.
            gc.freeze()
    except Exception as exc:
        state.reload_error = str(exc)
        raise
    state.reload_error = None
    if service.ready:
        state.load_error = None
    else:
        state.store_empty = True
    after = service.current().versions if service.ready else {}
    changed = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None or new is None or old.id != new.id:
            changed.append(
                {
                    "list_key": key,
                    "from": _version_view(old) if old else None,
                    "to": _version_view(new) if new else None,
                }
            )
    body: dict[str, Any] = {"reloaded": reloaded, "changed": changed}
    if service.ready:
        body.update(_snapshot_view(service.current()))
    return body


@router.post("/admin/reload", summary="Switch to newly activated list versions")
def admin_reload(
    state: StateDep,
    key_name: Annotated[str | None, Depends(require_admin)],
    force: bool = False,
) -> dict[str, Any]:
    """Rebuild the screening index if the store's active list versions changed (always with
    ``force=true``). Requests in flight finish on the old index; later ones use the new one.

    With several server workers, only the worker that receives this request reloads now; the others
    follow at their next periodic check (``reload_interval``).
    """
    log.info("reload requested by API key %r (force=%s)", key_name, force)
    return reload_now(state, force=force)


def initial_load(state: AppState) -> None:
    """Build the first snapshot; record a failure for /readyz instead of crashing the server."""
    state.loading = True
    try:
        reload_now(state, force=True)
    except Exception as exc:  # reported by /readyz; the server keeps answering /healthz
        log.error("loading the screening index failed: %s", exc)
        state.load_error = str(exc)
    finally:
        state.loading = False


def _poll(state: AppState, interval: float, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            result = reload_now(state)
        except Exception as exc:  # keep serving the old index; /readyz shows the error
            log.error("reload check failed: %s", exc)
            continue
        if result["reloaded"]:
            log.info("screening index reloaded: %s", [c["list_key"] for c in result["changed"]])


def start_reloader(state: AppState) -> threading.Event:
    """Start the background check for new list versions; set the returned event to stop it.

    Every ``settings.reload_interval`` seconds (0: never), the store's active versions are compared
    with the index's; when they differ the index is rebuilt beside the old one and swapped in.
    """
    stop = threading.Event()
    interval = state.settings.reload_interval
    if interval > 0:
        threading.Thread(
            target=_poll, args=(state, interval, stop), name="index-reloader", daemon=True
        ).start()
    return stop
