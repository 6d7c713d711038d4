"""Hangul letter tables, the syllable-key design, and the spelling table built from them.

Hand-written on purpose: Hangul syllables decompose arithmetically (Unicode 3.12: syllable =
0xAC00 + (initial * 21 + vowel) * 28 + final), and no library romanizes in the DPRK style the
sanctions lists use (ICU and every PyPI romanizer give South Korean Revised Romanization).

A *syllable key* names a syllable up to the distinctions romanizations blur, so that every common
spelling of one syllable gets the same key:

* plain and aspirated stops merge (ㄱ/ㅋ → k, ㄷ/ㅌ → t, ㅂ/ㅍ → p, ㅈ/ㅊ → j): McCune–Reischauer
  without apostrophes writes both alike, and RR/DPRK voice or aspirate them differently;
* ㅓ ㅗ ㅜ ㅡ merge into ``o`` and ㅕ ㅛ ㅠ into ``yo``: MR/DPRK write ㅓ/ㅗ both ``o`` and ㅡ/ㅜ both
  ``u``, and passports write ㅓ as ``u`` (Jung, Sung, Chul) and ㅕ as ``yu`` (Hyun), so ``jung`` spells
  정 and 중 alike and the key cannot keep them apart;
* ㅙ ㅚ ㅞ merge into ``we`` (one sound: Choe, Choi, Chwe); ㅢ after nothing or a consonant into ``i``
  (Hee, Hui);
* the South's initial-sound law: ㄹ and ㄴ before i/y drop (리 = 이, 룡 = 용, 녀 = 여) and ㄹ before other
  vowels becomes ㄴ (로 = 노, 라 = 나).

Everything else stays apart: Kim/Kang, Jong/Jang, Un/Il/Yo have different keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import product
from typing import Any

import yaml

from sanctionwatch.errors import ConfigError

__all__ = [
    "SpellingTable",
    "Surname",
    "decompose",
    "dprk_syllable",
    "hangul_key",
    "rr_syllable",
    "spelling_table",
    "surnames",
]

S_BASE = 0xAC00
S_COUNT = 11172
INITIAL_JAMO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWEL_JAMO = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINAL_JAMO = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def _row(cells: str) -> tuple[str, ...]:
    """One table row: space-separated cells, ``-`` for an empty one."""
    return tuple("" if c == "-" else c for c in cells.split())


# Initials in jamo order:   ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
# DPRK 2002 (UNGEGN Working Paper 46), each syllable word-initial, as the lists write names.
DPRK_INITIAL = _row("k kk n t tt r m p pp s ss - j jj ch kh th ph h")
# McCune–Reischauer, word-initial, apostrophes dropped (ch'/k'/t'/p' → ch/k/t/p).
MR_INITIAL = _row("k kk n t tt r m p pp s ss - ch tch ch k t p h")
# Revised Romanization (2000).
RR_INITIAL = _row("g kk n d tt r m b pp s ss - j jj ch k t p h")
KEY_INITIAL = _row("k kk n t tt r m p pp s ss - j jj j k t p h")

# Vowels in jamo order:  ㅏ ㅐ ㅑ  ㅒ  ㅓ  ㅔ ㅕ   ㅖ ㅗ ㅘ  ㅙ  ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ  ㅢ ㅣ
# DPRK and MR with the breves dropped (ŏ → o, ŭ → u); RR; the key classes.
MR_VOWEL = _row("a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i")
RR_VOWEL = _row("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
KEY_VOWEL = _row("a ae ya yae o e yo ye o wa we we yo o wo we wi yo o i i")

# A final in a syllable said alone (every system neutralizes alike), jamo order:
#                 - ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
FINAL = _row("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
_IY_VOWELS = frozenset({"i", "ya", "yae", "yo", "ye"})

_DATA = "sanctionwatch.text"
SURNAMES_FILE = "data/korean_surnames.yml"
VARIANTS_FILE = "data/korean_variants.yml"


def decompose(ch: str) -> tuple[int, int, int] | None:
    """(initial, vowel, final) indices of one Hangul syllable, or ``None`` for any other character."""
    code = ord(ch) - S_BASE
    if not 0 <= code < S_COUNT:
        return None
    return code // 588, (code // 28) % 21, code % 28


def _key(i: int, v: int, f: int) -> str:
    initial, vowel = KEY_INITIAL[i], KEY_VOWEL[v]
    if initial in ("r", "n"):
        initial = "" if vowel in _IY_VOWELS else "n"
    return initial + vowel + FINAL[f]


def hangul_key(ch: str) -> str | None:
    """Syllable key of one Hangul syllable (``김`` → ``kim``, ``룡`` → ``yong``), else ``None``."""
    parts = decompose(ch)
    return None if parts is None else _key(*parts)


def dprk_syllable(i: int, v: int, f: int) -> str:
    """DPRK-style romanization of one syllable, lower case, no diacritics (``kim``, ``choe``)."""
    return DPRK_INITIAL[i] + MR_VOWEL[v] + FINAL[f]


def rr_syllable(i: int, v: int, f: int) -> str:
    """Revised Romanization of one syllable said alone, lower case (``gim``, ``choe``)."""
    return RR_INITIAL[i] + RR_VOWEL[v] + FINAL[f]


@dataclass(frozen=True, slots=True)
class Surname:
    """One Korean surname from ``korean_surnames.yml``."""

    hanja: tuple[str, ...]
    dprk: str
    south: str
    romanized: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpellingTable:
    """Every known spelling of a syllable, with its key and whether it is a systematic one.

    Attributes:
        keys: Lower-case spelling → syllable key.
        systematic: Spellings that some system (DPRK, MR, RR) or a curated entry gives; the others
            come from the letter rules of ``korean_variants.yml``.
        longest: Length of the longest spelling.
        splits: Romanized two-syllable surnames → their syllables (``somun`` → ``so mun``), which the
            longest-first rule of segmentation would get wrong.
    """

    keys: dict[str, str]
    systematic: frozenset[str]
    longest: int
    splits: dict[str, tuple[str, ...]]


def _load(name: str) -> Any:
    raw = resources.files(_DATA).joinpath(name).read_text("utf-8")
    return yaml.safe_load(raw)


def _bad(file: str, where: str, value: object, why: str) -> ConfigError:
    return ConfigError(f"{file}: {where}: {value!r} {why}")


def _syllable(file: str, where: str, value: object) -> tuple[int, int, int]:
    parts = decompose(value) if isinstance(value, str) and len(value) == 1 else None
    if parts is None:
        raise _bad(file, where, value, "is not one Hangul syllable")
    return parts


@cache
def surnames() -> tuple[Surname, ...]:
    """The surnames of ``korean_surnames.yml``, validated."""
    out: list[Surname] = []
    for n, entry in enumerate(_load(SURNAMES_FILE)["surnames"], 1):
        where = f"surname #{n}"
        if not isinstance(entry, dict) or not {"hanja", "dprk", "south", "romanized"} <= entry.keys():
            raise _bad(SURNAMES_FILE, where, entry, "lacks hanja, dprk, south or romanized")
        for field in ("dprk", "south"):
            for ch in str(entry[field]):
                _syllable(SURNAMES_FILE, f"{where} {field}", ch)
        hanja = tuple(str(h) for h in entry["hanja"])
        if any(len(h) != len(entry["dprk"]) for h in hanja):
            raise _bad(
                SURNAMES_FILE,
                f"{where} hanja",
                hanja,
                f"does not have one character per syllable of {entry['dprk']!r}",
            )
        romanized = tuple(str(r) for r in entry["romanized"])
        out.append(Surname(hanja, str(entry["dprk"]), str(entry["south"]), romanized))
    return tuple(out)


def _extras(section: dict[str, Any], part: str, jamo: str) -> list[list[tuple[str, frozenset[str] | None]]]:
    """Per letter of ``jamo``: the extra spellings of the ``part`` section, each with its ``before``."""
    table: list[list[tuple[str, frozenset[str] | None]]] = [[] for _ in jamo]
    for letter, rules in (section.get(part) or {}).items():
        if len(letter) != 1 or letter not in jamo or letter == " ":
            raise _bad(VARIANTS_FILE, f"jamo.{part}", letter, "is not a Hangul letter of that position")
        for rule in rules:
            spelling = rule.get("spelling") if isinstance(rule, dict) else None
            if not isinstance(spelling, str) or not spelling.isascii() or not rule.get("note"):
                raise _bad(VARIANTS_FILE, f"jamo.{part}.{letter}", rule, "needs an ASCII spelling and a note")
            before = rule.get("before")
            table[jamo.index(letter)].append((spelling, frozenset(before) if before else None))
    return table


def _add(keys: dict[str, str], spelling: str, key: str, origin: str) -> None:
    known = keys.setdefault(spelling, key)
    if known != key:
        raise ConfigError(
            f"{VARIANTS_FILE}: spelling {spelling!r} ({origin}) would give key {key!r}, "
            f"but {spelling!r} already spells a syllable of key {known!r}"
        )


@cache
def spelling_table() -> SpellingTable:
    """Build the spelling → key table for all 11,172 syllables (about 30 ms; done once)."""
    data = _load(VARIANTS_FILE)
    rules = data.get("jamo") or {}
    ext_i, ext_v = _extras(rules, "initial", INITIAL_JAMO), _extras(rules, "vowel", VOWEL_JAMO)
    ext_f = _extras(rules, "final", FINAL_JAMO)
    # The key and the spellings depend on a final only through its sound, so the 28 finals reduce
    # to 8 classes; the same goes for the systematic spellings.
    final_index = {FINAL[f]: f for f in range(28)}
    final_spellings: dict[str, set[str]] = {}
    for f in range(28):
        final_spellings.setdefault(FINAL[f], {FINAL[f]}).update(sp for sp, _ in ext_f[f])
    keys: dict[str, str] = {}
    systematic: set[str] = set()
    for i, v in product(range(19), range(21)):
        inits = {DPRK_INITIAL[i], MR_INITIAL[i], RR_INITIAL[i]}
        inits |= {sp for sp, before in ext_i[i] if before is None or VOWEL_JAMO[v] in before}
        vowels = {MR_VOWEL[v], RR_VOWEL[v]} | {sp for sp, _ in ext_v[v]}
        for final, f in final_index.items():
            key = _key(i, v, f)
            syllable = chr(S_BASE + (i * 21 + v) * 28 + f)
            mr = MR_INITIAL[i] + MR_VOWEL[v] + final
            for spelling in (dprk_syllable(i, v, f), rr_syllable(i, v, f), mr):
                _add(keys, spelling, key, f"systematic romanization of {syllable}")
                systematic.add(spelling)
            for a, b, c in product(inits, vowels, final_spellings[final]):
                _add(keys, a + b + c, key, f"letter rules for {syllable}")
    curated: dict[str, str] = dict(data.get("tokens") or {})
    for surname in surnames():
        if len(surname.dprk) == 1:
            curated.update((r, surname.dprk) for r in surname.romanized)
    for spelling, hangul in curated.items():
        i, v, f = _syllable(VARIANTS_FILE, f"tokens.{spelling}", hangul)
        key, low = _key(i, v, f), spelling.lower()
        _add(keys, low, key, f"curated spelling of {hangul}")
        systematic.add(low)
    return SpellingTable(keys, frozenset(systematic), max(map(len, keys)), _splits(keys))


def _splits(keys: dict[str, str]) -> dict[str, tuple[str, ...]]:
    splits: dict[str, tuple[str, ...]] = {}
    for surname in surnames():
        if len(surname.dprk) != 2:
            continue
        want = tuple(_key(*_syllable(SURNAMES_FILE, surname.dprk, ch)) for ch in surname.dprk)
        for spelling in (r.lower() for r in surname.romanized):
            cuts = [
                n for n in range(1, len(spelling)) if (keys.get(spelling[:n]), keys.get(spelling[n:])) == want
            ]
            if not cuts:
                raise _bad(SURNAMES_FILE, surname.dprk, spelling, "does not split into its two syllables")
            splits[spelling] = (spelling[: cuts[0]], spelling[cuts[0] :])
    return splits
