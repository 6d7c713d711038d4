"""From an aligned name plus evidence to a scored, explained :class:`Hit`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sanctionwatch.matching.align import ListedForm, NameScore, QueryForm
from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.evidence import (
    Feature,
    birth_date_feature,
    country_feature,
    identifier_feature,
)
from sanctionwatch.matching.index import NameIndex
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.similarity import kin_rule
from sanctionwatch.text.korean import syllable_key

__all__ = ["Explanation", "Hit", "PartMatch", "build_hit"]


@dataclass(frozen=True, slots=True)
class PartMatch:
    """How one part of the query name aligned with one part of the listed name."""

    query: str
    listed: str
    similarity: float
    how: str
    weight: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a hit scored what it scored.

    Attributes:
        query_name: The name as screened.
        matched_name: The listed name that matched best.
        name_kind: primary, aka, fka or nka.
        weak_alias: The matched name is a low-quality alias.
        transliteration: Which form of the query matched (``latin``, ``hangul→dprk``...).
        query_tokens: The query form's tokens.
        listed_tokens: The listed form's tokens.
        parts: Aligned parts.
        unmatched_query: Query parts without a partner.
        unmatched_listed: Listed parts without a partner.
        name_score: The name similarity before evidence.
        features: Evidence and what each added or took away.
        coverage: When the name score is the coverage score (a short form of the listed name,
            or a query holding the whole of a shorter listed name) or the query named an office
            of the listed organization, what was left out, e.g. ``listed middle name not in
            query: husseini``, ``query office not in listed name: dubai branch``; else empty.
    """

    query_name: str
    matched_name: str
    name_kind: str
    weak_alias: bool
    transliteration: str
    query_tokens: tuple[str, ...]
    listed_tokens: tuple[str, ...]
    parts: tuple[PartMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    name_score: float
    features: tuple[Feature, ...]
    coverage: str = ""

    def summary(self) -> str:
        """One line: the aligned parts and each feature's contribution."""
        parts = ", ".join(
            p.query if p.how == "exact" else f"{p.query}~{p.listed} ({p.how} {p.similarity:.2f})"
            for p in self.parts
        )
        if self.coverage:
            extra = [self.coverage]
        else:
            extra = [f"missing {' '.join(self.unmatched_listed)}"] if self.unmatched_listed else []
            extra += [f"unmatched {' '.join(self.unmatched_query)}"] if self.unmatched_query else []
        feats = [f"{f.name} {f.contribution:+.2f}" for f in self.features]
        weak = " (weak alias)" if self.weak_alias else ""
        return "; ".join([f"name {self.name_score:.2f} [{parts}]{weak}", *extra, *feats])


@dataclass(frozen=True, slots=True)
class Hit:
    """One listed entity a query may be, best first in results."""

    entity_id: str
    score: float
    match: bool
    matched_name: str
    list_key: str
    schema: str
    caption: str
    programs: tuple[str, ...]
    explanation: Explanation

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the batch and API hit format)."""
        out = asdict(self)
        out["programs"] = list(self.programs)
        out["explanation"]["summary"] = self.explanation.summary()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hit:
        """The hit ``to_dict()`` gave ``data`` (a stored alert's hit, a hit screened on Spark).

        Raises:
            KeyError: A field is missing (a hit stored in an older format).
            TypeError: A field has the wrong shape.
        """
        ex = data["explanation"]
        explanation = Explanation(
            query_name=ex["query_name"],
            matched_name=ex["matched_name"],
            name_kind=ex["name_kind"],
            weak_alias=bool(ex["weak_alias"]),
            transliteration=ex["transliteration"],
            query_tokens=tuple(ex["query_tokens"]),
            listed_tokens=tuple(ex["listed_tokens"]),
            parts=tuple(
                PartMatch(p["query"], p["listed"], p["similarity"], p["how"], p["weight"])
                for p in ex["parts"]
            ),
            unmatched_query=tuple(ex["unmatched_query"]),
            unmatched_listed=tuple(ex["unmatched_listed"]),
            name_score=ex["name_score"],
            features=tuple(Feature(**f) for f in ex["features"]),
            coverage=ex.get("coverage", ""),
        )
        return cls(
            entity_id=data["entity_id"],
            score=data["score"],
            match=bool(data["match"]),
            matched_name=data["matched_name"],
            list_key=data["list_key"],
            schema=data["schema"],
            caption=data["caption"],
            programs=tuple(data["programs"]),
            explanation=explanation,
        )


def _how(q: str, listed: str, span: int) -> str:
    if span > 1:
        return "joined"
    if q == listed:
        return "exact"
    if (len(q) == 1 or len(listed) == 1) and q[0] == listed[0]:
        return "initial"
    rule = kin_rule(q, listed)
    if rule is not None and rule != "phonetic":
        return rule
    key = syllable_key(q)
    if key is not None and key == syllable_key(listed):
        return "korean"
    return rule or "edit"


def _coverage(covered: str, unmatched_q: tuple[str, ...], unmatched_l: tuple[str, ...], source: str) -> str:
    """The explanation's note on a coverage score or a dropped office (see :class:`Explanation`)."""
    if "+office-dropped(" in source:
        office = source.split("+office-dropped(", 1)[1].split(")", 1)[0]
        return f"query office not in listed name: {office}"
    if covered == "query" and unmatched_l:
        n = len(unmatched_l)
        return f"listed {'middle name' if n == 1 else 'middle names'} not in query: {' '.join(unmatched_l)}"
    if covered == "listed" and unmatched_q:
        n = len(unmatched_q)
        return f"query {'name part' if n == 1 else 'name parts'} not listed: {' '.join(unmatched_q)}"
    return ""


def build_hit(
    index: NameIndex,
    query: Query,
    q: QueryForm,
    form: ListedForm,
    name: NameScore,
    threshold: float,
    cfg: ScoringConfig,
) -> Hit:
    """Combine the best name alignment of an entity with its evidence into a hit."""
    entity = index.entities[form.entity]
    listed_name = entity.names[form.name]
    listed_texts = tuple(index.tokens[t] for t in form.tids)
    name_score = name.score * (cfg.weak_alias_factor if listed_name.weak else 1.0)
    features: list[Feature] = []
    for feat in (
        birth_date_feature(query.birth_date, entity.birth_dates, cfg),
        country_feature(query.country, index.countries[form.entity], cfg),
        identifier_feature(query, entity, cfg),
    ):
        if feat is not None:
            features.append(feat)
    score = name_score + sum(f.contribution for f in features)
    if any(f.name == "identifier" for f in features):
        score = max(score, threshold + cfg.identifier_floor_margin)
    score = round(min(1.0, max(0.0, score)), 4)
    parts = []
    used_q: set[int] = set()
    used_l: set[int] = set()
    for p in name.pairs:
        qt = " ".join(q.texts[i] for i in p.q)
        lt = " ".join(listed_texts[j] for j in p.l)
        span = max(len(p.q), len(p.l))
        parts.append(PartMatch(qt, lt, round(p.similarity, 3), _how(qt, lt, span), round(p.weight, 2)))
        used_q.update(p.q)
        used_l.update(p.l)
    unmatched_q = tuple(t for i, t in enumerate(q.texts) if i not in used_q)
    unmatched_l = tuple(t for j, t in enumerate(listed_texts) if j not in used_l)
    explanation = Explanation(
        query_name=query.name,
        matched_name=listed_name.full,
        name_kind=str(listed_name.kind),
        weak_alias=listed_name.weak,
        transliteration=q.source,
        query_tokens=q.texts,
        listed_tokens=listed_texts,
        parts=tuple(parts),
        unmatched_query=unmatched_q,
        unmatched_listed=unmatched_l,
        name_score=round(name_score, 4),
        features=tuple(features),
        coverage=_coverage(name.covered, unmatched_q, unmatched_l, q.source),
    )
    return Hit(
        entity_id=entity.id,
        score=score,
        match=score >= threshold,
        matched_name=listed_name.full,
        list_key=entity.list_key,
        schema=str(entity.schema),
        caption=entity.caption,
        programs=entity.programs,
        explanation=explanation,
    )
