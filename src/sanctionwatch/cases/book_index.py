"""The customer book's names and identifiers, indexed to look listed entities up among customers.

Building it normalizes every customer's name, which costs about as much as screening half the book;
so it is saved (pickle, in the data folder's ``cache/``) and reused by every delta re-screen until
the book or the name-processing code changes. Token rarity is always taken from the lists of the
day (``NameIndex.rebase``), so a name weighs what it weighs when the customer is screened.

The cache file is written by this program into its own data folder and read back only from there
(pickle must never load untrusted files); a file that fails to load is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from functools import cache
from pathlib import Path

from sanctionwatch import __version__
from sanctionwatch.cases.book import Customer
from sanctionwatch.matching.align import align
from sanctionwatch.matching.config import ScoringConfig
from sanctionwatch.matching.index import MIN_IDENTIFIER_LENGTH, NameIndex, paused_gc
from sanctionwatch.matching.query import normalize_identifier
from sanctionwatch.matching.retrieve import candidates, prepare
from sanctionwatch.model import Entity, Name, Schema

__all__ = ["REVERSE_MARGIN", "BookIndex", "book_key", "load_or_build"]

REVERSE_MARGIN = 0.20
"""How far below the lowest name score that can still alert the book index is searched.

The name score is close to symmetric (weighted Dice leaning to the heavier name), but a listed name
looked up among customers is tokenized as a query, and the customer's name as a listed form; the
margin absorbs that difference. The equality test against a full re-screen guards it.
"""

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def _code_version() -> str:
    """A digest of the code and word lists that turn names into tokens (a change rebuilds the index)."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    sources = sorted((_PACKAGE / "text").rglob("*.py")) + sorted((_PACKAGE / "text").rglob("*.yml"))
    sources += [_PACKAGE / "matching" / name for name in ("tokens.py", "index.py", "similarity.py")]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def book_key(book: list[Customer], config: ScoringConfig) -> str:
    """Identifies a book (its customers, in order, with their data), the configuration and the code."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(_code_version().encode())
    digest.update(repr(config).encode())
    for c in book:
        digest.update(f"{c.id}\t{c.fingerprint}\n".encode())
    return digest.hexdigest()


class BookIndex:
    """The book's names as listed forms, and its identifiers.

    Args:
        book: The active customers; positions in this list are what ``reach`` returns.
        config: Scoring configuration.
    """

    def __init__(self, book: list[Customer], config: ScoringConfig) -> None:
        self.config = config
        self.key = book_key(book, config)
        probes = (
            Entity(id=c.id, list_key="book", schema=Schema.PERSON, names=(Name(c.data["name"]),))
            for c in book
        )
        self.index = NameIndex(probes, config)
        # Looking entities up among customers needs the forms, vocabulary and postings only: drop the
        # per-customer records (a third of the saved file and of its loading time).
        self.index.entities, self.index.countries, self.index.by_id = [], [], {}
        self.identifiers: dict[str, list[int]] = {}
        for n, c in enumerate(book):
            for ident in c.query().identifiers:
                self.identifiers.setdefault(ident, []).append(n)

    def rebase(self, reference: NameIndex) -> None:
        """Weigh tokens by their rarity in ``reference`` (the screener's index of the lists)."""
        self.index.rebase(reference)

    @property
    def floor(self) -> float:
        """The lowest name score looked for: what can still alert with every bonus, less the margin."""
        cfg = self.config
        return cfg.threshold - cfg.dob_match_bonus - cfg.country_match_bonus - REVERSE_MARGIN

    def reach(self, entity: Entity) -> set[int]:
        """Positions in the book of the customers ``entity`` may alert on (by name or identifier)."""
        out: set[int] = set()
        floor = self.floor
        forms = self.index.forms
        cfg = self.config
        for name in entity.names:
            for q in prepare(self.index, name.full):
                for _, f in candidates(self.index, q, floor):
                    lf = forms[f]
                    if lf.entity in out:
                        continue
                    if align(q, lf, cfg.align_params).score >= floor:
                        out.add(lf.entity)
        for ident in entity.identifiers:
            key = normalize_identifier(ident.value)
            if len(key) >= MIN_IDENTIFIER_LENGTH:
                out.update(self.identifiers.get(key, ()))
        return out

    def save(self, path: Path) -> None:
        """Write to ``path`` atomically (a temporary file renamed into place)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        with part.open("wb") as f, paused_gc():
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        part.replace(path)


def load_or_build(
    book: list[Customer], reference: NameIndex, cache_dir: Path | None
) -> tuple[BookIndex, bool]:
    """The book's index weighed by ``reference``, from the cache when it holds this book; and whether it did.

    A newly built index is saved to ``cache_dir`` (other book indexes there are deleted).
    """
    key = book_key(book, reference.config)
    path = cache_dir / f"book-index-{key}.pickle" if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as f, paused_gc():
                found = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            found = None
        if isinstance(found, BookIndex) and found.key == key:
            found.rebase(reference)
            return found, True
    built = BookIndex(book, reference.config)
    if path is not None:
        # A read-only data folder costs the next delta re-screen a rebuild, nothing else.
        with contextlib.suppress(OSError):
            for old in path.parent.glob("book-index-*.pickle"):
                old.unlink(missing_ok=True)
            built.save(path)
    built.rebase(reference)
    return built, False
