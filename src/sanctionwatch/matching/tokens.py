"""From text forms to the matcher's tokens: weights by token kind, joinability, Korean segmentation.

``text.names`` says what each token is (name part, honorific, legal form, stop word); this module
turns that into what the scorer needs, and adds the query-side form where a joined romanized Korean
given name is split into its syllables (``Jeongeun`` → ``jeong eun``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.similarity import compare_form, deletions
from sanctionwatch.text.korean import is_korean_surname, segment
from sanctionwatch.text.names import NameForm, TokenKind, name_forms
from sanctionwatch.text.wordlists import locators

__all__ = ["TokenSpec", "clear_token_caches", "compare_form", "listed_tokens", "query_tokens"]


@dataclass(frozen=True, slots=True)
class TokenSpec:
    """A token as the matcher uses it.

    Attributes:
        text: The folded token.
        factor: Weight multiplier from its kind (1 for name parts).
        joinable: Whether it may join its neighbour (name parts only).
        legal: Whether it is a legal form (``ag``, ``llc``), which may end a join
            (``Siemens AG`` ~ ``SiemensAG``).
    """

    text: str
    factor: float
    joinable: bool
    legal: bool = False


def _specs(tokens: tuple[tuple[str, TokenKind], ...], cfg: ScoringConfig) -> list[TokenSpec]:
    out = []
    for raw, kind in tokens:
        text = compare_form(raw)
        if kind == TokenKind.STOP:
            continue
        if kind == TokenKind.WEAK:
            out.append(TokenSpec(text, cfg.weak_token_factor, False))
        elif kind == TokenKind.LEGAL:
            out.append(TokenSpec(text, cfg.legal_token_factor, False, True))
        else:
            out.append(TokenSpec(text, 1.0, True))
    return out


FormTuple = tuple[str, tuple[tuple[str, TokenKind], ...], tuple[int, ...]]


def _key_positions(form: NameForm) -> tuple[int, ...]:
    """:attr:`NameForm.key_positions` counted without the stop words ``_specs`` drops."""
    stops = [i for i, t in enumerate(form.tokens) if t.kind == TokenKind.STOP]
    return tuple(p - sum(1 for s in stops if s < p) for p in form.key_positions)


@lru_cache(maxsize=4096)
def _forms(name: str) -> tuple[FormTuple, ...]:
    return tuple(
        (f.source, tuple((t.key, t.kind) for t in f.tokens), _key_positions(f)) for f in name_forms(name)
    )


def listed_tokens(name: str, cfg: ScoringConfig) -> list[tuple[list[TokenSpec], tuple[int, ...]]]:
    """Token lists of every comparable form of a listed name with their key positions.

    Not cached: each listed name is seen once. Key positions are those a short form must keep
    (:attr:`~sanctionwatch.text.names.NameForm.key_positions`).
    """
    return [
        (_specs(tuple((t.key, t.kind) for t in f.tokens), cfg), _key_positions(f)) for f in name_forms(name)
    ]


def name_forms_cached(name: str) -> tuple[FormTuple, ...]:
    """``text.names.name_forms`` as plain tuples with key positions, cached (names repeat)."""
    return _forms(name)


def query_tokens(name: str, cfg: ScoringConfig) -> list[tuple[str, list[TokenSpec], tuple[int, ...]]]:
    """``(source, tokens, key positions)`` of every form of a query name, plus Korean syllable splits."""
    out: list[tuple[str, list[TokenSpec], tuple[int, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    for source, tokens, keys in name_forms_cached(name):
        specs = _specs(tokens, cfg)
        split = _split_korean(specs)
        variants = [(specs, source, keys), (split, source + "+syllables", ())]
        variants += [(v, source + how, ()) for v, how in _without_office(specs)]
        for variant, how, kp in variants:
            key = tuple(s.text for s in variant)
            if key and key not in seen:
                seen.add(key)
                out.append((how, variant, kp))
    return out


def _without_office(specs: list[TokenSpec]) -> list[tuple[list[TokenSpec], str]]:
    """A query naming an office (``... DUBAI BRANCH``) without the ending and the place before it.

    One reading per place length (``HONG KONG BRANCH`` is two words of place), at least two
    tokens left: the organization's listed name does not name its offices.
    """
    loc = locators()
    texts = [s.text for s in specs]
    for ending in loc.endings:
        n = len(ending)
        if len(texts) > n + 2 and tuple(texts[-n:]) == ending:
            out = []
            for place in range(1, loc.max_place_words + 1):
                rest = len(texts) - n - place
                if rest < 2:
                    break
                dropped = " ".join(texts[rest:])
                out.append((specs[:rest], f"+office-dropped({dropped})"))
            return out
    return []


def _split_korean(specs: list[TokenSpec]) -> list[TokenSpec]:
    """Split joined romanized Korean given names into syllables, in names with a Korean surname.

    Splitting is limited to names holding a romanized Korean surname (``kim``, ``lee``, ``choe``...)
    because ``segment`` also splits many non-Korean words (``hasan`` → ``ha san``).
    """
    if len(specs) < 2 or not any(is_korean_surname(s.text) for s in specs):
        return specs
    out: list[TokenSpec] = []
    for s in specs:
        parts = segment(s.text) if s.joinable and len(s.text) >= 4 else None
        if parts and len(parts) >= 2:
            out.extend(TokenSpec(compare_form(p), 1.0, True) for p in parts)
        else:
            out.append(s)
    return out


def clear_token_caches() -> None:
    """Empty this module's caches (and the deletion neighbourhoods'), for cold measurements."""
    _forms.cache_clear()
    compare_form.cache_clear()
    deletions.cache_clear()
