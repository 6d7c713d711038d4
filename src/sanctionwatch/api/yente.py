"""yente-compatible API: ``/match/{dataset}``, ``/search/{dataset}``, ``/catalog``, ``/algorithms``.

Request and response shapes follow yente's, so yente clients (e.g. the ``yente-client`` package)
work unchanged against sanctionwatch. Datasets: ``default`` (every active list) and each list key.
Errors keep sanctionwatch's JSON error body (clients show its text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi import Query as Param

from sanctionwatch.api.auth import require_api_key
from sanctionwatch.api.datasets import DEFAULT_DATASET, list_title, select_lists
from sanctionwatch.api.ftm import FtmSchemaName, entity_response, query_schema, seen_at
from sanctionwatch.api.models import error_responses, json_response
from sanctionwatch.api.screening import check_batch_size, field_error, snapshot_of
from sanctionwatch.api.yente_match import (
    SCREEN_ALL,
    ExampleError,
    example_echo,
    parse_example,
    scored_entity,
    screen_example,
)
from sanctionwatch.api.yente_models import (
    AlgorithmsResponse,
    CatalogResponse,
    EntityMatchQuery,
    EntityMatchResponse,
    SearchResponse,
)
from sanctionwatch.countries import country_name
from sanctionwatch.errors import InputError
from sanctionwatch.matching.config import DEFAULT_CONFIG, ScoringConfig
from sanctionwatch.matching.query import Query as ScreeningQuery
from sanctionwatch.model import Schema
from sanctionwatch.service import Snapshot, state_of

__all__ = ["ALGORITHMS", "DEFAULT_ALGORITHM", "SEARCH_FLOOR", "router"]

router = APIRouter(
    tags=["yente-compatible"], dependencies=[Depends(require_api_key)], responses=error_responses()
)

AlgorithmName = Literal["sanctionwatch", "best", "logic-v1", "logic-v2", "name-based"]
ALGORITHMS: tuple[str, ...] = get_args(AlgorithmName)
"""Accepted ``algorithm`` names: yente's common names are accepted and all use our scorer."""
DEFAULT_ALGORITHM = ALGORITHMS[0]
Facet = Literal["countries", "datasets", "topics"]
SANCTION_TOPIC = "sanction"
SEARCH_FLOOR = 0.3
"""Lowest name score ``/search`` returns: looser than screening's, so partial names find entities."""
Strings = list[str] | None
Schemata = list[FtmSchemaName] | None
_DATASET = Path(description="default (every active list) or a list key such as un-sc", examples=["default"])


def _feature_docs(cfg: ScoringConfig) -> dict[str, dict[str, Any]]:
    return {
        "name": {
            "description": "Name similarity: parts aligned across scripts and romanizations "
            "(Korean syllable variants, joined given names), weighted by rarity.",
            "coefficient": 1.0,
        },
        "birth_date": {
            "description": f"+{cfg.dob_match_bonus} same day, +{cfg.dob_year_bonus} same year or month, "
            f"-{cfg.dob_mismatch_penalty} more than a year apart.",
            "coefficient": cfg.dob_match_bonus,
        },
        "country": {
            "description": f"+{cfg.country_match_bonus} when the country is listed, "
            f"-{cfg.country_mismatch_penalty} when none of the listed ones agree.",
            "coefficient": cfg.country_match_bonus,
        },
        "identifier": {
            "description": f"+{cfg.identifier_match_bonus} (and at least a match) when a passport, IMO, "
            "registration or other number is equal.",
            "coefficient": cfg.identifier_match_bonus,
        },
    }


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher",
    response_model=EntityMatchResponse,
    responses=error_responses(404),
)
def match(
    body: EntityMatchQuery,
    request: Request,
    dataset: str = _DATASET,
    limit: int = Param(5, ge=1, le=500, description="Results per query."),
    threshold: float | None = Param(None, ge=0.0, le=1.0, description="Match threshold (default 0.80)."),
    cutoff: float | None = Param(
        None, ge=0.0, le=1.0, deprecated=True, description="Drop results scoring below this."
    ),
    algorithm: Annotated[AlgorithmName, Param(description="Any of GET /algorithms.")] = "sanctionwatch",
    include_dataset: Annotated[Strings, Param(description="Only results from these datasets.")] = None,
    exclude_dataset: Annotated[Strings, Param(description="No results from these datasets.")] = None,
    exclude_schema: Annotated[Schemata, Param(description="No results of these schemata.")] = None,
    topics: Annotated[Strings, Param(description="Only these topics (ours: 'sanction').")] = None,
    exclude_entity_ids: Annotated[Strings, Param(max_length=50, description="Never return these.")] = None,
) -> Response:
    """Match entities (FtM schema + properties) against a dataset, as yente's ``/match`` does.

    Used properties: ``name``/``alias``/``previousName`` (or ``firstName``... ``lastName``),
    ``birthDate``/``incorporationDate``, ``nationality``/``citizenship``/``country``/
    ``jurisdiction``/``flag`` and identifier properties (``passportNumber``, ``idNumber``,
    ``imoNumber``, ``registrationNumber``, ``taxNumber``, ``leiCode``...). Every combination of
    names, dates and countries is screened; each entity keeps its best score.
    """
    check_batch_size(request, len(body.queries))
    snapshot = snapshot_of(request)
    lists = select_lists(snapshot, dataset, include_dataset or (), exclude_dataset or ())
    excluded = {query_schema(name) for name in exclude_schema or ()}
    skip_ids = set(exclude_entity_ids or ())
    thr = snapshot.screener.config.threshold if threshold is None else threshold
    examples = {}
    for key, example in body.queries.items():
        try:
            examples[key] = parse_example(example)
        except ExampleError as exc:
            raise field_error(("queries", key, *exc.path), str(exc)) from None
    sanctioned = not topics or SANCTION_TOPIC in topics
    responses = {}
    for key, parsed in examples.items():
        hits = screen_example(snapshot, parsed, thr, lists) if sanctioned else []
        hits = [
            h
            for h in hits
            if h.entity_id not in skip_ids
            and Schema(h.schema) not in excluded
            and (cutoff is None or h.score >= cutoff)
        ]
        responses[key] = {
            "status": 200,
            "results": [scored_entity(snapshot, h) for h in hits[:limit]],
            "total": {"value": len(hits), "relation": "eq"},
            "query": example_echo(body.queries[key]),
        }
    response = json_response(
        {"responses": responses, "matcher": _feature_docs(snapshot.screener.config), "limit": limit}
    )
    response.headers["x-batch-size"] = str(len(responses))
    return response


def _facets(snapshot: Snapshot, positions: list[int], wanted: Iterable[str]) -> dict[str, Any]:
    index = snapshot.screener.index
    out: dict[str, Any] = {}
    if "countries" in wanted:
        counts = Counter(c for p in positions for c in index.countries[p])
        out["countries"] = {
            "label": "Countries",
            "values": [
                {"name": c.lower(), "label": country_name(c), "count": n} for c, n in counts.most_common()
            ],
        }
    if "datasets" in wanted:
        counts = Counter(index.entities[p].list_key for p in positions)
        out["datasets"] = {
            "label": "Data sources",
            "values": [
                {"name": k, "label": list_title(snapshot.versions[k]), "count": n}
                for k, n in counts.most_common()
            ],
        }
    if "topics" in wanted:
        values = [{"name": SANCTION_TOPIC, "label": "Sanctioned entity", "count": len(positions)}]
        out["topics"] = {"label": "Topics", "values": values if positions else []}
    return out


@router.get(
    "/search/{dataset}",
    summary="Simple entity search",
    response_model=SearchResponse,
    responses=error_responses(404),
)
def search(
    request: Request,
    dataset: str = _DATASET,
    q: str = Param(
        "", max_length=500, description="A name; empty lists every entity.", examples=["Kim Jong Un"]
    ),
    schema: Annotated[FtmSchemaName, Param(description="Only entities of this schema.")] = "Thing",
    countries: Annotated[Strings, Param(description="Only entities tied to these countries.")] = None,
    topics: Annotated[Strings, Param(description="Only entities with one of these topics.")] = None,
    datasets: Annotated[Strings, Param(description="Only entities of these datasets.")] = None,
    include_dataset: Annotated[Strings, Param(description="Only entities of these datasets.")] = None,
    exclude_dataset: Annotated[Strings, Param(description="No entities of these datasets.")] = None,
    limit: int = Param(10, ge=0, le=500),
    offset: int = Param(0, ge=0, le=10_000),
    fuzzy: bool = Param(False, description="Accepted for compatibility: name matching is always fuzzy."),
    facets: Annotated[
        list[Facet] | None, Param(description="Facets to count (default: countries, topics, datasets).")
    ] = None,
) -> Response:
    """Entities whose names resemble ``q``, best first (or every entity when ``q`` is empty)."""
    snapshot = snapshot_of(request)
    index = snapshot.screener.index
    include = [*(include_dataset or ()), *(datasets or ())]
    lists = set(select_lists(snapshot, dataset, include, exclude_dataset or ()))
    kind = query_schema(schema)
    if q.strip():
        try:
            query = ScreeningQuery.build(q, kind)
        except InputError as exc:
            raise field_error(("q",), str(exc).partition(": ")[2], where="query") from None
        hits = snapshot.screener.screen(query, limit=SCREEN_ALL, threshold=SEARCH_FLOOR, lists=sorted(lists))
        positions = [index.by_id[h.entity_id] for h in hits]
    else:
        positions = [
            p
            for p, e in enumerate(index.entities)
            if e.list_key in lists and (kind is None or e.schema is kind)
        ]
    wanted = {c.upper() for c in countries or ()}
    if wanted:
        positions = [p for p in positions if index.countries[p] & wanted]
    if topics and SANCTION_TOPIC not in topics:
        positions = []
    results = [
        entity_response(index.entities[p], snapshot.versions.get(index.entities[p].list_key))
        for p in positions[offset : offset + limit]
    ]
    return json_response(
        {
            "results": results,
            "facets": _facets(snapshot, positions, facets or get_args(Facet)),
            "total": {"value": len(positions), "relation": "eq"},
            "limit": limit,
            "offset": offset,
        }
    )


@router.get("/catalog", summary="Datasets", response_model=CatalogResponse)
def catalog(request: Request) -> Response:
    """``default`` (every active list) and each active list as a dataset of its own."""
    snapshot = snapshot_of(request)
    versions = [snapshot.versions[k] for k in sorted(snapshot.versions)]
    combined = ",".join(f"{v.list_key}={v.id}" for v in versions)
    dates = [d for d in (seen_at(v) for v in versions) if d]
    datasets: list[dict[str, Any]] = [
        {
            "name": DEFAULT_DATASET,
            "title": "All active lists",
            "summary": f"Every active list ({len(versions)})",
            "load": True,
            "version": combined,
            "index_version": combined,
            "index_current": True,
            "children": [v.list_key for v in versions],
            "entity_count": sum(v.entity_count for v in versions),
            "updated_at": max(dates) if dates else None,
            "published": None,
            "list_version": None,
        }
    ]
    for v in versions:
        datasets.append(
            {
                "name": v.list_key,
                "title": list_title(v),
                "summary": None,
                "load": True,
                "version": str(v.id),
                "index_version": str(v.id),
                "index_current": True,
                "children": [],
                "entity_count": v.entity_count,
                "updated_at": seen_at(v),
                "published": v.published,
                "list_version": v.id,
            }
        )
    names = [d["name"] for d in datasets]
    return json_response({"datasets": datasets, "current": names, "outdated": [], "index_stale": False})


@router.get("/algorithms", summary="Matching algorithms", response_model=AlgorithmsResponse)
def algorithms(request: Request) -> Response:
    """The ``algorithm`` names ``/match`` accepts. yente's names are accepted for compatibility and
    all score with sanctionwatch's one algorithm."""
    service = state_of(request.app).service
    config = service.current().screener.config if service.ready else DEFAULT_CONFIG
    features = _feature_docs(config)
    out = [
        {
            "name": name,
            "description": (
                "sanctionwatch: transliteration-aware name alignment plus birth date, country and "
                "identifier evidence, with an explanation per hit."
                if name == DEFAULT_ALGORITHM
                else f"Accepted for yente compatibility; scores with {DEFAULT_ALGORITHM!r} (same results)."
            ),
            "features": features,
        }
        for name in ALGORITHMS
    ]
    return json_response({"algorithms": out, "default": DEFAULT_ALGORITHM, "best": DEFAULT_ALGORITHM})
