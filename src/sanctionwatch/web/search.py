"""The search page: a screening form and its ranked, explained results."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import pycountry
from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from sanctionwatch.countries import country_name
from sanctionwatch.errors import InputError
from sanctionwatch.matching.config import DEFAULT_CONFIG
from sanctionwatch.matching.query import Query, parse_schema
from sanctionwatch.model import Schema
from sanctionwatch.service import NotReady, StateDep, list_freshness
from sanctionwatch.web.explain import HOW_LABELS, hit_view
from sanctionwatch.web.guards import PageViewer
from sanctionwatch.web.templating import page

__all__ = ["LIMITS", "SearchForm", "router"]

LIMITS = (10, 25, 50)
_PLACEHOLDER = "x"  # a valid name, to validate the other fields one at a time

router = APIRouter()


@dataclass(frozen=True, slots=True)
class SearchForm:
    """The search form as submitted (raw text, re-shown as typed) and its field errors."""

    name: str = ""
    schema: str = ""
    birth_date: str = ""
    country: str = ""
    threshold: str = ""
    limit: str = str(LIMITS[0])
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: QueryParams) -> SearchForm:
        """Read the form from the query string."""

        def get(key: str) -> str:
            return params.get(key, "").strip()

        return cls(
            name=get("name"),
            schema=get("schema"),
            birth_date=get("birth_date"),
            country=get("country"),
            threshold=get("threshold"),
            limit=get("limit") or str(LIMITS[0]),
        )


@cache
def _countries() -> tuple[tuple[str, str], ...]:
    """Alpha-2 code and display name of every ISO 3166 country, by name (the country field's suggestions)."""
    codes = (str(c.alpha_2) for c in pycountry.countries)
    return tuple(sorted(((code, country_name(code)) for code in codes), key=lambda x: x[1]))


def _message(exc: InputError) -> tuple[str, str]:
    field_name, _, text = str(exc).partition(": ")
    if field_name == "name" and text == "must not be empty":
        text = "enter the name to screen"
    return field_name, text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _threshold(raw: str, default: float) -> tuple[float, str | None]:
    if not raw:
        return default, None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        return default, f"Enter a number from 0 to 1, such as {default:.2f}; {raw!r} is not one."
    return value, None


def validate(form: SearchForm, default_threshold: float) -> tuple[SearchForm, Query | None, float, int]:
    """Check every field, collecting each field's error (not just the first one).

    Returns:
        The form with its errors, the query (None when a field is invalid), threshold and limit.
    """
    errors: dict[str, str] = {}
    checks: list[tuple[str, dict[str, Any]]] = [
        ("name", {"name": form.name}),
        ("birth_date", {"name": _PLACEHOLDER, "birth_date": form.birth_date}),
        ("country", {"name": _PLACEHOLDER, "country": form.country}),
    ]
    for _, kwargs in checks:
        try:
            Query.build(**kwargs)
        except InputError as exc:
            key, text = _message(exc)
            errors[key] = text
    try:
        parse_schema(form.schema)
    except InputError as exc:
        errors["schema"] = _message(exc)[1]
    threshold, problem = _threshold(form.threshold, default_threshold)
    if problem:
        errors["threshold"] = problem
    limit = int(form.limit) if form.limit.isdigit() and int(form.limit) in LIMITS else LIMITS[0]
    if errors:
        return replace(form, errors=errors), None, threshold, limit
    query = Query.build(form.name, form.schema, form.birth_date, form.country)
    return form, query, threshold, limit


@router.get("/ui/search", name="ui_search")
def search(request: Request, who: PageViewer, state: StateDep) -> Response:
    """The search page; with a ``name`` parameter it screens and lists the hits."""
    service = state.service
    context: dict[str, Any] = {
        "viewer": who,
        "nav": "search",
        "schemas": [s.value for s in Schema],
        "limits": LIMITS,
        "how_labels": HOW_LABELS,
        "default_threshold": DEFAULT_CONFIG.threshold,
        "min_score": DEFAULT_CONFIG.min_score,
        "countries": _countries(),
        "submitted": "name" in request.query_params,
        "hits": [],
        "alerts": 0,
        "not_ready": None,
        "versions": {},
        "freshness": {},
    }
    form = SearchForm.from_params(request.query_params)
    status = 200
    try:
        snapshot = service.current()
    except NotReady as exc:
        context.update(form=form, not_ready=str(exc), threshold=DEFAULT_CONFIG.threshold)
        return page(request, "search.html", context, 503)
    default = snapshot.screener.config.threshold
    context.update(
        default_threshold=default,
        min_score=snapshot.screener.config.min_score,
        versions=snapshot.versions,
        freshness=list_freshness(state.settings, snapshot.versions),
    )
    if not context["submitted"]:
        context.update(form=form, threshold=default)
        return page(request, "search.html", context)
    form, query, threshold, limit = validate(form, default)
    context.update(form=form, threshold=threshold, query=query)
    if query is None:
        status = 422
    else:
        hits = snapshot.screener.screen(query, limit=limit, threshold=threshold)
        context["hits"] = [hit_view(i, h, query) for i, h in enumerate(hits, start=1)]
        context["alerts"] = sum(h.match for h in hits)
    return page(request, "search.html", context, status)
