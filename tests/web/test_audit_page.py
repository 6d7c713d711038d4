"""The audit trail page and its CSV download on the screened test book (``tests/web/casedata.py``),
cross-checked with ``cases.audit.iter_audit`` and ``export_csv``."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sanctionwatch.cases.audit import CSV_COLUMNS, export_csv, iter_audit
from tests.web.casedata import CaseSite, case_base, decide_post, signed_in, site
from tests.web.pages import html, nodes, texts

__all__ = ["case_base", "site"]


def audit_ids(site: CaseSite, query: str = "") -> list[int]:
    """The entry ids of every page of the audit trail for ``query``, in order."""
    found: list[int] = []
    url: str | None = "/ui/audit" + query
    while url:
        response = site.client.get(url)
        assert response.status_code == 200, response.text
        doc = html(response.text)
        found += [int(tr.get("data-audit-id")) for tr in nodes(doc, "//tr[@data-audit-id]")]
        following = nodes(doc, "//nav[@aria-label='Pages']//a[@rel='next']")
        url = following[0].get("href") if following else None
    return found


@pytest.mark.parametrize("user", ["ana", "sam", "ada"])
def test_every_role_reads_the_whole_trail_newest_first_in_pages(site: CaseSite, user: str) -> None:
    signed_in(site, user)
    every = [e.id for e in iter_audit(site.engine)]
    assert len(every) > 100  # 3 users, 2 list imports... , a book import and screen, 102 alerts, decisions
    doc = html(site.client.get("/ui/audit").text)
    assert len(nodes(doc, "//tr[@data-audit-id]")) == 50
    pages = -(-len(every) // 50)
    assert texts(doc, "//p[@id='audit-status']") == [f"{len(every)} entries · page 1 of {pages}"]
    assert audit_ids(site) == every[::-1]


def test_filters_by_action_actor_and_subject(site: CaseSite) -> None:
    token = signed_in(site, "ana")
    kim = site.base.kim_alert
    assert decide_post(site, kim, "escalate", "DOB matches; escalate", token) == 303
    transitions = [e.id for e in iter_audit(site.engine) if e.action == "alert.transition"]
    assert audit_ids(site, "?action=alert.transition") == transitions[::-1]
    # Set-up decisions (6) and this one, all by ana; the set-up's alert.open entries are not hers.
    by_ana = [e.id for e in iter_audit(site.engine) if e.actor == "ana"]
    assert audit_ids(site, "?actor=ana") == by_ana[::-1]
    doc = html(site.client.get(f"/ui/audit?subject=alert:{kim}").text)
    rows = [texts(tr, "./td") for tr in nodes(doc, "//tr[@data-audit-id]")]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("ana", "alert.transition", f"alert:{kim}"),
        ("test-setup", "alert.open", f"alert:{kim}"),
    ]
    # Details are shown as name: value pairs; the subject links to the alert.
    details = nodes(doc, "//tr[@data-audit-id][1]//dl[@class='details']/div")
    assert {texts(d, "./dt")[0]: texts(d, "./dd")[0] for d in details} == {
        "action": "escalate",
        "auth": "ui-session",
        "from_state": "open",
        "reason": "DOB matches; escalate",
        "surface": "ui",
        "to_state": "escalated",
    }
    assert nodes(doc, f"//tr[@data-audit-id][1]/td[5]/a[@href='/ui/alerts/{kim}']")
    assert texts(doc, "//select[@id='action']/option[@selected]") == ["Any action"]
    filtered = html(site.client.get("/ui/audit?action=alert.open&actor=nobody").text)
    assert texts(filtered, "//p[contains(@class, 'empty')]") == ["No audit entry matches this filter."]


def test_filters_by_date_range(site: CaseSite) -> None:
    signed_in(site, "ana")
    today = datetime.now(UTC).date()
    every = [e.id for e in iter_audit(site.engine)]
    assert audit_ids(site, f"?since={today}&until={today}") == every[::-1]
    assert audit_ids(site, f"?until={today - timedelta(days=1)}") == []
    assert audit_ids(site, f"?since={today + timedelta(days=1)}") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "From: enter a date as YYYY-MM-DD; 'yesterday' is not one."),
        ("until=2026-13-01", "To: enter a date as YYYY-MM-DD; '2026-13-01' is not one."),
        ("since=2026-05-02&until=2026-05-01", "To: 2026-05-01 is before since 2026-05-02."),
        ("page=x", "Page: enter a page number from 1; 'x' is not one."),
    ],
)
def test_a_bad_filter_gives_422_naming_the_field_and_value(site: CaseSite, query: str, message: str) -> None:
    signed_in(site, "ana")
    response = site.client.get(f"/ui/audit?{query}")
    assert response.status_code == 422
    assert texts(html(response.text), "//div[@class='error-summary']//li") == [message]
    assert site.client.get(f"/ui/audit.csv?{query}").status_code == 422


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_is_the_export_and_honours_the_filters(site: CaseSite, tmp_path: Path) -> None:
    signed_in(site, "ana")
    doc = html(site.client.get("/ui/audit?action=alert.transition&page=2").text)
    link = nodes(doc, "//a[@id='audit-csv']")[0].get("href")
    assert link == "/ui/audit.csv?action=alert.transition"
    response = site.client.get(link)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="audit.csv"'
    rows = read_csv(response.text)
    assert tuple(rows[0]) == CSV_COLUMNS
    transitions = [e for e in iter_audit(site.engine) if e.action == "alert.transition"]
    assert [int(r[0]) for r in rows[1:]] == [e.id for e in transitions]
    assert {r[3] for r in rows[1:]} == {"alert.transition"}
    # Unfiltered, the download is byte for byte what `sanctionwatch audit export` writes.
    whole = site.client.get("/ui/audit.csv")
    path = tmp_path / "export.csv"
    count = export_csv(site.engine, path)
    assert whole.content == path.read_bytes()
    assert len(read_csv(whole.text)) == count + 1
    empty = read_csv(site.client.get("/ui/audit.csv?actor=nobody").text)
    assert empty == [list(CSV_COLUMNS)]
