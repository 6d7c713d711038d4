"""Docs that cannot drift (as datasette's): every command, option and setting is documented.

The commands are found by walking the Typer app, so a new command or option fails here until it is
documented: in docs/lists.md for ``lists *``, in docs/cli.md for everything else. An option counts
only inside its own command's section (a heading naming ``sanctionwatch <command>``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from sanctionwatch.cli import app
from sanctionwatch.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
HEADING = re.compile(r"^(#{1,6}) (.*)$", re.MULTILINE)


def commands(group: Any, path: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every runnable (leaf) command of the app, by its path (``lists import``)."""
    found: dict[str, Any] = {}
    for name, command in getattr(group, "commands", {}).items():
        if getattr(command, "hidden", False):
            continue
        if getattr(command, "commands", None) is not None:
            found.update(commands(command, (*path, name)))
        else:
            found[" ".join((*path, name))] = command
    return found


ROOT: Any = typer.main.get_command(app)
COMMANDS = commands(ROOT)


def doc_for(name: str) -> Path:
    return DOCS / ("lists.md" if name.startswith("lists ") else "cli.md")


def sections(text: str) -> list[tuple[str, str]]:
    """``(heading, body)`` of each section; a body runs to the next heading of the same or a higher level."""
    heads = list(HEADING.finditer(text))
    out = []
    for n, head in enumerate(heads):
        level = len(head.group(1))
        end = next((h.start() for h in heads[n + 1 :] if len(h.group(1)) <= level), len(text))
        out.append((head.group(2), text[head.end() : end]))
    return out


def command_sections(name: str) -> str:
    """The text of every section whose heading names ``sanctionwatch <name>``."""
    pattern = re.compile(rf"sanctionwatch {re.escape(name)}(?![\w-])")
    text = doc_for(name).read_text(encoding="utf-8")
    return "\n".join(heading + body for heading, body in sections(text) if pattern.search(heading))


def long_options(command: Any) -> list[str]:
    return [
        opt
        for param in command.params
        for opt in (*param.opts, *getattr(param, "secondary_opts", ()))
        if opt.startswith("--")
    ]


def test_the_walk_finds_the_known_commands() -> None:
    assert {"lists import", "lists status", "lists diff", "lists update", "show", "screen", "eval"} <= set(
        COMMANDS
    )
    assert "--file" in long_options(COMMANDS["screen"])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_section_with_each_of_its_options(name: str) -> None:
    documented = command_sections(name)
    assert documented, f"no heading naming `sanctionwatch {name}` in docs/{doc_for(name).name}"
    for opt in long_options(COMMANDS[name]):
        assert re.search(rf"{re.escape(opt)}(?![\w-])", documented), (
            f"`sanctionwatch {name} {opt}` is not in its section of docs/{doc_for(name).name}"
        )


def test_global_options_are_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for opt in long_options(ROOT):
        assert opt in text, f"global option {opt} is not in docs/cli.md"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented_as_its_environment_variable(field: str) -> None:
    env = f"SANCTIONWATCH_{field.upper()}"
    assert re.search(rf"`{env}`", (DOCS / "cli.md").read_text(encoding="utf-8")), (
        f"{env} is not in docs/cli.md"
    )


def test_documented_commands_exist() -> None:
    """The reverse drift: a heading naming a command that was renamed or removed."""
    for doc in ("cli.md", "lists.md"):
        for heading, _ in sections((DOCS / doc).read_text(encoding="utf-8")):
            for words in re.findall(r"`sanctionwatch ((?:[a-z][\w-]* ?)+)", heading):
                command: Any = ROOT
                for word in words.split():
                    sub = getattr(command, "commands", {}).get(word)
                    if sub is None:
                        break
                    command = sub
                assert command is not ROOT, f"docs/{doc} heading {heading!r} names no command"
