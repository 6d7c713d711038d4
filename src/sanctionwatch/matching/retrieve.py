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

import dataclasses

from sanctionwatch.matching.align import AlignParams, QueryForm, form_letters, is_numeral, upper_bound
from sanctionwatch.matching.bounds import cover_bound
from sanctionwatch.matching.index import NameIndex
from sanctionwatch.matching.tokens import query_tokens
from sanctionwatch.text.korean import is_korean_surname, syllable_key
from sanctionwatch.text.scripts import SYLLABLE_SOURCES

__all__ = ["candidates", "coverable", "prepare"]


def prepare(index: NameIndex, name: str) -> list[QueryForm]:
    """The query forms of ``name``, each token looked up in the index."""
    cache: dict[str, dict[int, float]] = {}
    out: list[QueryForm] = []
    cfg = index.config
    for source, specs, keys in query_tokens(name, cfg):
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
            if specs[i].joinable and (specs[i + 1].joinable or specs[i + 1].legal):
                tid = index.vocab.get(specs[i].text + specs[i + 1].text)
                if tid is not None and index.real[tid]:
                    joins.append((i, tid))
        cover = coverable(source, texts)
        letters = form_letters(list(texts), [s.joinable for s in specs], [s.legal for s in specs])
        out.append(
            QueryForm(
                texts,
                tuple(weights),
                tuple(matches),
                tuple(joins),
                sum(weights),
                source,
                cover,
                keys,
                letters,
                initials=any(len(t) == 1 for t in texts),
                chain="bin" in texts[1:-1],
                numerals=any(is_numeral(t) for t in texts),
            )
        )
    return out


def coverable(source: str, texts: tuple[str, ...]) -> bool:
    """Whether the coverage score may apply to a query form (see :class:`QueryForm`).

    Not to forms read one syllable per token (Hangul, Hanja, Han), nor to Latin names that read
    as Korean (every token a romanized Korean syllable, one of them a surname: ``Young Kim``).
    """
    if len(texts) < 2:
        return False  # one part is no short form of a longer name
    base = source.split("+", 1)[0]
    if base in SYLLABLE_SOURCES or base.startswith(_SYLLABLE_PREFIXES) or "+syllables" in source:
        return False
    return not (all(syllable_key(t) is not None for t in texts) and any(is_korean_surname(t) for t in texts))


_SYLLABLE_PREFIXES = tuple(SYLLABLE_SOURCES)

Unit = tuple[int, float, float, float, list[tuple[int, float]], tuple[int, ...]]


def _units(index: NameIndex, q: QueryForm) -> list[Unit]:
    """Per unit: (postings size, query weight, max listed weight, max contribution,
    [(tid, contribution)], query positions)."""
    units: list[Unit] = []
    lw = index.listed_weights
    postings = index.postings
    for i, table in enumerate(q.matches):
        if not table:
            continue
        wq = q.weights[i]
        contribs = [(tid, s * (wq + lw[tid]) / 2) for tid, s in table.items()]
        size = sum(len(postings[t]) for t in table)
        wl = max(lw[t] for t in table)
        units.append((size, wq, wl, max(c for _, c in contribs), contribs, (i,)))
    for i, tid in q.join_matches:
        wq = q.weights[i] + q.weights[i + 1]
        wl = lw[tid]
        c = (wq + wl) / 2
        units.append((len(postings[tid]), wq, wl, c, [(tid, c)], (i, i + 1)))
    return units


def _prefix_bound(mq: float, listed: float, q_total: float, params: AlignParams, keyed: bool) -> float:
    """Best score of a form matching only units of query weight ``mq`` and listed weight <= ``listed``.

    The two-sided score is not monotone in the matched listed weight ``x`` once ``x`` exceeds the
    query's weight, so both ends of the range that can hold its maximum are tried. The coverage
    score is at most ``m / (m + U_q)`` (the query's unmatched weight ``U_q`` counts in full when
    the query is the shorter name), or ``m / (m + cover_query_factor * U_q)`` when the matched
    units hold every key part of the query (``keyed``), as a shorter listed name needs. Both
    scores are scaled by the information the match carries, at most ``min(mq, listed)``.
    """
    best = 0.0
    strict = params.strictness
    for x in (listed, min(listed, q_total)):
        mean = (q_total + x) / 2
        denom = mean + strict * (max(q_total, x) - mean)
        best = max(best, 1.0 if denom <= 0 else min(1.0, (mq + x) / 2 / denom))
    info = min(mq, listed)
    if min(params.cover_factor, params.cover_query_factor) < 1.0:
        m = (mq + listed) / 2
        uq = max(0.0, q_total - mq)
        beta = min(1.0, params.cover_query_factor) if keyed else 1.0
        cover = m / (m + beta * uq) if m > 0 else 0.0
        if params.cover_information > 0:
            cover *= min(1.0, info / params.cover_information)
        best = max(best, min(1.0, cover))
    if params.min_information > 0:
        best *= min(1.0, info / params.min_information)
    return best + _EPSILON


_EPSILON = 1e-9  # bounds are computed in another order than align(): keep them bounds


def _cover_reachable(m: float, qt: float, lt: float, beta_a: float, beta_b: float, floor: float) -> bool:
    """Whether a coverage score may reach ``floor`` with matched weight at most ``m``.

    With ``U_q = qt - mq``, ``U_l = lt - ml`` and ``mq + ml = 2m`` (each side's matched weight no
    more than its total), the score of a query naming part of the listed name,
    ``m / (m + U_q + beta_a U_l)``, is at most ``m / max(qt + beta_a lt - m, m + beta_a (qt + lt - 2m))``,
    and that of a shorter listed name likewise with the sides swapped; both grow with ``m``.
    """
    spread = qt + lt - 2 * m
    d_a = qt + beta_a * lt - m
    d_b = lt + beta_b * qt - m
    d_a = max(d_a, m + beta_a * spread)
    d_b = max(d_b, m + beta_b * spread)
    return m >= floor * (d_a if d_a < d_b else d_b) * (1 - _EPSILON)


def candidates(index: NameIndex, q: QueryForm, floor: float) -> list[tuple[float, int]]:
    """``(upper bound, form)`` of every form whose name score may reach ``floor``, best bound first.

    Args:
        index: The index.
        q: A prepared query form.
        floor: The lowest name score still of interest (minimum score less possible evidence).
    """
    units = _units(index, q)
    if not units or q.total <= 0:
        return []
    units.sort(key=lambda u: -u[0])
    params = index.align_params
    strict = params.strictness
    if not q.cover:  # no coverage score for this form: its bound need not allow for one
        params = dataclasses.replace(params, cover_factor=1.0, cover_query_factor=1.0)
    cover = min(params.cover_factor, params.cover_query_factor) < 1.0
    # Initials pair outside the match tables (align._initial_pairs): each query initial may add
    # up to similarity × initial_bits to the matched weight, and so may each initial of a form;
    # a query part paired with a listed initial brings up to that much listed weight.
    pair_cap = params.initial_similarity * params.initial_bits
    slack = pair_cap * sum(1 for t in q.texts if len(t) == 1)
    # Longest prefix of common units that cannot reach the floor on their own.
    essential_from = 0
    mq = ml = slack
    keys = set(q.keys)
    # A listed initial may pair with a query part outside the prefix (``investment`` ~ ``I.``).
    most = min(len(q.texts), max(index.form_initials, default=0)) if pair_cap > 0 else 0
    outside = set(range(len(q.texts)))
    for k, (_, wq, wl, _c, _contribs, pos) in enumerate(units):
        mq += wq
        ml += wl if wl > pair_cap else pair_cap
        keys.difference_update(pos)
        outside.difference_update(pos)
        extra = pair_cap * min(most, len(outside))
        if _prefix_bound(mq + extra, ml + extra, q.total, params, not keys or extra > 0) >= floor:
            break
        essential_from = k + 1
    acc: dict[int, float] = {}
    postings = index.postings
    for *_, contribs, _pos in units[essential_from:]:
        if len(contribs) == 1:
            tid, c = contribs[0]
            for f in postings[tid]:
                acc[f] = acc.get(f, 0.0) + c
            continue
        best: dict[int, float] = {}
        for tid, c in contribs:
            for f in postings[tid]:
                if best.get(f, 0.0) < c:
                    best[f] = c
        for f, c in best.items():
            acc[f] = acc.get(f, 0.0) + c
    rest = sum(u[3] for u in units[:essential_from])
    initials = index.form_initials
    # Common units by vocabulary id: [(unit, contribution)] for each token they match.
    common: dict[int, list[tuple[int, float]]] = {}
    for k, u in enumerate(units[:essential_from]):
        for tid, c in u[4]:
            common.setdefault(tid, []).append((k, c))
    held = index.form_tokens
    totals = index.form_totals
    out: list[tuple[float, int]] = []
    qt = q.total
    beta_a, beta_b = params.cover_factor, params.cover_query_factor
    info_need = floor * params.cover_information
    nq = len(q.texts)
    base = slack + rest
    # upper_bound() inlined: this loop runs over every accumulated form of every query. The
    # coverage score is only considered where the two-sided bound fails: first its bound from
    # the matched weight alone (_cover_reachable), then the per-form one (cover_bound).
    for f, a in acc.items():
        if initials[f]:
            a += pair_cap * (initials[f] if initials[f] < nq else nq)
        lt = totals[f]
        mean = (qt + lt) * 0.5
        denom = mean + strict * ((qt if qt > lt else lt) - mean)
        need = floor * denom
        m = a + base
        if m < need and (
            not cover or m < info_need or not _cover_reachable(m, qt, lt, beta_a, beta_b, floor)
        ):
            continue
        a += slack
        if common:
            # Tighten: credit each common unit only if this form holds one of its tokens.
            got: dict[int, float] | None = None
            for t in held[f]:
                hit = common.get(t)
                if hit is not None:
                    if got is None:
                        got = {}
                    for k, v in hit:
                        if got.get(k, 0.0) < v:
                            got[k] = v
            if got is not None:
                a += sum(got.values())
        else:
            a += rest
        if a < need:
            if not cover or a < info_need or not _cover_reachable(a, qt, lt, beta_a, beta_b, floor):
                continue
            bound = cover_bound(q, index.forms[f], params)
            if bound < floor:
                continue
        elif cover:
            bound = upper_bound(a, qt, lt, params)
        else:
            bound = a / denom if denom > 0 else 1.0
        out.append((bound if bound < 1.0 else 1.0, f))
    out.sort(reverse=True)
    return out
