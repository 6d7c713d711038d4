"""``sanctionwatch lists sources`` and ``lists retire``, and the frozen-list guard ``lists status`` shows.

A list is **stale** when its source is retired (``uk-ofsi`` since 2026-01-28) or its active version
is older than the source's cadence allows (:mod:`sanctionwatch.sources.catalog`). Retiring a list
moves the work on its entities to its successor (:mod:`sanctionwatch.cases.succession`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from sanctionwatch.cases.succession import SuccessionReport, retire_list
from sanctionwatch.cli.common import UserOption, actor_of, settings_of
from sanctionwatch.errors import ConfigError
from sanctionwatch.sources.catalog import SOURCES, Freshness, SourceInfo, freshness, source_info
from sanctionwatch.store import ListStore, VersionInfo
from sanctionwatch.store.download import UrlTable

__all__ = [
    "freshness_of",
    "not_fetched_notes",
    "retire_command",
    "sources_command",
    "stale_fields",
    "stale_lines",
]


def _downloads(info: SourceInfo) -> list[str]:
    """The URLs ``lists update`` fetches for a source (none for a retired one)."""
    from sanctionwatch.sources.registry import FORMATS  # the parsers: only when asked
    from sanctionwatch.store.download import official_urls

    table = official_urls(FORMATS)
    return [url for key in info.formats for url in table.get(key, {}).values()]


def _source_dict(info: SourceInfo) -> dict[str, Any]:
    return {**info.to_dict(), "downloads": _downloads(info)}


def sources_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the sources as JSON.")] = False,
) -> None:
    """List every source: key, name, publisher, formats, official URLs, cadence, retirement."""
    rows = [_source_dict(info) for info in SOURCES]
    if as_json:
        typer.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    table = Table(title="list sources", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for column in ("key", "list and publisher", "formats", "cadence (stale after)", "retired"):
        table.add_column(column, overflow="fold")
    for row in rows:
        age = f"{row['max_age_days']} days" if row["max_age_days"] is not None else "never"
        retired = (
            f"since {row['retired_since']}\nsuccessor {row['successor']}" if row["retired_since"] else "-"
        )
        urls = "\n".join([*row["urls"], *row["downloads"]])
        table.add_row(
            row["key"],
            f"[bold]{row['name']}[/]\n{row['publisher']}\n{urls}",
            "\n".join(row["formats"]),
            f"{row['cadence']} ({age})",
            retired,
        )
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 200
    console.print(table)


def freshness_of(
    version: VersionInfo, today: date | None = None, max_age: Mapping[str, int] | None = None
) -> Freshness:
    """How fresh one list version is (``today`` defaults to the UTC date)."""
    day = today or datetime.now(UTC).date()
    return freshness(version.list_key, version.published, version.imported_at.isoformat(), day, max_age)


def stale_fields(
    version: VersionInfo, today: date | None = None, max_age: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """``stale``, ``stale_reason``, ``age_days`` for ``lists status --json`` (null for inactive versions)."""
    if not version.active:
        return {"stale": None, "stale_reason": None, "age_days": None}
    return freshness_of(version, today, max_age).to_dict()


def stale_lines(
    versions: Sequence[VersionInfo], today: date | None = None, max_age: Mapping[str, int] | None = None
) -> list[str]:
    """One warning line per active version that is stale, for the ``lists status`` table."""
    out = []
    for version in versions:
        if version.active:
            fresh = freshness_of(version, today, max_age)
            if fresh.stale:
                out.append(f"[bold red]stale[/] {version.list_key}: {fresh.reason}")
    return out


def not_fetched_notes(ctx: typer.Context, from_dir: Path | None, urls: UrlTable | None) -> list[str]:
    """Why ``lists update`` downloads no file of a retired source (none when reading a folder or URLs)."""
    from sanctionwatch.sources.registry import FORMATS
    from sanctionwatch.store.download import not_fetched

    if from_dir is not None or urls is not None or settings_of(ctx).lists_dir is not None:
        return []
    return not_fetched(FORMATS)


def _retire_lines(report: SuccessionReport) -> list[str]:
    lines = [
        f"{report.list_key} retired, successor {report.successor} (version {report.successor_version}): "
        f"{len(report.moved)} alert(s) moved, {len(report.no_successor)} without a successor designation, "
        f"{len(report.conflicts)} left because the successor pair already has an alert under review; "
        + (
            f"{report.list_key} deactivated"
            if report.deactivated
            else f"{report.list_key} had no active version"
        )
    ]
    lines += [f"  moved alert {a} ({state}): {old} -> {new}" for a, old, new, state in report.moved]
    lines += [f"  no successor: alert {a} ({state}) on {entity}" for a, entity, state in report.no_successor]
    lines += [
        f"  not moved: alert {a} on {entity}: alert {live} on {new} is under review"
        for a, entity, new, live in report.conflicts
    ]
    return lines


def retire_command(
    ctx: typer.Context,
    list_key: Annotated[str, typer.Argument(help="The retired list, e.g. uk-ofsi.")],
    successor: Annotated[
        str | None,
        typer.Option("--successor", help="The list carrying it on (default: its described successor)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Deactivate even if alerts under review have no successor.")
    ] = False,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Retire a list: move its open alerts and false-positive decisions to its successor, deactivate it."""
    info = source_info(list_key)
    target = successor or (info.successor if info is not None else None)
    if not target:
        raise ConfigError(f"list {list_key!r} has no described successor; name one with --successor KEY")
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        report = retire_list(store.engine, list_key, target, actor, force=force)
    if as_json:
        typer.echo(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    for line in _retire_lines(report):
        typer.echo(line)
