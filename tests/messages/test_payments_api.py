"""``POST /payments/screen`` over the API test store (UN, OFAC SDN 2024-05-03, ua_war_sanctions)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import api_settings, app, auth_app, client, service
from tests.messages.templates import CLEAN_MT, CLEAN_PACS, MT103, PACS008

__all__ = ["api_settings", "app", "auth_app", "client", "service"]

FTB = "us-ofac-sdn:15603"


def test_raw_xml_held_with_located_reasons(client: TestClient) -> None:
    body = PACS008.format(**{**CLEAN_PACS, "cdtr_bic": "FTBDKPPYXXX"})
    r = client.post("/payments/screen", content=body, headers={"content-type": "application/xml"})
    assert r.status_code == 200, r.text
    (result,) = r.json()["results"]
    assert result["verdict"] == "hold" and result["message_type"] == "pacs.008.001.08"
    bic = [x for x in result["reasons"] if x["kind"] == "bic"]
    assert FTB in {x["entity_id"] for x in bic}
    assert bic[0]["field"].endswith("CdtrAgt/FinInstnId/BICFI") and bic[0]["span"] == [0, 11]


def test_mt_as_text_and_as_json_pass(client: TestClient) -> None:
    text = MT103.format(**CLEAN_MT)
    r = client.post("/payments/screen", content=text, headers={"content-type": "text/plain"})
    assert r.status_code == 200 and [x["verdict"] for x in r.json()["results"]] == ["pass"]
    r = client.post("/payments/screen", json={"message": text, "format": "mt"})
    assert r.status_code == 200 and r.json()["results"][0]["message_type"] == "MT103"


def test_jurisdiction_switch(client: TestClient) -> None:
    body = PACS008.format(**{**CLEAN_PACS, "town": "Damascus", "country": "SY"})
    r = client.post("/payments/screen", json={"message": body})
    assert r.json()["results"][0]["verdict"] == "pass"
    r = client.post("/payments/screen", json={"message": body, "jurisdictions": "+syria"})
    assert r.json()["results"][0]["verdict"] == "hold"
    r = client.post("/payments/screen?jurisdictions=atlantis", content=body)
    assert r.status_code == 422 and "atlantis" in r.json()["error"]["message"]


def test_malformed_and_unsafe_bodies_are_4xx(client: TestClient) -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'>&e;</Document>"
    )
    for content, ctype in (
        ("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><", "application/xml"),
        (xxe, "application/xml"),
        ("hello", "text/plain"),
        ("", "text/plain"),
        ("{not json", "application/json"),
        ('{"message": 3}', "application/json"),
        ('{"message": "{1:F01X}", "format": "swift"}', "application/json"),
    ):
        r = client.post("/payments/screen", content=content, headers={"content-type": ctype})
        assert 400 <= r.status_code < 500, (content, r.status_code, r.text)
        assert "root:" not in r.text
        assert r.json()["error"]["message"]


def test_api_key_required(auth_app: FastAPI) -> None:
    with TestClient(auth_app) as c:
        r = c.post("/payments/screen", content="{1:F01X}", headers={"content-type": "text/plain"})
    assert r.status_code == 401
