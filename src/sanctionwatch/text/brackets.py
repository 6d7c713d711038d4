"""A name with a second form in brackets, read as each of its forms.

Lists and queries write acronyms, other scripts, former names and qualifiers in brackets:
``KOREA KWANGSON BANKING CORPORATION (KKBC)``, ``Jin Tiesan (金铁三)``, ``Twister Shipmanagement
(ex. Starfish Ship Management)``, ``KOTENOK Yuriy (Yurii) Petrovich``, ``BANK MELLAT (IRAN)``.
:func:`bracket_variants` gives the texts to read such a name as (see docs/matching.md,
"Brackets"):

* the name without the bracket (``KOREA KWANGSON BANKING CORPORATION``), always first;
* a bracket that only qualifies (country, legal form, ``BRANCH``, ``OFFSHORE``: ``data/brackets.yml``)
  is part of the name: the name with it is kept too, never the bracket alone;
* an acronym of the words before it, inside the name (``CORPS (IRGC)-QODS FORCE``), takes their
  place; one word in brackets inside the name, same script as the word before it, is another
  spelling of that word (a maiden name, a transliteration: ``Ihor (Igor) Venedyktovych``), and so
  is a last bracketed word spelt like the word before it (``BUTAYEV (BUTAEV)``): the name with it
  in that word's place;
* otherwise the bracket's text is a name of its own (an acronym, another script, an alias after a
  marker such as ``a.k.a.`` or ``ex.``).

Unbalanced brackets are not read as brackets (the name is read as written). Nested brackets are
read at the outer level; their inner brackets are left to folding (which drops them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz

from sanctionwatch.countries import country_code
from sanctionwatch.errors import ConfigError
from sanctionwatch.text.normalize import fold
from sanctionwatch.text.scripts import main_script
from sanctionwatch.text.wordlists import legal_forms, word_lists

__all__ = ["BracketRules", "Variant", "bracket_rules", "bracket_variants", "parse_bracket_rules"]

_OPEN = {"(": ")", "[": "]", "（": "）", "［": "］"}
_CLOSE = {v: k for k, v in _OPEN.items()}
#: Indel similarity (0-100) from which a bracketed last word is read as a respelling of the word
#: before it rather than a name of its own (BUTAYEV/BUTAEV 92, Kiselev/Kiselyov 86).
RESPELLING_RATIO = 70


@dataclass(frozen=True, slots=True)
class Variant:
    """One text a bracketed name is read as.

    Attributes:
        text: The text to read.
        role: ``whole`` (no brackets), ``outside`` (the bracket removed), ``with`` (a qualifying
            bracket kept), ``substituted`` (a bracketed word in place of the word before it) or
            ``inside`` (the bracket's text on its own).
    """

    text: str
    role: str


@dataclass(frozen=True, slots=True)
class BracketRules:
    """Folded alias markers (as token tuples) and qualifier words."""

    alias_markers: tuple[tuple[str, ...], ...]
    qualifiers: frozenset[str]


def parse_bracket_rules(data: Any, source: str) -> BracketRules:
    """Check and fold the sections of ``brackets.yml``.

    Raises:
        ConfigError: A section is missing or an entry folds to nothing; the message names it.
    """
    out: dict[str, list[tuple[str, ...]]] = {}
    for section in ("alias_markers", "qualifiers"):
        value = data.get(section) if isinstance(data, dict) else None
        if not isinstance(value, list) or not value:
            raise ConfigError(f"{source}: section {section!r} must be a non-empty list")
        folded = []
        for entry in value:
            tokens = tuple(fold(entry).split()) if isinstance(entry, str) else ()
            if not tokens:
                raise ConfigError(f"{source}: {section}: {entry!r} folds to nothing")
            folded.append(tokens)
        out[section] = folded
    markers = tuple(sorted(out["alias_markers"], key=len, reverse=True))
    qualifiers = frozenset(t for tokens in out["qualifiers"] for t in tokens)
    return BracketRules(markers, qualifiers)


@cache
def bracket_rules() -> BracketRules:
    """The rules of ``text/data/brackets.yml`` (loaded once)."""
    raw = resources.files("sanctionwatch.text").joinpath("data/brackets.yml").read_text("utf-8")
    return parse_bracket_rules(yaml.safe_load(raw), "text/data/brackets.yml")


def _groups(name: str) -> list[tuple[int, int]] | None:
    """``(start, end)`` of each outermost bracket (end exclusive, brackets included); None if unbalanced."""
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    for i, ch in enumerate(name):
        if ch in _OPEN:
            if not stack:
                start = i
            stack.append(_OPEN[ch])
        elif ch in _CLOSE:
            if not stack or stack[-1] != ch:
                return None
            stack.pop()
            if not stack:
                spans.append((start, i + 1))
    return None if stack else spans


def _qualifies(tokens: list[str]) -> bool:
    """Whether bracketed ``tokens`` only qualify (country, legal form, qualifier word, stopword)."""
    rules = bracket_rules()
    stops = word_lists().stopwords
    by_first = legal_forms().by_first
    i = 0
    while i < len(tokens):
        for n in range(len(tokens), i, -1):  # longest country name first: "united arab emirates"
            if country_code(" ".join(tokens[i:n])) is not None and (n - i > 1 or len(tokens[i]) > 3):
                i = n
                break
        else:
            for form in by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(form.tokens)]) == form.tokens:
                    i += len(form.tokens)
                    break
            else:
                if tokens[i] not in rules.qualifiers and tokens[i] not in stops and len(tokens[i]) > 1:
                    return False
                i += 1
    return True


def _acronym_of(inner: str, prev: list[str]) -> int | None:
    """Where the words ``inner`` abbreviates start in ``prev`` (``CORPS (IRGC)``), or None."""
    letters = fold(inner)
    if len(letters) < 2 or not letters.isalpha() or not letters.isascii() or " " in letters:
        return None
    stops = word_lists().stopwords
    initials = ""
    for k in range(len(prev) - 1, -1, -1):
        words = fold(prev[k]).split()
        if not words:
            continue
        if words[0] in stops and initials:
            continue
        initials = "".join(w[0] for w in words) + initials
        if initials == letters:
            return k
        if not letters.endswith(initials):
            return None
    return None


def _respells(inner: str, word: str) -> bool:
    """Whether ``inner`` looks like another spelling of ``word`` (``BUTAYEV (BUTAEV)``)."""
    a, b = fold(inner), fold(word)
    return bool(a and b) and a[0] == b[0] and fuzz.ratio(a, b) >= RESPELLING_RATIO


def _strip_marker(tokens: list[str]) -> tuple[list[str], bool]:
    for marker in bracket_rules().alias_markers:
        if tuple(tokens[: len(marker)]) == marker and len(tokens) > len(marker):
            return tokens[len(marker) :], True
    return tokens, False


@lru_cache(maxsize=8192)
def bracket_variants(name: str) -> tuple[Variant, ...]:
    """The texts to read ``name`` as, most likely first (see the module docstring).

    Args:
        name: One name as written, e.g. ``"KOREA KWANGSON BANKING CORPORATION (KKBC)"``.
    """
    spans = _groups(name) if any(ch in _OPEN for ch in name) else None
    if not spans:
        return (Variant(name, "whole"),)
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(name[last:start])
        last = end
    pieces.append(name[last:])
    outside = " ".join(" ".join(pieces).split())
    if not fold(outside):  # the whole name is in brackets: "(KKBC)"
        return (Variant(" ".join(name[s + 1 : e - 1] for s, e in spans), "whole"),)
    out = [Variant(outside, "outside")]
    for start, end in spans:
        inner = name[start + 1 : end - 1]
        tokens = fold(inner, hyphens=True).split()
        if not tokens:
            continue
        tokens, marked = _strip_marker(tokens)
        before = name[:start]
        after = name[end:]
        if not marked and _qualifies(tokens):
            out.append(Variant(" ".join((before + " " + inner + " " + after).split()), "with"))
            continue
        prev = before.split()
        acronym = _acronym_of(inner, prev) if fold(after) else None
        if acronym is not None:
            out.append(Variant(" ".join([*prev[:acronym], inner, *after.split()]), "substituted"))
            continue
        if (
            not marked
            and len(inner.split()) == 1
            and prev
            and main_script(inner) == main_script(prev[-1])
            and (fold(after) or _respells(inner, prev[-1]))
        ):
            text = " ".join([*prev[:-1], inner, *after.split()])
            out.append(Variant(" ".join(text.split()), "substituted"))
            continue
        out.append(Variant(" ".join(tokens) if marked else " ".join(inner.split()), "inside"))
    return tuple(dict.fromkeys(out))
