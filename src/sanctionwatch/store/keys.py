"""API keys of the HTTP server: create, list, revoke. Only a SHA-256 hash of each key is stored.

Each key has scopes (:data:`SCOPES`): ``screen`` (screening, match, search, entities, lists),
``cases`` (alerts and decisions through the API), ``admin`` (reload and other administration).
Keys made before scopes existed were given ``screen`` and ``admin`` and are flagged ``migrated``.

>>> keys = KeyStore.open(Settings())
>>> created = keys.create("ci", ["screen"])     # created.key is shown once, never stored
>>> keys.list_all()
>>> keys.revoke("ci")
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from sanctionwatch.errors import InputError, NotFound, StoreError
from sanctionwatch.settings import Settings
from sanctionwatch.store.database import display_url, open_engine
from sanctionwatch.store.schema import api_keys

__all__ = [
    "DEFAULT_SCOPES",
    "KEY_PREFIX",
    "SCOPES",
    "ApiKeyInfo",
    "KeyNotFound",
    "KeyStore",
    "LiveKey",
    "NewKey",
    "hash_key",
    "parse_scopes",
]

KEY_PREFIX = "sw_"
"""Every key starts with this, so a leaked key is recognisable (secret scanners, logs)."""

SCOPES = ("screen", "cases", "admin")
"""Every scope a key can have, in display order."""
DEFAULT_SCOPES = frozenset({"screen"})
"""What ``keys create`` grants unless told otherwise."""

_KEY_BYTES = 32
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._@-]{0,99}$")


class KeyNotFound(NotFound):
    """No API key has the name or id given."""


def hash_key(key: str) -> bytes:
    """The SHA-256 digest of a key, which is all the store keeps.

    A plain, fast hash is the right tool here, unlike for passwords: the keys are 256-bit random
    values (``secrets.token_urlsafe(32)``), so there is nothing to guess and a stolen hash cannot be
    brute-forced; a slow KDF (bcrypt, scrypt, argon2) only defends low-entropy secrets and would
    cost milliseconds of CPU on every request.
    """
    return hashlib.sha256(key.encode("utf-8")).digest()


def parse_scopes(values: Iterable[str]) -> frozenset[str]:
    """The scopes named in ``values`` (each may hold several, comma- or space-separated).

    Raises:
        InputError: A scope is unknown, or none is given.
    """
    found = {part for value in values for part in value.replace(",", " ").split()}
    unknown = sorted(found - set(SCOPES))
    if unknown:
        raise InputError(f"scope: {unknown[0]!r} is not a scope; use {', '.join(SCOPES)}")
    if not found:
        raise InputError(f"scope: give at least one of {', '.join(SCOPES)}")
    return frozenset(found)


def _scope_text(scopes: frozenset[str]) -> str:
    return " ".join(s for s in SCOPES if s in scopes)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite keeps no offset; the store writes UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    """What is known about one key (never the key itself).

    Attributes:
        id: Key id, unique for ever.
        name: Who or what uses it; one live key per name.
        hint: The key's last 4 characters, to tell keys apart.
        created_at: When it was created (UTC).
        revoked_at: When it was revoked (UTC), or None while it is live.
        last_used_at: Last accepted request (UTC), written at most about once a minute per key.
        scopes: What the key may do (:data:`SCOPES`).
        migrated: The key predates scopes and was given ``screen`` and ``admin``.
    """

    id: int
    name: str
    hint: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    scopes: frozenset[str] = DEFAULT_SCOPES
    migrated: bool = False

    @property
    def live(self) -> bool:
        """Whether the key is accepted (not revoked)."""
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""

        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value is not None else None

        return {
            "id": self.id,
            "name": self.name,
            "hint": self.hint,
            "created_at": self.created_at.isoformat(),
            "revoked_at": iso(self.revoked_at),
            "last_used_at": iso(self.last_used_at),
            "live": self.live,
            "scopes": [s for s in SCOPES if s in self.scopes],
            "scopes_migrated": self.migrated,
        }

    @classmethod
    def from_row(cls, row: RowMapping) -> ApiKeyInfo:
        """Build from an ``api_keys`` row."""
        created = _utc(row["created_at"])
        assert created is not None  # NOT NULL column
        return cls(
            id=row["id"],
            name=row["name"],
            hint=row["hint"],
            created_at=created,
            revoked_at=_utc(row["revoked_at"]),
            last_used_at=_utc(row["last_used_at"]),
            scopes=frozenset(str(row["scopes"]).split()),
            migrated=bool(row["scopes_migrated"]),
        )


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just created: ``key`` is the only copy of the secret there will ever be."""

    info: ApiKeyInfo
    key: str


@dataclass(frozen=True, slots=True)
class LiveKey:
    """A live key as the checker needs it: id, name, hash digest and scopes."""

    id: int
    name: str
    digest: bytes
    scopes: frozenset[str] = DEFAULT_SCOPES


class KeyStore:
    """The ``api_keys`` table of the list store's database.

    Args:
        engine: An engine whose schema is current (see :meth:`open`).
        owns_engine: Dispose of the engine on :meth:`close`.
    """

    def __init__(self, engine: Engine, owns_engine: bool = False) -> None:
        self.engine = engine
        self._owns_engine = owns_engine

    @classmethod
    def open(cls, settings: Settings) -> KeyStore:
        """Open the store at ``settings.resolved_database_url``, creating or upgrading its schema.

        Raises:
            ConfigError: The database URL is invalid.
            StoreError: The database cannot be opened or migrated.
        """
        return cls(open_engine(settings), owns_engine=True)

    def close(self) -> None:
        """Release the database connections (if this store opened them)."""
        if self._owns_engine:
            self.engine.dispose()

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _db_errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"{display_url(self.engine.url)}: cannot {doing}: {reason}") from exc

    def create(self, name: str, scopes: Iterable[str] = DEFAULT_SCOPES) -> NewKey:
        """Create a key named ``name`` with ``scopes`` (default: ``screen`` only).

        Raises:
            InputError: The name is malformed, a live key already has it, or a scope is unknown.
            StoreError: The database failed.
        """
        if not _NAME.match(name):
            raise InputError(
                f"name: {name!r} is not a valid key name: use 1-100 letters, digits, '.', '_', '@' "
                "or '-', starting with a letter"
            )
        granted = parse_scopes(scopes)
        key = KEY_PREFIX + secrets.token_urlsafe(_KEY_BYTES)
        row = {
            "scopes": _scope_text(granted),
            "scopes_migrated": False,
            "name": name,
            "key_hash": hash_key(key).hex(),
            "hint": key[-4:],
            "created_at": datetime.now(UTC),
        }
        taken = InputError(
            f"name: a live API key is already named {name!r}; revoke it first "
            f"(sanctionwatch keys revoke {name}) or choose another name"
        )
        with self._db_errors("create an API key"):
            try:
                with self.engine.begin() as conn:
                    if self._live_by_name(conn, name) is not None:
                        raise taken
                    new_id = conn.execute(sa.insert(api_keys).values(**row)).inserted_primary_key
                    assert new_id is not None
                    info = self._get(conn, int(new_id[0]))
            except IntegrityError as exc:  # a concurrent create of the same name won the race
                raise taken from exc
        assert info is not None
        return NewKey(info, key)

    def list_all(self) -> list[ApiKeyInfo]:
        """Every key, live and revoked, in creation order."""
        with self._db_errors("list API keys"), self.engine.connect() as conn:
            rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.id)).mappings()
            return [ApiKeyInfo.from_row(r) for r in rows]

    def revoke(self, name_or_id: str) -> tuple[ApiKeyInfo, bool]:
        """Revoke the live key of that name, or the key of that id (all digits).

        Returns:
            The key and whether this call revoked it (False: it was already revoked).

        Raises:
            KeyNotFound: No key has that name or id.
            StoreError: The database failed.
        """
        with self._db_errors("revoke an API key"), self.engine.begin() as conn:
            if name_or_id.isdigit():
                found = self._get(conn, int(name_or_id))
            else:
                found = self._live_by_name(conn, name_or_id) or self._last_by_name(conn, name_or_id)
            if found is None:
                raise KeyNotFound(f"no API key named or numbered {name_or_id!r}; see sanctionwatch keys list")
            if not found.live:
                return found, False
            conn.execute(
                sa.update(api_keys).where(api_keys.c.id == found.id).values(revoked_at=datetime.now(UTC))
            )
            revoked = self._get(conn, found.id)
        assert revoked is not None
        return revoked, True

    def live_keys(self) -> list[LiveKey]:
        """The keys that are not revoked, with their hashes (for the server's key checker).

        Raises:
            StoreError: The database failed.
        """
        c = api_keys.c
        query = sa.select(c.id, c.name, c.key_hash, c.scopes).where(c.revoked_at.is_(None))
        with self._db_errors("read API keys"), self.engine.connect() as conn:
            return [
                LiveKey(r.id, r.name, bytes.fromhex(r.key_hash), frozenset(r.scopes.split()))
                for r in conn.execute(query)
            ]

    def touch(self, used: Mapping[int, datetime]) -> None:
        """Record when keys were last used (never moving ``last_used_at`` back).

        Raises:
            StoreError: The database failed.
        """
        if not used:
            return
        t = api_keys.c.last_used_at
        stmt = (
            sa.update(api_keys)
            .where(api_keys.c.id == sa.bindparam("key_id"))
            .where(sa.or_(t.is_(None), t < sa.bindparam("used")))
            .values(last_used_at=sa.bindparam("used"))
        )
        with self._db_errors("record API key use"), self.engine.begin() as conn:
            conn.execute(stmt, [{"key_id": k, "used": when} for k, when in used.items()])

    @staticmethod
    def _get(conn: sa.Connection, key_id: int) -> ApiKeyInfo | None:
        row = conn.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
        return ApiKeyInfo.from_row(row) if row is not None else None

    @staticmethod
    def _live_by_name(conn: sa.Connection, name: str) -> ApiKeyInfo | None:
        query = sa.select(api_keys).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
        row = conn.execute(query).mappings().first()
        return ApiKeyInfo.from_row(row) if row is not None else None

    @staticmethod
    def _last_by_name(conn: sa.Connection, name: str) -> ApiKeyInfo | None:
        query = sa.select(api_keys).where(api_keys.c.name == name).order_by(api_keys.c.id.desc())
        row = conn.execute(query).mappings().first()
        return ApiKeyInfo.from_row(row) if row is not None else None
