"""The FastAPI application: ``create_app(settings)`` builds the shared state (the screening service,
the key checker), the error handling and every router: own API, yente-compatible API, system
endpoints (``api/``) and the analyst UI (``web/``), which are siblings that never import each other.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.responses import Response

from sanctionwatch import __version__
from sanctionwatch.api import metrics as metrics_api
from sanctionwatch.api import payments as payments_api
from sanctionwatch.api import screening, system, yente
from sanctionwatch.api.errors import BodySizeLimit, error_response, install_error_handlers
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.logs import RequestLogMiddleware
from sanctionwatch.metrics import MetricsMiddleware
from sanctionwatch.service import AppState, KeyChecker, ScreeningService, install_state
from sanctionwatch.settings import Settings
from sanctionwatch.web import routes as web_routes
from sanctionwatch.web.refusals import PageRefusal, error_page, refusal_response

__all__ = ["UI_PREFIX", "create_app"]

UI_PREFIX = "/ui"
"""Paths under this prefix are the UI's: their errors are HTML pages, everywhere else JSON."""


async def _error(request: Request, exc: Exception) -> Response:
    """A sanctionwatch error as the asker reads it: a page for the UI, JSON for the API."""
    assert isinstance(exc, SanctionwatchError)
    if request.url.path == UI_PREFIX or request.url.path.startswith(UI_PREFIX + "/"):
        return error_page(request, exc)
    return error_response(exc)


def create_app(
    settings: Settings,
    service: ScreeningService | None = None,
    auth: KeyChecker | None = None,
    load_on_start: bool = True,
) -> FastAPI:
    """Build the application.

    Args:
        settings: Server and store settings.
        service: The screening service (a new one over ``settings`` by default).
        auth: API key checker; None runs without authentication (``--no-auth``).
        load_on_start: Build the screening index in the background at start-up; ``/readyz``
            answers 503 until it is loaded.
    """
    state = AppState(settings=settings, service=service or ScreeningService(settings), auth=auth)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if load_on_start and not state.service.ready:
            threading.Thread(
                target=system.initial_load, args=(state,), name="index-load", daemon=True
            ).start()
        stop = system.start_reloader(state)
        try:
            yield
        finally:
            stop.set()
            state.close()

    app = FastAPI(
        title="sanctionwatch",
        version=__version__,
        description="Sanctions screening with explainable, transliteration-aware matching.",
        lifespan=lifespan,
    )
    install_state(app, state)
    install_error_handlers(app)
    app.add_exception_handler(SanctionwatchError, _error)
    app.add_exception_handler(PageRefusal, refusal_response)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestLogMiddleware, log_queries=settings.log_queries)
    app.include_router(system.router)
    app.include_router(screening.router)
    app.include_router(payments_api.router)
    app.include_router(yente.router)
    app.include_router(metrics_api.router)
    app.include_router(web_routes.router)
    return app
