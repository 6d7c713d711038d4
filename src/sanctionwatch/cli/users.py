"""``sanctionwatch users ...``: the web UI's user accounts (roles, passwords, enable and disable).

A password is never a command-line argument (it would be in the shell history and ``ps``): it is
read from a hidden prompt, asked twice, or with ``--password-stdin`` as one line of standard input.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from sanctionwatch.cases.users import Role, User, create_user, list_users, set_active, set_password, set_role
from sanctionwatch.cli.common import UserOption, actor_of, new_console, print_json, settings_of
from sanctionwatch.cli.tokens import tokens_app
from sanctionwatch.errors import UserError
from sanctionwatch.store import ListStore

__all__ = ["users_app"]

users_app = typer.Typer(help="Manage the web UI's users: roles, passwords, access.", no_args_is_help=True)
users_app.add_typer(tokens_app, name="token")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Username = Annotated[str, typer.Argument(metavar="USERNAME", help="The user's sign-in name.")]
PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password as one line of standard input (for scripts)."),
]


def _password(from_stdin: bool) -> str:
    """The new password, from standard input or a hidden prompt asked twice."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise UserError("password: --password-stdin read an empty line")
        return password
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat the password", hide_input=True) != first:
        raise UserError("password: the two entries differ; nothing was changed")
    return str(first)


def _done(user: User, what: str, as_json: bool) -> None:
    if as_json:
        print_json(user.to_dict())
    else:
        new_console().print(f"user {escape(user.username)} ({user.role.value}): {what}")


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: Username,
    role: Annotated[Role, typer.Option("--role", help="analyst, supervisor or admin.")],
    password_stdin: PasswordStdin = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a user with a role; the password is prompted for (or read from stdin)."""
    actor = actor_of(user)
    password = _password(password_stdin)
    with ListStore.open(settings_of(ctx)) as store:
        created = create_user(store.engine, username, password, role, actor)
    _done(created, "created", as_json)


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the users with their role and whether they may sign in."""
    with ListStore.open(settings_of(ctx)) as store:
        found = list_users(store.engine)
    if as_json:
        print_json([u.to_dict() for u in found])
        return
    table = Table(title="Users (times in UTC)", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for column in ("username", "role", "active", "created", "updated"):
        table.add_column(column)
    for u in found:
        table.add_row(
            escape(u.username),
            u.role.value,
            "yes" if u.active else "no (disabled)",
            f"{u.created_at:%Y-%m-%d %H:%M}",
            f"{u.updated_at:%Y-%m-%d %H:%M}",
        )
    new_console().print(table)


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    username: Username,
    role: Annotated[Role, typer.Argument(metavar="ROLE", help="analyst, supervisor or admin.")],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a user's role (applies at their next request)."""
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        changed = set_role(store.engine, username, role, actor)
    _done(changed, f"role set to {changed.role.value}", as_json)


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    username: Username,
    password_stdin: PasswordStdin = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Set a user's password (prompted for, or read from stdin); ends their UI sessions."""
    actor = actor_of(user)
    password = _password(password_stdin)
    with ListStore.open(settings_of(ctx)) as store:
        changed = set_password(store.engine, username, password, actor)
    _done(changed, "password changed; their UI sessions are ended", as_json)


def _switch(ctx: typer.Context, username: str, active: bool, user: str | None, as_json: bool) -> None:
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        changed = set_active(store.engine, username, active, actor)
    _done(changed, "enabled" if active else "disabled; their UI sessions are ended", as_json)


@users_app.command("disable")
def users_disable(
    ctx: typer.Context, username: Username, user: UserOption = None, as_json: JsonFlag = False
) -> None:
    """Stop a user from signing in; ends their UI sessions (the account and its history stay)."""
    _switch(ctx, username, False, user, as_json)


@users_app.command("enable")
def users_enable(
    ctx: typer.Context, username: Username, user: UserOption = None, as_json: JsonFlag = False
) -> None:
    """Let a disabled user sign in again."""
    _switch(ctx, username, True, user, as_json)
