"""Alert decisions: the state machine, four eyes, reasons, errors, history and audit."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sanctionwatch.cases.alerts import Alert, decide, get_alert, history, list_alerts
from sanctionwatch.cases.audit import iter_audit
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.errors import AlertNotFound, FourEyesError, InputError, TransitionError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore


@pytest.fixture
def alert(listed: ListStore, book_csv: Path, un_screener: Screener) -> Alert:
    """The KOMID alert, open."""
    import_book(listed.engine, book_csv, "alice")
    screen_book(listed.engine, un_screener, "alice")
    return next(a for a in list_alerts(listed.engine) if a.customer_id == "C1")


def test_escalate_then_false_positive(listed: ListStore, alert: Alert) -> None:
    assert decide(listed.engine, alert.id, "escalate", "alice", "needs a senior look").state == "escalated"
    closed = decide(listed.engine, alert.id, "false-positive", "bob", "different company, registry checked")
    assert closed.state == "closed_false_positive"
    steps = history(listed.engine, alert.id)
    assert [(t.from_state, t.to_state, t.actor, t.reason) for t in steps] == [
        ("open", "escalated", "alice", "needs a senior look"),
        ("escalated", "closed_false_positive", "bob", "different company, registry checked"),
    ]
    assert steps[0].at <= steps[1].at


def test_a_true_match_needs_a_second_person(listed: ListStore, alert: Alert) -> None:
    pending = decide(listed.engine, alert.id, "propose-true-match", "alice", "same name and country")
    assert pending.state == "pending_true_match"
    with pytest.raises(FourEyesError, match=r"four-eyes rule.*'alice'"):
        decide(listed.engine, alert.id, "approve-true-match", "alice", "I am sure")
    assert get_alert(listed.engine, alert.id).state == "pending_true_match"
    done = decide(listed.engine, alert.id, "approve-true-match", "bob", "confirmed")
    assert done.state == "closed_true_match"


def test_a_rejected_proposal_goes_back_to_open(listed: ListStore, alert: Alert) -> None:
    decide(listed.engine, alert.id, "propose-true-match", "alice", "looks like it")
    assert decide(listed.engine, alert.id, "reopen", "bob", "not convinced").state == "open"


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        (
            [],
            "approve-true-match",
            r"alert \d+ is open: approve-true-match is allowed only from pending_true_match",
        ),
        ([], "reopen", r"is open: reopen is allowed only from"),
        (["escalate"], "escalate", r"is escalated: escalate is allowed only from open"),
        (["false-positive"], "escalate", r"is closed_false_positive"),
        ([], "close", r"unknown action 'close'"),
    ],
)
def test_invalid_transitions_are_clear_errors(
    listed: ListStore, alert: Alert, steps: list[str], action: str, message: str
) -> None:
    for step in steps:
        decide(listed.engine, alert.id, step, "alice", "step")
    before = get_alert(listed.engine, alert.id).state
    with pytest.raises(TransitionError, match=message):
        decide(listed.engine, alert.id, action, "bob", "why not")
    assert get_alert(listed.engine, alert.id).state == before


@pytest.mark.parametrize(
    ("actor", "reason", "message"), [("alice", "  ", "non-empty reason"), (" ", "ok", "needs a user")]
)
def test_a_decision_needs_an_actor_and_a_reason(
    listed: ListStore, alert: Alert, actor: str, reason: str, message: str
) -> None:
    with pytest.raises(TransitionError, match=message):
        decide(listed.engine, alert.id, "escalate", actor, reason)
    assert history(listed.engine, alert.id) == []


def test_unknown_alert_and_state(listed: ListStore) -> None:
    with pytest.raises(AlertNotFound, match="alert 999 does not exist"):
        decide(listed.engine, 999, "escalate", "alice", "x")
    with pytest.raises(InputError, match="unknown alert state 'opened'"):
        list_alerts(listed.engine, "opened")


def test_list_by_state(listed: ListStore, alert: Alert) -> None:
    decide(listed.engine, alert.id, "escalate", "alice", "look")
    assert [a.id for a in list_alerts(listed.engine, "escalated")] == [alert.id]
    assert alert.id not in {a.id for a in list_alerts(listed.engine, "open")}
    assert len(list_alerts(listed.engine, "open")) == 2


def test_every_transition_is_audited_and_transitions_cannot_be_edited(
    listed: ListStore, alert: Alert
) -> None:
    decide(listed.engine, alert.id, "propose-true-match", "alice", "same")
    decide(listed.engine, alert.id, "approve-true-match", "bob", "agreed")
    entries = [e for e in iter_audit(listed.engine, f"alert:{alert.id}")]
    assert [(e.action, e.actor) for e in entries] == [
        ("alert.open", "alice"),
        ("alert.transition", "alice"),
        ("alert.transition", "bob"),
    ]
    assert entries[2].details == {
        "action": "approve-true-match",
        "from_state": "pending_true_match",
        "to_state": "closed_true_match",
        "reason": "agreed",
    }
    for statement in ("UPDATE alert_transitions SET actor = 'mallory'", "DELETE FROM alert_transitions"):
        with pytest.raises(DBAPIError, match="append-only"), listed.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert [t.actor for t in history(listed.engine, alert.id)] == ["alice", "bob"]
