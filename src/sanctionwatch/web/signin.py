"""The sign-in page, its form post and sign-out.

Each sign-in checks the username and password (``cases.users.authenticate``), starts a new session
(ending the one the browser had) and sets the session cookie: HttpOnly, SameSite=Strict, Secure
over HTTPS, scoped to ``/ui``. The sign-in POST has no session yet, so it is protected by the
same-origin check; sign-out needs the session's CSRF token.

Sign-in is throttled per user and per client address (:mod:`sanctionwatch.web.throttle`): too
many recent failures answer 429 with ``Retry-After`` before any password is checked, and after
10 failures in 15 minutes the account is locked for a while, even for the right password. Each
successful sign-in also purges sessions that ended or expired (:func:`purge_sessions`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from sanctionwatch.cases.users import authenticate
from sanctionwatch.errors import StoreError
from sanctionwatch.service import StateDep
from sanctionwatch.web.csrf import same_origin, verify_csrf
from sanctionwatch.web.guards import viewer
from sanctionwatch.web.params import read_form
from sanctionwatch.web.refusals import RequestRefused, SignInUnavailable, safe_next
from sanctionwatch.web.sessions import (
    COOKIE,
    COOKIE_PATH,
    MAX_AGE,
    NO_SESSION,
    end_session,
    purge_sessions,
    record_failed_sign_in,
    start_session,
)
from sanctionwatch.web.templating import page
from sanctionwatch.web.throttle import check_sign_in, record_throttled

__all__ = ["WRONG_CREDENTIALS", "router"]

WRONG_CREDENTIALS = "Wrong username or password."

router = APIRouter()


def _client(request: Request) -> str:
    return request.client.host if request.client is not None else ""


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
def sign_in_form(request: Request, state: StateDep) -> Response:
    """The sign-in page (a redirect to ``next`` when already signed in)."""
    next_path = safe_next(request.query_params.get("next"))
    found = viewer(request, state)
    if found is not None and found.name is not None:
        return RedirectResponse(next_path, status_code=303)
    return _sign_in_page(request, next_path, "", {}, 200)


@router.post("/ui/sign-in", name="ui_sign_in_submit")
async def sign_in(request: Request, state: StateDep) -> Response:
    """Check the username and password and start a new session."""
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    if not same_origin(request):
        raise RequestRefused("Cross-site sign-in refused: sign in from this server's own page.")
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
        engine = await run_in_threadpool(state.case_engine)
        refused = await run_in_threadpool(check_sign_in, engine, username, client)
        if refused is not None:
            await run_in_threadpool(record_throttled, engine, username, client, refused)
            response = _sign_in_page(request, next_path, username, {"password": refused.message}, 429)
            response.headers["Retry-After"] = str(refused.retry_after)
            return response
        user = await run_in_threadpool(authenticate, engine, username, password)
        if user is None:
            await run_in_threadpool(record_failed_sign_in, engine, username, client)
            return _sign_in_page(request, next_path, username, {"password": WRONG_CREDENTIALS}, 403)
        token = await run_in_threadpool(start_session, engine, user, client, request.cookies.get(COOKIE))
        await run_in_threadpool(purge_sessions, engine)
    except SQLAlchemyError as exc:
        raise SignInUnavailable(f"cannot sign in: {exc}") from exc
    except StoreError as exc:
        raise SignInUnavailable(str(exc)) from exc
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
async def sign_out(request: Request, state: StateDep) -> Response:
    """End the session (server-side, then the cookie)."""
    form = await read_form(request)
    found = await run_in_threadpool(viewer, request, state)
    token = request.cookies.get(COOKIE)
    if found is not None and found.name is not None and token:
        verify_csrf(request, form, found)
        try:
            await run_in_threadpool(end_session, state.case_engine(), token, found.name, _client(request))
        except StoreError as exc:
            raise SignInUnavailable(str(exc)) from exc
    elif not same_origin(request):
        raise RequestRefused("Cross-site sign-out refused.")
    target = request.url_for("ui_sign_in").path + "?signed_out=1"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response
