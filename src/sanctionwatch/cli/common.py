"""What the CLI sub-commands share: the state object carrying the settings, the acting user, the
output console and JSON printing."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console

from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings

__all__ = ["State", "UserOption", "actor_of", "new_console", "print_json", "settings_of"]

UserOption = Annotated[
    str | None, typer.Option("--user", help="Who acts (recorded in the audit trail; default $USER).")
]


@dataclass
class State:
    """Per-invocation CLI state."""

    settings: Settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the root callback."""
    state = ctx.find_object(State)
    return state.settings if state is not None else Settings()


def actor_of(user: str | None) -> str:
    """Who acts: ``--user``, else ``$USER``, else the login name.

    Raises:
        ConfigError: None of them is set.
    """
    actor = user or os.environ.get("USER") or ""
    if not actor:
        try:
            actor = getpass.getuser()
        except (KeyError, OSError):  # no login name in the environment or the password database
            actor = ""
    if not actor.strip():
        raise ConfigError("no user: pass --user NAME or set $USER")
    return actor.strip()


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
