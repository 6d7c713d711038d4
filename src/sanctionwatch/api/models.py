"""Request and response models of the own screening API (``/screen``, ``/screen/batch``, ``/lists``).

The response models document the JSON the handlers write (OpenAPI at ``/docs``); handlers serialize
hits once with orjson (:func:`json_response`) instead of re-validating them through these models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from sanctionwatch.matching.query import MAX_NAME_LENGTH

__all__ = [
    "MAX_HITS",
    "ErrorResponse",
    "ExplanationModel",
    "FeatureModel",
    "HitModel",
    "ListInfo",
    "ListsResponse",
    "PartModel",
    "QueryEcho",
    "ScreenBatchRequest",
    "ScreenBatchResponse",
    "ScreenQuery",
    "ScreenResponse",
    "ScreenResult",
    "error_responses",
    "json_response",
]

MAX_HITS = 100
"""Most hits one query may ask for."""

DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

Identifier = Annotated[str, StringConstraints(max_length=100)]
ListKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def json_response(content: Any, status_code: int = 200) -> Response:
    """Serialize ``content`` once with orjson (the fast path; no second validation)."""
    return Response(orjson.dumps(content), status_code=status_code, media_type="application/json")


_ERROR_DESCRIPTIONS = {
    400: "Request body that cannot be read (not UTF-8 JSON)",
    401: "Missing, unknown or revoked API key",
    404: "Unknown dataset, list or entity",
    413: "Request body too large",
    422: "Invalid request; the error names the field",
    503: "No screening index loaded yet",
}


def error_responses(*extra: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting the JSON error body for 400, 401, 413, 422, 503 and ``extra``."""
    codes = sorted({400, 401, 413, 422, 503, *extra})
    return {code: {"model": ErrorResponse, "description": _ERROR_DESCRIPTIONS[code]} for code in codes}


# --- errors ------------------------------------------------------------------------------------


class FieldProblem(BaseModel):
    """One invalid field of a request."""

    field: str
    message: str


class ErrorDetail(BaseModel):
    """What went wrong."""

    type: str = Field(examples=["InputError"], description="Error class, e.g. InputError, EntityNotFound.")
    message: str = Field(examples=["birth_date: '1984-13-01' is not a real date"])
    field: str | None = Field(None, examples=["birth_date"], description="The request field at fault.")
    details: list[FieldProblem] | None = Field(None, description="Every invalid field (validation errors).")


class ErrorResponse(BaseModel):
    """Body of every error response."""

    error: ErrorDetail


# --- requests ----------------------------------------------------------------------------------


class ScreenQuery(BaseModel):
    """One screening query."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, strict=True)

    name: str = Field(
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        description="The name to screen, in any script.",
        examples=["Kim Jong Un", "김정은"],
    )
    schema_: str | None = Field(
        None,
        alias="schema",
        max_length=50,
        description="Person, Organization (or Company, LegalEntity), Vessel, Aircraft (or Airplane); "
        "empty or 'any' screens against every kind.",
        examples=["Person"],
    )
    birth_date: str | None = Field(
        None, pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD.", examples=["1984-01-08"]
    )
    country: str | None = Field(
        None,
        max_length=100,
        description="Nationality, residence or registration country: ISO 3166 alpha-2 or a name.",
        examples=["KP"],
    )
    identifiers: list[Identifier] = Field(
        default_factory=list,
        max_length=20,
        description="Passport, national id, IMO, registration numbers... (compared exactly, "
        "ignoring case, spaces and punctuation).",
        examples=[["IMO 8132835"]],
    )
    threshold: float | None = Field(
        None, ge=0.0, le=1.0, description="Score at or above which a hit is a match (default 0.80)."
    )
    limit: int = Field(10, ge=1, le=MAX_HITS, description="Most hits returned.")
    lists: list[ListKey] | None = Field(
        None,
        max_length=50,
        description="Only these list keys (e.g. un-sc, us-ofac-sdn; 'ftm' selects every ftm:* list).",
        examples=[["un-sc", "us-ofac-sdn"]],
    )


class BatchQuery(ScreenQuery):
    """One query of a batch, with the caller's id to correlate results."""

    id: str | None = Field(None, max_length=200, description="Echoed in the result.", examples=["cust-1"])


class ScreenBatchRequest(BaseModel):
    """Several queries screened in one request (at most ``max_batch_queries``, 1,000 by default)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "queries": [
                        {"id": "c-1", "name": "Kim Jong Un", "birth_date": "1984"},
                        {"id": "c-2", "name": "KOMID", "schema": "Organization"},
                    ]
                }
            ]
        },
    )

    queries: list[BatchQuery] = Field(min_length=1)


# --- responses ---------------------------------------------------------------------------------


class PartModel(BaseModel):
    """How one part of the query name aligned with one part of the listed name."""

    query: str
    listed: str
    similarity: float
    how: str = Field(description="exact, edit, korean (same Korean syllable) or joined.")
    weight: float = Field(description="Information weight of the part (rare parts weigh more).")


class FeatureModel(BaseModel):
    """One piece of evidence beside the name and what it did to the score."""

    name: str = Field(examples=["birth_date"])
    contribution: float = Field(examples=[0.08])
    detail: str = Field(examples=["born 1984-01-08 = listed 1984-01-08"])


class ExplanationModel(BaseModel):
    """Why a hit scored what it scored."""

    query_name: str
    matched_name: str
    name_kind: str = Field(description="primary, aka, fka or nka.")
    weak_alias: bool
    transliteration: str = Field(description="Which form of the query matched (original, hangul→dprk...).")
    query_tokens: list[str]
    listed_tokens: list[str]
    parts: list[PartModel]
    unmatched_query: list[str]
    unmatched_listed: list[str]
    name_score: float
    features: list[FeatureModel]
    summary: str = Field(description="One line: the aligned parts and each feature's contribution.")


class HitModel(BaseModel):
    """One listed entity the query may be."""

    entity_id: str = Field(examples=["us-ofac-sdn:20157"])
    score: float = Field(ge=0.0, le=1.0, examples=[1.0])
    match: bool = Field(description="score >= threshold")
    matched_name: str = Field(examples=["KIM, Jong Un"])
    list_key: str = Field(examples=["us-ofac-sdn"])
    schema_: str = Field(alias="schema", examples=["Person"])
    caption: str = Field(examples=["KIM, Jong Un"])
    programs: list[str] = Field(examples=[["DPRK3"]])
    explanation: ExplanationModel


class QueryEcho(BaseModel):
    """The query as screened, after validation (country as alpha-2, identifiers in compare form)."""

    name: str
    schema_: str | None = Field(alias="schema")
    birth_date: str | None
    country: str | None
    identifiers: list[str]


class ScreenResult(BaseModel):
    """The hits of one query, best first."""

    id: str | None = Field(None, description="The query's id (batches).")
    query: QueryEcho
    threshold: float
    hits: list[HitModel]


class ScreenResponse(ScreenResult):
    """Result of ``POST /screen``."""

    versions: dict[str, int] = Field(
        description="List key to the list version screened against.", examples=[{"un-sc": 1}]
    )


class ScreenBatchResponse(BaseModel):
    """Result of ``POST /screen/batch``: one result per query, in request order."""

    results: list[ScreenResult]
    versions: dict[str, int]


class ListInfo(BaseModel):
    """The active version of one list, as the server screens against it."""

    key: str = Field(examples=["un-sc"])
    title: str = Field(examples=["UN Security Council Consolidated List"])
    version: int = Field(description="List version id in the store.")
    format: str
    published: str | None = Field(description="Publication date the files state (YYYY-MM-DD).")
    imported_at: datetime
    entity_count: int
    schema_counts: dict[str, int]
    checksum: str = Field(description="SHA-256 of the file set.")
    files: list[str]


class ListsResponse(BaseModel):
    """Result of ``GET /lists``."""

    lists: list[ListInfo]
    entity_count: int
    loaded_at: datetime = Field(description="When the screening index was built (UTC).")
