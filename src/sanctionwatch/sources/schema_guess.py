"""Telling a person's name from an organization's, for list rows that do not say which.

Used only where a list gives no type (trade.gov CSL rows from the Entity List, Denied Persons List,
Unverified List...): the reader first looks for facts only persons have (date of birth,
nationality...), then at the name. A name holding a word of ``data/org_name_words.yml`` (legal forms,
"bank", "university"...), a digit or ``&`` is an organization's; a name of two to six plain words
("DAVID L. MARICOLA", "Yip Kum Kuan") is a person's; anything else is an organization's. The guess is
hand-written because no library offers it; callers say in the entity's remarks that it is a guess.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from sanctionwatch.model import Schema

__all__ = ["guess_schema_from_name"]

_TOKEN = re.compile(r"[^\s,;:()\"]+")
_PLAIN_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?$")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_ORG_CHARS = re.compile(r"[\d&@/]")
# Nicknames and remarks do not tell: 'SHAOHUA "ERIC" WANG', "GE SONG TAO (GE)", "X A/K/A Y".
_ASIDES = re.compile(r"\([^)]*\)|\"[^\"]*\"|“[^”]*”")
_AKA = re.compile(r"\b[af]/k/a\b", re.IGNORECASE)
_MAX_WORDS = 6


@cache
def _org_words() -> frozenset[str]:
    raw = resources.files("sanctionwatch").joinpath("data/org_name_words.yml").read_text("utf-8")
    table: dict[str, list[str]] = yaml.safe_load(raw)
    return frozenset(str(w).casefold() for words in table.values() for w in words)


def _word_key(token: str) -> str:
    return token.casefold().strip(".-'’").replace(".", "")


def guess_schema_from_name(name: str) -> Schema:
    """Person or Organization, from the shape and words of a name alone."""
    core = _AKA.split(_ASIDES.sub(" ", name))[0]
    if _ORG_CHARS.search(core):
        return Schema.ORGANIZATION
    tokens = _TOKEN.findall(core)
    words = _org_words()
    if any(_word_key(t) in words or t.casefold() in words for t in tokens):
        return Schema.ORGANIZATION
    plain = [t for t in tokens if _word_key(t) not in _SUFFIXES]
    if 2 <= len(plain) <= _MAX_WORDS and all(_PLAIN_WORD.match(t) for t in plain):
        return Schema.PERSON
    return Schema.ORGANIZATION
