"""Query forms and exact candidate retrieval (MaxScore) over a :class:`NameIndex`.

For each query form, each query token (and each adjacent pair joined) is a *unit* whose best
possible contribution to a form's matched weight is known from its match table. Units are taken
from the commonest up; a prefix of common units is *non-essential* when a form matching nothing
but those units could not reach the minimum score. Only the postings of essential units seed
candidates, each candidate gets an upper bound of its name score, and candidates are scored best
bound first until the bound falls below what can still be returned. Nothing the scorer would
return is lost (tests cross-check against an exhaustive scan).
"""

from __future__ import annotations

from dataclasses import dataclass

from sanctionwatch.matching.align import QueryForm, upper_bound
from sanctionwatch.matching.index import NameIndex
from sanctionwatch.matching.tokens import query_tokens

__all__ = ["Candidate", "candidates", "prepare"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed form worth scoring, with an upper bound of its name score."""

    bound: float
    form: int


def prepare(index: NameIndex, name: str) -> list[QueryForm]:
    """The query forms of ``name``, each token looked up in the index."""
    cache: dict[str, dict[int, float]] = {}
    out: list[QueryForm] = []
    cfg = index.config
    for source, specs in query_tokens(name, cfg):
        texts = tuple(s.text for s in specs)
        matches = []
        weights = []
        for s in specs:
            m = cache.get(s.text)
            if m is None:
                m = cache[s.text] = index.lookup(s.text)
            matches.append(m)
            weights.append(index.token_bits(s.text, m) * s.factor)
        joins = []
        for i in range(len(specs) - 1):
            if specs[i].joinable and specs[i + 1].joinable:
                tid = index.vocab.get(specs[i].text + specs[i + 1].text)
                if tid is not None and index.real[tid]:
                    joins.append((i, tid))
        out.append(QueryForm(texts, tuple(weights), tuple(matches), tuple(joins), sum(weights), source))
    return out


def _units(index: NameIndex, q: QueryForm) -> list[tuple[int, float, float, float, list[tuple[int, float]]]]:
    """Per unit: (postings size, query weight, max listed weight, max contribution, [(tid, contribution)])."""
    units = []
    for i, table in enumerate(q.matches):
        if not table:
            continue
        wq = q.weights[i]
        contribs = [(tid, s * (wq + index.listed_weight(tid)) / 2) for tid, s in table.items()]
        size = sum(len(index.postings[t]) for t in table)
        wl = max(index.listed_weight(t) for t in table)
        units.append((size, wq, wl, max(c for _, c in contribs), contribs))
    for i, tid in q.join_matches:
        wq = q.weights[i] + q.weights[i + 1]
        wl = index.listed_weight(tid)
        c = (wq + wl) / 2
        units.append((len(index.postings[tid]), wq, wl, c, [(tid, c)]))
    return units


def candidates(index: NameIndex, q: QueryForm, floor: float) -> list[Candidate]:
    """Forms whose name score may reach ``floor``, best upper bound first.

    Args:
        index: The index.
        q: A prepared query form.
        floor: The lowest name score still of interest (minimum score less possible evidence).
    """
    units = _units(index, q)
    if not units or q.total <= 0:
        return []
    units.sort(key=lambda u: -u[0])
    # Longest prefix of common units that cannot reach the floor on their own.
    essential_from = 0
    covered = 0.0
    listed = 0.0
    strict = index.config.coverage_strictness
    for k, (_, wq, wl, _c, _contribs) in enumerate(units):
        covered += wq
        listed += wl
        # A form matching only these units: matched <= (covered + listed) / 2, and its own weight
        # is at least ``listed`` (the matched listed parts are in it).
        bound = upper_bound((covered + listed) / 2, q.total, listed, strict)
        if bound >= floor:
            break
        essential_from = k + 1
    rest = sum(u[3] for u in units[:essential_from])
    acc: dict[int, float] = {}
    postings = index.postings
    for *_, contribs in units[essential_from:]:
        best: dict[int, float] = {}
        for tid, c in contribs:
            for f in postings[tid]:
                if best.get(f, 0.0) < c:
                    best[f] = c
        for f, c in best.items():
            acc[f] = acc.get(f, 0.0) + c
    forms = index.forms
    out = []
    denom_q = q.total
    for f, a in acc.items():
        bound = upper_bound(a + rest, denom_q, forms[f].total, strict)
        if bound >= floor:
            out.append(Candidate(bound, f))
    out.sort(key=lambda c: -c.bound)
    return out
