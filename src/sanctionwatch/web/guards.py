"""Who may see a UI page: FastAPI dependencies that return the viewer or raise a refusal.

When the server has API keys (``AppState.auth`` not None) every UI page needs a signed-in user
(:data:`PageViewer`). With ``--no-auth`` the search, entity and lists pages are open, but case pages
still need an accountable user (:data:`SignedIn`, :func:`role_required`), so sign-in works in both
modes. API keys are for the HTTP API only. Refusals are answered by
:func:`sanctionwatch.web.refusals.refusal_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from sanctionwatch.cases.users import Role
from sanctionwatch.errors import StoreError
from sanctionwatch.service import AppState, StateDep
from sanctionwatch.web.refusals import VIEWER_KEY, RoleRequired, SignInRequired, SignInUnavailable
from sanctionwatch.web.sessions import COOKIE, NO_SESSION, Viewer, lookup

__all__ = ["PageViewer", "SignedIn", "page_viewer", "role_required", "signed_in", "viewer"]


def viewer(request: Request, state: AppState) -> Viewer | None:
    """The viewer of a request: the signed-in user of a live session; else, with ``--no-auth``, an
    anonymous viewer; else None (sign-in needed). Looked up once per request.

    Raises:
        SignInUnavailable: The sessions cannot be read.
    """
    cached = getattr(request.state, VIEWER_KEY, None)
    if isinstance(cached, Viewer):
        return cached
    token = request.cookies.get(COOKIE)
    try:
        found = lookup(state.case_engine(), token) if token else None
    except StoreError as exc:
        raise SignInUnavailable(str(exc)) from exc
    if found is None and state.auth is None:
        found = NO_SESSION
    if found is not None:
        setattr(request.state, VIEWER_KEY, found)
    return found


def page_viewer(request: Request, state: StateDep) -> Viewer:
    """Dependency of the search, entity and lists pages: the viewer (anonymous with ``--no-auth``).

    Raises:
        SignInRequired: Sign-in is on and nobody is signed in.
        SignInUnavailable: The sessions cannot be read.
    """
    found = viewer(request, state)
    if found is None:
        raise SignInRequired
    return found


def signed_in(request: Request, state: StateDep) -> Viewer:
    """Dependency of the case pages: the signed-in user, even with ``--no-auth``.

    Raises:
        SignInRequired: Nobody is signed in.
        SignInUnavailable: The sessions cannot be read.
    """
    found = viewer(request, state)
    if found is None or found.name is None or found.role is None:
        raise SignInRequired
    return found


PageViewer = Annotated[Viewer, Depends(page_viewer)]
SignedIn = Annotated[Viewer, Depends(signed_in)]


def role_required(*roles: Role) -> Callable[[Viewer], Viewer]:
    """A dependency: the signed-in user holding one of ``roles``.

    Raises:
        SignInRequired: Nobody is signed in.
        RoleRequired: The user's role is not one of ``roles`` (a 403 page naming the role needed).
    """

    def check(who: SignedIn) -> Viewer:
        if who.role not in roles:
            raise RoleRequired(who, roles)
        return who

    return check
