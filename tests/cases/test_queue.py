"""The queue and audit queries (``cases.queue``) on SQLite and PostgreSQL, against the planted UN book
(``tests/cases/conftest.py``): filters, sorting, paging and counts, cross-checked with ``list_alerts``
and ``iter_audit``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sanctionwatch.cases.alerts import Alert, decide, list_alerts
from sanctionwatch.cases.audit import iter_audit, now
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.queue import (
    AlertFilter,
    AuditFilter,
    audit_actions,
    audit_page,
    iter_audit_filtered,
    known_lists,
    queue_page,
    state_counts,
    superseded_by,
)
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.errors import InputError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore
from sanctionwatch.store.schema import alerts
from tests.cases.conftest import BOOK, PLANTED


@pytest.fixture
def screened(listed: ListStore, book_csv: Path, un_screener: Screener) -> list[Alert]:
    """The planted book imported and screened by alice: its alerts, by id."""
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    return list_alerts(listed.engine)


def ids(found: list[Alert]) -> list[int]:
    return [a.id for a in found]


def test_the_default_filter_is_every_alert_to_review(listed: ListStore, screened: list[Alert]) -> None:
    assert {(a.customer_id, a.entity_id) for a in screened} >= PLANTED
    page = queue_page(listed.engine, AlertFilter())
    assert page.total == len(screened) and page.pages == 1
    assert [r.id for r in page.items] == ids(screened)  # oldest first, then by id
    row = next(r for r in page.items if r.customer_id == "C1")
    assert (row.customer_name, row.entity_id, row.list_key) == ("KOMID", "un-sc:KPe.001", "un-sc")
    assert row.caption and row.state == "open" and row.score == screened[0].score


def test_states_filter_and_counts(listed: ListStore, screened: list[Alert]) -> None:
    first, second, third = screened[:3]
    decide(listed.engine, first.id, "false-positive", "alice", "different company")
    decide(listed.engine, second.id, "escalate", "alice", "look again")
    decide(listed.engine, third.id, "propose-true-match", "alice", "same")
    review = queue_page(listed.engine, AlertFilter())
    assert [r.id for r in review.items] == ids(screened)[1:]
    closed = queue_page(listed.engine, AlertFilter(states=frozenset({"closed_false_positive"})))
    assert [r.id for r in closed.items] == [first.id]
    assert queue_page(listed.engine, AlertFilter(states=None)).total == len(screened)
    counts = state_counts(listed.engine)
    assert counts == {
        "open": len(screened) - 3,
        "escalated": 1,
        "pending_true_match": 1,
        "closed_false_positive": 1,
        "closed_true_match": 0,
        "closed_delisted": 0,
    }


def test_the_list_filter_matches_the_id_prefix_literally(listed: ListStore, screened: list[Alert]) -> None:
    assert known_lists(listed.engine) == ["un-sc"]
    assert queue_page(listed.engine, AlertFilter(list_key="un-sc")).total == len(screened)
    assert queue_page(listed.engine, AlertFilter(list_key="us-ofac-sdn")).total == 0
    # "_" and "%" are LIKE wildcards: "un_sc" must not match "un-sc:...".
    assert queue_page(listed.engine, AlertFilter(list_key="un_sc")).total == 0
    assert queue_page(listed.engine, AlertFilter(list_key="%")).total == 0


def test_score_filters_are_inclusive(listed: ListStore, screened: list[Alert]) -> None:
    scores = sorted({a.score for a in screened})
    top = scores[-1]
    at_top = queue_page(listed.engine, AlertFilter(min_score=top))
    assert {r.id for r in at_top.items} == {a.id for a in screened if a.score >= top}
    below = queue_page(listed.engine, AlertFilter(max_score=top - 0.0001))
    assert {r.id for r in below.items} == {a.id for a in screened if a.score < top}
    assert queue_page(listed.engine, AlertFilter(min_score=0.0, max_score=1.0)).total == len(screened)


def test_age_filters_count_back_from_the_time_given(listed: ListStore, screened: list[Alert]) -> None:
    old, older = screened[0].id, screened[1].id
    with listed.engine.begin() as conn:
        for alert_id, days in ((old, 10), (older, 40)):
            at = now() - timedelta(days=days)
            conn.execute(alerts.update().where(alerts.c.id == alert_id).values(opened_at=at))

    def found(f: AlertFilter) -> set[int]:
        return {r.id for r in queue_page(listed.engine, f).items}

    assert found(AlertFilter(older_than_days=5)) == {old, older}
    assert found(AlertFilter(older_than_days=30)) == {older}
    assert found(AlertFilter(older_than_days=5, newer_than_days=30)) == {old}
    assert found(AlertFilter(newer_than_days=1)) == set(ids(screened)) - {old, older}
    assert [r.id for r in queue_page(listed.engine, AlertFilter()).items][:2] == [older, old]
    later = queue_page(listed.engine, AlertFilter(older_than_days=5), at=now() + timedelta(days=20))
    assert {r.id for r in later.items} == set(ids(screened))


def test_sorting_and_paging(listed: ListStore, screened: list[Alert]) -> None:
    everything = ids(screened)
    assert len(everything) >= 3
    pages = [queue_page(listed.engine, AlertFilter(sort="id", per_page=2, page=n)) for n in (1, 2, 3, 4)]
    assert pages[0].total == len(everything) and pages[0].pages == -(-len(everything) // 2)
    assert [r.id for p in pages for r in p.items] == everything
    down = queue_page(listed.engine, AlertFilter(sort="id", descending=True)).items
    assert [r.id for r in down] == everything[::-1]
    by_score = queue_page(listed.engine, AlertFilter(sort="score", descending=True)).items
    expected = sorted(screened, key=lambda a: (a.score, a.id), reverse=True)
    assert [r.id for r in by_score] == ids(expected)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"states": frozenset({"shut"})}, "state: unknown alert state 'shut'"),
        ({"sort": "name"}, "sort: unknown sort column 'name'"),
        ({"page": 0}, "page: must be 1 or more"),
    ],
)
def test_a_bad_filter_says_which_field(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        AlertFilter(**kwargs)  # type: ignore[arg-type]


def test_superseded_by_follows_a_reopened_pair(
    listed: ListStore, screened: list[Alert], un_screener: Screener, tmp_path: Path
) -> None:
    komid = next(a for a in screened if a.customer_id == "C1")
    decide(listed.engine, komid.id, "false-positive", "alice", "other company")
    assert superseded_by(listed.engine, komid.id) == []
    changed = tmp_path / "changed.csv"
    changed.write_text(BOOK.replace("C1,KOMID,Organization,,KP,,corporate", "C1,KOMID,Organization,,KP,,sme"))
    import_book(listed.engine, changed, "alice")
    screen_book(listed.engine, un_screener, "alice")
    newer = [a for a in list_alerts(listed.engine) if a.supersedes_alert_id == komid.id]
    assert len(newer) == 1
    assert superseded_by(listed.engine, komid.id) == [newer[0].id]


def test_the_audit_page_filters_newest_first(listed: ListStore, screened: list[Alert]) -> None:
    every = list(iter_audit(listed.engine))
    assert {"book.import", "book.screen", "alert.open"} <= set(audit_actions(listed.engine))
    first = audit_page(listed.engine, AuditFilter())
    assert first.total == len(every) and [e.id for e in first.items] == [e.id for e in every][::-1]
    opened = audit_page(listed.engine, AuditFilter(action="alert.open", per_page=2))
    assert opened.total == len(screened) and len(opened.items) == 2
    assert opened.items[0].subject == f"alert:{screened[-1].id}"
    alert_id = screened[0].id
    decide(listed.engine, alert_id, "escalate", "bob", "second look")
    about = audit_page(listed.engine, AuditFilter(subject=f"alert:{alert_id}"))
    assert [e.action for e in about.items] == ["alert.transition", "alert.open"]
    assert [e.actor for e in audit_page(listed.engine, AuditFilter(actor="bob")).items] == ["bob"]
    today = datetime.now(UTC).date()
    assert audit_page(listed.engine, AuditFilter(since=today)).total == len(every) + 1
    assert audit_page(listed.engine, AuditFilter(until=today - timedelta(days=1))).total == 0
    assert audit_page(listed.engine, AuditFilter(since=today, until=today)).total == len(every) + 1
    with pytest.raises(InputError, match=r"until: .* is before since"):
        AuditFilter(since=today, until=today - timedelta(days=1))


def test_the_filtered_export_is_the_full_log_filtered(listed: ListStore, screened: list[Alert]) -> None:
    wanted = AuditFilter(action="alert.open", page=3, per_page=1)  # paging is ignored
    exported = [e.id for e in iter_audit_filtered(listed.engine, wanted)]
    assert exported == [e.id for e in iter_audit(listed.engine) if e.action == "alert.open"]
    assert len(exported) == len(screened)
