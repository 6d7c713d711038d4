"""What the CLI sub-commands share: the state object carrying the settings."""

from __future__ import annotations

from dataclasses import dataclass

import typer

from sanctionwatch.settings import Settings

__all__ = ["State", "settings_of"]


@dataclass
class State:
    """Per-invocation CLI state."""

    settings: Settings


def settings_of(ctx: typer.Context) -> Settings:
    """The settings built by the root callback."""
    state = ctx.find_object(State)
    return state.settings if state is not None else Settings()
