"""The screening engine's public face: ``Screener.screen(query) -> list[Hit]``.

Built from the store's active list versions (or any entities), it prepares the query's forms,
retrieves candidates exactly (``retrieve``), aligns names (``align``), weighs evidence
(``evidence``) and returns explained hits best first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from sanctionwatch.errors import InputError
from sanctionwatch.matching.align import NameScore, QueryForm, align
from sanctionwatch.matching.config import DEFAULT_CONFIG, ScoringConfig
from sanctionwatch.matching.evidence import schema_compatible
from sanctionwatch.matching.exhaustive import ExhaustiveScan
from sanctionwatch.matching.index import NameIndex
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.retrieve import candidates, prepare
from sanctionwatch.matching.score import Explanation, Hit, build_hit
from sanctionwatch.matching.tokens import clear_token_caches
from sanctionwatch.model import Entity, Name, Schema

__all__ = ["Comparison", "Screener"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Result of comparing two names directly."""

    score: float
    explanation: Explanation


class Screener:
    """Screens queries against an index of listed entities.

    Args:
        entities: The listed entities (normally ``store.active_entities()``).
        config: Weights and thresholds.
    """

    def __init__(self, entities: Iterable[Entity], config: ScoringConfig = DEFAULT_CONFIG) -> None:
        self.config = config
        self.index = NameIndex(entities, config)

    def clear_caches(self) -> None:
        """Forget cached token lookups and name forms (for cold-start measurements)."""
        self.index.clear_cache()
        clear_token_caches()

    @cached_property
    def _scan(self) -> ExhaustiveScan:
        return ExhaustiveScan(self.index)

    def _allowed(self, e: int, schema: Schema | None, lists: frozenset[str] | None) -> bool:
        entity = self.index.entities[e]
        if not schema_compatible(schema, entity.schema):
            return False
        if lists is None:
            return True
        key = entity.list_key
        return key in lists or key.split(":", 1)[0] in lists

    def screen(
        self,
        query: Query,
        limit: int = 10,
        threshold: float | None = None,
        lists: Iterable[str] | None = None,
        exhaustive: bool = False,
    ) -> list[Hit]:
        """Hits for ``query``, best first.

        Args:
            query: A validated query.
            limit: Most hits returned.
            threshold: Alert threshold (default: the configured one).
            lists: Only these list keys (``ftm`` selects every ``ftm:*`` list).
            exhaustive: Score every listed form (slow; for cross-checking retrieval).
        """
        cfg = self.config
        thr = cfg.threshold if threshold is None else threshold
        floor = min(cfg.min_score, thr)
        allowed = frozenset(lists) if lists is not None else None
        bonus = (cfg.dob_match_bonus if query.birth_date else 0.0) + (
            cfg.country_match_bonus if query.country else 0.0
        )
        best: dict[int, tuple[float, QueryForm, int, NameScore]] = {}
        qforms = self._scan.forms(query.name) if exhaustive else prepare(self.index, query.name)
        forms = self.index.forms
        weak = cfg.weak_alias_factor
        params = self.index.align_params
        for q in qforms:
            if exhaustive:
                cands: Iterable[tuple[float, int]] = ((1.0, f) for f in self._scan.touched(q))
            else:
                cands = candidates(self.index, q, floor - bonus)
            for bound, f in cands:
                if bound + bonus < floor:
                    break
                lf = forms[f]
                prev = best.get(lf.entity)
                if prev is not None and prev[0] >= bound:
                    continue
                if not self._allowed(lf.entity, query.schema, allowed):
                    continue
                ns = align(q, lf, params)
                s = ns.score * (weak if self.index.entities[lf.entity].names[lf.name].weak else 1.0)
                if s + bonus < floor:
                    continue
                if prev is None or s > prev[0]:
                    best[lf.entity] = (s, q, f, ns)
        for e in self._identifier_entities(query):
            if e not in best and self._allowed(e, query.schema, allowed):
                best[e] = self._best_form(e, qforms)
        hits = [build_hit(self.index, query, q, forms[f], ns, thr, cfg) for _, q, f, ns in best.values()]
        hits = [h for h in hits if h.score >= floor]
        hits.sort(key=lambda h: (-h.score, cfg.list_rank(h.list_key), h.entity_id))
        return hits[:limit]

    def _identifier_entities(self, query: Query) -> set[int]:
        out: set[int] = set()
        for ident in query.identifiers:
            out.update(self.index.identifiers.get(ident, ()))
        return out

    def _best_form(self, e: int, qforms: list[QueryForm]) -> tuple[float, QueryForm, int, NameScore]:
        best: tuple[float, QueryForm, int, NameScore] | None = None
        for f, lf in enumerate(self.index.forms):
            if lf.entity != e:
                continue
            for q in qforms:
                ns = align(q, lf, self.index.align_params)
                if best is None or ns.score > best[0]:
                    best = (ns.score, q, f, ns)
        assert best is not None  # every indexed entity has at least one form
        return best

    def compare(self, name_a: str, name_b: str, schema: Schema = Schema.PERSON) -> Comparison:
        """Score ``name_a`` (as a query) against ``name_b`` (as if listed), with the explanation.

        Token rarity comes from this screener's lists, so ``Kim`` weighs little here too.
        """
        probe = Entity(id="compare:b", list_key="compare", schema=schema, names=(Name(name_b),))
        mini = NameIndex([probe], self.config, reference=self.index)
        query = Query.build(name_a)
        best: tuple[float, QueryForm, int, NameScore] | None = None
        for q in ExhaustiveScan(mini).forms(query.name):
            for f, lf in enumerate(mini.forms):
                ns = align(q, lf, self.index.align_params)
                if best is None or ns.score > best[0]:
                    best = (ns.score, q, f, ns)
        if best is None:
            raise InputError(f"name: nothing comparable in {name_a!r} and {name_b!r}")
        _, q, f, ns = best
        hit = build_hit(mini, query, q, mini.forms[f], ns, self.config.threshold, self.config)
        return Comparison(hit.score, hit.explanation)
