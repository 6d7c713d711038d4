"""Web UI fixtures: a store with real lists (UN, and OFAC SDN updated from 2022-01-31 to 2024-05-03
so the lists page has a real diff), its screening service, apps with and without sign-in, a real
API key from the store's key table (for the HTTP API), and UI users of each role (:data:`PASSWORDS`).

The store is imported and indexed once per session (per xdist worker); every app shares it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sanctionwatch.api.keys import StoreKeyChecker
from sanctionwatch.app import create_app
from sanctionwatch.cases.users import Role, User, create_user
from sanctionwatch.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from sanctionwatch.store.database import open_engine
from sanctionwatch.store.keys import KeyStore
from tests.web.browser import DOC_SCREENSHOTS

KEY_NAME = "analyst-1"

PASSWORDS: dict[str, str] = {
    "ana": "ana-reviews-alerts-42",
    "sam": "sam-approves-matches-7",
    "ada": "ada-manages-users-1815",
}
"""The passwords of the UI users :func:`ui_users` creates."""
ROLES: dict[str, Role] = {"ana": Role.ANALYST, "sam": Role.SUPERVISOR, "ada": Role.ADMIN}
"""Their roles: ana an analyst, sam a supervisor, ada an admin."""


@dataclass(frozen=True)
class WebStore:
    """The test store: its settings and the folder the list files came from."""

    settings: Settings
    data_dir: Path


def settings_for(folder: Path) -> Settings:
    """Settings on a SQLite file in ``folder``, without background reloads."""
    return Settings(
        database_url=f"sqlite:///{folder / 'web.db'}",
        data_dir=folder / "data",
        lists_dir=None,
        reload_interval=0,
    )


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> WebStore:
    """The UN list, then two OFAC SDN versions (the 2022 set needs a lenient import: see data README)."""
    settings = settings_for(tmp_path_factory.mktemp("web-store"))
    with ListStore.open(settings) as store:
        store.import_paths([data_dir / "un" / "consolidated-2026-02-27.xml"])
        store.import_paths([data_dir / "ofac" / "sdn-2022-01-31"], lenient=True)
        store.import_paths([data_dir / "ofac" / "sdn-2024-05-03"])
    return WebStore(settings, data_dir)


@pytest.fixture(scope="session")
def web_service(web_store: WebStore) -> ScreeningService:
    """The screening service over the test store, loaded."""
    service = ScreeningService(web_store.settings)
    assert service.reload(force=True)
    return service


@pytest.fixture(scope="session")
def key_store(web_store: WebStore) -> Iterator[KeyStore]:
    """The store's real API key table."""
    with KeyStore.open(web_store.settings) as keys:
        yield keys


@pytest.fixture(scope="session")
def api_key(key_store: KeyStore) -> str:
    """A live key named :data:`KEY_NAME`, created through the key store."""
    return key_store.create(KEY_NAME).key


@pytest.fixture(scope="session")
def web_engine(web_store: WebStore) -> Iterator[Engine]:
    """An engine on the test store's database, for setting up and checking case data with SQL."""
    engine = open_engine(web_store.settings)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def ui_users(web_engine: Engine) -> dict[str, User]:
    """The UI users ``ana`` (analyst), ``sam`` (supervisor), ``ada`` (admin); see :data:`PASSWORDS`."""
    return {
        name: create_user(web_engine, name, PASSWORDS[name], role, "test-setup")
        for name, role in ROLES.items()
    }


def make_app(store: WebStore, service: ScreeningService, keys: KeyStore | None) -> FastAPI:
    """The real app; with ``keys``, sign-in is checked by the real store-backed checker.

    ``refresh_seconds=0`` makes the checker read the key table on every check, so a revocation is
    seen at once (the server's default is a 2-second cache).
    """
    auth = StoreKeyChecker(keys, refresh_seconds=0) if keys is not None else None
    return create_app(store.settings, service=service, auth=auth, load_on_start=False)


@pytest.fixture(scope="module")
def open_app(web_store: WebStore, web_service: ScreeningService) -> FastAPI:
    """The app without authentication (``--no-auth``)."""
    return make_app(web_store, web_service, None)


@pytest.fixture(scope="module")
def auth_app(web_store: WebStore, web_service: ScreeningService, key_store: KeyStore) -> FastAPI:
    """The app with sign-in against the store's key table."""
    return make_app(web_store, web_service, key_store)


@pytest.fixture
def client(open_app: FastAPI) -> TestClient:
    """An HTTP client of the open app that does not follow redirects."""
    return TestClient(open_app, follow_redirects=False)


@pytest.fixture
def auth_client(auth_app: FastAPI) -> TestClient:
    """A fresh (signed-out) HTTP client of the app with sign-in."""
    return TestClient(auth_app, follow_redirects=False)


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save their screenshots: ``docs/screenshots/`` only when run with
    ``--update-screenshots``, else a temp dir, so a test run leaves the work tree as it was."""
    if request.config.getoption("--update-screenshots"):
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return DOC_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")
