"""Server-side UI sessions (``ui_sessions``) on the real test store: expiry, sign-out, rotation,
disabled users and password changes, CSRF on state-changing posts, and role gates.

The probe routes below use the public dependencies exactly as the UI's case pages do.
"""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Annotated

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from starlette.responses import PlainTextResponse

from sanctionwatch.cases.audit import iter_audit, now
from sanctionwatch.cases.users import Role, User, create_user, set_active, set_password, set_role
from sanctionwatch.service import ScreeningService
from sanctionwatch.store.keys import KeyStore
from sanctionwatch.store.schema import ui_sessions
from sanctionwatch.web.csrf import CheckedForm
from sanctionwatch.web.guards import SignedIn, role_required
from sanctionwatch.web.sessions import COOKIE, Viewer, token_hash
from tests.web.conftest import PASSWORDS, WebStore, make_app
from tests.web.pages import csrf_token, html, sign_in, texts

Supervisor = Annotated[Viewer, Depends(role_required(Role.SUPERVISOR, Role.ADMIN))]


def _probe(app: FastAPI) -> FastAPI:
    async def supervisors(who: Supervisor) -> PlainTextResponse:
        return PlainTextResponse(f"{who.name} {who.role}")

    async def anyone(who: SignedIn) -> PlainTextResponse:
        return PlainTextResponse(f"{who.name} {who.role}")

    async def change(who: SignedIn, form: CheckedForm) -> PlainTextResponse:
        return PlainTextResponse(f"changed by {who.name}")

    app.add_api_route("/ui/probe/supervisors", supervisors)
    app.add_api_route("/ui/probe/anyone", anyone)
    app.add_api_route("/ui/probe/change", change, methods=["POST"])
    return app


@pytest.fixture(scope="module")
def probe_app(web_store: WebStore, web_service: ScreeningService, key_store: KeyStore) -> FastAPI:
    """The app with API keys on, plus probe routes."""
    return _probe(make_app(web_store, web_service, key_store))


@pytest.fixture(scope="module")
def open_probe_app(web_store: WebStore, web_service: ScreeningService) -> FastAPI:
    """The app with ``--no-auth``, plus probe routes."""
    return _probe(make_app(web_store, web_service, None))


def signed_in(app: FastAPI, username: str, password: str) -> tuple[TestClient, str]:
    """A client signed in as ``username``, and its session token."""
    client = TestClient(app, follow_redirects=False)
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    return client, SimpleCookie(response.headers["set-cookie"])[COOKIE].value


def session_row(engine: Engine, token: str) -> sa.RowMapping:
    with engine.connect() as conn:
        row = conn.execute(sa.select(ui_sessions).where(ui_sessions.c.token_hash == token_hash(token)))
        return row.mappings().one()


def test_a_session_lasts_eight_hours_then_signs_out(
    probe_app: FastAPI, web_engine: Engine, ui_users: dict[str, User]
) -> None:
    client, token = signed_in(probe_app, "ana", PASSWORDS["ana"])
    row = session_row(web_engine, token)
    assert row["expires_at"] - row["created_at"] == timedelta(hours=8)
    assert row["ended_at"] is None and len(row["csrf_token"]) >= 43
    assert client.get("/ui/lists").status_code == 200
    with web_engine.begin() as conn:
        conn.execute(
            ui_sessions.update()
            .where(ui_sessions.c.token_hash == token_hash(token))
            .values(expires_at=now() - timedelta(seconds=1))
        )
    response = client.get("/ui/lists")
    assert response.status_code == 303 and response.headers["location"] == "/ui/sign-in?next=%2Fui%2Flists"
    assert SimpleCookie(response.headers["set-cookie"])[COOKIE]["max-age"] == "0"


def test_sign_out_ends_the_session_server_side(
    probe_app: FastAPI, web_engine: Engine, ui_users: dict[str, User]
) -> None:
    client, token = signed_in(probe_app, "sam", PASSWORDS["sam"])
    csrf = csrf_token(client.get("/ui/lists").text)
    response = client.post("/ui/sign-out", data={"csrf_token": csrf})
    assert (response.status_code, response.headers["location"]) == (303, "/ui/sign-in?signed_out=1")
    assert SimpleCookie(response.headers["set-cookie"])[COOKIE]["max-age"] == "0"
    assert session_row(web_engine, token)["ended_at"] is not None
    # The old cookie, kept by someone, no longer opens anything.
    replay = TestClient(probe_app, follow_redirects=False)
    replay.cookies.set(COOKIE, token, path="/ui")
    assert replay.get("/ui/lists").status_code == 303
    assert replay.get("/ui/probe/anyone").status_code == 303
    assert texts(html(client.get("/ui/sign-in?signed_out=1").text), "//p[@role='status']") == [
        "You are signed out."
    ]
    assert [e.action for e in iter_audit(web_engine, "user:sam")][-2:] == ["user.sign_in", "user.sign_out"]


def test_sign_out_needs_the_csrf_token(probe_app: FastAPI, ui_users: dict[str, User]) -> None:
    client, _ = signed_in(probe_app, "ana", PASSWORDS["ana"])
    assert client.post("/ui/sign-out").status_code == 403
    assert client.post("/ui/sign-out", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/ui/lists").status_code == 200  # still signed in


def test_each_sign_in_starts_a_new_session_and_ends_the_previous_one(
    probe_app: FastAPI, web_engine: Engine, ui_users: dict[str, User]
) -> None:
    client, first = signed_in(probe_app, "ana", PASSWORDS["ana"])
    first_csrf = session_row(web_engine, first)["csrf_token"]
    response = sign_in(client, "ana", PASSWORDS["ana"])  # the browser still sends the first cookie
    second = SimpleCookie(response.headers["set-cookie"])[COOKIE].value
    assert second != first
    assert session_row(web_engine, first)["ended_at"] is not None
    assert session_row(web_engine, second)["csrf_token"] != first_csrf
    assert client.get("/ui/probe/anyone").text == "ana analyst"


def test_disabling_a_user_ends_their_sessions_at_the_next_request(
    probe_app: FastAPI, web_engine: Engine
) -> None:
    create_user(web_engine, "dan", "dan-will-be-disabled", "analyst", "test-setup")
    client, token = signed_in(probe_app, "dan", "dan-will-be-disabled")
    assert client.get("/ui/probe/anyone").status_code == 200
    set_active(web_engine, "dan", False, "ada")
    assert client.get("/ui/probe/anyone").status_code == 303
    assert session_row(web_engine, token)["ended_at"] is not None
    # Even a session row left open (e.g. written before the user was disabled) is refused.
    with web_engine.begin() as conn:
        conn.execute(
            ui_sessions.update().where(ui_sessions.c.token_hash == token_hash(token)).values(ended_at=None)
        )
    assert client.get("/ui/lists").status_code == 303


def test_a_password_change_ends_the_users_sessions(probe_app: FastAPI, web_engine: Engine) -> None:
    create_user(web_engine, "pat", "pat-first-password", "analyst", "test-setup")
    client, _ = signed_in(probe_app, "pat", "pat-first-password")
    other, _ = signed_in(probe_app, "pat", "pat-first-password")  # another browser
    set_password(web_engine, "pat", "pat-second-password", "ada")
    assert client.get("/ui/lists").status_code == 303
    assert other.get("/ui/lists").status_code == 303
    assert sign_in(client, "pat", "pat-first-password").status_code == 403
    assert sign_in(client, "pat", "pat-second-password").status_code == 303
    [entry] = [e for e in iter_audit(web_engine, "user:pat") if e.action == "user.password"]
    assert entry.details == {"sessions_ended": 2}


def test_a_role_change_applies_at_the_next_request(probe_app: FastAPI, web_engine: Engine) -> None:
    create_user(web_engine, "rob", "rob-gets-promoted", "analyst", "test-setup")
    client, _ = signed_in(probe_app, "rob", "rob-gets-promoted")
    assert client.get("/ui/probe/supervisors").status_code == 403
    set_role(web_engine, "rob", "supervisor", "ada")
    assert client.get("/ui/probe/supervisors").text == "rob supervisor"


@pytest.mark.parametrize(
    ("username", "status", "says"),
    [
        ("ana", 403, "needs the supervisor or admin role"),
        ("sam", 200, "sam supervisor"),
        ("ada", 200, "ada admin"),
    ],
)
def test_a_role_gate_lets_in_only_its_roles(
    probe_app: FastAPI, ui_users: dict[str, User], username: str, status: int, says: str
) -> None:
    client, _ = signed_in(probe_app, username, PASSWORDS[username])
    response = client.get("/ui/probe/supervisors")
    assert response.status_code == status
    assert says in " ".join(html(response.text).text_content().split())
    if status == 403:
        assert texts(html(response.text), "//h1") == ["Not allowed"]
        assert "you are signed in as ana (analyst)" in response.text


def test_case_pages_need_a_user_even_without_authentication(
    open_probe_app: FastAPI, ui_users: dict[str, User]
) -> None:
    anonymous = TestClient(open_probe_app, follow_redirects=False)
    assert anonymous.get("/ui/lists").status_code == 200  # the open UI stays open
    response = anonymous.get("/ui/probe/anyone")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/sign-in?next=%2Fui%2Fprobe%2Fanyone"
    htmx = anonymous.get("/ui/probe/anyone", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["hx-redirect"].startswith("/ui/sign-in?next=")
    assert anonymous.post("/ui/probe/change", data={"csrf_token": "x"}).status_code == 303
    client, _ = signed_in(open_probe_app, "ana", PASSWORDS["ana"])
    assert client.get("/ui/probe/anyone").text == "ana analyst"
    csrf = csrf_token(client.get("/ui/lists").text)
    assert client.post("/ui/probe/change", data={"csrf_token": csrf}).text == "changed by ana"


class TestCsrf:
    """A state-changing post needs the session's token and the same origin."""

    @pytest.fixture
    def ana(self, probe_app: FastAPI, ui_users: dict[str, User]) -> tuple[TestClient, str]:
        client, _ = signed_in(probe_app, "ana", PASSWORDS["ana"])
        return client, csrf_token(client.get("/ui/search").text)

    def test_with_the_token_in_the_form_or_the_header_the_post_goes_ahead(
        self, ana: tuple[TestClient, str]
    ) -> None:
        client, csrf = ana
        assert client.post("/ui/probe/change", data={"csrf_token": csrf}).text == "changed by ana"
        assert client.post("/ui/probe/change", headers={"X-CSRF-Token": csrf}).text == "changed by ana"
        same = client.post(
            "/ui/probe/change", data={"csrf_token": csrf}, headers={"Origin": "http://testserver"}
        )
        assert same.status_code == 200

    @pytest.mark.parametrize(
        ("form", "headers", "message"),
        [
            ({}, {}, "security token is missing or out of date"),
            ({"csrf_token": "not-the-token"}, {}, "security token is missing or out of date"),
            ({}, {"X-CSRF-Token": "not-the-token"}, "security token is missing or out of date"),
            ({"csrf_token": "é"}, {}, "security token is missing or out of date"),
            ({"csrf_token": "TOKEN"}, {"Origin": "https://evil.example"}, "Cross-site request refused"),
            ({"csrf_token": "TOKEN"}, {"Origin": "null"}, "Cross-site request refused"),
            ({"csrf_token": "TOKEN"}, {"Sec-Fetch-Site": "cross-site"}, "Cross-site request refused"),
        ],
    )
    def test_without_it_or_from_another_origin_the_post_is_refused(
        self, ana: tuple[TestClient, str], form: dict[str, str], headers: dict[str, str], message: str
    ) -> None:
        client, csrf = ana
        form = {k: csrf if v == "TOKEN" else v for k, v in form.items()}
        response = client.post("/ui/probe/change", data=form, headers=headers)
        assert response.status_code == 403
        assert message in response.text
        assert texts(html(response.text), "//h1") == ["Request refused"]

    def test_another_sessions_token_does_not_work(
        self, probe_app: FastAPI, ana: tuple[TestClient, str]
    ) -> None:
        client, _ = ana
        other, _ = signed_in(probe_app, "sam", PASSWORDS["sam"])
        sams = csrf_token(other.get("/ui/search").text)
        assert client.post("/ui/probe/change", data={"csrf_token": sams}).status_code == 403
