"""The frozen-list guard in ``/readyz``: a retired source (``uk-ofsi``, closed 2026-01-28) and a list
whose newest version is older than its allowed age are named in ``stale`` and ``warnings``, and the
server stays ready (200), so a load balancer does not drop all traffic because one list is late.

The UN list is the real file with its ``dateGenerated`` set two days before today, so its age is
known without reading the code: fresh under the UN's 7-day cadence, stale with an allowed age of 1.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from tests.store.listfiles import un_with_date

RETIRED = "retired since 2026-01-28: the publisher no longer updates it; import its successor uk-sl"


@pytest.fixture(scope="module")
def store_settings(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    folder = tmp_path_factory.mktemp("stale-api")
    two_days_ago = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    un = un_with_date(data_dir / "un" / "consolidated-2026-02-27.xml", folder / "un", two_days_ago)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'stale.db'}", data_dir=folder / "data", reload_interval=0
    )
    with ListStore.open(settings) as store:
        store.import_paths([un, data_dir / "uk" / "conlist-2018-04-13.csv"], rescreen=False)
    return settings


@pytest.fixture(scope="module")
def service(store_settings: Settings) -> ScreeningService:
    svc = ScreeningService(store_settings)
    assert svc.reload(force=True)
    return svc


def _readyz(settings: Settings, service: ScreeningService) -> tuple[int, dict[str, Any]]:
    app = create_app(settings, service=service, auth=None, load_on_start=False)
    with TestClient(app) as client:
        response = client.get("/readyz")
    return response.status_code, response.json()


def test_a_retired_list_is_stale_and_the_server_stays_ready(
    store_settings: Settings, service: ScreeningService
) -> None:
    status, body = _readyz(store_settings, service)
    assert status == 200 and body["status"] == "ok"
    lists = {item["list_key"]: item for item in body["lists"]}
    assert set(lists) == {"un-sc", "uk-ofsi"}
    assert lists["uk-ofsi"]["stale"] is True
    assert lists["uk-ofsi"]["stale_reason"] == RETIRED
    assert lists["un-sc"]["stale"] is False and lists["un-sc"]["stale_reason"] is None
    assert lists["un-sc"]["age_days"] == 2
    assert body["stale"] == ["uk-ofsi"]
    assert body["warnings"] == [f"uk-ofsi is stale: {RETIRED}"]


def test_stale_after_days_makes_an_old_version_stale(
    store_settings: Settings, service: ScreeningService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANCTIONWATCH_STALE_AFTER_DAYS", '{"un-sc": 1}')
    strict = Settings(
        database_url=store_settings.database_url, data_dir=store_settings.data_dir, reload_interval=0
    )
    assert strict.stale_after_days == {"un-sc": 1}
    status, body = _readyz(strict, service)
    assert status == 200 and body["stale"] == ["uk-ofsi", "un-sc"]
    [un] = [item for item in body["lists"] if item["list_key"] == "un-sc"]
    assert un["stale"] is True
    published = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    assert str(un["stale_reason"]).startswith(
        f"newest version published {published}, 2 days ago, older than 1 day"
    )
    assert len(body["warnings"]) == 2
    assert f"un-sc is stale: newest version published {published}" in body["warnings"][1]
