"""Which parties of an ownership graph are blocked under a regime's ownership and control rule.

The regimes (OFAC's 50 Percent Rule, the EU's and the UK's owned-or-controlled tests) are data in
``network/data/regimes.yml`` with their legal sources. Evaluation is one monotone propagation from
the designated parties: when a party becomes blocked, each edge leaving it adds its share to the
owned party (or records control), which is blocked in turn once the regime's threshold is met. Each
party is blocked at most once and each edge is read once, so a run is linear in the graph, and a
cycle (A owns B owns A) is no trouble: nothing in it is blocked unless a blocked party outside it
(or in it) pushes it over the threshold. After an edge changes, only the parties downstream of it
are evaluated again (:meth:`Evaluation.reevaluate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sanctionwatch.errors import ConfigError, InputError
from sanctionwatch.network.graph import TOLERANCE, EdgeKind, OwnershipGraph

__all__ = ["Evaluation", "Regime", "Source", "evaluate", "load_regimes", "regime"]


@dataclass(frozen=True, slots=True)
class Source:
    """A legal source of a regime's rule: its title, address and what it says (in our words)."""

    title: str
    url: str | None = None
    says: str | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    """One regime's ownership and control rule (see ``regimes.yml`` for each field's meaning)."""

    key: str
    name: str
    lists: tuple[str, ...]
    threshold: float
    inclusive: bool
    aggregate: bool
    control_blocks: bool
    sources: tuple[Source, ...]

    def meets(self, share: float) -> bool:
        """Whether an ownership share (percent) blocks under this regime."""
        if self.inclusive:
            return share >= self.threshold - TOLERANCE
        return share > self.threshold + TOLERANCE

    def designates(self, entity_id: str) -> bool:
        """Whether an entity id belongs to one of the regime's lists."""
        return entity_id.split(":", 1)[0] in self.lists


def _regime(key: str, data: Any) -> Regime:
    where = f"network/data/regimes.yml: regimes.{key}"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: not a mapping")
    try:
        sources = tuple(Source(**s) for s in data.get("sources") or ())
        out = Regime(
            key=key,
            name=str(data["name"]),
            lists=tuple(str(x) for x in data["lists"]),
            threshold=float(data["threshold"]),
            inclusive=bool(data["inclusive"]),
            aggregate=bool(data["aggregate"]),
            control_blocks=bool(data["control_blocks"]),
            sources=sources,
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if not out.sources:
        raise ConfigError(f"{where}: no sources (every rule cites its legal source)")
    return out


@cache
def load_regimes() -> dict[str, Regime]:
    """The regimes of ``network/data/regimes.yml``, by key.

    Raises:
        ConfigError: The file is not valid YAML or an entry lacks a field.
    """
    raw = resources.files("sanctionwatch.network").joinpath("data/regimes.yml").read_text("utf-8")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"network/data/regimes.yml: not valid YAML: {exc}") from exc
    entries = data.get("regimes") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ConfigError("network/data/regimes.yml: no 'regimes' mapping")
    return {str(k): _regime(str(k), v) for k, v in entries.items()}


def regime(key: str) -> Regime:
    """One regime by key.

    Raises:
        InputError: No such regime (the message lists the known ones).
    """
    known = load_regimes()
    if key not in known:
        raise InputError(f"--regime: {key!r} is not one of {', '.join(sorted(known))}")
    return known[key]


class Evaluation:
    """The blocked status of every party of one graph under one regime.

    Attributes:
        graph: The graph evaluated.
        regime: The regime applied.
        designated: Per node, whether it is on one of the regime's lists.
        blocked: Per node, whether it is blocked (designated, owned or, where it counts, controlled).
        share: Per node, the ownership share held by blocked owners: their sum where the regime
            aggregates, the largest one where it does not.
        controlled: Per node, whether a blocked party controls it.
        rank: Per node, the order in which it was blocked (-1: not blocked); a path back from a
            blocked party follows owners of lower rank, so it always ends at a designated party.
    """

    def __init__(self, graph: OwnershipGraph, regime: Regime, designated: Iterable[str]) -> None:
        self.graph = graph
        self.regime = regime
        n = len(graph)
        self.designated_keys = frozenset(designated)
        self.designated = bytearray(n)
        for key in self.designated_keys:
            node = graph.index.get(key)
            if node is not None:
                self.designated[node] = 1
        self.blocked = bytearray(n)
        self.share = [0.0] * n
        self.controlled = bytearray(n)
        self.rank = [-1] * n
        self._next_rank = 0
        self._run(range(n))

    def _grow(self) -> range:
        """Extend the per-node arrays to the nodes added to the graph since; their numbers."""
        start = len(self.blocked)
        extra = len(self.graph) - start
        if extra > 0:
            self.designated.extend(bytes(extra))
            self.blocked.extend(bytes(extra))
            self.share.extend([0.0] * extra)
            self.controlled.extend(bytes(extra))
            self.rank.extend([-1] * extra)
            for node in range(start, start + extra):
                if self.graph.keys[node] in self.designated_keys:
                    self.designated[node] = 1
        return range(start, start + extra)

    def _block(self, node: int, queue: list[int]) -> None:
        self.blocked[node] = 1
        self.rank[node] = self._next_rank
        self._next_rank += 1
        queue.append(node)

    def _credit(self, edge: int, node: int, queue: list[int]) -> None:
        """Count edge ``edge`` from a blocked owner into ``node``; block ``node`` if that suffices."""
        e = self.graph.edges[edge]
        if e.kind is EdgeKind.LINKED:
            return
        if e.kind is EdgeKind.CONTROL:
            self.controlled[node] = 1
            hit = self.regime.control_blocks
        else:
            p = e.percentage or 0.0
            self.share[node] = self.share[node] + p if self.regime.aggregate else max(self.share[node], p)
            hit = self.regime.meets(self.share[node])
        if hit and not self.blocked[node]:
            self._block(node, queue)

    def _run(self, region: Iterable[int], inside: set[int] | None = None) -> None:
        """Evaluate the nodes of ``region`` afresh; nodes outside it keep their status.

        ``inside`` is the region as a set (None: the whole graph). Owners outside the region that
        are blocked count first; then the propagation runs from the region's blocked nodes.
        """
        g = self.graph
        queue: list[int] = []
        nodes = list(region)
        for node in nodes:
            self.blocked[node] = 0
            self.share[node] = 0.0
            self.controlled[node] = 0
            self.rank[node] = -1
        for node in nodes:
            if self.designated[node] and not self.blocked[node]:
                self._block(node, queue)
        if inside is not None:
            for node in nodes:
                for edge in g.in_edges[node]:
                    owner = g.src[edge]
                    if owner not in inside and self.blocked[owner]:
                        self._credit(edge, node, queue)
        while queue:
            node = queue.pop()
            for edge in g.out_edges[node]:
                self._credit(edge, g.dst[edge], queue)

    def reevaluate(self, changed: Iterable[int]) -> int:
        """Evaluate again what edges ``changed`` (numbers, added or removed) can affect; parties counted.

        Only the owned party of each edge and what it owns or controls in turn can change status
        (and parties new to the graph, with what they own).
        """
        new = self._grow()
        region: list[int] = []
        inside: set[int] = set()
        starts = [*new, *(self.graph.dst[edge] for edge in changed)]
        for start in starts:
            if start in inside:
                continue
            for node in self.graph.downstream(start):
                if node not in inside:
                    inside.add(node)
                    region.append(node)
        self._run(region, inside)
        return len(region)

    def blocked_keys(self) -> set[str]:
        """The keys of every blocked party."""
        return {self.graph.keys[n] for n in range(len(self.blocked)) if self.blocked[n]}

    def reasons(self, node: int) -> list[int]:
        """The edges from blocked owners into ``node`` that count (for a blocked node, only owners
        blocked before it, so following them back always ends at a designated party)."""
        g = self.graph
        out = []
        for edge in g.in_edges[node]:
            owner = g.src[edge]
            if not self.blocked[owner] or g.edges[edge].kind is EdgeKind.LINKED:
                continue
            if self.blocked[node] and self.rank[owner] > self.rank[node]:
                continue
            out.append(edge)
        return out

    def chain(self, edge: int) -> list[int]:
        """The edges from a designated party down to edge ``edge`` (included), first reasons first."""
        g = self.graph
        steps = [edge]
        owner = g.src[edge]
        while not self.designated[owner]:
            earlier = self.reasons(owner)
            if not earlier:  # blocked with no reason left cannot happen; stop rather than loop
                break
            first = min(earlier, key=lambda e: self.rank[g.src[e]])
            steps.append(first)
            owner = g.src[first]
        steps.reverse()
        return steps

    def paths(self, node: int) -> list[str]:
        """Each path by which blocked parties reach ``node``: ``KOMID —50%→ Delta —40%→ Epsilon``."""
        g = self.graph
        out = []
        for edge in self.reasons(node):
            steps = self.chain(edge)
            text = g.names[g.src[steps[0]]]
            for e in steps:
                text += f" —{g.edges[e].label()}→ {g.names[g.dst[e]]}"
            out.append(text)
        return out


def evaluate(graph: OwnershipGraph, regime: Regime, designated: Iterable[str]) -> Evaluation:
    """Evaluate ``graph`` under ``regime``; ``designated`` are the keys of its listed parties."""
    return Evaluation(graph, regime, designated)
