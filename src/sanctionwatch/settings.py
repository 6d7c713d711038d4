"""The one typed settings object, read from ``SANCTIONWATCH_*`` environment variables and CLI flags.

Build it once at the edge (CLI, server start-up) and pass it in; nothing reads module globals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """Where the SQLite database and downloaded lists live by default (XDG data dir)."""
    return user_data_path("sanctionwatch", appauthor=False)


class Settings(BaseSettings):
    """All sanctionwatch settings.

    Attributes:
        database_url: SQLAlchemy URL of the list store; default is a SQLite file in the data dir.
        data_dir: Folder for the default database and downloaded list files.
        lists_dir: Folder of list files for air-gapped sites; ``lists update`` reads it instead of
            downloading when set.
        max_drop_ratio: A new list version dropping more than this share of the active version's
            entities is refused unless forced.
        download_retries: Attempts per official URL before ``lists update`` gives up.
        download_timeout: Seconds before one download attempt times out.
        host: Address ``sanctionwatch serve`` listens on.
        port: Port ``sanctionwatch serve`` listens on.
        max_body_bytes: Largest HTTP request body accepted (413 above).
        max_batch_queries: Most queries in one ``POST /screen/batch`` or ``/match`` request.
        reload_interval: Seconds between the server's checks for newly activated list versions
            (0 disables; ``POST /admin/reload`` always works).
        stale_after_days: Allowed age in days of a list's newest version, by list key (``ftm`` for
            every ``ftm:*`` list), overriding the sources' cadences for ``lists status``.
        metrics: Who may read ``GET /metrics``: ``key`` (an ``admin`` API key), ``open`` (anyone: for a
            scrape on a private network, with the proxy refusing ``/metrics``), ``off`` (404).
        log_format: ``text`` (readable lines) or ``json`` (one JSON object per line).
        log_queries: Whether request logs may carry screened names (personal data; off by default).
    """

    model_config = SettingsConfigDict(env_prefix="SANCTIONWATCH_", extra="ignore")

    database_url: str | None = None
    data_dir: Path = Field(default_factory=default_data_dir)
    lists_dir: Path | None = None
    max_drop_ratio: float = Field(default=0.10, ge=0.0, le=1.0)
    download_retries: int = Field(default=4, ge=1, le=20)
    download_timeout: float = Field(default=60.0, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=2_000_000, ge=1024)
    max_batch_queries: int = Field(default=1000, ge=1)
    reload_interval: float = Field(default=30.0, ge=0)
    stale_after_days: dict[str, int] = Field(default_factory=dict)
    metrics: Literal["key", "open", "off"] = "key"
    log_format: Literal["text", "json"] = "text"
    log_queries: bool = False

    @property
    def resolved_database_url(self) -> str:
        """``database_url`` or the default SQLite file under ``data_dir``.

        The only place the default is resolved. Open the database with
        ``sanctionwatch.store.database.open_engine(settings)``, never from ``database_url`` itself.
        """
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'sanctionwatch.db'}"
