"""What a UI request gets when it cannot be served: the sign-in redirect, a 503 page when the
sessions cannot be read, and an HTML page (not the API's JSON) for any other error on a ``/ui`` page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionwatch.app import create_app
from sanctionwatch.errors import StoreError
from sanctionwatch.service import ScreeningService
from sanctionwatch.settings import Settings
from sanctionwatch.web.sessions import COOKIE
from tests.web.conftest import WebStore, make_app
from tests.web.pages import html, texts


@pytest.fixture
def broken_app(tmp_path: Path) -> FastAPI:
    """An app whose database cannot be opened: a file stands where its folder should be."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    settings = Settings(
        database_url=f"sqlite:///{blocker / 'db.sqlite'}", data_dir=tmp_path, reload_interval=0
    )
    return create_app(settings, service=ScreeningService(settings), auth=None, load_on_start=False)


def test_sign_in_with_the_database_down_is_a_503_page(broken_app: FastAPI) -> None:
    client = TestClient(broken_app, follow_redirects=False)
    assert client.get("/ui/sign-in").status_code == 200  # no session to look up yet
    response = client.post("/ui/sign-in", data={"username": "ana", "password": "whatever-it-is"})
    assert response.status_code == 503
    doc = html(response.text)
    assert texts(doc, "//h1") == ["Sign-in unavailable"]
    assert "not-a-folder" in texts(doc, "//main")[0]


def test_a_session_that_cannot_be_read_is_neither_let_in_nor_sent_to_sign_in(broken_app: FastAPI) -> None:
    client = TestClient(broken_app, follow_redirects=False)
    client.cookies.set(COOKIE, "some-token", path="/ui")
    response = client.get("/ui/alerts")
    assert response.status_code == 503
    assert texts(html(response.text), "//h1") == ["Sign-in unavailable"]


def test_a_case_page_without_a_session_redirects_to_sign_in(broken_app: FastAPI) -> None:
    response = TestClient(broken_app, follow_redirects=False).get("/ui/audit?actor=ana")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/sign-in?next=%2Fui%2Faudit%3Factor%3Dana"


def test_an_error_on_a_ui_page_is_a_page_and_on_the_api_json(
    web_store: WebStore, web_service: ScreeningService
) -> None:
    app = make_app(web_store, web_service, None)

    def boom() -> None:
        raise StoreError("db.example: the store went away")

    app.add_api_route("/ui/probe/boom", boom)
    app.add_api_route("/probe/boom", boom)
    client = TestClient(app, follow_redirects=False)
    page = client.get("/ui/probe/boom")
    assert page.status_code == StoreError.http_status == 503
    assert page.headers["content-type"].startswith("text/html")
    doc = html(page.text)
    assert texts(doc, "//h1") == ["Request failed"]
    assert "db.example: the store went away" in texts(doc, "//main")[0]
    api = client.get("/probe/boom")
    assert api.status_code == 503
    assert api.json()["error"] == {
        "type": "StoreError",
        "message": "db.example: the store went away",
        "field": None,
    }
