"""Rendering pages: the Jinja2 environment, its display filters, and the headers every page carries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from sanctionwatch import __version__
from sanctionwatch.countries import country_name

__all__ = ["SECURITY_HEADERS", "STATIC_DIR", "page", "templates"]

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"

SECURITY_HEADERS = {
    # Scripts and styles come from our own static files only; no inline code, no framing.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Screening queries and list data are confidential: keep them out of caches and history stores.
    "Cache-Control": "no-store",
}


def _percent(score: float) -> int:
    return round(score * 100)


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def _country(code: str | None) -> str:
    if not code:
        return ""
    name = country_name(code)
    return code if name == code else f"{name} ({code})"


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@jinja2.pass_context
def _path(context: Any, name: str, /, **params: Any) -> str:
    """The path (no scheme or host, so it holds behind any proxy) of the route ``name``."""
    request: Request = context["request"]
    return request.url_for(name, **params).path


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(percent=_percent, signed=_signed, country=_country, when=_when)
    env.globals.update(app_version=__version__, path=_path)
    return env


templates = Jinja2Templates(env=_environment())


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render template ``name`` as a full page with the security headers.

    ``context`` must hold ``viewer`` (see :mod:`sanctionwatch.web.sessions`) for the page header.
    """
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=SECURITY_HEADERS
    )
