"""Similarity of two name tokens, defined so that the index can find every non-zero pair.

Two tokens are similar when they are equal, when they spell the same Korean syllable
(``choe``/``choi``, ``jong``/``jeong``), or when their optimal-string-alignment distance (Levenshtein
plus adjacent transpositions, the commonest typo) is within the edit budget of the pair
(:func:`edit_budget`). Any pair within ``d`` such edits shares a string reachable by at most ``d``
deletions from each side, so the deletion neighbourhoods built by :func:`deletions` find every pair
this function scores above zero: retrieval loses nothing the scorer would have scored.

Two *different* valid Korean syllables (``sang``/``kang``, ``chol``/``chul`` are the same; ``sang``
and ``kang`` are not) are distinct names, not typos of each other: their edit similarity is damped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.text.korean import segment, syllable_key
from sanctionwatch.text.normalize import consonant_key
from sanctionwatch.text.numerals import numeral_kin
from sanctionwatch.text.wordlists import abbreviations

__all__ = [
    "add_kin",
    "compare_form",
    "deletions",
    "edit_budget",
    "kin_rule",
    "max_edits",
    "phonetic_key",
    "token_similarity",
]

_DOUBLES = re.compile(r"([^\W\d_])\1+")  # letters only: 44 is not 4


@lru_cache(maxsize=262_144)
def compare_form(text: str) -> str:
    """The token as the matcher compares it: runs of one letter collapsed (``mohammad`` → ``mohamad``).

    Digits are kept as written (``44`` is not ``4``).

    Doubled letters are the commonest transliteration variance (Essa/Esa, Hassan/Hasan,
    Mohammed/Mohamed) and carry no identity on their own — except in romanized Korean syllables
    (``Lee``, ``ssang``), which keep their spelling so their syllable key still applies.
    """
    if _DOUBLES.search(text) is None or syllable_key(text) is not None:
        return text
    return _DOUBLES.sub(_first, text)


def _first(match: re.Match[str]) -> str:
    return match.group(1)


#: Shortest token, and shortest consonant skeleton, that may match by sound.
PHONETIC_MIN_LENGTH = 6


def phonetic_key(token: str) -> str | None:
    """The consonant skeleton two transcriptions of one word share (``hezbolah``/``hizbalah`` →
    ``hzbl``), or None for tokens too short (or too vowel-less) for sound to say anything."""
    if len(token) < PHONETIC_MIN_LENGTH or not token.isalpha() or not token.isascii():
        return None
    if syllable_key(token) is not None or segment(token):
        return None  # romanized Korean: one vowel apart is another syllable, another name
    key = consonant_key(token)
    return key if len(key) >= 3 else None


# No name part is longer; past it a token matches exactly only, which also keeps deletion
# neighbourhoods (quadratic in length at depth 2) from making one absurd query stall a worker.
MAX_FUZZY_LENGTH = 32


def max_edits(length: int) -> int:
    """Deletions a token of ``length`` characters needs in its neighbourhood (see :func:`edit_budget`)."""
    if length <= 2 or length > MAX_FUZZY_LENGTH:
        return 0
    if length <= 8:
        return 1
    return 2


def edit_budget(shorter: int, longer: int) -> int:
    """Edits allowed between two tokens of these lengths: none between tokens of 3 letters or less,
    nor with a token over ``MAX_FUZZY_LENGTH`` letters."""
    if longer <= 3 or longer > MAX_FUZZY_LENGTH:
        return 0
    return max_edits(shorter)


def token_similarity(
    a: str,
    b: str,
    key_a: str | None,
    key_b: str | None,
    korean_similarity: float,
    exponent: float = 2.0,
    korean_mismatch: float = 0.5,
) -> float:
    """Similarity in [0, 1] of two folded tokens.

    Args:
        a: One token.
        b: The other token.
        key_a: Korean syllable key of ``a`` (None if ``a`` is not a Korean syllable).
        key_b: Korean syllable key of ``b``.
        korean_similarity: Similarity given to two spellings of one Korean syllable.
        exponent: Power applied to the linear edit similarity ``1 - distance / length``.
        korean_mismatch: Multiplier of the edit similarity of two different Korean syllables.
    """
    if a == b:
        return 1.0
    edit = 0.0
    la, lb = len(a), len(b)
    budget = edit_budget(min(la, lb), max(la, lb))
    if budget:
        dist = OSA.distance(a, b, score_cutoff=budget)
        if dist <= budget:
            # Raised to a power > 1: one edit in a 4-letter token (kang/fang) is a different name
            # far more often than one edit in a 10-letter one; stacked approximations cost more.
            edit = (1.0 - dist / max(la, lb)) ** exponent
    if key_a is not None and key_b is not None:
        if key_a == key_b:
            return max(edit, korean_similarity)
        return edit * korean_mismatch
    return edit


@lru_cache(maxsize=65536)
def deletions(token: str) -> tuple[str, ...]:
    """Every string reachable from ``token`` by up to ``max_edits(len(token))`` deletions.

    The token itself is not included. Cached, since query tokens repeat.
    """
    depth = max_edits(len(token))
    if depth == 0:
        return ()
    # Slicing beats itertools.combinations + join by ~5x here; this runs per query token.
    first = {token[:i] + token[i + 1 :] for i in range(len(token))}
    if depth == 1:
        return tuple(first)
    second = {s[:j] + s[j + 1 :] for s in first for j in range(len(s))}
    return tuple(first | second)


@cache
def _kin() -> dict[str, dict[str, str]]:
    """Compare form → {compare form of a kin word: rule} from the word lists."""
    table: dict[str, dict[str, str]] = {}
    sources: list[tuple[str, dict[str, frozenset[str]]]] = [("abbreviation", abbreviations())]
    for rule, kin in sources:
        for a, words in kin.items():
            for b in words:
                table.setdefault(compare_form(a), {})[compare_form(b)] = rule
    return table


def _kin_of(token: str) -> dict[str, str]:
    found = _kin().get(token)
    numbers = numeral_kin(token)
    if not numbers:
        return found or {}
    out = dict(found or {})
    out.update((compare_form(n), "numeral") for n in numbers)
    return out


def kin_rule(a: str, b: str) -> str | None:
    """The rule that makes compare-form tokens ``a`` and ``b`` kin (``abbreviation``, ``numeral``,
    ``phonetic``), or None."""
    rule = _kin_of(a).get(b)
    if rule is not None:
        return rule
    key = phonetic_key(a)
    if key is not None and key == phonetic_key(b) and a[0] == b[0]:
        return "phonetic"
    return None


def add_kin(
    out: dict[int, float],
    token: str,
    vocab: Mapping[str, int],
    real: Sequence[bool],
    cfg: ScoringConfig,
    phonetic: Mapping[str, Sequence[int]],
    tokens: Sequence[str],
) -> None:
    """Add to a match table the vocabulary tokens that rules make kin of ``token``.

    Abbreviations (``intl`` ~ ``international``) and numerals (``44`` ~ ``fortyfour``), both ways,
    score ``abbreviation_similarity`` / ``numeral_similarity``; a token no listed name holds meets
    the tokens of its consonant skeleton and first letter (``hezbolah`` ~ ``hizbalah``, ``muhamad``
    ~ ``mohamed``) at ``phonetic_similarity``.
    Kin are exact-match keys (``phonetic`` maps skeletons to vocabulary ids), so the index and
    the exhaustive scan find the same ones.
    """
    for word, rule in _kin_of(token).items():
        tid = vocab.get(word)
        sim = cfg.abbreviation_similarity if rule == "abbreviation" else cfg.numeral_similarity
        if tid is not None and real[tid] and out.get(tid, 0.0) < sim:
            out[tid] = sim
    # Sound-alikes only for spellings the lists do not hold: a listed spelling meets its kin
    # through the edit similarity already, and common names have dozens of kin.
    key = phonetic_key(token) if cfg.phonetic_similarity > 0 and token not in vocab else None
    if key is not None:
        sim = cfg.phonetic_similarity
        for tid in phonetic.get(key, ()):
            if tokens[tid][0] == token[0] and out.get(tid, 0.0) < sim:
                out[tid] = sim
