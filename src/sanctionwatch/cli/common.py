"""What the CLI sub-commands share: the state object carrying the settings, the acting user, the
output console and JSON printing.

Two kinds of actor. An operator command that decides nothing (imports, screens) records
:func:`actor_of`: ``--user NAME`` (``declared``) or the login name (``os-user``). A decision is
taken only by a proven user (:func:`prove`): a personal token (``--token-file``, else
``$SANCTIONWATCH_TOKEN``) or the password of ``--user`` (default the login name), read from a
hidden prompt at a terminal or with ``--password-stdin``; elsewhere, without a token, it is refused
(exit status 10). Either way the actor is established for the command's audit entries.
"""

from __future__ import annotations

import getpass
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from sanctionwatch.cases.actors import Actor, AuthenticationFailed, Method, Surface, establish
from sanctionwatch.cases.authn import audit_refusal, by_password, by_token
from sanctionwatch.cases.users import User
from sanctionwatch.errors import ConfigError, InputError
from sanctionwatch.settings import Settings

__all__ = [
    "TOKEN_ENV",
    "PasswordStdinOption",
    "SignInOption",
    "State",
    "TokenFileOption",
    "UserOption",
    "actor_of",
    "new_console",
    "print_json",
    "prove",
    "settings_of",
]

TOKEN_ENV = "SANCTIONWATCH_TOKEN"
"""The environment variable holding the personal access token of the person running a script."""

UserOption = Annotated[
    str | None, typer.Option("--user", help="Who acts (recorded in the audit trail; default $USER).")
]
SignInOption = Annotated[
    str | None,
    typer.Option(
        "--user", help="Who signs in (default $USER); their password is asked. With a token: its user."
    ),
]
TokenFileOption = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        help=f"Read your personal access token from this file (mode 600); else ${TOKEN_ENV}.",
    ),
]
PasswordStdinOption = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read your password as one line of standard input."),
]


@dataclass
class State:
    """Per-invocation CLI state."""

    settings: Settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the root callback."""
    state = ctx.find_object(State)
    return state.settings if state is not None else Settings()


def _login_name() -> str:
    name = os.environ.get("USER") or ""
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no login name in the environment or the password database
            name = ""
    return name.strip()


def _command_context() -> Any:
    """The running command's click context, or None."""
    try:  # Typer 0.2x carries its own copy of click, with its own context stack
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older Typer runs on click itself
        from click import get_current_context  # type: ignore[no-redef]
    return get_current_context(silent=True)


def _establish(actor: Actor) -> None:
    """Make ``actor`` current until the running command ends (outside a command: not at all, so
    nothing outlives the command in a process that runs several, like the tests)."""
    ctx = _command_context()
    if ctx is not None:
        ctx.with_resource(establish(actor))


def actor_of(user: str | None) -> str:
    """Who runs an operator command: ``--user`` (declared), else ``$USER`` or the login name (os-user).

    Raises:
        ConfigError: None of them is set.
    """
    actor = user.strip() if user else _login_name()
    if not actor:
        raise ConfigError("no user: pass --user NAME or set $USER")
    method = Method.DECLARED if user else Method.OS_USER
    _establish(Actor(actor, Surface.CLI, method))
    return actor


def _token(token_file: Path | None) -> str | None:
    if token_file is None:
        token = os.environ.get(TOKEN_ENV, "").strip()
        return token or None
    try:
        mode = token_file.stat().st_mode
        text = token_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"--token-file {str(token_file)!r}: cannot read: {reason}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InputError(
            f"--token-file {str(token_file)!r}: others may read it "
            f"(mode {stat.S_IMODE(mode):o}): chmod 600 it"
        )
    if not text:
        raise InputError(f"--token-file {str(token_file)!r}: the file is empty")
    return text


def _password(name: str, from_stdin: bool, what: str) -> str:
    if from_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if password:
            return password
        raise AuthenticationFailed("--password-stdin read an empty line", "no-credentials", name)
    if not sys.stdin.isatty():
        raise AuthenticationFailed(
            f"{what} needs proof of who you are: {name!r}'s password at a terminal or with "
            f"--password-stdin, or a personal token (${TOKEN_ENV} or --token-file)",
            "no-credentials",
            name,
        )
    return str(typer.prompt(f"Password for {name}", hide_input=True, err=True))  # stdout stays output


def prove(
    engine: Engine,
    user: str | None,
    token_file: Path | None,
    password_stdin: bool,
    subject: str,
    attempt: dict[str, Any],
    allow_token: bool = True,
) -> tuple[User, Actor]:
    """The user proven by a personal token or a password, established as the command's actor.

    A token (``--token-file``, else ``$SANCTIONWATCH_TOKEN``) is used when ``allow_token``; else the
    password of ``user`` (default the login name). A refusal is audited with ``subject`` and
    ``attempt`` (what was tried, e.g. ``{"attempt": "alert.decide", "action": ...}``).

    Raises:
        AuthenticationFailed: No credentials, a wrong password or token, an unknown or disabled
            user, or ``--user`` names someone else than the token's user.
        InputError: An unreadable, empty or world-readable token file, or both a token and
            ``--password-stdin``.
    """
    os_user = _login_name() or None
    token = _token(token_file) if allow_token else None
    if token is not None and password_stdin:
        raise InputError("--password-stdin: a personal token is given too; use one or the other")
    ctx = _command_context()
    what = str(ctx.command_path).split(" ", 1)[-1] if ctx is not None else "this command"
    try:
        if token is not None:
            found, actor = by_token(engine, token, Surface.CLI, os_user)
            if user is not None and user.strip() != found.username:
                raise AuthenticationFailed(
                    f"--user {user!r}: the personal token is {found.username!r}'s",
                    "user-mismatch",
                    user,
                    Method.TOKEN,
                    actor.token_id,
                )
        else:
            name = (user or "").strip() or os_user or ""
            if not name:
                raise AuthenticationFailed("no user: pass --user NAME or set $USER", "no-credentials")
            found, actor = by_password(
                engine, name, _password(name, password_stdin, what), Surface.CLI, os_user
            )
    except AuthenticationFailed as exc:
        audit_refusal(engine, exc, Surface.CLI, subject, attempt, os_user)
        raise
    _establish(actor)
    return found, actor


def new_console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr); not on a terminal (a pipe, a file), lines may be as wide as
    tables need (200 columns)."""
    console = Console(highlight=False, stderr=stderr)
    if not console.is_terminal:
        console.width = 200
    return console


def print_json(data: Any, indent: bool = True) -> None:
    """Print ``data`` as JSON on stdout, indented by two spaces unless ``indent`` is false."""
    option = orjson.OPT_INDENT_2 if indent else None
    typer.echo(orjson.dumps(data, option=option).decode())
