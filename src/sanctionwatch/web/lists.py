"""The lists page: each list's active version, what the last update changed, and what screening uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from sanctionwatch.errors import VersionNotFound
from sanctionwatch.service import AppState, NotReady, StateDep, list_freshness
from sanctionwatch.sources.catalog import Freshness
from sanctionwatch.store.diff import EntityRef, ListDiff
from sanctionwatch.store.liststore import ListStore
from sanctionwatch.store.records import VersionInfo
from sanctionwatch.web.guards import PageViewer
from sanctionwatch.web.templating import page

__all__ = ["EXAMPLES", "DiffSummary", "ListView", "router", "summarize"]

EXAMPLES = 5
"""Entities shown per kind of change (the CLI's ``lists diff`` shows them all)."""

router = APIRouter()


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """The last update of a list in brief: counts and the first few entities of each kind."""

    from_version: VersionInfo
    added_count: int
    removed_count: int
    changed_count: int
    unchanged_count: int
    added: tuple[EntityRef, ...]
    removed: tuple[EntityRef, ...]
    changed: tuple[tuple[EntityRef, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class ListView:
    """One list's row: its active version, last diff (None for a first version), screening state,
    and whether the version is stale (retired source, or older than its cadence allows)."""

    version: VersionInfo
    diff: DiffSummary | None
    screening_version: int | None
    freshness: Freshness


def summarize(diff: ListDiff) -> DiffSummary:
    """Counts and up to :data:`EXAMPLES` examples of each kind of change."""
    return DiffSummary(
        from_version=diff.from_version,
        added_count=len(diff.added),
        removed_count=len(diff.removed),
        changed_count=len(diff.changed),
        unchanged_count=diff.unchanged_count,
        added=diff.added[:EXAMPLES],
        removed=diff.removed[:EXAMPLES],
        changed=tuple((c.entity, tuple(f.field for f in c.fields)) for c in diff.changed[:EXAMPLES]),
    )


def _last_diff(state: AppState, store: ListStore, version: VersionInfo) -> DiffSummary | None:
    """The diff that activated ``version``; versions never change, so it is computed once per server."""
    cache = state.list_diffs
    with state.lock:
        known = version.id in cache
        diff = cache.get(version.id)
    if not known:
        try:
            diff = store.diff(version.list_key)
        except VersionNotFound:  # the list's first version
            diff = None
        with state.lock:
            cache[version.id] = diff
    return summarize(diff) if diff is not None else None


@router.get("/ui/lists", name="ui_lists")
def lists_page(request: Request, who: PageViewer, state: StateDep) -> Response:
    """Every list's active version with its last update's diff; stale lists say so and why."""
    service = state.service
    try:
        screening = {k: v.id for k, v in service.current().versions.items()}
        loaded_at = service.current().loaded_at
    except NotReady:
        screening, loaded_at = {}, None
    with ListStore.open(state.settings) as store:
        active = sorted(store.status(), key=lambda v: v.list_key)
        fresh = list_freshness(state.settings, {v.list_key: v for v in active})
        rows = [
            ListView(v, _last_diff(state, store, v), screening.get(v.list_key), fresh[v.list_key])
            for v in active
        ]
    stale = [r.version.list_key for r in rows if r.freshness.stale]
    context: dict[str, Any] = {
        "viewer": who,
        "nav": "lists",
        "rows": rows,
        "loaded_at": loaded_at,
        "stale": stale,
    }
    return page(request, "lists.html", context)
