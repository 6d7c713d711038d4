"""Request and response models of the yente-compatible API, shaped as yente writes them.

Field names follow yente's wire format (``schema``, ``properties`` as lists of strings, ``total``
with ``value``/``relation``) so existing yente clients read our responses unchanged; fields yente
does not have (``explanation``, ``list_key``, ``record``...) are additions clients ignore.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from sanctionwatch.api.ftm import FtmSchemaName
from sanctionwatch.api.models import ExplanationModel

__all__ = [
    "AlgorithmModel",
    "AlgorithmsResponse",
    "CatalogResponse",
    "DatasetModel",
    "EntityExample",
    "EntityMatchQuery",
    "EntityMatchResponse",
    "EntityMatches",
    "EntityRecord",
    "EntityResponse",
    "FeatureDoc",
    "FeatureExplanation",
    "FullEntityResponse",
    "ScoredEntityResponse",
    "SearchFacet",
    "SearchFacetItem",
    "SearchResponse",
    "TotalSpec",
]

PropertyValue = Annotated[str, StringConstraints(max_length=1000)]


class EntityExample(BaseModel):
    """One query entity: an FtM schema and properties (each a string or a list of strings)."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", strict=True)

    id: str | None = Field(None, max_length=200, examples=["my-entity-id"])
    schema_: FtmSchemaName = Field(alias="schema", examples=["Person"])
    properties: dict[str, PropertyValue | list[PropertyValue]] = Field(
        examples=[{"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"], "nationality": ["kp"]}]
    )


class EntityMatchQuery(BaseModel):
    """Body of ``POST /match/{dataset}``: query entities by the caller's keys."""

    model_config = ConfigDict(
        extra="ignore",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "queries": {
                        "q1": {
                            "schema": "Person",
                            "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"]},
                        },
                        "q2": {"schema": "Company", "properties": {"name": ["Korea Mining Development"]}},
                    }
                }
            ]
        },
    )

    queries: dict[str, EntityExample] = Field(min_length=1, description="Query entities by your own keys.")
    weights: dict[str, float] = Field(
        default_factory=dict,
        json_schema_extra={"maxProperties": 0},
        description="yente feature weights: must be empty (sanctionwatch's scorer is set on the server).",
    )
    config: dict[str, Any] = Field(
        default_factory=dict,
        json_schema_extra={"maxProperties": 0},
        description="yente algorithm configuration: must be empty.",
    )

    @field_validator("weights", "config")
    @classmethod
    def _empty(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value:
            raise ValueError(
                "per-request weights and configuration are not supported; sanctionwatch's scorer is "
                "configured on the server (docs/matching.md)"
            )
        return value


class TotalSpec(BaseModel):
    """How many results there are in all."""

    value: int
    relation: str = Field("eq", examples=["eq"])


class EntityResponse(BaseModel):
    """An entity in yente's shape."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(examples=["us-ofac-sdn:20157"])
    caption: str = Field(examples=["KIM, Jong Un"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str | EntityResponse]] = Field(examples=[{"name": ["KIM, Jong Un"]}])
    datasets: list[str] = Field(examples=[["us-ofac-sdn"]])
    referents: list[str]
    target: bool
    first_seen: datetime | None
    last_seen: datetime | None = Field(description="Date of the active list version holding it.")
    last_change: datetime | None


class FeatureExplanation(BaseModel):
    """One feature of a score, as yente's explanations write it."""

    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None
    weight: float | None = None


class ScoredEntityResponse(EntityResponse):
    """A ``/match`` result: the entity, its score, features and explanation."""

    score: float = Field(ge=0.0, le=1.0)
    match: bool
    features: dict[str, float] = Field(examples=[{"name": 1.0, "birth_date": 0.08}])
    explanations: dict[str, FeatureExplanation]
    explanation: ExplanationModel = Field(description="sanctionwatch's full explanation of the hit.")


class EntityMatches(BaseModel):
    """The results of one query of a ``/match`` request."""

    model_config = ConfigDict(populate_by_name=True)

    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    """What one scoring feature measures."""

    description: str
    coefficient: float
    url: str | None = None


class EntityMatchResponse(BaseModel):
    """Result of ``POST /match/{dataset}``."""

    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class SearchFacetItem(BaseModel):
    """One value of a facet and how many results carry it."""

    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    """Counts of the results by one property."""

    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    """Result of ``GET /search/{dataset}``: entities best first (by name similarity to ``q``)."""

    results: list[EntityResponse]
    facets: dict[str, SearchFacet]
    total: TotalSpec
    limit: int
    offset: int


class NameRecord(BaseModel):
    """A name as the list writes it."""

    full: str
    kind: str | None = None
    weak: bool | None = None
    script: str | None = None
    lang: str | None = None
    first: str | None = None
    last: str | None = None


class EntityRecord(BaseModel):
    """The entity as sanctionwatch stores it (every field of the list record; empty ones omitted)."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    id: str
    list_key: str
    schema_: str = Field(alias="schema")
    names: list[NameRecord]
    birth_dates: list[dict[str, Any]] | None = None
    birth_places: list[dict[str, Any]] | None = None
    nationalities: list[str] | None = None
    countries: list[str] | None = None
    addresses: list[dict[str, Any]] | None = None
    identifiers: list[dict[str, Any]] | None = None
    programs: list[str] | None = None
    listed_on: str | None = None
    remarks: str | None = None
    links: list[dict[str, Any]] | None = None


class FullEntityResponse(EntityResponse):
    """Result of ``GET /entities/{id}``: yente's entity shape plus the stored record."""

    list_key: str
    list_version: int | None
    record: EntityRecord


class DatasetModel(BaseModel):
    """One dataset of the catalog: ``default`` or one list."""

    name: str = Field(examples=["un-sc"])
    title: str
    summary: str | None = None
    load: bool = True
    version: str = Field(description="The list version id (default: every list's, joined).")
    index_version: str | None = None
    index_current: bool = True
    children: list[str] = Field(description="For default: the lists it covers.")
    entity_count: int
    updated_at: datetime | None = Field(description="Publication date of the list version (or import time).")
    published: str | None = Field(None, description="Publication date the list files state.")
    list_version: int | None = Field(None, description="Store id of the active list version.")


class CatalogResponse(BaseModel):
    """Result of ``GET /catalog``."""

    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class AlgorithmModel(BaseModel):
    """One algorithm name the server accepts."""

    name: str
    description: str
    features: dict[str, FeatureDoc]


class AlgorithmsResponse(BaseModel):
    """Result of ``GET /algorithms``."""

    algorithms: list[AlgorithmModel]
    default: str
    best: str
