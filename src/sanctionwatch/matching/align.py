"""Part-by-part alignment of a query name with a listed name, and the name score it yields.

Both sides are token sequences with information weights (rare parts weigh more). Each query token
carries a *match table*: the listed vocabulary tokens it resembles and how much (found by the index
or, for cross-checks, by an exhaustive scan — the alignment is the same either way). Tokens pair up
greedily, best similarity first, order-insensitive; two adjacent tokens may pair with one joined
token (``jong un`` ~ ``jongun``, ``abdul hai`` ~ ``abdulhai``), exactly only.

The name score is a weighted Dice coefficient: twice the matched weight over the total weight of
both names, scaled down when the matched parts carry too little information (a lone ``Kim``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Aligned", "ListedForm", "NameScore", "QueryForm", "align", "upper_bound"]


@dataclass(frozen=True, slots=True)
class ListedForm:
    """One comparable form of one listed name, as the index holds it.

    Attributes:
        entity: Index of the entity in the index's entity list.
        name: Index of the name within the entity's names.
        tids: Vocabulary ids of the tokens, in order (stop words removed).
        weights: Information weight of each token (kind factors applied).
        joins: ``(tid of the joined token, position j)`` for each adjacent pair ``j, j+1``.
        total: Sum of ``weights``.
    """

    entity: int
    name: int
    tids: tuple[int, ...]
    weights: tuple[float, ...]
    joins: tuple[tuple[int, int], ...]
    total: float


@dataclass(frozen=True, slots=True)
class QueryForm:
    """One comparable form of the query name.

    Attributes:
        texts: The folded tokens.
        weights: Information weight of each token.
        matches: Per token, vocabulary id to similarity (> 0).
        join_matches: ``(i, tid)`` where tokens ``i, i+1`` joined equal vocabulary token ``tid``.
        total: Sum of ``weights``.
        source: Which transliteration produced the form.
    """

    texts: tuple[str, ...]
    weights: tuple[float, ...]
    matches: tuple[Mapping[int, float], ...]
    join_matches: tuple[tuple[int, int], ...]
    total: float
    source: str


@dataclass(frozen=True, slots=True)
class Aligned:
    """One aligned pair: query positions ``q`` with listed positions ``l`` at ``similarity``."""

    q: tuple[int, ...]
    l: tuple[int, ...]  # noqa: E741 - mirrors q
    similarity: float
    weight: float


@dataclass(frozen=True, slots=True)
class NameScore:
    """The outcome of aligning one query form with one listed form."""

    score: float
    raw: float
    information: float
    pairs: tuple[Aligned, ...]


def align(q: QueryForm, lf: ListedForm, min_information: float, strictness: float) -> NameScore:
    """Align ``q`` with ``lf`` and score the names.

    Args:
        q: The query form with its match tables.
        lf: The listed form.
        min_information: Matched bits needed for an unscaled score.
        strictness: 0 scores by weighted Dice; 1 divides by the heavier name's weight.
    """
    cands: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
    tids = lf.tids
    for i, table in enumerate(q.matches):
        if not table:
            continue
        wq = q.weights[i]
        for j, t in enumerate(tids):
            s = table.get(t)
            if s:
                cands.append((s, s * (wq + lf.weights[j]), (i,), (j,)))
        for t, j in lf.joins:
            if table.get(t) == 1.0:
                w = wq + lf.weights[j] + lf.weights[j + 1]
                cands.append((1.0, w, (i,), (j, j + 1)))
    for i, t in q.join_matches:
        for j, lt in enumerate(tids):
            if lt == t:
                w = q.weights[i] + q.weights[i + 1] + lf.weights[j]
                cands.append((1.0, w, (i, i + 1), (j,)))
    if not cands:
        return NameScore(0.0, 0.0, 0.0, ())
    cands.sort(key=_order, reverse=True)
    used_q: set[int] = set()
    used_l: set[int] = set()
    pairs: list[Aligned] = []
    matched = 0.0
    info = 0.0
    for s, w, qi, lj in cands:
        if used_q.intersection(qi) or used_l.intersection(lj):
            continue
        used_q.update(qi)
        used_l.update(lj)
        pairs.append(Aligned(qi, lj, s, w / 2))
        matched += w / 2
        info += s * min(sum(q.weights[i] for i in qi), sum(lf.weights[j] for j in lj))
    denom = _denominator(q.total, lf.total, strictness)
    raw = min(1.0, matched / denom) if denom > 0 else 0.0
    scale = min(1.0, info / min_information) if min_information > 0 else 1.0
    return NameScore(raw * scale, raw, info, tuple(pairs))


def _order(c: tuple[float, float, tuple[int, ...], tuple[int, ...]]) -> tuple[float, float]:
    return (c[0], c[1])


def _denominator(q_total: float, l_total: float, strictness: float) -> float:
    mean = (q_total + l_total) / 2
    return mean + strictness * (max(q_total, l_total) - mean)


def upper_bound(matched: float, q_total: float, l_total: float, strictness: float) -> float:
    """An upper bound of :func:`align`'s raw score given an upper bound of the matched weight."""
    denom = _denominator(q_total, l_total, strictness)
    return 1.0 if denom <= 0 else min(1.0, matched / denom)
