"""From aligned names plus evidence to a scored hit: literal entities → score tables.

Three hand-made entities, so every token's information is known: each of ``ivan``, ``petrov``,
``maria``, ``ivanova``, ``masha``, ``trading`` and ``house`` is held by one of N = 3 entities and
weighs ``b = log2((N + 1) / (1 + 0.5)) = log2(8 / 3)`` bits; a token no entity holds weighs 12.
``min_information`` is 0 so that the name score is the raw alignment score.
"""

from __future__ import annotations

import math

import pytest

from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import BirthDate, Entity, Identifier, IdType, Name, Schema

B = math.log2(8 / 3)
CFG = ScoringConfig(min_information=0.0, min_score=0.3)
IVAN = "t:ivan"

ENTITIES = [
    Entity(
        id=IVAN,
        list_key="t",
        schema=Schema.PERSON,
        names=(Name("PETROV, Ivan"),),
        birth_dates=(BirthDate("1970-01-02"),),
        nationalities=("RU",),
        identifiers=(Identifier(IdType.PASSPORT, "AB 123456", label="Passport"),),
    ),
    Entity(
        id="t:maria",
        list_key="t",
        schema=Schema.PERSON,
        names=(Name("Maria Ivanova"), Name("Masha Ivanova", weak=True)),
    ),
    Entity(id="t:trading", list_key="t", schema=Schema.ORGANIZATION, names=(Name("Trading House"),)),
]

# "Ivan" against "PETROV, Ivan": matched b; totals b and 2b; denominator 1.5b + 0.5 × 0.5b.
HALF = 1 / 1.75


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ENTITIES, CFG)


def _hit(screener: Screener, query: Query, entity: str = IVAN, threshold: float | None = None):  # type: ignore[no-untyped-def]
    hits = [h for h in screener.screen(query, threshold=threshold) if h.entity_id == entity]
    assert len(hits) == 1, screener.screen(query, threshold=threshold)
    return hits[0]


@pytest.mark.parametrize(
    ("query", "score", "features"),
    [
        (Query.build("Ivan Petrov"), 1.0, {}),
        (Query.build("Ivan"), HALF, {}),
        (Query.build("Ivan", birth_date="1970-01-02"), HALF + 0.08, {"birth_date": 0.08}),
        (Query.build("Ivan", birth_date="1970-01"), HALF + 0.04, {"birth_date": 0.04}),
        (Query.build("Ivan", birth_date="1970"), HALF + 0.04, {"birth_date": 0.04}),
        (Query.build("Ivan", birth_date="1971"), HALF, {"birth_date": 0.0}),
        (Query.build("Ivan Petrov", birth_date="1950"), 0.70, {"birth_date": -0.30}),
        (Query.build("Ivan", country="RU"), HALF + 0.03, {"country": 0.03}),
        (Query.build("Ivan Petrov", country="FR"), 0.92, {"country": -0.08}),
        (
            Query.build("Ivan Petrov", birth_date="1970-01-02", country="RU"),
            1.0,
            {"birth_date": 0.08, "country": 0.03},
        ),
    ],
)
def test_name_plus_evidence(
    screener: Screener, query: Query, score: float, features: dict[str, float]
) -> None:
    hit = _hit(screener, query)
    assert hit.score == pytest.approx(score, abs=1e-4)
    assert {f.name: f.contribution for f in hit.explanation.features} == pytest.approx(features)
    assert hit.match is (hit.score >= CFG.threshold)


def test_explanation_names_the_listed_part_not_in_the_query(screener: Screener) -> None:
    ex = _hit(screener, Query.build("Ivan")).explanation
    assert ex.matched_name == "PETROV, Ivan"
    assert [(p.query, p.listed, p.how) for p in ex.parts] == [("ivan", "ivan", "exact")]
    assert ex.unmatched_listed == ("petrov",)
    assert ex.unmatched_query == ()


def test_weak_alias_scores_less(screener: Screener) -> None:
    hit = _hit(screener, Query.build("Masha Ivanova"), "t:maria")
    assert hit.explanation.weak_alias
    assert hit.score == pytest.approx(0.95)


# "Ivan Sidorov" against "PETROV, Ivan": sidorov is unseen (12 bits). Matched b; totals b + 12
# and 2b; mean (3b + 12) / 2; denominator mean + 0.5 × (b + 12 − mean) = (5b + 36) / 4.
LOOSE = 4 * B / (5 * B + 36)


@pytest.mark.parametrize(
    ("threshold", "score", "match"),
    [
        (None, 0.80 + 0.10, True),  # the configured threshold + the floor margin
        (0.95, 1.0, True),  # the request's threshold + 0.10, capped at 1: still an alert
        (0.50, 0.60, True),
    ],
)
def test_identifier_match_floors_at_the_requests_threshold(
    screener: Screener, threshold: float | None, score: float, match: bool
) -> None:
    assert LOOSE + CFG.identifier_match_bonus < 0.6  # the floor, not the bonus, decides here
    hit = _hit(screener, Query.build("Ivan Sidorov", identifiers=["AB-123456"]), threshold=threshold)
    assert hit.score == pytest.approx(score)
    assert hit.match is match
    assert [f.name for f in hit.explanation.features] == ["identifier"]


def test_identifier_bonus_above_the_floor_is_kept(screener: Screener) -> None:
    # Exact name + identifier: 1 + 0.40, capped at 1.
    hit = _hit(screener, Query.build("Ivan Petrov", identifiers=["AB123456"]))
    assert hit.score == 1.0


def test_schema_differs_is_not_a_hit(screener: Screener) -> None:
    assert [h.entity_id for h in screener.screen(Query.build("Ivan Petrov"))] == [IVAN]
    assert screener.screen(Query.build("Ivan Petrov", schema="Organization")) == []


def test_compare_scores_a_pair_with_the_lists_rarity(screener: Screener) -> None:
    same = screener.compare("Ivan Petrov", "PETROV, Ivan")
    half = screener.compare("Ivan", "Ivan Petrov")
    assert same.score == pytest.approx(1.0)
    assert half.score == pytest.approx(HALF, abs=1e-4)
    assert half.explanation.unmatched_listed == ("petrov",)
