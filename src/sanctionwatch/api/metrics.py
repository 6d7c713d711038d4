"""``GET /metrics``: the Prometheus text exposition (see :mod:`sanctionwatch.metrics`).

Who may read it is the ``metrics`` setting (``SANCTIONWATCH_METRICS``): ``key`` (the default) needs
a valid API key with the ``admin`` scope (403 without it), ``open``
needs none (a scrape over a private network; the reverse proxy refuses ``/metrics``), ``off``
answers 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sanctionwatch.api.auth import require_admin
from sanctionwatch.errors import NotFound
from sanctionwatch.metrics import CONTENT_TYPE_LATEST, render
from sanctionwatch.service import StateDep

__all__ = ["router"]

router = APIRouter(tags=["system"])


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
def metrics(request: Request, state: StateDep) -> Response:
    """Every metric, read at this scrape (list freshness, case work) or counted since start-up.

    Raises:
        NotFound: The ``metrics`` setting is ``off``.
        Unauthorized: The setting is ``key`` and no valid API key was presented.
        Forbidden: The key lacks the ``admin`` scope.
    """
    mode = state.settings.metrics
    if mode == "off":
        raise NotFound("/metrics is off (SANCTIONWATCH_METRICS=off)")
    if mode == "key":
        require_admin(request, state)
    return Response(render(state), media_type=CONTENT_TYPE_LATEST)
