"""``sanctionwatch book|alerts|audit ...``: the customer book, its alerts and the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from sanctionwatch.batch.queries import RowErrors
from sanctionwatch.cases.alerts import Alert, decide, get_alert, history, list_alerts
from sanctionwatch.cases.audit import export_csv
from sanctionwatch.cases.book import import_book
from sanctionwatch.cases.report import write_alert_html
from sanctionwatch.cases.screening import screen_book
from sanctionwatch.cases.states import Action
from sanctionwatch.cli.common import (
    PasswordStdinOption,
    SignInOption,
    TokenFileOption,
    UserOption,
    actor_of,
    new_console,
    print_json,
    prove,
    settings_of,
)
from sanctionwatch.cli.screen import DateOrderOpt, StrictOpt, date_order_of, report_bad_rows
from sanctionwatch.store import ListStore

__all__ = ["alerts_app", "audit_app", "book_app"]

book_app = typer.Typer(help="Import the customer book and screen it.", no_args_is_help=True)
alerts_app = typer.Typer(help="List, show, decide and report alerts.", no_args_is_help=True)
audit_app = typer.Typer(help="Export the append-only audit trail.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@book_app.command("import")
def book_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Customer CSV (id,name,schema,birth_date,country,...).")],
    partial: Annotated[
        bool, typer.Option("--partial", help="The file is a partial update: mark no customer removed.")
    ] = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
    date_order: DateOrderOpt = None,
    strict: StrictOpt = False,
) -> None:
    """Import customers: new, changed and unchanged rows, and (full file) removed customers.

    A bad row is reported (file, line, reason) and the other rows are imported; the command then
    exits with status 9 (--strict: nothing is imported, status 2).
    """
    order = date_order_of(date_order)
    with ListStore.open(settings_of(ctx)) as store:
        result = import_book(store.engine, file, actor_of(user), not partial, strict, order)
    if as_json:
        print_json(result.to_dict())
    else:
        failed = f", {len(result.failed)} failed" if result.failed else ""
        new_console().print(
            f"{escape(str(file))}: {result.total} customers: {result.new} new, {result.changed} changed, "
            f"{result.unchanged} unchanged, {result.removed} removed{failed}"
        )
    if result.failed:
        first = result.failed[0]
        report_bad_rows(file, [(e.line, e.error) for e in result.failed])
        hint = "the others were imported"
        raise RowErrors(file, len(result.failed), result.total, f"line {first.line}: {first.error}", hint)


@book_app.command("screen")
def book_screen(
    ctx: typer.Context,
    engine: Annotated[
        str, typer.Option("--engine", help="Where to screen: local (this process) or spark.")
    ] = "local",
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="For --engine spark: the Spark master (default local[2])."),
    ] = None,
    work_dir: Annotated[
        Path | None,
        typer.Option(
            "--work-dir", help="For --engine spark: folder for the run's files (shared on a cluster)."
        ),
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Screen every active customer against the active lists, opening alerts for new matches."""
    from sanctionwatch.errors import InputError

    if engine not in ("local", "spark"):
        raise InputError(f"--engine: {engine!r} is not local or spark")
    if engine == "local" and (spark_master is not None or work_dir is not None):
        raise InputError("--spark-master and --work-dir are for --engine spark")
    if work_dir is not None and not work_dir.is_dir():
        raise InputError(f"--work-dir: {str(work_dir)!r} is not a folder")
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        if engine == "spark":
            from sanctionwatch.batch.spark import spark_session
            from sanctionwatch.cases.spark_screen import screen_book_spark

            spark = spark_session(spark_master or "local[2]")
            try:
                report = screen_book_spark(store, spark, actor, work_dir)
            finally:
                spark.stop()
        else:
            from sanctionwatch.matching.screener import Screener

            screener = Screener(store.active_entities())
            report = screen_book(store.engine, screener, actor)
    if as_json:
        print_json(report.to_dict())
        return
    new_console().print(
        f"{report.customers} customers screened, {report.matches} matches: {report.opened} alerts opened, "
        f"{report.reopened} reopened after a change, {report.already_open} already open, "
        f"{report.suppressed} suppressed false positives, {report.decided} already decided true matches"
    )
    if report.stale:
        new_console().print(
            f"[yellow]{report.stale} matches are with entities no longer listed (lists changed while "
            "screening): screen again[/]"
        )


def _alerts_table(found: list[Alert]) -> Table:
    table = Table(title="Alerts (times in UTC)", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for column in ("id", "state", "score", "customer", "entity", "listed name", "opened"):
        table.add_column(column, justify="right" if column in ("id", "score") else "left")
    for a in found:
        table.add_row(
            str(a.id),
            a.state,
            f"{a.score:.3f}",
            escape(f"{a.customer_id} {a.customer_data.get('name', '')}"),
            escape(a.entity_id),
            escape(str(a.hit.get("caption", ""))),
            f"{a.opened_at:%Y-%m-%d %H:%M}",
        )
    return table


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    state: Annotated[
        str | None, typer.Option("--state", help="Only alerts in this state (e.g. open).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the alerts, oldest first."""
    with ListStore.open(settings_of(ctx)) as store:
        found = list_alerts(store.engine, state)
    if as_json:
        print_json([a.to_dict() for a in found])
        return
    new_console().print(_alerts_table(found))


@alerts_app.command("show")
def alerts_show(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one alert, its explanation and its decisions."""
    with ListStore.open(settings_of(ctx)) as store:
        alert = get_alert(store.engine, alert_id)
        steps = history(store.engine, alert_id)
    if as_json:
        print_json({**alert.to_dict(), "history": [t.to_dict() for t in steps]})
        return
    console = new_console()
    console.print(_alerts_table([alert]))
    console.print(f"why: {escape(str(alert.hit.get('explanation', {}).get('summary', '')))}")
    if alert.supersedes_alert_id is not None:
        console.print(f"supersedes alert {alert.supersedes_alert_id} (customer or listed record changed)")
    for t in steps:
        console.print(
            f"{t.at:%Y-%m-%d %H:%M:%S} {escape(t.actor)}: {t.from_state} -> {t.to_state}: {escape(t.reason)}"
        )


@alerts_app.command("decide")
def alerts_decide(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id.")],
    action: Annotated[
        Action,
        typer.Option(
            "--action", help="escalate, false-positive, propose-true-match, approve-true-match, reopen."
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (required, recorded in the audit trail).")],
    user: SignInOption = None,
    token_file: TokenFileOption = None,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonFlag = False,
) -> None:
    """Take a decision on an alert as a proven user: a personal token, else your password.

    The role is checked as in the UI; a true match needs a second user's approval. No credentials
    (no terminal, no token), a wrong password or token or a disabled user exit with status 10, a
    role that may not take the action with 8.
    """
    from sanctionwatch.errors import TransitionError

    if not reason.strip():  # before asking for a password
        raise TransitionError(f"alert {alert_id}: {action.value} needs a non-empty reason (--reason)")
    with ListStore.open(settings_of(ctx)) as store:
        get_alert(store.engine, alert_id)
        attempt = {"attempt": "alert.decide", "action": action.value}
        _, actor = prove(store.engine, user, token_file, password_stdin, f"alert:{alert_id}", attempt)
        alert = decide(store.engine, alert_id, action, actor, reason)
    if as_json:
        print_json(alert.to_dict())
        return
    new_console().print(f"alert {alert.id} is now {alert.state} (decided by {escape(actor.name)})")


@alerts_app.command("report")
def alerts_report(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id.")],
    html: Annotated[Path, typer.Option("--html", help="Write the HTML report to this file.")],
) -> None:
    """Write a readable report of one alert: customer and entity side by side, why, and the history."""
    with ListStore.open(settings_of(ctx)) as store:
        write_alert_html(store.engine, alert_id, html)
    new_console().print(f"alert {alert_id}: report written to {escape(str(html))}")


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    csv_file: Annotated[Path, typer.Option("--csv", help="Write the audit trail to this CSV file.")],
    head_file: Annotated[
        Path | None, typer.Option("--head", help="Also write the chain head as JSON {id, hash} here.")
    ] = None,
) -> None:
    """Export the whole audit trail as CSV (id, at, actor, action, subject, details, surface, auth).

    The hash chain's head (read after the rows, so it covers every one of them) is printed on stderr.
    """
    from sanctionwatch.cases.chain import chain_head, write_head

    with ListStore.open(settings_of(ctx)) as store:
        count = export_csv(store.engine, csv_file)
        with store.engine.connect() as conn:
            head = chain_head(conn)
    if head_file is not None:
        write_head(head, head_file)
    new_console().print(f"{count} audit entries written to {escape(str(csv_file))}")
    new_console(stderr=True).print(f"audit chain head: {head}")
