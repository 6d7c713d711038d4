"""One exception hierarchy for the whole package.

Every error a user can cause is a :class:`SanctionwatchError` subclass whose message quotes the bad
value and says where it was (file, line, field). Interfaces (CLI, HTTP) map the class to an exit
status or HTTP status through :attr:`SanctionwatchError.http_status`, a class attribute read at
raise time (never frozen into a default argument).
"""

from __future__ import annotations

__all__ = [
    "AlertNotFound",
    "ConfigError",
    "DownloadError",
    "EntityNotFound",
    "FormatDetectionError",
    "FourEyesError",
    "ImportRefused",
    "InputError",
    "ListFileError",
    "ListNotFound",
    "NotFound",
    "PermissionDenied",
    "SanctionwatchError",
    "StoreError",
    "TransitionError",
    "UserError",
    "UserNotFound",
    "VersionNotFound",
]


class SanctionwatchError(Exception):
    """Base of every sanctionwatch error.

    Attributes:
        http_status: Status an HTTP interface answers with for this class.
        exit_code: Process exit status the CLI uses for this class.
    """

    http_status: int = 500
    exit_code: int = 1


class ConfigError(SanctionwatchError):
    """A setting or option has an invalid value."""

    http_status = 500
    exit_code = 2


class InputError(SanctionwatchError):
    """A query or input file the user gave is invalid (bad field, date, column...)."""

    http_status = 422
    exit_code = 2


class ListFileError(SanctionwatchError):
    """A list file is malformed, truncated, of the wrong format or encoding.

    The message names the file and, where known, the line or element.
    """

    http_status = 422
    exit_code = 3

    def __init__(self, path: str, reason: str, location: str | None = None) -> None:
        self.path = path
        self.reason = reason
        self.location = location
        where = f"{path}:{location}" if location else path
        super().__init__(f"{where}: {reason}")


class FormatDetectionError(ListFileError):
    """No known list format matches a file."""


class ImportRefused(SanctionwatchError):
    """An import was refused by a safety check (e.g. it would drop too many entities)."""

    http_status = 409
    exit_code = 4


class DownloadError(SanctionwatchError):
    """An official list could not be downloaded."""

    http_status = 502
    exit_code = 5


class StoreError(SanctionwatchError):
    """The list store failed (database unreachable, schema mismatch...)."""

    http_status = 503
    exit_code = 6


class NotFound(SanctionwatchError):
    """Something asked for by key, id or name does not exist; the subclasses say what."""

    http_status = 404
    exit_code = 2


class ListNotFound(NotFound):
    """A list key is unknown or has no imported version."""


class VersionNotFound(NotFound):
    """A list version id does not exist."""


class EntityNotFound(NotFound):
    """An entity id does not exist in the active list versions."""


class AlertNotFound(NotFound):
    """An alert id does not exist."""


class TransitionError(SanctionwatchError):
    """An alert decision is not allowed from the alert's state, or lacks a reason or actor."""

    http_status = 409
    exit_code = 7


class FourEyesError(TransitionError):
    """A true match was approved by the person who proposed it (four-eyes rule)."""


class UserError(SanctionwatchError):
    """A user account cannot be created or changed (duplicate name, weak password, unknown role)."""

    http_status = 422
    exit_code = 2


class UserNotFound(NotFound):
    """No user of that name."""


class PermissionDenied(SanctionwatchError):
    """The signed-in user's role does not allow the action."""

    http_status = 403
    exit_code = 8
