"""The ownership and control graph: who owns (what share of) or controls whom.

Nodes are strings: an entity id of the lists (``us-ofac-sdn:9345``), a customer id of the book, or the
name of a company nobody listed. Internally each node is interned to an integer and the edges are
kept as adjacency lists of edge numbers, so a graph of a million edges costs a few hundred MB and one
linear pass to evaluate (see ``rules.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sanctionwatch.errors import InputError

__all__ = ["TOLERANCE", "Edge", "EdgeKind", "OverOwned", "OwnershipGraph"]

TOLERANCE = 1e-9
"""Slack in percentage sums, so ``33.33 + 16.67`` is 50 and not 49.999999999999993."""


class EdgeKind(StrEnum):
    """What an edge says: the owner holds a share of the owned, controls it by other means, or (from
    a list's "Linked To") is linked to it in a way the list does not spell out, which no regime counts."""

    OWNERSHIP = "ownership"
    CONTROL = "control"
    LINKED = "linked"


class OverOwned(InputError):
    """The ownership shares into one company add up to more than 100%."""


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge: ``owner`` owns ``percentage`` of ``owned`` (or controls it).

    Attributes:
        owner: Node of the owner (entity id, customer id or company name).
        owned: Node of the owned or controlled party.
        percentage: Share held, 0 < p <= 100; None for a control edge or an unknown share.
        kind: Ownership or control.
        source: Where the edge comes from (``file.csv:12``, or the entity id whose record states it).
    """

    owner: str
    owned: str
    percentage: float | None
    kind: EdgeKind
    source: str = ""

    def label(self) -> str:
        """The edge as a path step shows it: ``50%``, ``control`` or ``owner (share unknown)``."""
        if self.kind is not EdgeKind.OWNERSHIP:
            return str(self.kind)
        if self.percentage is None:
            return "owner (share unknown)"
        return f"{self.percentage:g}%"


class OwnershipGraph:
    """A directed multigraph of ownership and control edges over interned nodes.

    Attributes:
        keys: Node strings by node number.
        names: Display names by node number (the key itself unless a name was given).
        edges: Every edge, by edge number.
        out_edges: Edge numbers leaving each node (what it owns or controls).
        in_edges: Edge numbers entering each node (who owns or controls it).
        identified: Nodes named by :meth:`set_names`, whose key is an id (entity or customer id)
            rather than a company's name.
    """

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.names: list[str] = []
        self.index: dict[str, int] = {}
        self.edges: list[Edge] = []
        self.src: list[int] = []
        self.dst: list[int] = []
        self.out_edges: list[list[int]] = []
        self.in_edges: list[list[int]] = []
        self.owned_share: list[float] = []
        self.identified: set[int] = set()

    @classmethod
    def build(cls, edges: Iterable[Edge], names: dict[str, str] | None = None) -> OwnershipGraph:
        """A graph of ``edges``, with display names for the nodes ``names`` knows.

        Raises:
            OverOwned: The shares into one company add up to more than 100%.
        """
        graph = cls()
        for edge in edges:
            graph.add(edge)
        if names:
            graph.set_names(names)
        return graph

    def node(self, key: str) -> int:
        """The number of node ``key``, adding it if new."""
        n = self.index.get(key)
        if n is None:
            n = len(self.keys)
            self.index[key] = n
            self.keys.append(key)
            self.names.append(key)
            self.out_edges.append([])
            self.in_edges.append([])
            self.owned_share.append(0.0)
        return n

    def set_names(self, names: dict[str, str]) -> None:
        """Display names for the nodes that have one (entity captions, customer names)."""
        for key, name in names.items():
            n = self.index.get(key)
            if n is not None:
                self.names[n] = name
                self.identified.add(n)

    def add(self, edge: Edge) -> int:
        """Add one edge; its number.

        Raises:
            InputError: A percentage outside (0, 100], or an edge from a node to itself.
            OverOwned: The shares into ``edge.owned`` would add up to more than 100%.
        """
        if edge.owner == edge.owned:
            raise InputError(f"{edge.source or 'edge'}: {edge.owner!r} cannot own itself")
        p = edge.percentage
        if p is not None and not 0 < p <= 100:
            raise InputError(f"{edge.source or 'edge'}: percentage {p!r} is not in (0, 100]")
        a, b = self.node(edge.owner), self.node(edge.owned)
        if edge.kind is EdgeKind.OWNERSHIP and p is not None:
            total = self.owned_share[b] + p
            if total > 100 + TOLERANCE:
                raise OverOwned(
                    f"{edge.source or 'edge'}: {edge.owned!r} would be owned {total:g}% in all "
                    f"(more than 100%) with {edge.owner!r}'s {p:g}%"
                )
            self.owned_share[b] = total
        number = len(self.edges)
        self.edges.append(edge)
        self.src.append(a)
        self.dst.append(b)
        self.out_edges[a].append(number)
        self.in_edges[b].append(number)
        return number

    def remove(self, number: int) -> None:
        """Remove edge ``number`` from the adjacency (its slot stays, so numbers stay stable)."""
        edge = self.edges[number]
        a, b = self.src[number], self.dst[number]
        self.out_edges[a].remove(number)
        self.in_edges[b].remove(number)
        if edge.kind is EdgeKind.OWNERSHIP and edge.percentage is not None:
            self.owned_share[b] -= edge.percentage

    def __len__(self) -> int:
        return len(self.keys)

    def edge_count(self) -> int:
        """Edges in the graph (removed ones not counted)."""
        return sum(len(out) for out in self.out_edges)

    def downstream(self, start: int) -> list[int]:
        """``start`` and every node it owns or controls, directly or through others (each once)."""
        seen = {start}
        order = [start]
        stack = [start]
        while stack:
            n = stack.pop()
            for e in self.out_edges[n]:
                m = self.dst[e]
                if m not in seen:
                    seen.add(m)
                    order.append(m)
                    stack.append(m)
        return order
