"""The alert queue, alert page and audit trail in real headless Chromium, against a live server on a
fresh copy of the screened test book: an analyst filters the queue and proposes a true match, a
supervisor approves it, and every page passes the shared accessibility checks.

Writes ``alerts.png`` and ``alert.png`` (into ``docs/screenshots/`` with ``--update-screenshots``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, expect

from sanctionwatch.cases.alerts import get_alert, history
from tests.web.browser import check_accessibility
from tests.web.casedata import KIM_ENTITY, CaseSite, case_base, site
from tests.web.conftest import PASSWORDS
from tests.web.liveserver import LiveServer
from tests.web.pages import sign_in
from tests.web.test_browser import browser, browsing

__all__ = ["browser", "case_base", "site"]


@pytest.fixture
def live(site: CaseSite) -> Iterator[LiveServer]:
    with LiveServer(site.app) as server:
        yield server


def test_an_analyst_proposes_and_a_supervisor_approves_a_true_match(
    browser: Browser, site: CaseSite, live: LiveServer, screenshots: Path
) -> None:
    kim = site.base.kim_alert
    with browsing(browser, live.url) as page:
        sign_in(page, "ana", PASSWORDS["ana"], "/ui/alerts")
        expect(page.locator("h1")).to_have_text("Alert queue")
        expect(page.locator("tr[data-alert-id]")).to_have_count(50)
        check_accessibility(page)

        # Filter with the form: htmx swaps the table in place and puts the filter in the address bar.
        page.evaluate("window.__notReloaded = true")
        unfiltered = page.locator("#queue-status").inner_text()
        assert "page 1 of " in unfiltered
        page.select_option("#list", "us-ofac-sdn")
        page.fill("#min_score", "0.95")
        page.click("#queue-submit")
        expect(page.locator("#queue-status")).not_to_have_text(unfiltered)
        query = parse_qs(urlsplit(page.url).query)
        assert query["list"] == ["us-ofac-sdn"] and query["min_score"] == ["0.95"]
        assert page.evaluate("window.__notReloaded") is True
        lists = page.locator("tr[data-alert-id] td:nth-child(4)").all_inner_texts()
        assert lists and set(lists) == {"us-ofac-sdn"}
        scores = [float(s) for s in page.locator("tr[data-alert-id] td:nth-child(5)").all_inner_texts()]
        assert min(scores) >= 0.95
        check_accessibility(page)
        # After the htmx swap: a Playwright screenshot before it makes Chromium report a CSP
        # violation for the style Playwright injects (not the page's own).
        page.screenshot(path=str(screenshots / "alerts.png"))

        page.click(f"tr[data-alert-id='{kim}'] a")
        expect(page.locator("h1")).to_contain_text(f"Alert {kim}: KIM Jong Un")
        expect(page.locator(f"article[data-entity-id='{KIM_ENTITY}'] .matched-name")).to_have_text(
            "KIM, Jong Un"
        )
        expect(page.locator("#decide-form button")).to_have_text(
            ["Escalate", "False positive", "Propose true match"]
        )
        check_accessibility(page)
        page.screenshot(path=str(screenshots / "alert.png"), full_page=True)

        # The reason is required: the browser does not send the form without one.
        page.click("button[value='propose-true-match']")
        assert page.evaluate("document.querySelector('#reason').validity.valueMissing") is True
        assert get_alert(site.engine, kim).state == "open"
        page.fill("#reason", "Same name, birth date 1984-01-08 and country")
        page.click("button[value='propose-true-match']")
        expect(page.locator("#decision-done")).to_contain_text("proposed as a true match")
        expect(page.locator("#alert-state")).to_have_text("Pending true match")
        expect(page.locator("#decide-form")).to_have_count(0)
        check_accessibility(page)

    with browsing(browser, live.url) as page:
        sign_in(page, "sam", PASSWORDS["sam"], f"/ui/alerts/{kim}")
        expect(page.locator("#decide-form button")).to_have_text(["Approve true match", "Reopen"])
        page.fill("#reason", "Confirmed against the DPRK3 listing")
        page.click("button[value='approve-true-match']")
        expect(page.locator("#alert-state")).to_have_text("Closed: true match")
        rows = page.locator(".history-table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("ana")
        expect(rows.nth(0)).to_contain_text("Same name, birth date 1984-01-08 and country")
        expect(rows.nth(1)).to_contain_text("sam")
        expect(rows.nth(1)).to_contain_text("Closed: true match")
        check_accessibility(page)

        page.click("text=This alert in the audit trail")
        expect(page.locator("h1")).to_have_text("Audit trail")
        expect(page.locator("tr[data-audit-id]")).to_have_count(3)
        check_accessibility(page)
    assert [(t.actor, t.to_state) for t in history(site.engine, kim)] == [
        ("ana", "pending_true_match"),
        ("sam", "closed_true_match"),
    ]


def test_the_four_eyes_refusal_and_bad_filters_in_the_browser(
    browser: Browser, site: CaseSite, live: LiveServer
) -> None:
    kim = site.base.kim_alert
    with browsing(browser, live.url) as page:
        sign_in(page, "sam", PASSWORDS["sam"], f"/ui/alerts/{kim}")
        page.fill("#reason", "I think it is him")
        page.click("button[value='propose-true-match']")
        expect(page.locator("#alert-state")).to_have_text("Pending true match")
        page.fill("#reason", "and I approve it myself")
        page.click("button[value='approve-true-match']")
        expect(page.locator("#decision-error")).to_contain_text("four-eyes rule")
        expect(page.locator("#reason")).to_have_value("and I approve it myself")
        check_accessibility(page)

        page.goto("/ui/alerts?min_score=lots")
        expect(page.locator(".error-summary")).to_contain_text(
            "Min score: enter a number from 0 to 1; 'lots'"
        )
        expect(page.locator("#min_score")).to_have_attribute("aria-invalid", "true")
        check_accessibility(page)
    assert get_alert(site.engine, kim).state == "pending_true_match"


def test_the_queue_at_phone_width(browser: Browser, site: CaseSite, live: LiveServer) -> None:
    with browsing(browser, live.url, width=375, height=812) as page:
        sign_in(page, "ana", PASSWORDS["ana"], f"/ui/alerts/{site.base.kim_alert}")
        check_accessibility(page)
        page.goto("/ui/alerts")
        check_accessibility(page)
        page.goto("/ui/audit")
        check_accessibility(page)
