"""Evidence beside the name: birth date, country, identifiers and schema.

Each function returns a :class:`Feature`: its signed contribution to the score and a one-line
reason an analyst can read ("born 1984-01-08 = listed 1984-01-08").
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.query import Query, normalize_identifier
from sanctionwatch.model import BirthDate, Entity, Schema

__all__ = [
    "Feature",
    "birth_date_feature",
    "country_feature",
    "entity_countries",
    "identifier_feature",
    "schema_compatible",
]


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence and what it did to the score."""

    name: str
    contribution: float
    detail: str


def schema_compatible(query: Schema | None, listed: Schema) -> bool:
    """Whether a listed entity of schema ``listed`` may answer a query for ``query``."""
    return query is None or query == listed


def _year_range(bd: BirthDate) -> tuple[int, int]:
    start = int(bd.date[:4])
    end = int(bd.to[:4]) if bd.to else start
    if bd.circa:
        return start - 2, end + 2
    return start, end


def birth_date_feature(
    query: str | None, listed: tuple[BirthDate, ...], cfg: ScoringConfig
) -> Feature | None:
    """Compare the query's birth date with the listed ones; the best agreement wins.

    Day-precision equality is strong support; the same year (or a year inside a listed range or
    circa span) is mild support; years more than one apart on every listed date contradict.
    """
    if not query or not listed:
        return None
    year = int(query[:4])
    best: Feature | None = None
    for bd in listed:
        low, high = _year_range(bd)
        shown = bd.date + (f"..{bd.to}" if bd.to else "") + (" (circa)" if bd.circa else "")
        if len(query) == 10 and len(bd.date) == 10 and not bd.to and query == bd.date:
            return Feature("birth_date", cfg.dob_match_bonus, f"born {query} = listed {shown}")
        if len(query) >= 7 and len(bd.date) >= 7 and not bd.to and query[:7] == bd.date[:7]:
            cand = Feature("birth_date", cfg.dob_year_bonus, f"born {query} ~ listed {shown} (same month)")
        elif low <= year <= high:
            cand = Feature("birth_date", cfg.dob_year_bonus, f"born {query} ~ listed {shown} (same year)")
        elif low - 1 <= year <= high + 1:
            cand = Feature("birth_date", 0.0, f"born {query} near listed {shown} (one year apart)")
        else:
            cand = Feature("birth_date", -cfg.dob_mismatch_penalty, f"born {query} ≠ listed {shown}")
        if best is None or cand.contribution > best.contribution:
            best = cand
    return best


def entity_countries(entity: Entity) -> frozenset[str]:
    """Every country the entity is tied to: nationality, residence, birth place, flag, addresses."""
    out = set(entity.nationalities) | set(entity.countries)
    out.update(p.country for p in entity.birth_places if p.country)
    out.update(a.country for a in entity.addresses if a.country)
    if entity.flag:
        out.add(entity.flag)
    return frozenset(c.upper() for c in out)


def country_feature(query: str | None, countries: frozenset[str], cfg: ScoringConfig) -> Feature | None:
    """Query country among the entity's countries supports; a disjoint set mildly contradicts."""
    if not query or not countries:
        return None
    if query.upper() in countries:
        return Feature("country", cfg.country_match_bonus, f"country {query} is listed")
    shown = ", ".join(sorted(countries))
    return Feature("country", -cfg.country_mismatch_penalty, f"country {query} not among listed {shown}")


def identifier_feature(query: Query, entity: Entity, cfg: ScoringConfig) -> Feature | None:
    """An identifier equal in compare form (passport, IMO, registration...) is strong evidence."""
    if not query.identifiers or not entity.identifiers:
        return None
    wanted = set(query.identifiers)
    for ident in entity.identifiers:
        if normalize_identifier(ident.value) in wanted:
            label = ident.label or str(ident.type)
            return Feature("identifier", cfg.identifier_match_bonus, f"{label} {ident.value} matches")
    return None
