"""``sanctionwatch payments screen PATH...``: payment messages in, one JSON line per message out.

A message that cannot be read or screened gets an ``"error"`` record (file, message index, field)
and the others are still screened; the command then exits with status 9, as ``screen --file`` does
for bad rows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO, Annotated

import orjson
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sanctionwatch.batch.queries import ROW_ERRORS_EXIT
from sanctionwatch.cli.screen import build_screener, open_output, split_lists
from sanctionwatch.errors import InputError, SanctionwatchError
from sanctionwatch.messages.jurisdictions import Jurisdictions
from sanctionwatch.messages.reader import FORMATS, MessageFormat, expand_paths, read_file
from sanctionwatch.messages.screen import MessageScreener
from sanctionwatch.messages.verdict import Verdict

__all__ = ["MessagesFailed", "payments_app", "screen_payments"]

payments_app = typer.Typer(help="Screen payment messages (ISO 20022, SWIFT MT).", no_args_is_help=True)
_err = Console(stderr=True, highlight=False)


class MessagesFailed(SanctionwatchError):
    """Every file was processed, but some messages could not be read or screened."""

    http_status = 422
    exit_code = ROW_ERRORS_EXIT


def _format_of(value: str) -> MessageFormat:
    if value == "auto":
        return "auto"
    if value == "iso20022":
        return "iso20022"
    if value == "mt":
        return "mt"
    raise InputError(f"--format: {value!r} is not one of {', '.join(FORMATS)}")


def _write(verdicts: list[Verdict], out: IO[bytes]) -> None:
    for v in verdicts:
        out.write(orjson.dumps(v.to_dict()) + b"\n")


@payments_app.command("screen")
def screen_payments(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Message files or folders of them.")],
    output: Annotated[
        Path | None, typer.Option("--output", help="JSON lines output (default: stdout).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, iso20022 or mt.")] = "auto",
    jurisdictions: Annotated[
        str | None,
        typer.Option(
            "--jurisdictions",
            help="Which sanctioned jurisdictions: keys (north-korea,iran), or +key/-key on the defaults.",
        ),
    ] = None,
    lists: Annotated[
        str | None, typer.Option("--lists", help="Comma-separated list keys (default: all).")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0.0, max=1.0, help="Name alert threshold (default 0.8)."),
    ] = None,
) -> None:
    """Screen payment messages: a hold/pass/error JSON line per message.

    Exit status 0 when every message was screened, 9 when some could not be (their records carry
    "error"), 2 for a bad option or a missing path.
    """
    kind = _format_of(fmt)
    regimes = Jurisdictions.select(jurisdictions)
    files = list(expand_paths(paths))
    if not files:
        raise InputError(f"no message files in {', '.join(map(str, paths))}")
    list_keys = split_lists(lists)
    screener = MessageScreener(build_screener(ctx, list_keys), regimes, threshold, list_keys)
    started = time.perf_counter()
    counts = {"hold": 0, "pass": 0, "error": 0}
    first_error: str | None = None
    out: IO[bytes] = sys.stdout.buffer if output is None else open_output(output, "--output")
    progress = Progress(
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_err,
        disable=not _err.is_terminal,
    )
    try:
        with progress:
            task = progress.add_task("files", total=len(files))
            for path in files:
                verdicts = screener.screen_all(read_file(path, kind))
                for v in verdicts:
                    counts[v.verdict] += 1
                    if v.error is not None and first_error is None:
                        first_error = v.error
                _write(verdicts, out)
                progress.advance(task)
    finally:
        if output is not None:
            out.close()
    took = time.perf_counter() - started
    total = sum(counts.values())
    _err.print(
        f"screened {total:,} messages in {took:.1f}s: {counts['hold']:,} held, "
        f"{counts['pass']:,} passed, {counts['error']:,} failed",
        markup=False,
    )
    if first_error is not None:
        raise MessagesFailed(
            f"{counts['error']:,} of {total:,} messages failed (their records carry 'error'); "
            f"first: {first_error}"
        )
