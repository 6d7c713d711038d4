"""Sign-in for the web UI: username and password (``cases.users``), server-side sessions, CSRF tokens.

A session is a row of ``ui_sessions``: the browser's cookie holds a random token
(``secrets.token_urlsafe(32)``), the table only its SHA-256, with the user, the session's CSRF
token and when it expires (8 hours) or was ended (sign-out, password change, user disabled). Every
request looks the session up and re-checks that its user is still active, so disabling a user
signs them out at their next request. Each sign-in starts a new session (and ends the one the
browser had), and is recorded in the audit log, as is each failed attempt (the username tried,
never the password).

The cookie is HttpOnly, SameSite=Strict, Secure over HTTPS and scoped to ``/ui``. Every
state-changing POST calls :func:`verify_csrf` (same origin and the session's CSRF token). The
sign-in POST has no session yet: it is protected by the same-origin check (and the SameSite
cookie it sets).

When the server has API keys (``app.state.auth`` not None) every UI page needs a signed-in user
(:func:`gate`). With ``--no-auth`` the search, entity and lists pages are open, but case pages
still need an accountable user (:func:`gate_user`), so sign-in works in both modes. API keys are
for the HTTP API only.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from sanctionwatch.cases.audit import as_utc, now, record
from sanctionwatch.cases.schema import ui_sessions, users
from sanctionwatch.cases.users import Role, User, authenticate
from sanctionwatch.errors import StoreError
from sanctionwatch.web.csrf import read_form, refused, same_origin, verify_csrf
from sanctionwatch.web.db import case_engine
from sanctionwatch.web.templating import page

__all__ = [
    "COOKIE",
    "COOKIE_PATH",
    "MAX_AGE",
    "NO_SESSION",
    "Viewer",
    "gate",
    "gate_user",
    "read_form",
    "router",
    "safe_next",
    "token_hash",
    "verify_csrf",
    "viewer",
]

COOKIE = "sanctionwatch_session"
COOKIE_PATH = "/ui"
MAX_AGE = 8 * 3600
"""Seconds a sign-in lasts (a working day)."""
DEFAULT_PAGE = "/ui/search"
WRONG_CREDENTIALS = "Wrong username or password."
_CACHE = "sanctionwatch_viewer"

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking at a page.

    Attributes:
        name: The signed-in user's name; None when nobody is signed in (UI open, ``--no-auth``).
        role: The signed-in user's role, or None.
        auth: Whether a sign-in is in force (shows the user and the sign-out button).
        csrf: This session's CSRF token, or None without a session.
    """

    name: str | None
    role: Role | None
    auth: bool
    csrf: str | None


NO_SESSION = Viewer(None, None, False, None)
"""The viewer of a page shown to nobody in particular (the sign-in page, the open UI)."""


def token_hash(token: str) -> str:
    """What ``ui_sessions.token_hash`` holds for a session token: its hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else ""


def _lookup(engine: Engine, token: str) -> Viewer | None:
    query = (
        sa.select(ui_sessions.c.csrf_token, ui_sessions.c.expires_at, users.c.username, users.c.role)
        .join(users, users.c.id == ui_sessions.c.user_id)
        .where(
            ui_sessions.c.token_hash == token_hash(token),
            ui_sessions.c.ended_at.is_(None),
            users.c.active == sa.true(),
        )
    )
    try:
        with engine.connect() as conn:
            row = conn.execute(query).mappings().first()
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot read the UI sessions: {exc}") from exc
    # Compared here, not in SQL: SQLite keeps times as text, and aware UTC values are safest in Python.
    if row is None or as_utc(row["expires_at"]) <= now():
        return None
    return Viewer(row["username"], Role(row["role"]), True, row["csrf_token"])


def _end_session(conn: Connection, token: str) -> int:
    done = conn.execute(
        ui_sessions.update()
        .where(ui_sessions.c.token_hash == token_hash(token), ui_sessions.c.ended_at.is_(None))
        .values(ended_at=now())
    )
    return int(done.rowcount)


def _start(engine: Engine, user: User, client: str, previous: str | None) -> tuple[str, str]:
    """A new session for ``user`` (ending the browser's previous one): (token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now()
    with engine.begin() as conn:
        if previous:
            _end_session(conn, previous)
        conn.execute(
            ui_sessions.insert().values(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=at,
                expires_at=at + timedelta(seconds=MAX_AGE),
                ended_at=None,
            )
        )
        record(conn, user.username, "user.sign_in", f"user:{user.username}", {"client": client})
    return token, csrf


def _failed(engine: Engine, username: str, client: str) -> None:
    tried = username[:100]
    with engine.begin() as conn:
        record(
            conn, "anonymous", "user.sign_in_failed", f"user:{tried}", {"username": tried, "client": client}
        )


def _sign_out(engine: Engine, token: str, username: str, client: str) -> None:
    with engine.begin() as conn:
        if _end_session(conn, token):
            record(conn, username, "user.sign_out", f"user:{username}", {"client": client})


def viewer(request: Request) -> Viewer | None:
    """The viewer of a request: the signed-in user of a live session; else, with ``--no-auth``, an
    anonymous viewer; else None (sign-in needed).

    Raises:
        StoreError: The sessions table cannot be read.
    """
    cached: Viewer | None = getattr(request.state, _CACHE, None)
    if cached is not None:
        return cached
    token = request.cookies.get(COOKIE)
    found = _lookup(case_engine(request), token) if token else None
    if found is None and request.app.state.auth is None:
        found = NO_SESSION
    if found is not None:
        setattr(request.state, _CACHE, found)
    return found


def safe_next(value: str | None) -> str:
    """A local path to go to after sign-in; anything else (other hosts, ``//x``) gives the search page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return DEFAULT_PAGE
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_PAGE
    return value


def _unavailable(request: Request, exc: StoreError) -> Response:
    # The sessions cannot be read: neither let in nor send to sign-in.
    context = {"viewer": NO_SESSION, "nav": None, "title": "Sign-in unavailable", "message": str(exc)}
    return page(request, "error.html", context, 503)


def _way_back(request: Request) -> str:
    if request.method in ("GET", "HEAD"):
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    # A form post cannot be replayed by a redirect: go back to the page it was sent from.
    current = urlsplit(request.headers.get("hx-current-url", ""))
    return safe_next(current.path + (f"?{current.query}" if current.query else ""))


def _to_sign_in(request: Request) -> Response:
    target = request.url_for("ui_sign_in").path + "?" + urlencode({"next": _way_back(request)})
    if request.headers.get("hx-request") == "true":
        # htmx follows this header with a full page load instead of swapping the sign-in page in.
        response: Response = Response(status_code=204, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


def gate(request: Request) -> Viewer | Response:
    """The viewer, or the response sending the browser to the sign-in page (or saying why not)."""
    try:
        found = viewer(request)
    except StoreError as exc:
        return _unavailable(request, exc)
    return found if found is not None else _to_sign_in(request)


def gate_user(request: Request, *roles: Role) -> Viewer | Response:
    """The signed-in user (even with ``--no-auth``: case pages need an accountable person) holding
    one of ``roles`` when given; else the redirect to sign-in, or a 403 page naming the role needed.
    """
    try:
        found = viewer(request)
    except StoreError as exc:
        return _unavailable(request, exc)
    if found is None or found.name is None or found.role is None:
        return _to_sign_in(request)
    if roles and found.role not in roles:
        needed = " or ".join(r.value for r in roles)
        message = (
            f"This page needs the {needed} role; you are signed in as {found.name} ({found.role.value})."
        )
        context = {"viewer": found, "nav": None, "title": "Not allowed", "message": message}
        return page(request, "error.html", context, 403)
    return found


def _sign_in_page(
    request: Request, next_path: str, username: str, errors: dict[str, str], status: int
) -> Response:
    context = {
        "viewer": NO_SESSION,
        "nav": "sign-in",
        "next": next_path,
        "username": username,
        "errors": errors,
        "signed_out": request.query_params.get("signed_out") == "1",
        "hours": MAX_AGE // 3600,
    }
    return page(request, "sign_in.html", context, status)


@router.get("/ui/sign-in", name="ui_sign_in")
def sign_in_form(request: Request) -> Response:
    """The sign-in page (a redirect to ``next`` when already signed in)."""
    next_path = safe_next(request.query_params.get("next"))
    try:
        found = viewer(request)
    except StoreError as exc:
        return _unavailable(request, exc)
    if found is not None and found.name is not None:
        return RedirectResponse(next_path, status_code=303)
    return _sign_in_page(request, next_path, "", {}, 200)


@router.post("/ui/sign-in", name="ui_sign_in_submit")
async def sign_in(request: Request) -> Response:
    """Check the username and password and start a new session."""
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    if not same_origin(request):
        return refused(
            request, NO_SESSION, "Cross-site sign-in refused: sign in from this server's own page."
        )
    username, password = form.get("username", "").strip(), form.get("password", "")
    errors = {}
    if not username:
        errors["username"] = "Enter your username."
    if not password:
        errors["password"] = "Enter your password."
    if errors:
        return _sign_in_page(request, next_path, username, errors, 422)
    client = _client(request)
    try:
        engine = await run_in_threadpool(case_engine, request)
        user = await run_in_threadpool(authenticate, engine, username, password)
        if user is None:
            await run_in_threadpool(_failed, engine, username, client)
            return _sign_in_page(request, next_path, username, {"password": WRONG_CREDENTIALS}, 403)
        token, _ = await run_in_threadpool(_start, engine, user, client, request.cookies.get(COOKIE))
    except (StoreError, SQLAlchemyError) as exc:
        error = exc if isinstance(exc, StoreError) else StoreError(f"cannot sign in: {exc}")
        return _unavailable(request, error)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/ui/sign-out", name="ui_sign_out")
async def sign_out(request: Request) -> Response:
    """End the session (server-side, then the cookie)."""
    form = await read_form(request)
    try:
        found = await run_in_threadpool(viewer, request)
    except StoreError as exc:
        return _unavailable(request, exc)
    token = request.cookies.get(COOKIE)
    if found is not None and found.name is not None and token:
        refusal = verify_csrf(request, form, found)
        if refusal is not None:
            return refusal
        try:
            await run_in_threadpool(_sign_out, case_engine(request), token, found.name, _client(request))
        except SQLAlchemyError as exc:
            return _unavailable(request, StoreError(f"cannot sign out: {exc}"))
    elif not same_origin(request):
        return refused(request, NO_SESSION, "Cross-site sign-out refused.")
    target = request.url_for("ui_sign_in").path + "?signed_out=1"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response
