"""Reading alerts and deciding them: open → escalated → closed as false positive or true match.

A true match takes two people (four eyes): one proposes it (``pending_true_match``), a different one
approves it (``closed_true_match``). Every decision needs an actor and a reason, and is recorded as
an alert transition and in the audit log, in the same transaction as the state change.

The interfaces pass an authenticated :class:`~sanctionwatch.cases.actors.Actor` (password, token
or UI session): in the decision's transaction the user must exist in the users table, be active,
and hold a role that may take the action (``cases.users.may_decide``, the UI's own check). The
four-eyes rule compares usernames, so it holds across surfaces: a proposal from the UI cannot be
approved by the same user from the CLI, nor the other way round. A refusal (role, disabled user,
four eyes) is audited as ``alert.decision_refused``. A plain name (an in-process library call) is
recorded as ``declared`` and checked against no user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sanctionwatch.cases.actors import Actor, AuthenticationFailed, Method, Surface, current
from sanctionwatch.cases.audit import as_utc, now, record, record_apart
from sanctionwatch.cases.states import ACTIONS, Action, State
from sanctionwatch.cases.users import may_decide
from sanctionwatch.errors import (
    AlertNotFound,
    FourEyesError,
    InputError,
    PermissionDenied,
    SanctionwatchError,
    TransitionError,
)
from sanctionwatch.store.schema import alerts, transitions, users

__all__ = ["Alert", "Transition", "decide", "get_alert", "history", "list_alerts"]


@dataclass(frozen=True, slots=True)
class Transition:
    """One state change of an alert."""

    from_state: str
    to_state: str
    actor: str
    reason: str
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "from_state": self.from_state,
            "to_state": self.to_state,
            "actor": self.actor,
            "reason": self.reason,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert: the pair, the hit and what the customer looked like when it opened."""

    id: int
    customer_id: str
    entity_id: str
    score: float
    hit: dict[str, Any]
    list_version_id: int
    customer_data: dict[str, Any]
    customer_fingerprint: str
    entity_fingerprint: str
    state: str
    opened_at: datetime
    supersedes_alert_id: int | None

    @classmethod
    def from_row(cls, row: Any) -> Alert:
        """From an ``alerts`` row mapping."""
        return cls(
            row["id"],
            row["customer_id"],
            row["entity_id"],
            row["score"],
            orjson.loads(row["explanation"]),
            row["list_version_id"],
            orjson.loads(row["customer_data"]),
            row["customer_fingerprint"],
            row["entity_fingerprint"],
            row["state"],
            as_utc(row["opened_at"]),
            row["supersedes_alert_id"],
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "entity_id": self.entity_id,
            "score": self.score,
            "state": self.state,
            "opened_at": self.opened_at.isoformat(),
            "list_version_id": self.list_version_id,
            "supersedes_alert_id": self.supersedes_alert_id,
            "customer_data": self.customer_data,
            "customer_fingerprint": self.customer_fingerprint,
            "entity_fingerprint": self.entity_fingerprint,
            "hit": self.hit,
        }


def list_alerts(engine: Engine, state: str | None = None) -> list[Alert]:
    """Every alert (or those in one state), by id.

    Raises:
        InputError: Unknown state.
    """
    query = sa.select(alerts).order_by(alerts.c.id)
    if state is not None:
        known = [s.value for s in State]
        if state not in known:
            raise InputError(f"state: unknown alert state {state!r}; known states: {', '.join(known)}")
        query = query.where(alerts.c.state == state)
    with engine.connect() as conn:
        return [Alert.from_row(r) for r in conn.execute(query).mappings()]


def _get(conn: Connection, alert_id: int, lock: bool = False) -> Alert:
    query = sa.select(alerts).where(alerts.c.id == alert_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise AlertNotFound(f"alert {alert_id} does not exist (see sanctionwatch alerts list)")
    return Alert.from_row(row)


def get_alert(engine: Engine, alert_id: int) -> Alert:
    """One alert by id.

    Raises:
        AlertNotFound: No such alert.
    """
    with engine.connect() as conn:
        return _get(conn, alert_id)


def _history(conn: Connection, alert_id: int) -> list[Transition]:
    rows = conn.execute(
        sa.select(transitions).where(transitions.c.alert_id == alert_id).order_by(transitions.c.id)
    ).mappings()
    return [
        Transition(r["from_state"], r["to_state"], r["actor"], r["reason"], as_utc(r["at"])) for r in rows
    ]


def history(engine: Engine, alert_id: int) -> list[Transition]:
    """The decisions taken on an alert, oldest first.

    Raises:
        AlertNotFound: No such alert.
    """
    with engine.connect() as conn:
        _get(conn, alert_id)
        return _history(conn, alert_id)


def _parse_action(action: str | Action) -> Action:
    try:
        return Action(action)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise TransitionError(f"action: unknown action {action!r}; known actions: {known}") from None


def _check_user(conn: Connection, actor: Actor, alert_id: int, act: Action) -> None:
    """The authenticated actor is an active user whose role may take ``act`` (read in this transaction)."""
    row = conn.execute(sa.select(users.c.role, users.c.active).where(users.c.username == actor.name)).first()
    if row is None or not row.active:
        what = "does not exist" if row is None else "is disabled"
        cause = "unknown-user" if row is None else "user-disabled"
        raise AuthenticationFailed(
            f"alert {alert_id}: user {actor.name!r} {what}: no decision", cause, actor.name, actor.method
        )
    if not may_decide(row.role, act):
        raise PermissionDenied(f"alert {alert_id}: user {actor.name!r} ({row.role}) may not {act.value}")


def _as_actor(actor: Actor | str) -> tuple[Actor, dict[str, Any]]:
    """The actor, and what the audit entry says of how it was established (nothing for a plain name
    outside an established interface: the entry then reads as it always did)."""
    if isinstance(actor, Actor):
        return actor, actor.details()
    established = current()
    surface = established.surface if established is not None else Surface.PYTHON
    who = Actor(actor.strip(), surface, Method.DECLARED)
    return who, who.details() if established is not None else {}


def decide(engine: Engine, alert_id: int, action: str | Action, actor: Actor | str, reason: str) -> Alert:
    """Take a decision on an alert and record it; the alert as it is afterwards.

    ``actor`` is an authenticated :class:`Actor` (the interfaces), or a plain name from an in-process
    caller, recorded as declared and checked against no user.

    Raises:
        AlertNotFound: No such alert.
        TransitionError: Unknown action, empty actor or reason, or the action is not allowed from
            the alert's state.
        FourEyesError: The approver of a true match is the person who proposed it.
        AuthenticationFailed: The authenticated actor is no longer an active user.
        PermissionDenied: The actor's role may not take the action.
    """
    act = _parse_action(action)
    who, how = _as_actor(actor)
    if not who.name:
        raise TransitionError(f"alert {alert_id}: {act.value} needs a user (--user or $USER)")
    if not reason.strip():
        raise TransitionError(f"alert {alert_id}: {act.value} needs a non-empty reason (--reason)")
    allowed, target = ACTIONS[act]
    try:
        with engine.begin() as conn:
            alert = _get(conn, alert_id, lock=True)
            if who.authenticated:
                _check_user(conn, who, alert_id, act)
            if State(alert.state) not in allowed:
                froms = ", ".join(sorted(s.value for s in allowed))
                raise TransitionError(
                    f"alert {alert_id} is {alert.state}: {act.value} is allowed only from {froms}"
                )
            if act is Action.APPROVE_TRUE_MATCH:
                proposer = next(
                    t.actor
                    for t in reversed(_history(conn, alert_id))
                    if t.to_state == State.PENDING_TRUE_MATCH
                )
                if proposer == who.name:
                    raise FourEyesError(
                        f"alert {alert_id}: four-eyes rule: the true match was proposed by {proposer!r}, "
                        "so a different user must approve it"
                    )
            at = now()
            conn.execute(alerts.update().where(alerts.c.id == alert_id).values(state=target.value))
            conn.execute(
                transitions.insert().values(
                    alert_id=alert_id,
                    from_state=alert.state,
                    to_state=target.value,
                    actor=who.name,
                    reason=reason.strip(),
                    at=at,
                )
            )
            details = {
                "action": act.value,
                "from_state": alert.state,
                "to_state": target.value,
                "reason": reason,
                **how,
            }
            record(conn, who.name, "alert.transition", f"alert:{alert_id}", details)
            return _get(conn, alert_id)
    except (AuthenticationFailed, PermissionDenied, FourEyesError) as exc:
        _refused(engine, who, how, alert_id, act, exc)
        raise


def _refused(
    engine: Engine, who: Actor, how: dict[str, Any], alert_id: int, act: Action, exc: SanctionwatchError
) -> None:
    cause = {AuthenticationFailed: "authentication", PermissionDenied: "role", FourEyesError: "four-eyes"}
    details = {
        "action": act.value,
        "cause": next(v for k, v in cause.items() if isinstance(exc, k)),
        "error": str(exc),
        **how,
    }
    record_apart(engine, who.name, "alert.decision_refused", f"alert:{alert_id}", details)
