"""``sanctionwatch backup|restore FILE`` and ``sanctionwatch audit verify``: the database's copies and
the audit chain's check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sanctionwatch.cases.audit import record_apart
from sanctionwatch.cases.chain import ChainHead, chain_head, verify
from sanctionwatch.cli.common import UserOption, actor_of, new_console, print_json, settings_of
from sanctionwatch.errors import InputError, SanctionwatchError
from sanctionwatch.store import ListStore
from sanctionwatch.store.backup import backup, restore

__all__ = ["ChainBroken", "audit_verify", "backup_command", "restore_command"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class ChainBroken(SanctionwatchError):
    """``audit verify`` found an entry that does not verify."""

    http_status = 500
    exit_code = 11


def backup_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The backup file to write (must not exist; mode 600).")],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Write a consistent online snapshot of the database (SQLite backup API, or pg_dump custom format)."""
    actor = actor_of(user)
    with ListStore.open(settings_of(ctx)) as store:
        backup(store.engine, file)
        with store.engine.connect() as conn:
            head = chain_head(conn)
        record_apart(store.engine, actor, "store.backup", str(file), {"head": head.to_dict()})
    if as_json:
        print_json({"file": str(file), "head": head.to_dict()})
        return
    new_console().print(f"backup written to {escape(str(file))} (audit chain head at backup: {head})")


def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by sanctionwatch backup.")],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Restore a backup into an empty database (refused otherwise), then bring its schema up to date."""
    actor = actor_of(user)
    settings = settings_of(ctx)
    restore(settings, file)
    with ListStore.open(settings) as store:
        with store.engine.connect() as conn:
            head = chain_head(conn)
        checked = verify(store.engine)
        record_apart(store.engine, actor, "store.restore", str(file), {"head": head.to_dict()})
    if as_json:
        print_json({"file": str(file), "head": head.to_dict(), "verified": checked.ok})
    else:
        new_console().print(f"{escape(str(file))} restored (audit chain head: {head})")
    if not checked.ok:
        raise ChainBroken(f"restored, but the audit chain does not verify: {checked.problem}")


def audit_verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None,
        typer.Option("--anchor", help="ID:SHA256 of a head noted earlier: it must still be in the chain."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Walk the audit hash chain; exit 11 naming the first entry that does not verify."""
    noted: ChainHead | None = None
    if anchor is not None:
        match = _ANCHOR.match(anchor.strip().lower())
        if match is None:
            raise InputError(f"--anchor: {anchor!r} is not ID:SHA256 (an entry id, a colon, 64 hex digits)")
        noted = ChainHead(int(match[1]), match[2])
    with ListStore.open(settings_of(ctx)) as store:
        result = verify(store.engine, noted)
    if as_json:
        print_json(result.to_dict())
    elif result.ok:
        new_console().print(f"audit chain verifies: {result.entries} entries, head {result.head}")
    if not result.ok:
        raise ChainBroken(
            f"audit chain broken at entry {result.bad_id}: {result.problem}; "
            f"the last entry that verified: {result.head}"
        )
