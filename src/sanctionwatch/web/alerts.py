"""The alert page: the customer beside the listed entity, the explanation, the history, and the decisions.

Decisions are posted forms (CSRF-checked), limited to what the alert's state and the viewer's role
allow; the four-eyes rule is the case layer's (``cases.alerts.decide``), shown here as a 409 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from starlette.responses import HTMLResponse, RedirectResponse, Response

from sanctionwatch.cases.actors import Actor, Method, Surface
from sanctionwatch.cases.alerts import Alert, Transition, decide, get_alert, history
from sanctionwatch.cases.audit import AuditEntry, iter_audit
from sanctionwatch.cases.queue import list_key_of, superseded_by
from sanctionwatch.cases.report import alert_html
from sanctionwatch.cases.states import ACTIONS, Action, State
from sanctionwatch.cases.users import Role, may_decide
from sanctionwatch.errors import (
    AlertNotFound,
    EntityNotFound,
    InputError,
    PermissionDenied,
    TransitionError,
    VersionNotFound,
)
from sanctionwatch.matching.config import DEFAULT_CONFIG
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.score import Hit
from sanctionwatch.model import Entity
from sanctionwatch.service import AppState, NotReady, StateDep
from sanctionwatch.store.queries import get_entity
from sanctionwatch.web.alert_queue import STATE_LABELS
from sanctionwatch.web.csrf import CheckedForm
from sanctionwatch.web.explain import HOW_LABELS, hit_view
from sanctionwatch.web.guards import SignedIn
from sanctionwatch.web.sessions import Viewer
from sanctionwatch.web.templating import SECURITY_HEADERS, page

__all__ = ["ACTION_LABELS", "AlertFacts", "allowed_actions", "router"]

ACTION_LABELS = {
    Action.ESCALATE: "Escalate",
    Action.FALSE_POSITIVE: "False positive",
    Action.PROPOSE_TRUE_MATCH: "Propose true match",
    Action.APPROVE_TRUE_MATCH: "Approve true match",
    Action.REOPEN: "Reopen",
}
"""The decision buttons' labels."""

_DONE = {
    Action.ESCALATE: "escalated",
    Action.FALSE_POSITIVE: "closed as a false positive",
    Action.PROPOSE_TRUE_MATCH: "proposed as a true match; a second person must approve it",
    Action.APPROVE_TRUE_MATCH: "closed as a true match",
    Action.REOPEN: "reopened",
}
# The report is a standalone document with an inline stylesheet (cases/templates): allow only that.
_REPORT_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'",
}

router = APIRouter()


@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What the alert page shows besides the alert itself."""

    alert: Alert
    entity: Entity | None
    entity_problem: str | None
    delisted: bool
    history: list[Transition]
    audit: list[AuditEntry]
    superseded_by: list[int]


def allowed_actions(state: str, role: Role | None) -> list[Action]:
    """The decisions the alert's state and the viewer's role both allow, in workflow order."""
    return [a for a in Action if State(state) in ACTIONS[a][0] and role is not None and may_decide(role, a)]


def _facts(engine: Engine, alert_id: int) -> AlertFacts:
    alert = get_alert(engine, alert_id)
    entity: Entity | None = None
    problem: str | None = None
    delisted = False
    with engine.connect() as conn:
        try:
            entity = get_entity(conn, alert.entity_id, alert.list_version_id)
        except (EntityNotFound, VersionNotFound) as exc:
            problem = str(exc)
        try:
            get_entity(conn, alert.entity_id)
        except EntityNotFound:
            delisted = True
    return AlertFacts(
        alert,
        entity,
        problem,
        delisted,
        history(engine, alert_id),
        list(iter_audit(engine, f"alert:{alert_id}")),
        superseded_by(engine, alert_id),
    )


def _query(data: dict[str, Any]) -> Query:
    """The customer as it was screened (validated on import; the name alone if that no longer holds)."""
    try:
        return Query.build(
            data.get("name"),
            schema=data.get("schema"),
            birth_date=data.get("birth_date"),
            country=data.get("country"),
            identifiers=data.get("identifiers") or [],
        )
    except InputError:  # a code table changed since the import
        return Query.build(str(data.get("name") or "?"))


def _threshold(state: AppState) -> float:
    try:
        return state.service.current().screener.config.threshold
    except NotReady:
        return DEFAULT_CONFIG.threshold


def _error(request: Request, who: Viewer, title: str, message: str, status: int) -> Response:
    context = {"viewer": who, "nav": "alerts", "title": title, "message": message}
    return page(request, "error.html", context, status)


async def _alert_page(
    request: Request,
    state: AppState,
    who: Viewer,
    alert_id: int,
    *,
    error: str | None = None,
    reason: str = "",
    status: int = 200,
) -> Response:
    try:
        facts = await run_in_threadpool(_facts, state.case_engine(), alert_id)
    except AlertNotFound as exc:
        return _error(request, who, "Alert not found", str(exc), 404)
    alert = facts.alert
    hit = _stored_hit(alert.hit)
    done = request.query_params.get("decided", "")
    context: dict[str, Any] = {
        "viewer": who,
        "nav": "alerts",
        "alert": alert,
        "facts": facts,
        "customer": alert.customer_data,
        "list_key": list_key_of(alert.entity_id),
        "h": hit_view(1, hit, _query(alert.customer_data)) if hit is not None else None,
        "threshold": _threshold(state),
        "how_labels": HOW_LABELS,
        "state_labels": STATE_LABELS,
        "actions": allowed_actions(alert.state, who.role),
        "action_labels": ACTION_LABELS,
        "done": _DONE.get(Action(done)) if done in {a.value for a in Action} else None,
        "error": error,
        "reason": reason,
    }
    return page(request, "alert.html", context, status)


def _stored_hit(data: dict[str, Any]) -> Hit | None:
    """The alert's stored hit, or None when it was stored in an older format."""
    try:
        return Hit.from_dict(data)
    except (KeyError, TypeError):
        return None


@router.get("/ui/alerts/{alert_id:int}", name="ui_alert")
async def alert_page(request: Request, alert_id: int, who: SignedIn, state: StateDep) -> Response:
    """One alert: both sides, why it matched, what was decided, and the decisions left to take."""
    return await _alert_page(request, state, who, alert_id)


@router.post("/ui/alerts/{alert_id:int}/decide", name="ui_alert_decide")
async def decide_alert(
    request: Request, alert_id: int, who: SignedIn, form: CheckedForm, state: StateDep
) -> Response:
    """Take a decision: CSRF check, role check, then ``cases.alerts.decide`` (state rules, four eyes)."""
    raw_action, reason = form.get("action", ""), form.get("reason", "")
    try:
        action = Action(raw_action)
    except ValueError:
        message = f"action: unknown decision {raw_action!r}"
        return await _alert_page(request, state, who, alert_id, error=message, reason=reason, status=422)
    if who.role is None or not may_decide(who.role, action):
        role = who.role.value if who.role is not None else "no role"
        message = f"A user with the {role} role may not {ACTION_LABELS[action].lower()} an alert."
        return _error(request, who, "Not allowed", message, PermissionDenied.http_status)
    if not reason.strip():
        message = "Reason: give the reason for this decision; it is kept in the alert's history."
        return await _alert_page(request, state, who, alert_id, error=message, reason=reason, status=422)
    try:
        actor = Actor(who.name or "", Surface.UI, Method.UI_SESSION)
        await run_in_threadpool(decide, state.case_engine(), alert_id, action, actor, reason)
    except AlertNotFound as exc:
        return _error(request, who, "Alert not found", str(exc), 404)
    except TransitionError as exc:  # also FourEyesError
        return await _alert_page(request, state, who, alert_id, error=str(exc), reason=reason, status=409)
    target = request.url_for("ui_alert", alert_id=alert_id).path + f"?decided={action.value}"
    return RedirectResponse(target, status_code=303)


@router.get("/ui/alerts/{alert_id:int}/report", name="ui_alert_report")
async def alert_report(request: Request, alert_id: int, who: SignedIn, state: StateDep) -> Response:
    """The alert's standalone HTML report (``sanctionwatch alerts report`` writes the same file)."""
    try:
        html = await run_in_threadpool(alert_html, state.case_engine(), alert_id)
    except AlertNotFound as exc:
        return _error(request, who, "Alert not found", str(exc), 404)
    return HTMLResponse(html, headers=_REPORT_HEADERS)
