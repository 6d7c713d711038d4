"""Batch screening: a forked process pool gives exactly the serial output, one JSON line per query."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from sanctionwatch.batch.queries import BatchQuery, RowError, read_queries
from sanctionwatch.batch.runner import BatchOptions, output_path_ok, screen_batch, write_results
from sanctionwatch.errors import InputError
from sanctionwatch.matching.screener import Screener
from tests.matching.conftest import parse_lists

LISTS = ("un/consolidated-2026-02-27.xml", "ofac/sdn-2024-05-03")


@pytest.fixture(scope="module")
def screener(data_dir: Path) -> Screener:
    """UN and OFAC SDN 2024, built once for the module."""
    return Screener(parse_lists(data_dir, LISTS))


@pytest.fixture(scope="module")
def queries(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[BatchQuery]:
    """The 330 UN typo queries plus the first 300 negatives, as one labelled file (630 queries)."""
    typos = (eval_dir / "dev" / "un-typos.csv").read_text(encoding="utf-8").splitlines()
    negatives = (eval_dir / "dev" / "negatives.csv").read_text(encoding="utf-8").splitlines()
    assert typos[0] == negatives[0]  # same header
    path = tmp_path_factory.mktemp("batch") / "mixed.csv"
    path.write_text("\n".join([*typos, *negatives[1:301]]) + "\n", encoding="utf-8")
    return read_queries(path, salvage_dates=True)


@pytest.fixture(scope="module")
def serial(screener: Screener, queries: list[BatchQuery]) -> list[bytes]:
    return list(screen_batch(screener, queries, BatchOptions(workers=1)))


def test_two_workers_give_exactly_the_serial_output(
    screener: Screener, queries: list[BatchQuery], serial: list[bytes]
) -> None:
    assert len(queries) == 630
    done: list[int] = []
    parallel = list(screen_batch(screener, queries, BatchOptions(workers=2), progress=done.append))
    assert parallel == serial
    assert sum(done) == 630 and len(done) == 3  # three chunks of at most 256 queries


def test_small_chunks_keep_input_order(
    screener: Screener, queries: list[BatchQuery], serial: list[bytes]
) -> None:
    assert list(screen_batch(screener, queries, BatchOptions(workers=2, chunk=37))) == serial


def test_each_line_is_one_query_with_its_hits_and_pass_through_columns(
    queries: list[BatchQuery], serial: list[bytes]
) -> None:
    objs = [orjson.loads(line) for line in serial]
    assert [o["query_id"] for o in objs] == [q.id for q in queries]
    assert objs[0]["query_id"] == "un-typo-0" and objs[-1]["query_id"].startswith("neg-")
    for obj, bq in zip(objs, queries, strict=True):
        assert set(obj) == {"query_id", "hits", "extra"}
        assert obj["extra"] == bq.extra and set(bq.extra) == {"expected", "group"}
        hits: list[dict[str, Any]] = obj["hits"]
        assert len(hits) <= 10
        scores = [h["score"] for h in hits]
        assert scores == sorted(scores, reverse=True)
        for h in hits:
            assert {"entity_id", "score", "match", "matched_name", "explanation"} <= set(h)
            assert 0.0 <= h["score"] <= 1.0 and isinstance(h["match"], bool)
            assert h["entity_id"].startswith(("un-sc:", "us-ofac-sdn:"))
    # Most typo queries find their UN entry somewhere in the hits (the eval README's ground truth).
    found = sum(
        o["extra"]["expected"] in {h["entity_id"] for h in o["hits"]}
        for o in objs
        if o["extra"]["group"].startswith("un-typo")
    )
    assert found >= 0.9 * 330


def test_no_extra_key_without_pass_through_columns_and_options_apply(
    screener: Screener, tmp_path: Path
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "id,name,schema,birth_date,nationality\n"
        "k,KIM Jong Un,Person,1984-01-08,kp\n"
        "komid,Korea Mining Development Trading Corporation,Organization,,\n",
        encoding="utf-8",
    )
    batch = read_queries(path)
    [kim, komid] = [orjson.loads(x) for x in screen_batch(screener, batch, BatchOptions(workers=2))]
    assert set(kim) == {"query_id", "hits"}
    assert kim["hits"][0]["entity_id"] == "us-ofac-sdn:20157" and kim["hits"][0]["match"] is True
    assert {"un-sc:KPe.001", "us-ofac-sdn:9345"} <= {h["entity_id"] for h in komid["hits"][:2]}
    only_un = BatchOptions(lists=("un-sc",), limit=1)
    [_, komid_un] = [orjson.loads(x) for x in screen_batch(screener, batch, only_un)]
    assert [h["entity_id"] for h in komid_un["hits"]] == ["un-sc:KPe.001"]
    strict = BatchOptions(threshold=1.0)
    for line in screen_batch(screener, batch, strict):
        assert all(h["match"] is (h["score"] >= 1.0) for h in orjson.loads(line)["hits"])


def test_write_results_writes_one_line_per_result() -> None:
    out = io.BytesIO()
    assert write_results(iter([b'{"query_id":"1","hits":[]}', b'{"query_id":"2","hits":[]}']), out) == 2
    assert out.getvalue() == b'{"query_id":"1","hits":[]}\n{"query_id":"2","hits":[]}\n'


def test_output_path_must_be_a_file_in_an_existing_folder(tmp_path: Path) -> None:
    output_path_ok(tmp_path / "hits.jsonl")
    with pytest.raises(InputError, match="does not exist"):
        output_path_ok(tmp_path / "nope" / "hits.jsonl")
    with pytest.raises(InputError, match="is a folder"):
        output_path_ok(tmp_path)


def test_bad_rows_keep_their_place_as_error_records_serial_and_parallel(
    screener: Screener, queries: list[BatchQuery], serial: list[bytes]
) -> None:
    """Error records slipped between good queries change nothing else, whatever the worker count."""
    bad = [RowError("x-1", 7, "birth_date: '1984-13-45' is not a real date", {"branch": "Ulm"})]
    bad.append(RowError("", 9, "id: must not be empty"))
    mixed: list[BatchQuery | RowError] = [*queries[:300], bad[0], *queries[300:], bad[1]]
    for workers in (1, 2):
        lines = list(screen_batch(screener, mixed, BatchOptions(workers=workers, chunk=100)))
        assert len(lines) == 632
        assert orjson.loads(lines[300]) == {
            "query_id": "x-1",
            "line": 7,
            "error": "birth_date: '1984-13-45' is not a real date",
            "extra": {"branch": "Ulm"},
        }
        assert orjson.loads(lines[-1]) == {"query_id": "", "line": 9, "error": "id: must not be empty"}
        assert [*lines[:300], *lines[301:-1]] == serial
