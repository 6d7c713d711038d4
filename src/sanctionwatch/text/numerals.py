"""Numbers written in digits and in English words: ``44`` ~ ``forty-four``, ``1st`` ~ ``first``.

Names of armed groups, funds and vessels carry numbers either way (``Brigade 44`` / ``Brigade
Forty-Four``, ``3 Percenters`` / ``Three Percenters``). :func:`numeral_kin` gives the other
spellings of a folded token, as the tokens ``name_forms`` makes of them (a hyphenated number
word is also one joined token: ``fortyfour``). Numbers 0-99 and ordinals 1st-99th; larger
numbers are rarely written out in names.
"""

from __future__ import annotations

from functools import cache

__all__ = ["numeral_kin"]

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
]
_ORDINAL_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_ORDINAL_TENS = [
    "_",
    "_",
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
]
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def _words(n: int, ordinal: bool) -> str:
    if n < 10:
        return (_ORDINAL_UNITS if ordinal else _UNITS)[n]
    if n < 20:
        return (_ORDINAL_TEENS if ordinal else _TEENS)[n - 10]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return (_ORDINAL_TENS if ordinal else _TENS)[tens]
    return _TENS[tens] + (_ORDINAL_UNITS if ordinal else _UNITS)[unit]


@cache
def _table() -> dict[str, frozenset[str]]:
    kin: dict[str, set[str]] = {}
    for n in range(100):
        suffix = "th" if 10 <= n % 100 <= 20 else _SUFFIX.get(n % 10, "th")
        for digits, words in ((str(n), _words(n, False)), (f"{n}{suffix}", _words(n, True))):
            kin.setdefault(digits, set()).add(words)
            kin.setdefault(words, set()).add(digits)
    # Common misspellings of number words seen in names.
    kin.setdefault("fourty", set()).add("40")
    for unit in range(1, 10):
        kin.setdefault("fourty" + _UNITS[unit], set()).add(str(40 + unit))
    return {k: frozenset(v) for k, v in kin.items()}


def numeral_kin(token: str) -> frozenset[str]:
    """Other spellings of a folded number token: ``"44"`` → ``{"fortyfour"}``, ``"first"`` → ``{"1st"}``."""
    return _table().get(token, frozenset())
