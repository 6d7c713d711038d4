"""Reading the UI's HTML in tests with lxml and XPath, not regexes; signing in from a test."""

from __future__ import annotations

import json
from typing import cast, overload

import httpx
import lxml.html
from fastapi.testclient import TestClient
from playwright.sync_api import Page

__all__ = ["classed", "csrf_token", "html", "nodes", "sign_in", "texts"]


def html(body: str) -> lxml.html.HtmlElement:
    """Parse a page."""
    return lxml.html.fromstring(body)


def classed(name: str) -> str:
    """An XPath predicate for elements carrying the CSS class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def nodes(doc: lxml.html.HtmlElement, xpath: str) -> list[lxml.html.HtmlElement]:
    """The elements an XPath selects."""
    return cast("list[lxml.html.HtmlElement]", doc.xpath(xpath))


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    """The whitespace-normalized text of every element the XPath selects."""
    return [" ".join(el.text_content().split()) for el in nodes(doc, xpath)]


def csrf_token(body: str) -> str:
    """The CSRF token a signed-in page carries: in ``<body hx-headers>`` for htmx, and in the sign-out
    form's hidden ``csrf_token`` field (both must agree)."""
    doc = html(body)
    header = json.loads(doc.body.get("hx-headers") or "{}").get("X-CSRF-Token", "")
    fields = [el.get("value") for el in nodes(doc, "//input[@name='csrf_token']")]
    assert header and all(f == header for f in fields), (header, fields)
    return str(header)


@overload
def sign_in(
    page_or_client: TestClient, username: str, password: str, next_path: str = ...
) -> httpx.Response: ...
@overload
def sign_in(page_or_client: Page, username: str, password: str, next_path: str = ...) -> None: ...
def sign_in(
    page_or_client: TestClient | Page, username: str, password: str, next_path: str = "/ui/search"
) -> httpx.Response | None:
    """Sign in through the sign-in form.

    With a ``TestClient``: posts the form and returns the response (303 to ``next_path`` on
    success; the client keeps the session cookie). With a Playwright ``Page``: fills and submits the
    form in the browser and waits until it has left the sign-in page.
    """
    if isinstance(page_or_client, TestClient):
        form = {"username": username, "password": password, "next": next_path}
        return cast("httpx.Response", page_or_client.post("/ui/sign-in", data=form))
    page = page_or_client
    page.goto("/ui/sign-in?" + str(httpx.QueryParams({"next": next_path})))
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/ui/sign-in'] button[type=submit]")
    page.wait_for_url(lambda url: "/ui/sign-in" not in url)
    return None
