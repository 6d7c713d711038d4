"""Korean names: DPRK-style romanization, Hanja readings, syllable keys and segmentation.

Sanctions lists romanize North Korean names the DPRK / McCune–Reischauer way (``KIM, Jong Un``,
``CHOE, Ryong Hae``, ``RI, Su Yong``), while customers write ``김정은``, ``金正恩``, ``Kim Jong-un``,
``Kim Jongun``, ``Choi Ryong-hae``, ``Lee Su-yong``. This module brings them together:

* :func:`romanize_hangul` writes Hangul as the lists do (``김정은`` → ``Kim Jong Un``);
* :func:`hanja_to_hangul` reads names in Chinese characters (``金正恩`` → ``김정은``);
* :func:`syllable_key` gives every common spelling of one syllable the same key (``Choe``, ``Choi``,
  ``Chwe`` → ``jwe``), see :mod:`sanctionwatch.text.korean_data` for what the key merges;
* :func:`segment` splits joined given names (``jongun`` → ``jong un``) and :func:`name_keys` does all of
  it for a tokenized name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from sanctionwatch.text.korean_data import (
    FINAL,
    SpellingTable,
    decompose,
    dprk_syllable,
    hangul_key,
    rr_syllable,
    spelling_table,
    surnames,
)
from sanctionwatch.text.korean_hanja import hanja_to_hangul, has_hanja, sino_korean_keys

__all__ = [
    "hanja_to_hangul",
    "has_hanja",
    "is_hangul",
    "is_korean_surname",
    "name_keys",
    "romanize_hangul",
    "romanize_hangul_rr",
    "romanize_hangul_words",
    "segment",
    "syllable_key",
]

MAX_SEGMENTS = 3  # a surname and a two-syllable given name written as one word
_APOSTROPHES = str.maketrans("", "", "'’ʼ‘`´")
_SPLIT = re.compile(r"[\s\-‐‑–—_.,/]+")
# Hangul syllables, Hangul jamo, compatibility jamo, jamo extended A and B.
_HANGUL_RANGES = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))
_VOWELS = frozenset("aeiou")
_VOICED = {0: "g", 3: "d", 7: "b"}  # ㄱ ㄷ ㅂ between voiced sounds inside a word (DPRK rule)

_table: SpellingTable | None = None


def is_hangul(text: str) -> bool:
    """Whether ``text`` holds Hangul (syllables or letters)."""
    for ch in text:
        code = ord(ch)
        if code >= 0x1100 and any(lo <= code <= hi for lo, hi in _HANGUL_RANGES):
            return True
    return False


def _romanize(text: str, rr: bool = False) -> str:
    out: list[str] = []
    after_syllable = after_alnum = False
    for ch in text:
        parts = decompose(ch)
        if parts is None:
            if after_syllable and ch.isalnum():
                out.append(" ")
            out.append(ch)
            after_syllable, after_alnum = False, ch.isalnum()
            continue
        if after_syllable or after_alnum:
            out.append(" ")
        out.append((rr_syllable(*parts) if rr else dprk_syllable(*parts)).capitalize())
        after_syllable = True
    return "".join(out)


def romanize_hangul(text: str) -> str:
    """Hangul → DPRK-style romanization of a personal name, one word per syllable.

    Each syllable is written as if word-initial (the lists write ``Jong Un``, not ``Jong Gun``), with
    no breves or apostrophes: ``김정은`` → ``Kim Jong Un``, ``최룡해`` → ``Choe Ryong Hae``, ``리병철`` →
    ``Ri Pyong Chol``. Other characters are kept as they are. (The DPRK guide itself voices later
    given-name syllables, ``Pak Tong Gu``; the sanctions lists mostly do not, and keys ignore it.)
    """
    return _romanize(text)


def romanize_hangul_rr(text: str) -> str:
    """Hangul → South Korean Revised Romanization, one word per syllable (``김정은`` → ``Gim Jeong Eun``)."""
    return _romanize(text, rr=True)


def romanize_hangul_words(text: str) -> str:
    """Hangul → DPRK-style romanization of ordinary words (company and place names).

    Syllables are joined within a word and ㄱ ㄷ ㅂ are voiced after a vowel or ㄴ ㄹ ㅁ ㅇ, as the DPRK
    system writes them (``조선광업개발무역회사`` → ``Josongwangopkaebalmuyokhoesa``). Assimilation
    across syllables (백마 → Paengma) is not done.
    """
    out: list[str] = []
    prev_final: str | None = None  # final of the previous syllable in this word
    for ch in text:
        parts = decompose(ch)
        if parts is None:
            out.append(ch)
            prev_final = None
            continue
        i, v, f = parts
        syllable = dprk_syllable(i, v, f)
        if prev_final is None:
            syllable = syllable.capitalize()
        elif prev_final in ("", "n", "l", "m", "ng") and i in _VOICED:
            syllable = _VOICED[i] + syllable[1:]
        elif prev_final == "l" and i == 5:
            syllable = "l" + syllable[1:]
        out.append(syllable)
        prev_final = FINAL[f]
    return "".join(out)


def _load() -> SpellingTable:
    global _table
    _table = spelling_table()
    return _table


def syllable_key(token: str) -> str | None:
    """Key shared by every common spelling of one Korean syllable, or ``None`` if ``token`` spells none.

    ``Kim``/``Gim`` → ``kim``; ``Ri``/``Lee``/``Yi``/``Rhee`` → ``i``; ``Choe``/``Choi``/``Chwe`` → ``jwe``;
    ``Jong``/``Jeong``/``Jung``/``Chong`` → ``jong``; ``Ryong``/``Yong``/``Young`` → ``yong``. A single
    Hangul syllable gets its own key. A dictionary lookup for lower-case ASCII tokens.
    """
    table = _table or _load()
    key = table.keys.get(token)
    if key is None and token:
        return _slow_key(token)
    return key


@lru_cache(maxsize=65536)
def _slow_key(token: str) -> str | None:
    if len(token) == 1 and decompose(token) is not None:
        return hangul_key(token)
    folded = _fold(token)
    if folded == token:
        return None
    return (_table or _load()).keys.get(folded)


def _fold(token: str) -> str:
    """Lower case, apostrophes and diacritics dropped (``Ch'ŏl`` → ``chol``)."""
    if token.isascii():
        return token.lower().translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", token.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def segment(token: str) -> list[str] | None:
    """Split a joined romanized name into Korean syllables, or ``None`` if it does not split fully.

    ``jongun`` → ``['jong', 'un']``, ``ryonghae`` → ``['ryong', 'hae']``, ``andy`` → ``None``. Only
    syllables that read some Chinese character count (Korean given names are made of them), at most
    three, and a lone-vowel syllable never follows a vowel (``maria`` is not ``ma ri a``). Of the
    possible splits the one with the fewest syllables wins, then the one using fewer rule-made
    (non-systematic) spellings, then the one with the longest first syllable (``jong un`` over
    ``jon gun``). A single syllable gives a one-element list. Parts are lower case.

    A split is evidence that a token *could* be Korean, not proof (``hasan`` → ``ha san``); callers
    should use it where a Korean reading is plausible.
    """
    return list(parts) if (parts := _segment(_fold(token))) is not None else None


@lru_cache(maxsize=65536)
def _segment(folded: str) -> tuple[str, ...] | None:
    table = _table or _load()
    keys, systematic, longest = table.keys, table.systematic, table.longest
    sino = sino_korean_keys()
    if folded in table.splits:
        return table.splits[folded]
    n = len(folded)
    if not n or n > MAX_SEGMENTS * longest or not folded.isalpha() or not folded.isascii():
        return None
    # best[i]: (syllables, rule-made spellings, negated syllable lengths) for folded[i:].
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0, ())
    for i in range(n - 1, -1, -1):
        choice = None
        for j in range(i + 1, min(n, i + longest) + 1):
            rest = best[j]
            piece = folded[i:j]
            if rest is None or rest[0] >= MAX_SEGMENTS or keys.get(piece) not in sino:
                continue
            if j == i + 1 and i and folded[i - 1] in _VOWELS and piece in _VOWELS:
                continue  # a lone vowel after a vowel: ma-ri-a
            score = (rest[0] + 1, rest[1] + (piece not in systematic), (i - j, *rest[2]))
            if choice is None or score < choice:
                choice = score
        best[i] = choice
    if best[0] is None:
        return None
    parts, start = [], 0
    for negative in best[0][2]:
        parts.append(folded[start : start - negative])
        start -= negative
    return tuple(parts)


def _token_keys(token: str) -> list[str | None]:
    if is_hangul(token):
        return [hangul_key(ch) for ch in token if decompose(ch) is not None]
    if has_hanja(token):
        readings = hanja_to_hangul(token)
        return _token_keys(readings[0]) if readings else [None]
    key = syllable_key(token)
    if key is not None:
        return [key]
    parts = _segment(_fold(token))
    if parts is None:
        return [None]
    return [syllable_key(p) for p in parts]


def name_keys(tokens: list[str]) -> list[str | None]:
    """Syllable keys of a tokenized name, joined tokens segmented, in order.

    Hyphens and apostrophes inside a token are handled (``Jong-un``, ``Ch'oe``); Hangul and Hanja tokens
    are read syllable by syllable. A token that spells no Korean syllables gives one ``None``.

    Example: ``["Kim", "Jongun"]`` → ``["kim", "jong", "on"]``.
    """
    out: list[str | None] = []
    for token in tokens:
        for part in _SPLIT.split(token):
            if part:
                out.extend(_token_keys(part))
    return out


@cache
def _surname_spellings() -> frozenset[str]:
    return frozenset(r.casefold() for s in surnames() for r in s.romanized)


def is_korean_surname(token: str) -> bool:
    """Whether a folded token is a romanized Korean surname (``kim``, ``ri``, ``lee``, ``choe``...)."""
    return token in _surname_spellings()
