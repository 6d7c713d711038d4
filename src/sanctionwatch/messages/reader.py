"""Read payment message files of either family: detect the format, enforce the size limit, decode.

A message that cannot be read becomes a :class:`MessageError` in the result (with its file and
index), so the other messages of the file are still screened.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from sanctionwatch.messages.iso20022 import parse_iso20022
from sanctionwatch.messages.model import MAX_MESSAGE_BYTES, Message, MessageError
from sanctionwatch.messages.swift_mt import parse_mt

__all__ = ["FORMATS", "MessageFormat", "expand_paths", "read_bytes", "read_file"]

MessageFormat = Literal["auto", "iso20022", "mt"]
FORMATS: tuple[str, ...] = ("auto", "iso20022", "mt")
_SUFFIXES = frozenset({".xml", ".fin", ".rje", ".txt", ".mt", ".dat"})


def _detect(data: bytes) -> str | None:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or head.startswith(b"<"):
        return "iso20022"
    if head.startswith(b"{"):
        return "mt"
    return None


def _decode_mt(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4]
        raise MessageError(source, f"line {line}: not UTF-8 (bytes {bad!r} at offset {exc.start})") from None


def read_bytes(data: bytes, source: str, fmt: MessageFormat = "auto") -> list[Message | MessageError]:
    """The messages in ``data``; a file-level failure is a single error record.

    Args:
        data: The raw file or request body.
        source: Its name, for error messages and records.
        fmt: ``auto`` (by the first byte: ``<`` XML, ``{`` MT), ``iso20022`` or ``mt``.
    """
    if len(data) > MAX_MESSAGE_BYTES:
        return [MessageError(source, f"{len(data):,} bytes, more than the {MAX_MESSAGE_BYTES:,} allowed")]
    if not data.strip():
        return [MessageError(source, "empty: no message")]
    kind = _detect(data) if fmt == "auto" else fmt
    if kind is None:
        head = data[:20].decode("utf-8", "replace")
        return [MessageError(source, f"neither XML nor a SWIFT MT message (starts {head!r})")]
    try:
        if kind == "iso20022":
            return parse_iso20022(data, source)
        return parse_mt(_decode_mt(data, source), source)
    except MessageError as exc:
        return [exc]


def read_file(path: Path, fmt: MessageFormat = "auto") -> list[Message | MessageError]:
    """The messages of one file (see :func:`read_bytes`)."""
    try:
        size = path.stat().st_size
        if size > MAX_MESSAGE_BYTES:
            return [MessageError(str(path), f"{size:,} bytes, more than the {MAX_MESSAGE_BYTES:,} allowed")]
        data = path.read_bytes()
    except OSError as exc:
        return [MessageError(str(path), f"cannot read: {exc.strerror or exc}")]
    return read_bytes(data, str(path), fmt)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the message files (``.xml``, ``.fin``, ``.rje``, ``.txt``...) in folders.

    Raises:
        MessageError: A path does not exist.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
        elif path.is_file():
            yield path
        else:
            raise MessageError(str(path), "no such file or folder")
