"""What the results page shows of a hit: its name alignment token by token and its evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.evidence import Feature
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.score import Explanation, Hit, PartMatch

__all__ = ["HOW_LABELS", "FeatureView", "HitView", "PartView", "TokenView", "hit_view"]

HOW_LABELS = {
    "exact": "Exact",
    "edit": "Spelling variant",
    "korean": "Korean spelling",
    "joined": "Joined",
    "initial": "Initial",
    "abbreviation": "Abbreviation",
    "numeral": "Number in words",
    "phonetic": "Sounds alike",
}
"""How two name parts aligned (``PartMatch.how``), as the legend and badges say it."""

_KIND_LABELS = {"primary": "primary name", "aka": "alias", "fka": "former name", "nka": "new name"}
_FEATURE_LABELS = {"birth_date": "Birth date", "country": "Country", "identifier": "Identifier"}
_SOURCE_LABELS = {
    "original": "as written",
    "anyascii": "transliterated to Latin",
    "korean": "Hangul romanized",
    "korean-words": "Hangul romanized word by word",
    "hanja": "Hanja read as Korean",
    "pinyin": "Chinese read as pinyin",
    "pinyin-words": "Chinese read as pinyin word by word",
}


@dataclass(frozen=True, slots=True)
class TokenView:
    """One token of the query or the listed name; ``how`` is None when it has no partner."""

    text: str
    how: str | None
    partner: str | None


@dataclass(frozen=True, slots=True)
class PartView:
    """One aligned pair of name parts."""

    query: str
    listed: str
    how: str
    label: str
    similarity: float


@dataclass(frozen=True, slots=True)
class FeatureView:
    """One piece of evidence: ``side`` is ``for``, ``against`` or ``neutral``."""

    label: str
    contribution: float
    detail: str
    side: str


@dataclass(frozen=True, slots=True)
class HitView:
    """A hit as the results list shows it."""

    rank: int
    hit: Hit
    kind_label: str
    via: str | None
    query_tokens: tuple[TokenView, ...]
    listed_tokens: tuple[TokenView, ...]
    parts: tuple[PartView, ...]
    features: tuple[FeatureView, ...]
    unused: tuple[str, ...]
    calculation: str


def _mark(tokens: tuple[str, ...], parts: list[PartMatch], side: str) -> tuple[TokenView, ...]:
    """Give each token the alignment it took part in, consuming repeated tokens left to right."""
    hows: list[tuple[str | None, str | None]] = [(None, None)] * len(tokens)
    for p in parts:
        mine, other = (p.query, p.listed) if side == "query" else (p.listed, p.query)
        for piece in mine.split():
            for i, token in enumerate(tokens):
                if token == piece and hows[i][0] is None:
                    hows[i] = (p.how, other)
                    break
    return tuple(TokenView(t, how, partner) for t, (how, partner) in zip(tokens, hows, strict=True))


def _position(part: PartMatch, tokens: tuple[str, ...]) -> int:
    first = part.query.split()[0] if part.query.split() else ""
    return tokens.index(first) if first in tokens else len(tokens)


def _part(p: PartMatch) -> PartView:
    return PartView(p.query, p.listed, p.how, HOW_LABELS.get(p.how, p.how), p.similarity)


def _feature(f: Feature) -> FeatureView:
    side = "for" if f.contribution > 0 else "against" if f.contribution < 0 else "neutral"
    label = _FEATURE_LABELS.get(f.name, f.name.replace("_", " ").capitalize())
    return FeatureView(label, f.contribution, f.detail, side)


def _via(ex: Explanation) -> str | None:
    base, _, extra = ex.transliteration.partition("+")
    label = _SOURCE_LABELS.get(base, base)
    if extra == "syllables":
        label += ", given name split into syllables"
    return None if label == "as written" else label


def _calculation(hit: Hit) -> str:
    """``Name 0.96 +0.08 -0.08 → score 0.96``, saying when the score was capped or raised."""
    ex = hit.explanation
    raw = ex.name_score + sum(f.contribution for f in ex.features)
    text = f"Name {ex.name_score:.2f}" + "".join(f" {f.contribution:+.2f}" for f in ex.features)
    text += f" → score {hit.score:.2f}"
    if any(f.name == "identifier" for f in ex.features) and hit.score > round(min(raw, 1.0), 4):
        text += " (raised above the alert threshold by the identifier match)"
    elif raw > 1.0:
        text += " (capped at 1)"
    elif raw < 0.0:
        text += " (floored at 0)"
    return text


def _unused(query: Query, ex: Explanation) -> tuple[str, ...]:
    """Query evidence the listing has nothing to compare with, e.g. ``country KP``."""
    used = {f.name for f in ex.features}
    given = [
        ("birth_date", f"birth date {query.birth_date}" if query.birth_date else None),
        ("country", f"country {query.country}" if query.country else None),
        ("identifier", "identifiers" if query.identifiers else None),
    ]
    return tuple(text for name, text in given if text and name not in used)


def hit_view(rank: int, hit: Hit, query: Query) -> HitView:
    """The display form of the ``rank``-th hit (1-based) of ``query``."""
    ex = hit.explanation
    parts = sorted(ex.parts, key=lambda p: _position(p, ex.query_tokens))
    kind = _KIND_LABELS.get(ex.name_kind, ex.name_kind)
    if ex.weak_alias:
        kind = f"weak {kind}"
    return HitView(
        rank=rank,
        hit=hit,
        kind_label=kind,
        via=_via(ex),
        query_tokens=_mark(ex.query_tokens, parts, "query"),
        listed_tokens=_mark(ex.listed_tokens, parts, "listed"),
        parts=tuple(_part(p) for p in parts),
        features=tuple(_feature(f) for f in ex.features),
        unused=_unused(query, ex),
        calculation=_calculation(hit),
    )
