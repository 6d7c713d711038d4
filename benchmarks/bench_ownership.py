"""Scale benchmark of the ownership rules: a synthetic graph of a million edges, checked in full and
incrementally after one edge changes.

The graph is made of corporate groups (sizes heavy-tailed, 1 to 3,000 companies): each company of a
group is owned by one earlier company of the group (a tree, a share of 5-100%), often by a second
owner (a person or another company of the group, with what share is left), sometimes controlled by
a person, rarely cross-held by a company of an earlier group, and a few groups hold a cycle (a
company owning a share of one of its owners). A fraction of persons and group heads are designated.
Edges are generated until ``--edges`` are reached; the generator is seeded, so runs are equal.

Measured: building the graph, evaluating it under each regime (``--regimes``), and for
``--changes`` random single-edge changes (an edge removed, or a designated person given 50% of a
company that has the share free) the incremental re-evaluation of the affected downstream part,
checked at the end against a fresh evaluation (the blocked sets must be equal).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_ownership.py --edges 1000000 --changes 50
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

from sanctionwatch.network.graph import Edge, EdgeKind, OwnershipGraph
from sanctionwatch.network.report import statuses
from sanctionwatch.network.rules import evaluate, regime

OWN, CTL = EdgeKind.OWNERSHIP, EdgeKind.CONTROL


def synthetic(edges: int, seed: int, listed: float = 0.02) -> tuple[list[Edge], list[str], list[str], str]:
    """Edges, designated keys, companies with half their shares free, and the largest group's head."""
    rng = random.Random(seed)
    persons = [f"P{i}" for i in range(max(1000, edges // 20))]
    designated = [p for p in persons if rng.random() < listed]
    out: list[Edge] = []
    companies: list[str] = []
    free: dict[str, float] = {}
    g = 0
    largest = (0, "")
    while len(out) < edges:
        size = min(3000, int(rng.paretovariate(1.2)) + 1)
        group = [f"G{g}C{j}" for j in range(size)]
        g += 1
        head = group[0]
        largest = max(largest, (size, head))
        if rng.random() < 0.01:
            designated.append(head)
        owner = rng.choice(persons)
        share = rng.choice((100.0, 60.0, 50.0, 35.0))
        out.append(Edge(owner, head, share, OWN))
        free[head] = 100.0 - share
        for j in range(1, size):
            c = group[j]
            parent = group[rng.randrange(j)]
            share = rng.choice((100.0, 75.0, 51.0, 50.0, 40.0, 25.0, 10.0))
            out.append(Edge(parent, c, share, OWN))
            left = 100.0 - share
            if left > 0 and rng.random() < 0.6:
                second = rng.choice(persons) if rng.random() < 0.5 else group[rng.randrange(j)]
                if second != parent:
                    part = round(left * rng.choice((1.0, 0.5, 0.2)), 2)
                    out.append(Edge(second, c, part, OWN))
                    left -= part
            if rng.random() < 0.05:
                out.append(Edge(rng.choice(persons), c, None, CTL))
            if companies and left > 1 and rng.random() < 0.003:
                part = round(left / 2, 2)
                out.append(Edge(rng.choice(companies), c, part, OWN))
                left -= part
            free[c] = left
        if size > 3 and rng.random() < 0.02:  # a cross-holding: a company owns a share of its owner
            low, high = group[1], group[size - 1]
            if free[low] > 5:
                out.append(Edge(high, low, 5.0, OWN))
                free[low] -= 5.0
        companies.extend(group)
    return out, designated, [c for c in companies if free[c] >= 50], largest[1]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--regimes", default="ofac,eu,uk")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--listed", type=float, default=0.02, help="Share of persons designated.")
    args = parser.parse_args()

    t = time.perf_counter()
    edges, designated, open_companies, big_head = synthetic(args.edges, args.seed, args.listed)
    print(
        f"generated {len(edges):,} edges, {len(designated):,} designated in {time.perf_counter() - t:.1f} s"
    )

    t = time.perf_counter()
    graph = OwnershipGraph.build(edges)
    built = time.perf_counter() - t
    print(f"graph: {len(graph):,} parties, {graph.edge_count():,} edges, built in {built:.1f} s")

    for key in args.regimes.split(","):
        t = time.perf_counter()
        ev = evaluate(graph, regime(key), designated)
        took = time.perf_counter() - t
        extra = sum(ev.blocked) - sum(ev.designated)
        t = time.perf_counter()
        parties = sum(1 for _ in statuses(ev))
        reported = time.perf_counter() - t
        print(
            f"{key}: evaluated in {took:.2f} s, every party's status and paths in {reported:.1f} s "
            f"(build + evaluate + report {built + took + reported:.1f} s): {parties:,} parties, "
            f"{extra:,} blocked through ownership or control"
        )

    rng = random.Random(args.seed + 1)
    ev = evaluate(graph, regime("ofac"), designated)
    times: list[float] = []
    regions: list[int] = []
    sample = rng.sample(open_companies, args.changes)
    for n in range(args.changes):
        if n % 2 == 0:  # take away one live edge
            while True:
                number = rng.randrange(len(graph.edges))
                if number in graph.out_edges[graph.src[number]]:
                    break
            t = time.perf_counter()
            graph.remove(number)
            regions.append(ev.reevaluate([number]))
        else:  # a designated person takes 50% of a company with the share free
            edge = Edge(rng.choice(designated[:1000]), sample[n], 50.0, OWN)
            t = time.perf_counter()
            number = graph.add(edge)
            regions.append(ev.reevaluate([number]))
        times.append(time.perf_counter() - t)
    head = graph.index[big_head]
    t = time.perf_counter()
    worst = graph.in_edges[head][0]
    graph.remove(worst)
    region = ev.reevaluate([worst])
    print(
        f"incremental (ofac), the edge into the head of the largest group removed: "
        f"{(time.perf_counter() - t) * 1000:.1f} ms, {region:,} parties re-evaluated"
    )
    fresh = evaluate(graph, regime("ofac"), designated)
    same = ev.blocked == fresh.blocked
    print(
        f"incremental (ofac), {args.changes} single-edge changes: "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms; parties re-evaluated median {statistics.median(regions):,.0f}, "
        f"max {max(regions):,}; equal to a fresh run: {same}"
    )
    print(f"peak resident memory {_rss_mb():,.0f} MB")
    if not same:
        raise SystemExit("incremental evaluation differs from a fresh one")


if __name__ == "__main__":
    main()
