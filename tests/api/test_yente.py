"""The yente-compatible API, driven by the official ``yente-client`` against a live uvicorn server.

The server requires an API key; the client sends it as yente's ``Authorization: ApiKey`` header.
Expected entities come from the data README (SDN 20157 = KIM, Jong Un; UN KPe.001 = KOMID) and
the raw ua_war_sanctions CSV (``NK-24cf2zYe7LEKhr2zFck73j`` = vessel ROSALIN, IMO9253325).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from yente_client import (  # type: ignore[import-untyped]
    AuthenticationError,
    Client,
    Company,
    LegalEntity,
    NotFoundError,
    Person,
    Vessel,
)

from tests.api.conftest import API_KEY

KJU = "us-ofac-sdn:20157"
KOMID = "KOREA MINING DEVELOPMENT TRADING CORPORATION"
ROSALIN = "ftm:ua_war_sanctions:NK-24cf2zYe7LEKhr2zFck73j"


@pytest.fixture(scope="module")
def yc(live_server: str) -> Iterator[Client]:
    with Client(base_url=live_server, api_key=API_KEY, app_name="sanctionwatch-tests") as client:
        yield client


def test_health_and_readiness(yc: Client) -> None:
    assert yc.healthz().status == "ok"
    assert yc.readyz().status == "ok"


def test_catalog_lists_default_and_every_list(yc: Client) -> None:
    catalog = yc.datasets()
    by_name = {d.name: d for d in catalog.datasets}
    assert set(by_name) == {"default", "un-sc", "us-ofac-sdn", "ftm:ua_war_sanctions"}
    default = by_name["default"]
    assert sorted(default.children) == ["ftm:ua_war_sanctions", "un-sc", "us-ofac-sdn"]
    assert default.entity_count == 1003 + 14965 + 5600  # data README counts
    assert by_name["un-sc"].entity_count == 1003
    assert by_name["un-sc"].title == "UN Security Council Consolidated List"
    assert by_name["un-sc"].updated_at is not None
    assert by_name["un-sc"].updated_at.date().isoformat() == "2026-02-27"
    assert all(d.load and d.index_current for d in catalog.datasets)
    assert set(catalog.current) == set(by_name)


def test_algorithms_name_yente_algorithms_that_use_our_scorer(yc: Client) -> None:
    algos = yc.algorithms()
    names = [a.name for a in algos.algorithms]
    assert {"best", "logic-v1", "logic-v2", "name-based"} <= set(names)
    assert algos.best in names
    assert algos.default in names
    aliases = [a for a in algos.algorithms if a.name == "logic-v2"]
    assert aliases[0].description is not None
    assert algos.best in aliases[0].description


def test_match_person(yc: Client) -> None:
    result = yc.match(Person(name="Kim Jong Un", birthDate="1984-01-08", nationality="kp"))
    top = result.top
    assert top is not None
    assert top.id == KJU
    assert top.match is True
    assert top.schema_ == "Person"
    assert top.caption == "KIM, Jong Un"
    assert top.properties["birthDate"] == ["1984-01-08"]
    assert top.datasets == ["us-ofac-sdn"]
    assert top.explanations["birth_date"].score > 0
    assert top.explanations["name"].candidate == "KIM, Jong Un"
    assert result.query["properties"]["name"] == ["Kim Jong Un"]
    assert result.total.value >= len(result.results) >= 1
    assert result.limit == 5


def test_match_company_finds_the_organization(yc: Client) -> None:
    result = yc.match(Company(name=KOMID))
    assert result.top is not None
    assert result.top.id == "un-sc:KPe.001"
    assert result.top.schema_ == "Organization"
    assert result.top.match is True
    assert "us-ofac-sdn:9345" in [r.id for r in result.matches]


def test_match_legal_entity_and_algorithm_names(yc: Client) -> None:
    for algorithm in ("best", "logic-v1", "logic-v2", "name-based"):
        result = yc.match(LegalEntity(name=KOMID), algorithm=algorithm)
        assert result.top is not None
        assert result.top.id == "un-sc:KPe.001"


def test_match_in_one_list_dataset(yc: Client) -> None:
    on_un = yc.match(Company(name=KOMID), datasets=["un-sc"])
    assert on_un.results
    assert {r.datasets[0] for r in on_un.results} == {"un-sc"}
    assert KJU not in [r.id for r in yc.match(Person(name="Kim Jong Un"), datasets=["un-sc"]).results]


def test_match_vessel_by_imo_in_a_colon_named_dataset(yc: Client) -> None:
    result = yc.match(Vessel(name="Rosalin", imoNumber="IMO9253325"), datasets=["ftm:ua_war_sanctions"])
    assert result.top is not None
    assert result.top.id == ROSALIN
    assert "identifier" in result.top.explanations


def test_match_threshold_and_limit(yc: Client) -> None:
    result = yc.match(Person(name="Kim Jong"), threshold=0.99, limit=2)
    assert 1 <= len(result.results) <= 2
    assert result.limit == 2
    assert all(not r.match for r in result.results)


def test_match_iter_screens_many(yc: Client) -> None:
    pairs = [("kju", Person(name="Kim Jong Un")), ("komid", Company(name=KOMID))]
    results = dict(yc.match_iter(pairs, workers=2))
    assert results["kju"].top is not None and results["kju"].top.id == KJU
    assert results["komid"].top is not None and results["komid"].top.id == "un-sc:KPe.001"


def test_unknown_dataset_is_not_found(yc: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        yc.match(Person(name="Kim Jong Un"), datasets=["eu-nowhere"])
    assert "eu-nowhere" in caught.value.response.text


def test_search(yc: Client) -> None:
    result = yc.search("Kim Jong Un", limit=3)
    assert result.results[0].id == KJU
    assert result.total.value >= 1
    assert result.limit == 3
    assert "countries" in result.facets


def test_search_one_list_and_paging(yc: Client) -> None:
    page = yc.search("", datasets=["un-sc"], limit=10, offset=5)
    assert page.total.value == 1003
    assert len(page.results) == 10
    assert page.offset == 5
    assert {r.datasets[0] for r in page.results} == {"un-sc"}


def test_fetch_entity(yc: Client) -> None:
    entity = yc.fetch("un-sc:KPe.001")
    assert entity.caption == KOMID
    assert entity.schema_ == "Organization"
    assert "KOMID" in entity.properties["alias"]
    assert entity.datasets == ["un-sc"]


def test_fetch_unknown_entity_is_not_found(yc: Client) -> None:
    with pytest.raises(NotFoundError):
        yc.fetch("un-sc:XXe.999")


def test_without_key_the_client_is_refused(live_server: str) -> None:
    with Client(base_url=live_server) as anonymous, pytest.raises(AuthenticationError):
        anonymous.match(Person(name="Kim Jong Un"))


def test_batch_header_and_several_queries(live_server: str) -> None:
    body = {
        "queries": {
            "a": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}},
            "b": {"schema": "Company", "properties": {"name": KOMID}},
        }
    }
    response = httpx.post(
        f"{live_server}/match/default", json=body, headers={"Authorization": f"ApiKey {API_KEY}"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-batch-size"] == "2"
    data = response.json()
    assert data["responses"]["a"]["results"][0]["id"] == KJU
    assert data["responses"]["b"]["results"][0]["id"] == "un-sc:KPe.001"
    assert data["responses"]["b"]["query"]["properties"]["name"] == [KOMID]
