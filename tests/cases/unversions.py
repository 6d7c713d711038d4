"""Two versions of the real UN list for delta tests, written into a test's folder.

``old`` is the real list dated 2026-01-15 without Tanchon Commercial Bank (KPe.003) and with Korea
Kwangson Banking Corp (KPe.025) under another name; ``new`` is the real list as published
(2026-02-27) without KOMID (KPe.001). In the old version Green Pine Associated Corporation (KPe.010)
has other comments too. The update therefore adds KPe.003, renames KPe.025 back, changes KPe.010's
comments (not its name) and delists KPe.001; every other entity is unchanged.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

__all__ = ["ADDED", "CHANGED", "COMMENTED", "REMOVED", "un_pair"]

ADDED, CHANGED, REMOVED = "un-sc:KPe.003", "un-sc:KPe.025", "un-sc:KPe.001"
COMMENTED = "un-sc:KPe.010"
_OLD_NAME = "PYONGYANG HARBOUR LOGISTICS BUREAU"


def _entity(root: etree._Element, reference: str) -> etree._Element:
    found = [e for e in root.iter("ENTITY") if e.findtext("REFERENCE_NUMBER") == reference]
    assert len(found) == 1, f"{reference} is not once in the UN file"
    return found[0]


def _write(root: etree._Element, date: str, path: Path) -> Path:
    root.set("dateGenerated", f"{date}T00:00:00.000Z")
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(str(path), encoding="utf-8", xml_declaration=True)
    return path


def un_pair(source: Path, folder: Path) -> tuple[Path, Path]:
    """Write the old and the new version (see the module docstring); their paths."""
    old = etree.parse(str(source)).getroot()
    gone = _entity(old, ADDED.split(":")[1])
    parent = gone.getparent()
    assert parent is not None
    parent.remove(gone)
    name = _entity(old, CHANGED.split(":")[1]).find("FIRST_NAME")
    assert name is not None
    name.text = _OLD_NAME
    comments = _entity(old, COMMENTED.split(":")[1]).find("COMMENTS1")
    assert comments is not None
    comments.text = "Comments as they stood before the update."
    new = etree.parse(str(source)).getroot()
    komid = _entity(new, REMOVED.split(":")[1])
    parent = komid.getparent()
    assert parent is not None
    parent.remove(komid)
    return (
        _write(old, "2026-01-15", folder / "old" / "consolidated.xml"),
        _write(new, "2026-02-27", folder / "new" / "consolidated.xml"),
    )
