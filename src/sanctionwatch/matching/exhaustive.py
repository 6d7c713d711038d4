"""The exhaustive scan: the same scorer with no index, to measure what retrieval misses.

Every query token is compared with every vocabulary token (in C, via ``rapidfuzz.process.cdist``,
so the full dev set can be cross-checked in minutes), and every form sharing a similar token is
aligned. Forms sharing none align to 0, so skipping them changes nothing.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from sanctionwatch.matching.align import QueryForm
from sanctionwatch.matching.index import NameIndex
from sanctionwatch.matching.retrieve import prepare
from sanctionwatch.matching.similarity import add_kin, token_similarity
from sanctionwatch.text.korean import syllable_key

__all__ = ["ExhaustiveScan"]

MAX_DISTANCE = 2  # the largest edit budget of similarity.edit_budget


class ExhaustiveScan:
    """Brute-force match tables and candidate forms over a :class:`NameIndex`."""

    def __init__(self, index: NameIndex) -> None:
        self.index = index

    @cached_property
    def _real(self) -> tuple[np.ndarray, list[str]]:
        tids = [t for t, real in enumerate(self.index.real) if real]
        return np.array(tids, dtype=np.int64), [self.index.tokens[t] for t in tids]

    @cached_property
    def _by_key(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for tid, key in enumerate(self.index.keys):
            if key is not None and self.index.real[tid]:
                groups.setdefault(key, []).append(tid)
        return groups

    def table(self, token: str) -> dict[int, float]:
        """Similarity of ``token`` to every vocabulary token, zeros left out."""
        idx = self.index
        cfg = idx.config
        out: dict[int, float] = {}
        exact = idx.vocab.get(token)
        if exact is not None:
            out[exact] = 1.0  # joined tokens match exactly only
        tids, texts = self._real
        dist = cdist([token], texts, scorer=OSA.distance, score_cutoff=MAX_DISTANCE, dtype=np.int32)[0]
        key = syllable_key(token)
        near = {int(tids[i]) for i in np.nonzero(dist <= MAX_DISTANCE)[0]}
        if key is not None:
            near.update(self._by_key.get(key, ()))
        for tid in near:
            s = token_similarity(
                token,
                idx.tokens[tid],
                key,
                idx.keys[tid],
                cfg.korean_similarity,
                cfg.edit_exponent,
                cfg.korean_mismatch_factor,
            )
            if s > 0:
                out[tid] = s
        add_kin(out, token, idx.vocab, idx.real, cfg, idx.phonetic, idx.tokens)
        return out

    def forms(self, name: str) -> list[QueryForm]:
        """The query forms of ``name`` with brute-force match tables."""
        out = []
        for q in prepare(self.index, name):
            tables = tuple(self.table(text) for text in q.texts)
            out.append(dataclasses.replace(q, matches=tables))
        return out

    def touched(self, q: QueryForm) -> list[int]:
        """Every form holding at least one token similar to a query token."""
        postings = self.index.postings
        seen: set[int] = set()
        for table in q.matches:
            for tid in table:
                seen.update(postings[tid])
        for _, tid in q.join_matches:
            seen.update(postings[tid])
        return sorted(seen)
