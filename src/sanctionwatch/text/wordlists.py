"""The reviewed word lists of ``text/data/*.yml``: honorifics, name particles, stopwords, legal forms.

Every spelling in a list goes through the same transliteration and folding as the names it will
be compared with, so a list may be written in any script and any case. A malformed list, or one
spelling given two canonical forms, raises :class:`~sanctionwatch.errors.ConfigError` naming the
file and the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sanctionwatch.errors import ConfigError
from sanctionwatch.text.normalize import fold
from sanctionwatch.text.scripts import to_latin

__all__ = [
    "LegalForm",
    "LegalForms",
    "Locators",
    "WordLists",
    "abbreviations",
    "country_forms",
    "fold_variants",
    "legal_forms",
    "load_word_lists",
    "locators",
    "parse_legal_forms",
    "parse_locators",
    "parse_mapping",
    "parse_words",
    "word_lists",
]


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One spelling of a legal form, as the token sequence it matches.

    Attributes:
        tokens: Folded tokens of the spelling, e.g. ``("joint", "stock", "company")``.
        canonical: The canonical form, e.g. ``"jsc"``.
        edge_only: Recognized only at the start or end of a name.
    """

    tokens: tuple[str, ...]
    canonical: str
    edge_only: bool


@dataclass(frozen=True, slots=True)
class LegalForms:
    """Legal forms indexed by their first token, longest spelling first."""

    by_first: dict[str, tuple[LegalForm, ...]]

    def __len__(self) -> int:
        return sum(len(forms) for forms in self.by_first.values())


@dataclass(frozen=True, slots=True)
class WordLists:
    """Folded spelling → canonical key, for each kind of weak word.

    Attributes:
        titles: Honorifics, titles and ranks (WEAK in a leading run).
        particles: Name particles such as ``al``, ``bin``, ``van`` (WEAK anywhere).
        stopwords: Words such as ``of``, ``the`` (STOP anywhere).
    """

    titles: dict[str, str]
    particles: dict[str, str]
    stopwords: frozenset[str]


def fold_variants(spelling: str) -> Iterator[tuple[str, ...]]:
    """Token sequences a spelling folds to: per Latin form, hyphens split and hyphens joined."""
    for latin in to_latin(spelling):
        folded = fold(latin, hyphens=True)
        yield tuple(folded.replace("-", " ").split())
        if "-" in folded:
            yield tuple(folded.replace("-", "").split())


def _read(name: str) -> Any:
    raw = resources.files("sanctionwatch.text").joinpath(f"data/{name}").read_text("utf-8")
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"text/data/{name}: not valid YAML: {exc}") from exc


def _entries(data: Any, source: str, section: str) -> dict[str, list[str]]:
    value = data.get(section) if isinstance(data, dict) else None
    if not isinstance(value, dict) or not value:
        raise ConfigError(f"{source}: section {section!r} must be a non-empty mapping canonical: [spellings]")
    for canonical, spellings in value.items():
        if not isinstance(canonical, str) or not canonical.strip():
            raise ConfigError(f"{source}: {section}: key {canonical!r} is not a non-empty string")
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip() for s in spellings):
            raise ConfigError(f"{source}: {section}.{canonical}: {spellings!r} is not a list of spellings")
    return value


def _add(table: dict[str, str], key: str, canonical: str, where: str) -> None:
    known = table.setdefault(key, canonical)
    if known != canonical:
        raise ConfigError(f"{where}: {key!r} is given both {known!r} and {canonical!r}")


def parse_mapping(data: Any, source: str, section: str) -> dict[str, str]:
    """Folded single-token spelling → canonical key, from one ``canonical: [spellings]`` section.

    A hyphenated spelling registers its joined form; a spelling that folds to several tokens
    (or none) is an error.
    """
    table: dict[str, str] = {}
    for canonical, spellings in _entries(data, source, section).items():
        key = fold(canonical)
        for spelling in [canonical, *spellings]:
            where = f"{source}: {section}.{canonical}"
            tokens = {variant for variant in fold_variants(spelling) if len(variant) == 1}
            if not tokens:
                raise ConfigError(f"{where}: {spelling!r} does not fold to one token")
            for (token,) in tokens:
                _add(table, token, key, where)
    return table


def parse_words(data: Any, source: str, section: str) -> frozenset[str]:
    """Folded single-token words from a ``section: [words]`` list."""
    value = data.get(section) if isinstance(data, dict) else None
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ConfigError(f"{source}: section {section!r} must be a non-empty list of words")
    words: set[str] = set()
    for word in value:
        folded = fold(word).split()
        if len(folded) != 1:
            raise ConfigError(f"{source}: {section}: {word!r} does not fold to one token")
        words.add(folded[0])
    return frozenset(words)


def parse_legal_forms(data: Any, source: str) -> LegalForms:
    """Index the ``forms`` and ``edge_forms`` sections of a legal-forms list."""
    seen: dict[tuple[str, ...], str] = {}
    forms: list[LegalForm] = []
    for section, edge in (("forms", False), ("edge_forms", True)):
        for canonical, spellings in _entries(data, source, section).items():
            key = fold(canonical).replace(" ", "")
            for spelling in spellings:
                where = f"{source}: {section}.{canonical}: {spelling!r}"
                variants = list(fold_variants(spelling))
                if not any(variants):
                    raise ConfigError(f"{where} folds to nothing")
                for tokens in variants:
                    known = seen.setdefault(tokens, key)
                    if known != key:
                        raise ConfigError(
                            f"{where}: {' '.join(tokens)!r} is given both {known!r} and {key!r}"
                        )
                    short = all(len(token) <= 2 for token in tokens)
                    forms.append(LegalForm(tokens, key, edge or short))
    by_first: dict[str, list[LegalForm]] = {}
    for form in dict.fromkeys(forms):
        by_first.setdefault(form.tokens[0], []).append(form)
    return LegalForms(
        {first: tuple(sorted(group, key=lambda f: -len(f.tokens))) for first, group in by_first.items()}
    )


@cache
def word_lists() -> WordLists:
    """Honorifics, particles and stopwords from ``honorifics.yml`` and ``stopwords.yml`` (loaded once)."""
    return load_word_lists(_read("honorifics.yml"), _read("stopwords.yml"))


def load_word_lists(honorifics: Any, stopwords: Any) -> WordLists:
    """Build :class:`WordLists` from the parsed YAML of both files; no word may be in two lists."""
    titles = parse_mapping(honorifics, "text/data/honorifics.yml", "titles")
    particles = parse_mapping(honorifics, "text/data/honorifics.yml", "particles")
    stops = parse_words(stopwords, "text/data/stopwords.yml", "stopwords")
    for word in sorted(titles.keys() & particles.keys()):
        raise ConfigError(f"text/data/honorifics.yml: {word!r} is both a title and a particle")
    for word in sorted(stops & (titles.keys() | particles.keys())):
        raise ConfigError(f"text/data/stopwords.yml: {word!r} is also in honorifics.yml")
    return WordLists(titles, particles, stops)


@cache
def legal_forms() -> LegalForms:
    """Legal forms from ``legal_forms.yml`` (loaded once)."""
    return parse_legal_forms(_read("legal_forms.yml"), "text/data/legal_forms.yml")


@dataclass(frozen=True, slots=True)
class Locators:
    """Endings of a query that names one office of an organization (``... DUBAI BRANCH``).

    Attributes:
        endings: Folded token sequences, longest first.
        max_place_words: How many words before the ending may name the place.
    """

    endings: tuple[tuple[str, ...], ...]
    max_place_words: int


def parse_locators(data: Any, source: str) -> Locators:
    """Check and fold ``locators.yml``.

    Raises:
        ConfigError: A missing section or an entry folding to nothing; the message names it.
    """
    endings = data.get("endings") if isinstance(data, dict) else None
    places = data.get("max_place_words") if isinstance(data, dict) else None
    if not isinstance(endings, list) or not endings:
        raise ConfigError(f"{source}: section 'endings' must be a non-empty list")
    if not isinstance(places, int) or isinstance(places, bool) or places < 1:
        raise ConfigError(f"{source}: max_place_words: {places!r} is not a positive integer")
    folded: set[tuple[str, ...]] = set()
    for entry in endings:
        variants = list(fold_variants(entry)) if isinstance(entry, str) else []
        if not any(variants):
            raise ConfigError(f"{source}: endings: {entry!r} folds to nothing")
        folded.update(v for v in variants if v)
    return Locators(tuple(sorted(folded, key=len, reverse=True)), places)


@cache
def locators() -> Locators:
    """Office endings from ``locators.yml`` (loaded once)."""
    return parse_locators(_read("locators.yml"), "text/data/locators.yml")


@cache
def abbreviations() -> dict[str, frozenset[str]]:
    """Folded word ↔ abbreviation kin from ``abbreviations.yml``, both ways (loaded once).

    ``abbreviations()["intl"]`` is ``{"international"}`` and ``abbreviations()["international"]``
    holds ``intl``, ``int``...
    """
    source = "text/data/abbreviations.yml"
    table = parse_mapping(_read("abbreviations.yml"), source, "abbreviations")
    kin: dict[str, set[str]] = {}
    for short, word in table.items():
        if short != word:
            kin.setdefault(short, set()).add(word)
            kin.setdefault(word, set()).add(short)
    return {k: frozenset(v) for k, v in kin.items()}


@cache
def country_forms() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """Country spellings from ``country_forms.yml``: first token → ((tokens, canonical), ...), longest first.

    Raises:
        ConfigError: A malformed entry, or one spelling under two countries; the message names it.
    """
    source = "text/data/country_forms.yml"
    seen: dict[tuple[str, ...], str] = {}
    for canonical, spellings in _entries(_read("country_forms.yml"), source, "countries").items():
        key = fold(canonical).replace(" ", "")
        for spelling in [canonical, *spellings]:
            variants = [v for v in fold_variants(spelling) if v]
            if not variants:
                raise ConfigError(f"{source}: countries.{canonical}: {spelling!r} folds to nothing")
            for tokens in variants:
                known = seen.setdefault(tokens, key)
                if known != key:
                    raise ConfigError(f"{source}: {' '.join(tokens)!r} is given both {known!r} and {key!r}")
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for tokens, key in seen.items():
        by_first.setdefault(tokens[0], []).append((tokens, key))
    return {k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in by_first.items()}
