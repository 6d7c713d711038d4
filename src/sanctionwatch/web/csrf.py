"""Cross-site request forgery protection for the UI's form posts.

Two checks, both needed for a state-changing POST (:func:`verify_csrf`):

* **same origin**: a browser sends ``Origin`` with every POST; it must name this server (the
  ``Host`` the request came to). ``Sec-Fetch-Site: cross-site`` is refused too. A request with no
  ``Origin`` at all (not a browser, or a very old one) passes this check but not the next.
* **synchronizer token**: the session's random CSRF token (kept server-side in ``ui_sessions``),
  sent back in the form field ``csrf_token`` or, from htmx, the ``X-CSRF-Token`` header (``base.html``
  puts it in ``hx-headers`` on ``<body>``), compared in constant time.

The session cookie is also ``SameSite=Strict``, so a cross-site form post carries no session at all.
A failed check raises :class:`~sanctionwatch.web.refusals.RequestRefused` (a 403 page). The sign-in
POST has no session yet: it is protected by the same-origin check alone (and the SameSite cookie it
sets).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from sanctionwatch.web.guards import SignedIn
from sanctionwatch.web.params import read_form
from sanctionwatch.web.refusals import RequestRefused
from sanctionwatch.web.sessions import Viewer

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "CheckedForm",
    "checked_form",
    "same_origin",
    "verify_csrf",
]

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


def _token_matches(presented: str, expected: str) -> bool:
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))


def verify_csrf(request: Request, form: Mapping[str, str], viewer: Viewer) -> None:
    """Let a state-changing POST go ahead: same origin (:func:`same_origin`) and the session's CSRF
    token in the form field ``csrf_token`` or the ``X-CSRF-Token`` header.

    Raises:
        RequestRefused: Either check failed (the 403 page says which).
    """
    if not same_origin(request):
        raise RequestRefused(
            "Cross-site request refused: this form must be sent from this server's pages.", viewer
        )
    if viewer.csrf is None:
        raise RequestRefused("You are not signed in: sign in, then send the form again.", viewer)
    presented = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not presented or not _token_matches(presented, viewer.csrf):
        raise RequestRefused(
            "The form's security token is missing or out of date (you may have signed in again in "
            "another tab): reload the page and send it again.",
            viewer,
        )


async def checked_form(request: Request, who: SignedIn) -> dict[str, str]:
    """Dependency of a case page's form post: the form, once the user is signed in and it passed
    :func:`verify_csrf`.

    Raises:
        SignInRequired: Nobody is signed in.
        RequestRefused: The same-origin or token check failed.
    """
    form = await read_form(request)
    verify_csrf(request, form, who)
    return form


CheckedForm = Annotated[dict[str, str], Depends(checked_form)]
