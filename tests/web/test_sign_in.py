"""Sign-in with a username and password (``cases.users``, Argon2id) on the real test store: the form,
wrong and unknown credentials, disabled users, the session cookie's attributes, redirects, the audit
trail, and the UI without authentication (``--no-auth``)."""

from __future__ import annotations

import hashlib
from http.cookies import SimpleCookie

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.users import User, create_user, set_active
from sanctionwatch.web.refusals import safe_next
from sanctionwatch.web.sessions import COOKIE, MAX_AGE, token_hash
from tests.web.conftest import PASSWORDS
from tests.web.pages import csrf_token, html, nodes, sign_in, texts

PAGES = ("/ui/search", "/ui/search?name=Kim+Jong-un", "/ui/entities/us-ofac-sdn:20157", "/ui/lists")


def audit_actions(engine: Engine, username: str) -> list[tuple[str, str, dict[str, object]]]:
    """(actor, action, details) of every audit entry about ``user:<username>``."""
    return [(e.actor, e.action, e.details) for e in iter_audit(engine, f"user:{username}")]


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_pages_redirect_to_sign_in_with_the_way_back(auth_client: TestClient, url: str) -> None:
    response = auth_client.get(url)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/ui/sign-in?next=")
    form = html(auth_client.get(location).text)
    assert [el.get("value") for el in nodes(form, "//input[@name='next']")] == [url]
    assert nodes(form, "//label[@for='username']") and nodes(form, "//input[@id='username'][@type='text']")
    assert nodes(form, "//label[@for='password']") and nodes(
        form, "//input[@id='password'][@type='password']"
    )
    assert nodes(form, "//input[@id='password'][@autocomplete='current-password']")
    assert not nodes(form, "//input[@name='api_key']")


def test_an_htmx_request_without_a_session_gets_a_full_page_redirect(auth_client: TestClient) -> None:
    response = auth_client.get("/ui/search?name=x", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["hx-redirect"].startswith("/ui/sign-in?next=")


def test_a_good_password_signs_in_with_a_strict_httponly_cookie(
    auth_client: TestClient, ui_users: dict[str, User]
) -> None:
    response = sign_in(auth_client, "ana", PASSWORDS["ana"], "/ui/lists")
    assert (response.status_code, response.headers["location"]) == (303, "/ui/lists")
    morsel = SimpleCookie(response.headers["set-cookie"])[COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/ui"
    assert int(morsel["max-age"]) == MAX_AGE == 8 * 3600
    assert not morsel["secure"]  # plain http here; see the https test
    assert len(morsel.value) >= 43  # token_urlsafe(32): 256 random bits
    for url in PAGES:
        page = auth_client.get(url)
        assert page.status_code == 200, url
        doc = html(page.text)
        assert texts(doc, "//div[@class='account']//strong") == ["ana"]
        assert texts(doc, "//div[@class='account']//*[@class='account-role']") == ["(analyst)"]
        assert nodes(doc, "//div[@class='account']//form[@action='/ui/sign-out']//button")
        csrf_token(page.text)  # in hx-headers and in the sign-out form, the same


def test_over_https_the_cookie_is_secure(auth_app: FastAPI, ui_users: dict[str, User]) -> None:
    client = TestClient(auth_app, base_url="https://testserver", follow_redirects=False)
    response = sign_in(client, "sam", PASSWORDS["sam"])
    assert SimpleCookie(response.headers["set-cookie"])[COOKIE]["secure"] is True


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("ana", "not-anas-password"),
        ("ana", PASSWORDS["sam"]),  # another user's password
        ("nobody-by-this-name", PASSWORDS["ana"]),
        ("ANA", PASSWORDS["ana"]),  # usernames are exact
    ],
)
def test_wrong_credentials_say_the_same_whether_or_not_the_user_exists(
    auth_client: TestClient, ui_users: dict[str, User], username: str, password: str
) -> None:
    response = sign_in(auth_client, username, password, "/ui/lists")
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    doc = html(response.text)
    assert texts(doc, "//*[@id='password-error']") == ["Error: Wrong username or password."]
    assert nodes(doc, "//input[@id='password'][@aria-invalid='true'][@value='']")  # never echoed back
    assert [el.get("value") for el in nodes(doc, "//input[@id='username']")] == [username]
    assert [el.get("value") for el in nodes(doc, "//input[@name='next']")] == ["/ui/lists"]
    assert password not in response.text


@pytest.mark.parametrize(
    ("username", "password", "errors"),
    [
        ("", "", {"username": "Enter your username.", "password": "Enter your password."}),
        ("ana", "", {"password": "Enter your password."}),
        ("  ", "x", {"username": "Enter your username."}),
    ],
)
def test_missing_fields_are_reported_at_the_fields(
    auth_client: TestClient, username: str, password: str, errors: dict[str, str]
) -> None:
    response = sign_in(auth_client, username, password)
    assert response.status_code == 422
    doc = html(response.text)
    for field in ("username", "password"):
        expected = [f"Error: {errors[field]}"] if field in errors else []
        assert texts(doc, f"//*[@id='{field}-error']") == expected


def test_a_disabled_user_cannot_sign_in(auth_client: TestClient, web_engine: Engine) -> None:
    create_user(web_engine, "dora", "dora-was-here-2026", "analyst", "test-setup")
    set_active(web_engine, "dora", False, "test-setup")
    response = sign_in(auth_client, "dora", "dora-was-here-2026")
    assert response.status_code == 403
    assert texts(html(response.text), "//*[@id='password-error']") == ["Error: Wrong username or password."]
    set_active(web_engine, "dora", True, "test-setup")
    assert sign_in(auth_client, "dora", "dora-was-here-2026").status_code == 303


def test_sign_in_and_failures_are_in_the_audit_trail_without_the_password(
    auth_client: TestClient, web_engine: Engine
) -> None:
    create_user(web_engine, "audrey", "audrey-audited-pass", "supervisor", "test-setup")
    assert sign_in(auth_client, "audrey", "wrong-password-here").status_code == 403
    assert sign_in(auth_client, "audrey", "audrey-audited-pass").status_code == 303
    entries = audit_actions(web_engine, "audrey")
    assert [(actor, action) for actor, action, _ in entries] == [
        ("test-setup", "user.create"),
        ("anonymous", "user.sign_in_failed"),
        ("audrey", "user.sign_in"),
    ]
    assert entries[1][2] == {"username": "audrey", "client": "testclient"}
    assert entries[2][2] == {"client": "testclient"}
    unknown = audit_actions(web_engine, "ghost-user")
    assert unknown == []
    sign_in(auth_client, "ghost-user", "whatever-password")
    assert [a for _, a, _ in audit_actions(web_engine, "ghost-user")] == ["user.sign_in_failed"]
    everything = repr(list(iter_audit(web_engine)))
    assert "wrong-password-here" not in everything and "audrey-audited-pass" not in everything


def test_the_session_token_is_stored_hashed(
    auth_client: TestClient, web_engine: Engine, ui_users: dict[str, User]
) -> None:
    response = sign_in(auth_client, "ada", PASSWORDS["ada"])
    token = SimpleCookie(response.headers["set-cookie"])[COOKIE].value
    with web_engine.connect() as conn:
        dump = repr(conn.exec_driver_sql("SELECT * FROM ui_sessions").fetchall())
        [(user_id,)] = conn.exec_driver_sql(
            "SELECT user_id FROM ui_sessions WHERE token_hash = ?", (token_hash(token),)
        ).fetchall()
    assert token not in dump
    assert user_id == ui_users["ada"].id
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "lists"])
def test_sign_in_never_redirects_off_site(
    auth_client: TestClient, ui_users: dict[str, User], target: str
) -> None:
    response = sign_in(auth_client, "ana", PASSWORDS["ana"], target)
    assert response.headers["location"] == "/ui/search"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "/ui/search"),
        ("", "/ui/search"),
        ("/ui/lists?x=1", "/ui/lists?x=1"),
        ("//evil.example", "/ui/search"),
        ("/\\evil.example", "/ui/search"),
        ("http://evil.example/ui", "/ui/search"),
        ("javascript:alert(1)", "/ui/search"),
    ],
)
def test_safe_next_keeps_only_local_paths(value: str | None, expected: str) -> None:
    assert safe_next(value) == expected


def test_a_cross_site_sign_in_is_refused(auth_client: TestClient, ui_users: dict[str, User]) -> None:
    form = {"username": "ana", "password": PASSWORDS["ana"]}
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        response = auth_client.post("/ui/sign-in", data=form, headers=headers)
        assert response.status_code == 403, headers
        assert "set-cookie" not in response.headers
        assert "Cross-site sign-in refused" in response.text
    same = auth_client.post("/ui/sign-in", data=form, headers={"Origin": "http://testserver"})
    assert same.status_code == 303


def test_signed_in_the_sign_in_page_goes_on_to_next(
    auth_client: TestClient, ui_users: dict[str, User]
) -> None:
    sign_in(auth_client, "ana", PASSWORDS["ana"])
    response = auth_client.get("/ui/sign-in?next=/ui/lists")
    assert (response.status_code, response.headers["location"]) == (303, "/ui/lists")


def test_without_authentication_the_ui_is_open_and_sign_in_still_works(
    client: TestClient, ui_users: dict[str, User]
) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        doc = html(response.text)
        assert not nodes(doc, "//div[@class='account']//strong")
        assert nodes(doc, "//div[@class='account']//a[@href='/ui/sign-in']")
        assert doc.body.get("hx-headers") is None
    form = html(client.get("/ui/sign-in?next=/ui/lists").text)
    assert nodes(form, "//input[@id='username']") and nodes(form, "//input[@id='password']")
    response = sign_in(client, "sam", PASSWORDS["sam"], "/ui/lists")
    assert (response.status_code, response.headers["location"]) == (303, "/ui/lists")
    doc = html(client.get("/ui/lists").text)
    assert texts(doc, "//div[@class='account']//strong") == ["sam"]
