"""``sanctionwatch doctor [--url URL] [--json]``: the installation's health, one verdict per line.

Exit status: 0 when every check is ``ok`` (or ``n/a``), 1 when one warns, 2 when one fails.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sanctionwatch.cli.common import new_console, print_json, settings_of
from sanctionwatch.doctor import exit_status, run_checks

__all__ = ["doctor_command"]

_STYLE = {"ok": "green", "n/a": "dim", "warn": "yellow", "fail": "bold red"}


def doctor_command(
    ctx: typer.Context,
    url: Annotated[
        str | None, typer.Option("--url", help="Also check a running server (e.g. http://127.0.0.1:8000).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check the database, file permissions, list freshness, keys and users, disk and the server."""
    checks = run_checks(settings_of(ctx), url)
    status = exit_status(checks)
    if as_json:
        verdict = ("ok", "warn", "fail")[status]
        print_json({"verdict": verdict, "exit_status": status, "checks": [c.to_dict() for c in checks]})
    else:
        table = Table("check", "verdict", "detail")
        for c in checks:
            table.add_row(escape(c.name), f"[{_STYLE[c.verdict]}]{c.verdict}[/]", escape(c.detail))
        new_console().print(table)
    raise typer.Exit(status)
