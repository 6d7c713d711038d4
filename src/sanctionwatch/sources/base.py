"""The contract every list format implements, and the parse context that enforces no-silent-drops.

A format (one module per official format) is a :class:`SourceFormat`: it recognizes its files
(:meth:`SourceFormat.sniff`), gathers a multi-file set from any one of its files or its folder
(:meth:`SourceFormat.resolve`), reads the publication date the file states
(:meth:`SourceFormat.published`) and streams :class:`~sanctionwatch.model.Entity` records
(:meth:`SourceFormat.parse`).

A record that cannot be parsed goes to :meth:`ParseContext.bad_record`: in strict mode (default)
that raises :class:`~sanctionwatch.errors.ListFileError` naming file, line and reason; with
``lenient=True`` it is recorded in :attr:`ParseContext.skipped` and reported, never silently lost.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Entity

__all__ = ["ListFiles", "ParseContext", "Skipped", "SourceFormat", "read_head"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record left out of a lenient import, with where and why."""

    path: str
    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.location}: {self.reason}"


@dataclass
class ParseContext:
    """State of one parse: strict or lenient, and the records skipped so far."""

    lenient: bool = False
    skipped: list[Skipped] = field(default_factory=list)

    def bad_record(self, path: str | Path, location: str, reason: str) -> None:
        """Report a record that cannot be parsed.

        Args:
            path: The file.
            location: Line (``"line 12"``) or element (``"INDIVIDUAL[3] DATAID=123"``).
            reason: What is wrong, quoting the bad value.

        Raises:
            ListFileError: Unless the context is lenient.
        """
        if not self.lenient:
            raise ListFileError(str(path), reason, location)
        self.skipped.append(Skipped(str(path), location, reason))


@dataclass(frozen=True, slots=True)
class ListFiles:
    """The files making one version of one list.

    Attributes:
        format_key: The :attr:`SourceFormat.key` that reads these files.
        list_key: The list key entity ids start with (``us-ofac-sdn``, ``ftm:ua_war_sanctions``...).
        paths: The main file first, then companions (OFAC add/alt/comments).
    """

    format_key: str
    list_key: str
    paths: tuple[Path, ...]


class SourceFormat(ABC):
    """One official list format.

    Attributes:
        key: Format key, accepted by ``lists import --source``. Equal to the list key except for
            formats carrying several lists (``ftm``).
        title: Human title of the list.
        urls: Official download URLs, file name to URL, for ``lists update`` (empty if none).
    """

    key: str
    title: str
    urls: Mapping[str, str] = MappingProxyType({})

    @abstractmethod
    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether ``path`` (whose first bytes are ``head``) is a file of this format."""

    @abstractmethod
    def resolve(self, path: Path) -> ListFiles:
        """The file set ``path`` (a file of the set, or a folder holding it) belongs to.

        Raises:
            ListFileError: The path holds no file of this format, or a required file is missing.
        """

    def published(self, files: ListFiles) -> str | None:
        """Publication date (ISO ``YYYY-MM-DD``) stated by the files, or ``None``."""
        return None

    @abstractmethod
    def parse(self, files: ListFiles, ctx: ParseContext) -> Iterator[Entity]:
        """Stream the entities of the set.

        Raises:
            ListFileError: For malformed files, and for bad records unless ``ctx.lenient``.
        """


def read_head(path: Path, size: int = 8192) -> bytes:
    """The first ``size`` bytes of a file (for sniffing).

    Raises:
        ListFileError: The file cannot be read.
    """
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
