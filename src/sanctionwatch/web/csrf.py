"""Cross-site request forgery protection for the UI's form posts.

Two checks, both needed for a state-changing POST (:func:`verify_csrf`):

* **same origin**: a browser sends ``Origin`` with every POST; it must name this server (the
  ``Host`` the request came to). ``Sec-Fetch-Site: cross-site`` is refused too. A request with no
  ``Origin`` at all (not a browser, or a very old one) passes this check but not the next.
* **synchronizer token**: the session's random CSRF token (kept server-side in ``ui_sessions``),
  sent back in the form field ``csrf_token`` or, from htmx, the ``X-CSRF-Token`` header (``base.html``
  puts it in ``hx-headers`` on ``<body>``), compared in constant time.

The session cookie is also ``SameSite=Strict``, so a cross-site form post carries no session at all.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from fastapi import Request
from starlette.responses import Response

from sanctionwatch.web.templating import page

if TYPE_CHECKING:
    from sanctionwatch.web.session import Viewer

__all__ = ["CSRF_FIELD", "CSRF_HEADER", "read_form", "refused", "same_origin", "verify_csrf"]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def same_origin(request: Request) -> bool:
    """Whether a POST comes from this server's own pages, by its ``Origin`` and ``Sec-Fetch-Site``."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin == "null":  # sandboxed frames, data: URLs, some redirects: never our pages
        return False
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def read_form(request: Request) -> dict[str, str]:
    """The url-encoded form of a POST, first value of each field (blank values kept)."""
    # The stdlib parses url-encoded forms; FastAPI's Form() would pull in python-multipart for this.
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def refused(request: Request, viewer: Viewer, message: str, status: int = 403) -> Response:
    """The error page saying why a request was refused."""
    context = {"viewer": viewer, "nav": None, "title": "Request refused", "message": message}
    return page(request, "error.html", context, status)


def _token_matches(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def verify_csrf(request: Request, form: Mapping[str, str], viewer: Viewer) -> Response | None:
    """None when a state-changing POST may go ahead, else the 403 page saying why not.

    Acceptable: same origin (:func:`same_origin`) and the session's CSRF token in the form field
    ``csrf_token`` or the ``X-CSRF-Token`` header.
    """
    if not same_origin(request):
        return refused(
            request, viewer, "Cross-site request refused: this form must be sent from this server's pages."
        )
    if viewer.csrf is None:
        return refused(request, viewer, "You are not signed in: sign in, then send the form again.")
    presented = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not presented or not _token_matches(presented, viewer.csrf):
        return refused(
            request,
            viewer,
            "The form's security token is missing or out of date (you may have signed in again in "
            "another tab): reload the page and send it again.",
        )
    return None
