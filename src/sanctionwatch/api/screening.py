"""Own API: ``POST /screen``, ``POST /screen/batch``, ``GET /lists``, ``GET /entities/{id}``.

Every handler takes the service's snapshot once and serves the whole request from it, so a reload
in the middle of a batch never mixes two list versions.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from sanctionwatch.api.auth import require_api_key
from sanctionwatch.api.datasets import check_lists, list_title
from sanctionwatch.api.ftm import entity_response
from sanctionwatch.api.models import (
    ListsResponse,
    ScreenBatchRequest,
    ScreenBatchResponse,
    ScreenQuery,
    ScreenResponse,
    error_responses,
    json_response,
)
from sanctionwatch.api.yente_models import FullEntityResponse
from sanctionwatch.errors import EntityNotFound, InputError
from sanctionwatch.matching.query import Query as ScreeningQuery
from sanctionwatch.metrics import observe_hits
from sanctionwatch.service import Snapshot, state_of

__all__ = ["check_batch_size", "field_error", "query_echo", "relocated", "router", "snapshot_of"]

router = APIRouter(dependencies=[Depends(require_api_key)], responses=error_responses())


def snapshot_of(request: Request) -> Snapshot:
    """The snapshot to serve this request from (taken once per request).

    Raises:
        NotReady: No screening index is loaded yet.
    """
    return state_of(request.app).service.current()


def check_batch_size(request: Request, count: int) -> None:
    """Refuse a request of more than ``max_batch_queries`` queries.

    Raises:
        InputError: ``count`` is over the setting.
    """
    most = state_of(request.app).settings.max_batch_queries
    if count > most:
        raise InputError(f"queries: {count:,} queries in one request, at most {most:,} allowed")


def field_error(loc: tuple[str | int, ...], message: str, where: str = "body") -> RequestValidationError:
    """A 422 validation error naming the field at ``loc`` (``where``: ``body`` or ``query``)."""
    return RequestValidationError([{"loc": (where, *loc), "msg": message, "type": "value_error"}])


def relocated(exc: InputError, *loc: str | int, where: str = "body") -> RequestValidationError:
    """A 422 validation error locating the field an InputError names under ``loc``.

    ``relocated(InputError("name: must not be empty"), "queries", 3)`` names ``queries.3.name``.
    """
    message = str(exc)
    head, sep, rest = message.partition(": ")
    if sep and head.isidentifier():
        loc, message = (*loc, head), rest
    return field_error(loc, message, where)


def query_echo(query: ScreeningQuery) -> dict[str, Any]:
    """The query as screened, for the response."""
    return {
        "name": query.name,
        "schema": str(query.schema) if query.schema is not None else None,
        "birth_date": query.birth_date,
        "country": query.country,
        "identifiers": list(query.identifiers),
    }


def _build(snapshot: Snapshot, body: ScreenQuery) -> tuple[ScreeningQuery, tuple[str, ...] | None]:
    query = ScreeningQuery.build(body.name, body.schema_, body.birth_date, body.country, body.identifiers)
    lists = check_lists(snapshot, body.lists) if body.lists is not None else None
    return query, lists


def _result(
    snapshot: Snapshot, body: ScreenQuery, query: ScreeningQuery, lists: tuple[str, ...] | None
) -> dict[str, Any]:
    screener = snapshot.screener
    threshold = screener.config.threshold if body.threshold is None else body.threshold
    hits = screener.screen(query, limit=body.limit, threshold=threshold, lists=lists)
    return {
        "id": getattr(body, "id", None),
        "query": query_echo(query),
        "threshold": threshold,
        "hits": [hit.to_dict() for hit in hits],
    }


@router.post(
    "/screen",
    tags=["Screening"],
    summary="Screen one name",
    response_model=ScreenResponse,
)
def screen(body: ScreenQuery, request: Request) -> Response:
    """Screen one query (name, schema, birth date, country, identifiers) against the active lists.

    Returns hits best first, each with its score, whether it is a match (score at or above the
    threshold) and the explanation: how the names aligned part by part and what each piece of
    evidence added or took away.
    """
    snapshot = snapshot_of(request)
    query, lists = _build(snapshot, body)
    result = _result(snapshot, body, query, lists)
    result["versions"] = snapshot.version_ids()
    observe_hits("name", [result["hits"]])
    return json_response(result)


@router.post(
    "/screen/batch",
    tags=["Screening"],
    summary="Screen many names",
    response_model=ScreenBatchResponse,
)
def screen_batch(body: ScreenBatchRequest, request: Request) -> Response:
    """Screen up to ``max_batch_queries`` queries (1,000 by default) in one request.

    Every query is validated before any is screened: one invalid query fails the request with
    422, naming it (``queries.3.birth_date``). Results come in request order.
    """
    check_batch_size(request, len(body.queries))
    snapshot = snapshot_of(request)
    built = []
    for i, item in enumerate(body.queries):
        try:
            built.append(_build(snapshot, item))
        except InputError as exc:
            raise relocated(exc, "queries", i) from None
    results = [
        _result(snapshot, item, query, lists)
        for item, (query, lists) in zip(body.queries, built, strict=True)
    ]
    observe_hits("batch", [r["hits"] for r in results])
    return json_response({"results": results, "versions": snapshot.version_ids()})


@router.get("/lists", tags=["Lists"], summary="Active list versions", response_model=ListsResponse)
def lists(request: Request) -> Response:
    """The list versions the server screens against: version, dates, entity counts, checksum."""
    snapshot = snapshot_of(request)
    out = [
        {
            "key": v.list_key,
            "title": list_title(v),
            "version": v.id,
            "format": v.format_key,
            "published": v.published,
            "imported_at": v.imported_at.isoformat(),
            "entity_count": v.entity_count,
            "schema_counts": v.schema_counts,
            "checksum": v.checksum,
            "files": list(v.file_names),
        }
        for v in sorted(snapshot.versions.values(), key=lambda v: v.list_key)
    ]
    return json_response(
        {
            "lists": out,
            "entity_count": sum(v.entity_count for v in snapshot.versions.values()),
            "loaded_at": snapshot.loaded_at.isoformat(),
        }
    )


@router.get(
    "/entities/{entity_id:path}",
    tags=["Lists"],
    summary="One listed entity",
    response_model=FullEntityResponse,
    responses=error_responses(404),
)
def fetch_entity(
    request: Request,
    entity_id: str = Path(description="Entity id, e.g. us-ofac-sdn:20157 or un-sc:KPe.001"),
    nested: bool = Query(True, description="Include the designation as a nested Sanction entity."),
) -> Response:
    """One entity of the active lists, in yente's entity shape (FtM properties) plus the record as
    the list states it (``record``)."""
    snapshot = snapshot_of(request)
    entity = snapshot.entity(entity_id)
    if entity is None:
        raise EntityNotFound(f"entity_id: entity {entity_id!r} is not in the active list versions")
    version = snapshot.versions.get(entity.list_key)
    out = entity_response(entity, version, nested=nested)
    out["list_key"] = entity.list_key
    out["list_version"] = entity.list_version
    out["record"] = entity.to_dict()
    return json_response(out)
