"""An exact upper bound of the coverage score of one query form against one listed form.

Retrieval (:mod:`~sanctionwatch.matching.retrieve`) needs to know, for a form the two-sided bound
already rules out, whether :func:`~sanctionwatch.matching.align.align`'s coverage score could still
reach the floor. The bound from the matched weight alone (``upper_bound``) lets through most forms
that share a common part with the query; this one reads the form's own parts, as the alignment
would, without pairing them:

* each token's best similarity to any part of the other side (its match table, exact joins both
  ways, initials) bounds the weight it can contribute, so the matched query weight ``mq`` and
  listed weight ``ml`` are bounded per side, and the matched weight is ``(mq + ml) / 2``;
* the coverage score of a query that names part of a longer listed name needs every listed key
  part (surname and a given name) matched, the reverse every key part of the query: a key part
  with no possible partner rules that direction out;
* both directions' scores grow with ``mq`` and ``ml`` and the information factor is at most
  ``min(mq, ml) / cover_information``, so evaluating them at the bounds bounds them.

Whatever :func:`align` may pair is allowed for here; keep the two in step.
"""

from __future__ import annotations

from sanctionwatch.matching.align import AlignParams, ListedForm, QueryForm

__all__ = ["cover_bound"]

# Summation order differs from align(); a bound this much above the true maximum stays a bound.
_EPSILON = 1e-9


def cover_bound(q: QueryForm, lf: ListedForm, params: AlignParams) -> float:
    """Upper bound of the coverage score :func:`align` can give ``q`` against ``lf`` (0: none).

    Args:
        q: The query form with its match tables.
        lf: The listed form.
        params: Scorer settings (the coverage factors must be below 1 for a coverage score).
    """
    tids = lf.tids
    bq = [0.0] * len(q.texts)
    bl = [0.0] * len(tids)
    for i, table in enumerate(q.matches):
        if not table:
            continue
        best = 0.0
        for j, t in enumerate(tids):
            s = table.get(t)
            if s:
                if s > best:
                    best = s
                if s > bl[j]:
                    bl[j] = s
        for t, j in lf.joins:
            if table.get(t) == 1.0:
                best = bl[j] = bl[j + 1] = 1.0
        bq[i] = best
    for i, t in q.join_matches:
        for j, lt in enumerate(tids):
            if lt == t:
                bq[i] = bq[i + 1] = bl[j] = 1.0
    letters = lf.letters
    s_init = params.initial_similarity
    if s_init > 0 and letters and (q.initials or not letters.islower()):
        for i, text in enumerate(q.texts):
            if not text or (q.letters and q.letters[i] in "~-#"):
                continue
            want = text if len(text) == 1 else text[0].upper()
            if len(text) == 1 and not want.islower():
                continue
            for j, c in enumerate(letters[: len(tids)]):
                if c == want:
                    if s_init > bq[i]:
                        bq[i] = s_init
                    if s_init > bl[j]:
                        bl[j] = s_init
    mq = sum(b * w for b, w in zip(bq, q.weights, strict=True))
    ml = sum(b * w for b, w in zip(bl, lf.weights, strict=True))
    matched = (mq + ml) / 2
    if matched <= 0:
        return 0.0
    uq = max(0.0, q.total - mq)
    ul = max(0.0, lf.total - ml)
    bound = 0.0
    if all(bl[j] > 0 for j in lf.keys):  # the query names part of the listed name
        bound = matched / (matched + uq + params.cover_factor * ul)
    if all(bq[i] > 0 for i in q.keys):  # the listed name is the shorter one
        bound = max(bound, matched / (matched + ul + params.cover_query_factor * uq))
    if params.cover_information > 0:
        bound *= min(1.0, min(mq, ml) / params.cover_information)
    return min(1.0, bound + _EPSILON)
