"""``sanctionwatch keys create|list|revoke``: the HTTP API's keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from sanctionwatch.api.keys import REFRESH_SECONDS
from sanctionwatch.cli.common import new_console, print_json, settings_of
from sanctionwatch.store.keys import DEFAULT_SCOPES, SCOPES, ApiKeyInfo, KeyStore

__all__ = ["keys_app", "migrated_warning"]

keys_app = typer.Typer(help="Create, list and revoke API keys for the HTTP server.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"


def _table(keys: list[ApiKeyInfo]) -> Table:
    table = Table(title="API keys (times in UTC)", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for column in ("id", "name", "key", "scopes", "created", "last used", "status"):
        table.add_column(column, no_wrap=True, justify="right" if column == "id" else "left")
    for k in keys:
        status = "[green]live[/]" if k.live else f"[red]revoked {_when(k.revoked_at)}[/]"
        scopes = ",".join(s for s in SCOPES if s in k.scopes) + (
            " [yellow](migrated)[/]" if k.migrated else ""
        )
        table.add_row(
            str(k.id),
            escape(k.name),
            f"sw_…{k.hint}",
            scopes,
            _when(k.created_at),
            _when(k.last_used_at),
            status,
        )
    return table


def migrated_warning(keys: list[ApiKeyInfo]) -> str | None:
    """The warning about live keys made before scopes existed (given ``screen`` and ``admin``)."""
    names = [k.name for k in keys if k.live and k.migrated]
    if not names:
        return None
    return (
        f"warning: {len(names)} live key(s) predate key scopes and were given screen+admin: "
        f"{', '.join(names)}. Replace each with a key of only the scopes it needs "
        "(sanctionwatch keys create NAME --scope screen), then revoke the old one."
    )


@keys_app.command("create")
def create_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who or what will use the key (e.g. crm-prod, alice).")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="What the key may do: screen, cases, admin (repeat, or comma-separate; default screen).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Create a key and print it once: only its hash is stored, it cannot be shown again.

    The key alone goes to stdout (``KEY=$(sanctionwatch keys create ci)`` works); the notes go to
    stderr.
    """
    with KeyStore.open(settings_of(ctx)) as keys:
        created = keys.create(name, scope or DEFAULT_SCOPES)
    if as_json:
        print_json({**created.info.to_dict(), "key": created.key}, indent=False)
        return
    err = new_console(stderr=True)
    granted = ", ".join(s for s in SCOPES if s in created.info.scopes)
    err.print(
        f"Created API key [bold]{escape(name)}[/] (id {created.info.id}, scopes: {granted}). Copy it "
        "now: only its hash is stored and it will not be shown again."
    )
    typer.echo(created.key)
    err.print(
        "Send it with every request as [bold]Authorization: ApiKey <key>[/] "
        "(or 'Authorization: Bearer <key>', or 'X-API-Key: <key>')."
    )


@keys_app.command("list")
def list_cmd(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the keys (never the keys themselves): name, scopes, created, last used, revoked.

    Warns (on stderr) about live keys made before scopes existed, which were given screen+admin.
    """
    with KeyStore.open(settings_of(ctx)) as keys:
        found = keys.list_all()
    warning = migrated_warning(found)
    if warning is not None:
        new_console(stderr=True).print(f"[yellow]{escape(warning)}[/]")
    if as_json:
        print_json([k.to_dict() for k in found])
        return
    console = new_console()
    if not found:
        console.print("no API key yet; create one with: sanctionwatch keys create NAME")
        return
    console.print(_table(found))


@keys_app.command("revoke")
def revoke_cmd(
    ctx: typer.Context,
    name_or_id: Annotated[str, typer.Argument(help="The live key's name, or a key id (see keys list).")],
    as_json: JsonFlag = False,
) -> None:
    """Revoke a key: running servers refuse it within seconds (2 s by default)."""
    with KeyStore.open(settings_of(ctx)) as keys:
        info, revoked_now = keys.revoke(name_or_id)
    if as_json:
        print_json({**info.to_dict(), "revoked_now": revoked_now}, indent=False)
        return
    console = new_console()
    if revoked_now:
        console.print(
            f"Revoked API key {escape(info.name)} (id {info.id}); running servers refuse it within "
            f"{REFRESH_SECONDS:g} s."
        )
    else:
        console.print(
            f"API key {escape(info.name)} (id {info.id}) was already revoked on {_when(info.revoked_at)}."
        )
