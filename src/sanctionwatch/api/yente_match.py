"""yente's query-by-example: an FtM entity (schema + properties) screened as our queries.

An example may carry several names, birth dates and countries; each combination is screened (a
handful of values at most, see the limits below) and every listed entity keeps its best score, so
a second alias or a second candidate birth date can only help, as in yente.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from sanctionwatch.api.ftm import IDENTIFIER_PROPERTIES, entity_response, query_schema
from sanctionwatch.api.yente_models import EntityExample
from sanctionwatch.countries import country_code
from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import MAX_NAME_LENGTH
from sanctionwatch.matching.query import Query as ScreeningQuery
from sanctionwatch.matching.score import Hit
from sanctionwatch.model import Schema
from sanctionwatch.service import Snapshot

__all__ = [
    "MAX_COUNTRIES",
    "MAX_DATES",
    "MAX_IDENTIFIERS",
    "MAX_NAMES",
    "SCREEN_ALL",
    "Example",
    "ExampleError",
    "example_echo",
    "parse_example",
    "scored_entity",
    "screen_example",
]

MAX_NAMES = 10
MAX_DATES = 3
MAX_COUNTRIES = 3
MAX_IDENTIFIERS = 20
SCREEN_ALL = 10_000
"""Limit passed to the screener when every hit above the floor is wanted (for totals and filters)."""

_NAME_PROPERTIES = ("name", "alias", "previousName")
_NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
_DATE_PROPERTIES = ("birthDate", "incorporationDate")
_COUNTRY_PROPERTIES = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry", "flag")
_FTM_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T[0-9:.]*Z?)?$", re.ASCII)


class ExampleError(InputError):
    """An invalid value in a query example; ``path`` locates it (``properties``, ``birthDate``)."""

    def __init__(self, path: tuple[str, ...], message: str) -> None:
        self.path = path
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Example:
    """A query example, validated: the values each combination is built from."""

    schema: Schema | None
    names: tuple[str, ...]
    dates: tuple[str | None, ...]
    countries: tuple[str | None, ...]
    identifiers: tuple[str, ...]


def _values(props: dict[str, str | list[str]], key: str) -> list[str]:
    raw = props.get(key, [])
    values = [raw] if isinstance(raw, str) else raw
    return [v.strip() for v in values if v.strip()]


def _limited(values: list[str], most: int, what: str, key: str) -> list[str]:
    unique = list(dict.fromkeys(values))
    if len(unique) > most:
        raise ExampleError(("properties", key), f"{len(unique)} {what}, at most {most} allowed")
    return unique


def parse_example(example: EntityExample) -> Example:
    """Validate an example's schema and the properties we screen with.

    Raises:
        ExampleError: Unknown schema, no name, a name over 500 characters, a malformed date or an
            unknown country; ``path`` names the property.
    """
    try:
        schema = query_schema(example.schema_)
    except InputError as exc:
        raise ExampleError(("schema",), str(exc).partition(": ")[2]) from None
    props = example.properties
    names = [v for key in _NAME_PROPERTIES for v in _values(props, key)]
    if not names:
        joined = " ".join(v for key in _NAME_PARTS for v in _values(props, key)[:1])
        names = [joined] if joined else []
    if not names:
        raise ExampleError(("properties", "name"), "no name given (name, alias or firstName/lastName)")
    for key in (*_NAME_PROPERTIES, *_NAME_PARTS):
        for value in _values(props, key):
            if len(value) > MAX_NAME_LENGTH:
                raise ExampleError(
                    ("properties", key), f"{len(value)} characters, at most {MAX_NAME_LENGTH} allowed"
                )
    dates: list[str] = []
    for key in _DATE_PROPERTIES:
        for value in _values(props, key):
            m = _FTM_DATE.match(value)
            if m is None:
                raise ExampleError(("properties", key), f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            try:
                ScreeningQuery.build("x", birth_date=m.group(1))
            except InputError as exc:
                raise ExampleError(("properties", key), str(exc).partition(": ")[2]) from None
            dates.append(m.group(1))
    countries: list[str] = []
    for key in _COUNTRY_PROPERTIES:
        for value in _values(props, key):
            code = country_code(value)
            if code is None:
                raise ExampleError(("properties", key), f"unknown country {value!r}; use ISO 3166 alpha-2")
            countries.append(code)
    idents = [v for key in sorted(IDENTIFIER_PROPERTIES) for v in _values(props, key)]
    return Example(
        schema=schema,
        names=tuple(_limited(names, MAX_NAMES, "names", "name")),
        dates=tuple(_limited(dates, MAX_DATES, "dates", "birthDate")) or (None,),
        countries=tuple(_limited(countries, MAX_COUNTRIES, "countries", "country")) or (None,),
        identifiers=tuple(_limited(idents, MAX_IDENTIFIERS, "identifiers", "idNumber")),
    )


def screen_example(snapshot: Snapshot, example: Example, threshold: float, lists: Sequence[str]) -> list[Hit]:
    """Every hit of the example above the screener's floor, best first (best score per entity)."""
    screener = snapshot.screener
    best: dict[str, Hit] = {}
    for name, date, country in product(example.names, example.dates, example.countries):
        query = ScreeningQuery.build(name, example.schema, date, country, example.identifiers)
        for hit in screener.screen(query, limit=SCREEN_ALL, threshold=threshold, lists=lists):
            prev = best.get(hit.entity_id)
            if prev is None or hit.score > prev.score:
                best[hit.entity_id] = hit
    rank = screener.config.list_rank
    return sorted(best.values(), key=lambda h: (-h.score, rank(h.list_key), h.entity_id))


def example_echo(example: EntityExample) -> dict[str, Any]:
    """The example as received, every property as a list (yente's ``query``)."""
    props = {k: [v] if isinstance(v, str) else list(v) for k, v in example.properties.items()}
    return {"id": example.id, "schema": example.schema_, "properties": props}


def scored_entity(snapshot: Snapshot, hit: Hit) -> dict[str, Any]:
    """A hit in yente's scored-entity shape, with our explanation beside yente's feature map."""
    index = snapshot.screener.index
    entity = index.entities[index.by_id[hit.entity_id]]
    data = hit.to_dict()
    explanation = data["explanation"]
    out = entity_response(entity, snapshot.versions.get(entity.list_key))
    features = {"name": explanation["name_score"]}
    explanations: dict[str, dict[str, Any]] = {
        "name": {
            "score": explanation["name_score"],
            "detail": explanation["summary"],
            "query": explanation["query_name"],
            "candidate": explanation["matched_name"],
            "weight": 1.0,
        }
    }
    for feature in explanation["features"]:
        features[feature["name"]] = feature["contribution"]
        explanations[feature["name"]] = {"score": feature["contribution"], "detail": feature["detail"]}
    out.update(
        score=hit.score,
        match=hit.match,
        features=features,
        explanations=explanations,
        explanation=explanation,
    )
    return out
