"""The alert queue and the alert page on a real screened book (``tests/web/casedata.py``): filters,
sorting and paging counted against the database, both sides and the explanation, each decision's
state, history and audit rows, four eyes, role and CSRF refusals, and bad filter values."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sanctionwatch.cases.alerts import decide, get_alert, history
from sanctionwatch.cases.audit import iter_audit, now
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.cases.states import LIVE_STATES
from sanctionwatch.service import ScreeningService, state_of
from sanctionwatch.store.schema import alerts, entities, versions
from sanctionwatch.web.alert_queue import age_text
from tests.web.casedata import (
    HEADER,
    KIM_ENTITY,
    CaseSite,
    case_base,
    count_alerts,
    decide_post,
    signed_in,
    site,
)
from tests.web.pages import html, nodes, texts

__all__ = ["case_base", "site"]


def queue_rows(client: TestClient, query: str = "") -> list[tuple[int, float]]:
    """``(alert id, score)`` of the rows of every page of the queue for ``query``, in order."""
    rows: list[tuple[int, float]] = []
    url: str | None = "/ui/alerts" + query
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        doc = html(response.text)
        for tr in nodes(doc, "//tr[@data-alert-id]"):
            rows.append((int(tr.get("data-alert-id")), float(texts(tr, "./td[5]")[0])))
        following = nodes(doc, "//nav[@aria-label='Pages']//a[@rel='next']")
        url = following[0].get("href") if following else None
    return rows


def queue_ids(client: TestClient, query: str = "") -> list[int]:
    """The alert ids of every page of the queue for ``query``, in order."""
    return [i for i, _ in queue_rows(client, query)]


def db_ids(site: CaseSite, *where: sa.ColumnElement[bool]) -> set[int]:
    with site.engine.connect() as conn:
        return set(conn.execute(sa.select(alerts.c.id).where(*where)).scalars())


@pytest.mark.parametrize("url", ["/ui/alerts", "/ui/alerts/1", "/ui/alerts/1/report", "/ui/audit"])
def test_case_pages_need_a_signed_in_user_even_without_auth(site: CaseSite, url: str) -> None:
    response = site.client.get(url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/sign-in?next=")


def test_the_default_queue_is_every_alert_to_review_on_pages_of_50(site: CaseSite) -> None:
    signed_in(site, "ana")
    live = db_ids(site, alerts.c.state.in_(sorted(LIVE_STATES)))
    # The book: KIM Jong Un + 55 UN entities, each with an alert at least; 3 false positives closed.
    assert len(live) >= 1 + 55 - 3
    first = html(site.client.get("/ui/alerts").text)
    assert len(nodes(first, "//tr[@data-alert-id]")) == 50
    pages = -(-len(live) // 50)
    assert pages >= 2
    assert texts(first, "//p[@id='queue-status']") == [f"{len(live)} alerts · page 1 of {pages}"]
    ids = queue_ids(site.client)
    assert len(ids) == len(set(ids)) == len(live)
    assert set(ids) == live
    assert not set(ids) & set(site.base.false_positive)
    tabs = dict(t.rsplit(" ", 1) for t in texts(first, "//nav[@aria-label='Alerts by state']//a"))
    assert tabs["To review"] == str(len(live))
    assert tabs["Escalated"] == "2" and tabs["Pending true match"] == "1"
    assert tabs["Closed: false positive"] == "3" and tabs["Closed: true match"] == "0"
    assert tabs["All"] == str(count_alerts(site.engine))


def test_the_queue_filters_by_state(site: CaseSite) -> None:
    signed_in(site, "ana")
    base = site.base
    assert queue_ids(site.client, "?state=escalated&sort=id") == sorted(base.escalated)
    assert queue_ids(site.client, "?state=closed_false_positive&sort=id") == sorted(base.false_positive)
    assert queue_ids(site.client, "?state=pending_true_match") == list(base.pending)
    assert queue_ids(site.client, "?state=closed_true_match") == []
    assert len(queue_ids(site.client, "?state=all")) == count_alerts(site.engine)
    opened = set(queue_ids(site.client, "?state=open"))
    assert opened == db_ids(site, alerts.c.state == "open")
    assert site.base.kim_alert in opened


def test_the_queue_filters_by_list_and_score(site: CaseSite) -> None:
    signed_in(site, "ana")
    live = alerts.c.state.in_(sorted(LIVE_STATES))
    ofac = set(queue_ids(site.client, "?list=us-ofac-sdn"))
    assert site.base.kim_alert in ofac
    assert ofac == db_ids(site, live, alerts.c.entity_id.like("us-ofac-sdn:%"))
    un = set(queue_ids(site.client, "?list=un-sc&state=all"))
    assert un == db_ids(site, alerts.c.entity_id.like("un-sc:%"))
    assert ofac and un and not ofac & un
    doc = html(site.client.get("/ui/alerts?list=un-sc").text)
    assert set(texts(doc, "//tr[@data-alert-id]/td[4]")) == {"un-sc"}
    high = set(queue_ids(site.client, "?min_score=0.99"))
    assert high == db_ids(site, live, alerts.c.score >= 0.99)
    low = set(queue_ids(site.client, "?max_score=0.9"))
    assert low == db_ids(site, live, alerts.c.score <= 0.9)
    assert high and low and not high & low
    band = set(queue_ids(site.client, "?min_score=0.85&max_score=0.95&state=all"))
    assert band == db_ids(site, alerts.c.score >= 0.85, alerts.c.score <= 0.95)
    for score in texts(html(site.client.get("/ui/alerts?max_score=0.9").text), "//tr[@data-alert-id]/td[5]"):
        assert float(score) <= 0.9


def test_the_queue_filters_by_age(site: CaseSite) -> None:
    signed_in(site, "ana")
    base = site.base
    assert set(queue_ids(site.client, "?older_than=5")) == {*base.ten_days, *base.forty_days}
    assert set(queue_ids(site.client, "?older_than=30")) == set(base.forty_days)
    assert set(queue_ids(site.client, "?older_than=5&newer_than=30")) == set(base.ten_days)
    recent = set(queue_ids(site.client, "?newer_than=1&state=all"))
    assert recent == db_ids(site) - {*base.ten_days, *base.forty_days}
    doc = html(site.client.get("/ui/alerts?older_than=30").text)
    assert set(texts(doc, "//tr[@data-alert-id]/td[7]/span")) == {"40 d ago"}


def test_the_queue_sorts_by_score_opened_at_and_id(site: CaseSite) -> None:
    signed_in(site, "ana")
    ids = queue_ids(site.client, "?sort=id&order=asc&state=all")
    assert ids == sorted(ids) and len(ids) == count_alerts(site.engine)
    assert queue_ids(site.client, "?sort=id&order=desc&state=all") == ids[::-1]
    down = queue_rows(site.client, "?sort=score&order=desc&state=all")
    scores = [s for _, s in down]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    # Equal scores keep the id order the direction asks for: the pages never overlap.
    assert len({i for i, _ in down}) == len(down) == len(ids)
    up = queue_rows(site.client, "?sort=score&order=asc&state=all")
    assert [s for _, s in up] == scores[::-1] and [i for i, _ in up] == [i for i, _ in down][::-1]
    doc = html(site.client.get("/ui/alerts?sort=score&order=desc").text)
    oldest = queue_ids(site.client, "?sort=opened_at&order=asc")[:2]
    assert set(oldest) == set(site.base.forty_days)
    # The headers are sort links: the current column's reverses the order; the page is marked.
    header = nodes(doc, "//th[@aria-sort]")
    assert [h.get("aria-sort") for h in header] == ["descending"]
    assert "order=asc" in header[0].find("a").get("href")
    by_id = nodes(doc, "//th/a[starts-with(normalize-space(.), 'Alert')]")[0].get("href")
    assert "sort=id" in by_id and "order=asc" in by_id


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("min_score=abc", "Min score", "'abc'"),
        ("max_score=2", "Max score", "'2'"),
        ("min_score=0.9&max_score=0.5", "Max score", "'0.5'"),
        ("older_than=-3", "Opened more than", "'-3'"),
        ("newer_than=1.5", "Opened less than", "'1.5'"),
        ("state=nope", "State", "'nope'"),
        ("list=xx-nowhere", "List", "'xx-nowhere'"),
        ("sort=name", "Sort", "'name'"),
        ("order=up", "Order", "'up'"),
        ("page=0", "Page", "'0'"),
    ],
)
def test_a_bad_filter_value_gives_422_naming_the_field_and_value(
    site: CaseSite, query: str, field: str, value: str
) -> None:
    signed_in(site, "ana")
    response = site.client.get(f"/ui/alerts?{query}")
    assert response.status_code == 422
    summary = " ".join(texts(html(response.text), "//div[@class='error-summary']//li"))
    assert summary.startswith(f"{field}: ") and value in summary
    assert not nodes(html(response.text), "//tr[@data-alert-id]")
    assert "Traceback" not in response.text


def test_the_alert_page_shows_both_sides_and_the_explanation(site: CaseSite) -> None:
    signed_in(site, "ana")
    response = site.client.get(f"/ui/alerts/{site.base.kim_alert}")
    assert response.status_code == 200
    doc = html(response.text)
    rows = {
        r[0]: r[1:]
        for r in (
            texts(tr, "./*") for tr in nodes(doc, "//table[contains(@class, 'compare-table')]/tbody/tr")
        )
    }
    assert rows["Name"][0] == "KIM Jong Un" and rows["Name"][1].startswith("KIM, Jong Un")
    assert rows["Birth date"] == ["1984-01-08", "1984-01-08"]  # OFAC SDN: DOB 08 Jan 1984 (data README)
    assert rows["Programs"][1] == "DPRK3"
    assert rows["segment"][0] == "private"
    assert texts(doc, "//table[contains(@class, 'compare-table')]/thead//th") == [
        "Customer K1 as screened",
        f"Listed {KIM_ENTITY} list version {get_alert(site.engine, site.base.kim_alert).list_version_id}",
    ]
    hit = nodes(doc, f"//article[@data-entity-id='{KIM_ENTITY}']")
    assert len(hit) == 1
    assert texts(hit[0], ".//*[contains(@class, 'matched-name')]") == ["KIM, Jong Un"]
    assert any("born 1984-01-08" in t for t in texts(hit[0], ".//li[contains(@class, 'ev-for')]"))
    assert texts(doc, "//*[@id='alert-state']") == ["Open"]
    assert texts(doc, "//section[@aria-labelledby='history-heading']//p") == [
        "No decision yet: the alert is as screening opened it."
    ]
    assert texts(doc, "//table[contains(@class, 'audit-table')]/tbody/tr/td[3]") == ["alert.open"]
    buttons = texts(doc, "//form[@id='decide-form']//button")
    assert buttons == ["Escalate", "False positive", "Propose true match"]
    assert nodes(doc, "//form[@id='decide-form']//textarea[@name='reason'][@required]")


def test_each_decision_changes_the_state_and_adds_history_and_audit(site: CaseSite) -> None:
    alert_id = site.base.kim_alert
    steps = [
        ("ana", "escalate", "escalated", "Escalated", "name and birth date agree; senior review"),
        ("ana", "propose-true-match", "pending_true_match", "Pending true match", "same person: DOB and KP"),
        ("sam", "approve-true-match", "closed_true_match", "Closed: true match", "agreed, checked passport"),
        ("sam", "reopen", "open", "Open", "customer disputes: re-check"),
    ]
    for n, (user, action, state, label, reason) in enumerate(steps, start=1):
        token = signed_in(site, user)
        response = site.client.post(
            f"/ui/alerts/{alert_id}/decide", data={"action": action, "reason": reason, "csrf_token": token}
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/ui/alerts/{alert_id}?decided={action}"
        assert get_alert(site.engine, alert_id).state == state
        doc = html(site.client.get(response.headers["location"]).text)
        assert texts(doc, "//*[@id='alert-state']") == [label]
        assert texts(doc, "//*[@id='decision-done']")[0].startswith("Decision recorded: the alert was ")
        shown = [
            r[1:]
            for r in (
                texts(tr, "./td") for tr in nodes(doc, "//table[contains(@class, 'history-table')]/tbody/tr")
            )
        ]
        assert len(shown) == n
        assert shown[-1][0] == user and shown[-1][1].endswith(f"to {label}") and shown[-1][2] == reason
        assert history(site.engine, alert_id)[-1].reason == reason
    assert [(t.actor, t.to_state) for t in history(site.engine, alert_id)] == [(s[0], s[2]) for s in steps]
    transitions = [e for e in iter_audit(site.engine, f"alert:{alert_id}") if e.action == "alert.transition"]
    assert [(e.actor, e.details["action"], e.details["reason"]) for e in transitions] == [
        (s[0], s[1], s[4]) for s in steps
    ]


def test_four_eyes_the_proposer_sees_approve_but_the_server_refuses(site: CaseSite) -> None:
    alert_id = site.base.kim_alert
    token = signed_in(site, "sam")
    assert decide_post(site, alert_id, "propose-true-match", "looks like him", token) == 303
    doc = html(site.client.get(f"/ui/alerts/{alert_id}").text)
    assert texts(doc, "//form[@id='decide-form']//button") == ["Approve true match", "Reopen"]
    response = site.client.post(
        f"/ui/alerts/{alert_id}/decide",
        data={"action": "approve-true-match", "reason": "I am sure", "csrf_token": token},
    )
    assert response.status_code == 409
    doc = html(response.text)
    assert "four-eyes rule" in texts(doc, "//*[@id='decision-error']")[0]
    assert "'sam'" in texts(doc, "//*[@id='decision-error']")[0]
    assert [t.text for t in nodes(doc, "//textarea[@name='reason']")] == ["I am sure"]
    assert get_alert(site.engine, alert_id).state == "pending_true_match"
    assert len(history(site.engine, alert_id)) == 1


def test_an_analyst_never_sees_approve_and_a_forged_approval_is_refused(site: CaseSite) -> None:
    pending = site.base.pending[0]  # proposed by ana in the set-up
    token = signed_in(site, "ana")
    doc = html(site.client.get(f"/ui/alerts/{pending}").text)
    assert not nodes(doc, "//form[@id='decide-form']")
    assert "a supervisor approves it" in " ".join(texts(doc, "//section[contains(@class, 'decide')]"))
    assert decide_post(site, pending, "approve-true-match", "forged", token) == 403
    assert decide_post(site, pending, "reopen", "forged", token) == 403
    assert get_alert(site.engine, pending).state == "pending_true_match"
    # A supervisor who did not propose it may approve it.
    token = signed_in(site, "sam")
    assert decide_post(site, pending, "approve-true-match", "confirmed", token) == 303
    assert get_alert(site.engine, pending).state == "closed_true_match"


def test_a_post_without_the_csrf_token_is_refused(site: CaseSite) -> None:
    alert_id = site.base.kim_alert
    token = signed_in(site, "ana")
    assert decide_post(site, alert_id, "escalate", "no token", None) == 403
    assert decide_post(site, alert_id, "escalate", "wrong token", token[::-1]) == 403
    response = site.client.post(
        f"/ui/alerts/{alert_id}/decide",
        data={"action": "escalate", "reason": "cross-site", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert get_alert(site.engine, alert_id).state == "open"
    assert history(site.engine, alert_id) == []


def test_a_decision_needs_a_reason_and_an_allowed_state(site: CaseSite) -> None:
    token = signed_in(site, "ana")
    kim = site.base.kim_alert
    response = site.client.post(
        f"/ui/alerts/{kim}/decide", data={"action": "escalate", "reason": "  ", "csrf_token": token}
    )
    assert response.status_code == 422
    assert texts(html(response.text), "//*[@id='decision-error']/p")[0].startswith("Reason: ")
    closed = site.base.false_positive[0]
    response = site.client.post(
        f"/ui/alerts/{closed}/decide", data={"action": "escalate", "reason": "again", "csrf_token": token}
    )
    assert response.status_code == 409
    assert (
        "escalate is allowed only from open" in texts(html(response.text), "//*[@id='decision-error']/p")[0]
    )
    assert decide_post(site, kim, "delete", "no such action", token) == 422
    assert get_alert(site.engine, kim).state == "open"
    assert get_alert(site.engine, closed).state == "closed_false_positive"


def test_an_unknown_alert_is_a_404_page(site: CaseSite) -> None:
    token = signed_in(site, "ana")
    response = site.client.get("/ui/alerts/999999")
    assert response.status_code == 404
    assert "alert 999999 does not exist" in response.text
    assert decide_post(site, 999999, "escalate", "x", token) == 404
    assert site.client.get("/ui/alerts/999999/report").status_code == 404


def test_a_changed_customer_reopens_a_decided_pair_and_both_alerts_link(
    site: CaseSite, tmp_path: Path
) -> None:
    kim = site.base.kim_alert
    decide(site.engine, kim, "false-positive", "ana", "different person")
    changed = tmp_path / "k1.csv"
    changed.write_text(
        f"{HEADER}\nK1,KIM Jong Un,Person,1984-01-08,KP,,premium\n",
        encoding="utf-8",
    )
    import_book(site.engine, changed, "test", full=False)
    service: ScreeningService = state_of(site.app).service
    screen_book(site.engine, service.current().screener, "test")
    (newer,) = db_ids(site, alerts.c.supersedes_alert_id == kim)
    signed_in(site, "ana")
    doc = html(site.client.get(f"/ui/alerts/{newer}").text)
    assert nodes(doc, f"//ul[@class='alert-links']//a[@href='/ui/alerts/{kim}']")
    old = html(site.client.get(f"/ui/alerts/{kim}").text)
    assert texts(old, "//ul[@class='alert-links']/li[starts-with(., 'Superseded')]") == [
        f"Superseded by alert {newer}"
    ]


def test_an_entity_gone_from_the_store_falls_back_to_the_stored_hit(site: CaseSite) -> None:
    """A delisted entity (in the 2022 OFAC version, not in the active 2024 one) and a version no
    longer stored: the page still shows the alert from what it stored."""
    with site.engine.begin() as conn:
        old, new = conn.execute(
            sa.select(versions.c.id).where(versions.c.list_key == "us-ofac-sdn").order_by(versions.c.id)
        ).scalars()
        kept = sa.select(entities.c.entity_id).where(entities.c.version_id == new)
        gone = (
            conn.execute(
                sa.select(entities.c.entity_id).where(
                    entities.c.version_id == old, entities.c.entity_id.not_in(kept)
                )
            )
            .scalars()
            .first()
        )
        assert gone is not None
        target, missing = site.base.escalated
        conn.execute(alerts.update().where(alerts.c.id == target).values(entity_id=gone, list_version_id=old))
        conn.execute(alerts.update().where(alerts.c.id == missing).values(list_version_id=999_999))
    signed_in(site, "ana")
    doc = html(site.client.get(f"/ui/alerts/{target}").text)
    assert any("was delisted" in t for t in texts(doc, "//p[contains(@class, 'notice-warning')]"))
    doc = html(site.client.get(f"/ui/alerts/{missing}").text)
    notes = texts(doc, "//p[contains(@class, 'notice-warning')]")
    assert any("no longer in the store" in t and "999999" in t for t in notes)
    caption = get_alert(site.engine, missing).hit["caption"]
    assert texts(doc, "//td[@id='entity-name']")[0].startswith(caption)


def test_the_alert_report_renders_with_its_own_strict_policy(site: CaseSite) -> None:
    signed_in(site, "ana")
    response = site.client.get(f"/ui/alerts/{site.base.kim_alert}/report")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    doc = html(response.text)
    assert texts(doc, "//h1") == [f"Alert {site.base.kim_alert}"]
    assert "KIM, Jong Un" in response.text


def test_age_text_counts_back_from_now() -> None:
    at = now()
    assert age_text(at - timedelta(minutes=12), at) == "12 min"
    assert age_text(at - timedelta(hours=5, minutes=59), at) == "5 h"
    assert age_text(at - timedelta(days=3, hours=23), at) == "3 d"
