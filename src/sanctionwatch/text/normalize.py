"""Fold a name to its comparable form: NFKC, case folding, no diacritics, no apostrophes.

``fold("CH'OE, So'k-min")`` gives ``"choe sok min"``. Latin letters lose their diacritics
(``Hyŏn`` → ``hyon``, ``Müller`` → ``muller``, ``Łukasz`` → ``lukasz``); other scripts keep their
letters (``Путин`` → ``путин``): turning them into Latin is :func:`sanctionwatch.text.scripts.to_latin`'s
job, done before folding. Everything is one ``str.translate`` table built once at import, so a call
costs about a microsecond on a typical name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

__all__ = ["APOSTROPHES", "HYPHENS", "consonant_key", "fold"]

#: Apostrophe-like characters: removed, so McCune–Reischauer ``Ch'o'l``, ``KY’ONG``, ``Chʼol`` and
#: Arabic ``Sa'id`` / ``Ba`th`` fold to ``chol``, ``kyong``, ``said``, ``bath``.
APOSTROPHES = "'`´ʹʻʼʽʾʿˈˊˋ‘’‚‛′‵＇｀"
#: Hyphen and dash characters: kept as ``-`` inside words when asked, a space otherwise.
HYPHENS = "-‐‑‒–—―−﹘﹣－־᠆⸗"

# Code points that NFKC would turn into "space + combining mark" (U+00B4 ´ → " ́"): they must
# go before NFKC runs, or "Kyo´ng" would fold to "kyo ng".
_PRE = str.maketrans("", "", "´΄῀῁῭΅`῾᾽᾿῟῞῝")

# Combining marks dropped outright: the general diacritic blocks, Arabic harakat and tatweel,
# Hebrew points. Other scripts' marks (Devanagari vowel signs, kana voicing marks) are letters'
# parts and stay.
_MARK_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x0640, 0x0640),
    (0x0591, 0x05BD),
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
)
# Latin letters outside ASCII (ø, ł, đ, ı, æ, ŏ...): their ASCII form comes from anyascii, the
# library the project uses for all transliteration, computed once here rather than hand-listed.
_LATIN_RANGES = ((0x00C0, 0x024F), (0x0250, 0x02AF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF))
# Greek letters with accents lose them (ά → α) but stay Greek.
_GREEK_RANGES = ((0x0370, 0x03FF), (0x1F00, 0x1FFF))
# Blocks scanned for punctuation and symbols (Unicode categories P* and S*), which become spaces.
_PUNCT_RANGES = ((0x0000, 0x2E7F), (0x3000, 0x303F), (0xFE10, 0xFE6F), (0xFF00, 0xFFEF))


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _PUNCT_RANGES:
        for cp in range(lo, hi + 1):
            category = unicodedata.category(chr(cp))
            if category[0] in "PSZ" or category == "Cc":
                table[cp] = " "
    table[ord("_")] = " "
    for lo, hi in _LATIN_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch).startswith("L"):
                table[cp] = anyascii(ch).casefold() or None
    for lo, hi in _GREEK_RANGES:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch).startswith("L"):
                base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
                if base != ch:
                    table[cp] = base.casefold()
    for lo, hi in _MARK_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for ch in APOSTROPHES:
        table[ord(ch)] = None
    for ch in HYPHENS:
        table[ord(ch)] = "-"
    return table


_TABLE = _build_table()
_ASCII_TABLE = {cp: v for cp, v in _TABLE.items() if cp < 0x80}
_LONE_HYPHEN = re.compile(r"(?<!\w)-+|-+(?!\w)")


@lru_cache(maxsize=1 << 16)
def fold(text: str, *, hyphens: bool = False) -> str:
    """Comparable form of a name: NFKC, case-folded, no diacritics, apostrophes removed.

    Other punctuation becomes a space and whitespace collapses. Latin input gives ASCII output;
    other scripts keep their letters (Greek loses its accents).

    Args:
        text: Any text.
        hyphens: Keep hyphens that join two word characters (``"jong-un"``) for
            :func:`sanctionwatch.text.names.name_forms`, which makes both the split and the joined
            forms; otherwise every hyphen becomes a space.
    """
    if text.isascii():
        text = text.lower().translate(_ASCII_TABLE)
    else:
        text = unicodedata.normalize("NFKC", text.translate(_PRE)).casefold().translate(_TABLE)
    if "-" in text:
        text = _LONE_HYPHEN.sub(" ", text) if hyphens else text.replace("-", " ")
    return " ".join(text.split())


# Vowels and the glides an abjad transliteration may or may not write (y, w) and the final-h of
# ة/ه: dropped by consonant_key.
_VOWELS = str.maketrans("", "", "aeiouyw")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def consonant_key(token: str) -> str:
    """Consonant skeleton of a folded Latin token, for names from vowel-less scripts.

    Arabic, Persian and Hebrew are written without short vowels, so their transliteration is a
    consonant string (``محمد`` → ``mhmd``) that never equals ``muhammad`` letter for letter. Comparing
    skeletons does: doubled letters collapse, vowels and ``y``/``w`` go, and a final ``h`` (ة, ه)
    goes. The first letter is kept even when it is a vowel, so ``omar`` and ``umar`` differ from
    ``mar`` only in their first letter.

    Args:
        token: One folded Latin token, e.g. ``"muhammad"``.
    """
    if not token:
        return token
    head, tail = token[0], token[1:]
    if head in "aeiou":
        head = "a"  # initial alif/ayn-vowel: written as a, u, i, o, e depending on the source
    skeleton = _DOUBLE.sub(r"\1", head + tail.translate(_VOWELS))
    if len(skeleton) > 1 and skeleton.endswith("h"):
        skeleton = skeleton[:-1]
    return skeleton
