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

Unit = tuple[int, float, float, float, list[tuple[int, float]]]


def _units(index: NameIndex, q: QueryForm) -> list[Unit]:
    """Per unit: (postings size, query weight, max listed weight, max contribution, [(tid, contribution)])."""
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
        units.append((size, wq, wl, max(c for _, c in contribs), contribs))
    for i, tid in q.join_matches:
        wq = q.weights[i] + q.weights[i + 1]
        wl = lw[tid]
        c = (wq + wl) / 2
        units.append((len(postings[tid]), wq, wl, c, [(tid, c)]))
    return units


def _prefix_bound(covered: float, listed: float, q_total: float, params: AlignParams) -> float:
    """Best score of a form matching only units of query weight ``covered`` and listed weight <= ``listed``.

    The score is not monotone in the matched listed weight ``x`` once ``x`` exceeds the query's
    weight, so both ends of the range that can hold the maximum are tried.
    """
    return max(upper_bound((covered + x) / 2, q_total, x, params) for x in (listed, min(listed, q_total)))


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
    # up to similarity × initial_bits to the matched weight, and so may each initial of a form.
    pair_cap = params.initial_similarity * params.initial_bits
    slack = pair_cap * sum(1 for t in q.texts if len(t) == 1)
    # Longest prefix of common units that cannot reach the floor on their own.
    essential_from = 0
    covered = 2 * slack
    listed = 0.0
    for k, (_, wq, wl, _c, _contribs) in enumerate(units):
        covered += wq
        listed += wl
        if _prefix_bound(covered, listed, q.total, params) >= floor:
            break
        essential_from = k + 1
    acc: dict[int, float] = {}
    postings = index.postings
    for *_, contribs in units[essential_from:]:
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
    common = [dict(u[4]) for u in units[:essential_from]]
    forms = index.forms
    totals = index.form_totals
    out: list[tuple[float, int]] = []
    qt = q.total
    beta = min(params.cover_factor, params.cover_query_factor, 0.5)
    info_bits = params.cover_information
    nq = len(q.texts)
    # upper_bound() inlined: this loop runs over every accumulated form of every query. The
    # coverage bound (see upper_bound) is only computed where the two-sided one fails.
    for f, a in acc.items():
        a += slack
        if pair_cap and initials[f]:
            a += pair_cap * (initials[f] if initials[f] < nq else nq)
        lt = totals[f]
        mean = (qt + lt) * 0.5
        denom = mean + strict * ((qt if qt > lt else lt) - mean)
        if a + rest < floor * denom:
            if not cover:
                continue
            m = a + rest
            spread = qt + lt - 2 * m
            if spread > 0 and m < floor * (m + beta * spread):
                continue
            if info_bits > 0 and m < floor * info_bits:
                continue
        if common:
            # Tighten: credit each common unit only if this form holds one of its tokens.
            lf = forms[f]
            for cmap in common:
                m = 0.0
                for t in lf.tids:
                    v = cmap.get(t)
                    if v is not None and v > m:
                        m = v
                for t, _ in lf.joins:
                    v = cmap.get(t)
                    if v is not None and v > m:
                        m = v
                a += m
            if a < floor * denom:
                if not cover:
                    continue
                spread = qt + lt - 2 * a
                if (spread > 0 and a < floor * (a + beta * spread)) or a < floor * info_bits:
                    continue
        m = a if common else a + rest
        bound = m / denom if denom > 0 else 1.0
        if cover and bound < 1.0:
            bound = upper_bound(m, qt, lt, params)
        out.append((bound if bound < 1.0 else 1.0, f))
    out.sort(reverse=True)
    return out
