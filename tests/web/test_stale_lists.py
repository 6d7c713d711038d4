"""The frozen-list guard in the UI: the lists page and the search page's "Screening against" panel
say when an active list is stale: retired (``uk-ofsi``, closed 2026-01-28) or older than its
allowed age, with the same rule and settings as ``lists status`` (``stale_after_days``).

The store holds the real UN list re-dated two days before today and the real 2018 OFSI file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.store import ListStore
from tests.store.listfiles import un_with_date
from tests.web.pages import classed, html, nodes, texts
from tests.web.test_lists_page import card

RETIRED = "retired since 2026-01-28: the publisher no longer updates it; import its successor uk-sl"


@pytest.fixture(scope="module")
def stale_settings(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Settings:
    folder = tmp_path_factory.mktemp("stale-web")
    two_days_ago = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    un = un_with_date(data_dir / "un" / "consolidated-2026-02-27.xml", folder / "un", two_days_ago)
    settings = Settings(
        database_url=f"sqlite:///{folder / 'stale.db'}", data_dir=folder / "data", reload_interval=0
    )
    with ListStore.open(settings) as store:
        store.import_paths([un, data_dir / "uk" / "conlist-2018-04-13.csv"], rescreen=False)
    return settings


@pytest.fixture(scope="module")
def stale_service(stale_settings: Settings) -> ScreeningService:
    service = ScreeningService(stale_settings)
    assert service.reload(force=True)
    return service


def client_for(settings: Settings, service: ScreeningService) -> TestClient:
    return TestClient(create_app(settings, service=service, auth=None, load_on_start=False))


def badges(section: object) -> list[str]:
    return texts(section, f".//span[{classed('badge')}]")


def test_the_lists_page_flags_the_retired_list_only(
    stale_settings: Settings, stale_service: ScreeningService
) -> None:
    response = client_for(stale_settings, stale_service).get("/ui/lists")
    assert response.status_code == 200
    doc = html(response.text)
    ofsi, un = card(doc, "uk-ofsi"), card(doc, "un-sc")
    assert badges(ofsi) == ["In use for screening", "Stale"]
    assert texts(ofsi, f".//p[{classed('stale-reason')}]") == [f"Stale: {RETIRED}."]
    assert badges(un) == ["In use for screening"]
    assert nodes(un, f".//p[{classed('stale-reason')}]") == []
    [notice] = texts(doc, "//div[@id='stale-notice']")
    assert notice.startswith("1 list is stale") and "uk-ofsi." in notice and "un-sc" not in notice


def test_an_allowed_age_of_one_day_makes_the_two_day_old_un_list_stale(
    stale_settings: Settings, stale_service: ScreeningService
) -> None:
    strict = stale_settings.model_copy(update={"stale_after_days": {"un-sc": 1}})
    doc = html(client_for(strict, stale_service).get("/ui/lists").text)
    un = card(doc, "un-sc")
    assert badges(un) == ["In use for screening", "Stale"]
    published = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    [reason] = texts(un, f".//p[{classed('stale-reason')}]")
    assert reason.startswith(f"Stale: newest version published {published}, 2 days ago, older than 1 day")
    assert texts(doc, "//div[@id='stale-notice']/h2") == ["2 lists are stale"]


def test_the_screening_against_panel_names_the_stale_list(
    stale_settings: Settings, stale_service: ScreeningService
) -> None:
    response = client_for(stale_settings, stale_service).get("/ui/search")
    assert response.status_code == 200
    items = nodes(html(response.text), f"//div[{classed('in-use')}]//li")
    by_key = {texts(li, f".//span[{classed('list-tag')}]")[0]: li for li in items}
    assert set(by_key) == {"uk-ofsi", "un-sc"}
    assert badges(by_key["uk-ofsi"]) == ["Stale"]
    assert texts(by_key["uk-ofsi"], f".//span[{classed('stale-reason')}]") == [RETIRED]
    assert badges(by_key["un-sc"]) == []
    assert by_key["un-sc"].get("class") is None and by_key["uk-ofsi"].get("class") == "list-stale"
