"""Refused page requests and the one handler that answers them.

The UI's dependencies (:mod:`sanctionwatch.web.guards`) and checks (:mod:`sanctionwatch.web.csrf`)
raise a :class:`PageRefusal`; :func:`refusal_response` turns it into what a browser needs:

* :class:`SignInRequired`: a redirect to the sign-in page that comes back here afterwards (for an
  htmx request, ``HX-Redirect``, so htmx loads the whole page instead of swapping it in);
* :class:`RoleRequired`, :class:`RequestRefused`: a 403 page saying why;
* :class:`SignInUnavailable`: a 503 page (the sessions cannot be read: neither let in nor sent to
  sign-in).

Any other sanctionwatch error raised by a UI route gets :func:`error_page` (an HTML page with the
error's status), where the HTTP API answers JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from sanctionwatch.cases.users import Role
from sanctionwatch.errors import SanctionwatchError
from sanctionwatch.web.sessions import COOKIE, COOKIE_PATH, NO_SESSION, Viewer
from sanctionwatch.web.templating import page

__all__ = [
    "DEFAULT_PAGE",
    "VIEWER_KEY",
    "PageRefusal",
    "RequestRefused",
    "RoleRequired",
    "SignInRequired",
    "SignInUnavailable",
    "error_page",
    "refusal_response",
    "safe_next",
]

DEFAULT_PAGE = "/ui/search"
VIEWER_KEY = "sanctionwatch_viewer"
"""Where a request's viewer is kept on ``request.state`` once looked up."""


class PageRefusal(SanctionwatchError):
    """A UI request that is not served, and the page saying why.

    Args:
        message: What the page says.
        viewer: Who asked (for the page header).
    """

    http_status = 403
    title = "Request refused"

    def __init__(self, message: str, viewer: Viewer = NO_SESSION) -> None:
        super().__init__(message)
        self.viewer = viewer


class SignInRequired(PageRefusal):
    """Nobody (or nobody accountable, for a case page) is signed in: go to the sign-in page."""

    http_status = 303

    def __init__(self) -> None:
        super().__init__("sign in to see this page")


class RoleRequired(PageRefusal):
    """The signed-in user's role is not one the page allows."""

    title = "Not allowed"

    def __init__(self, viewer: Viewer, roles: Iterable[Role]) -> None:
        needed = " or ".join(r.value for r in roles)
        role = viewer.role.value if viewer.role is not None else "no role"
        super().__init__(
            f"This page needs the {needed} role; you are signed in as {viewer.name} ({role}).", viewer
        )


class RequestRefused(PageRefusal):
    """A form post failed the same-origin or CSRF token check."""


class SignInUnavailable(PageRefusal):
    """The sessions cannot be read or written (the database is unavailable)."""

    http_status = 503
    title = "Sign-in unavailable"


def safe_next(value: str | None) -> str:
    """A local path to go to after sign-in; anything else (other hosts, ``//x``) gives the search page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return DEFAULT_PAGE
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_PAGE
    return value


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


def _page(request: Request, viewer: Viewer, title: str, message: str, status: int) -> Response:
    context: dict[str, Any] = {"viewer": viewer, "nav": None, "title": title, "message": message}
    return page(request, "error.html", context, status)


async def refusal_response(request: Request, exc: Exception) -> Response:
    """The one handler of :class:`PageRefusal`: the sign-in redirect or the page saying why."""
    assert isinstance(exc, PageRefusal)
    if isinstance(exc, SignInRequired):
        return _to_sign_in(request)
    return _page(request, exc.viewer, exc.title, str(exc), exc.http_status)


def error_page(request: Request, exc: SanctionwatchError) -> Response:
    """The HTML page for any other sanctionwatch error raised while serving a UI page."""
    viewer = getattr(request.state, VIEWER_KEY, None)
    shown = viewer if isinstance(viewer, Viewer) else NO_SESSION
    return _page(request, shown, "Request failed", str(exc), type(exc).http_status)
