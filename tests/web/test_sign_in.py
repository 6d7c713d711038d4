"""Sign-in with an API key from the store's real key table (``store/keys.py`` behind the server's
``StoreKeyChecker``), the session cookie's attributes, revocation, sign-out and redirects."""

from __future__ import annotations

import stat
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from pydantic import ValidationError

from sanctionwatch.api.service import ScreeningService
from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings
from sanctionwatch.store.keys import KeyStore
from sanctionwatch.web.secret import SECRET_FILE, session_secret
from sanctionwatch.web.session import COOKIE, MAX_AGE
from tests.web.conftest import KEY_NAME, WebStore, make_app
from tests.web.pages import html, nodes, texts

PAGES = ("/ui/search", "/ui/search?name=Kim+Jong-un", "/ui/entities/us-ofac-sdn:20157", "/ui/lists")


def sign_in(client: TestClient, key: str, next_path: str = "/ui/search") -> tuple[int, str, str]:
    """Post the sign-in form; (status, Location, Set-Cookie)."""
    response = client.post("/ui/sign-in", data={"api_key": key, "next": next_path})
    return response.status_code, response.headers.get("location", ""), response.headers.get("set-cookie", "")


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_pages_redirect_to_sign_in_with_the_way_back(auth_client: TestClient, url: str) -> None:
    response = auth_client.get(url)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/ui/sign-in?next=")
    form = html(auth_client.get(location).text)
    assert [el.get("value") for el in nodes(form, "//input[@name='next']")] == [url]
    assert nodes(form, "//label[@for='api_key']") and nodes(form, "//input[@id='api_key'][@type='password']")


def test_an_htmx_request_without_a_session_gets_a_full_page_redirect(auth_client: TestClient) -> None:
    response = auth_client.get("/ui/search?name=x", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["hx-redirect"].startswith("/ui/sign-in?next=")


def test_a_real_key_signs_in_with_a_strict_httponly_cookie(auth_client: TestClient, api_key: str) -> None:
    status, location, set_cookie = sign_in(auth_client, api_key, "/ui/lists")
    assert (status, location) == (303, "/ui/lists")
    morsel = SimpleCookie(set_cookie)[COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/ui"
    assert int(morsel["max-age"]) == MAX_AGE
    assert api_key not in morsel.value  # signed and encoded, not the bare key
    for url in PAGES:
        response = auth_client.get(url)
        assert response.status_code == 200, url
        assert texts(html(response.text), "//div[@class='account']//strong") == [KEY_NAME]


def test_over_https_the_cookie_is_secure(auth_app: FastAPI, api_key: str) -> None:
    client = TestClient(auth_app, base_url="https://testserver", follow_redirects=False)
    _, _, set_cookie = sign_in(client, api_key)
    assert SimpleCookie(set_cookie)[COOKIE]["secure"] is True


@pytest.mark.parametrize(
    ("key", "status", "message"),
    [
        ("", 422, "Enter your API key."),
        ("sw_not-a-real-key", 403, "This API key is not valid or has been revoked."),
    ],
)
def test_a_missing_or_wrong_key_re_renders_the_form(
    auth_client: TestClient, key: str, status: int, message: str
) -> None:
    response = auth_client.post("/ui/sign-in", data={"api_key": key, "next": "/ui/lists"})
    assert response.status_code == status
    assert "set-cookie" not in response.headers
    doc = html(response.text)
    assert texts(doc, "//*[@id='api_key-error']") == [f"Error: {message}"]
    assert nodes(doc, "//input[@id='api_key'][@aria-invalid='true'][@value='']")  # never echoed back
    assert [el.get("value") for el in nodes(doc, "//input[@name='next']")] == ["/ui/lists"]


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "lists"])
def test_sign_in_never_redirects_off_site(auth_client: TestClient, api_key: str, target: str) -> None:
    _, location, _ = sign_in(auth_client, api_key, target)
    assert location == "/ui/search"


def test_a_cross_site_post_is_refused(auth_client: TestClient, api_key: str) -> None:
    response = auth_client.post(
        "/ui/sign-in", data={"api_key": api_key}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert sign_in(auth_client, api_key)[0] == 303
    response = auth_client.post("/ui/sign-out", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert auth_client.get("/ui/lists").status_code == 200


def test_sign_out_ends_the_session(auth_client: TestClient, api_key: str) -> None:
    sign_in(auth_client, api_key)
    response = auth_client.post("/ui/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/sign-in?signed_out=1"
    assert SimpleCookie(response.headers["set-cookie"])[COOKIE]["max-age"] == "0"
    assert auth_client.get("/ui/lists").status_code == 303
    assert texts(html(auth_client.get("/ui/sign-in?signed_out=1").text), "//p[@role='status']") == [
        "You are signed out."
    ]


def test_revoking_the_key_ends_its_sessions_at_the_next_request(
    auth_client: TestClient, key_store: KeyStore
) -> None:
    created = key_store.create("to-revoke")
    assert sign_in(auth_client, created.key)[0] == 303
    assert auth_client.get("/ui/lists").status_code == 200
    key_store.revoke("to-revoke")
    response = auth_client.get("/ui/lists")
    assert response.status_code == 303 and response.headers["location"].startswith("/ui/sign-in")
    assert SimpleCookie(response.headers["set-cookie"])[COOKIE]["max-age"] == "0"


def test_tampered_and_expired_cookies_are_refused(
    auth_client: TestClient,
    auth_app: FastAPI,
    api_key: str,
    web_store: WebStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, set_cookie = sign_in(auth_client, api_key)
    good = SimpleCookie(set_cookie)[COOKIE].value
    client = TestClient(auth_app, follow_redirects=False)
    client.cookies.set(COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"), path="/ui")
    assert client.get("/ui/lists").status_code == 303
    forged = URLSafeTimedSerializer("x" * 48, salt="sanctionwatch.web.session").dumps(api_key)
    client.cookies.set(COOKIE, forged, path="/ui")
    assert client.get("/ui/lists").status_code == 303
    secret = session_secret(web_store.settings)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - MAX_AGE - 60)
    old = URLSafeTimedSerializer(secret, salt="sanctionwatch.web.session").dumps(api_key)
    monkeypatch.undo()
    client.cookies.set(COOKIE, old, path="/ui")
    assert client.get("/ui/lists").status_code == 303
    client.cookies.set(COOKIE, good, path="/ui")
    assert client.get("/ui/lists").status_code == 200


def test_the_session_secret_is_generated_once_private_and_survives_restarts(
    web_store: WebStore, web_service: ScreeningService, key_store: KeyStore, api_key: str
) -> None:
    first = TestClient(make_app(web_store, web_service, key_store), follow_redirects=False)
    _, _, set_cookie = sign_in(first, api_key)
    path = web_store.settings.data_dir / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().strip()) >= 32
    restarted = TestClient(make_app(web_store, web_service, key_store), follow_redirects=False)
    restarted.cookies.set(COOKIE, SimpleCookie(set_cookie)[COOKIE].value, path="/ui")
    assert restarted.get("/ui/lists").status_code == 200


def test_a_configured_secret_key_is_used_instead_of_the_file(tmp_path: Path) -> None:
    configured = Settings(data_dir=tmp_path, secret_key="s" * 40)  # type: ignore[arg-type]
    assert session_secret(configured) == "s" * 40
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(data_dir=tmp_path, secret_key="short")  # type: ignore[arg-type]


def test_a_damaged_secret_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / SECRET_FILE).write_text("abc\n")
    with pytest.raises(ConfigError, match=r"web-secret-key: the web session secret is 3 characters"):
        session_secret(Settings(data_dir=tmp_path))


def test_without_authentication_the_ui_is_open_and_sign_in_redirects(client: TestClient) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not nodes(html(response.text), "//div[@class='account']")
    assert client.get("/ui/sign-in?next=/ui/lists").headers["location"] == "/ui/lists"
