"""``sanctionwatch lists ...`` (import, status, diff, update) and ``sanctionwatch show``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sanctionwatch.cases.audit import audit_list_import
from sanctionwatch.cases.delta import DeltaReport
from sanctionwatch.cli.common import UserOption, actor_of, new_console, print_json, settings_of
from sanctionwatch.cli.monitor import rescreen_pending
from sanctionwatch.cli.render import diff_view, entity_view, import_view, versions_table
from sanctionwatch.cli.sources import not_fetched_notes, stale_fields, stale_lines
from sanctionwatch.store import ImportResult, ListStore
from sanctionwatch.store.download import load_url_table
from sanctionwatch.store.importer import Progress as ProgressCallback

__all__ = ["lists_app", "show"]

LenientFlag = Annotated[
    bool, typer.Option("--lenient", help="Skip and report bad records instead of failing.")
]
ForceFlag = Annotated[bool, typer.Option("--force", help="Import even if the drop guard would refuse.")]
NoRescreenFlag = Annotated[
    bool,
    typer.Option(
        "--no-rescreen",
        help="Do not re-screen the customer book by delta after activating a new version.",
    ),
]

lists_app = typer.Typer(help="Import, inspect and update the official sanctions lists.", no_args_is_help=True)


@contextmanager
def _progress(console: Console, label: str) -> Iterator[ProgressCallback | None]:
    """A spinner counting stored entities on a terminal; nothing otherwise."""
    if not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{label}: reading…", total=None)

        def report(list_key: str, count: int) -> None:
            bar.update(task, description=f"{list_key}: {count:,} entities stored")

        yield report


def _rescreen_of(result: ImportResult, reports: list[DeltaReport]) -> dict[str, Any] | None:
    """The delta re-screen that covered ``result``'s list, as JSON (None: nothing re-screened)."""
    found = next((r for r in reports if r.list_key == result.version.list_key), None)
    return found.to_dict() if found is not None else None


def _open(ctx: typer.Context) -> ListStore:
    """The store, every import it makes audited (``list.import``, ``list.import_failed``)."""
    return ListStore.open(settings_of(ctx), reporter=audit_list_import)


def _show_results(console: Console, results: tuple[ImportResult, ...] | list[ImportResult]) -> None:
    for result in results:
        console.print(import_view(result))


@lists_app.command("import")
def import_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="List files or folders (one folder per file set).")],
    source: Annotated[
        str | None, typer.Option("--source", help="Format key; skips format detection.")
    ] = None,
    lenient: LenientFlag = False,
    force: ForceFlag = False,
    no_rescreen: NoRescreenFlag = False,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Import list files as new list versions (each set all or nothing), then re-screen the book by delta."""
    console = new_console()
    actor = actor_of(user)
    with _open(ctx) as store:
        sets = store.resolve(paths, source)
        results = []
        for files in sets:
            with _progress(console, files.list_key) as progress:
                result = store.import_files(
                    files,
                    lenient=lenient,
                    force=force,
                    progress=progress,
                    actor=actor,
                    rescreen=not no_rescreen,
                )
            results.append(result)
            if not as_json:
                console.print(import_view(result))
        reports = [] if no_rescreen else rescreen_pending(store, actor, None if as_json else console)
    if as_json:
        print_json([{**r.to_dict(), "rescreen": _rescreen_of(r, reports)} for r in results])


@lists_app.command("status")
def status_cmd(
    ctx: typer.Context,
    all_versions: Annotated[
        bool, typer.Option("--all", help="Every stored version, not only the active ones.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the versions as JSON.")] = False,
) -> None:
    """Show the active version of each list (or every version with --all)."""
    with _open(ctx) as store:
        found = store.status(all_versions=all_versions)
        max_age = store.settings.stale_after_days
        db = store.engine.url.render_as_string(hide_password=True)
    if as_json:
        print_json([{**v.to_dict(), **stale_fields(v, max_age=max_age)} for v in found])
        return
    console = new_console()
    if not found:
        console.print(f"no list imported yet in {db}; run: sanctionwatch lists import FILE")
        return
    title = "all list versions" if all_versions else "active list versions"
    title += " (times in UTC)"
    console.print(versions_table(found, f"{title} ({db})", mark_active=all_versions))
    for line in stale_lines(found, max_age=max_age):
        console.print(line)


@lists_app.command("diff")
def diff_cmd(
    ctx: typer.Context,
    list_key: Annotated[str, typer.Argument(help="List key, e.g. us-ofac-sdn.")],
    from_version: Annotated[
        int | None, typer.Option("--from", help="Older version id (default: the previous one).")
    ] = None,
    to_version: Annotated[
        int | None, typer.Option("--to", help="Newer version id (default: the active one).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Rows shown per section.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole diff as JSON.")] = False,
) -> None:
    """Show entities added, removed and changed between two versions of a list."""
    with _open(ctx) as store:
        diff = store.diff(list_key, from_version, to_version)
    if as_json:
        print_json(diff.to_dict())
    else:
        new_console().print(diff_view(diff, limit))


@lists_app.command("update")
def update_cmd(
    ctx: typer.Context,
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="Read the files from this folder, not the internet.")
    ] = None,
    urls: Annotated[
        Path | None,
        typer.Option("--urls", help='JSON file {"format key": {"file name": "URL"}} replacing the URLs.'),
    ] = None,
    lenient: LenientFlag = False,
    force: ForceFlag = False,
    no_rescreen: NoRescreenFlag = False,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Download the current official lists (or read them from a folder), import them, re-screen the book."""
    console = new_console()
    actor = actor_of(user)
    table = load_url_table(urls) if urls is not None else None
    with _open(ctx) as store:
        with _progress(console, "lists update") as progress:
            outcome = store.update(
                from_dir,
                urls=table,
                lenient=lenient,
                force=force,
                progress=progress,
                actor=actor,
                rescreen=not no_rescreen,
            )
        if not as_json:
            console.print(f"files from {outcome.origin}")
            for note in not_fetched_notes(ctx, from_dir, table):
                console.print(f"[yellow]{note}[/]")
            _show_results(console, outcome.results)
            for path in outcome.ignored:
                console.print(f"[yellow]ignored[/] {path.name}: not a file of a known list")
        reports = [] if no_rescreen else rescreen_pending(store, actor, None if as_json else console)
    if as_json:
        print_json(
            {
                "origin": str(outcome.origin),
                "results": [{**r.to_dict(), "rescreen": _rescreen_of(r, reports)} for r in outcome.results],
                "ignored": [str(p) for p in outcome.ignored],
                "not_fetched": not_fetched_notes(ctx, from_dir, table),
            }
        )


def show(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. us-ofac-sdn:20157.")],
    version: Annotated[
        int | None, typer.Option("--version", help="List version id (default: the active one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entity as JSON.")] = False,
) -> None:
    """Show one listed entity with every field."""
    with _open(ctx) as store:
        entity = store.get_entity(entity_id, version)
        assert entity.list_version is not None
        info = store.version(entity.list_version)
    if as_json:
        print_json({**entity.to_dict(), "list_version": info.to_dict()})
    else:
        new_console().print(entity_view(entity, info))
