"""Sign-in for the web UI: an API key, checked by ``app.state.auth``, kept in a signed session cookie.

The cookie holds the key itself, signed (itsdangerous) and time-limited, so every page re-checks
it with the key checker: revoking a key signs its browser sessions out at their next request. It
is HttpOnly, SameSite=Strict, Secure over HTTPS and scoped to ``/ui``. With no key checker
(``--no-auth``) the UI is open and these pages just redirect.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import RedirectResponse, Response

from sanctionwatch.api.auth import KeyChecker
from sanctionwatch.errors import StoreError
from sanctionwatch.web.secret import session_secret
from sanctionwatch.web.templating import SECURITY_HEADERS, page

__all__ = ["COOKIE", "MAX_AGE", "Viewer", "gate", "router", "safe_next", "viewer"]

COOKIE = "sanctionwatch_session"
COOKIE_PATH = "/ui"
MAX_AGE = 8 * 3600
"""Seconds a sign-in lasts (a working day)."""
_SALT = "sanctionwatch.web.session"
DEFAULT_PAGE = "/ui/search"

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking at a page.

    Attributes:
        name: The API key's name when signed in; None when the UI runs without authentication.
        auth: Whether sign-in is required (shows the sign-out button).
    """

    name: str | None
    auth: bool


def _serializer(request: Request) -> URLSafeTimedSerializer:
    state = request.app.state
    found: URLSafeTimedSerializer | None = getattr(state, "web_session_serializer", None)
    if found is None:
        found = URLSafeTimedSerializer(session_secret(state.settings), salt=_SALT)
        state.web_session_serializer = found
    return found


def viewer(request: Request) -> Viewer | None:
    """The viewer of a request, or None when sign-in is required and the session is missing or stale."""
    checker: KeyChecker | None = request.app.state.auth
    if checker is None:
        return Viewer(None, auth=False)
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    try:
        key = _serializer(request).loads(cookie, max_age=MAX_AGE)
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(key, str):
        return None
    name = checker.check(key)
    return Viewer(name, auth=True) if name is not None else None  # None: revoked since sign-in


def safe_next(value: str | None) -> str:
    """A local path to go to after sign-in; anything else (other hosts, ``//x``) gives the search page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return DEFAULT_PAGE
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_PAGE
    return value


def gate(request: Request) -> Viewer | Response:
    """The viewer, or the response sending the browser to the sign-in page (or saying why not)."""
    try:
        found = viewer(request)
    except StoreError as exc:  # the key table cannot be read: neither let in nor send to sign-in
        context = {"viewer": Viewer(None, auth=True), "nav": None, "title": "Sign-in unavailable"}
        return page(request, "error.html", {**context, "message": str(exc)}, 503)
    if found is not None:
        return found
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = request.url_for("ui_sign_in").path + "?" + urlencode({"next": here})
    if request.headers.get("hx-request") == "true":
        # htmx follows this header with a full page load instead of swapping the sign-in page in.
        response: Response = Response(status_code=204, headers={"HX-Redirect": target})
    else:
        response = RedirectResponse(target, status_code=303)
    if COOKIE in request.cookies:
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


def _same_origin(request: Request) -> bool:
    """Whether a form post comes from our own pages (SameSite=Strict aside, a browser sends Origin)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _form(request: Request) -> dict[str, str]:
    # The stdlib parses url-encoded forms; FastAPI's Form() would pull in python-multipart for this.
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _sign_in_page(request: Request, next_path: str, error: str | None, status: int) -> Response:
    context = {"viewer": Viewer(None, auth=True), "next": next_path, "error": error, "nav": "sign-in"}
    context["signed_out"] = request.query_params.get("signed_out") == "1"
    return page(request, "sign_in.html", context, status)


@router.get("/ui/sign-in", name="ui_sign_in")
def sign_in_form(request: Request) -> Response:
    """The sign-in page (a redirect when already signed in or when the UI is open)."""
    next_path = safe_next(request.query_params.get("next"))
    if viewer(request) is not None:
        return RedirectResponse(next_path, status_code=303)
    return _sign_in_page(request, next_path, None, 200)


@router.post("/ui/sign-in", name="ui_sign_in_submit")
async def sign_in(request: Request) -> Response:
    """Check the API key and start a session."""
    form = await _form(request)
    next_path = safe_next(form.get("next"))
    checker: KeyChecker | None = request.app.state.auth
    if checker is None:
        return RedirectResponse(next_path, status_code=303)
    if not _same_origin(request):
        return Response("cross-site sign-in refused", status_code=403, headers=SECURITY_HEADERS)
    key = form.get("api_key", "").strip()
    if not key:
        return _sign_in_page(request, next_path, "Enter your API key.", 422)
    if await run_in_threadpool(checker.check, key) is None:
        return _sign_in_page(request, next_path, "This API key is not valid or has been revoked.", 403)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(key),
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/ui/sign-out", name="ui_sign_out")
def sign_out(request: Request) -> Response:
    """End the session."""
    if not _same_origin(request):
        return Response("cross-site sign-out refused", status_code=403, headers=SECURITY_HEADERS)
    target = request.url_for("ui_sign_in").path + "?signed_out=1"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response
