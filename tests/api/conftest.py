"""API fixtures: a store holding real lists, the app over it, a TestClient and a live uvicorn server.

The store (UN consolidated list, OFAC SDN 2024-05-03, OpenSanctions ua_war_sanctions) is imported
and indexed once per session (per xdist worker); every app instance shares that screening service.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.service import KeyGrant, ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.keys import SCOPES

API_KEY = "sw-test-key-0123456789"
"""The key the authenticated apps accept (see :class:`StaticKeys`)."""

LIST_FILES = (
    "un/consolidated-2026-02-27.xml",
    "ofac/sdn-2024-05-03",
    "opensanctions/ua_war_sanctions_targets.simple.csv",
)


class StaticKeys:
    """A key checker over a fixed table of key → name, each key with every scope (the real one is
    store-backed)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys

    def check(self, key: str) -> KeyGrant | None:
        """The key's name with every scope, or None."""
        name = self.keys.get(key)
        return KeyGrant(name, frozenset(SCOPES)) if name is not None else None


def api_settings_for(folder: Path) -> Settings:
    """Settings on a SQLite file in ``folder``, without background reloads."""
    return Settings(
        database_url=f"sqlite:///{folder / 'api.db'}",
        data_dir=folder / "data",
        lists_dir=None,
        reload_interval=0,
    )


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    """Settings of a store holding the real UN, OFAC SDN and ua_war_sanctions files."""
    settings = api_settings_for(tmp_path_factory.mktemp("api-store"))
    with ListStore.open(settings) as store:
        store.import_paths([data_dir / name for name in LIST_FILES])
    return settings


@pytest.fixture(scope="session")
def service(api_settings: Settings) -> ScreeningService:
    """The screening service over the store, loaded."""
    svc = ScreeningService(api_settings)
    assert svc.reload(force=True)
    return svc


@pytest.fixture(scope="session")
def app(api_settings: Settings, service: ScreeningService) -> FastAPI:
    """The application without authentication."""
    return create_app(api_settings, service=service, auth=None, load_on_start=False)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client of :func:`app`."""
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def auth_app(api_settings: Settings, service: ScreeningService) -> FastAPI:
    """The application requiring :data:`API_KEY`."""
    return create_app(api_settings, service=service, auth=StaticKeys({API_KEY: "tests"}), load_on_start=False)


def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on 127.0.0.1:{port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="session")
def live_server(auth_app: FastAPI) -> Iterator[str]:
    """Base URL of a live uvicorn server running :func:`auth_app` (API key required)."""
    yield from serve(auth_app)
