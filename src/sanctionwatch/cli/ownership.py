"""``sanctionwatch ownership import|check|screen``: the ownership and control graph and the 50% rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from sanctionwatch.batch.queries import RowErrors
from sanctionwatch.cases.ownership_alerts import screen_ownership
from sanctionwatch.cases.ownership_book import evaluate_store, import_ownership
from sanctionwatch.cli.common import UserOption, actor_of, new_console, print_json, settings_of
from sanctionwatch.cli.screen import StrictOpt, report_bad_rows
from sanctionwatch.network.report import statuses
from sanctionwatch.network.rules import regime
from sanctionwatch.store import ListStore

__all__ = ["ownership_app"]

ownership_app = typer.Typer(
    help="Import who owns or controls whom; check who is blocked under OFAC's, the EU's or the UK's rule.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RegimeOpt = Annotated[
    str, typer.Option("--regime", help="Whose rule: ofac (50% or more, aggregated), eu or uk.")
]


@ownership_app.command("import")
def ownership_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Ownership CSV (owner,owned,percentage,kind).")],
    user: UserOption = None,
    as_json: JsonFlag = False,
    strict: StrictOpt = False,
) -> None:
    """Import an ownership file as the new version of the ownership graph (audited).

    A bad row is reported (file, line, field) and the other rows are imported; the command then
    exits with status 9 (--strict: nothing is imported, status 2).
    """
    with ListStore.open(settings_of(ctx)) as store:
        result = import_ownership(store.engine, file, actor_of(user), strict)
    if as_json:
        print_json(result.to_dict())
    else:
        failed = f", {len(result.failed)} failed" if result.failed else ""
        new_console().print(
            f"{escape(str(file))}: {result.edges} edges (version {result.version_id}): {result.added} added, "
            f"{result.removed} removed, {result.changed} changed{failed}"
        )
    if result.failed:
        first = result.failed[0]
        report_bad_rows(file, [(e.line, e.error) for e in result.failed])
        hint = "the others were imported"
        raise RowErrors(file, len(result.failed), result.total, f"line {first.line}: {first.error}", hint)


@ownership_app.command("check")
def ownership_check(
    ctx: typer.Context,
    regime_key: RegimeOpt = "ofac",
    as_json: JsonFlag = False,
) -> None:
    """List every party of the ownership graph: blocked or not, the share blocked owners hold, each path."""
    rule = regime(regime_key)
    with ListStore.open(settings_of(ctx)) as store:
        ev = evaluate_store(store.engine, store.active_entities(), rule)
    found = list(statuses(ev))
    if as_json:
        print_json({"regime": rule.key, "parties": [s.to_dict() for s in found]})
        return
    table = Table(
        title=f"Ownership under {rule.name}", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False
    )
    for column in ("blocked", "name", "id", "share", "paths"):
        table.add_column(column, justify="right" if column == "share" else "left")
    for s in found:
        mark = "designated" if s.designated else ("yes" if s.blocked else "no")
        table.add_row(
            mark, escape(s.name), escape(s.id or ""), f"{s.percentage:g}%", escape("\n".join(s.paths))
        )
    new_console().print(table)


@ownership_app.command("screen")
def ownership_screen(
    ctx: typer.Context,
    regime_key: RegimeOpt = "ofac",
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Open an alert of kind ownership for each customer blocked through ownership or control."""
    rule = regime(regime_key)
    with ListStore.open(settings_of(ctx)) as store:
        report = screen_ownership(store.engine, store.active_entities(), rule, actor_of(user))
    if as_json:
        print_json(report.to_dict())
        return
    new_console().print(
        f"{report.customers} customers, {report.matches} blocked under {escape(rule.name)}: "
        f"{report.opened} alerts opened, {report.reopened} reopened after a change, "
        f"{report.already_open} already open, {report.suppressed} suppressed false positives, "
        f"{report.decided} already decided true matches"
    )
