"""Reading the free-text fields lists fill by hand: enumerations and countries named in prose.

UK OFSI writes nationality as ``"(1) Somali (2) Swedish"`` or ``"Iranian (Iranian citizenship)"``, and
birth countries as ``"(1)-(2) Tunisia (3) Libya"``. :func:`split_enumeration` cuts such text into
its items and :func:`countries_in` finds the countries an item names, by ISO name, by the spellings of
``data/countries.yml`` or by nationality adjective (``data/demonyms.yml``). No fuzzy guessing: a word
that is not listed is not a country.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml

from sanctionwatch.countries import country_code

__all__ = ["countries_in", "demonym_code", "split_enumeration", "strip_parentheses"]

# Item markers: "(1)", "(1)-(2)", "(1) to (6)", "(a)", "a)", "1)".
_MARKER = re.compile(
    r"\(\d{1,2}\)(?:\s*(?:-|to)\s*\(\d{1,2}\))?"
    r"|\([a-h]\)"
    r"|(?<![\w(])[a-h]\)"
    r"|(?<![\w(])\d{1,2}\)"
)
_PARENS = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?")
_MAX_WORDS = 6  # "Democratic Republic of the Congo" is five words


@cache
def _demonyms() -> dict[str, str]:
    raw = resources.files("sanctionwatch").joinpath("data/demonyms.yml").read_text("utf-8")
    table: dict[str, list[str]] = yaml.safe_load(raw)
    return {_key(name): code for code, names in table.items() for name in names}


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def demonym_code(text: str) -> str | None:
    """Alpha-2 code for a nationality adjective (``"Afghan"`` → ``AF``), or ``None``."""
    return _demonyms().get(_key(text).strip(" .,;"))


def split_enumeration(text: str) -> list[str]:
    """The items of ``"(1) A (2) B"``, ``"a) A b) B"`` or ``"1) A 2) B"``; the whole text if none.

    Items are stripped of surrounding spaces and punctuation; empty items are dropped.
    """
    parts = _MARKER.split(text)
    return [p for p in (part.strip(" \t\r\n,;.-") for part in parts) if p]


def strip_parentheses(text: str) -> str:
    """The text without its parenthesised remarks (innermost first), spaces collapsed."""
    previous = None
    while previous != text:
        previous, text = text, _PARENS.sub(" ", text)
    return " ".join(text.split())


def _code(candidate: str, allow_codes: bool) -> str | None:
    # Short all-capital words ("US", "DRC") count as codes only in mixed-case text, where the
    # capitals are deliberate; in all-capital text "IN" or "AT" would be read as countries.
    if len(candidate) <= 3:
        if not (allow_codes and candidate.isupper()):
            return None
        return country_code(candidate)
    return country_code(candidate) or demonym_code(candidate)


@lru_cache(maxsize=8192)
def countries_in(text: str) -> tuple[str, ...]:
    """Alpha-2 codes of the countries a free text names, in order of appearance, without repeats.

    Longest names win (``"Democratic Republic of the Congo"`` before ``"Congo"``).

    Args:
        text: Any text, e.g. ``"United States of America. Also believed to hold Syrian nationality"``.
    """
    words = _WORD.findall(text)
    allow_codes = not text.isupper()
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            code = _code(" ".join(words[i : i + size]), allow_codes)
            if code:
                if code not in found:
                    found.append(code)
                i += size
                break
        else:
            i += 1
    return tuple(found)
