"""A name → every comparable form of it: Latin transliterations, folded, tokenized, classified.

``name_forms("KIM, Jong-un")`` gives two forms, ``kim jong un`` and ``kim jongun``; ``name_forms("金正恩")``
gives the Korean reading ``kim jong un`` and the Mandarin ``jin zheng en`` / ``jin zhengen``.
Each token is a NAME, or WEAK (title, honorific, particle: ``dr``, ``sheikh``, ``al``, ``bin``),
LEGAL (a legal form, keyed by its canonical form: ``corporation`` → ``corp``) or STOP (``of``).
Weak, legal and stop tokens are kept and flagged, never dropped: the matcher decides their weight.
Korean-specific equivalences (syllable keys, ``jongun`` = ``jong un``) are the matcher's, through
:mod:`sanctionwatch.text.korean`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from sanctionwatch.text.brackets import bracket_variants
from sanctionwatch.text.normalize import fold
from sanctionwatch.text.scripts import SYLLABLE_SOURCES, latin_forms, main_script
from sanctionwatch.text.wordlists import LegalForm, country_forms, legal_forms, word_lists

__all__ = ["MAX_FORMS", "NameForm", "Token", "TokenKind", "name_forms"]

#: At most this many forms per name, most likely first.
MAX_FORMS = 6


class TokenKind(StrEnum):
    """What a token of a name is."""

    NAME = "name"
    WEAK = "weak"
    LEGAL = "legal"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a folded name.

    Attributes:
        text: The folded token as written. A multi-word legal form is one token
            (``"joint stock company"``).
        kind: NAME, WEAK, LEGAL or STOP.
        canonical: The canonical form where the word lists give one (``corp`` for
            ``corporation``, ``sheikh`` for ``shaykh``, ``bin`` for ``ibn``), else empty.
    """

    text: str
    kind: TokenKind
    canonical: str = ""

    @property
    def key(self) -> str:
        """What to compare: the canonical form, else the text."""
        return self.canonical or self.text


@dataclass(frozen=True, slots=True)
class NameForm:
    """One comparable form of a name.

    Attributes:
        tokens: The tokens in the order the name was written (a ``SURNAME, Given`` comma dropped).
        script: ISO 15924 code of the script the name was written in (``Latn``, ``Cyrl``, ``Hang``...).
        source: The transliteration that made this form: ``original``, ``anyascii``, ``korean``,
            ``hanja`` or ``pinyin`` (see :func:`sanctionwatch.text.scripts.latin_forms`).
        parts: Per token, which comma-separated part of the name it is in (0 for the first).
    """

    tokens: tuple[Token, ...]
    script: str
    source: str
    parts: tuple[int, ...] = ()

    @property
    def key_positions(self) -> tuple[int, ...]:
        """Positions of the parts a short form of the name must keep: surname and a given name.

        For ``SURNAME, Given Middle`` the NAME tokens before the comma and the first after it;
        otherwise the first and the last NAME token (``Given Middle Surname``).
        """
        names = [i for i, t in enumerate(self.tokens) if t.kind is TokenKind.NAME]
        if not names:
            return ()
        if self.parts:
            first = [i for i in names if self.parts[i] == 0]
            second = [i for i in names if self.parts[i] == 1]
            if first and second:
                return (*first, second[0])
        return tuple(dict.fromkeys((names[0], names[-1])))

    @property
    def text(self) -> str:
        """The folded form as one string, e.g. ``"kim jong un"``."""
        return " ".join(token.text for token in self.tokens)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every token's comparison key, in order."""
        return tuple(token.key for token in self.tokens)

    @property
    def name_keys(self) -> tuple[str, ...]:
        """The keys of the NAME tokens only, in order."""
        return tuple(token.key for token in self.tokens if token.kind is TokenKind.NAME)


@lru_cache(maxsize=1 << 16)
def _token(text: str, kind: TokenKind, canonical: str = "") -> Token:
    # Names share most of their tokens; one object per distinct token keeps memory and time down.
    return Token(text, kind, canonical)


def _variants(latin: str) -> list[tuple[list[str], list[int]]]:
    """Tokens of a Latin form with hyphens split and, if any, joined; with each comma part's start."""
    split: list[str] = []
    joined: list[str] = []
    split_starts: list[int] = []
    joined_starts: list[int] = []
    hyphenated = False
    for part in latin.split(","):
        words = fold(part, hyphens=True).split()
        if not words:
            continue
        split_starts.append(len(split))
        joined_starts.append(len(joined))
        for word in words:
            if "-" in word:
                hyphenated = True
                split.extend(word.split("-"))
                joined.append(word.replace("-", ""))
            else:
                split.append(word)
                joined.append(word)
    if not split:
        return []
    if hyphenated:
        return [(split, split_starts), (joined, joined_starts)]
    return [(split, split_starts)]


def _legal_spans(tokens: list[str]) -> list[tuple[int, int, LegalForm]]:
    """Legal-form phrases in ``tokens`` (longest first at each position), edge rules applied."""
    by_first = legal_forms().by_first
    found: list[tuple[int, int, LegalForm]] = []
    n = len(tokens)
    i = 0
    while i < n:
        for form in by_first.get(tokens[i], ()):
            end = i + len(form.tokens)
            if end <= n and tuple(tokens[i:end]) == form.tokens:
                found.append((i, end, form))
                i = end
                break
        else:
            i += 1
    accepted = [not form.edge_only for _, _, form in found]
    edge = n
    for k in range(len(found) - 1, -1, -1):  # a chain of legal forms ending the name: "Trading Co Ltd"
        if found[k][1] != edge:
            break
        accepted[k] = True
        edge = found[k][0]
    edge = 0
    for k, (start, end, _) in enumerate(found):  # and one starting it: "OOO Rosneft", "AO Kalashnikov"
        if start != edge:
            break
        accepted[k] = True
        edge = end
    return [span for span, ok in zip(found, accepted, strict=True) if ok]


def _parts(tokens: list[str], starts: list[int], out: tuple[Token, ...]) -> tuple[int, ...]:
    """Comma part of each classified token (multi-word legal forms are one token)."""
    parts: list[int] = []
    i = 0
    for token in out:
        parts.append(bisect_right(starts, i) - 1)
        i += len(token.text.split())  # a legal form or a country name may be several words
    return tuple(max(0, p) for p in parts)


def _country_spans(tokens: list[str], kinds: list[TokenKind | None]) -> list[tuple[int, int, str]]:
    """Country names in ``tokens`` outside legal forms, longest first: ``(start, end, canonical)``."""
    table = country_forms()
    found: list[tuple[int, int, str]] = []
    i = 0
    n = len(tokens)
    while i < n:
        for spelling, key in table.get(tokens[i], ()) if kinds[i] is None else ():
            end = i + len(spelling)
            if end <= n and tuple(tokens[i:end]) == spelling and all(k is None for k in kinds[i:end]):
                found.append((i, end, key))
                i = end
                break
        else:
            i += 1
    return found


def _classify(tokens: list[str], starts: list[int], weak_words: bool) -> tuple[Token, ...]:
    """Kinds of the tokens; ``weak_words`` False skips titles, particles and stopwords."""
    lists = word_lists()
    n = len(tokens)
    kinds: list[TokenKind | None] = [None] * n
    canon = [""] * n
    legal_end: dict[int, tuple[int, str]] = {}
    for start, end, form in _legal_spans(tokens):
        legal_end[start] = (end, form.canonical)
        for i in range(start, end):
            kinds[i] = TokenKind.LEGAL
    country_end: dict[int, tuple[int, str]] = {}
    for start, end, key in _country_spans(tokens, kinds) if weak_words else ():
        country_end[start] = (end, key)
        for i in range(start, end):
            kinds[i] = TokenKind.NAME
    # Titles: a leading run of each comma part, when something follows it in the part.
    for p, start in enumerate(starts if weak_words else ()):
        stop = starts[p + 1] if p + 1 < len(starts) else n
        j = start
        while j < stop and kinds[j] is None and tokens[j] in lists.titles:
            j += 1
        if start < j < stop:
            for i in range(start, j):
                kinds[i] = TokenKind.WEAK
                canon[i] = lists.titles[tokens[i]]
    for i, text in enumerate(tokens):
        if kinds[i] is not None:
            continue
        if not weak_words:
            kinds[i] = TokenKind.NAME
        elif text in lists.particles:
            kinds[i] = TokenKind.WEAK
            canon[i] = lists.particles[text]
        elif text in lists.stopwords:
            kinds[i] = TokenKind.STOP
        else:
            kinds[i] = TokenKind.NAME
    if TokenKind.NAME not in kinds:
        # Nothing but weak words ("Al", "The Sheikh"): they are the name.
        kinds = [TokenKind.LEGAL if k is TokenKind.LEGAL else TokenKind.NAME for k in kinds]
        canon = [c if k is TokenKind.LEGAL else "" for c, k in zip(canon, kinds, strict=True)]
    out: list[Token] = []
    i = 0
    while i < n:
        if i in legal_end:
            end, key = legal_end[i]
            text = " ".join(tokens[i:end])
            out.append(_token(text, TokenKind.LEGAL, key if key != text else ""))
            i = end
            continue
        if i in country_end:
            end, key = country_end[i]
            text = " ".join(tokens[i:end])
            out.append(_token(text, TokenKind.NAME, key if key != text else ""))
            i = end
            continue
        kind = kinds[i]
        assert kind is not None
        out.append(_token(tokens[i], kind, canon[i] if canon[i] != tokens[i] else ""))
        i += 1
    return tuple(out)


#: Suffix of ``NameForm.source`` for each way of reading a bracketed name (``text.brackets``).
_BRACKET_SOURCE = {
    "whole": "",
    "outside": "+without-brackets",
    "with": "+with-brackets",
    "substituted": "+bracket-substituted",
    "inside": "+in-brackets",
}


@lru_cache(maxsize=1 << 15)
def _name_forms(name: str) -> tuple[NameForm, ...]:
    forms: list[NameForm] = []
    seen: set[tuple[Token, ...]] = set()
    variants = bracket_variants(name)
    cap = MAX_FORMS if len(variants) == 1 else 2 * MAX_FORMS
    for variant in variants:
        script = main_script(variant.text)
        count = 0
        for latin, source in latin_forms(variant.text):
            for tokens, starts in _variants(latin):
                classified = _classify(tokens, starts, source not in SYLLABLE_SOURCES)
                if classified in seen:
                    continue
                seen.add(classified)
                parts = _parts(tokens, starts, classified)
                forms.append(NameForm(classified, script, source + _BRACKET_SOURCE[variant.role], parts))
                count += 1
                if len(forms) == cap:
                    return tuple(forms)
                if count == MAX_FORMS:
                    break
            if count == MAX_FORMS:
                break
    return tuple(forms)


def name_forms(name: str) -> list[NameForm]:
    """Every comparable form of one name, most likely first, at most :data:`MAX_FORMS`.

    One form per Latin transliteration (:func:`~sanctionwatch.text.scripts.latin_forms`), folded and
    tokenized; a hyphenated name gives its split and its joined form (``Jong-un`` → ``jong un``,
    ``jongun``). A name with a second form in brackets gives the forms of each way of reading it
    (:func:`~sanctionwatch.text.brackets.bracket_variants`), at most twice as many.
    Duplicates are dropped. A name with no letters gives no form.

    Args:
        name: One name as written, in any script, e.g. ``"KIM, Jong Un"`` or ``"김정은"``.
    """
    return list(_name_forms(name))
