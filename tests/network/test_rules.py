"""The ownership rules as literal tables: edges in, who is blocked (and the share) out, per regime.

X, Y are designated under every regime here (each test passes its designated set); the examples
are OFAC's FAQ 399/401 and the issue's, and the EU's and OFSI's tests of control and aggregation.
"""

from __future__ import annotations

import random

import pytest

from sanctionwatch.errors import InputError
from sanctionwatch.network.graph import Edge, EdgeKind, OverOwned, OwnershipGraph
from sanctionwatch.network.rules import evaluate, load_regimes, regime

OWN = EdgeKind.OWNERSHIP
CTL = EdgeKind.CONTROL

Row = tuple[str, str, float | None, EdgeKind]


def _graph(rows: list[Row]) -> OwnershipGraph:
    return OwnershipGraph.build(Edge(a, b, p, k, f"t:{i}") for i, (a, b, p, k) in enumerate(rows, 1))


def blocked(rows: list[Row], key: str, designated: tuple[str, ...] = ("X", "Y")) -> set[str]:
    return evaluate(_graph(rows), regime(key), designated).blocked_keys() - set(designated)


# (case, edges, blocked under ofac, eu, uk) — designated: X and Y.
TABLE: list[tuple[str, list[Row], set[str], set[str], set[str]]] = [
    (
        "faq 401 ex. 1: chain of 50%",
        [("X", "A", 50, OWN), ("A", "B", 50, OWN)],
        {"A", "B"},
        {"A", "B"},
        set(),
    ),
    (
        "faq 401 ex. 3: A's 40% counts in full",
        [("X", "A", 50, OWN), ("X", "B", 10, OWN), ("A", "B", 40, OWN)],
        {"A", "B"},
        {"A", "B"},
        set(),
    ),
    ("two blocked owners of 25% each", [("X", "A", 25, OWN), ("Y", "A", 25, OWN)], {"A"}, {"A"}, set()),
    ("49% is not enough", [("X", "A", 49, OWN)], set(), set(), set()),
    ("51% blocks everywhere", [("X", "A", 51, OWN)], {"A"}, {"A"}, {"A"}),
    (
        "two of 30%: aggregated, but not in the UK",
        [("X", "A", 30, OWN), ("Y", "A", 30, OWN)],
        {"A"},
        {"A"},
        set(),
    ),
    ("control alone", [("X", "A", None, CTL)], set(), {"A"}, {"A"}),
    (
        "control passes on ownership",
        [("X", "A", None, CTL), ("A", "B", 60, OWN)],
        set(),
        {"A", "B"},
        {"A", "B"},
    ),
    (
        "an unblocked owner passes nothing on (X 40% of A, A 100% of B)",
        [("X", "A", 40, OWN), ("A", "B", 100, OWN)],
        set(),
        set(),
        set(),
    ),
    (
        "2014 FAQ: X 25% of A and B, A and B 50% each of C",
        [("X", "A", 25, OWN), ("X", "B", 25, OWN), ("A", "C", 50, OWN), ("B", "C", 50, OWN)],
        set(),
        set(),
        set(),
    ),
    ("share unknown counts for nothing", [("X", "A", None, OWN)], set(), set(), set()),
    (
        "faq 401 ex. 2: X 50% of A and B, each 25% of C",
        [("X", "A", 50, OWN), ("X", "B", 50, OWN), ("A", "C", 25, OWN), ("B", "C", 25, OWN)],
        {"A", "B", "C"},
        {"A", "B", "C"},
        set(),
    ),
    ("a cycle with no blocked owner", [("A", "B", 60, OWN), ("B", "A", 60, OWN)], set(), set(), set()),
    (
        "a cycle entered from outside",
        [("X", "A", 60, OWN), ("A", "B", 60, OWN), ("B", "A", 30, OWN), ("B", "C", 50, OWN)],
        {"A", "B", "C"},
        {"A", "B", "C"},
        {"A", "B"},
    ),
    (
        "a cycle that blocks itself only with outside help",
        [("X", "A", 30, OWN), ("B", "A", 20, OWN), ("A", "B", 50, OWN)],
        set(),
        set(),
        set(),
    ),
]


@pytest.mark.parametrize(("case", "rows", "ofac", "eu", "uk"), TABLE, ids=[t[0] for t in TABLE])
def test_who_is_blocked_per_regime(
    case: str, rows: list[Row], ofac: set[str], eu: set[str], uk: set[str]
) -> None:
    assert blocked(rows, "ofac") == ofac
    assert blocked(rows, "eu") == eu
    assert blocked(rows, "uk") == uk


def test_aggregate_share_and_paths_of_faq_401_example_3() -> None:
    graph = _graph([("X", "A", 50, OWN), ("X", "B", 10, OWN), ("A", "B", 40, OWN)])
    graph.set_names({"X": "KOMID", "A": "Delta Corp", "B": "Epsilon Corp"})
    ev = evaluate(graph, regime("ofac"), ["X"])
    b = graph.index["B"]
    assert ev.share[b] == pytest.approx(50.0)
    assert sorted(ev.paths(b)) == ["KOMID —10%→ Epsilon Corp", "KOMID —50%→ Delta Corp —40%→ Epsilon Corp"]


def test_uk_share_is_the_largest_single_holding_and_49_is_reported() -> None:
    graph = _graph([("X", "A", 30, OWN), ("Y", "A", 40, OWN)])
    uk = evaluate(graph, regime("uk"), ["X", "Y"])
    ofac = evaluate(graph, regime("ofac"), ["X", "Y"])
    a = graph.index["A"]
    assert (uk.share[a], bool(uk.blocked[a])) == (40.0, False)
    assert (ofac.share[a], bool(ofac.blocked[a])) == (70.0, True)


def test_fractions_adding_to_50_meet_the_threshold() -> None:
    assert blocked([("X", "A", 33.33, OWN), ("Y", "A", 16.67, OWN)], "ofac") == {"A"}


def test_more_than_100_percent_into_one_company_is_refused() -> None:
    with pytest.raises(OverOwned, match=r"t:2: 'A' would be owned 110% in all .*'Y''s 50%"):
        _graph([("X", "A", 60, OWN), ("Y", "A", 50, OWN)])


@pytest.mark.parametrize("bad", [0, -5, 100.5])
def test_a_percentage_outside_0_to_100_is_refused(bad: float) -> None:
    with pytest.raises(InputError, match=rf"percentage {bad!r} is not in \(0, 100\]"):
        _graph([("X", "A", bad, OWN)])


def test_incremental_reevaluation_equals_a_fresh_run() -> None:
    rows: list[Row] = [("X", "A", 30, OWN), ("A", "B", 60, OWN), ("B", "C", 70, OWN), ("Q", "R", 90, OWN)]
    graph = _graph(rows)
    ev = evaluate(graph, regime("ofac"), ["X", "Y"])
    assert ev.blocked_keys() == {"X"}
    added = graph.add(Edge("Y", "A", 20, OWN))
    assert ev.reevaluate([added]) == 4  # Y (new), A, B, C; Q and R are not downstream
    assert ev.blocked_keys() == {"X", "Y", "A", "B", "C"}
    graph.remove(added)
    ev.reevaluate([added])
    assert ev.blocked_keys() == {"X", "Y"}  # Y stays a (designated) node of the graph
    fresh = evaluate(graph, regime("ofac"), ["X", "Y"])
    assert ev.blocked_keys() == fresh.blocked_keys()
    assert ev.share == fresh.share


def test_every_regime_cites_its_sources() -> None:
    regimes = load_regimes()
    assert sorted(regimes) == ["eu", "ofac", "uk"]
    assert regimes["ofac"].lists == ("us-ofac-sdn",)
    for r in regimes.values():
        assert r.sources and all(s.title for s in r.sources)


def test_an_unknown_regime_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="'un' is not one of eu, ofac, uk"):
        regime("un")


@pytest.mark.parametrize("key", ["ofac", "eu", "uk"])
def test_incremental_reevaluation_follows_random_edits_exactly(key: str) -> None:
    """Seeded random graphs with cycles, each edit re-evaluated and compared with a fresh run."""
    rng = random.Random(401)
    nodes = [f"N{i}" for i in range(40)]
    graph = OwnershipGraph()
    for _ in range(80):
        a, b = rng.sample(nodes, 2)
        share = rng.choice((None, 10.0, 25.0, 50.0, 60.0))
        kind = CTL if share is None and rng.random() < 0.5 else OWN
        if kind is OWN and share is not None and graph.owned_share[graph.node(b)] + share > 100:
            continue
        graph.add(Edge(a, b, share if kind is OWN else None, kind))
    designated = nodes[:4]
    ev = evaluate(graph, regime(key), designated)
    blocked_counts = []
    for step in range(60):
        live = [n for n in range(len(graph.edges)) if n in graph.out_edges[graph.src[n]]]
        if step % 2 == 0 and live:
            number = rng.choice(live)
            graph.remove(number)
        else:
            a, b = rng.sample(nodes, 2)
            free = 100 - graph.owned_share[graph.node(b)]
            number = graph.add(Edge(a, b, min(free, 50.0) if free > 0 else None, OWN if free > 0 else CTL))
        ev.reevaluate([number])
        fresh = evaluate(graph, regime(key), designated)
        assert ev.blocked == fresh.blocked, f"step {step}"
        assert ev.share == pytest.approx(fresh.share), f"step {step}"
        blocked_counts.append(sum(fresh.blocked) - sum(fresh.designated))
    assert max(blocked_counts) > 0  # the edits did block parties through ownership or control
