"""Which scripts a name is written in, and its Latin forms.

Transliteration is anyascii's (see ``docs/normalization.md`` for why not ICU), with three
exceptions no general library gets right for names:

* Hangul goes through our own :mod:`sanctionwatch.text.korean` (McCune–Reischauer, the spelling
  DPRK names have on sanctions lists); anyascii gives Revised Romanization (``GimJeongEun``).
* Han characters give both their Korean reading(s) (Korean names on lists are often written in
  Hanja) and anyascii's Mandarin pinyin, one syllable per character.
* Arabic letters anyascii leaves out or writes as a mark (alif, ayn, ta marbuta) are written as
  ``a`` first, so ``ابراهيم`` gives ``abrahym`` rather than ``brhym``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from sanctionwatch.text import korean

__all__ = [
    "LATIN",
    "SOURCE_ANYASCII",
    "SOURCE_HANJA",
    "SOURCE_KOREAN",
    "SOURCE_KOREAN_WORDS",
    "SOURCE_ORIGINAL",
    "SOURCE_PINYIN",
    "SOURCE_PINYIN_WORDS",
    "SYLLABLE_SOURCES",
    "detect_scripts",
    "latin_forms",
    "main_script",
    "to_latin",
]

LATIN = "Latn"
SOURCE_ORIGINAL = "original"
SOURCE_ANYASCII = "anyascii"
SOURCE_KOREAN = "korean"
SOURCE_KOREAN_WORDS = "korean-words"
SOURCE_HANJA = "hanja"
SOURCE_PINYIN = "pinyin"
SOURCE_PINYIN_WORDS = "pinyin-words"
#: Sources whose tokens are single CJK syllables: no Latin title, particle or stopword applies to them.
SYLLABLE_SOURCES = frozenset({SOURCE_KOREAN, SOURCE_HANJA, SOURCE_PINYIN})

# ISO 15924 codes and the Unicode blocks of their letters. Block ranges are Unicode facts, not a
# curated word list, so they live here rather than in a data file.
_SCRIPT_CHARS: dict[str, str] = {
    "Latn": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff",
    "Grek": "\u0370-\u03ff\u1f00-\u1fff",
    "Cyrl": "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f",
    "Armn": "\u0531-\u058f",
    "Hebr": "\u0591-\u05f4\ufb1d-\ufb4f",
    "Arab": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc",
    "Syrc": "\u0700-\u074f",
    "Thaa": "\u0780-\u07bf",
    "Deva": "\u0900-\u097f",
    "Beng": "\u0980-\u09ff",
    "Guru": "\u0a00-\u0a7f",
    "Gujr": "\u0a80-\u0aff",
    "Orya": "\u0b00-\u0b7f",
    "Taml": "\u0b80-\u0bff",
    "Telu": "\u0c00-\u0c7f",
    "Knda": "\u0c80-\u0cff",
    "Mlym": "\u0d00-\u0d7f",
    "Sinh": "\u0d80-\u0dff",
    "Thai": "\u0e00-\u0e7f",
    "Laoo": "\u0e80-\u0eff",
    "Tibt": "\u0f00-\u0fff",
    "Mymr": "\u1000-\u109f",
    "Geor": "\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f",
    "Hang": "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uffa0-\uffdc",
    "Ethi": "\u1200-\u139f\u2d80-\u2ddf",
    "Khmr": "\u1780-\u17ff",
    "Mong": "\u1800-\u18af",
    "Hira": "\u3041-\u309f",
    "Kana": "\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f",
    "Hani": "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003134f",
    "Mtei": "\uabc0-\uabff",
}
_SCRIPT_PATTERNS = tuple((code, re.compile(f"[{chars}]")) for code, chars in _SCRIPT_CHARS.items())
_ASCII_LETTER = re.compile("[A-Za-z]")
# Most specific first: the script a mixed name is filed under.
_PRIORITY = ("Hang", "Hira", "Kana", "Hani", "Arab", "Hebr", "Cyrl", "Grek")

_HAN = _SCRIPT_CHARS["Hani"]
_HAN_CHAR = re.compile(f"([{_HAN}])")
_HAN_WORD3 = re.compile(f"(?<![{_HAN}])([{_HAN}])([{_HAN}]{{2}})(?![{_HAN}])")
# Middle dots separate the parts of foreign names written in Chinese or Japanese (本·拉登);
# anyascii would make them hyphens and so glue the parts together.
_NAME_DOTS = str.maketrans(dict.fromkeys("·・‧･•", " "))
# Arabic letters anyascii drops or writes as a mark; written as "a" so that the transliteration
# keeps a vowel where names written in Latin have one (see sanctionwatch.text.normalize.consonant_key).
_ARABIC_VOWELS = str.maketrans(dict.fromkeys("اأإآٱعة", "a"))
_MAX_KOREAN_READINGS = 2
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def _scripts(text: str) -> frozenset[str]:
    if text.isascii():
        return frozenset((LATIN,)) if _ASCII_LETTER.search(text) else frozenset()
    text = unicodedata.normalize("NFKC", text)
    return frozenset(code for code, pattern in _SCRIPT_PATTERNS if pattern.search(text))


def detect_scripts(text: str) -> set[str]:
    """ISO 15924 codes of the scripts whose letters appear in ``text``.

    Digits, punctuation and letters of scripts not listed here are not counted, so
    ``detect_scripts("123")`` is empty. Japanese gives ``Hira``/``Kana`` plus ``Hani`` for kanji.

    Args:
        text: Any text, e.g. ``"Владимир Путин"`` → ``{"Cyrl"}``.
    """
    return set(_scripts(text))


def main_script(text: str) -> str:
    """The one script a name is filed under: its most specific non-Latin script, else ``Latn``."""
    scripts = _scripts(text)
    for code in _PRIORITY:
        if code in scripts:
            return code
    others = sorted(scripts - {LATIN})
    return others[0] if others else LATIN


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _latin(text: str) -> str:
    """anyascii's Latin form; Han characters one syllable each, Arabic vowels kept."""
    if _HAN_CHAR.search(text):
        text = _HAN_CHAR.sub(r" \1 ", text)
    return _clean(anyascii(text.translate(_ARABIC_VOWELS)))


def _mandarin(text: str) -> list[str]:
    """Pinyin forms of Han text: one syllable per character, and a 3-character name joined."""
    split = _latin(text)
    forms = [split]
    if _HAN_WORD3.search(text):
        # 习近平 → "Xi Jinping": a Chinese name's given name is written as one word.
        joined = _latin(_HAN_WORD3.sub(lambda m: f" {anyascii(m[1])} {anyascii(m[2]).capitalize()} ", text))
        if joined != split:
            forms.append(joined)
    return forms


def _korean(hangul: str, *, words: bool = False) -> str:
    romanized = korean.romanize_hangul_words(hangul) if words else korean.romanize_hangul(hangul)
    if not romanized.isascii() and _scripts(romanized) - {LATIN}:
        romanized = _latin(romanized)
    return _clean(romanized)


@lru_cache(maxsize=1 << 16)
def _latin_forms(text: str) -> tuple[tuple[str, str], ...]:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    scripts = _scripts(text)
    if not scripts - {LATIN}:
        return ((text, SOURCE_ORIGINAL),)
    forms: list[tuple[str, str]] = []
    kana = "Hira" in scripts or "Kana" in scripts
    if "Hani" in scripts and not kana:
        undotted = text.translate(_NAME_DOTS)
        if undotted == text:
            # A name in Hanja: its Korean readings first (the lists' DPRK names), then Mandarin.
            readings = korean.hanja_to_hangul(text)[:_MAX_KOREAN_READINGS]
            forms.extend((_korean(reading), SOURCE_HANJA) for reading in readings)
            forms.extend((form, SOURCE_PINYIN) for form in _mandarin(undotted))
        else:
            # Dotted (穆罕默德·本·萨勒曼) is a foreign name written in Chinese, one word per dotted
            # part: "Muhanmode Ben Saleiman"; Mandarin only, no Korean reading.
            words = " ".join(anyascii(word).capitalize() for word in undotted.split())
            forms.append((_clean(words), SOURCE_PINYIN_WORDS))
            forms.append((_latin(undotted), SOURCE_PINYIN))
    elif "Hang" in scripts:
        # Person-style (one word per syllable, as the lists write DPRK names), then word-style
        # (syllables joined in a word, as company names and foreign names are written).
        forms.append((_korean(text), SOURCE_KOREAN))
        forms.append((_korean(text, words=True), SOURCE_KOREAN_WORDS))
    else:
        forms.append((_latin(text.translate(_NAME_DOTS) if kana else text), SOURCE_ANYASCII))
    unique: dict[str, str] = {}
    for form, source in forms:
        if form:
            unique.setdefault(form, source)
    return tuple(unique.items())


def latin_forms(text: str) -> list[tuple[str, str]]:
    """The Latin forms of a name with the transliteration that made each, most likely first.

    Sources:

    * ``original``: the name was Latin already;
    * ``korean``: Hangul through :func:`~sanctionwatch.text.korean.romanize_hangul`, a word per syllable;
    * ``korean-words``: Hangul through :func:`~sanctionwatch.text.korean.romanize_hangul_words`;
    * ``hanja``: Han characters read as Korean, then ``korean``;
    * ``pinyin``: Han characters read as Mandarin by anyascii, one syllable per character;
    * ``pinyin-words``: a foreign name written in Chinese with middle dots, one word per part;
    * ``anyascii``: any other script.
    """
    return list(_latin_forms(text))


def to_latin(text: str) -> list[str]:
    """The Latin forms of a name, most likely first.

    Latin text comes back unchanged (folding is :func:`~sanctionwatch.text.normalize.fold`'s job).
    Hangul gives its McCune–Reischauer romanization; Han characters give their Korean reading(s)
    then their Mandarin pinyin (``金正恩`` → ``["Kim Jong Un", ..., "Jin Zheng En", "Jin Zhengen"]``);
    any other script gives anyascii's transliteration (``Путин`` → ``["Putin"]``).

    Args:
        text: A name in any script.
    """
    return [form for form, _ in _latin_forms(text)]
