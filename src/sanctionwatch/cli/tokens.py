"""``sanctionwatch users token create|list|revoke``: personal access tokens for scripted decisions.

A token is created by its own user, who proves their password (never with another token), and is
printed once; only its hash is stored. Anyone running the CLI on the store may list tokens (never
the secrets) and revoke one (audited as the operator).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from sanctionwatch.cases.tokens import (
    DEFAULT_DAYS,
    MAX_DAYS,
    TokenInfo,
    create_token,
    list_tokens,
    revoke_token,
)
from sanctionwatch.cli.common import (
    TOKEN_ENV,
    PasswordStdinOption,
    SignInOption,
    UserOption,
    actor_of,
    new_console,
    print_json,
    prove,
    settings_of,
)
from sanctionwatch.store import ListStore

__all__ = ["tokens_app"]

tokens_app = typer.Typer(
    help="Your personal access tokens, for deciding alerts from scripts.", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _table(found: list[TokenInfo]) -> Table:
    table = Table(
        title="Personal tokens (times in UTC)", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False
    )
    for column in ("id", "user", "name", "ends", "state", "created", "expires", "last used"):
        table.add_column(column, justify="right" if column == "id" else "left")
    for t in found:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else ""
        table.add_row(
            str(t.id),
            escape(t.username),
            escape(t.name),
            f"…{t.hint}",
            t.state(),
            f"{t.created_at:%Y-%m-%d %H:%M}",
            f"{t.expires_at:%Y-%m-%d %H:%M}",
            used,
        )
    return table


@tokens_app.command("create")
def token_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="What the token is for (e.g. nightly-review).")],
    days: Annotated[
        int, typer.Option("--days", help=f"Days until it expires (1 to {MAX_DAYS}).")
    ] = DEFAULT_DAYS,
    user: SignInOption = None,
    password_stdin: PasswordStdinOption = False,
    as_json: JsonFlag = False,
) -> None:
    """Create a personal token for yourself, after your password; it is shown once."""
    with ListStore.open(settings_of(ctx)) as store:
        attempt = {"attempt": "token.create", "name": name}
        subject = f"user:{(user or '').strip() or 'unknown'}"
        owner, _ = prove(store.engine, user, None, password_stdin, subject, attempt, allow_token=False)
        made = create_token(store.engine, owner, name, days)
    if as_json:
        print_json({**made.info.to_dict(), "token": made.token})
        return
    console = new_console(stderr=True)  # stdout holds the token alone, for `> file`
    console.print(
        f"token {made.info.id} {escape(made.info.name)!r} for {escape(owner.username)}, "
        f"expires {made.info.expires_at:%Y-%m-%d %H:%M} UTC:"
    )
    typer.echo(made.token)
    console.print(
        f"It is shown only now. Keep it in a file only you can read (chmod 600) for --token-file, "
        f"or in ${TOKEN_ENV}; it acts as you."
    )


@tokens_app.command("list")
def token_list(
    ctx: typer.Context,
    username: Annotated[
        str | None, typer.Argument(metavar="[USERNAME]", help="Only this user's tokens.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the personal tokens (never the secrets): user, name, last characters, state, dates."""
    with ListStore.open(settings_of(ctx)) as store:
        found = list_tokens(store.engine, username)
    if as_json:
        print_json([t.to_dict() for t in found])
        return
    new_console().print(_table(found))


@tokens_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token's id (see users token list).")],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Revoke a personal token at once (audited)."""
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        done = revoke_token(store.engine, token_id, actor)
    if as_json:
        print_json(done.to_dict())
        return
    new_console().print(f"token {done.id} {escape(done.name)!r} of {escape(done.username)}: revoked")
