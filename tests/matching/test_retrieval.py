"""The index retrieves what an exhaustive scan with the same scorer finds (issue: ≥ 99.5%)."""

from __future__ import annotations

import csv
from pathlib import Path

from sanctionwatch.matching.query import Query
from sanctionwatch.matching.screener import Screener


def _sample(path: Path, every: int) -> list[Query]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for k, r in enumerate(csv.DictReader(f)) if k % every == 0]
    return [Query.build(r["name"], schema=r["schema"] or None) for r in rows]


def test_index_finds_what_the_exhaustive_scan_scores_above_threshold(
    all_lists: Screener, eval_dir: Path
) -> None:
    queries = _sample(eval_dir / "dev/un-typos.csv", 11) + _sample(eval_dir / "dev/korean-forms.csv", 2)
    queries += _sample(eval_dir / "dev/negatives.csv", 1250)
    expected = found = 0
    for q in queries:
        full = {h.entity_id: h.score for h in all_lists.screen(q, limit=50, exhaustive=True) if h.match}
        fast = {h.entity_id: h.score for h in all_lists.screen(q, limit=50) if h.match}
        expected += len(full)
        found += len(full.keys() & fast.keys())
        for eid in full.keys() & fast.keys():
            assert abs(full[eid] - fast[eid]) < 1e-9, (q.name, eid)
    assert expected >= 20
    assert found / expected >= 0.995
