"""Shared helpers of the XML list formats (UN, EU FSF): root sniffing, streaming, error reports.

Every XML format recognizes its files by the root element (:func:`read_root` on the first bytes),
streams its records with :func:`iter_records` (lxml iterparse, each record cleared once used, so
memory stays flat), and reports malformed XML as :class:`~sanctionwatch.errors.ListFileError`
naming the file, the line lxml stopped at and, for encoding errors, the offending bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from lxml import etree

from sanctionwatch.errors import ListFileError
from sanctionwatch.model import Name, NameKind
from sanctionwatch.sources.base import ListFiles, read_head

__all__ = [
    "RecordError",
    "RootInfo",
    "check_root",
    "clean",
    "describe_head",
    "iso_date",
    "iter_records",
    "name_script",
    "read_root",
    "refuse_dtd",
    "resolve_single",
    "unique",
    "unique_names",
    "unique_text",
    "with_primary",
]

_CHUNK = 512
_LXML_WHERE = re.compile(r",? line \d+, column \d+\s*$")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SPACES = re.compile(r"\s+")
_T = TypeVar("_T")


class RecordError(Exception):
    """A list record that cannot be parsed; the parser passes ``reason`` to ``ParseContext.bad_record``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RootInfo:
    """The root element of an XML file.

    Attributes:
        tag: Local name (``CONSOLIDATED_LIST``, ``export``...).
        namespace: Namespace URI, or ``None``.
        attrib: Attributes, keys as lxml gives them (``{ns}name`` for namespaced ones).
    """

    tag: str
    namespace: str | None
    attrib: dict[str, str]

    def __str__(self) -> str:
        return f"<{self.tag}>" if self.namespace is None else f"<{self.tag} xmlns={self.namespace!r}>"


def read_root(head: bytes) -> RootInfo | None:
    """The root element found in the first bytes of a file, or ``None`` if they are not XML.

    lxml reads the bytes (byte order marks, XML declaration, comments and any encoding it
    declares are its business); the first start event is the root, even if a later byte of the
    head is malformed.
    """
    parser = etree.XMLPullParser(events=("start",), no_network=True, resolve_entities=False)
    for i in range(0, len(head), _CHUNK):
        failed = False
        try:
            parser.feed(head[i : i + _CHUNK])
        except etree.XMLSyntaxError:
            failed = True
        for _event, element in parser.read_events():
            if not isinstance(element, etree._Element):
                continue
            qname = etree.QName(element)
            return RootInfo(qname.localname, qname.namespace, {str(k): str(v) for k, v in element.items()})
        if failed:
            return None
    return None


def describe_head(head: bytes) -> str:
    """A short phrase saying what a file's first bytes are, for "wrong format" messages."""
    root = read_root(head)
    return "it is not XML" if root is None else f"its root element is {root}"


def check_root(path: Path, accepts: Callable[[RootInfo | None], bool], expected: str) -> RootInfo:
    """Read the root element of ``path`` and check that the format accepts it.

    Raises:
        ListFileError: The file is not XML, or its root is not the expected one.
    """
    head = read_head(path)
    root = read_root(head)
    if root is None or not accepts(root):
        raise ListFileError(str(path), f"{describe_head(head)}; expected {expected}")
    return root


def resolve_single(path: Path, key: str, sniff: Callable[[Path, bytes], bool], expected: str) -> ListFiles:
    """The one-file set of a single-file format: ``path`` itself, or the one such file in a folder.

    Raises:
        ListFileError: No such path; the file is not of the format; the folder holds none or several.
    """
    if path.is_dir():
        found = [p for p in sorted(path.iterdir()) if p.is_file() and sniff(p, read_head(p))]
        if not found:
            raise ListFileError(str(path), f"the folder holds no {expected} file")
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ListFileError(str(path), f"the folder holds several {expected} files ({names}); name one")
        return ListFiles(key, key, (found[0],))
    if not path.is_file():
        raise ListFileError(str(path), "no such file or folder")
    head = read_head(path)
    if not sniff(path, head):
        raise ListFileError(str(path), f"{describe_head(head)}; expected {expected}")
    return ListFiles(key, key, (path,))


def refuse_dtd(path: Path) -> None:
    """Refuse a file that declares a DTD: no official list file does, and entity declarations are an attack.

    lxml reads with entity resolution and network access off, so no entity would be expanded
    anyway; this makes such a file an error that says so instead of a silently different list.

    Raises:
        ListFileError: The file's prolog holds ``<!DOCTYPE``.
    """
    head = read_head(path, 65536)
    start = head.find(b"<!DOCTYPE")
    root = read_root(head)
    root_at = head.find(f"<{root.tag}".encode()) if root is not None else -1
    if start >= 0 and (root_at < 0 or start < root_at):
        line = head[:start].count(b"\n") + 1
        raise ListFileError(
            str(path),
            "the file declares a DTD (<!DOCTYPE ...>): official list files have none, and entity "
            "declarations (external entities, entity expansion bombs) are refused",
            f"line {line}",
        )


def iter_records(path: Path, tags: Iterable[str]) -> Iterator[etree._Element]:
    """Stream the elements named ``tags`` (Clark notation for namespaced ones) at their end.

    Each element is cleared, and dropped from its parent, once the caller moves on.

    Raises:
        ListFileError: The file cannot be read, declares a DTD (:func:`refuse_dtd`) or is not
            well-formed XML (line, reason, bad bytes).
    """
    refuse_dtd(path)
    try:
        events = etree.iterparse(
            str(path), events=("end",), tag=list(tags), no_network=True, resolve_entities=False
        )
        for _event, element in events:
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    except OSError as exc:
        raise ListFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc


def _syntax_error(path: Path, exc: etree.XMLSyntaxError) -> ListFileError:
    message = _LXML_WHERE.sub("", str(exc.msg or exc))
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    location = f"line {line}, column {column}" if column else f"line {line}"
    if "encoding" in message.lower() or "utf-8" in message.lower():
        declared = _declared_encoding(path)
        bad = _bad_bytes(path, line, declared)
        return ListFileError(
            str(path),
            f"encoding error: the bytes are not valid {declared}, the encoding the file declares"
            f"{bad} (lxml: {message})",
            location,
        )
    truncated = message.startswith("Premature end of data") or line >= _line_count(path)
    hint = " (the file ends there: it looks truncated)" if truncated else ""
    return ListFileError(str(path), f"XML not well formed{hint}: {message}", location)


def _line_count(path: Path) -> int:
    """Number of lines of a file (1 + its newlines), 0 if unreadable."""
    try:
        with path.open("rb") as f:
            return 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return 0


def _declared_encoding(path: Path) -> str:
    match = _DECLARED_ENCODING.match(read_head(path, 512).removeprefix(b"\xef\xbb\xbf"))
    return match.group(1).decode("ascii").upper() if match else "UTF-8"


def _bad_bytes(path: Path, line: int, encoding: str) -> str:
    """``": b'...'"`` quoting the first undecodable bytes of ``line`` (1-based), or ``""``."""
    if line < 1:
        return ""
    try:
        with path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                if number == line:
                    raw.decode(encoding)
                    return ""
    except UnicodeDecodeError as err:
        context = err.object[max(0, err.start - 16) : err.end + 16]
        return f": {err.object[err.start : err.end]!r} in {context!r}"
    except (OSError, LookupError):
        return ""
    return ""


def clean(text: str | None) -> str | None:
    """Whitespace-collapsed text, or ``None`` when empty."""
    if text is None:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None


def iso_date(text: str) -> str | None:
    """``YYYY-MM-DD`` if ``text`` starts with a valid ISO calendar date (``2015-04-07-04:00`` too)."""
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None


# ISO 15924 codes by the first word of the Unicode character name. The standard library's
# unicodedata has no Script property; for letters the name's first word names the script, which
# is all a list's names need (Latin, Arabic, Cyrillic, Hangul, Han, Greek...).
_SCRIPT_BY_WORD = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "HANGUL": "Hang",
    "CJK": "Hani",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "THAI": "Thai",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "ETHIOPIC": "Ethi",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "SYRIAC": "Syrc",
    "TAMIL": "Taml",
}


def name_script(text: str) -> str | None:
    """ISO 15924 code of the script most letters of ``text`` are in, or ``None`` without letters."""
    if text.isascii():  # the common case, without a name lookup per character
        return "Latn" if any(char.isalpha() for char in text) else None
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        word = unicodedata.name(char, "").split(" ", 1)[0]
        if word in ("HALFWIDTH", "FULLWIDTH"):
            word = unicodedata.name(char).split(" ", 2)[1]
        script = _SCRIPT_BY_WORD.get(word, "Zzzz")
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda s: counts[s])


def unique_names(names: Iterable[Name]) -> tuple[Name, ...]:
    """Names in order without repeats of the same text (the first, the primary, stays)."""
    seen: set[str] = set()
    out: list[Name] = []
    for name in names:
        if name.full not in seen:
            seen.add(name.full)
            out.append(name)
    return tuple(out)


def unique(values: Iterable[_T]) -> tuple[_T, ...]:
    """Values in order without repeats."""
    return tuple(dict.fromkeys(values))


def unique_text(values: Iterable[str]) -> tuple[str, ...]:
    """Texts in order without repeats that differ only in letter case (the first spelling stays)."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return tuple(seen.values())


def with_primary(names: Sequence[Name], index: int) -> tuple[Name, ...]:
    """``names[index]`` first as the primary name, then the others as aliases, repeats dropped."""
    primary = replace(names[index], kind=NameKind.PRIMARY)
    aliases = (n if n.kind != NameKind.PRIMARY else replace(n, kind=NameKind.AKA) for n in names)
    return unique_names([primary, *(n for i, n in enumerate(aliases) if i != index)])
