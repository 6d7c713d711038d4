"""The key that signs the web UI's session cookies: ``settings.secret_key``, or one generated once
and kept in ``data_dir/web-secret-key`` so sessions survive restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sanctionwatch.errors import ConfigError
from sanctionwatch.settings import Settings

__all__ = ["SECRET_FILE", "session_secret"]

SECRET_FILE = "web-secret-key"
_MIN_LENGTH = 32


def _read(path: Path) -> str:
    try:
        value = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the web session secret: {exc}") from exc
    if len(value) < _MIN_LENGTH:
        raise ConfigError(
            f"{path}: the web session secret is {len(value)} characters, at least {_MIN_LENGTH} needed; "
            "delete the file to have a new one generated (this signs everyone out)"
        )
    return value


def session_secret(settings: Settings) -> str:
    """The session signing key, creating ``data_dir/web-secret-key`` (mode 0600) on first use.

    Raises:
        ConfigError: The key file cannot be read or written, or is too short.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.data_dir / SECRET_FILE
    if path.exists():
        return _read(path)
    value = secrets.token_urlsafe(48)
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.touch(mode=0o600, exist_ok=False)
        tmp.write_text(value + "\n", encoding="ascii")
        # A hard link publishes the complete file, or fails when another server got there first.
        path.hardlink_to(tmp)
    except FileExistsError:
        return _read(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the web session secret: {exc.strerror}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return value
