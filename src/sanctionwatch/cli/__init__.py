"""The ``sanctionwatch`` command line.

Sub-commands live in topic modules (``cli/lists.py``...) and are attached to :data:`app` here.
Every :class:`~sanctionwatch.errors.SanctionwatchError` becomes one ``error: ...`` line on stderr and
the class's exit status, never a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from sanctionwatch.cli.backup import audit_verify, backup_command, restore_command
from sanctionwatch.cli.cases import alerts_app, audit_app, book_app
from sanctionwatch.cli.common import State
from sanctionwatch.cli.compare import compare_command
from sanctionwatch.cli.config import ConfigOption, config_app, config_path, load_settings
from sanctionwatch.cli.doctor import doctor_command
from sanctionwatch.cli.keys import keys_app
from sanctionwatch.cli.lists import lists_app, show
from sanctionwatch.cli.ownership import ownership_app
from sanctionwatch.cli.payments import payments_app
from sanctionwatch.cli.screen import eval_command, screen_command
from sanctionwatch.cli.serve import serve
from sanctionwatch.cli.sources import retire_command, sources_command
from sanctionwatch.cli.users import users_app
from sanctionwatch.errors import SanctionwatchError

__all__ = ["app", "main"]

app = typer.Typer(
    name="sanctionwatch",
    help="Sanctions screening: import official lists, screen names, explain every hit.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
lists_app.command("sources")(sources_command)
lists_app.command("retire")(retire_command)
app.add_typer(lists_app, name="lists")
app.command("show")(show)
app.command("screen")(screen_command)
app.command("eval")(eval_command)
app.command("compare")(compare_command)
app.add_typer(keys_app, name="keys")
app.command("serve")(serve)
app.command("doctor")(doctor_command)
app.add_typer(config_app, name="config")
app.add_typer(book_app, name="book")
app.add_typer(alerts_app, name="alerts")
audit_app.command("verify")(audit_verify)
app.add_typer(audit_app, name="audit")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(users_app, name="users")
app.add_typer(payments_app, name="payments")
app.add_typer(ownership_app, name="ownership")


@app.callback()
def _root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None, "--db", help="SQLAlchemy database URL (overrides SANCTIONWATCH_DATABASE_URL)."
    ),
    config: ConfigOption = None,
) -> None:
    """Build the settings once and hand them to the sub-commands."""
    settings = load_settings(config_path(config))
    if db is not None:
        settings = settings.model_copy(update={"database_url": db})
    ctx.obj = State(settings=settings)


def main() -> None:
    """Console entry point: run the app, turning sanctionwatch errors into one-line messages.

    Typer's standalone mode shows usage errors itself (exit status 2); only our own errors are
    caught here.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        app()
    except SanctionwatchError as exc:
        err.print(f"[bold red]error:[/] {exc}", markup=True)
        sys.exit(exc.exit_code)
