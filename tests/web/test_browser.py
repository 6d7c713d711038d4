"""The analyst UI in real headless Chromium against a live uvicorn server over the test store.

Each test opens its own browser context and waits for elements, never for fixed times. The run
writes screenshots (search, entity, lists, the phone-width search, sign-in) into a temp dir, or into
``docs/screenshots/`` when pytest runs with ``--update-screenshots``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from sqlalchemy.engine import Engine

from sanctionwatch.cases.users import User
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import ui_sessions
from sanctionwatch.web.sessions import COOKIE, token_hash
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    check_accessibility,
    contrast_failures,
    horizontal_overflow,
)
from tests.web.conftest import PASSWORDS, WebStore
from tests.web.liveserver import LiveServer
from tests.web.pages import sign_in

TIMEOUT_MS = 10_000
KIM = "us-ofac-sdn:20157"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh (Debian package chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def server(open_app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(open_app) as live:
        yield live


@pytest.fixture(scope="module")
def auth_server(auth_app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(auth_app) as live:
        yield live


@contextmanager
def browsing(browser: Browser, base_url: str, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """A page in a fresh context; on exit, asserts no script error or CSP violation happened.

    The browser logs answers with 4xx statuses (422 for a form in error) as console errors; those
    are expected and left out.
    """
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "status of 4" not in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    with browsing(browser, server.url) as opened:
        yield opened


def test_search_kim_jong_un_shows_him_first_with_the_explanation(
    page: Page, web_store: WebStore, screenshots: Path
) -> None:
    page.goto("/ui/search")
    check_accessibility(page)
    page.evaluate("window.__notReloaded = true")
    page.fill("#name", "Kim Jong-un")
    page.fill("#country", "KP")
    page.click("#search-submit")
    first = page.locator("article.hit").first
    expect(first).to_have_attribute("data-entity-id", KIM)
    # htmx swapped the results in place (no page load) and put the query in the address bar.
    assert page.evaluate("window.__notReloaded") is True
    assert parse_qs(urlsplit(page.url).query)["name"] == ["Kim Jong-un"]
    expect(page.locator("#results-status")).to_contain_text("for “Kim Jong-un”")
    expect(page.locator("#results-status")).to_have_attribute("aria-live", "polite")
    expect(page).to_have_title("Kim Jong-un – Screening · sanctionwatch")
    expect(first.locator(".badge")).to_have_text("Alert")
    expect(first.locator("h3")).to_have_text("KIM, Jong Un")
    expect(first.locator(".program")).to_have_text("DPRK3")
    expect(first.locator(".matched-name")).to_have_text("KIM, Jong Un")
    expect(first.locator(".align-row").first.locator(".tok-exact")).to_have_count(3)
    expect(first.locator(".evidence")).to_be_visible()
    expect(first.locator(".bar")).to_be_visible()
    check_accessibility(page)
    page.screenshot(path=str(screenshots / "search.png"), full_page=True)
    # No htmx history snapshots: result pages are not copied into the browser's storage.
    assert page.evaluate("[sessionStorage.getItem('htmx-history-cache'), localStorage.length]") == [None, 0]

    first.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text("KIM, Jong Un")
    assert page.url.endswith(f"/ui/entities/{KIM}")
    expect(page.locator("dl div", has_text="Born").locator("dd")).to_have_text("1984-01-08")
    with ListStore.open(web_store.settings) as store:
        version = store.active_versions()["us-ofac-sdn"]
    source = page.locator(".source")
    expect(source.locator("div", has_text="List version").locator("dd")).to_have_text(str(version.id))
    imported = version.imported_at.strftime("%Y-%m-%d %H:%M UTC")
    expect(source.locator("div", has_text="Imported at").locator("dd")).to_have_text(imported)
    check_accessibility(page)


def test_entity_page_of_a_multi_script_entry(page: Page, screenshots: Path) -> None:
    page.goto("/ui/entities/un-sc:QDi.290")
    expect(page.locator("h1")).to_have_text("DOKU KHAMATOVICH UMAROV")
    row = page.locator(".names-table tbody tr", has_text="Умаров Доку Хаматович")
    expect(row).to_contain_text("Cyrillic (Cyrl)")
    expect(page.locator(".ids-table")).to_contain_text("96 03 464086")
    expect(page.locator(".source")).to_contain_text("2026-02-27")
    check_accessibility(page)
    page.screenshot(path=str(screenshots / "entity.png"), full_page=True)


def test_lists_page(page: Page, screenshots: Path) -> None:
    page.goto("/ui/lists")
    ofac = page.locator("section.list-card", has=page.locator("#list-us-ofac-sdn"))
    expect(ofac.locator(".diff-title")).to_contain_text("Last update: from version")
    expect(ofac.locator(".diff-added")).to_be_visible()
    expect(ofac).to_contain_text("14,965")
    un = page.locator("section.list-card", has=page.locator("#list-un-sc"))
    expect(un).to_contain_text("First version of this list")
    check_accessibility(page)
    page.screenshot(path=str(screenshots / "lists.png"), full_page=True)


def test_a_search_with_the_keyboard_only(page: Page) -> None:
    page.goto("/ui/search")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().top") >= 0  # shown
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#name")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused field shows no focus ring"
    page.keyboard.type("Kim Jong-un")
    page.keyboard.press("Enter")
    expect(page.locator("article.hit").first).to_have_attribute("data-entity-id", KIM)
    expect(page.locator("#name")).to_be_focused()  # focus stays where it was after the swap
    order = []
    for _ in range(12):
        page.keyboard.press("Tab")
        here = page.evaluate(
            "document.activeElement.id || document.activeElement.closest('article')?.dataset.entityId"
        )
        order.append(here)
        if here == KIM:
            break
    assert order == ["schema", "birth_date", "country", "threshold", "limit", "search-submit", KIM]
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("KIM, Jong Un")
    page.go_back()  # back to the results, reloaded from the server (htmx keeps no snapshot)
    expect(page.locator("article.hit").first).to_have_attribute("data-entity-id", KIM)
    expect(page.locator("#name")).to_have_value("Kim Jong-un")


def test_bad_input_shows_the_form_with_messages_at_the_fields(page: Page) -> None:
    page.goto("/ui/search")
    page.fill("#birth_date", "1984-13-45")
    page.click("#search-submit")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#name")).to_be_focused()  # the first field in error
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name-error")).to_have_text("Error: Enter the name to screen.")
    expect(page.locator("#birth_date-error")).to_have_text("Error: '1984-13-45' is not a real date.")
    expect(page.locator("#birth_date")).to_have_value("1984-13-45")
    expect(page.locator("article.hit")).to_have_count(0)
    check_accessibility(page)
    page.fill("#name", "Kim Jong-un")
    page.fill("#birth_date", "1984-01-08")
    page.keyboard.press("Enter")
    expect(page.locator("article.hit").first).to_have_attribute("data-entity-id", KIM)
    expect(page.locator(".error-summary")).to_have_count(0)


def test_phone_width_has_no_horizontal_scroll(
    browser: Browser, server: LiveServer, screenshots: Path
) -> None:
    with browsing(browser, server.url, width=375, height=812) as page:
        page.goto("/ui/search?name=Kim+Jong-un&country=KP")
        expect(page.locator("article.hit").first).to_have_attribute("data-entity-id", KIM)
        assert horizontal_overflow(page) == {"page": 0, "boxes": []}
        check_accessibility(page)
        page.screenshot(path=str(screenshots / "search-phone.png"), full_page=True)
        for url in ("/ui/entities/un-sc:QDi.290", "/ui/entities/us-ofac-sdn:10392", "/ui/lists"):
            page.goto(url)
            expect(page.locator("h1")).to_be_visible()
            assert horizontal_overflow(page) == {"page": 0, "boxes": []}, url


def test_sign_in_and_sign_out_with_a_password_in_the_browser(
    browser: Browser,
    auth_server: LiveServer,
    web_engine: Engine,
    ui_users: dict[str, User],
    screenshots: Path,
) -> None:
    with browsing(browser, auth_server.url) as page:
        page.goto("/ui/lists")
        expect(page.locator("h1")).to_have_text("Sign in")
        assert "/ui/sign-in?next=%2Fui%2Flists" in page.url
        expect(page.locator("#username")).to_be_focused()
        check_accessibility(page)
        page.screenshot(path=str(screenshots / "sign-in.png"), full_page=True)
        page.fill("#username", "ana")
        page.fill("#password", "not-anas-password")
        page.click("main button[type=submit]")
        expect(page.locator("#password-error")).to_have_text("Error: Wrong username or password.")
        expect(page.locator("#username")).to_have_value("ana")
        expect(page.locator("#password")).to_have_value("")  # never sent back
        expect(page.locator("#password")).to_be_focused()
        check_accessibility(page)
        page.fill("#password", PASSWORDS["ana"])
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Sanctions lists")
        assert page.url.endswith("/ui/lists")
        expect(page.locator(".account")).to_contain_text("Signed in as ana (analyst)")
        check_accessibility(page)
        assert page.evaluate("document.cookie") == ""  # HttpOnly: invisible to scripts
        [cookie] = page.context.cookies()
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/ui")
        csrf = page.input_value(".account input[name=csrf_token]")
        # htmx sends the session's CSRF token with its requests (hx-headers on <body>).
        page.goto("/ui/search")
        with page.expect_request(lambda r: "/ui/search?" in r.url) as sent:
            page.fill("#name", "Kim Jong-un")
            page.click("#search-submit")
        assert sent.value.headers.get("hx-request") == "true"
        assert sent.value.headers.get("x-csrf-token") == csrf
        expect(page.locator("article.hit").first).to_have_attribute("data-entity-id", KIM)
        page.click("text=Sign out")
        expect(page.locator("p[role=status]")).to_have_text("You are signed out.")
        token = cookie["value"]
        with web_engine.connect() as conn:
            query = sa.select(ui_sessions.c.ended_at).where(ui_sessions.c.token_hash == token_hash(token))
            assert conn.execute(query).scalar_one() is not None  # ended on the server
        # The old cookie, put back, opens nothing.
        page.context.add_cookies(
            [{"name": COOKIE, "value": token, "domain": cookie["domain"], "path": "/ui"}]
        )
        page.goto("/ui/search")
        expect(page.locator("h1")).to_have_text("Sign in")
        sign_in(page, "sam", PASSWORDS["sam"], "/ui/lists")
        expect(page.locator(".account")).to_contain_text("Signed in as sam (supervisor)")


def test_the_page_checks_catch_low_contrast_and_overflow(page: Page) -> None:
    """The checks above can fail: a grey-on-white text and a too-wide element are caught."""
    page.goto("/ui/search")
    assert contrast_failures(page) == [] and horizontal_overflow(page) == {"page": 0, "boxes": []}
    page.evaluate(
        """() => {
        const p = document.createElement("p");
        p.textContent = "pale text";
        p.style.color = "#aaaaaa";
        document.querySelector(".search-panel").append(p);
        const wide = document.createElement("div");
        wide.textContent = "wide";
        wide.style.width = "3000px";
        document.querySelector(".search-panel").append(wide);
    }"""
    )
    [failure] = contrast_failures(page)
    assert failure["text"] == "pale text" and failure["ratio"] == 2.32
    overflow = horizontal_overflow(page)
    assert overflow["page"] > 0
    assert [box.split(":")[0] for box in overflow["boxes"]] == ["panel search-panel"]
