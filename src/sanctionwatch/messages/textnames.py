"""Listed names in free text: one Aho-Corasick automaton over every folded listed name, confirmed
by the scorer.

Remittance lines and MT fields 70/72 are not names, so the screener cannot take them whole. Every
listed name (any script) is folded (:func:`~sanctionwatch.messages.jurisdictions.fold_with_offsets`)
into the automaton once; a text is folded the same way and scanned in one pass. Each whole-word
occurrence is screened as a name query, and kept only if the scorer alerts on one of the entities
that carry it, so the reason has the scorer's score and explanation like a party reason.

Each name is also taken without its bracketed parts. Latin names need two words and eight letters
(a single listed word such as ``SAMSON`` or ``VICTORY`` is an ordinary word in a remittance line);
other scripts need three characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from sanctionwatch.errors import InputError
from sanctionwatch.matching.query import Query
from sanctionwatch.matching.score import Hit
from sanctionwatch.matching.screener import Screener
from sanctionwatch.messages.jurisdictions import fold_with_offsets

__all__ = ["NameFinding", "NameScanner"]

MIN_LATIN_CHARS = 8
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
"""Bracketed parts of a listed name (``FOREIGN TRADE BANK (FTB)``): the name is also found without them."""
MIN_OTHER_CHARS = 3


@dataclass(frozen=True, slots=True)
class NameFinding:
    """A listed name found in a text, confirmed by the scorer."""

    start: int
    end: int
    hit: Hit


def _latin(c: str) -> bool:
    o = ord(c)
    return o < 0x0250 or 0x0370 <= o <= 0x052F


def _wanted(key: str) -> bool:
    if not key:
        return False
    if any(_latin(c) and c.isalpha() for c in key):
        return " " in key and len(key) >= MIN_LATIN_CHARS
    return len(key.replace(" ", "")) >= MIN_OTHER_CHARS


class NameScanner:
    """Finds listed names in free text.

    Args:
        screener: Its entities give the names; its scorer confirms each occurrence.
        threshold: Alert threshold (default: the screener's).
        lists: Only these list keys.
    """

    def __init__(
        self, screener: Screener, threshold: float | None = None, lists: Iterable[str] | None = None
    ) -> None:
        self.screener = screener
        self.threshold = screener.config.threshold if threshold is None else threshold
        self.lists = tuple(lists) if lists is not None else None
        automaton: Any = ahocorasick.Automaton()
        owners: dict[str, set[str]] = {}
        for entity in screener.index.entities:
            if self.lists is not None and not (
                entity.list_key in self.lists or entity.list_key.split(":", 1)[0] in self.lists
            ):
                continue
            for name in entity.names:
                for variant in {name.full, _BRACKETS.sub(" ", name.full)}:
                    key = fold_with_offsets(variant).text
                    if _wanted(key):
                        owners.setdefault(key, set()).add(entity.id)
        for key, ids in owners.items():
            automaton.add_word(key, (len(key), frozenset(ids)))
        self.patterns = len(owners)
        self._automaton = automaton
        if owners:
            automaton.make_automaton()

    def find(self, text: str) -> list[NameFinding]:
        """Listed names in ``text`` that the scorer confirms, with their spans; longest first."""
        if not self.patterns or not text:
            return []
        folded = fold_with_offsets(text)
        ft = folded.text
        spans: dict[tuple[int, int], set[str]] = {}
        for end, (length, ids) in self._automaton.iter(ft):
            start = end - length + 1
            if _latin(ft[start]) and start > 0 and ft[start - 1] != " ":
                continue
            if _latin(ft[end]) and end + 1 < len(ft) and ft[end + 1] != " ":
                continue
            spans.setdefault((folded.starts[start], folded.ends[end]), set()).update(ids)
        out: list[NameFinding] = []
        taken: list[tuple[int, int]] = []
        for (a, b), ids in sorted(spans.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
            if any(a < y and x < b for x, y in taken):
                continue
            try:
                query = Query.build(text[a:b])
            except InputError:
                continue  # an over-long span: the scorer takes names, not paragraphs
            hits = self.screener.screen(query, limit=10, threshold=self.threshold, lists=self.lists)
            confirmed = [h for h in hits if h.match and h.entity_id in ids]
            if confirmed:
                taken.append((a, b))
                out.extend(NameFinding(a, b, h) for h in confirmed[:3])
        out.sort(key=lambda f: (f.start, -f.hit.score))
        return out
