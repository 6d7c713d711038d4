"""Delta re-screen vs full re-screen of the customer book after a list update: time and work.

Two updates of the real OFAC SDN list against a synthetic book (tests/cases/synthetic.py: clean names
recombined from the labelled negatives, with planted listed names):

* ``2022 → 2024``: the real 2022-01-31 → 2024-05-03 diff (two years: most entities touched).
* ``daily``: a day-sized update made from the real 2024 file: a previous version without 20 of its
  entities, with 5 others under another name, 10 others with other remarks, and 5 entities of 2022
  that 2024 no longer lists; the update is the real 2024 file (20 added, 15 changed, 5 removed).

For each, the same starting database (the previous version imported, the book imported and screened)
is copied three times: delta re-screen with the book's index built (cold), delta with the index
from the cache (warm), and the full re-screen (``book screen``). Times exclude building the list
screener, which every method needs; the alert sets of the three are compared.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_delta.py --customers 100000
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.cases.synthetic (the synthetic book)

from tests.cases.synthetic import make_book, parse_set  # noqa: E402

from sanctionwatch.cases.book import import_book  # noqa: E402
from sanctionwatch.cases.delta import run_pending  # noqa: E402
from sanctionwatch.cases.screening import screen_book  # noqa: E402
from sanctionwatch.matching.screener import Screener  # noqa: E402
from sanctionwatch.settings import Settings  # noqa: E402
from sanctionwatch.store import ListStore  # noqa: E402

DATA = REPO.parent / "shared" / "data"
NEGATIVES = REPO.parent / "shared" / "eval" / "dev" / "negatives.csv"
OLD, NEW = DATA / "ofac" / "sdn-2022-01-31", DATA / "ofac" / "sdn-2024-05-03"


def _store(db: Path, folder: Path) -> ListStore:
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=folder / "data", lists_dir=None)
    return ListStore.open(settings)


def _alerts(db: Path) -> set[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT customer_id, entity_id, state, round(score, 6) FROM alerts"))


def _ent(line: str) -> str:
    return line.split(",", 1)[0]


def daily_previous(folder: Path, seed: int = 11) -> Path:
    """The made-up previous day of the 2024 file (see the module docstring); its folder."""
    rng = random.Random(seed)
    lines = (NEW / "sdn.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    old_lines = (OLD / "sdn.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    ids = {_ent(x) for x in lines}
    # Persons and organizations (type "individual" or -0-), not vessels or aircraft.
    trailer = [x for x in lines if x.strip() == "\x1a"]  # the file ends with an old DOS EOF mark
    lines = [x for x in lines if x not in trailer]
    named = [x for x in lines if next(csv.reader([x]))[2].strip() in ("individual", "-0-")]
    picked = rng.sample(named, 40)
    dropped = {_ent(x) for x in picked[:20]}
    renamed = {_ent(x) for x in picked[20:25]}
    remarked = {_ent(x) for x in picked[25:35]}
    out = []
    for line in lines:
        ent = _ent(line)
        if ent in dropped:
            continue
        if ent in renamed:
            first = line.index('"') + 1
            line = line[:first] + "PREVIOUS NAME " + line[first:]
        if ent in remarked:
            body = line.rstrip("\r\n")
            if body.endswith('"'):
                body = body[:-1] + ' Remark of the previous day."'
            else:  # no remarks: -0-
                body = body[: body.rindex(",") + 1] + '"Remark of the previous day."'
            line = body + "\r\n"
        out.append(line)
    gone = [
        x
        for x in old_lines
        if _ent(x) not in ids and len(row := next(csv.reader([x]))) > 2 and row[2].strip() == "individual"
    ][:5]
    gone = [x if x.endswith("\n") else x + "\r\n" for x in gone]
    out.extend(gone)
    out.extend(trailer)
    target = folder / "sdn-previous-day"
    target.mkdir(parents=True, exist_ok=True)
    (target / "sdn.csv").write_text("".join(out), encoding="utf-8")
    return target


def prepare(folder: Path, previous: Path, lenient: bool, book: Path) -> Path:
    """The starting database: ``previous`` imported, the book imported and fully screened."""
    db = folder / f"start-{previous.name}.db"
    with _store(db, folder) as store:
        store.import_paths([previous], lenient=lenient, rescreen=False)
        import_book(store.engine, book, "bench")
        screen_book(store.engine, Screener(store.active_entities()), "bench")
    return db


def run(folder: Path, start: Path, method: str, cache: Path) -> dict[str, Any]:
    """One method on a copy of ``start``: import the 2024 file, then re-screen; timings and counts."""
    db = folder / f"{start.stem}-{method}.db"
    shutil.copy(start, db)
    with _store(db, folder) as store:
        store.import_paths([NEW], rescreen=method != "full")
        mark = time.perf_counter()
        screener = Screener(store.active_entities())
        build = time.perf_counter() - mark
        mark = time.perf_counter()
        if method == "full":
            report = screen_book(store.engine, screener, "bench")
            seconds = time.perf_counter() - mark
            out: dict[str, Any] = {"customers": report.customers, "looked_up": 0, "opened": report.opened}
            out |= {"reopened": report.reopened, "delisted": None, "index": None}
        else:
            if method == "delta-cold":
                shutil.rmtree(cache, ignore_errors=True)
            [delta] = run_pending(store.engine, lambda: screener, "bench", cache_dir=cache)
            seconds = time.perf_counter() - mark
            out = {"customers": delta.candidates, "looked_up": delta.rescored, "opened": delta.screen.opened}
            out |= {"reopened": delta.screen.reopened, "delisted": delta.delisted}
            out["index"] = delta.seconds.get("book_index")
            out["diff"] = (delta.added, delta.changed, delta.removed)
    return {"method": method, "seconds": seconds, "screener": build, "alerts": _alerts(db), **out}


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    print(f"load before: {_uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old, new = parse_set(OLD, lenient=True), parse_set(NEW, lenient=False)
        make_book(folder / "book.csv", args.customers, old, new, NEGATIVES)
        del old, new
        cache = folder / "data" / "cache"
        scenarios = {
            "2022 → 2024": prepare(folder, OLD, True, folder / "book.csv"),
            "daily": prepare(folder, daily_previous(folder), True, folder / "book.csv"),
        }
        print(f"\n{args.customers:,} customers\n")
        print(
            "| update | method | seconds | customers screened | entities looked up | opened | reopened "
            "| delisted | book index s | same alerts as full |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for name, start in scenarios.items():
            results = [run(folder, start, m, cache) for m in ("delta-cold", "delta-warm", "full")]
            full = results[-1]["alerts"]
            for r in results:
                index = "" if r["index"] is None else f"{r['index']:.1f}"
                delisted = "" if r["delisted"] is None else f"{r['delisted']:,}"
                print(
                    f"| {name} | {r['method']} | {r['seconds']:.1f} | {r['customers']:,} "
                    f"| {r['looked_up']:,} "
                    f"| {r['opened']:,} | {r['reopened']:,} | {delisted} | {index} | {r['alerts'] == full} |"
                )
            diff = results[0]["diff"]
            print(
                f"\n{name}: {diff[0]:,} added, {diff[1]:,} changed, {diff[2]:,} removed; "
                f"list screener built in {results[-1]['screener']:.1f} s (not counted above)\n"
            )
    print(f"load after: {_uptime()}")


if __name__ == "__main__":
    main()
