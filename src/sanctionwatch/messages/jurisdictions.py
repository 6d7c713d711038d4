"""Sanctioned jurisdictions (``data/jurisdictions.yml``) and their gazetteer, matched with spans.

Text is folded character by character (case, diacritics, apostrophes, punctuation do not count) with
a map back to the original offsets, and every place name of the enabled jurisdictions is found in
one pass of an Aho-Corasick automaton. Latin and Cyrillic matches must be whole words; Hangul,
Han and Arabic names are found inside longer words too (``평양시`` holds ``평양``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick
import yaml

from sanctionwatch.errors import ConfigError
from sanctionwatch.text.normalize import APOSTROPHES

__all__ = ["Folded", "Jurisdiction", "Jurisdictions", "PlaceMatch", "fold_with_offsets"]

_APOS = frozenset(APOSTROPHES)


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """One sanctioned jurisdiction of the data file."""

    key: str
    name: str
    default: bool
    countries: tuple[str, ...]
    places: tuple[str, ...]
    legal_basis: tuple[tuple[str, str], ...]
    sources: tuple[str, ...]

    def basis_text(self) -> str:
        """The legal basis as one line: ``UN: ...; US: ...``."""
        return "; ".join(f"{who}: {what}" for who, what in self.legal_basis)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the original span it came from."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]


def _keep_whole(c: str) -> bool:
    """Characters not decomposed: Hangul syllables and Han ideographs stay themselves."""
    o = ord(c)
    return 0xAC00 <= o <= 0xD7A3 or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


_ASCII = {i: (chr(i).lower() if chr(i).isalnum() else " ") for i in range(128)}


def fold_with_offsets(text: str) -> Folded:
    """Fold ``text`` for matching, keeping where each folded character came from.

    ``"P'yŏngyang-si"`` folds to ``"pyongyang si"``. ASCII text without apostrophes or runs of
    separators (most payment text) folds character for character, so its offsets are the identity.
    """
    if text.isascii():
        quick = text.translate(_ASCII)
        if "  " not in quick and quick[:1] != " " and quick[-1:] != " " and not _APOS.intersection(text):
            return Folded(quick, range(len(quick)), range(1, len(quick) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, c in enumerate(text):
        if c in _APOS:
            continue
        parts = c.casefold() if _keep_whole(c) else unicodedata.normalize("NFKD", c).casefold()
        for p in parts:
            if unicodedata.combining(p):
                continue
            ch = p if p.isalnum() else " "
            if ch == " " and (not out or out[-1] == " "):
                continue
            out.append(ch)
            starts.append(i)
            ends.append(i + 1)
    while out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return Folded("".join(out), tuple(starts), tuple(ends))


def _needs_boundary(c: str) -> bool:
    o = ord(c)
    return o < 0x0250 or 0x0370 <= o <= 0x052F


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A gazetteer place found in a text: which jurisdiction, which place name, where."""

    jurisdiction: Jurisdiction
    place: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _load_file() -> tuple[Jurisdiction, ...]:
    raw: Any = yaml.safe_load(
        resources.files("sanctionwatch.messages").joinpath("data/jurisdictions.yml").read_text("utf-8")
    )
    out = []
    for item in raw["jurisdictions"]:
        out.append(
            Jurisdiction(
                key=str(item["key"]),
                name=str(item["name"]),
                default=bool(item["default"]),
                countries=tuple(str(c) for c in item.get("countries") or ()),
                places=tuple(str(p) for p in item.get("places") or ()),
                legal_basis=tuple((str(k), str(v)) for k, v in (item.get("legal_basis") or {}).items()),
                sources=tuple(str(s) for s in item.get("sources") or ()),
            )
        )
    return tuple(out)


class Jurisdictions:
    """The enabled jurisdictions: countries by code and a gazetteer automaton over their places.

    Args:
        enabled: Keys to screen; None screens the file's default entries.

    Raises:
        ConfigError: An unknown key, quoting it.
    """

    def __init__(self, enabled: Iterable[str] | None = None) -> None:
        every = _load_file()
        known = {j.key: j for j in every}
        if enabled is None:
            chosen = [j for j in every if j.default]
        else:
            keys = list(enabled)
            unknown = [k for k in keys if k not in known]
            if unknown:
                raise ConfigError(f"jurisdiction {unknown[0]!r} unknown; known: {', '.join(known)}")
            chosen = [known[k] for k in keys]
        self.enabled: tuple[Jurisdiction, ...] = tuple(chosen)
        self.by_country: dict[str, Jurisdiction] = {c: j for j in chosen for c in j.countries}
        self._automaton: Any = ahocorasick.Automaton()
        for j in chosen:
            for place in j.places:
                key = fold_with_offsets(place).text
                if key:
                    self._automaton.add_word(key, (key, place, j))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    @classmethod
    def select(cls, spec: str | None) -> Jurisdictions:
        """From a switch string: ``"syria"`` adds to the defaults with ``+syria``, removes with ``-cuba``;
        plain keys (``"north-korea,iran"``) screen exactly those; None or ``"default"`` the defaults.

        Raises:
            ConfigError: An unknown key.
        """
        if spec is None or spec.strip() in ("", "default"):
            return cls()
        items = [x.strip() for x in spec.split(",") if x.strip()]
        if all(x[0] in "+-" for x in items):
            keys = [j.key for j in _load_file() if j.default]
            for x in items:
                if x[0] == "+" and x[1:] not in keys:
                    keys.append(x[1:])
                elif x[0] == "-":
                    if x[1:] not in {j.key for j in _load_file()}:
                        raise ConfigError(f"jurisdiction {x[1:]!r} unknown")
                    keys = [k for k in keys if k != x[1:]]
            return cls(keys)
        return cls(items)

    @staticmethod
    def all_entries() -> tuple[Jurisdiction, ...]:
        """Every entry of the data file, enabled or not."""
        return _load_file()

    def country(self, code: str | None) -> Jurisdiction | None:
        """The enabled jurisdiction embargoing the whole of country ``code``, if any."""
        if not code:
            return None
        return self.by_country.get(code.strip().upper())

    def places(self, text: str) -> list[PlaceMatch]:
        """Every gazetteer place in ``text``, with its span in ``text``; longest first where they overlap."""
        if self._empty or not text:
            return []
        folded = fold_with_offsets(text)
        ft = folded.text
        found: list[PlaceMatch] = []
        for end, (key, place, j) in self._automaton.iter(ft):
            start = end - len(key) + 1
            if _needs_boundary(ft[start]) and start > 0 and ft[start - 1] != " ":
                continue
            if _needs_boundary(ft[end]) and end + 1 < len(ft) and ft[end + 1] != " ":
                continue
            found.append(PlaceMatch(j, place, folded.starts[start], folded.ends[end]))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[PlaceMatch] = []
        for m in found:
            if out and m.start < out[-1].end:
                continue
            out.append(m)
        return out
