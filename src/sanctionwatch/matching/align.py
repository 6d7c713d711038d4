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

__all__ = [
    "AlignParams",
    "Aligned",
    "ListedForm",
    "NameScore",
    "QueryForm",
    "align",
    "form_letters",
    "is_numeral",
    "upper_bound",
]


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
        keys: Positions a shorter name must match for the coverage score (surname and a given
            name; see :attr:`sanctionwatch.text.names.NameForm.key_positions`).
        letters: Per token, its first letter (upper case if the token is an initial, ``~`` for a
            legal form, ``-`` for another word that is not a name part), so initials pair with
            full names (``V.`` ~ ``Vladimir``) and legal forms can be compared.
    """

    entity: int
    name: int
    tids: tuple[int, ...]
    weights: tuple[float, ...]
    joins: tuple[tuple[int, int], ...]
    total: float
    keys: tuple[int, ...] = ()
    letters: str = ""


def form_letters(texts: list[str], joinable: list[bool], legal: list[bool]) -> str:
    """:attr:`ListedForm.letters`: first letter of each name part, upper case for an initial,
    ``~`` for a legal form and ``-`` for another weak word."""
    return "".join(
        (
            "~"
            if lg
            else "-"
            if not j
            else "#"
            if is_numeral(t) and len(t) > 1
            else t.upper()
            if len(t) == 1
            else t[0]
        )
        for t, j, lg in zip(texts, joinable, legal, strict=True)
    )


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
        cover: Whether the coverage score applies (not to names of one syllable per token, such as
            Korean and Chinese names, where a missing syllable makes another name).
        keys: Positions a shorter listed name must match for the coverage score.
        letters: As :attr:`ListedForm.letters`.
        initials: The form holds an initial (a one-letter name part).
        chain: The form holds an Arabic ``bin`` between two parts.
        numerals: The form holds a number.
    """

    texts: tuple[str, ...]
    weights: tuple[float, ...]
    matches: tuple[Mapping[int, float], ...]
    join_matches: tuple[tuple[int, int], ...]
    total: float
    source: str
    cover: bool = True
    keys: tuple[int, ...] = ()
    letters: str = ""
    initials: bool = False
    chain: bool = False
    numerals: bool = False


@dataclass(frozen=True, slots=True)
class Aligned:
    """One aligned pair: query positions ``q`` with listed positions ``l`` at ``similarity``."""

    q: tuple[int, ...]
    l: tuple[int, ...]  # noqa: E741 - mirrors q
    similarity: float
    weight: float


@dataclass(frozen=True, slots=True)
class NameScore:
    """The outcome of aligning one query form with one listed form.

    Attributes:
        score: The name score.
        raw: The score before scaling for too little information.
        information: Bits of information the matched parts carry.
        pairs: The aligned parts.
        covered: ``query`` when the score is the coverage score of a query whose parts all match
            part of a longer listed name, ``listed`` for the reverse, empty for the two-sided score.
    """

    score: float
    raw: float
    information: float
    pairs: tuple[Aligned, ...]
    covered: str = ""


@dataclass(frozen=True, slots=True)
class AlignParams:
    """The scorer settings alignment needs (see :class:`~sanctionwatch.matching.config.ScoringConfig`).

    Attributes:
        min_information: Matched bits needed for an unscaled score.
        strictness: 0 scores by weighted Dice; 1 divides by the heavier name's weight.
        cover_factor: Weight of the listed name's unmatched parts in the coverage score of a
            query that matches part of it (1: off).
        cover_query_factor: Weight of the query's unmatched parts when the listed name is the
            shorter one (1: off).
        cover_information: Matched bits a coverage score needs to count in full.
        initial_similarity: Similarity of an initial and a name part it begins (0: off).
        initial_bits: Most information an initial carries (and so an initial pair).
        initial_only_cap: Highest name score when names agree on fewer than two full parts
            besides initials (``V. Putin``): an initial and a surname find, they do not alert.
        chain_order_factor: Score factor of an Arabic ``X bin Y`` chain read backwards.
        legal_mismatch_factor: Score factor when both names have legal forms and none agrees.
        number_mismatch_factor: Score factor when an unmatched number is on one side only.
    """

    min_information: float
    strictness: float
    cover_factor: float = 1.0
    cover_query_factor: float = 1.0
    cover_information: float = 0.0
    initial_similarity: float = 0.0
    initial_bits: float = 3.0
    initial_only_cap: float = 1.0
    chain_order_factor: float = 1.0
    legal_mismatch_factor: float = 1.0
    number_mismatch_factor: float = 1.0


def align(q: QueryForm, lf: ListedForm, params: AlignParams) -> NameScore:
    """Align ``q`` with ``lf`` and score the names.

    The name score is the larger of the two-sided score (matched weight over a blend of both
    names' weights) and the *coverage* score: matched weight over itself plus the shorter side's
    unmatched weight plus ``cover_factor`` times the longer side's, scaled down when the matched
    parts carry fewer than ``cover_information`` bits. So a rare ``given + surname`` naming two of a
    listed name's three parts is strong, while a common one (``Ahmed Ali``) is not.

    Args:
        q: The query form with its match tables.
        lf: The listed form.
        params: Scorer settings.
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
    matched = mq = ml = 0.0
    info = 0.0
    for s, w, qi, lj in cands:
        if used_q.intersection(qi) or used_l.intersection(lj):
            continue
        used_q.update(qi)
        used_l.update(lj)
        pairs.append(Aligned(qi, lj, s, w / 2))
        matched += w / 2
        wq = sum(q.weights[i] for i in qi)
        wl = sum(lf.weights[j] for j in lj)
        mq += s * wq
        ml += s * wl
        info += s * min(wq, wl)
    full_pairs = len(pairs)
    if params.initial_similarity > 0 and lf.letters and (q.initials or not lf.letters.islower()):
        for i, j, wq, wl in _initial_pairs(q, lf, used_q, used_l, params.initial_bits):
            s = params.initial_similarity
            pairs.append(Aligned((i,), (j,), s, s * (wq + wl) / 2))
            matched += s * (wq + wl) / 2
            mq += s * wq
            ml += s * wl
            info += s * min(wq, wl)
    denom = _denominator(q.total, lf.total, params.strictness)
    raw = min(1.0, matched / denom) if denom > 0 else 0.0
    covered = ""
    if q.cover and min(params.cover_factor, params.cover_query_factor) < 1.0 and matched > 0:
        uq, ul = max(0.0, q.total - mq), max(0.0, lf.total - ml)
        # The longer name's surname and a given name must be among the matched parts.
        keyed = used_l.issuperset(lf.keys) if uq <= ul else used_q.issuperset(q.keys)
        if keyed:
            beta = params.cover_factor if uq <= ul else params.cover_query_factor
            cover = matched / (matched + min(uq, ul) + beta * max(uq, ul))
            if params.cover_information > 0:
                cover *= min(1.0, info / params.cover_information)
            if cover > raw:
                raw = min(1.0, cover)
                covered = "query" if uq <= ul else "listed"
    if len(pairs) > full_pairs and full_pairs < 2:
        raw = min(raw, params.initial_only_cap)
    if q.chain or q.numerals or "~" in lf.letters or "#" in lf.letters or not lf.letters.islower():
        raw *= _contradictions(q, lf, pairs, params)
    mi = params.min_information
    scale = min(1.0, info / mi) if mi > 0 else 1.0
    return NameScore(raw * scale, raw, info, tuple(pairs), covered)


_NUMERALS = frozenset({"i", "v", "x", "iv", "vi", "ix", "xi", "xv", "xx", "vii", "viii", "xii", "xiv"})


def is_numeral(text: str) -> bool:
    """Whether a compared token is a number: digits or a Roman numeral."""
    # Doubled letters are collapsed before comparison: "ii" and "iii" arrive as "i".
    return text.isdigit() or text in _NUMERALS


def _contradictions(q: QueryForm, lf: ListedForm, pairs: list[Aligned], params: AlignParams) -> float:
    """Score factor for alignments the parts contradict (1 when nothing does).

    * An Arabic chain read backwards: ``SALMAN BIN MUHAMMAD`` is not ``MUHAMMAD BIN SALMAN``.
    * Both names carry legal forms and none agrees: ``Deutsche Bank AG`` is not ``... GmbH``.
    * A number on one side only: ``... Solutions`` is not ``... Solutions II``.
    """
    factor = 1.0
    to_l = {qi: lj[0] for p in pairs for qi, lj in ((p.q[0], p.l), (p.q[-1], p.l)) if len(p.q) == 1}
    texts = q.texts
    for i in range(1, len(texts) - 1):
        if texts[i] == "bin" and i - 1 in to_l and i + 1 in to_l and to_l[i - 1] > to_l[i + 1]:
            factor *= params.chain_order_factor
            break
    if lf.letters and q.letters and "~" in lf.letters and "~" in q.letters:
        agreed = any(
            q.letters[p.q[0]] == "~" and lf.letters[p.l[0]] == "~" for p in pairs if p.similarity >= 0.95
        )
        if not agreed:
            factor *= params.legal_mismatch_factor
    paired_q = {i for p in pairs for i in p.q}
    paired_l = {j for p in pairs for j in p.l}
    # A lone I, V or X is an initial unless it ends the name ("Partners V").
    last_q = max((i for i, c in enumerate(q.letters) if c != "~"), default=len(texts) - 1)
    last_l = max((j for j, c in enumerate(lf.letters) if c != "~"), default=len(lf.letters) - 1)
    extra_q = any(
        is_numeral(t) and (len(t) > 1 or i == last_q) for i, t in enumerate(texts) if i not in paired_q
    )
    extra_l = any(
        c == "#" or (c in "IVX" and j == last_l) for j, c in enumerate(lf.letters) if j not in paired_l
    )
    if extra_q or extra_l:
        factor *= params.number_mismatch_factor
    return factor


def _initial_pairs(
    q: QueryForm, lf: ListedForm, used_q: set[int], used_l: set[int], cap: float
) -> list[tuple[int, int, float, float]]:
    """Unpaired initials with unpaired name parts they begin, both ways: ``(i, j, wq, wl)``.

    Listed key parts (a given name) are preferred; each weight is capped at ``cap`` bits, so the
    rest of a full name an initial stands for stays unmatched.
    """
    out = []
    letters = lf.letters
    order = [*lf.keys, *range(len(letters))]
    for i, text in enumerate(q.texts):
        if i in used_q or not text or (q.letters and q.letters[i] in "~-#"):
            continue
        want = text if len(text) == 1 else text[0].upper()
        for j in order:
            if (
                j not in used_l
                and j < len(letters)
                and letters[j] == want
                and (len(text) > 1 or want.islower())
            ):
                used_q.add(i)
                used_l.add(j)
                out.append((i, j, min(q.weights[i], cap), min(lf.weights[j], cap)))
                break
    return out


def _order(c: tuple[float, float, tuple[int, ...], tuple[int, ...]]) -> tuple[float, float]:
    return (c[0], c[1])


def _denominator(q_total: float, l_total: float, strictness: float) -> float:
    mean = (q_total + l_total) / 2
    return mean + strictness * (max(q_total, l_total) - mean)


def upper_bound(matched: float, q_total: float, l_total: float, params: AlignParams) -> float:
    """An upper bound of :func:`align`'s raw score given an upper bound of the matched weight.

    The coverage score is bounded through ``U_q + U_l = q_total + l_total - 2 * matched`` (the
    unmatched weights of both sides), which it is increasing in ``matched`` for factors below 1/2,
    and through ``information <= matched``.
    """
    denom = _denominator(q_total, l_total, params.strictness)
    bound = 1.0 if denom <= 0 else min(1.0, matched / denom)
    beta = min(params.cover_factor, params.cover_query_factor)
    if beta < 1.0 and matched > 0 and bound < 1.0:
        spread = max(0.0, q_total + l_total - 2 * matched)
        cover = matched / (matched + min(beta, 0.5) * spread)
        if params.cover_information > 0:
            cover *= min(1.0, matched / params.cover_information)
        bound = max(bound, min(1.0, cover))
    return bound
