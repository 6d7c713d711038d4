"""Numbers in digits and in words, as the tokens name_forms makes of them."""

from __future__ import annotations

import pytest

from sanctionwatch.text.numerals import numeral_kin


@pytest.mark.parametrize(
    ("token", "kin"),
    [
        ("3", {"three"}),
        ("three", {"3"}),
        ("44", {"fortyfour"}),  # Forty-Four joined, as name_forms joins hyphens
        ("fortyfour", {"44"}),
        ("fourtyfour", {"44"}),  # a common misspelling
        ("1st", {"first"}),
        ("first", {"1st"}),
        ("11th", {"eleventh"}),
        ("21st", {"twentyfirst"}),
        ("12", {"twelve"}),
        ("100", set()),
        ("brigade", set()),
    ],
)
def test_numeral_kin(token: str, kin: set[str]) -> None:
    assert numeral_kin(token) == kin
