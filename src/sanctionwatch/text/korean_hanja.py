"""Korean names written in Chinese characters (Hanja) → Hangul readings.

The ``hanja`` package reads each character by its commonest sound and applies the South's
initial-sound law at the start of a word (李 → 이, 龍 → 용). Two things it cannot know are layered on
top here: surnames, whose reading can differ from the character's commonest one (金 is 김 as a
surname, 금 otherwise) and differs between the Koreas (DPRK 리/류/로, South 이/유/노), from the reviewed
file ``data/korean_surnames.yml``; and the DPRK reading, which keeps the initial ㄹ and ㄴ.
"""

from __future__ import annotations

from functools import cache, lru_cache

import hanja

from sanctionwatch.text.korean_data import Surname, hangul_key, surnames

__all__ = ["MAX_READINGS", "hanja_to_hangul", "has_hanja", "sino_korean_keys"]

MAX_READINGS = 4

# CJK Unified Ideographs (base, extension A, compatibility) and the supplementary-plane extensions.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def has_hanja(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (Hanja, Hanzi or Kanji alike)."""
    for ch in text:
        code = ord(ch)
        if code >= 0x3400 and any(lo <= code <= hi for lo, hi in _HAN_RANGES):
            return True
    return False


@cache
def _readings_table() -> dict[str, str]:
    """The per-character reading table behind ``hanja.translate`` (loading it takes ~0.2 s)."""
    from hanja.table import hanja_table

    table: dict[str, str] = hanja_table
    return table


@cache
def sino_korean_keys() -> frozenset[str]:
    """Keys of the syllables that read some Chinese character or are surnames (300 of 1,400 keys).

    Korean given names, North Korean ones above all, are made of these syllables; a joined token that
    splits only into them is far likelier to be a Korean name than one that needs native syllables.
    """
    readings = {r for r in _readings_table().values() if len(r) == 1}
    readings.update(ch for s in surnames() for ch in s.dprk + s.south)  # 김 reads no character
    return frozenset(key for r in readings if (key := hangul_key(r)) is not None)


@cache
def _surname_index() -> dict[str, Surname]:
    return {h: s for s in surnames() for h in s.hanja}


def _dprk_reading(text: str) -> str:
    """Each character by its dictionary sound, initial ㄹ/ㄴ kept, as the DPRK writes it."""
    table = _readings_table()
    return "".join(table.get(ch, ch) for ch in text)


def _split_surname(text: str) -> tuple[Surname | None, str]:
    index = _surname_index()
    for size in (2, 1):
        found = index.get(text[:size])
        if found is not None and len(text) > size:
            return found, text[size:]
    if text in index:
        return index[text], ""
    return None, text


@lru_cache(maxsize=4096)
def _readings(text: str) -> tuple[str, ...]:
    surname, given = _split_surname(text)
    given_dprk = _dprk_reading(given)
    given_south = hanja.translate(given, "substitution") if given else ""
    if surname is None:
        candidates = [given_dprk, given_south]
    else:
        candidates = [
            surname.dprk + given_dprk,
            surname.south + given_south,
            surname.south + given_dprk,
            surname.dprk + given_south,
        ]
    return tuple(dict.fromkeys(candidates))[:MAX_READINGS]


def hanja_to_hangul(text: str) -> list[str]:
    """Hangul readings of a Korean name written in Hanja, most likely first (at most four).

    The first reading is the DPRK one (崔龍海 → 최룡해), then the South Korean one (최용해); a known
    surname is read as a surname (金正恩 → 김정은, not 금정은). Other characters are kept as they are.
    A Japanese or Chinese name gets Korean readings too: deciding whether a name is Korean is the
    caller's job.

    Args:
        text: A name such as ``"金正恩"`` or ``"李 秀勇"``.

    Returns:
        Distinct readings, or an empty list when ``text`` holds no Chinese character.
    """
    compact = "".join(text.split())
    if not has_hanja(compact):
        return []
    return list(_readings(compact))
