"""Rich renderings of list versions, import results, diffs and entities for the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from rich import box
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sanctionwatch.model import Entity
from sanctionwatch.store import ImportResult, ImportStatus, ListDiff, VersionInfo

__all__ = ["diff_view", "entity_view", "import_view", "schema_counts", "versions_table"]

_STATUS_STYLE = {
    ImportStatus.ACTIVATED: "green",
    ImportStatus.STORED: "yellow",
    ImportStatus.UNCHANGED: "cyan",
}


def schema_counts(version: VersionInfo) -> str:
    """``6,854 Person, 6,884 Organization...`` for a version."""
    return ", ".join(f"{n:,} {schema}" for schema, n in version.schema_counts.items()) or "0"


def versions_table(versions: Sequence[VersionInfo], title: str, mark_active: bool = False) -> Table:
    """A table of list versions: list, dates, entities by schema, skipped, checksum.

    Compact enough for an 80-column terminal; with ``mark_active`` the active versions' ids get a ``*``.
    """
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 0))
    if mark_active:
        table.caption, table.caption_justify = "* active version", "left"
    table.add_column("list", no_wrap=True)
    table.add_column("ver", justify="right", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("entities", justify="right", no_wrap=True)
    table.add_column("skipped", justify="right", no_wrap=True)
    table.add_column("imported", no_wrap=True)
    table.add_column("checksum", no_wrap=True)
    for v in versions:
        by_schema = "".join(f"\n{n:,} {schema}" for schema, n in v.schema_counts.items())
        table.add_row(
            v.list_key,
            f"{v.id}{'*' if mark_active and v.active else ''}",
            v.published or "-",
            f"[bold]{v.entity_count:,}[/]{by_schema}",
            f"{v.skipped_count:,}",
            f"{v.imported_at:%Y-%m-%d}\n{v.imported_at:%H:%M:%S}",
            v.checksum[:10],
        )
    return table


def import_view(result: ImportResult, max_skipped: int = 10) -> RenderableType:
    """What one import did: status line, counts, skipped records, time taken."""
    v = result.version
    lines: list[RenderableType] = [
        Text(result.message, style=_STATUS_STYLE[result.status]),
        Text(f"  files: {', '.join(v.file_names)}  checksum {v.short_checksum}"),
    ]
    if result.status is not ImportStatus.UNCHANGED:
        lines.append(Text(f"  {v.entity_count:,} entities: {schema_counts(v)}"))
        if result.skipped:
            lines.append(Text(f"  {len(result.skipped):,} record(s) skipped (lenient):", style="yellow"))
            lines.extend(Text(f"    {s}") for s in result.skipped[:max_skipped])
            if len(result.skipped) > max_skipped:
                lines.append(
                    Text(f"    ... and {len(result.skipped) - max_skipped:,} more (lists status --json)")
                )
    lines.append(Text(f"  took {result.seconds:.2f} s", style="dim"))
    return Group(*lines)


def _short(value: Any, width: int = 300) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= width else text[: width - 1] + "…"


def diff_view(diff: ListDiff, limit: int) -> RenderableType:
    """A summary line and tables of added, removed and changed entities (at most ``limit`` each)."""
    old, new = diff.from_version, diff.to_version
    parts: list[RenderableType] = [
        Text(
            f"{diff.list_key}: version {old.id} ({_when(old)}) → version {new.id} ({_when(new)}): "
            f"{len(diff.added):,} added, {len(diff.removed):,} removed, {len(diff.changed):,} changed, "
            f"{diff.unchanged_count:,} unchanged",
            style="bold",
        )
    ]
    for title, refs in (("added", diff.added), ("removed", diff.removed)):
        if refs:
            table = Table(title=f"{title} ({len(refs):,})", title_justify="left")
            for col in ("id", "schema", "name"):
                table.add_column(col)
            for ref in refs[:limit]:
                table.add_row(ref.id, ref.schema, escape(ref.caption))
            parts.append(table)
            parts.extend(_more(len(refs), limit))
    if diff.changed:
        table = Table(title=f"changed ({len(diff.changed):,})", title_justify="left", show_lines=True)
        for col in ("id", "name", "field", "old", "new"):
            table.add_column(col, overflow="fold")
        for change in diff.changed[:limit]:
            for n, fc in enumerate(change.fields):
                first = n == 0
                table.add_row(
                    change.entity.id if first else "",
                    escape(change.entity.caption) if first else "",
                    fc.field,
                    escape(_short(fc.old)),
                    escape(_short(fc.new)),
                )
        parts.append(table)
        parts.extend(_more(len(diff.changed), limit))
    return Group(*parts)


def _when(v: VersionInfo) -> str:
    return f"published {v.published}" if v.published else f"imported {v.imported_at:%Y-%m-%d}"


def _more(total: int, limit: int) -> list[RenderableType]:
    if total <= limit:
        return []
    return [Text(f"... and {total - limit:,} more (--limit N, or --json for everything)", style="dim")]


def _items(values: Iterable[Any]) -> str:
    out = []
    for value in values:
        if isinstance(value, dict):
            main = next(iter(value.values()))
            rest = ", ".join(f"{k}: {v}" for k, v in list(value.items())[1:])
            out.append(f"{main} ({rest})" if rest else str(main))
        else:
            out.append(str(value))
    return "\n".join(out)


def entity_view(entity: Entity, version: VersionInfo) -> RenderableType:
    """Every field of an entity as a two-column table, with the list version it comes from."""
    table = Table(show_header=False, title=f"{entity.id}  {escape(entity.caption)}", title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in entity.to_dict().items():
        if key == "names":
            text = "\n".join(
                f"{n['full']}  [{', '.join(f'{k}: {v}' for k, v in n.items() if k != 'full') or 'primary'}]"
                for n in value
            )
        elif isinstance(value, list):
            text = _items(value)
        else:
            text = str(value)
        table.add_row(key, escape(text))
    published = f", published {version.published}" if version.published else ""
    table.add_row(
        "list version",
        f"{version.id} of {version.list_key}{published}, imported {version.imported_at:%Y-%m-%d %H:%M} UTC"
        + ("" if version.active else " (not the active version)"),
    )
    return table
