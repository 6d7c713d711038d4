"""Case fixtures: every case test runs on SQLite and on PostgreSQL (the store's fixtures, reused).

Each test gets a fresh database holding the UN consolidated list; the screener over the UN list is
built once per session (it does not depend on the database).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctionwatch.cases.audit import audit_list_import
from sanctionwatch.matching.screener import Screener
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from tests.store.conftest import db_url, postgres_admin_url, settings
from tests.store.fresh import make_settings

__all__ = ["db_url", "postgres_admin_url", "settings"]

UN_FILE = "un/consolidated-2026-02-27.xml"

# Planted listed names (UN entities, data README: KOMID = un-sc:KPe.001, Tanchon Commercial Bank =
# KPe.003, Korea Kwangson Banking Corp = KPe.025) and clean names.
BOOK = """id,name,schema,birth_date,country,identifiers,segment
C1,KOMID,Organization,,KP,,corporate
C2,Tanchon Commercial Bank,Organization,,,,corporate
C3,Korea Kwangson Banking Corp,Organization,,KP,,corporate
C4,Jane Smith,Person,1975-03-02,GB,,retail
C5,Peter Mueller,Person,1980,DE,,retail
C6,Acme Widgets Ltd,Organization,,US,,corporate
"""

PLANTED = {("C1", "un-sc:KPe.001"), ("C2", "un-sc:KPe.003"), ("C3", "un-sc:KPe.025")}


@pytest.fixture(scope="session")
def un_screener(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """A screener over the UN list, built once."""
    folder = tmp_path_factory.mktemp("un-screener")
    with ListStore.open(make_settings(f"sqlite:///{folder / 'un.db'}", folder)) as st:
        st.import_paths([data_dir / UN_FILE])
        return Screener(list(st.active_entities()))


@pytest.fixture
def store(settings: Settings) -> Iterator[ListStore]:
    """An open store on one test's fresh database, auditing its list imports as the CLI does."""
    with ListStore.open(settings, reporter=audit_list_import) as opened:
        yield opened


@pytest.fixture
def listed(store: ListStore, data_dir: Path) -> Iterator[ListStore]:
    """The test's store with the UN list imported."""
    store.import_paths([data_dir / UN_FILE])
    yield store


@pytest.fixture
def book_csv(tmp_path: Path) -> Path:
    """A customer file with three planted UN names and three clean ones."""
    path = tmp_path / "book.csv"
    path.write_text(BOOK, encoding="utf-8")
    return path
