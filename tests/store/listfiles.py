"""Altered copies of real list files for store tests (written into a test's tmp_path, never the repo)."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["copy_set", "un_truncated", "un_with_date"]

UN_DATE = 'dateGenerated="2026-02-27T00:00:09.554Z"'


def un_with_date(source: Path, folder: Path, date: str, name: str = "consolidated.xml") -> Path:
    """The real UN list with its ``dateGenerated`` set to ``date`` (``YYYY-MM-DD``)."""
    text = source.read_text(encoding="utf-8")
    assert UN_DATE in text, "the UN fixture's header changed"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / name
    out.write_text(text.replace(UN_DATE, f'dateGenerated="{date}T00:00:00.000Z"'), encoding="utf-8")
    return out


def un_truncated(source: Path, folder: Path, date: str) -> Path:
    """The UN list dated ``date``, cut in the middle of its entities (as an interrupted download)."""
    full = un_with_date(source, folder, date).read_bytes()
    cut = folder / "consolidated.xml"
    cut.write_bytes(full[: len(full) * 2 // 3])
    return cut


def copy_set(source: Path, folder: Path, names: tuple[str, ...] | None = None) -> Path:
    """A copy of a folder of list files (or of the files ``names`` in it), to alter."""
    if names is None:
        shutil.copytree(source, folder)
        return folder
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(source / name, folder / name)
    return folder
