"""The ownership and control edges the lists state: vessel owners and operators, parent companies
and subsidiaries, OFAC "Linked To" (``model.Link``, as the parsers give them).

Which relation becomes which edge is data (``network/data/relations.yml``). A link that names its
target by id uses the id; one that names it only by name is resolved to the entity of the same list
carrying exactly that name (ignoring case) when there is one, else the name is the node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from sanctionwatch.errors import ConfigError
from sanctionwatch.model import Entity
from sanctionwatch.network.graph import Edge, EdgeKind

__all__ = ["ListEdges", "Relation", "list_edges", "load_relations"]


@dataclass(frozen=True, slots=True)
class Relation:
    """How one list relation becomes an edge: its kind and which side owns or controls."""

    kind: EdgeKind
    target_owns: bool


@cache
def load_relations() -> dict[str, Relation]:
    """The relations of ``network/data/relations.yml``, by relation name.

    Raises:
        ConfigError: The file is not valid YAML or an entry is malformed.
    """
    raw = resources.files("sanctionwatch.network").joinpath("data/relations.yml").read_text("utf-8")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"network/data/relations.yml: not valid YAML: {exc}") from exc
    entries = data.get("relations") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ConfigError("network/data/relations.yml: no 'relations' mapping")
    out = {}
    for name, entry in entries.items():
        try:
            kind = EdgeKind(entry["kind"])
            side = entry["owner"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"network/data/relations.yml: relations.{name}: {exc}") from None
        if side not in ("target", "entity"):
            raise ConfigError(f"network/data/relations.yml: relations.{name}.owner: {side!r}")
        out[str(name)] = Relation(kind, side == "target")
    return out


@dataclass(frozen=True, slots=True)
class ListEdges:
    """The edges of a set of entities and the display name of every entity they touch."""

    edges: tuple[Edge, ...]
    names: dict[str, str]


def _name_index(entities: list[Entity]) -> dict[tuple[str, str], str | None]:
    """(list key, casefolded name) → the one entity id carrying it (None: several do)."""
    index: dict[tuple[str, str], str | None] = {}
    for e in entities:
        for n in e.names:
            key = (e.list_key, n.full.casefold())
            index[key] = e.id if index.get(key, e.id) == e.id else None
    return index


def list_edges(entities: Iterable[Entity]) -> ListEdges:
    """The graph edges stated by ``entities`` (their ``links``), duplicates removed."""
    relations = load_relations()
    items = list(entities)
    names = {e.id: e.caption for e in items}
    by_name = _name_index(items)
    seen: set[tuple[str, str, EdgeKind]] = set()
    edges: list[Edge] = []
    for e in items:
        for edge in _edges_of(e, relations, by_name):
            key = (edge.owner, edge.owned, edge.kind)
            if key not in seen and edge.owner != edge.owned:
                seen.add(key)
                edges.append(edge)
    return ListEdges(tuple(edges), names)


def _edges_of(
    e: Entity, relations: dict[str, Relation], by_name: dict[tuple[str, str], str | None]
) -> Iterator[Edge]:
    for link in e.links:
        rel = relations.get(link.relation)
        if rel is None or not link.target_name.strip():
            continue
        target = link.target_id or by_name.get((e.list_key, link.target_name.casefold()))
        other = target or link.target_name.strip()
        owner, owned = (other, e.id) if rel.target_owns else (e.id, other)
        yield Edge(owner, owned, None, rel.kind, f"{e.id} ({link.relation})")
