"""Screening benchmark: index build, single-query throughput and latency, batch scaling, memory,
retrieval recall against the exhaustive scan, and quality on the labelled dev sets.

Every sanctions list in ../shared/data is imported into a fresh SQLite store first (the PEP export
is not a sanctions list). Usage::

    .venv/bin/python benchmarks/bench_screen.py [--runs 3] [--recall full|sample|none]

Prints Markdown tables; docs/benchmarks.md quotes them with this command.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from sanctionwatch.batch.evaluate import score_results
from sanctionwatch.batch.queries import BatchQuery
from sanctionwatch.batch.runner import BatchOptions, screen_batch
from sanctionwatch.matching.query import Query, salvage_date
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Entity
from sanctionwatch.settings import Settings
from sanctionwatch.store.liststore import ListStore

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
EVAL = REPO.parent / "shared" / "eval" / "dev"
LISTS = [
    ("ofac/sdn-2024-05-03", False),
    ("ofac/cons-2025-12", False),
    ("un/consolidated-2026-02-27.xml", False),
    ("uk/conlist-2018-04-13.csv", False),
    ("eu/fsf-v1.0-2016-02-11-subset.xml", False),
    ("us-csl/consolidated-subset.csv", True),  # ends mid-row: one record skipped, reported
    ("opensanctions/ua_war_sanctions_targets.simple.csv", False),
]
EVAL_FILES = ("un-typos.csv", "korean-forms.csv", "negatives.csv")


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load_queries() -> tuple[list[BatchQuery], list[tuple[str, str, str]]]:
    """All dev queries (with their labels), in file order."""
    queries, labels = [], []
    for name in EVAL_FILES:
        with (EVAL / name).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                q = Query.build(
                    row["name"],
                    schema=row["schema"] or None,
                    birth_date=salvage_date(row["birth_date"]),
                    country=row["nationality"] or None,
                )
                queries.append(BatchQuery(row["id"], q))
                labels.append((row["id"], row["expected"], row["group"]))
    return queries, labels


def timed(fn: Callable[[], Screener], runs: int) -> tuple[list[float], Screener]:
    """Wall times of ``runs`` calls and the last result."""
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--recall", choices=("full", "sample", "none"), default="sample")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-"))
    settings = Settings(data_dir=tmp)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}\n")
    with ListStore.open(settings) as store:
        started = time.perf_counter()
        for rel, lenient in LISTS:
            store.import_paths([DATA / rel], lenient=lenient)
        print(f"import of all lists: {time.perf_counter() - started:.1f} s")
        entities: list[Entity] = list(store.active_entities())
    base = rss_mb()
    builds, screener = timed(lambda: Screener(entities), args.runs)
    stats = screener.index.stats()
    print(
        f"\n| index | value |\n|---|---|\n| entities | {stats.entities:,} |\n| name forms | {stats.forms:,} |"
    )
    print(f"| vocabulary | {stats.vocabulary:,} tokens, {stats.deletion_keys:,} deletion keys |")
    print(f"| build, median of {args.runs} | {statistics.median(builds):.2f} s |")
    print(f"| resident memory, process total | {rss_mb():,.0f} MB (entities alone {base:,.0f} MB) |")

    queries, labels = load_queries()
    sets = {
        "all dev queries": queries,
        "negatives": [q for q in queries if q.id.startswith("neg-")],
        "un-typos": [q for q in queries if q.id.startswith("un-typo")],
        "korean-forms": [q for q in queries if q.id.startswith("krdev")],
    }
    print("\n| single process | queries | queries/s (median) | p50 | p95 | p99 |\n|---|---|---|---|---|---|")
    results: dict[str, list[dict[str, Any]]] = {}
    all_dev_rate = 0.0
    for label, qs in sets.items():
        rates, p50s, p95s, p99s = [], [], [], []
        for _ in range(args.runs):
            screener.clear_caches()  # every run starts cold: no lookup learned from the last one
            lat = []
            started = time.perf_counter()
            for bq in qs:
                t = time.perf_counter()
                hits = screener.screen(bq.query)
                lat.append(time.perf_counter() - t)
                if label == "all dev queries":
                    results[bq.id] = [{"entity_id": h.entity_id, "match": h.match} for h in hits]
            rates.append(len(qs) / (time.perf_counter() - started))
            p50s.append(pct(lat, 0.5))
            p95s.append(pct(lat, 0.95))
            p99s.append(pct(lat, 0.99))
        if label == "all dev queries":
            all_dev_rate = statistics.median(rates)
        print(
            f"| {label} | {len(qs):,} | {statistics.median(rates):,.0f} | "
            f"{statistics.median(p50s) * 1e3:.2f} ms | {statistics.median(p95s) * 1e3:.2f} ms | "
            f"{statistics.median(p99s) * 1e3:.2f} ms |"
        )

    single_process = all_dev_rate  # the baseline: one process screening one query at a time
    print("\n| batch (screen --file engine) | workers | queries/s | vs 1 worker | vs single process |")
    print("|---|---|---|---|---|")
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.runs):  # interleaved, so drift on a shared machine hits both alike
        for workers in (1, 2):
            screener.clear_caches()  # the workers fork from this process: cold for both
            started = time.perf_counter()
            count = sum(1 for _ in screen_batch(screener, queries, BatchOptions(workers=workers)))
            times[workers].append(time.perf_counter() - started)
    one = count / statistics.median(times[1])
    for workers in (1, 2):
        rate = count / statistics.median(times[workers])
        ratios = f"{rate / one:.2f}x | {rate / single_process:.2f}x"
        print(f"| all dev queries | {workers} | {rate:,.0f} | {ratios} |")

    print("\n| quality (all lists) | n | recall@1 | recall@10 | alerted recall | false alerts |")
    print("|---|---|---|---|---|---|")
    for group, fig in score_results(labels, results).items():
        r = fig.rates()
        cells = [f"{r[k]:.3f}" if k in r else "" for k in ("recall_at_1", "recall_at_10", "alerted_recall")]
        fa = f"{r['false_alert_rate']:.2%}" if "false_alert_rate" in r else ""
        print(f"| {group} | {r['n']} | {' | '.join(cells)} | {fa} |")

    if args.recall != "none":
        every = 1 if args.recall == "full" else 25
        sample = [q for k, q in enumerate(queries) if q.id.startswith(("un-typo", "krdev")) or k % every == 0]
        wanted = found = 0
        started = time.perf_counter()
        for bq in sample:
            full = {h.entity_id for h in screener.screen(bq.query, limit=50, exhaustive=True) if h.match}
            fast = {h.entity_id for h in screener.screen(bq.query, limit=50) if h.match}
            wanted += len(full)
            found += len(full & fast)
        took = time.perf_counter() - started
        print(
            f"\nretrieval recall vs exhaustive scan ({len(sample):,} queries, {args.recall}): "
            f"{found:,} of {wanted:,} alerts = {found / max(wanted, 1):.4f} ({took:.0f} s)"
        )
    (tmp / "results.json").write_bytes(orjson.dumps(results))


if __name__ == "__main__":
    main()
