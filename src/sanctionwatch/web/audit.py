"""The audit trail page, newest first, filtered by action, actor, subject and date, and its CSV download.

Every signed-in role may read the trail (reviewers and auditors alike); the CSV has the columns of
``sanctionwatch audit export`` (``cases.audit.CSV_COLUMNS``) and honours the page's filters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from sanctionwatch.cases.audit import CSV_COLUMNS, AuditEntry, csv_row
from sanctionwatch.cases.queue import AuditFilter, audit_actions, audit_page, iter_audit_filtered
from sanctionwatch.errors import InputError
from sanctionwatch.service import StateDep
from sanctionwatch.web.guards import SignedIn
from sanctionwatch.web.params import field_sentence, link_with
from sanctionwatch.web.templating import SECURITY_HEADERS, page

__all__ = ["AUDIT_FIELDS", "csv_lines", "parse_audit_filter", "router"]

AUDIT_FIELDS = ("action", "actor", "subject", "since", "until")
_LABELS = {"action": "Action", "actor": "Actor", "subject": "Subject", "since": "From", "until": "To"}

router = APIRouter()


def _date(key: str, raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InputError(f"{key}: enter a date as YYYY-MM-DD; {raw!r} is not one") from None


def parse_audit_filter(
    params: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, str], AuditFilter | None]:
    """Read and check the audit page's GET parameters.

    Returns:
        The raw values, each field's error, and the filter (None when a field is invalid).
    """
    values = {k: params.get(k, "").strip() for k in (*AUDIT_FIELDS, "page")}
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for key in ("since", "until"):
        try:
            days[key] = _date(key, values[key])
        except InputError as exc:
            errors[key] = _sentence(exc)
    raw_page = values["page"] or "1"
    if not raw_page.isdigit() or not 1 <= int(raw_page) <= 1_000_000:
        errors["page"] = f"Page: enter a page number from 1; {raw_page!r} is not one."
    for key in ("action", "actor", "subject"):
        if len(values[key]) > 300:
            errors[key] = f"{_LABELS[key]}: at most 300 characters (got {len(values[key])})."
    if errors:
        return values, errors, None
    try:
        found = AuditFilter(
            action=values["action"] or None,
            actor=values["actor"] or None,
            subject=values["subject"] or None,
            since=days["since"],
            until=days["until"],
            page=int(raw_page),
        )
    except InputError as exc:
        return values, {"until": _sentence(exc)}, None
    return values, errors, found


def _sentence(exc: InputError) -> str:
    return field_sentence(exc, _LABELS)


@router.get("/ui/audit", name="ui_audit")
async def audit_view(request: Request, who: SignedIn, state: StateDep) -> Response:
    """The audit trail, newest first."""
    engine = state.case_engine()
    values, errors, found = parse_audit_filter(request.query_params)
    result = await run_in_threadpool(audit_page, engine, found) if found is not None else None
    base = request.url_for("ui_audit").path
    csv_values = {k: v for k, v in values.items() if k != "page"}
    context: dict[str, Any] = {
        "viewer": who,
        "nav": "audit",
        "values": values,
        "errors": errors,
        "result": result,
        "actions": await run_in_threadpool(audit_actions, engine),
        "link": lambda **changes: link_with(base, values, **changes),
        "csv_link": link_with(request.url_for("ui_audit_csv").path, csv_values),
    }
    return page(request, "audit.html", context, 422 if errors else 200)


def csv_lines(entries: Iterator[AuditEntry]) -> Iterator[str]:
    """The header and one CSV line per entry, as ``cases.audit.export_csv`` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(csv_row(e))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@router.get("/ui/audit.csv", name="ui_audit_csv")
def audit_csv(request: Request, who: SignedIn, state: StateDep) -> Response:
    """The filtered audit trail as CSV, oldest first, streamed."""
    _, errors, found = parse_audit_filter(request.query_params)
    if found is None:
        context = {"viewer": who, "nav": "audit", "title": "Bad audit filter"}
        return page(request, "error.html", {**context, "message": " ".join(errors.values())}, 422)
    headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="audit.csv"'}
    lines = csv_lines(iter_audit_filtered(state.case_engine(), found))
    return StreamingResponse(lines, media_type="text/csv; charset=utf-8", headers=headers)
