"""Token similarity, edit budgets and deletion neighbourhoods: literal input → output tables.

Expected values are worked out by hand from the definitions in docs/matching.md: the edit
similarity is ``(1 - distance / longer length) ** exponent``.
"""

from __future__ import annotations

import pytest

from sanctionwatch.matching.similarity import (
    compare_form,
    deletions,
    edit_budget,
    kin_rule,
    max_edits,
    phonetic_key,
    token_similarity,
)


@pytest.mark.parametrize(
    ("length", "edits"),
    [(1, 0), (2, 0), (3, 1), (8, 1), (9, 2), (32, 2), (33, 0)],
)
def test_max_edits(length: int, edits: int) -> None:
    assert max_edits(length) == edits


@pytest.mark.parametrize(
    ("shorter", "longer", "budget"),
    [
        (3, 3, 0),  # two short tokens: exact only
        (3, 4, 1),  # the shorter token's budget once the longer has 4 letters
        (4, 9, 1),
        (9, 10, 2),
        (10, 33, 0),  # past the fuzzy length limit
    ],
)
def test_edit_budget(shorter: int, longer: int, budget: int) -> None:
    assert edit_budget(shorter, longer) == budget


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("kim", "kim", 1.0),
        ("kim", "kin", 0.0),  # both 3 letters: no edit allowed
        ("gaziev", "gzaiev", (5 / 6) ** 2),  # one transposition in 6 letters
        ("abdullah", "badullah", (7 / 8) ** 2),  # one transposition in 8 letters
        ("kang", "fang", (3 / 4) ** 2),  # one substitution in 4 letters
        ("petrov", "petrova", (6 / 7) ** 2),  # one insertion, longer length 7
        ("muhammadali", "mohammadaly", (9 / 11) ** 2),  # two substitutions in 11 letters
        ("muhammadali", "mohamadaly", 0.0),  # three edits: over the budget of 2
        ("ivanov", "smirnov", 0.0),
    ],
)
def test_edit_similarity(a: str, b: str, expected: float) -> None:
    assert token_similarity(a, b, None, None, 0.95) == pytest.approx(expected)
    assert token_similarity(b, a, None, None, 0.95) == pytest.approx(expected)


def test_exponent_one_is_the_linear_edit_similarity() -> None:
    assert token_similarity("gaziev", "gzaiev", None, None, 0.95, exponent=1.0) == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("a", "b", "key_a", "key_b", "expected"),
    [
        ("choe", "choi", "ch-oe", "ch-oe", 0.95),  # one syllable, two spellings
        ("jong", "jeong", "j-eo-ng", "j-eo-ng", 0.95),  # edit (4/5)**2 = 0.64 < 0.95
        ("kang", "sang", "k-a-ng", "s-a-ng", (3 / 4) ** 2 * 0.5),  # two different syllables: damped
        ("kim", "kin", "k-i-m", "k-i-n", 0.0),  # different and too short to be a typo
    ],
)
def test_korean_syllable_keys(a: str, b: str, key_a: str, key_b: str, expected: float) -> None:
    assert token_similarity(a, b, key_a, key_b, 0.95) == pytest.approx(expected)


def test_korean_mismatch_factor_is_a_parameter() -> None:
    got = token_similarity("kang", "sang", "k", "s", 0.95, korean_mismatch=0.25)
    assert got == pytest.approx((3 / 4) ** 2 * 0.25)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("ab", set()),  # too short to have a budget
        ("abc", {"bc", "ac", "ab"}),
        ("aab", {"ab", "aa"}),  # duplicates collapse
    ],
)
def test_deletions_small(token: str, expected: set[str]) -> None:
    assert set(deletions(token)) == expected


def test_deletions_depth_two_beyond_eight_letters() -> None:
    # 9 distinct letters: 9 single deletions + C(9, 2) = 36 double deletions, all distinct.
    got = set(deletions("abcdefghi"))
    assert len(got) == 45
    assert {"bcdefghi", "cdefghi", "abcdefg"} <= got
    assert "abcdefghi" not in got


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("hezbolah", "hzbl"),  # Hezbollah with its doubles collapsed
        ("hizbalah", "hzbl"),
        ("mohamed", "mhmd"),
        ("muhamad", "mhmd"),
        ("ahmed", None),  # under six letters: sound says too little
        ("jongun", None),  # romanized Korean syllables: one vowel is another name
        ("abc123", None),
    ],
)
def test_phonetic_key(token: str, key: str | None) -> None:
    assert phonetic_key(token) == key


@pytest.mark.parametrize(
    ("a", "b", "rule"),
    [
        ("intl", "international", "abbreviation"),
        ("international", "intl", "abbreviation"),
        ("dev", "development", "abbreviation"),
        ("asoc", "asociation", "abbreviation"),  # compare forms: doubles collapsed on both sides
        ("44", "fortyfour", "numeral"),
        ("3", "thre", "numeral"),  # "three" as compared
        ("hezbolah", "hizbalah", "phonetic"),
        ("mohamed", "muhamad", "phonetic"),
        ("mohamed", "hamed", None),
        ("kim", "kin", None),
    ],
)
def test_kin_rule(a: str, b: str, rule: str | None) -> None:
    assert kin_rule(a, b) == rule


@pytest.mark.parametrize(
    ("text", "form"), [("mohammed", "mohamed"), ("essa", "esa"), ("lee", "lee"), ("kim", "kim")]
)
def test_compare_form(text: str, form: str) -> None:
    assert compare_form(text) == form
