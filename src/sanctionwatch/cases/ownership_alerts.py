"""Alerts of kind ``ownership``: customers blocked because designated parties own or control them.

The stored ownership graph (``ownership_book.py``) is evaluated under one regime; each active
customer whose id is a party of the graph and who is blocked through ownership or control gets one
alert on the pair (customer, the designated party at the start of its first path), opened,
suppressed or reopened exactly as a name match is (``screening.apply_chunk``). The alert's hit
carries ``"kind": "ownership"``, the regime and every path, and its summary is the paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sanctionwatch.cases.audit import record
from sanctionwatch.cases.book import Customer, active_customers
from sanctionwatch.cases.ownership_book import evaluate_store
from sanctionwatch.cases.screening import ScreenReport, apply_chunk
from sanctionwatch.matching.score import Explanation, Hit
from sanctionwatch.model import Entity
from sanctionwatch.network.rules import Evaluation, Regime
from sanctionwatch.store.schema import versions

__all__ = ["OwnershipHit", "ownership_hits", "screen_ownership"]

CHUNK = 500


@dataclass(frozen=True, slots=True)
class OwnershipHit(Hit):
    """A hit that is no name match: the customer is blocked through ownership or control.

    Attributes:
        regime: The regime whose rule blocks the customer (``ofac``, ``eu``, ``uk``).
        percentage: The share blocked owners hold in the customer.
        paths: Each chain from a designated party to the customer.
    """

    regime: str = ""
    percentage: float = 0.0
    paths: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The hit format plus ``kind``, ``regime``, ``percentage`` and ``paths``; the summary: the paths."""
        out = Hit.to_dict(self)
        out["kind"] = "ownership"
        out["paths"] = list(self.paths)
        out["explanation"]["summary"] = f"blocked under the {self.regime} ownership rule: " + "; ".join(
            self.paths
        )
        return out


def _hit(ev: Evaluation, node: int, customer: Customer, entity: Entity) -> OwnershipHit:
    explanation = Explanation(
        query_name=str(customer.data.get("name", customer.id)),
        matched_name=entity.caption,
        name_kind="ownership",
        weak_alias=False,
        transliteration="",
        query_tokens=(),
        listed_tokens=(),
        parts=(),
        unmatched_query=(),
        unmatched_listed=(),
        name_score=0.0,
        features=(),
    )
    return OwnershipHit(
        entity_id=entity.id,
        score=1.0,
        match=True,
        matched_name=entity.caption,
        list_key=entity.list_key,
        schema=entity.schema.value,
        caption=entity.caption,
        programs=entity.programs,
        explanation=explanation,
        regime=ev.regime.key,
        percentage=ev.share[node],
        paths=tuple(ev.paths(node)),
    )


def ownership_hits(
    ev: Evaluation, book: Iterable[Customer], entities: dict[str, Entity]
) -> list[tuple[Customer, Hit]]:
    """One hit for each customer of ``book`` blocked through ownership or control in ``ev``."""
    g = ev.graph
    found: list[tuple[Customer, Hit]] = []
    for customer in book:
        node = g.index.get(customer.id)
        if node is None or not ev.blocked[node] or ev.designated[node]:
            continue
        roots = [g.keys[g.src[ev.chain(edge)[0]]] for edge in ev.reasons(node)]
        listed = [entities[r] for r in roots if r in entities]
        if listed:
            found.append((customer, _hit(ev, node, customer, listed[0])))
    return found


def screen_ownership(engine: Engine, entities: Iterable[Entity], regime: Regime, actor: str) -> ScreenReport:
    """Open alerts of kind ``ownership`` for the blocked customers under ``regime``, and audit it.

    Args:
        engine: The store's engine.
        entities: The active entities (``ListStore.active_entities()``).
        regime: Whose rule to apply.
        actor: Who screens (recorded in the audit log and as the opener of alerts).
    """
    items = list(entities)
    ev = evaluate_store(engine, items, regime)
    with engine.connect() as conn:
        book = active_customers(conn)
        active = {
            r.list_key: r.id
            for r in conn.execute(sa.select(versions.c.list_key, versions.c.id).where(versions.c.active))
        }
    found = ownership_hits(ev, book, {e.id: e for e in items})
    report = ScreenReport(customers=len(book), list_versions=active)
    for start in range(0, len(found), CHUNK):
        part = found[start : start + CHUNK]
        apply_chunk(engine, [c for c, _ in part], part, actor, report)
    with engine.begin() as conn:
        record(conn, actor, "book.screen_ownership", "book", {"regime": regime.key, **report.to_dict()})
    return report
