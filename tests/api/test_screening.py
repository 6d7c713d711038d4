"""The own screening API: POST /screen, POST /screen/batch, GET /lists, GET /entities/{id}.

Expected entities come from the data README and the raw files (``grep`` of sdn.csv and the UN XML):
KIM, Jong Un is SDN ent_num 20157 (DPRK3, DOB 08 Jan 1984); KOMID is UN KPe.001 and SDN 9345;
the vessel AM NOK GANG is SDN 17084 with "IMO 8132835"; EP-GOM is aircraft 15431.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sanctionwatch.api import screening, yente
from sanctionwatch.service import state_of
from tests.api.conftest import API_KEY

KJU = "us-ofac-sdn:20157"
KOMID = "KOREA MINING DEVELOPMENT TRADING CORPORATION"


def screen(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/screen", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_person_first_hit_is_kim_jong_un_with_explanation(client: TestClient) -> None:
    data = screen(client, name="Kim Jong Un", schema="Person", birth_date="1984-01-08")
    first = data["hits"][0]
    assert first["entity_id"] == KJU
    assert first["match"] is True
    assert first["score"] >= data["threshold"]
    assert first["list_key"] == "us-ofac-sdn"
    assert first["schema"] == "Person"
    assert first["programs"] == ["DPRK3"]
    explanation = first["explanation"]
    assert explanation["matched_name"] == "KIM, Jong Un"
    assert sorted(p["query"] for p in explanation["parts"]) == ["jong", "kim", "un"]
    [dob] = explanation["features"]
    assert dob["name"] == "birth_date"
    assert dob["contribution"] > 0
    assert "1984-01-08" in dob["detail"]
    assert "birth_date" in explanation["summary"]
    assert data["query"] == {
        "name": "Kim Jong Un",
        "schema": "Person",
        "birth_date": "1984-01-08",
        "country": None,
        "identifiers": [],
    }


def test_hits_are_best_first_and_limited(client: TestClient) -> None:
    data = screen(client, name="Kim Jong", limit=3)
    scores = [h["score"] for h in data["hits"]]
    assert 1 <= len(scores) <= 3
    assert scores == sorted(scores, reverse=True)


def test_hangul_name_finds_the_romanized_listing(client: TestClient) -> None:
    first = screen(client, name="김정은")["hits"][0]
    assert first["entity_id"] == KJU
    assert first["explanation"]["transliteration"] != "original"


def test_contradicting_birth_date_lowers_the_score_below_the_threshold(client: TestClient) -> None:
    first = screen(client, name="Kim Jong Un", birth_date="1990")["hits"][0]
    assert first["entity_id"] == KJU
    assert first["match"] is False
    [feature] = first["explanation"]["features"]
    assert feature["name"] == "birth_date"
    assert feature["contribution"] < 0


def test_threshold_sets_the_match_flag(client: TestClient) -> None:
    low = screen(client, name="Kim Jong Un", birth_date="1990", threshold=0.5)["hits"][0]
    assert low["entity_id"] == KJU
    assert low["match"] is True
    assert screen(client, name="Kim Jong Un", threshold=0.5)["threshold"] == 0.5


def test_company_schema_finds_komid_on_un_list_first(client: TestClient) -> None:
    hits = screen(client, name=KOMID, schema="Company")["hits"]
    assert hits[0]["entity_id"] == "un-sc:KPe.001"
    assert hits[0]["schema"] == "Organization"
    assert "us-ofac-sdn:9345" in [h["entity_id"] for h in hits]


def test_person_schema_excludes_organizations(client: TestClient) -> None:
    hits = screen(client, name=KOMID, schema="Person")["hits"]
    assert all(h["schema"] == "Person" for h in hits)


def test_identifier_is_evidence(client: TestClient) -> None:
    data = screen(client, name="Am Nok Gang", schema="Vessel", identifiers=["IMO 8132835"])
    first = data["hits"][0]
    assert first["entity_id"] == "us-ofac-sdn:17084"
    assert "identifier" in [f["name"] for f in first["explanation"]["features"]]
    assert data["query"]["identifiers"] == ["8132835"]


def test_country_name_is_normalized(client: TestClient) -> None:
    data = screen(client, name="Kim Jong Un", country="North Korea")
    assert data["query"]["country"] == "KP"


def test_lists_restrict_hits(client: TestClient) -> None:
    hits = screen(client, name=KOMID, lists=["us-ofac-sdn"])["hits"]
    assert hits
    assert {h["list_key"] for h in hits} == {"us-ofac-sdn"}
    vessel = screen(client, name="ROSALIN", lists=["ftm"])["hits"][0]
    assert vessel["entity_id"] == "ftm:ua_war_sanctions:NK-24cf2zYe7LEKhr2zFck73j"
    assert screen(client, name="Kim Jong Un", lists=["un-sc"])["hits"] == []  # not on the UN list


def test_unknown_list_is_refused_naming_the_field(client: TestClient) -> None:
    response = client.post("/screen", json={"name": "Kim", "lists": ["eu-nope"]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "lists"
    assert "'eu-nope'" in error["message"]


def test_response_names_the_versions_screened(client: TestClient) -> None:
    versions = screen(client, name="Kim Jong Un")["versions"]
    listed = {item["key"]: item["version"] for item in client.get("/lists").json()["lists"]}
    assert versions == listed


def test_batch_returns_results_in_request_order(client: TestClient) -> None:
    queries = [
        {"id": "a", "name": KOMID, "schema": "Organization"},
        {"id": "b", "name": "Kim Jong Un", "schema": "Person"},
        {"id": "c", "name": "Zzyzx Qwvbn"},
    ]
    response = client.post("/screen/batch", json={"queries": queries})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["a", "b", "c"]
    assert results[0]["hits"][0]["entity_id"] == "un-sc:KPe.001"
    assert results[1]["hits"][0]["entity_id"] == KJU
    assert results[2]["hits"] == []


def test_batch_accepts_the_maximum_number_of_queries(client: TestClient, app: FastAPI) -> None:
    most = state_of(app).settings.max_batch_queries
    assert most == 1000
    queries = [{"name": "Kim Jong Un", "limit": 1}] * most
    response = client.post("/screen/batch", json={"queries": queries})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == most
    assert {r["hits"][0]["entity_id"] for r in results} == {KJU}


def test_batch_over_the_maximum_is_refused_with_the_count(client: TestClient) -> None:
    response = client.post("/screen/batch", json={"queries": [{"name": "Kim"}] * 1001})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "queries"
    assert "1,001" in error["message"]
    assert "1,000" in error["message"]


def test_batch_names_the_invalid_query(client: TestClient) -> None:
    queries = [{"name": "Kim Jong Un"}, {"name": "Kim", "birth_date": "1984-02-30"}]
    response = client.post("/screen/batch", json={"queries": queries})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "queries.1.birth_date"
    assert "'1984-02-30'" in error["message"]


def test_empty_batch_is_refused(client: TestClient) -> None:
    response = client.post("/screen/batch", json={"queries": []})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "queries"


def test_lists_show_the_active_versions(client: TestClient) -> None:
    data = client.get("/lists").json()
    lists = {item["key"]: item for item in data["lists"]}
    assert set(lists) == {"un-sc", "us-ofac-sdn", "ftm:ua_war_sanctions"}
    # data README counts
    assert lists["un-sc"]["entity_count"] == 1003
    assert lists["un-sc"]["schema_counts"] == {"Person": 730, "Organization": 273}
    assert lists["us-ofac-sdn"]["entity_count"] == 14965
    assert lists["ftm:ua_war_sanctions"]["entity_count"] == 5600
    assert lists["un-sc"]["published"] == "2026-02-27"  # dateGenerated of the file
    assert lists["un-sc"]["files"] == ["consolidated-2026-02-27.xml"]
    assert len(lists["un-sc"]["checksum"]) == 64
    assert data["entity_count"] == 1003 + 14965 + 5600


def test_entity_in_yente_shape_with_its_record(client: TestClient) -> None:
    response = client.get(f"/entities/{KJU}")
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["caption"], data["schema"]) == (KJU, "KIM, Jong Un", "Person")
    props = data["properties"]
    assert props["name"] == ["KIM, Jong Un"]
    assert props["birthDate"] == ["1984-01-08"]
    assert props["programId"] == ["DPRK3"]
    assert props["topics"] == ["sanction"]
    assert data["datasets"] == ["us-ofac-sdn"]
    assert data["target"] is True
    assert data["record"]["names"][0]["full"] == "KIM, Jong Un"
    assert data["list_key"] == "us-ofac-sdn"
    [sanction] = props["sanctions"]
    assert sanction["schema"] == "Sanction"
    assert sanction["properties"]["entity"] == [KJU]


def test_entity_ids_may_be_percent_encoded(client: TestClient) -> None:
    data = client.get("/entities/un-sc%3AKPe.001", params={"nested": "false"}).json()
    assert data["caption"] == KOMID
    assert data["schema"] == "Organization"
    assert "sanctions" not in data["properties"]
    assert data["last_seen"].startswith("2026-02-27")  # the UN file's publication date


def test_entity_schemata_map_to_followthemoney(client: TestClient) -> None:
    vessel = client.get("/entities/us-ofac-sdn:17084").json()
    assert vessel["schema"] == "Vessel"
    assert vessel["properties"]["imoNumber"] == ["8132835"]
    assert vessel["properties"]["flag"] == ["kp"]
    aircraft = client.get("/entities/us-ofac-sdn:15431").json()
    assert aircraft["schema"] == "Airplane"
    assert aircraft["caption"] == "EP-GOM"
    un = client.get("/entities/un-sc:KPe.001").json()
    assert "KOMID" in un["properties"]["alias"]
    assert un["properties"]["sanctions"][0]["properties"]["listingDate"] == ["2009-04-24"]


def test_unknown_entity_is_404(client: TestClient) -> None:
    response = client.get("/entities/us-ofac-sdn:999999999")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == "EntityNotFound"
    assert "'us-ofac-sdn:999999999'" in error["message"]


def _own_routes(app: FastAPI) -> list[APIRoute]:
    paths = app.openapi()["paths"]
    routes = [r for r in (*screening.router.routes, *yente.router.routes) if isinstance(r, APIRoute)]
    assert (
        len(routes) == 8
    )  # /screen, /screen/batch, /lists, /entities, /match, /search, /catalog, /algorithms
    for route in routes:
        for method in route.methods or ():
            assert method.lower() in paths[route.path.replace(":path", "")]
    return routes


def test_every_route_requires_an_api_key(auth_app: FastAPI) -> None:
    with TestClient(auth_app) as anonymous:
        for route in _own_routes(auth_app):
            path = route.path.replace("{dataset}", "default").replace("{entity_id:path}", KJU)
            for method in route.methods or ():
                response = anonymous.request(method, path, json={"name": "Kim"})
                assert response.status_code == 401, (method, path, response.text)
                assert response.json()["error"]["type"] == "Unauthorized"


def test_a_valid_key_is_accepted(auth_app: FastAPI) -> None:
    with TestClient(auth_app) as keyed:
        for headers in (
            {"Authorization": f"ApiKey {API_KEY}"},
            {"Authorization": f"Bearer {API_KEY}"},
            {"X-API-Key": API_KEY},
        ):
            response = keyed.post("/screen", json={"name": "Kim Jong Un"}, headers=headers)
            assert response.status_code == 200, response.text
        wrong = keyed.post("/screen", json={"name": "Kim"}, headers={"X-API-Key": "nope"})
        assert wrong.status_code == 401


def test_every_endpoint_has_a_section_in_the_api_docs(app: FastAPI) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for route in _own_routes(app):
        for method in route.methods or ():
            heading = f"### {method} {route.path.replace('{entity_id:path}', '{id}')}"
            assert heading in docs, heading
