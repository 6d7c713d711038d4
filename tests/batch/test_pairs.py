"""Pair files: reading ``name1,name2[,schema]`` rows, scoring them, and pair figures worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionwatch.batch.evaluate import PairFigures, score_pairs
from sanctionwatch.batch.pairs import Pair, PairError, compare_pairs, evaluate_pairs, is_pair_file, read_pairs
from sanctionwatch.errors import InputError
from sanctionwatch.matching.screener import Screener
from sanctionwatch.model import Schema
from tests.matching.conftest import parse_lists

# Six labelled pairs whose outcome does not depend on the scorer's tuning: identical names match,
# unrelated names do not. Worked out by hand at any sensible threshold:
#   line 2 identical, true  -> TP      line 5 identical, false -> FP
#   line 3 identical, true  -> TP      line 6 unrelated, false -> TN
#   line 4 unrelated, true  -> FN      line 7 identical, true  -> TP
LABELLED = (
    "schema,name1,name2,is_match,group,category\n"
    "Person,Kim Jong Un,Kim Jong Un,true,g1,exact\n"
    "Person,Vladimir Putin,Vladimir Putin,true,g1,exact\n"
    "Person,Angela Merkel,Tanchon Commercial Bank,true,g1,\n"
    "Person,Maria Hoffmann,Maria Hoffmann,false,g2,exact\n"
    "Person,Olaf Scholz,Korea Mining Development Trading Corporation,false,g2,\n"
    "Company,Siemens AG,Siemens AG,true,g2,exact\n"
)


@pytest.fixture(scope="module")
def screener(data_dir: Path) -> Screener:
    """The UN list, for the token rarities."""
    return Screener(parse_lists(data_dir, ("un/consolidated-2026-02-27.xml",)))


def write(folder: Path, text: str, name: str = "pairs.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pairs_are_read_with_their_schema_and_bad_rows_kept_in_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name1,name2,schema\n"
        "Kim Jong Un,KIM Jong Un,\n"
        "Siemens AG,SiemensAG,Company\n"
        ",Nobody,Person\n"
        "Chong Chon Gang,CHONG CHON GANG,Spaceship\n"
        "A,B,Person,surplus\n",
    )
    got = read_pairs(path)
    assert got == [
        Pair(2, "Kim Jong Un", "KIM Jong Un", Schema.PERSON),
        Pair(3, "Siemens AG", "SiemensAG", Schema.ORGANIZATION),
        PairError(4, "", "Nobody", "name1: must not be empty"),
        PairError(
            5,
            "Chong Chon Gang",
            "CHONG CHON GANG",
            "schema: unknown schema 'Spaceship'; use Person, Organization, Vessel, Aircraft or any",
        ),
        PairError(6, "", "", "more fields than the header has columns"),
    ]
    with pytest.raises(InputError, match=r"pairs\.csv:4: name1: must not be empty$"):
        read_pairs(path, strict=True)


def test_a_file_without_the_pair_columns_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path, "id,name\n1,Kim Jong Un\n")
    assert not is_pair_file(path)
    with pytest.raises(InputError, match=r"pairs\.csv: missing column 'name1'"):
        read_pairs(path)
    labelled = write(tmp_path, "name1,name2\nA,B\n", "unlabelled.csv")
    assert is_pair_file(labelled)
    with pytest.raises(InputError, match="missing column 'is_match'"):
        read_pairs(labelled, labelled=True)
    bad_label = write(tmp_path, "name1,name2,is_match\nA,B,maybe\n", "maybe.csv")
    with pytest.raises(InputError, match=r"maybe\.csv:2: is_match: 'maybe' is not true or false"):
        read_pairs(bad_label, labelled=True, strict=True)


def test_identical_names_match_unrelated_do_not_and_errors_stay_records(
    screener: Screener, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "name1,name2\nKim Jong Un,Kim Jong Un\nKim Jong Un,Tanchon Commercial Bank\n,Nobody\n"
    )
    same, other, bad = compare_pairs(screener, read_pairs(path))
    assert (same["line"], same["score"], same["match"]) == (2, 1.0, True)
    assert same["explanation"]["query_name"] == "Kim Jong Un" and same["explanation"]["summary"]
    assert (other["line"], other["match"]) == (3, False) and other["score"] < same["score"]
    assert bad == {"line": 4, "name1": "", "name2": "Nobody", "error": "name1: must not be empty"}
    [strict] = compare_pairs(screener, [Pair(2, "Kim Jong Un", "Kim Jong Un", Schema.PERSON)], threshold=1.0)
    assert strict["match"] is True  # at or above


def test_pair_figures_equal_the_hand_counts(screener: Screener, tmp_path: Path) -> None:
    figures = evaluate_pairs(screener, read_pairs(write(tmp_path, LABELLED), labelled=True, strict=True))
    assert figures["overall"]["all"].rates() == {
        "n": 6, "tp": 3, "fp": 1, "fn": 1, "tn": 1, "precision": 0.75, "recall": 0.75, "f1": 0.75
    }  # fmt: skip
    g1, g2 = figures["group"]["g1"].rates(), figures["group"]["g2"].rates()
    assert (g1["tp"], g1["fn"], g1["precision"], g1["recall"]) == (2, 1, 1.0, 2 / 3)
    assert g1["f1"] == pytest.approx(0.8)  # 2 * 1 * 2/3 / (1 + 2/3)
    assert (g2["tp"], g2["fp"], g2["tn"], g2["precision"], g2["recall"]) == (1, 1, 1, 0.5, 1.0)
    assert g2["f1"] == pytest.approx(2 / 3)
    exact = figures["category"]["exact"].rates()
    assert (exact["precision"], exact["recall"]) == (0.75, 1.0)
    assert exact["f1"] == pytest.approx(6 / 7)  # 2 * 0.75 / 1.75
    # No pair of the empty category was flagged: precision is undefined, so neither it nor F1 shows.
    assert figures["category"]["(none)"].rates() == {
        "n": 2,
        "tp": 0,
        "fp": 0,
        "fn": 1,
        "tn": 1,
        "recall": 0.0,
    }
    assert figures["group"]["g1"].misses == ["Angela Merkel~Tanchon Commercial Bank"]
    assert figures["group"]["g2"].misses == ["Maria Hoffmann~Maria Hoffmann"]


def test_score_pairs_counts_unscored_pairs_apart() -> None:
    got = score_pairs(
        [(True, True, "g", "c", "a"), (True, None, "g", "c", "b"), (False, False, "g", "", "c")]
    )
    assert got["overall"]["all"] == PairFigures(tp=1, fp=0, fn=0, tn=1, errors=1, misses=["b"])
    assert got["overall"]["all"].rates()["errors"] == 1
    assert set(got["category"]) == {"c", "(none)"}
    assert score_pairs([])["overall"]["all"].rates() == {"n": 0, "tp": 0, "fp": 0, "fn": 0, "tn": 0}
