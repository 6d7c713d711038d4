"""The web UI's routes: search, entity and lists pages, sign-in, the alert queue, alert and audit pages,
and the static files under ``/ui/static``.

Pages are complete HTML documents that work without JavaScript; the vendored htmx only swaps the
results in place (see ``docs/ui.md``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse

from sanctionwatch.web import alert_queue, alerts, audit, entity, lists, search, signin
from sanctionwatch.web.templating import STATIC_DIR

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(signin.router)
router.include_router(search.router)
router.include_router(entity.router)
router.include_router(lists.router)
router.include_router(alert_queue.router)
router.include_router(alerts.router)
router.include_router(audit.router)
router.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui_static")


@router.get("/", name="ui_home")
@router.get("/ui", name="ui_root")
def home(request: Request) -> RedirectResponse:
    """The UI's front door is the search page."""
    return RedirectResponse(request.url_for("ui_search").path, status_code=307)
