"""Alert states and the decisions that move an alert between them."""

from __future__ import annotations

from enum import StrEnum

from sanctionwatch.store.schema import LIVE_ALERT_STATES

__all__ = ["ACTIONS", "CLOSED_STATES", "LIVE_STATES", "Action", "State"]


class State(StrEnum):
    """Where an alert is in its review."""

    OPEN = "open"
    ESCALATED = "escalated"
    PENDING_TRUE_MATCH = "pending_true_match"
    CLOSED_FALSE_POSITIVE = "closed_false_positive"
    CLOSED_TRUE_MATCH = "closed_true_match"
    CLOSED_DELISTED = "closed_delisted"
    """Closed by the system: the entity left its list (reason "delisted")."""


class Action(StrEnum):
    """A reviewer's decision on an alert."""

    ESCALATE = "escalate"
    FALSE_POSITIVE = "false-positive"
    PROPOSE_TRUE_MATCH = "propose-true-match"
    APPROVE_TRUE_MATCH = "approve-true-match"
    REOPEN = "reopen"


LIVE_STATES = frozenset(State(s).value for s in LIVE_ALERT_STATES)
"""States of an alert still under review: a new screen opens no second alert for its pair.

Read from the schema's ``LIVE_ALERT_STATES``, the states its one-live-alert-per-pair index covers
(``State(s)`` refuses a name that is no state).
"""

CLOSED_STATES = frozenset(
    {State.CLOSED_FALSE_POSITIVE.value, State.CLOSED_TRUE_MATCH.value, State.CLOSED_DELISTED.value}
)

ACTIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.ESCALATE: (frozenset({State.OPEN}), State.ESCALATED),
    Action.FALSE_POSITIVE: (frozenset({State.OPEN, State.ESCALATED}), State.CLOSED_FALSE_POSITIVE),
    Action.PROPOSE_TRUE_MATCH: (frozenset({State.OPEN, State.ESCALATED}), State.PENDING_TRUE_MATCH),
    Action.APPROVE_TRUE_MATCH: (frozenset({State.PENDING_TRUE_MATCH}), State.CLOSED_TRUE_MATCH),
    # A rejected proposal, or a closed decision taken back, goes back to review.
    Action.REOPEN: (
        frozenset({State.PENDING_TRUE_MATCH, State.CLOSED_FALSE_POSITIVE, State.CLOSED_TRUE_MATCH}),
        State.OPEN,
    ),
}
"""Each action: the states it may be taken from, and the state it leads to."""
