"""The edges the lists state, from the entities' links (as the parsers give them)."""

from __future__ import annotations

from sanctionwatch.model import Entity, Link, Name, Schema
from sanctionwatch.network.graph import Edge, EdgeKind
from sanctionwatch.network.list_edges import list_edges, load_relations


def _entity(eid: str, name: str, schema: Schema, *links: Link) -> Entity:
    return Entity(eid, eid.split(":")[0], schema, (Name(name),), links=links)


def test_vessel_owner_operator_parent_subsidiary_and_linked_to() -> None:
    entities = [
        _entity("us-ofac-sdn:1", "OCEAN MARITIME MANAGEMENT", Schema.ORGANIZATION),
        _entity(
            "us-ofac-sdn:2",
            "MU DU BONG",
            Schema.VESSEL,
            Link("owner", "OCEAN MARITIME MANAGEMENT", "us-ofac-sdn:1"),
            Link("operator", "Unlisted Shipping Co"),
        ),
        _entity(
            "uk-sl:DPR0002",
            "KOREA MINING DEVELOPMENT TRADING CORPORATION",
            Schema.ORGANIZATION,
            Link("subsidiary", "Hesong Trading Company"),
            Link("same_as", "KOMID", "un-sc:KPe.001"),
        ),
        _entity(
            "uk-sl:DPR0003", "Hesong Trading Company", Schema.ORGANIZATION, Link("parent", "Korea Mining Dev")
        ),
        _entity(
            "us-ofac-sdn:3", "X CORP", Schema.ORGANIZATION, Link("linked_to", "OCEAN MARITIME MANAGEMENT")
        ),
    ]
    found = list_edges(entities)
    assert set(found.edges) == {
        Edge("us-ofac-sdn:1", "us-ofac-sdn:2", None, EdgeKind.OWNERSHIP, "us-ofac-sdn:2 (owner)"),
        Edge("Unlisted Shipping Co", "us-ofac-sdn:2", None, EdgeKind.CONTROL, "us-ofac-sdn:2 (operator)"),
        # named only: resolved to the entity of the same list that carries the name
        Edge("uk-sl:DPR0002", "uk-sl:DPR0003", None, EdgeKind.CONTROL, "uk-sl:DPR0002 (subsidiary)"),
        Edge("Korea Mining Dev", "uk-sl:DPR0003", None, EdgeKind.CONTROL, "uk-sl:DPR0003 (parent)"),
        Edge("us-ofac-sdn:3", "us-ofac-sdn:1", None, EdgeKind.LINKED, "us-ofac-sdn:3 (linked_to)"),
    }
    assert found.names["uk-sl:DPR0003"] == "Hesong Trading Company"


def test_the_same_edge_stated_twice_is_one_edge() -> None:
    a = _entity("uk-sl:A", "Alpha", Schema.ORGANIZATION, Link("subsidiary", "Beta"))
    b = _entity("uk-sl:B", "Beta", Schema.ORGANIZATION, Link("parent", "Alpha"))
    assert list_edges([a, b]).edges == (
        Edge("uk-sl:A", "uk-sl:B", None, EdgeKind.CONTROL, "uk-sl:A (subsidiary)"),
    )


def test_relations_table_has_the_kinds_the_parsers_write() -> None:
    relations = load_relations()
    assert relations["parent"].kind is EdgeKind.CONTROL and relations["parent"].target_owns
    assert relations["subsidiary"].kind is EdgeKind.CONTROL and not relations["subsidiary"].target_owns
    assert "same_as" not in relations
