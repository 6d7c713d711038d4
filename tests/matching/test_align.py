"""Part-by-part alignment and the name score: literal forms → score tables.

Forms are built by hand (token ids, weights, match tables), so every expected value follows from
the definition in docs/matching.md: matched weight = Σ similarity × (query weight + listed
weight) / 2 over aligned pairs; denominator = mean of both totals + strictness × (larger − mean);
score = raw × min(1, matched information / min_information).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from sanctionwatch.matching.align import AlignParams, ListedForm, QueryForm, align, is_numeral, upper_bound


def _q(
    weights: tuple[float, ...],
    matches: tuple[Mapping[int, float], ...],
    joins: tuple[tuple[int, int], ...] = (),
) -> QueryForm:
    texts = tuple(f"q{i}" for i in range(len(weights)))
    return QueryForm(texts, weights, matches, joins, sum(weights), "original")


def _l(
    tids: tuple[int, ...], weights: tuple[float, ...], joins: tuple[tuple[int, int], ...] = ()
) -> ListedForm:
    return ListedForm(0, 0, tids, weights, joins, sum(weights))


@pytest.mark.parametrize(
    ("q", "lf", "min_info", "strictness", "score", "raw", "info"),
    [
        # Two exact parts of 4 bits each: raw 1; 8 bits of information < 11 scales by 8/11.
        (_q((4, 4), ({0: 1.0}, {1: 1.0})), _l((0, 1), (4, 4)), 11, 0.5, 8 / 11, 1.0, 8),
        (_q((4, 4), ({0: 1.0}, {1: 1.0})), _l((0, 1), (4, 4)), 0, 0.5, 1.0, 1.0, 8),
        # Order does not matter: query tokens in the other order.
        (_q((4, 4), ({1: 1.0}, {0: 1.0})), _l((0, 1), (4, 4)), 0, 0.5, 1.0, 1.0, 8),
        # One of two listed parts: matched 6; totals 6 and 12, mean 9, denominators 9 / 10.5 / 12.
        (_q((6,), ({0: 1.0},)), _l((0, 1), (6, 6)), 0, 0.0, 6 / 9, 6 / 9, 6),
        (_q((6,), ({0: 1.0},)), _l((0, 1), (6, 6)), 0, 0.5, 6 / 10.5, 6 / 10.5, 6),
        (_q((6,), ({0: 1.0},)), _l((0, 1), (6, 6)), 0, 1.0, 6 / 12, 6 / 12, 6),
        # A fuzzy pair at 0.8 of two 5-bit tokens: matched 0.8 × 10 / 2 = 4; information 0.8 × 5.
        (_q((5,), ({0: 0.8},)), _l((0,), (5,)), 0, 0.5, 0.8, 0.8, 4),
        # Nothing in common.
        (_q((5,), ({},)), _l((0,), (5,)), 11, 0.5, 0.0, 0.0, 0),
        (_q((5,), ({7: 1.0},)), _l((0,), (5,)), 11, 0.5, 0.0, 0.0, 0),
    ],
)
def test_align_scores(
    q: QueryForm, lf: ListedForm, min_info: float, strictness: float, score: float, raw: float, info: float
) -> None:
    got = align(q, lf, AlignParams(min_info, strictness))
    assert got.score == pytest.approx(score)
    assert got.raw == pytest.approx(raw)
    assert got.information == pytest.approx(info)


def test_best_similarity_pairs_first() -> None:
    # Query token 0 resembles listed token 0 (0.9) and is listed token 1 (1.0): it takes token 1,
    # leaving token 0 for query token 1, which matches it exactly.
    q = _q((5, 5), ({0: 0.9, 1: 1.0}, {0: 1.0}))
    got = align(q, _l((0, 1), (5, 5)), AlignParams(0, 0.5))
    pairs = {(p.q, p.l, p.similarity) for p in got.pairs}
    assert pairs == {((0,), (1,), 1.0), ((1,), (0,), 1.0)}
    assert got.score == pytest.approx(1.0)


def test_each_part_pairs_once() -> None:
    # Both query tokens resemble listed token 0 only: one of them stays unmatched.
    q = _q((5, 5), ({0: 1.0}, {0: 0.8}))
    got = align(q, _l((0,), (5,)), AlignParams(0, 0.5))
    assert [(p.q, p.l) for p in got.pairs] == [((0,), (0,))]
    # matched 5; totals 10 and 5: mean 7.5, denominator 7.5 + 0.5 × 2.5 = 8.75.
    assert got.score == pytest.approx(5 / 8.75)


def test_two_query_tokens_pair_with_one_joined_listed_token() -> None:
    # "kim jong un" vs "kim jongun": tokens 1 and 2 joined equal listed token id 5.
    q = _q((7, 3, 3), ({9: 1.0}, {}, {}), joins=((1, 5),))
    got = align(q, _l((9, 5), (7, 6)), AlignParams(11, 0.5))
    assert {(p.q, p.l) for p in got.pairs} == {((0,), (0,)), ((1, 2), (1,))}
    # matched 7 + (3 + 3 + 6) / 2 = 13 = both totals; information 7 + 6.
    assert got.score == pytest.approx(1.0)
    assert got.information == pytest.approx(13)


def test_one_query_token_pairs_with_two_joined_listed_tokens() -> None:
    # "kim jongun" vs "kim jong un": listed tokens 1, 2 join to id 5, which query token 1 is.
    q = _q((7, 6), ({9: 1.0}, {5: 1.0}))
    got = align(q, _l((9, 3, 4), (7, 3, 3), joins=((5, 1),)), AlignParams(11, 0.5))
    assert {(p.q, p.l) for p in got.pairs} == {((0,), (0,)), ((1,), (1, 2))}
    assert got.score == pytest.approx(1.0)


def test_joins_pair_exactly_only() -> None:
    q = _q((7, 6), ({9: 1.0}, {5: 0.9}))
    got = align(q, _l((9, 3, 4), (7, 3, 3), joins=((5, 1),)), AlignParams(0, 0.5))
    assert [(p.q, p.l) for p in got.pairs] == [((0,), (0,))]


@pytest.mark.parametrize(
    ("matched", "q_total", "l_total", "strictness", "expected"),
    [
        (6, 6, 12, 0.5, 6 / 10.5),
        (6, 6, 12, 0.0, 6 / 9),
        (20, 6, 12, 0.5, 1.0),  # capped
        (1, 0, 0, 0.5, 1.0),  # nothing to divide by
    ],
)
def test_upper_bound(
    matched: float, q_total: float, l_total: float, strictness: float, expected: float
) -> None:
    assert upper_bound(matched, q_total, l_total, AlignParams(0, strictness)) == pytest.approx(expected)


def _ql(keys: tuple[int, ...] = ()) -> ListedForm:
    """A listed name of three parts (6, 6, 4 bits); a query names the first two."""
    return ListedForm(0, 0, (0, 1, 2), (6, 6, 4), (), 16, keys)


# Query (6, 6) matching listed parts 0 and 1 of (6, 6, 4): matched 12, query unmatched 0, listed
# unmatched 4. Two-sided: totals 12 and 16, mean 14, denominator 14 + 0.5 × 2 = 15 → 0.8.
# Coverage at factor 0.25: 12 / (12 + 0 + 0.25 × 4) = 12/13; × min(1, 12 / cover_information).
@pytest.mark.parametrize(
    ("keys", "cover_information", "score", "covered"),
    [
        ((0, 1), 0.0, 12 / 13, "query"),
        ((0, 1), 10.0, 12 / 13, "query"),  # 12 bits matched ≥ 10: in full
        ((0, 1), 20.0, 0.8, ""),  # 12/13 × 12/20 = 0.55 < 0.8: the two-sided score stands
        ((0, 2), 0.0, 0.8, ""),  # a key part of the listed name (its surname) is not matched
    ],
)
def test_coverage_score_of_a_query_naming_part_of_a_listed_name(
    keys: tuple[int, ...], cover_information: float, score: float, covered: str
) -> None:
    q = _q((6, 6), ({0: 1.0}, {1: 1.0}))
    got = align(q, _ql(keys), AlignParams(0, 0.5, 0.25, 1.0, cover_information))
    assert got.score == pytest.approx(score)
    assert got.covered == covered


def test_coverage_score_off_by_default_and_for_syllable_names() -> None:
    q = _q((6, 6), ({0: 1.0}, {1: 1.0}))
    assert align(q, _ql((0, 1)), AlignParams(0, 0.5)).score == pytest.approx(0.8)
    korean = QueryForm(q.texts, q.weights, q.matches, (), 12, "korean", cover=False)
    assert align(korean, _ql((0, 1)), AlignParams(0, 0.5, 0.25, 1.0, 0)).score == pytest.approx(0.8)


@pytest.mark.parametrize(("keys", "score"), [((0, 1), 12 / 14), ((0, 2), 0.8)])
def test_coverage_score_of_a_query_holding_a_whole_shorter_listed_name(
    keys: tuple[int, ...], score: float
) -> None:
    # Query (6, 6, 4) whose parts 0, 1 are the listed (6, 6): query unmatched 4 at factor 0.5.
    q = QueryForm(("a", "b", "c"), (6, 6, 4), ({0: 1.0}, {1: 1.0}, {}), (), 16, "original", True, keys)
    got = align(q, _l((0, 1), (6, 6)), AlignParams(0, 0.5, 1.0, 0.5, 0))
    assert got.score == pytest.approx(score)


def test_upper_bound_covers_the_coverage_score() -> None:
    # matched <= 12 of totals 12 and 16: U_q + U_l >= 28 - 24 = 4, so 12 / (12 + 0.25 × 4).
    params = AlignParams(0, 0.5, 0.25, 1.0, 0)
    q = _q((6, 6), ({0: 1.0}, {1: 1.0}))
    assert upper_bound(12, 12, 16, params) == pytest.approx(12 / 13)
    assert upper_bound(12, 12, 16, params) >= align(q, _ql((0, 1)), params).score


INITIALS = AlignParams(0, 0.5, initial_similarity=0.9, initial_bits=3.0, initial_only_cap=0.79)


def test_a_query_initial_pairs_with_the_given_name_it_begins() -> None:
    # "V. Putin" vs "PUTIN, Vladimir" with Vladimir weighing 3 bits: putin pairs exactly (12), the
    # initial with vladimir at 0.9 × (3 + 3) / 2 = 2.7; matched 14.7 of totals 15 and 15 → 0.98,
    # but only one full part agrees: capped at 0.79.
    q = QueryForm(("v", "putin"), (3, 12), ({}, {1: 1.0}), (), 15, "original", initials=True)
    lf = ListedForm(0, 0, (1, 2), (12, 3), (), 15, (0, 1), "pv")
    got = align(q, lf, INITIALS)
    assert {(p.q, p.l, p.similarity) for p in got.pairs} == {((1,), (0,), 1.0), ((0,), (1,), 0.9)}
    assert got.raw == pytest.approx(0.79)
    assert align(q, lf, AlignParams(0, 0.5)).score == pytest.approx(12 / 15)  # initials off: 12 / 15


def test_a_listed_initial_pairs_with_a_full_query_name() -> None:
    # "Vladimir Putin" vs "PUTIN, V.": the initial's weight is capped at 3 bits on both sides.
    # matched 12 + 0.9 × (3 + 3) / 2 = 14.7; totals 20 and 15: mean 17.5, denominator 18.75.
    q = QueryForm(("vladimir", "putin"), (8, 12), ({}, {1: 1.0}), (), 20, "original")
    lf = ListedForm(0, 0, (1, 5), (12, 3), (), 15, (0, 1), "pV")
    assert align(q, lf, INITIALS).score == pytest.approx(14.7 / 18.75)


def test_an_initial_pairs_only_with_a_name_it_begins() -> None:
    q = QueryForm(("k", "putin"), (3, 12), ({}, {1: 1.0}), (), 15, "original", initials=True)
    lf = ListedForm(0, 0, (1, 2), (12, 3), (), 15, (0, 1), "pv")
    assert [p.l for p in align(q, lf, INITIALS).pairs] == [(0,)]


def test_two_full_parts_and_an_initial_are_not_capped() -> None:
    # "Hans J Friedrich" vs "Hans Joachim Friedrich": two full parts agree.
    q = QueryForm(
        ("hans", "j", "friedrich"), (8, 3, 12), ({1: 1.0}, {}, {3: 1.0}), (), 23, "original", initials=True
    )
    lf = ListedForm(0, 0, (1, 2, 3), (8, 6, 12), (), 26, (0, 2), "hjf")
    # matched 8 + 12 + 0.9 × (3 + 3) / 2 = 22.7; totals 23 and 26: mean 24.5, denominator 25.25.
    assert align(q, lf, INITIALS).score == pytest.approx(22.7 / 25.25)


RULES = AlignParams(0, 0.5, chain_order_factor=0.6, legal_mismatch_factor=0.85, number_mismatch_factor=0.85)


def _form(texts: tuple[str, ...], letters: str, matches: tuple[Mapping[int, float], ...]) -> QueryForm:
    weights = tuple(4.0 for _ in texts)
    chain = "bin" in texts[1:-1]
    numerals = any(is_numeral(t) for t in texts)
    return QueryForm(
        texts,
        weights,
        matches,
        (),
        sum(weights),
        "original",
        True,
        (),
        letters,
        chain=chain,
        numerals=numerals,
    )


def test_an_arabic_chain_read_backwards_is_not_the_same_name() -> None:
    # Listed MUHAMMAD BIN SALMAN = ids 1, 2, 3. Query SALMAN BIN MUHAMMAD: every part pairs.
    lf = ListedForm(0, 0, (1, 2, 3), (4, 4, 4), (), 12, (), "m-s")
    backwards = _form(("salman", "bin", "muhamad"), "s-m", ({3: 1.0}, {2: 1.0}, {1: 1.0}))
    forwards = _form(("muhamad", "bin", "salman"), "m-s", ({1: 1.0}, {2: 1.0}, {3: 1.0}))
    assert align(forwards, lf, RULES).score == pytest.approx(1.0)
    assert align(backwards, lf, RULES).score == pytest.approx(0.6)


def test_different_legal_forms_are_different_companies() -> None:
    # Listed DEUTSCHE BANK GMBH (ids 1, 2, 3 with 3 a legal form); query ... AG (legal, unmatched).
    lf = ListedForm(0, 0, (1, 2, 3), (4, 4, 4), (), 12, (), "db~")
    ag = _form(("deutsche", "bank", "ag"), "db~", ({1: 1.0}, {2: 1.0}, {}))
    gmbh = _form(("deutsche", "bank", "gmbh"), "db~", ({1: 1.0}, {2: 1.0}, {3: 1.0}))
    assert align(gmbh, lf, RULES).score == pytest.approx(1.0)
    # matched 8 of totals 12 and 12 → 2/3, × 0.85 for the legal forms that disagree.
    assert align(ag, lf, RULES).score == pytest.approx(8 / 12 * 0.85)


def test_a_number_on_one_side_only_is_another_entity() -> None:
    # Listed BOWNE SOLUTIONS II INC ("ii" compared as "i", ending the name before the legal form).
    lf = ListedForm(0, 0, (1, 2, 3, 4), (4, 4, 4, 4), (), 16, (), "bsI~")
    q = _form(("bowne", "solutions", "inc"), "bs~", ({1: 1.0}, {2: 1.0}, {4: 1.0}))
    # matched 12; totals 12 and 16: mean 14, denominator 15; × 0.85 for the unmatched numeral.
    assert align(q, lf, RULES).score == pytest.approx(12 / 15 * 0.85)
    lf_v = ListedForm(0, 0, (1, 2, 3, 4), (4, 4, 4, 4), (), 16, (), "bs#~")  # "xv", "44": numerals
    assert align(q, lf_v, RULES).score == pytest.approx(12 / 15 * 0.85)
