"""Screening-quality figures: ``score_results`` must report what ../shared/eval/score.py reports.

score.py is the reference implementation, run here as a subprocess on the same files.
"""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from sanctionwatch.batch.evaluate import score_results

Label = tuple[str, str, str]
Hits = dict[str, list[dict[str, Any]]]


def hit(entity_id: str, match: bool, score: float = 0.9) -> dict[str, Any]:
    return {"entity_id": entity_id, "score": score, "match": match}


# Hand-made labelled queries: (id, expected, group) and each query's hits; None = no output line.
OTHERS = [hit(f"x:{n}", False, 0.85 - n / 100) for n in range(10)]
CASES: list[tuple[Label, list[dict[str, Any]] | None]] = [
    (("p1", "a:1", "pos"), [hit("a:1", True), hit("b:1", False)]),  # found first, alerted
    (("p2", "a:1", "pos"), [hit("b:1", True), hit("a:1", False)]),  # in top 10 only; not alerted
    (("p3", "a:1;c:1", "pos"), [hit("a:1", True), hit("c:1", False)]),  # one of two alerted
    (("p4", "a:1", "pos"), [*OTHERS, hit("a:1", True, 0.8)]),  # 11th hit, yet alerted
    (("p5", "a:1", "pos"), None),  # no output line: missing
    (("p6", "a:1", "pos"), []),  # no hits
    (("n1", "", "neg"), [hit("x:1", False)]),
    (("n2", "", "neg"), [hit("x:1", False), hit("x:2", True)]),  # false alert
    (("n3", "", "neg"), None),  # missing
    (("m1", "a:1;c:1", "mixed"), [hit("c:1", True), hit("a:1", True)]),
    (("m2", "", "mixed"), []),
]


def write_files(folder: Path, cases: list[tuple[Label, list[dict[str, Any]] | None]]) -> tuple[Path, Path]:
    """A labelled query CSV and a hits JSON-lines file, in the formats score.py reads."""
    queries, hits_file = folder / "labelled.csv", folder / "hits.jsonl"
    with queries.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "schema", "birth_date", "nationality", "expected", "group"])
        for (qid, expected, group), _ in cases:
            writer.writerow([qid, f"Name of {qid}", "Person", "", "", expected, group])
    with hits_file.open("wb") as f:
        for (qid, _, _), hits in cases:
            if hits is not None:
                f.write(orjson.dumps({"query_id": qid, "hits": hits}) + b"\n")
    return queries, hits_file


def reference(eval_dir: Path, queries: Path, hits_file: Path) -> dict[str, dict[str, float | int]]:
    """What score.py prints as JSON for these files."""
    done = subprocess.run(
        [sys.executable, str(eval_dir / "score.py"), str(queries), "--hits", str(hits_file), "--json"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    out: dict[str, dict[str, float | int]] = orjson.loads(done.stdout)
    return out


def ours(cases: list[tuple[Label, list[dict[str, Any]] | None]]) -> dict[str, dict[str, float | int]]:
    results: Hits = {qid: hits for (qid, _, _), hits in cases if hits is not None}
    return {g: f.rates() for g, f in score_results([label for label, _ in cases], results).items()}


def test_hand_made_hits_give_the_figures_worked_out_by_hand() -> None:
    figures = score_results([label for label, _ in CASES], {q: h for (q, _, _), h in CASES if h is not None})
    assert list(figures) == ["mixed", "neg", "pos"]
    assert figures["pos"].rates() == {
        "n": 6,
        "missing": 1,
        "recall_at_1": 2 / 6,  # p1, p3
        "recall_at_10": 3 / 6,  # p1, p2, p3
        "alerted_recall": 3 / 6,  # p1, p3, p4
        "alerted_all": 2 / 6,  # p1, p4
    }
    assert figures["neg"].rates() == {"n": 3, "missing": 1, "false_alert_rate": 1 / 3}
    assert figures["mixed"].rates() == {
        "n": 2,
        "missing": 0,
        "recall_at_1": 1.0,  # c:1 is one of the expected ids
        "recall_at_10": 1.0,
        "alerted_recall": 1.0,
        "alerted_all": 1.0,
        "false_alert_rate": 0.0,
    }
    assert figures["pos"].misses == ["p2", "p5", "p6"]
    assert figures["neg"].misses == ["n2"]


def test_hand_made_hits_match_score_py(eval_dir: Path, tmp_path: Path) -> None:
    queries, hits_file = write_files(tmp_path, CASES)
    assert ours(CASES) == reference(eval_dir, queries, hits_file)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_hits_match_score_py(eval_dir: Path, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    pool = [f"e:{n}" for n in range(25)]
    cases: list[tuple[Label, list[dict[str, Any]] | None]] = []
    for n in range(400):
        expected = ";".join(rng.sample(pool, rng.choice([0, 0, 1, 1, 1, 2, 3])))
        label = (f"q{n}", expected, rng.choice(["g-a", "g-b", "g-c", "negative-x"]))
        if rng.random() < 0.05:
            cases.append((label, None))
            continue
        listed = rng.sample(pool, rng.randint(0, 15))
        scores = sorted((rng.random() for _ in listed), reverse=True)
        cases.append((label, [hit(e, s > 0.6, round(s, 3)) for e, s in zip(listed, scores, strict=True)]))
    queries, hits_file = write_files(tmp_path, cases)
    expected_figures = reference(eval_dir, queries, hits_file)
    assert set(expected_figures) == {"g-a", "g-b", "g-c", "negative-x"}
    assert ours(cases) == expected_figures
