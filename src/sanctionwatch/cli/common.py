"""What the CLI sub-commands share: the state object carrying the settings."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Annotated

import typer

from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings

__all__ = ["State", "UserOption", "actor_of", "settings_of"]

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
