"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server.

PostgreSQL is a throwaway cluster started once per session (``pg_cluster.py``), or the server of
``SANCTIONWATCH_TEST_POSTGRES_URL`` when set. Without PostgreSQL binaries the PostgreSQL variants
FAIL with a message saying what to install; they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from tests.store.fresh import make_settings
from tests.store.pg_cluster import PostgresMissingError, create_database, drop_database, throwaway_cluster

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server on which tests may create and drop databases."""
    given = os.environ.get("SANCTIONWATCH_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        cluster = throwaway_cluster()
        url = cluster.__enter__()
    except PostgresMissingError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield url
    finally:
        cluster.__exit__(None, None, None)


def _database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = create_database(admin)
    try:
        yield url
    finally:
        drop_database(admin, url)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (SQLite file or PostgreSQL database) for one test."""
    yield from _database(request, tmp_path)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for one test's fresh database."""
    return make_settings(db_url, tmp_path)


@pytest.fixture
def store(settings: Settings) -> Iterator[ListStore]:
    """An open store on one test's fresh database."""
    with ListStore.open(settings) as opened:
        yield opened


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database shared by the tests of one module (for imports of big files)."""
    yield from _database(request, tmp_path_factory.mktemp("store"))
