"""The FastAPI application: ``create_app(settings)`` wires the screening service, authentication,
error handling and every router (own API, yente-compatible API, system endpoints, web UI).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from sanctionwatch import __version__
from sanctionwatch.api import screening, system, yente
from sanctionwatch.api.auth import KeyChecker
from sanctionwatch.api.errors import BodySizeLimit, install_error_handlers
from sanctionwatch.api.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.web import routes as web_routes

__all__ = ["create_app"]


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
    svc = service or ScreeningService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if load_on_start and not svc.ready:
            threading.Thread(target=system.initial_load, args=(app,), name="index-load", daemon=True).start()
        stop = system.start_reloader(app)
        try:
            yield
        finally:
            stop.set()

    app = FastAPI(
        title="sanctionwatch",
        version=__version__,
        description="Sanctions screening with explainable, transliteration-aware matching.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = svc
    app.state.auth = auth
    app.state.load_error = None
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.include_router(system.router)
    app.include_router(screening.router)
    app.include_router(yente.router)
    app.include_router(web_routes.router)
    return app
