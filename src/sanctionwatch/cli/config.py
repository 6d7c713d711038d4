"""The optional TOML configuration file (``--config FILE`` or ``SANCTIONWATCH_CONFIG``) and
``sanctionwatch config show``.

Precedence, highest first: a command-line flag, the environment (``SANCTIONWATCH_<NAME>``), the
file, the default. The file's keys are the settings' names in lower case (``port = 8080``,
``[stale_after_days]``). A file that is not TOML, a key that is no setting, or a value a setting
refuses is one error line naming the file, line and key, and no command runs (the server does not
start half-configured).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, InitSettingsSource, PydanticBaseSettingsSource
from rich.markup import escape
from rich.table import Table

from sanctionwatch.cli.common import new_console, print_json, settings_of
from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings
from sanctionwatch.store.database import display_url, normalize_url

__all__ = [
    "CONFIG_ENV",
    "ConfigOption",
    "config_app",
    "config_path",
    "load_settings",
    "read_config_file",
    "sources_of",
]

CONFIG_ENV = "SANCTIONWATCH_CONFIG"
"""Environment variable naming the configuration file (``--config`` wins over it)."""

ENV_PREFIX = "SANCTIONWATCH_"
MASK = "********"
_SECRET_WORDS = ("password", "secret", "token")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="TOML settings file (default $SANCTIONWATCH_CONFIG); the environment wins."
    ),
]
"""The root ``--config FILE`` option."""

config_app = typer.Typer(help="The effective settings and where each came from.", no_args_is_help=True)


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[\s*)?[\"']?{re.escape(key)}[\"']?\s*(=|\])", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _where(path: Path, text: str, key: str) -> str:
    line = _line_of(text, key)
    return f"{path}:{line}" if line is not None else str(path)


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file sets, by name.

    Raises:
        ConfigError: The file cannot be read, is not TOML, or names a key that is no setting.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read the configuration file: {reason}") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    known = set(Settings.model_fields)
    for key in values:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{_where(path, text, key)}: {key!r} is no setting{hint}")
    return values


def _file_settings(values: dict[str, Any]) -> type[Settings]:
    """Settings reading flags (init), then the environment, then ``values``."""

    class FileSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (init_settings, env_settings, InitSettingsSource(settings_cls, init_kwargs=values))

    return FileSettings


def _env_name(field: str) -> str | None:
    """The environment variable setting ``field``, if one is set (names are case-insensitive)."""
    wanted = (ENV_PREFIX + field).upper()
    return next((k for k in os.environ if k.upper() == wanted), None)


def config_path(option: Path | None) -> Path | None:
    """The configuration file: ``--config``, else ``SANCTIONWATCH_CONFIG``, else none."""
    if option is not None:
        return option
    named = os.environ.get(CONFIG_ENV, "").strip()
    return Path(named) if named else None


def load_settings(path: Path | None) -> Settings:
    """The settings from the environment over the file at ``path`` (if any) over the defaults.

    Raises:
        ConfigError: The file is unreadable, not TOML, names an unknown key, or a value (from the
            file or the environment) is refused; the message names where it came from.
    """
    values = read_config_file(path) if path is not None else {}
    try:
        loaded = _file_settings(values)() if values else Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        rest = ".".join(str(x) for x in first["loc"][1:])
        env = _env_name(field)
        if env is not None or path is None or field not in values:
            name = env or (ENV_PREFIX + "_".join(str(x) for x in first["loc"])).upper()
            raise ConfigError(f"{name}={first.get('input')!r}: {first['msg']}") from None
        text = path.read_text(encoding="utf-8")
        key = f"{field}.{rest}" if rest else field
        raise ConfigError(
            f"{_where(path, text, field)}: {key} = {first.get('input')!r}: {first['msg']}"
        ) from None
    if not values:
        return loaded
    return Settings.model_construct(_fields_set=set(loaded.model_fields_set), **dict(loaded))


def sources_of(path: Path | None, flags: set[str]) -> dict[str, str]:
    """Where each setting's value came from: ``flag``, ``environment``, ``file`` or ``default``."""
    in_file = set(read_config_file(path)) if path is not None else set()
    out = {}
    for field in Settings.model_fields:
        if field in flags:
            out[field] = "flag"
        elif _env_name(field) is not None:
            out[field] = "environment"
        elif field in in_file:
            out[field] = "file"
        else:
            out[field] = "default"
    return out


def _shown(field: str, value: Any) -> Any:
    """A setting's value for display, secrets masked (a database URL keeps all but its password)."""
    if value is None:
        return None
    if isinstance(value, SecretStr) or any(word in field for word in _SECRET_WORDS):
        return MASK
    if field == "database_url":
        try:
            return display_url(normalize_url(str(value)))
        except ConfigError:
            return MASK
    if isinstance(value, Path):
        return str(value)
    return value


@config_app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print every setting's effective value and where it came from, secrets masked."""
    settings = settings_of(ctx)
    root = ctx.find_root().params
    path = config_path(root.get("config"))
    flags = {"database_url"} if root.get("db") is not None else set()
    sources = sources_of(path, flags)
    rows = [
        {"setting": f, "value": _shown(f, getattr(settings, f)), "source": sources[f]}
        for f in Settings.model_fields
    ]
    if as_json:
        print_json({"config_file": str(path) if path else None, "settings": rows})
        return
    console = new_console()
    console.print(f"configuration file: {escape(str(path)) if path else 'none'}")
    table = Table("setting", "value", "from")
    for row in rows:
        table.add_row(
            row["setting"], escape(repr(row["value"]) if row["value"] is not None else "-"), row["source"]
        )
    console.print(table)
