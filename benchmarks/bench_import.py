"""List import benchmark: real list files into a fresh store, on SQLite and PostgreSQL.

For each file and backend, each run opens a fresh database (not timed) and times
``ListStore.import_files`` (checksum, parse, insert, activation, commit). ``parse only`` times the
parser alone on the same files, so the store's own share is the difference. Last, every list file
of the shared data is imported into one database and ``active_entities()`` is streamed in full.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_import.py --runs 5 --postgres auto

``--postgres auto`` starts a throwaway cluster (as the tests do); ``--postgres URL`` uses a server
on which the benchmark may create databases; ``--postgres none`` measures SQLite only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.store.pg_cluster (the throwaway PostgreSQL cluster)

from tests.store.pg_cluster import create_database, drop_database, throwaway_cluster  # noqa: E402

from sanctionwatch.settings import Settings  # noqa: E402
from sanctionwatch.sources.base import ParseContext  # noqa: E402
from sanctionwatch.sources.registry import detect, get_format  # noqa: E402
from sanctionwatch.store import ListStore  # noqa: E402

CASES = {
    "OFAC SDN 2024-05-03 (sdn.csv)": "ofac/sdn-2024-05-03",
    "UN consolidated XML 2026-02-27": "un/consolidated-2026-02-27.xml",
}
ALL_LISTS = [
    ("ofac/sdn-2024-05-03", False),
    ("ofac/cons-2025-12", True),
    ("un/consolidated-2026-02-27.xml", False),
    ("uk/conlist-2018-04-13.csv", True),
    ("eu/fsf-v1.0-2016-02-11-subset.xml", True),
    ("us-csl/consolidated-subset.csv", True),
    ("opensanctions/ua_war_sanctions_targets.simple.csv", True),
    ("opensanctions/sa_wiki_peps_entities.ftm.json", True),
]


@contextmanager
def fresh_database(backend: str, admin_url: str | None, folder: Path) -> Iterator[str]:
    """A new empty database URL on the backend."""
    if backend == "sqlite":
        path = Path(tempfile.mkdtemp(dir=folder)) / "bench.db"
        yield f"sqlite:///{path}"
        return
    assert admin_url is not None
    url = create_database(admin_url, prefix="sw_bench")
    try:
        yield url
    finally:
        drop_database(admin_url, url)


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, float]:
    """Median and minimum of ``runs`` measurements."""
    times = [measure() for _ in range(runs)]
    return statistics.median(times), min(times)


def time_parse(path: Path) -> float:
    files = detect(path)
    start = time.perf_counter()
    for _ in get_format(files.format_key).parse(files, ParseContext(lenient=True)):
        pass
    return time.perf_counter() - start


def time_import(path: Path, backend: str, admin_url: str | None, folder: Path) -> tuple[float, int]:
    with fresh_database(backend, admin_url, folder) as url:
        settings = Settings(database_url=url, data_dir=folder / "data", lists_dir=None)
        with ListStore.open(settings) as store:
            [files] = store.resolve([path])
            start = time.perf_counter()
            result = store.import_files(files)
            return time.perf_counter() - start, result.version.entity_count


def time_stream(
    data: Path, backend: str, admin_url: str | None, folder: Path, runs: int
) -> tuple[int, float, float]:
    with fresh_database(backend, admin_url, folder) as url:
        settings = Settings(database_url=url, data_dir=folder / "data", lists_dir=None)
        with ListStore.open(settings) as store:
            for rel, lenient in ALL_LISTS:
                store.import_paths([data / rel], lenient=lenient)
            count = sum(1 for _ in store.active_entities())

            def stream() -> float:
                start = time.perf_counter()
                for _ in store.active_entities():
                    pass
                return time.perf_counter() - start

            med, best = median_of(runs, stream)
            return count, med, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported)")
    parser.add_argument("--postgres", default="auto", help="auto | none | an admin URL")
    parser.add_argument(
        "--data", type=Path, default=REPO.parent / "shared" / "data", help="list files folder"
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        backends: list[tuple[str, str | None]] = [("sqlite", None)]
        if args.postgres == "auto":
            backends.append(("postgresql", stack.enter_context(throwaway_cluster())))
        elif args.postgres != "none":
            backends.append(("postgresql", args.postgres))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sw-bench-")))
        print(f"median of {args.runs} runs; Python {sys.version.split()[0]}\n")
        print("| file | entities | backend | parse only (s) | import, median (s) | import, best (s) |")
        print("|---|---:|---|---:|---:|---:|")
        for label, rel in CASES.items():
            path = args.data / rel
            parse_med, _ = median_of(args.runs, partial(time_parse, path))
            for backend, admin in backends:
                runs = [time_import(path, backend, admin, folder) for _ in range(args.runs)]
                med, best = statistics.median(t for t, _ in runs), min(t for t, _ in runs)
                count = runs[0][1]
                print(f"| {label} | {count:,} | {backend} | {parse_med:.2f} | {med:.2f} | {best:.2f} |")
        print("\n| all lists, `active_entities()` | entities | backend | median (s) | best (s) |")
        print("|---|---:|---|---:|---:|")
        for backend, admin in backends:
            count, med, best = time_stream(args.data, backend, admin, folder, args.runs)
            print(f"| {len(ALL_LISTS)} list files | {count:,} | {backend} | {med:.2f} | {best:.2f} |")


if __name__ == "__main__":
    main()
