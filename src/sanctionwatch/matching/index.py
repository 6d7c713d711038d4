"""The in-memory matching index built from the active list versions.

Listed names become *forms* (token sequences per transliteration) over one vocabulary. Each
vocabulary token has postings (the forms holding it), an information weight (``log2`` of how rare
it is among entities) and, where it spells a Korean syllable, a syllable key. Fuzzy lookup uses
deletion neighbourhoods (:func:`~sanctionwatch.matching.similarity.deletions`), which find every
vocabulary token the scorer would call similar — so retrieval is exact, not a heuristic.

Candidate selection is MaxScore: postings of the commonest query tokens are only walked when a
form matching nothing but those tokens could still reach the minimum score.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sanctionwatch.matching.align import AlignParams, ListedForm, form_letters
from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.evidence import entity_countries
from sanctionwatch.matching.query import normalize_identifier
from sanctionwatch.matching.similarity import add_kin, deletions, phonetic_key, token_similarity
from sanctionwatch.matching.tokens import TokenSpec, listed_tokens
from sanctionwatch.model import Entity
from sanctionwatch.text.korean import syllable_key

__all__ = ["MIN_IDENTIFIER_LENGTH", "NameIndex", "TokenMatches", "paused_gc"]

TokenMatches = Mapping[int, float]
LOOKUP_CACHE_SIZE = 200_000
MIN_IDENTIFIER_LENGTH = 5
"""Shorter normalized identifiers (``12``, ``A1``) match too much by chance to be indexed."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or loading an index.

    An index is millions of small lists, tuples and strings, none of them garbage: each collection
    pass walks them all again, which tripled build and load times.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class _Stats:
    entities: int
    forms: int
    vocabulary: int
    deletion_keys: int


class NameIndex:
    """Forms, vocabulary and postings of every listed name.

    Args:
        entities: The entities to index (normally the store's active ones).
        config: Scoring configuration (kind factors feed the weights).
        reference: Take token rarity from this index instead (to compare two names directly).
    """

    def __init__(
        self, entities: Iterable[Entity], config: ScoringConfig, reference: NameIndex | None = None
    ) -> None:
        self.config = config
        self.reference = reference
        self.entities: list[Entity] = []
        self.countries: list[frozenset[str]] = []
        self.forms: list[ListedForm] = []
        self.vocab: dict[str, int] = {}
        self.tokens: list[str] = []
        self.keys: list[str | None] = []
        self.bits: list[float] = []
        self.real: list[bool] = []
        self.join_weight: list[float] = []
        self.listed_weights: list[float] = []
        self.form_totals: list[float] = []
        self.factors: list[tuple[float, ...]] = []  # kind factor of each token of each form
        self.form_initials: list[int] = []  # initials in each form (for retrieval bounds)
        self._lookups: dict[str, dict[int, float]] = {}
        self._df: list[int] = []  # entities holding each token
        self._last: list[int] = []  # last entity counted for each token
        self.postings: list[list[int]] = []
        self.deletes: dict[str, list[int]] = {}
        self.korean: dict[str, list[int]] = {}
        self.phonetic: dict[str, list[int]] = {}  # consonant skeleton → vocabulary ids
        self.identifiers: dict[str, list[int]] = {}
        self.by_id: dict[str, int] = {}
        with paused_gc():
            self._build(entities)

    # -- building -----------------------------------------------------------------------------

    def _tid(self, text: str, real: bool) -> int:
        tid = self.vocab.get(text)
        if tid is None:
            tid = len(self.tokens)
            self.vocab[text] = tid
            self.tokens.append(text)
            self.postings.append([])
            self.real.append(real)
            self._df.append(0)
            self._last.append(-1)
        elif real:
            self.real[tid] = True
        return tid

    def _occurs(self, tid: int, form: int, entity: int) -> None:
        """Record that token ``tid`` occurs in ``form`` of ``entity`` (forms arrive in order)."""
        if self._last[tid] != entity:
            self._last[tid] = entity
            self._df[tid] += 1
        postings = self.postings[tid]
        if not postings or postings[-1] != form:
            postings.append(form)

    def _build(self, entities: Iterable[Entity]) -> None:
        raw: list[tuple[int, int, list[TokenSpec], list[tuple[int, int]], tuple[int, ...]]] = []
        for entity in entities:
            e = len(self.entities)
            self.entities.append(entity)
            self.countries.append(entity_countries(entity))
            self.by_id[entity.id] = e
            for ident in entity.identifiers:
                key = normalize_identifier(ident.value)
                if len(key) >= MIN_IDENTIFIER_LENGTH:
                    self.identifiers.setdefault(key, []).append(e)
            seen: set[tuple[str, ...]] = set()
            for n, name in enumerate(entity.names):
                for specs, keys in listed_tokens(name.full, self.config):
                    texts = tuple(s.text for s in specs)
                    if not texts or texts in seen:
                        continue
                    seen.add(texts)
                    f = len(raw)
                    joins: list[tuple[int, int]] = []
                    for s in specs:
                        self._occurs(self._tid(s.text, True), f, e)
                    for j in range(len(specs) - 1):
                        if specs[j].joinable and (specs[j + 1].joinable or specs[j + 1].legal):
                            tid = self._tid(specs[j].text + specs[j + 1].text, False)
                            self._occurs(tid, f, e)
                            joins.append((tid, j))
                    raw.append((e, n, specs, joins, keys))
        total = max(1, len(self.entities))
        self.bits = [math.log2((total + 1) / (df + 0.5)) for df in self._df]
        if self.reference is not None:
            self.bits = self._bits_from(self.reference)
        for e, n, specs, joins, keys in raw:
            tids = tuple(self.vocab[s.text] for s in specs)
            factors = tuple(s.factor for s in specs)
            weights = self._weights(tids, factors)
            self.factors.append(factors)
            letters = form_letters(
                [s.text for s in specs], [s.joinable for s in specs], [s.legal for s in specs]
            )
            self.forms.append(ListedForm(e, n, tids, weights, tuple(joins), sum(weights), keys, letters))
            self.form_initials.append(sum(1 for c in letters if c.isupper()))
        self._derive_weights()
        for tid, text in enumerate(self.tokens):
            skey = syllable_key(text)
            self.keys.append(skey)
            if not self.real[tid]:
                continue
            if skey is not None:
                self.korean.setdefault(skey, []).append(tid)
            pkey = phonetic_key(text)
            if pkey is not None:
                self.phonetic.setdefault(pkey, []).append(tid)
            for d in deletions(text):
                self.deletes.setdefault(d, []).append(tid)

    def _weights(self, tids: tuple[int, ...], factors: tuple[float, ...]) -> tuple[float, ...]:
        """Token weights of a form: rarity × kind factor, an initial capped at ``initial_bits``."""
        cap = self.config.initial_bits
        return tuple(
            min(self.bits[t] * f, cap) if len(self.tokens[t]) == 1 else self.bits[t] * f
            for t, f in zip(tids, factors, strict=True)
        )

    def _bits_from(self, reference: NameIndex) -> list[float]:
        """Each token's rarity in ``reference`` (unseen there: the configured default)."""
        unseen = self.config.unseen_token_bits
        return [reference.bits[reference.vocab[t]] if t in reference.vocab else unseen for t in self.tokens]

    def _derive_weights(self) -> None:
        """The join, listed and form weights that follow from the token weights of the forms."""
        self.join_weight = [0.0] * len(self.tokens)
        for lf in self.forms:
            for tid, j in lf.joins:
                w = lf.weights[j] + lf.weights[j + 1]
                if w > self.join_weight[tid]:
                    self.join_weight[tid] = w
        self.listed_weights = [self.listed_weight(t) for t in range(len(self.tokens))]
        self.form_totals = [lf.total for lf in self.forms]

    def rebase(self, reference: NameIndex) -> None:
        """Take token rarity from ``reference`` from now on, as if built with it.

        Lets an index saved once (the customer book's) be weighed by the lists of the day.
        """
        self.reference = reference
        self.bits = self._bits_from(reference)
        forms = []
        for lf, factors in zip(self.forms, self.factors, strict=True):
            weights = self._weights(lf.tids, factors)
            forms.append(
                ListedForm(lf.entity, lf.name, lf.tids, weights, lf.joins, sum(weights), lf.keys, lf.letters)
            )
        self.forms = forms
        self._derive_weights()
        self._lookups.clear()

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the reference index and the lookup cache (``rebase`` after loading)."""
        state = dict(self.__dict__)
        state["reference"] = None
        state["_lookups"] = {}
        return state

    @property
    def align_params(self) -> AlignParams:
        """The alignment settings of this index's configuration."""
        return self.config.align_params

    # -- lookup -------------------------------------------------------------------------------

    def lookup(self, token: str) -> dict[int, float]:
        """Vocabulary tokens similar to ``token`` with their similarity (exact included).

        Results are cached (names repeat: the same given names and surnames come back all day);
        callers must not modify the returned dict.
        """
        cached = self._lookups.get(token)
        if cached is not None:
            return cached
        if len(self._lookups) >= LOOKUP_CACHE_SIZE:
            self._lookups.clear()
        out = self._lookups[token] = self._lookup(token)
        return out

    def _lookup(self, token: str) -> dict[int, float]:
        out: dict[int, float] = {}
        exact = self.vocab.get(token)
        if exact is not None:
            out[exact] = 1.0
        cands: set[int] = set(self.deletes.get(token, ()))
        for d in deletions(token):
            tid = self.vocab.get(d)
            if tid is not None and self.real[tid]:
                cands.add(tid)
            cands.update(self.deletes.get(d, ()))
        key = syllable_key(token)
        if key is not None:
            cands.update(self.korean.get(key, ()))
        cfg = self.config
        ksim, power, kmis = cfg.korean_similarity, cfg.edit_exponent, cfg.korean_mismatch_factor
        for tid in cands:
            if tid == exact:
                continue
            s = token_similarity(token, self.tokens[tid], key, self.keys[tid], ksim, power, kmis)
            if s > 0:
                out[tid] = s
        add_kin(out, token, self.vocab, self.real, cfg, self.phonetic, self.tokens)
        return out

    def listed_weight(self, tid: int) -> float:
        """The largest weight token ``tid`` can have in a listed form (as a token or a join)."""
        own = self.bits[tid] if self.real[tid] else 0.0
        return max(own, self.join_weight[tid])

    def clear_cache(self) -> None:
        """Forget cached lookups."""
        self._lookups.clear()

    def token_bits(self, token: str, matches: TokenMatches) -> float:
        """Information weight of a query token: its own rarity, or that of its closest match."""
        tid = self.vocab.get(token)
        if len(token) == 1:
            return min(
                self.bits[tid] if tid is not None else self.config.unseen_token_bits, self.config.initial_bits
            )
        if tid is not None:
            return self.bits[tid]
        if matches:
            best = max(matches.items(), key=lambda kv: (kv[1], self.bits[kv[0]]))
            return self.bits[best[0]]
        return self.config.unseen_token_bits

    def stats(self) -> _Stats:
        """Sizes, for logs and benchmarks."""
        return _Stats(len(self.entities), len(self.forms), len(self.tokens), len(self.deletes))
