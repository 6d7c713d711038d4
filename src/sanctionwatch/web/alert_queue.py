"""The alert queue page: every alert to review, filtered, sorted and paged by plain GET parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response

from sanctionwatch.cases.audit import now
from sanctionwatch.cases.queue import (
    SORTS,
    AlertFilter,
    AlertPage,
    known_lists,
    queue_page,
    state_counts,
)
from sanctionwatch.cases.states import LIVE_STATES, State
from sanctionwatch.errors import InputError
from sanctionwatch.service import StateDep
from sanctionwatch.web.guards import SignedIn
from sanctionwatch.web.params import field_sentence, link_with
from sanctionwatch.web.templating import page

__all__ = ["FILTER_FIELDS", "STATE_LABELS", "QueueForm", "age_text", "parse_filter", "router"]

STATE_LABELS = {
    State.OPEN.value: "Open",
    State.ESCALATED.value: "Escalated",
    State.PENDING_TRUE_MATCH.value: "Pending true match",
    State.CLOSED_FALSE_POSITIVE.value: "Closed: false positive",
    State.CLOSED_TRUE_MATCH.value: "Closed: true match",
    State.CLOSED_DELISTED.value: "Closed: delisted",
}
"""How the UI names each alert state."""

REVIEW = "review"
ALL = "all"
FILTER_FIELDS = ("state", "list", "min_score", "max_score", "older_than", "newer_than", "sort", "order")
_FIELD_LABELS = {
    "state": "State",
    "list": "List",
    "min_score": "Min score",
    "max_score": "Max score",
    "older_than": "Opened more than",
    "newer_than": "Opened less than",
    "sort": "Sort",
    "order": "Order",
    "page": "Page",
}
_NATURAL_ORDER = {"score": "desc", "opened_at": "asc", "id": "asc"}
"""The order a column sorts in when its header is first clicked: best score, oldest, first id."""

router = APIRouter()


@dataclass(frozen=True, slots=True)
class QueueForm:
    """The filter form as submitted (raw text, re-shown as typed) and its field errors."""

    values: dict[str, str]
    errors: dict[str, str]

    def get(self, key: str) -> str:
        """A field's raw value ('' when absent)."""
        return self.values.get(key, "")


def _score(key: str, raw: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{key}: enter a number from 0 to 1; {raw!r} is not one")
    return value


def _days(key: str, raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > 36_500:
        raise InputError(f"{key}: enter a whole number of days from 0 to 36500; {raw!r} is not one")
    return int(raw)


def _states(raw: str) -> frozenset[str] | None:
    if raw in ("", REVIEW):
        return LIVE_STATES
    if raw == ALL:
        return None
    if raw not in STATE_LABELS:
        known = ", ".join([REVIEW, ALL, *STATE_LABELS])
        raise InputError(f"state: unknown state {raw!r}; choose one of {known}")
    return frozenset({raw})


def _page(raw: str) -> int:
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
        raise InputError(f"page: enter a page number from 1; {raw!r} is not one")
    return int(raw)


def parse_filter(params: Mapping[str, str], lists: list[str]) -> tuple[QueueForm, AlertFilter | None]:
    """Read and check the queue's GET parameters, collecting each field's error.

    Returns:
        The form, and the filter (None when a field is invalid).
    """
    values = {k: params.get(k, "").strip() for k in (*FILTER_FIELDS, "page")}
    errors: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("state", lambda: _states(values["state"])),
        ("min_score", lambda: _score("min_score", values["min_score"])),
        ("max_score", lambda: _score("max_score", values["max_score"])),
        ("older_than", lambda: _days("older_than", values["older_than"])),
        ("newer_than", lambda: _days("newer_than", values["newer_than"])),
        ("page", lambda: _page(values["page"])),
    ]
    for key, step in steps:
        try:
            parsed[key] = step()
        except InputError as exc:
            errors[key] = _sentence(exc)
    if values["list"] and values["list"] not in lists:
        errors["list"] = _sentence(
            InputError(f"list: unknown list {values['list']!r}; known lists: {', '.join(lists) or 'none'}")
        )
    sort = values["sort"] or "opened_at"
    if sort not in SORTS:
        errors["sort"] = _sentence(
            InputError(f"sort: unknown column {sort!r}; choose one of {', '.join(SORTS)}")
        )
    order = values["order"] or _NATURAL_ORDER.get(sort, "asc")
    if order not in ("asc", "desc"):
        errors["order"] = _sentence(InputError(f"order: {order!r} is neither asc nor desc"))
    low, high = parsed.get("min_score"), parsed.get("max_score")
    if low is not None and high is not None and low > high and "max_score" not in errors:
        errors["max_score"] = (
            f"Max score: {values['max_score']!r} is below the min score {values['min_score']!r}."
        )
    form = QueueForm(values, errors)
    if errors:
        return form, None
    found = AlertFilter(
        states=parsed["state"],
        list_key=values["list"] or None,
        min_score=low,
        max_score=high,
        older_than_days=parsed["older_than"],
        newer_than_days=parsed["newer_than"],
        sort=sort,
        descending=order == "desc",
        page=parsed["page"],
    )
    return form, found


def _sentence(exc: InputError) -> str:
    return field_sentence(exc, _FIELD_LABELS)


def age_text(opened_at: datetime, at: datetime) -> str:
    """How long ago an alert opened, shortly: ``12 min``, ``5 h``, ``3 d``."""
    seconds = max(0, int((at - opened_at).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86_400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86_400} d"


def _link_maker(request: Request, values: dict[str, str]) -> Callable[..., str]:
    base = request.url_for("ui_alerts").path

    def link(**changes: Any) -> str:
        return link_with(base, values, **changes)

    return link


def _sort_link(link: Callable[..., str], form: QueueForm) -> Callable[[str], str]:
    current = form.get("sort") or "opened_at"
    order = form.get("order") or _NATURAL_ORDER.get(current, "asc")

    def sort_link(column: str) -> str:
        if column == current:
            return link(sort=column, order="asc" if order == "desc" else "desc", page=1)
        return link(sort=column, order=_NATURAL_ORDER[column], page=1)

    return sort_link


@router.get("/ui/alerts", name="ui_alerts")
async def alerts_page(request: Request, who: SignedIn, state: StateDep) -> Response:
    """The alert queue: by default the alerts to review (open, escalated, pending a second opinion)."""
    engine = state.case_engine()
    lists = await run_in_threadpool(known_lists, engine)
    form, found = parse_filter(request.query_params, lists)
    at = now()
    result: AlertPage | None = None
    if found is not None:
        result = await run_in_threadpool(queue_page, engine, found, at)
    counts = await run_in_threadpool(state_counts, engine)
    link = _link_maker(request, form.values)
    context: dict[str, Any] = {
        "viewer": who,
        "nav": "alerts",
        "form": form,
        "result": result,
        "counts": counts,
        "review_count": sum(counts[s] for s in LIVE_STATES),
        "lists": lists,
        "state_labels": STATE_LABELS,
        "sort": form.get("sort") or "opened_at",
        "order": form.get("order") or _NATURAL_ORDER.get(form.get("sort") or "opened_at", "asc"),
        "link": link,
        "sort_link": _sort_link(link, form),
        "age": lambda opened: age_text(opened, at),
    }
    return page(request, "alerts.html", context, 422 if form.errors else 200)
