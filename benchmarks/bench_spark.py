"""Batch screening benchmark: the local process pool vs Spark local mode on a synthetic book.

The book: ``--customers`` synthetic customers whose names recombine the name parts of the dev
negatives (a given name of one, the rest of another), plus a few hundred planted listed names (the
UN typo queries and exact primary names of listed entities). Every sanctions list in ../shared/data
is parsed (the CSL subset leniently). Each engine runs in its own child process; the parent
samples the proportional set size (PSS: shared pages split between the processes sharing them) of
the child's whole process tree (forked workers, or the JVM and its Python workers) for the peak.
Usage::

    .venv/bin/python benchmarks/bench_spark.py [--customers 1000000] [--workers 2]

Prints a Markdown table (the load averages before and after on stderr) and fails when the engines
do not report the same number of customers, alerted customers and matching hits; docs/benchmarks.md
quotes it with this command.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

from sanctionwatch.model import Entity
from sanctionwatch.sources.base import ParseContext
from sanctionwatch.sources.registry import detect, get_format

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
EVAL = REPO.parent / "shared" / "eval" / "dev"
LISTS = [
    ("ofac/sdn-2024-05-03", False),
    ("ofac/cons-2025-12", False),
    ("un/consolidated-2026-02-27.xml", False),
    ("uk/conlist-2018-04-13.csv", False),
    ("eu/fsf-v1.0-2016-02-11-subset.xml", False),
    ("us-csl/consolidated-subset.csv", True),  # ends mid-row: one record skipped
    ("opensanctions/ua_war_sanctions_targets.simple.csv", False),
]
HEADER = ["id", "name", "schema", "birth_date", "nationality", "customer_ref"]


def entities() -> Iterator[Entity]:
    """Every sanctions list of ../shared/data."""
    for rel, lenient in LISTS:
        files = detect(DATA / rel)
        yield from get_format(files.format_key).parse(files, ParseContext(lenient=lenient))


def make_book(path: Path, n: int, seed: int = 7) -> int:
    """Write ``n`` synthetic customers plus planted listed names; returns how many were planted."""
    rng = random.Random(seed)
    with (EVAL / "negatives.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if len(r["name"].split()) >= 2]
    with (EVAL / "un-typos.csv").open(encoding="utf-8", newline="") as f:
        planted = [(r["name"], r["schema"], r["birth_date"], r["nationality"]) for r in csv.DictReader(f)]
    listed = [e for e in entities() if e.schema in ("Person", "Organization")]
    planted += [(e.names[0].full, str(e.schema), "", "") for e in rng.sample(listed, 200)]
    every = max(1, n // len(planted))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        p = 0
        for i in range(n):
            if i % every == 0 and p < len(planted):
                name, schema, dob, nat = planted[p]
                p += 1
            else:
                a, b = rng.choice(rows), rng.choice(rows)
                name = " ".join([a["name"].split()[0], *b["name"].split()[1:]])
                schema, dob, nat = b["schema"], b["birth_date"], b["nationality"]
            w.writerow([f"c{i}", name, schema, dob, nat, f"ref-{i:07d}"])
    return p


def run_local(book: Path, out: Path, workers: int) -> None:
    """Child: parse the lists, build the index, screen with the forked pool, write JSON lines."""
    from sanctionwatch.batch.queries import read_queries
    from sanctionwatch.batch.runner import BatchOptions, screen_batch, write_results
    from sanctionwatch.matching.screener import Screener

    t0 = time.perf_counter()
    screener = Screener(entities())
    t1 = time.perf_counter()
    queries = read_queries(book, salvage_dates=True)
    with out.open("wb") as f:
        n = write_results(screen_batch(screener, queries, BatchOptions(workers=workers)), f)
    t2 = time.perf_counter()
    alerts = matches = 0
    with out.open("rb") as f:
        for line in f:
            found = sum(h["match"] for h in orjson.loads(line)["hits"])
            alerts += found > 0
            matches += found
    figures = {"n": n, "setup": t1 - t0, "screen": t2 - t1, "alerts": alerts, "matches": matches}
    print(orjson.dumps(figures).decode())


def run_spark(book: Path, out: Path, workers: int) -> None:
    """Child: start Spark local[workers], broadcast the entities, screen, write Parquet."""
    from sanctionwatch.batch.spark import SparkOptions, screen_file_spark, spark_session

    t0 = time.perf_counter()
    spark = spark_session(f"local[{workers}]")
    t1 = time.perf_counter()
    n = screen_file_spark(spark, entities(), book, out, SparkOptions(salvage_dates=True))
    t2 = time.perf_counter()
    found = spark.read.parquet(str(out)).selectExpr(
        "alert", "size(filter(from_json(hits, 'array<struct<match:boolean>>'), h -> h.match)) AS n"
    )
    row = found.selectExpr("count_if(alert) AS alerts", "coalesce(sum(n), 0) AS matches").first()
    assert row is not None
    spark.stop()
    alerts, matches = int(row["alerts"]), int(row["matches"])
    figures = {"n": n, "setup": t1 - t0, "screen": t2 - t1, "alerts": alerts, "matches": matches}
    print(orjson.dumps(figures).decode())


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _pss_mb(root: int) -> float:
    """PSS of ``root`` and all its descendants, in MB."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += _children(pid)
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def measure(engine: str, book: Path, out: Path, workers: int) -> dict[str, float]:
    """Run one engine in a child process; wall time, its own figures and the peak PSS."""
    cmd = [sys.executable, __file__, "--child", engine, "--book", str(book), "--out", str(out)]
    started = time.perf_counter()
    child = subprocess.Popen([*cmd, "--workers", str(workers)], stdout=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], _pss_mb(child.pid))
            time.sleep(0.5)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    stdout, _ = child.communicate()
    wall = time.perf_counter() - started
    t.join()
    if child.returncode != 0:
        raise SystemExit(f"{engine} run failed ({child.returncode})")
    figures: dict[str, float] = orjson.loads(stdout.strip().splitlines()[-1])
    return {**figures, "wall": wall, "peak_mb": peak[0]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--engines", default="local,spark")
    p.add_argument("--child", choices=["local", "spark"], help=argparse.SUPPRESS)
    p.add_argument("--book", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        (run_local if a.child == "local" else run_spark)(a.book, a.out, a.workers)
        return
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book.csv"
        planted = make_book(book, a.customers)
        size = book.stat().st_size / 1e6
        print(f"book: {a.customers:,} customers ({planted} planted), {size:.0f} MB CSV", file=sys.stderr)
        print(f"load before: {_load()}", file=sys.stderr, flush=True)
        print(
            "| engine | customers | wall s | of which setup s | screening s | customers/s (wall) "
            "| alerts | matching hits | peak PSS MB |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        counts: dict[str, tuple[int, int, int]] = {}
        for engine in a.engines.split(","):
            out = Path(tmp) / ("hits.jsonl" if engine == "local" else "hits.parquet")
            print(f"{engine}: load before {_load()}", file=sys.stderr, flush=True)
            r = measure(engine, book, out, a.workers)
            print(f"{engine}: load after {_load()}", file=sys.stderr, flush=True)
            counts[engine] = (int(r["n"]), int(r["alerts"]), int(r["matches"]))
            label = f"local pool, {a.workers} workers" if engine == "local" else f"Spark local[{a.workers}]"
            print(
                f"| {label} | {int(r['n']):,} | {r['wall']:.0f} | {r['setup']:.1f} | {r['screen']:.0f} "
                f"| {r['n'] / r['wall']:,.0f} | {int(r['alerts']):,} | {int(r['matches']):,} "
                f"| {r['peak_mb']:,.0f} |",
                flush=True,
            )
        print(f"load after: {_load()}", file=sys.stderr)
        if len(set(counts.values())) > 1:
            raise SystemExit(f"the engines disagree (customers, alerts, matching hits): {counts}")
        print("(customers, alerts, matching hits) agree between the engines", file=sys.stderr)


def _load() -> str:
    """The 1, 5 and 15 minute load averages (as ``uptime`` prints them)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
