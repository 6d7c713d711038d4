"""Delta re-screening from the command line: after ``lists import``/``update``, and ``book rescreen``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from sanctionwatch.cases.delta import DeltaReport, run_pending
from sanctionwatch.cli.cases import book_app
from sanctionwatch.cli.common import UserOption, actor_of, new_console, print_json, settings_of
from sanctionwatch.matching.screener import Screener
from sanctionwatch.store import ListStore

__all__ = ["rescreen_pending", "rescreen_summary"]


def rescreen_summary(report: DeltaReport) -> str:
    """One line saying what a delta re-screen did."""
    s = report.screen
    return (
        f"{report.list_key}: book re-screened by delta: {report.added:,} added, {report.changed:,} changed, "
        f"{report.removed:,} removed entities; {report.candidates:,} of {report.book:,} customers "
        f"re-screened; {s.opened:,} alerts opened, {s.reopened:,} reopened, {report.delisted:,} closed "
        f"as delisted ({report.seconds.get('total', 0.0):.1f} s)"
    )


def rescreen_pending(store: ListStore, actor: str, console: Console | None) -> list[DeltaReport]:
    """Carry out the pending re-screen jobs, printing progress and a summary line per list to ``console``."""

    def say(line: str) -> None:
        if console is not None:
            console.print(f"[dim]{line}[/]")

    cache = store.settings.data_dir / "cache"
    reports = run_pending(store.engine, lambda: Screener(store.active_entities()), actor, say, cache)
    if console is not None:
        for report in reports:
            if report.book:  # an empty book (a first list import) has nothing to say
                console.print(rescreen_summary(report))
    return reports


@book_app.command("rescreen")
def book_rescreen(
    ctx: typer.Context,
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Carry out pending delta re-screens (left by an interrupted or --no-rescreen list import)."""
    console = new_console()
    with ListStore.open(settings_of(ctx)) as store:
        reports = rescreen_pending(store, actor_of(user), None if as_json else console)
    if as_json:
        print_json([r.to_dict() for r in reports])
    elif not reports:
        console.print("no re-screen pending")
    elif not any(r.book for r in reports):
        console.print("no customer in the book: the pending re-screens are done")
